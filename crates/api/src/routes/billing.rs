//! Tariffs and billing: tariffs and their versions, assignments, the operator's billing
//! settings, the price that applies before a session, a session's itemised cost, session reports (CSV or
//! JSON) and monthly statements.
//!
//! Roles: every route needs a caller of the operator; reading needs Viewer, recomputing a cost Operator,
//! changing tariffs, assignments and billing settings Admin.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use joule_app::billing::{ReportFilter, ReportRow};
use joule_core::billing::{BillingSettings, TariffBody, TariffTarget};
use joule_core::tariff::{Decimal, Dimension};
use joule_core::{IdTag, OperatorId, Role, SessionId, StationId};
use joule_store::{ItemDoc, NewTariff, SessionCost, SettingsDoc, TariffDoc, TariffVersion};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::accounts::audit_by;
use crate::ApiState;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, Kind, Problem};
use crate::extract::{Body, Query};
use crate::params;

fn own(caller: &Caller, id: i64) -> ApiResult<OperatorId> {
    if caller.operator_id.0 == id {
        Ok(caller.operator_id)
    } else {
        Err(ApiError::not_found(format!("no operator {id}")))
    }
}

fn station_param(field: &str, s: &str) -> ApiResult<StationId> {
    StationId::parse(s).map_err(|e| ApiError::invalid(field, e.to_string()))
}

// ----- tariffs -----

/// A tariff version as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct TariffView {
    pub id: i64,
    pub version: i64,
    pub name: String,
    /// Sessions that start at or after this instant (and after the version was stored) use this version.
    pub valid_from: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    /// The OCPI-shaped tariff (elements with price_components and restrictions; start_fee, idle_fee,
    /// min_price, max_price). Prices exclude VAT.
    #[schema(value_type = Object)]
    pub tariff: TariffDoc,
    /// The tariff in plain words, with VAT, under the operator's billing settings.
    pub description: Vec<String>,
}

pub(crate) fn view(v: &TariffVersion, settings: &BillingSettings) -> TariffView {
    TariffView {
        id: v.tariff_id,
        version: v.version,
        name: v.name.clone(),
        valid_from: v.valid_from,
        created_at: v.created_at,
        created_by: v.created_by.clone(),
        tariff: TariffDoc::from_body(&v.body),
        description: describe(&v.body, settings),
    }
}

/// A price with VAT, in the operator's currency: "0.35 CHF (0.38 incl. 8.1 % VAT)".
fn with_vat(price: Decimal, s: &BillingSettings) -> String {
    let gross =
        (price * (Decimal::ONE_HUNDRED + s.vat.value()) / Decimal::ONE_HUNDRED).round_dp(s.rounding.money_scale);
    format!("{} {} ({} incl. {} % VAT)", price.normalize(), s.currency, gross, s.vat.value().normalize())
}

/// The tariff in plain words, one line per component and fee.
pub fn describe(body: &TariffBody, s: &BillingSettings) -> Vec<String> {
    let mut out = Vec::new();
    if !body.start_fee.value().is_zero() {
        out.push(format!("start fee {}", with_vat(body.start_fee.value(), s)));
    }
    for e in &body.elements {
        let r = &e.restrictions;
        let mut when = Vec::new();
        match (r.start_time, r.end_time) {
            (None, None) => {}
            (a, b) => when.push(format!(
                "{}–{}",
                a.map(|t| t.format("%H:%M").to_string()).unwrap_or_else(|| "00:00".into()),
                b.map(|t| t.format("%H:%M").to_string()).unwrap_or_else(|| "24:00".into())
            )),
        }
        if !r.days.is_empty() {
            when.push(r.days.iter().map(|d| d.to_string()).collect::<Vec<_>>().join(","));
        }
        if let Some(d) = r.start_date {
            when.push(format!("from {d}"));
        }
        if let Some(d) = r.end_date {
            when.push(format!("before {d}"));
        }
        if let Some(m) = r.min_duration_secs {
            when.push(format!("after {} min", m / 60));
        }
        if let Some(m) = r.max_duration_secs {
            when.push(format!("during the first {} min", m / 60));
        }
        let when = if when.is_empty() { String::new() } else { format!(", {} (station time)", when.join(", ")) };
        for c in &e.components {
            let (unit, step) = match c.dimension {
                Dimension::Energy => ("per kWh", format!("billed per {} Wh", c.step_size)),
                Dimension::Time => ("per hour charging", format!("billed per {} s", c.step_size)),
                Dimension::ParkingTime => ("per hour connected, not charging", format!("billed per {} s", c.step_size)),
                Dimension::Flat => ("per session", String::new()),
            };
            let step = if c.step_size > 1 && !step.is_empty() { format!(", {step}") } else { String::new() };
            out.push(format!("{} {unit}{when}{step}", with_vat(c.price.value(), s)));
        }
    }
    if let Some(f) = body.idle_fee {
        let cap = f.cap.map(|c| format!(", at most {}", with_vat(c.value(), s))).unwrap_or_default();
        out.push(format!(
            "idle fee {} per hour once charging has ended, after {} min{cap}",
            with_vat(f.price_per_hour.value(), s),
            f.grace_secs / 60
        ));
    }
    if let Some(p) = body.min_price {
        out.push(format!("minimum {} per session", with_vat(p.value(), s)));
    }
    if let Some(p) = body.max_price {
        out.push(format!("maximum {} per session", with_vat(p.value(), s)));
    }
    if out.is_empty() {
        out.push("free".into());
    }
    out
}

/// A new tariff, or a new version of one.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TariffInput {
    pub name: String,
    /// RFC 3339; default now. A new version of a tariff cannot be valid from the past.
    pub valid_from: Option<String>,
    /// The OCPI-shaped tariff; see docs/tariffs.md.
    #[schema(value_type = Object)]
    pub tariff: TariffDoc,
}

fn new_tariff(caller: &Caller, id: Option<i64>, input: TariffInput) -> ApiResult<NewTariff> {
    let name = input.name.trim().to_string();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(ApiError::invalid("name", "must be 1 to 100 characters"));
    }
    let body = input.tariff.body().map_err(|e| ApiError::invalid(format!("tariff.{}", e.field), e.reason))?;
    let now = Utc::now();
    let valid_from = params::time("valid_from", input.valid_from.as_deref())?.unwrap_or(now);
    // A change never reaches back: sessions that started before it keep the version they started under. A
    // new tariff may be valid from the past (nothing was priced by it yet; e.g. sessions still to be priced).
    if id.is_some() && valid_from < now - chrono::Duration::minutes(1) {
        return Err(ApiError::invalid(
            "valid_from",
            "a new version cannot be valid from the past: changes apply to new sessions only",
        ));
    }
    Ok(NewTariff {
        operator_id: caller.operator_id,
        tariff_id: id,
        name,
        valid_from,
        body,
        by: caller.requested_by(),
        at: now,
    })
}

/// The operator's tariffs, each in its newest version.
#[utoipa::path(get, path = "/api/v1/tariffs", tag = "billing",
    responses((status = 200, body = Vec<TariffView>), (status = 401, body = Problem)))]
pub async fn list_tariffs(State(state): State<ApiState>, caller: Caller) -> ApiResult<Json<Vec<TariffView>>> {
    caller.require(Role::Viewer)?;
    let store = state.app.store();
    let settings = store.billing_settings(caller.operator_id).await?;
    Ok(Json(store.tariffs(caller.operator_id).await?.iter().map(|v| view(v, &settings)).collect()))
}

/// Creates a tariff (admin). A field that does not hold is a 400 naming it (`tariff.elements[0].price_components[0].price`).
#[utoipa::path(post, path = "/api/v1/tariffs", tag = "billing", request_body = TariffInput,
    responses((status = 201, body = TariffView), (status = 400, body = Problem), (status = 403, body = Problem)))]
pub async fn create_tariff(
    State(state): State<ApiState>,
    caller: Caller,
    Body(input): Body<TariffInput>,
) -> ApiResult<(StatusCode, Json<TariffView>)> {
    caller.require(Role::Admin)?;
    let store = state.app.store();
    let created = store.create_tariff(&new_tariff(&caller, None, input)?).await?;
    let settings = store.billing_settings(caller.operator_id).await?;
    let v = view(&created, &settings);
    audit_by(
        &state,
        &caller,
        "tariff.create",
        format!("tariff:{}", created.tariff_id),
        None,
        serde_json::to_value(&v).ok(),
    )
    .await;
    Ok((StatusCode::CREATED, Json(v)))
}

/// A tariff with every version, oldest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct TariffHistory {
    pub current: TariffView,
    pub versions: Vec<TariffView>,
}

/// A tariff and its versions.
#[utoipa::path(get, path = "/api/v1/tariffs/{tariff_id}", tag = "billing", params(("tariff_id" = i64, Path)),
    responses((status = 200, body = TariffHistory), (status = 404, body = Problem)))]
pub async fn get_tariff(
    State(state): State<ApiState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<TariffHistory>> {
    caller.require(Role::Viewer)?;
    let store = state.app.store();
    let settings = store.billing_settings(caller.operator_id).await?;
    let versions: Vec<TariffView> =
        store.tariff_versions(caller.operator_id, id).await?.iter().map(|v| view(v, &settings)).collect();
    let Some(last) = store.tariff_versions(caller.operator_id, id).await?.pop() else {
        return Err(ApiError::not_found(format!("no tariff {id}")));
    };
    Ok(Json(TariffHistory { current: view(&last, &settings), versions }))
}

/// Changes a tariff (admin): stores a new version. Sessions already started keep the version in force at
/// their start.
#[utoipa::path(put, path = "/api/v1/tariffs/{tariff_id}", tag = "billing", params(("tariff_id" = i64, Path)),
    request_body = TariffInput,
    responses((status = 200, body = TariffView), (status = 400, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
pub async fn update_tariff(
    State(state): State<ApiState>,
    caller: Caller,
    Path(id): Path<i64>,
    Body(input): Body<TariffInput>,
) -> ApiResult<Json<TariffView>> {
    caller.require(Role::Admin)?;
    let store = state.app.store();
    let created = store.create_tariff(&new_tariff(&caller, Some(id), input)?).await?;
    let settings = store.billing_settings(caller.operator_id).await?;
    let v = view(&created, &settings);
    audit_by(&state, &caller, "tariff.version", format!("tariff:{id}"), None, serde_json::to_value(&v).ok()).await;
    Ok(Json(v))
}

// ----- assignments -----

/// What a tariff is assigned to: nothing (the operator's default), a station, a station's connector, or a
/// group (optionally at one station).
#[derive(Debug, Serialize, Deserialize, ToSchema, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TargetParams {
    pub station: Option<String>,
    pub connector: Option<u32>,
    pub group: Option<i64>,
}

fn target(p: &TargetParams) -> ApiResult<TariffTarget> {
    let t = TariffTarget {
        station: p.station.as_deref().map(|s| station_param("station", s)).transpose()?,
        connector: p.connector,
        group: p.group,
    };
    if p.group.is_some_and(|g| g < 1) {
        return Err(ApiError::invalid("group", "must be a group id (1 or more)"));
    }
    t.validate().map_err(|e| match &e {
        joule_core::DomainError::Invalid { what, .. } => ApiError::invalid(*what, e.to_string()),
    })?;
    Ok(t)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AssignmentView {
    pub station: Option<String>,
    pub connector: Option<u32>,
    pub group: Option<i64>,
    pub tariff_id: i64,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignInput {
    pub station: Option<String>,
    pub connector: Option<u32>,
    pub group: Option<i64>,
    pub tariff_id: i64,
}

/// The operator's tariff assignments.
#[utoipa::path(get, path = "/api/v1/tariff-assignments", tag = "billing",
    responses((status = 200, body = Vec<AssignmentView>), (status = 401, body = Problem)))]
pub async fn list_assignments(State(state): State<ApiState>, caller: Caller) -> ApiResult<Json<Vec<AssignmentView>>> {
    caller.require(Role::Viewer)?;
    let rows = state.app.store().tariff_assignments(caller.operator_id).await?;
    Ok(Json(
        rows.into_iter()
            .map(|a| AssignmentView {
                station: a.target.station.map(|s| s.to_string()),
                connector: a.target.connector,
                group: a.target.group,
                tariff_id: a.tariff_id,
                updated_at: a.updated_at,
            })
            .collect(),
    ))
}

/// Assigns a tariff (admin), replacing what was assigned to the same target.
#[utoipa::path(put, path = "/api/v1/tariff-assignments", tag = "billing", request_body = AssignInput,
    responses((status = 204), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn assign(
    State(state): State<ApiState>,
    caller: Caller,
    Body(b): Body<AssignInput>,
) -> ApiResult<StatusCode> {
    caller.require(Role::Admin)?;
    let p = TargetParams { station: b.station, connector: b.connector, group: b.group };
    let t = target(&p)?;
    state.app.store().set_tariff_assignment(caller.operator_id, &t, Some(b.tariff_id), Utc::now()).await?;
    audit_by(&state, &caller, "tariff.assign", format!("tariff:{}", b.tariff_id), None, serde_json::to_value(&p).ok())
        .await;
    Ok(StatusCode::NO_CONTENT)
}

/// Removes the assignment of a target (admin).
#[utoipa::path(delete, path = "/api/v1/tariff-assignments", tag = "billing", params(TargetParams),
    responses((status = 204), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn unassign(
    State(state): State<ApiState>,
    caller: Caller,
    Query(p): Query<TargetParams>,
) -> ApiResult<StatusCode> {
    caller.require(Role::Admin)?;
    let t = target(&p)?;
    state.app.store().set_tariff_assignment(caller.operator_id, &t, None, Utc::now()).await?;
    audit_by(&state, &caller, "tariff.unassign", "tariff-assignment".into(), serde_json::to_value(&p).ok(), None).await;
    Ok(StatusCode::NO_CONTENT)
}

// ----- billing settings -----

/// The operator's billing settings (defaults until an admin changes them: CHF, 8.1 % VAT, time up to the
/// minute, energy per Wh, cents half up, free below 200 Wh or 120 s, UTC).
#[utoipa::path(get, path = "/api/v1/operators/{operator_id}/billing", tag = "billing",
    params(("operator_id" = i64, Path)),
    responses((status = 200, body = Object), (status = 404, body = Problem)))]
pub async fn get_billing(
    State(state): State<ApiState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<SettingsDoc>> {
    let id = own(&caller, id)?;
    caller.require(Role::Viewer)?;
    Ok(Json(SettingsDoc::from_settings(&state.app.store().billing_settings(id).await?)))
}

/// Replaces the operator's billing settings (admin); every field is required. A bad value is a 400 naming
/// the field.
#[utoipa::path(put, path = "/api/v1/operators/{operator_id}/billing", tag = "billing",
    params(("operator_id" = i64, Path)), request_body = Object,
    responses((status = 200, body = Object), (status = 400, body = Problem), (status = 403, body = Problem)))]
pub async fn put_billing(
    State(state): State<ApiState>,
    caller: Caller,
    Path(id): Path<i64>,
    Body(doc): Body<SettingsDoc>,
) -> ApiResult<Json<SettingsDoc>> {
    let id = own(&caller, id)?;
    caller.require(Role::Admin)?;
    let settings = doc.settings().map_err(|e| ApiError::invalid(e.field, e.reason))?;
    let store = state.app.store();
    let before = SettingsDoc::from_settings(&store.billing_settings(id).await?);
    store.set_billing_settings(id, &settings, Utc::now()).await?;
    let after = SettingsDoc::from_settings(&settings);
    audit_by(
        &state,
        &caller,
        "operator.billing",
        format!("operator:{id}"),
        serde_json::to_value(&before).ok(),
        serde_json::to_value(&after).ok(),
    )
    .await;
    Ok(Json(after))
}

// ----- the price before a session -----

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PriceQuery {
    /// The connector (default 1).
    pub connector: Option<u32>,
    /// The driver's token; its groups' tariffs apply (the cheaper of several at stop).
    pub id_tag: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PriceView {
    pub station: String,
    pub connector: u32,
    pub currency: String,
    pub vat_rate: String,
    pub time_zone: String,
    /// Empty: no tariff applies and sessions are free. Several: the driver's groups have several tariffs;
    /// the cheaper for the session applies at stop.
    pub tariffs: Vec<TariffView>,
    pub free_below_wh: u32,
    pub free_below_secs: u32,
}

/// The price that applies to a session started now.
#[utoipa::path(get, path = "/api/v1/stations/{station_id}/price", tag = "billing",
    params(("station_id" = String, Path), PriceQuery),
    responses((status = 200, body = PriceView), (status = 400, body = Problem), (status = 404, body = Problem)))]
pub async fn price(
    State(state): State<ApiState>,
    caller: Caller,
    Path(station): Path<String>,
    Query(q): Query<PriceQuery>,
) -> ApiResult<Json<PriceView>> {
    caller.require(Role::Viewer)?;
    let id = station_param("station_id", &station)?;
    let store = state.app.store();
    match store.station(&id).await? {
        Some(s) if s.operator_id == caller.operator_id => {}
        _ => return Err(ApiError::not_found(format!("no station {station}"))),
    }
    let tag = q
        .id_tag
        .as_deref()
        .map(|t| IdTag::parse(t).map_err(|e| ApiError::invalid("id_tag", e.to_string())))
        .transpose()?;
    let connector = q.connector.unwrap_or(1);
    if connector == 0 {
        return Err(ApiError::invalid("connector", "connectors are numbered from 1"));
    }
    let settings = store.billing_settings(caller.operator_id).await?;
    let tz = joule_app::billing::zone::station_zone(&**store, &id, caller.operator_id).await?.tz;
    let tariffs =
        joule_app::billing::applicable_tariffs(&**store, caller.operator_id, &id, connector, tag.as_ref(), Utc::now())
            .await?;
    Ok(Json(PriceView {
        station: id.to_string(),
        connector,
        currency: settings.currency.to_string(),
        vat_rate: settings.vat.value().to_string(),
        time_zone: tz.name().to_string(),
        tariffs: tariffs.iter().map(|v| view(v, &settings)).collect(),
        free_below_wh: settings.free_below_wh,
        free_below_secs: settings.free_below_secs,
    }))
}

// ----- session costs -----

#[derive(Debug, Serialize, ToSchema)]
pub struct CostView {
    pub transaction_id: i64,
    pub tariff_id: Option<i64>,
    pub tariff_version: Option<i64>,
    #[serde(flatten)]
    pub amounts: AmountsView,
    pub energy_wh: i64,
    pub duration_secs: i64,
    pub free: bool,
    /// no_tariff, free_tariff or below_threshold.
    pub free_reason: Option<String>,
    pub computed_at: DateTime<Utc>,
}

/// A price's amounts, as every answer with a cost shows them (a session's cost, a tariff preview): decimal
/// strings in the currency's minor units (DESIGN rule 4).
#[derive(Debug, Serialize, ToSchema)]
pub struct AmountsView {
    pub currency: String,
    #[schema(value_type = Vec<Object>)]
    pub items: Vec<ItemDoc>,
    pub subtotal: String,
    pub adjustment: String,
    pub net: String,
    pub vat_rate: String,
    pub vat: String,
    pub total: String,
}

impl AmountsView {
    /// The engine's price of an example (the tariff preview).
    pub fn priced(c: &joule_core::tariff::Cost) -> AmountsView {
        AmountsView {
            currency: c.currency.to_string(),
            items: c.items.iter().map(ItemDoc::from_item).collect(),
            subtotal: c.subtotal.to_string(),
            adjustment: c.adjustment.to_string(),
            net: c.net.to_string(),
            vat_rate: c.vat_rate.value().to_string(),
            vat: c.vat.to_string(),
            total: c.total.to_string(),
        }
    }

    /// A session's stored cost.
    pub fn of(c: &SessionCost) -> AmountsView {
        AmountsView {
            currency: c.currency.to_string(),
            items: c.items.iter().map(ItemDoc::from_item).collect(),
            subtotal: c.subtotal.to_string(),
            adjustment: c.adjustment.to_string(),
            net: c.net.to_string(),
            vat_rate: c.vat_rate.to_string(),
            vat: c.vat.to_string(),
            total: c.total.to_string(),
        }
    }
}

impl From<&SessionCost> for CostView {
    fn from(c: &SessionCost) -> CostView {
        CostView {
            transaction_id: c.transaction_id.0,
            tariff_id: c.tariff.map(|t| t.0),
            tariff_version: c.tariff.map(|t| t.1),
            amounts: AmountsView::of(c),
            energy_wh: c.energy_wh,
            duration_secs: c.duration_secs,
            free: c.free.is_some(),
            free_reason: c.free.map(|f| f.as_str().to_string()),
            computed_at: c.computed_at,
        }
    }
}

async fn own_session(state: &ApiState, caller: &Caller, id: i64) -> ApiResult<joule_core::session::Session> {
    match state.app.store().session(SessionId(id)).await? {
        Some(s) if s.operator_id == caller.operator_id => Ok(s),
        _ => Err(ApiError::not_found(format!("no session {id}"))),
    }
}

/// A session's itemised cost. 404 while the session is active or not priced yet.
#[utoipa::path(get, path = "/api/v1/sessions/{transaction_id}/cost", tag = "billing",
    params(("transaction_id" = i64, Path)),
    responses((status = 200, body = CostView), (status = 404, body = Problem)))]
pub async fn cost(State(state): State<ApiState>, caller: Caller, Path(id): Path<i64>) -> ApiResult<Json<CostView>> {
    caller.require(Role::Viewer)?;
    let session = own_session(&state, &caller, id).await?;
    match state.app.store().session_cost(session.id).await? {
        Some(c) => Ok(Json((&c).into())),
        None if session.stopped_at.is_none() => {
            Err(ApiError::not_found(format!("session {id} is active: it is priced when it stops")))
        }
        None => Err(ApiError::not_found(format!("session {id} has no cost yet; it is priced shortly after its stop"))),
    }
}

/// Prices a completed session again (operator role) by the tariff version in force at its start and the
/// settings as they are now, and replaces its cost.
#[utoipa::path(post, path = "/api/v1/sessions/{transaction_id}/cost/recompute", tag = "billing",
    params(("transaction_id" = i64, Path)),
    responses((status = 200, body = CostView), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem)))]
pub async fn recompute(
    State(state): State<ApiState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<CostView>> {
    caller.require(Role::Operator)?;
    let session = own_session(&state, &caller, id).await?;
    if session.stopped_at.is_none() {
        return Err(ApiError::new(
            crate::error::Kind::Conflict,
            format!("session {id} is active: it is priced when it stops"),
        ));
    }
    let store = state.app.store();
    let before = store.session_cost(session.id).await?.map(|c| CostView::from(&c));
    let cost = joule_app::billing::price_session(&**store, session.id, Utc::now()).await.map_err(|e| match e {
        joule_app::billing::PricingError::Store(s) => ApiError::from(s),
        other => ApiError::new(crate::error::Kind::Conflict, other.to_string()),
    })?;
    let after = CostView::from(&cost);
    audit_by(
        &state,
        &caller,
        "session.cost.recompute",
        format!("session:{id}"),
        before.and_then(|b| serde_json::to_value(b).ok()),
        serde_json::to_value(&after).ok(),
    )
    .await;
    Ok(Json(after))
}

// ----- reports -----

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// Sessions started at or after this instant (RFC 3339, or a date: its start, UTC).
    pub from: String,
    /// Sessions started before this instant.
    pub to: String,
    pub station: Option<String>,
    /// Only the sessions of this driver (by name).
    pub driver: Option<String>,
    pub id_tag: Option<String>,
    /// csv (default) or json.
    pub format: Option<String>,
}

/// The columns of the session report CSV, in order (documented in docs/tariffs.md).
pub const REPORT_COLUMNS: [&str; 20] = [
    "session_id",
    "station",
    "connector",
    "id_tag",
    "driver",
    "start_utc",
    "stop_utc",
    "start_local",
    "stop_local",
    "time_zone",
    "energy_wh",
    "duration_secs",
    "tariff_id",
    "tariff_version",
    "net",
    "vat",
    "total",
    "currency",
    "free",
    "free_reason",
];

#[derive(Debug, Serialize, ToSchema)]
pub struct ReportLine {
    pub session_id: i64,
    pub station: String,
    pub connector: u32,
    pub id_tag: String,
    pub driver: Option<String>,
    pub start_utc: DateTime<Utc>,
    pub stop_utc: Option<DateTime<Utc>>,
    /// Station time, ISO 8601 with its offset.
    pub start_local: String,
    pub stop_local: Option<String>,
    pub time_zone: String,
    pub energy_wh: Option<i64>,
    pub duration_secs: Option<i64>,
    pub tariff_id: Option<i64>,
    pub tariff_version: Option<i64>,
    /// Empty while the session is active or not priced yet.
    pub net: Option<String>,
    pub vat: Option<String>,
    pub total: Option<String>,
    pub currency: Option<String>,
    pub free: Option<bool>,
    pub free_reason: Option<String>,
}

fn line(r: &ReportRow) -> ReportLine {
    let s = &r.session;
    let local = |t: DateTime<Utc>| t.with_timezone(&r.time_zone).format("%Y-%m-%dT%H:%M:%S%:z").to_string();
    let c = r.cost.as_ref();
    ReportLine {
        session_id: s.id.0,
        station: s.station_id.to_string(),
        connector: s.connector_id,
        id_tag: s.id_tag.to_string(),
        driver: r.driver.clone(),
        start_utc: s.started_at,
        stop_utc: s.stopped_at,
        start_local: local(s.started_at),
        stop_local: s.stopped_at.map(local),
        time_zone: r.time_zone.name().to_string(),
        energy_wh: s.energy_wh(),
        duration_secs: s.stopped_at.map(|t| (t - s.started_at).num_seconds()),
        tariff_id: c.and_then(|c| c.tariff.map(|t| t.0)),
        tariff_version: c.and_then(|c| c.tariff.map(|t| t.1)),
        net: c.map(|c| c.net.to_string()),
        vat: c.map(|c| c.vat.to_string()),
        total: c.map(|c| c.total.to_string()),
        currency: c.map(|c| c.currency.to_string()),
        free: c.map(|c| c.free.is_some()),
        free_reason: c.and_then(|c| c.free.map(|f| f.as_str().to_string())),
    }
}

/// The report as CSV (RFC 4180, lines ending in CRLF): the `csv` crate's writer quotes a field only when it
/// holds a comma, a quote or a line break, and doubles its quotes.
fn csv(lines: &[ReportLine]) -> Result<Vec<u8>, csv::Error> {
    let mut out = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    out.write_record(REPORT_COLUMNS)?;
    let o = |v: &Option<String>| v.clone().unwrap_or_default();
    for l in lines {
        out.write_record([
            l.session_id.to_string(),
            l.station.clone(),
            l.connector.to_string(),
            l.id_tag.clone(),
            o(&l.driver),
            l.start_utc.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            l.stop_utc.map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string()).unwrap_or_default(),
            l.start_local.clone(),
            o(&l.stop_local),
            l.time_zone.clone(),
            l.energy_wh.map(|v| v.to_string()).unwrap_or_default(),
            l.duration_secs.map(|v| v.to_string()).unwrap_or_default(),
            l.tariff_id.map(|v| v.to_string()).unwrap_or_default(),
            l.tariff_version.map(|v| v.to_string()).unwrap_or_default(),
            o(&l.net),
            o(&l.vat),
            o(&l.total),
            o(&l.currency),
            l.free.map(|v| v.to_string()).unwrap_or_default(),
            o(&l.free_reason),
        ])?;
    }
    out.into_inner().map_err(|e| e.into_error().into())
}

async fn report_rows(state: &ApiState, caller: &Caller, q: &ReportQuery) -> ApiResult<Vec<ReportRow>> {
    let from = params::time("from", Some(&q.from))?.expect("given");
    let to = params::time("to", Some(&q.to))?.expect("given");
    if to <= from {
        return Err(ApiError::invalid("to", "must be after from"));
    }
    let tag = q.id_tag.as_deref();
    let filter = ReportFilter {
        operator: caller.operator_id,
        from,
        to,
        station: q.station.as_deref().map(|s| station_param("station", s)).transpose()?,
        id_tag: tag.map(|t| IdTag::parse(t).map_err(|e| ApiError::invalid("id_tag", e.to_string()))).transpose()?,
    };
    let (mut rows, truncated) = joule_app::billing::report(&**state.app.store(), &filter).await?;
    if let Some(driver) = q.driver.as_deref() {
        rows.retain(|r| r.driver.as_deref() == Some(driver));
    }
    if truncated {
        return Err(ApiError::invalid(
            "from",
            format!(
                "the period holds more than {} sessions; ask for a shorter one",
                joule_app::billing::MAX_REPORT_SESSIONS
            ),
        ));
    }
    Ok(rows)
}

/// Sessions started in `from..to`, with their cost: CSV (the documented columns) or JSON.
#[utoipa::path(get, path = "/api/v1/operators/{operator_id}/sessions/report", tag = "billing",
    params(("operator_id" = i64, Path), ReportQuery),
    responses((status = 200, description = "text/csv, or JSON lines with format=json", body = Vec<ReportLine>),
        (status = 400, body = Problem), (status = 404, body = Problem)))]
pub async fn report(
    State(state): State<ApiState>,
    caller: Caller,
    Path(id): Path<i64>,
    Query(q): Query<ReportQuery>,
) -> ApiResult<Response> {
    own(&caller, id)?;
    caller.require(Role::Viewer)?;
    let format = q.format.as_deref().unwrap_or("csv");
    if !matches!(format, "csv" | "json") {
        return Err(ApiError::invalid("format", "must be csv or json"));
    }
    let lines: Vec<ReportLine> = report_rows(&state, &caller, &q).await?.iter().map(line).collect();
    if format == "json" {
        return Ok(Json(lines).into_response());
    }
    let text = csv(&lines).map_err(|e| ApiError::new(Kind::Internal, format!("writing the report: {e}")))?;
    Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], text).into_response())
}

// ----- statements -----

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct StatementQuery {
    /// YYYY-MM, in the operator's billing time zone.
    pub month: String,
    /// driver (default) or group.
    pub by: Option<String>,
}

#[derive(Debug, Serialize, ToSchema, Default, Clone)]
pub struct StatementTotals {
    pub sessions: u64,
    pub charged_sessions: u64,
    pub free_sessions: u64,
    /// Sessions without a cost yet (active, or not priced yet); not in the amounts.
    pub unpriced_sessions: u64,
    pub energy_wh: i64,
    pub net: String,
    pub vat: String,
    pub total: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StatementLine {
    /// The driver's name ("tag X" for a token without a driver) or the group's name ("none": no group).
    pub key: String,
    #[serde(flatten)]
    pub totals: StatementTotals,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Statement {
    pub month: String,
    pub by: String,
    pub currency: String,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub lines: Vec<StatementLine>,
    pub totals: StatementTotals,
}

#[derive(Default)]
struct Sum {
    sessions: u64,
    charged: u64,
    free: u64,
    unpriced: u64,
    energy_wh: i64,
    net: Decimal,
    vat: Decimal,
    total: Decimal,
}

impl Sum {
    fn add(&mut self, r: &ReportRow) {
        self.sessions += 1;
        self.energy_wh += r.session.energy_wh().unwrap_or(0);
        match &r.cost {
            None => self.unpriced += 1,
            Some(c) => {
                if c.free.is_some() {
                    self.free += 1
                } else {
                    self.charged += 1
                }
                self.net += c.net;
                self.vat += c.vat;
                self.total += c.total;
            }
        }
    }

    fn totals(&self) -> StatementTotals {
        StatementTotals {
            sessions: self.sessions,
            charged_sessions: self.charged,
            free_sessions: self.free,
            unpriced_sessions: self.unpriced,
            energy_wh: self.energy_wh,
            net: self.net.to_string(),
            vat: self.vat.to_string(),
            total: self.total.to_string(),
        }
    }
}

/// The month's bounds in `tz`: local midnight of its first day to local midnight of the next month's.
fn month_bounds(month: &str, tz: Tz) -> ApiResult<(DateTime<Utc>, DateTime<Utc>)> {
    let bad = || ApiError::invalid("month", format!("`{month}` is not a month YYYY-MM"));
    let first = NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").map_err(|_| bad())?;
    if month.len() != 7 {
        return Err(bad());
    }
    let next = if first.month() == 12 {
        NaiveDate::from_ymd_opt(first.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(first.year(), first.month() + 1, 1)
    }
    .ok_or_else(bad)?;
    // Midnight exists in every IANA zone on the 1st except in a few historic changes: take the earliest.
    let at = |d: NaiveDate| {
        tz.from_local_datetime(&d.and_hms_opt(0, 0, 0).expect("midnight"))
            .earliest()
            .map(|t| t.with_timezone(&Utc))
            .ok_or_else(bad)
    };
    Ok((at(first)?, at(next)?))
}

/// A month's totals per driver or per group, and for the whole operator. Amounts are the stored costs
/// (free sessions count with zero); sessions are in the month by their start in the operator's time zone.
#[utoipa::path(get, path = "/api/v1/operators/{operator_id}/statements", tag = "billing",
    params(("operator_id" = i64, Path), StatementQuery),
    responses((status = 200, body = Statement), (status = 400, body = Problem), (status = 404, body = Problem)))]
pub async fn statements(
    State(state): State<ApiState>,
    caller: Caller,
    Path(id): Path<i64>,
    Query(q): Query<StatementQuery>,
) -> ApiResult<Json<Statement>> {
    let operator = own(&caller, id)?;
    caller.require(Role::Viewer)?;
    let by = q.by.as_deref().unwrap_or("driver");
    if !matches!(by, "driver" | "group") {
        return Err(ApiError::invalid("by", "must be driver or group"));
    }
    let settings = state.app.store().billing_settings(operator).await?;
    let (from, to) = month_bounds(&q.month, settings.time_zone)?;
    let rq = ReportQuery {
        from: from.to_rfc3339(),
        to: to.to_rfc3339(),
        station: None,
        driver: None,
        id_tag: None,
        format: None,
    };
    let rows = report_rows(&state, &caller, &rq).await?;
    let group_names: BTreeMap<i64, String> = state
        .app
        .store()
        .groups(operator)
        .await?
        .into_iter()
        .map(|g| (g.group.id.0, g.group.name.as_str().to_string()))
        .collect();
    let mut groups: BTreeMap<String, Sum> = BTreeMap::new();
    let mut all = Sum::default();
    for r in &rows {
        // By driver: the driver's name, or the id tag for a token without a driver. By group: a session
        // counts in each group its driver is in (so group lines can add up to more than the total), or in
        // "none".
        let keys: Vec<String> = match by {
            "driver" => vec![r.driver.clone().unwrap_or_else(|| format!("tag {}", r.session.id_tag))],
            _ if r.groups.is_empty() => vec!["none".to_string()],
            _ => r.groups.iter().map(|g| group_names.get(g).cloned().unwrap_or_else(|| format!("group {g}"))).collect(),
        };
        for key in keys {
            groups.entry(key).or_default().add(r);
        }
        all.add(r);
    }
    let mut month = String::new();
    let _ = write!(month, "{}", q.month);
    Ok(Json(Statement {
        month,
        by: by.to_string(),
        currency: settings.currency.to_string(),
        from,
        to,
        lines: groups.into_iter().map(|(key, s)| StatementLine { key, totals: s.totals() }).collect(),
        totals: all.totals(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_report_csv_quotes_only_what_needs_it() {
        let t = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        let line = |driver: Option<&str>, stop: bool| ReportLine {
            session_id: 7,
            station: "CP-1".into(),
            connector: 2,
            id_tag: "CARD-1".into(),
            driver: driver.map(str::to_owned),
            start_utc: t("2026-11-20T08:00:00Z"),
            stop_utc: stop.then(|| t("2026-11-20T09:00:30Z")),
            start_local: "2026-11-20T09:00:00+01:00".into(),
            stop_local: stop.then(|| "2026-11-20T10:00:30+01:00".into()),
            time_zone: "Europe/Zurich".into(),
            energy_wh: Some(10_000),
            duration_secs: stop.then_some(3630),
            tariff_id: Some(3),
            tariff_version: Some(1),
            net: Some("3.00".into()),
            vat: Some("0.24".into()),
            total: Some("3.24".into()),
            currency: Some("CHF".into()),
            free: Some(false),
            free_reason: None,
        };
        let text = csv(&[line(Some("M\u{fc}ller, \"Max\"\nfleet"), true), line(None, false)]).unwrap();
        assert_eq!(
            String::from_utf8(text).unwrap(),
            "session_id,station,connector,id_tag,driver,start_utc,stop_utc,start_local,stop_local,time_zone,energy_wh,\
             duration_secs,tariff_id,tariff_version,net,vat,total,currency,free,free_reason\r\n\
             7,CP-1,2,CARD-1,\"M\u{fc}ller, \"\"Max\"\"\nfleet\",2026-11-20T08:00:00Z,2026-11-20T09:00:30Z,\
             2026-11-20T09:00:00+01:00,2026-11-20T10:00:30+01:00,Europe/Zurich,10000,3630,3,1,3.00,0.24,3.24,CHF,false,\r\n\
             7,CP-1,2,CARD-1,,2026-11-20T08:00:00Z,,2026-11-20T09:00:00+01:00,,Europe/Zurich,10000,,3,1,3.00,0.24,3.24,\
             CHF,false,\r\n"
        );
    }
}
