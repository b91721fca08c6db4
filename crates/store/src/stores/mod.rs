//! The store's interface, cut by aggregate: one trait per group of tables that change together, each
//! small enough to read whole. [`Store`](crate::Store) is all of them at once, which is what callers hold
//! today; a caller that needs one aggregate only can take that trait alone.
//!
//! A new method goes into the trait of the aggregate whose rows it reads or writes; its SQL goes into the
//! module of the same name under [`sql`](crate::sql).

mod access;
mod accounts;
mod billing;
mod commands;
mod handover;
mod onboarding;
mod sessions;
mod stations;

pub use access::AccessStore;
pub use accounts::AccountStore;
pub use billing::BillingStore;
pub use commands::CommandStore;
pub use handover::HandoverStore;
pub use onboarding::OnboardingStore;
pub use sessions::SessionStore;
pub use stations::StationStore;
