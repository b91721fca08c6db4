//! The operator's catalog of station models: installers pick make and model from it when they
//! pinpoint a station, and the verification checklist's firmware item compares the station's firmware with
//! its model's minimum ("a per-model table that operators edit").

use axum::Json;
use axum::extract::{Path, State};
use chrono::{DateTime, Utc};
use joule_app::onboarding::CatalogModel;
use joule_core::OperatorId;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::ApiState;
use crate::auth::{Caller, Principal};
use crate::error::{ApiResult, Problem};
use crate::extract::{Body, Query};
use crate::routes::claims::principal_actor;

/// A model in the catalog.
#[derive(Debug, Serialize, ToSchema)]
pub struct ModelView {
    /// As BootNotification's `chargePointVendor` (compared ignoring case, spaces, dashes and legal form).
    pub vendor: String,
    /// As BootNotification's `chargePointModel`.
    pub model: String,
    /// The oldest firmware accepted for this model; null: any.
    pub min_firmware: Option<String>,
    pub updated_at: DateTime<Utc>,
    pub updated_by: String,
}

impl From<&CatalogModel> for ModelView {
    fn from(m: &CatalogModel) -> Self {
        ModelView {
            vendor: m.model.vendor.clone(),
            model: m.model.model.clone(),
            min_firmware: m.model.min_firmware.as_ref().map(|f| f.as_str().to_string()),
            updated_at: m.updated_at,
            updated_by: m.updated_by.clone(),
        }
    }
}

/// A model to add, or to change (the same vendor and model, however spelled, replace the entry).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ModelBody {
    pub vendor: String,
    pub model: String,
    /// e.g. `1.6.2`, `v2.0.1`, `R4.3.0_b12`; omitted or null: any firmware.
    pub min_firmware: Option<String>,
}

/// Which model to remove.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ModelQuery {
    pub vendor: String,
    pub model: String,
}

/// The operator's catalog, by vendor then model. Needs role viewer.
#[utoipa::path(get, path = "/api/v1/operators/{operator_id}/models", tag = "operators",
    params(("operator_id" = i64, Path)),
    responses((status = 200, body = Vec<ModelView>), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn list(
    State(state): State<ApiState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<Vec<ModelView>>> {
    let list = state.app.onboarding().models(&caller.actor(), OperatorId(id)).await?;
    Ok(Json(list.iter().map(ModelView::from).collect()))
}

/// Adds a model to the catalog, or changes its minimum firmware: the same vendor and model spelled another
/// way replace the entry rather than add one. Recorded in the audit log. Needs role admin.
#[utoipa::path(put, path = "/api/v1/operators/{operator_id}/models", tag = "operators",
    params(("operator_id" = i64, Path)), request_body = ModelBody,
    responses((status = 200, body = ModelView), (status = 400, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
pub async fn put(
    State(state): State<ApiState>,
    caller: Caller,
    Path(id): Path<i64>,
    Body(body): Body<ModelBody>,
) -> ApiResult<Json<ModelView>> {
    let saved = state
        .app
        .onboarding()
        .set_model(&caller.actor(), OperatorId(id), &body.vendor, &body.model, body.min_firmware.as_deref())
        .await?;
    Ok(Json(ModelView::from(&saved)))
}

/// Removes a model from the catalog (stations keep what was entered for them). 404 when it is not there.
/// Recorded in the audit log. Needs role admin.
#[utoipa::path(delete, path = "/api/v1/operators/{operator_id}/models", tag = "operators",
    params(("operator_id" = i64, Path), ModelQuery),
    responses((status = 204), (status = 400, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
pub async fn delete(
    State(state): State<ApiState>,
    caller: Caller,
    Path(id): Path<i64>,
    Query(q): Query<ModelQuery>,
) -> ApiResult<axum::http::StatusCode> {
    state.app.onboarding().delete_model(&caller.actor(), OperatorId(id), &q.vendor, &q.model).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

/// The models an installer picks from for this station: its operator's catalog. For the installer who
/// claimed it and the operator's staff and tokens, like the installation record.
#[utoipa::path(get, path = "/api/v1/stations/{id}/models", tag = "stations",
    params(("id" = String, Path, description = "Station id")),
    responses((status = 200, body = Vec<ModelView>), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn for_station(
    State(state): State<ApiState>,
    principal: Principal,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<ModelView>>> {
    let list = state.app.onboarding().models_for_station(&principal_actor(&principal), &id).await?;
    Ok(Json(list.iter().map(ModelView::from).collect()))
}
