//! 15-minute interval energy and live power ("Billing and exports"): a station's intervals for a
//! date range as CSV or JSON, one combined CSV for an operator's stations, and the latest power per
//! connector with the sample interval next to it.
//!
//! Who may read: the operator's staff and tokens (any role), a platform admin, and the station's owner (its
//! own stations only, through the station routes). Someone of the operator who is neither gets a 403; a
//! station of another operator is a 404 like a missing one.

use std::collections::HashSet;

use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, Utc};
use futures_util::StreamExt;
use joule_app::billing::intervals::{self as export, ExportError, ExportJob};
use joule_app::billing::zone::{StationZone, station_zone};
use joule_core::account::AccountRole;
use joule_core::intervals::Interval;
use joule_core::station::Station;
use joule_core::{Role, StationId};
use joule_store::StationFilter;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::ApiState;
use crate::auth::{Caller, Principal};
use crate::error::{ApiError, ApiResult, Kind, Problem};
use crate::extract::Query;

/// The response header naming the time zone the intervals are labelled in.
pub const ZONE_HEADER: &str = "joule-time-zone";
/// The response header saying where that zone came from: `installation` or `default`.
pub const ZONE_SOURCE_HEADER: &str = "joule-time-zone-source";
/// The most stations one operator export takes (name stations with `station=` to export others).
pub const MAX_STATIONS: usize = 10_000;
/// Stations read per page when listing the operator's stations.
const PAGE: u32 = 500;

impl From<ExportError> for ApiError {
    fn from(e: ExportError) -> ApiError {
        match e {
            ExportError::Invalid { field, message } => ApiError::invalid(field, message),
            ExportError::Store(e) => e.into(),
            ExportError::Io(e) => ApiError::new(Kind::Internal, format!("the export failed: {e}")),
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct StationIntervalsQuery {
    /// First local day, `YYYY-MM-DD` (in the station's time zone).
    pub from: String,
    /// Last local day, included, `YYYY-MM-DD`; at most 366 days from `from`.
    pub to: String,
    /// A connector's own meter; without it the station's main meter (connector 0).
    pub connector: Option<u32>,
    /// `csv` (default) or `json`.
    pub format: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct OperatorIntervalsQuery {
    /// First local day, `YYYY-MM-DD` (each station's own time zone).
    pub from: String,
    /// Last local day, included, `YYYY-MM-DD`; at most 366 days from `from`.
    pub to: String,
    /// Comma-separated station ids; without it every station of the operator (at most 10,000).
    pub station: Option<String>,
}

/// One 15-minute interval.
#[derive(Debug, Serialize, ToSchema)]
pub struct IntervalView {
    /// Local start with its offset, e.g. `2026-10-25T02:45:00+02:00`.
    pub start: String,
    /// Local end with its offset (the next interval's start).
    pub end: String,
    pub start_utc: DateTime<Utc>,
    pub end_utc: DateTime<Utc>,
    /// Integer Wh; null when missing.
    pub energy_wh: Option<u64>,
    /// `measured` (clock-aligned readings at both ends), `interpolated` or `missing`.
    pub quality: String,
}

impl From<&Interval> for IntervalView {
    fn from(i: &Interval) -> Self {
        let local = |t: &DateTime<chrono::FixedOffset>| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, false);
        IntervalView {
            start: local(&i.start_local),
            end: local(&i.end_local),
            start_utc: i.start,
            end_utc: i.end,
            energy_wh: i.energy.wh(),
            quality: i.energy.quality().to_string(),
        }
    }
}

/// The latest power of one connector.
#[derive(Debug, Serialize, ToSchema)]
pub struct PowerView {
    /// 0 is the station's main meter.
    pub connector_id: u32,
    /// Active import power, W (Power.Active.Import, normalised from kW where the station sent kW).
    pub watts: f64,
    pub measured_at: DateTime<Utc>,
    /// Seconds between this sample and the one before it on the connector; where there is no earlier one,
    /// the station's MeterValueSampleInterval as last read or set; null when neither is known.
    pub sample_interval_secs: Option<f64>,
    /// `samples`, `configuration`, or null.
    pub sample_interval_source: Option<String>,
    /// Seconds from `measured_at` to now (negative if the station's clock is ahead).
    pub age_secs: f64,
}

fn date(field: &str, value: &str) -> ApiResult<NaiveDate> {
    NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d")
        .map_err(|_| ApiError::invalid(field, format!("{value:?} is not a date; give YYYY-MM-DD")))
}

/// `from` and `to` parsed and checked.
fn range(from: &str, to: &str) -> ApiResult<(NaiveDate, NaiveDate)> {
    let (from, to) = (date("from", from)?, date("to", to)?);
    export::check_range(from, to)?;
    Ok((from, to))
}

/// The station, if the caller may read its energy data (see the module documentation).
async fn readable(state: &ApiState, principal: &Principal, id: &str) -> ApiResult<(StationId, Station)> {
    let id = StationId::parse(id).map_err(|e| ApiError::invalid("station_id", e.to_string()))?;
    let missing = || ApiError::not_found(format!("no station {id}"));
    let station = state.app.store().station(&id).await?.ok_or_else(missing)?;
    match principal {
        Principal::Token(t) if t.operator_id == station.operator_id => Ok((id, station)),
        Principal::Token(_) => Err(missing()),
        Principal::Person { account, .. } => {
            if account.acts_for(station.operator_id)
                || (account.role == AccountRole::Owner && account.is_active() && station.owner_id == Some(account.id))
            {
                Ok((id, station))
            } else if account.operator_id == Some(station.operator_id) {
                Err(ApiError::new(Kind::Forbidden, "a station's energy data is for its owner and the operator's staff"))
            } else {
                Err(missing())
            }
        }
    }
}

fn zone_headers(headers: &mut HeaderMap, zone: &StationZone) {
    headers.insert(ZONE_HEADER, HeaderValue::from_static(zone.tz.name()));
    headers.insert(ZONE_SOURCE_HEADER, HeaderValue::from_static(zone.source.as_str()));
}

/// A streamed CSV download.
fn csv_response(
    mut headers: HeaderMap,
    file_name: &str,
    body: impl futures_util::Stream<Item = Result<Vec<u8>, ExportError>> + Send + 'static,
) -> Response {
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{file_name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    // An error after the first bytes can only end the stream early: the client sees a broken transfer
    // (no final chunk), never a short file that looks complete.
    let body = body.map(|chunk| chunk.map(Bytes::from).map_err(|e| std::io::Error::other(e.to_string())));
    (headers, Body::from_stream(body)).into_response()
}

/// A station's 15-minute interval energy for the local days `from..=to` (the station's time zone: its
/// installation's, else the operator's (`joule_server::zone`); the zone used is in the `Joule-Time-Zone`
/// header, its source in `Joule-Time-Zone-Source`). CSV columns: station_id, connector_id (empty for the
/// main meter), interval_start, interval_end (local time with offset), energy_wh (integer, empty when
/// missing), quality (measured, interpolated, missing). A day has 96 intervals, 92 or 100 on the
/// daylight-saving days. For the operator's staff and tokens and the station's owner.
#[utoipa::path(get, path = "/api/v1/stations/{station_id}/intervals", tag = "stations",
    params(("station_id" = String, Path), StationIntervalsQuery),
    responses((status = 200, description = "CSV (format=csv, the default) or JSON (format=json)",
            content((String = "text/csv"), (Vec<IntervalView> = "application/json"))),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
pub async fn station(
    State(state): State<ApiState>,
    principal: Principal,
    Path(id): Path<String>,
    Query(q): Query<StationIntervalsQuery>,
) -> ApiResult<Response> {
    let (from, to) = range(&q.from, &q.to)?;
    let json = match q.format.as_deref().map(str::trim) {
        None | Some("") | Some("csv") => false,
        Some("json") => true,
        Some(other) => return Err(ApiError::invalid("format", format!("{other:?}: give csv or json"))),
    };
    let (id, station) = readable(&state, &principal, &id).await?;
    let store = state.app.store().clone();
    let zone = station_zone(&*store, &id, station.operator_id).await?;
    let mut headers = HeaderMap::new();
    zone_headers(&mut headers, &zone);
    if json {
        let series = export::station_intervals(&*store, &id, q.connector, zone.tz, from, to).await?;
        let views: Vec<IntervalView> = series.iter().map(IntervalView::from).collect();
        return Ok((headers, Json(views)).into_response());
    }
    let suffix = q.connector.map(|c| format!("_connector-{c}")).unwrap_or_default();
    let file = format!("{id}{suffix}_{from}_{to}.csv");
    let job = ExportJob { station: id, connector: q.connector, tz: zone.tz };
    Ok(csv_response(headers, &file, export::export_csv(store, vec![job], from, to, 1)))
}

/// One CSV for the operator's stations (all, or those named in `station`), station by station in id
/// order (as named), each station's main meter in its own time zone (see the station export for the
/// columns and the zone rule). Streamed; the stations are formatted a few at a time. Any role.
#[utoipa::path(get, path = "/api/v1/operators/{operator_id}/intervals", tag = "operators",
    params(("operator_id" = i64, Path), OperatorIntervalsQuery),
    responses((status = 200, content_type = "text/csv", body = String),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn operator(
    State(state): State<ApiState>,
    caller: Caller,
    Path(operator_id): Path<i64>,
    Query(q): Query<OperatorIntervalsQuery>,
) -> ApiResult<Response> {
    if caller.operator_id.0 != operator_id {
        return Err(ApiError::not_found(format!("no operator {operator_id}")));
    }
    caller.require(Role::Viewer)?;
    let (from, to) = range(&q.from, &q.to)?;
    let store = state.app.store().clone();
    let ids: Vec<StationId> = match q.station.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(list) => {
            let mut seen = HashSet::new();
            let mut ids = Vec::new();
            for part in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                let id = StationId::parse(part).map_err(|e| ApiError::invalid("station", e.to_string()))?;
                match store.station(&id).await? {
                    Some(s) if s.operator_id == caller.operator_id => {}
                    _ => return Err(ApiError::invalid("station", format!("the operator has no station {id}"))),
                }
                if seen.insert(id.clone()) {
                    ids.push(id);
                }
                if ids.len() > MAX_STATIONS {
                    return Err(ApiError::invalid("station", format!("at most {MAX_STATIONS} stations at a time")));
                }
            }
            ids
        }
        None => {
            let mut ids = Vec::new();
            let mut after = None;
            loop {
                let filter = StationFilter {
                    operator_id: Some(caller.operator_id),
                    after: after.clone(),
                    limit: Some(PAGE),
                    ..Default::default()
                };
                let page = store.list_stations(&filter).await?;
                let full = page.len() == PAGE as usize;
                after = page.last().map(|s| s.id.clone());
                ids.extend(page.into_iter().map(|s| s.id));
                if ids.len() > MAX_STATIONS {
                    return Err(ApiError::invalid(
                        "station",
                        format!("the operator has more than {MAX_STATIONS} stations; name them with station="),
                    ));
                }
                if !full {
                    break;
                }
            }
            ids
        }
    };
    let mut jobs = Vec::with_capacity(ids.len());
    for id in ids {
        let zone = station_zone(&*store, &id, caller.operator_id).await?;
        jobs.push(ExportJob { station: id, connector: None, tz: zone.tz });
    }
    let mut headers = HeaderMap::new();
    headers.insert(ZONE_HEADER, HeaderValue::from_static("per-station"));
    let file = format!("operator-{operator_id}_{from}_{to}.csv");
    Ok(csv_response(headers, &file, export::export_csv(store, jobs, from, to, export::PARALLEL)))
}

/// The latest active import power of each connector (0: the station's main meter) from the stored meter
/// values, with when it was measured, the sample interval and its age. For the operator's staff and
/// tokens and the station's owner.
#[utoipa::path(get, path = "/api/v1/stations/{station_id}/power", tag = "stations",
    params(("station_id" = String, Path)),
    responses((status = 200, body = Vec<PowerView>), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
pub async fn power(
    State(state): State<ApiState>,
    principal: Principal,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<PowerView>>> {
    let (id, _) = readable(&state, &principal, &id).await?;
    let store = state.app.store();
    let samples = store.latest_power(&id).await?;
    // MeterValueSampleInterval (OCPP 1.6 §9.1.21): seconds between sampled meter values; 0 means none.
    let configured = store
        .configuration(&id)
        .await?
        .into_iter()
        .find(|k| k.key.eq_ignore_ascii_case("MeterValueSampleInterval"))
        .and_then(|k| k.value)
        .and_then(|v| v.trim().parse::<u32>().ok())
        .filter(|&secs| secs > 0);
    let now = Utc::now();
    Ok(Json(
        samples
            .into_iter()
            .map(|s| {
                let (interval, source) = match (s.previous_at, configured) {
                    (Some(p), _) => (Some((s.at - p).num_milliseconds() as f64 / 1000.0), Some("samples")),
                    (None, Some(secs)) => (Some(f64::from(secs)), Some("configuration")),
                    (None, None) => (None, None),
                };
                PowerView {
                    connector_id: s.connector_id,
                    watts: s.watts,
                    measured_at: s.at,
                    sample_interval_secs: interval,
                    sample_interval_source: source.map(str::to_string),
                    age_secs: (now - s.at).num_milliseconds() as f64 / 1000.0,
                }
            })
            .collect(),
    ))
}
