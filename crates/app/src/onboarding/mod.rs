//! Onboarding: bringing a station into service (the handover from its installer to its operator).

pub mod handover;

/// The onboarding use cases; borrows the [`crate::App`].
pub struct Onboarding<'a> {
    #[allow(dead_code)] // the use cases are being moved here from the API's routes
    app: &'a crate::App,
}

impl<'a> Onboarding<'a> {
    pub(crate) fn new(app: &'a crate::App) -> Onboarding<'a> {
        Onboarding { app }
    }
}
