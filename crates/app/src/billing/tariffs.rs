//! The operator's tariffs and billing settings as its staff read and change them.

use joule_core::billing::{BillingSettings, TariffBody};

use crate::access::tokens::operator;
use crate::{Actor, AppError, AppResult, Permission};

impl super::Billing<'_> {
    /// The operator's billing settings (currency, VAT, time zone, free thresholds).
    pub async fn settings(&self, actor: &Actor) -> AppResult<BillingSettings> {
        actor.require(Permission::Read)?;
        Ok(self.app.db().billing_settings(operator(actor)?).await?)
    }

    /// The body of the operator's tariff `id` as its newest version has it.
    pub async fn current_tariff_body(&self, actor: &Actor, id: i64) -> AppResult<TariffBody> {
        actor.require(Permission::Read)?;
        let versions = self.app.db().tariff_versions(operator(actor)?, id).await?;
        versions.last().map(|v| v.body.clone()).ok_or_else(|| AppError::NotFound(format!("no tariff {id}")))
    }
}
