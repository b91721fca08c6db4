//! The operator's catalog of station models: installers pick make and model from it when they pinpoint a
//! station, and the verification checklist's firmware item compares the station's firmware with its
//! model's minimum.

use chrono::Utc;
use joule_core::OperatorId;
use joule_core::catalog::{FirmwareVersion, KnownModel, model_key};
use joule_store::CatalogModel;
use serde_json::{Value, json};

use super::Onboarding;
use crate::audit::{self, Entry};
use crate::{Actor, AppError, AppResult, Permission};

/// How the audit log shows a catalog entry (as the API shows it).
pub fn model_snapshot(m: &CatalogModel) -> Value {
    json!({
        "vendor": m.model.vendor,
        "model": m.model.model,
        "min_firmware": m.model.min_firmware.as_ref().map(|f| f.as_str()),
        "updated_at": m.updated_at,
        "updated_by": m.updated_by,
    })
}

/// The model described, validated; the error names the field at fault.
fn known(vendor: &str, model: &str, min_firmware: Option<&str>) -> AppResult<KnownModel> {
    let min = match min_firmware.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => Some(FirmwareVersion::parse(s).map_err(|e| AppError::invalid("min_firmware", e.to_string()))?),
        None => None,
    };
    KnownModel::new(vendor, model, min).map_err(|e| {
        let field = if e.to_string().starts_with("invalid vendor") { "vendor" } else { "model" };
        AppError::invalid(field, e.to_string())
    })
}

impl Onboarding<'_> {
    /// The operator's catalog, by vendor then model. Needs role viewer.
    pub async fn models(&self, actor: &Actor, operator: OperatorId) -> AppResult<Vec<CatalogModel>> {
        actor.require(Permission::Read)?;
        let operator = Self::own_operator(actor, operator)?;
        Ok(self.app.db().station_models(operator).await?)
    }

    /// The catalog a station's installer picks from: for whoever may read the station's installation record.
    pub async fn models_for_station(&self, actor: &Actor, station: &str) -> AppResult<Vec<CatalogModel>> {
        let station = self.readable_station(actor, station).await?;
        Ok(self.app.db().station_models(station.operator_id).await?)
    }

    /// Adds a model to the catalog, or changes its minimum firmware: the same vendor and model spelled
    /// another way replace the entry. Audited. Needs role admin.
    pub async fn set_model(
        &self,
        actor: &Actor,
        operator: OperatorId,
        vendor: &str,
        model: &str,
        min_firmware: Option<&str>,
    ) -> AppResult<CatalogModel> {
        let operator = Self::own_operator(actor, operator)?;
        actor.require(Permission::Administer)?;
        let model = known(vendor, model, min_firmware)?;
        let store = self.app.db();
        let key = model.key();
        let before = store.station_models(operator).await?.into_iter().find(|m| m.model.key() == key);
        let saved = store.set_station_model(operator, &model, actor.name(), Utc::now()).await?;
        let entry = Entry {
            action: "catalog.model.set",
            subject: format!("operator:{operator}"),
            before: before.as_ref().map(model_snapshot),
            after: Some(model_snapshot(&saved)),
        };
        audit::record(store.as_ref(), actor, entry).await;
        Ok(saved)
    }

    /// Removes a model from the catalog (stations keep what was entered for them); not found when it is not
    /// there. Audited. Needs role admin.
    pub async fn delete_model(&self, actor: &Actor, operator: OperatorId, vendor: &str, model: &str) -> AppResult<()> {
        let operator = Self::own_operator(actor, operator)?;
        actor.require(Permission::Administer)?;
        let key = model_key(vendor, model);
        let store = self.app.db();
        let before = store.station_models(operator).await?.into_iter().find(|m| m.model.key() == key);
        let Some(before) = before else {
            return Err(AppError::not_found(format!("{} {} is not in the catalog", vendor.trim(), model.trim())));
        };
        store.delete_station_model(operator, &key).await?;
        let entry = Entry {
            action: "catalog.model.delete",
            subject: format!("operator:{operator}"),
            before: Some(model_snapshot(&before)),
            after: None,
        };
        audit::record(store.as_ref(), actor, entry).await;
        Ok(())
    }
}
