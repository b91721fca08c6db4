//! Operations: running stations day to day (commands, their configuration, the operator's default
//! configuration, offline detection).

mod configuration;
pub mod defaults;
pub mod offline;
mod views;

pub use configuration::{ConfigurationChange, ConfigurationRead};
pub use joule_store::{
    CommandRecord, DefaultResult, LoggedMessage, MessageFilter, Operator, StationEvent, StationFilter, StoredConfigKey,
};
pub use views::{StationDetail, own_operator};

use crate::App;

/// The operations use cases; borrows the [`App`].
pub struct Operations<'a> {
    app: &'a App,
}

impl<'a> Operations<'a> {
    pub(crate) fn new(app: &'a App) -> Operations<'a> {
        Operations { app }
    }

    /// One round of offline detection, judging at `now` (see [`offline::sweep`]).
    pub async fn sweep_offline(&self, now: joule_core::Timestamp) -> Result<offline::SweepReport, crate::AppError> {
        Ok(offline::sweep(self.app, now).await?)
    }
}
