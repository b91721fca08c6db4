//! `/api/v1/events`: live station events as server-sent events, filtered to the token's operator.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::Stream;
use joule_app::events::{LiveEvent, LiveEventKind};
use joule_core::StationId;
use serde::Deserialize;
use serde_json::{Value, json};
use tokio::sync::broadcast::error::RecvError;
use utoipa::IntoParams;

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, Kind, Problem};
use crate::extract::Query;
use crate::model::SampleView;
use crate::{ApiState, MAX_EVENT_STREAMS};

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct EventQuery {
    /// Only this station's events.
    station: Option<String>,
}

/// A stream of `text/event-stream` events: `connected`, `disconnected`, `booted`, `status`,
/// `session-started`, `session-stopped`, `meter-values`; each `data` is a JSON object with `station_id` and
/// `at`. A client that reads too slowly gets a `lagged` event saying how many it missed. A comment is sent
/// every 15 s to keep proxies from closing the stream. At most 1000 streams are open at once (503 beyond).
#[utoipa::path(get, path = "/api/v1/events", tag = "events", params(EventQuery),
    responses((status = 200, content_type = "text/event-stream", body = String), (status = 401, body = Problem),
        (status = 503, body = Problem)))]
pub async fn stream(
    State(state): State<ApiState>,
    caller: Caller,
    Query(q): Query<EventQuery>,
) -> ApiResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    let station = q
        .station
        .as_deref()
        .map(|s| StationId::parse(s).map_err(|e| ApiError::invalid("station", e.to_string())))
        .transpose()?;
    let permit = state.streams.clone().try_acquire_owned().map_err(|_| {
        ApiError::new(Kind::Unavailable, format!("{MAX_EVENT_STREAMS} event streams are open; retry later"))
    })?;
    let rx = state.app.events().subscribe();
    let operator = caller.operator_id;
    // The permit lives as long as the stream.
    let stream = futures_util::stream::unfold((rx, permit), move |(mut rx, permit)| {
        let station = station.clone();
        async move {
            loop {
                match rx.recv().await {
                    Ok(event) => {
                        if event.operator_id != operator || station.as_ref().is_some_and(|s| s != &event.station_id) {
                            continue;
                        }
                        return Some((Ok(to_sse(&event)), (rx, permit)));
                    }
                    Err(RecvError::Lagged(n)) => {
                        let event = Event::default().event("lagged").data(json!({ "missed": n }).to_string());
                        return Some((Ok(event), (rx, permit)));
                    }
                    Err(RecvError::Closed) => return None,
                }
            }
        }
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}

fn to_sse(event: &Arc<LiveEvent>) -> Event {
    let mut data = match &event.kind {
        LiveEventKind::Connected | LiveEventKind::Disconnected => json!({}),
        LiveEventKind::Booted { registration } => json!({ "registration": format!("{registration:?}") }),
        LiveEventKind::Status(r) => json!({
            "connector_id": r.connector_id,
            "status": r.status.as_str(),
            "state": r.status.state.as_str(),
            "charging_state": r.status.charging.map(|c| c.as_str()),
            "error_code": r.error_code,
            "info": r.info,
            "vendor_error_code": r.vendor_error_code,
            "timestamp": r.timestamp,
        }),
        LiveEventKind::SessionStarted { transaction_id, connector_id, id_tag, meter_start_wh } => json!({
            "transaction_id": transaction_id.0,
            "connector_id": connector_id,
            "id_tag": id_tag.to_string(),
            "meter_start_wh": meter_start_wh,
        }),
        LiveEventKind::SessionStopped { transaction_id, meter_stop_wh, reason } => json!({
            "transaction_id": transaction_id.0,
            "meter_stop_wh": meter_stop_wh,
            "reason": reason,
        }),
        LiveEventKind::MeterValues { connector_id, transaction_id, samples } => {
            let samples: Vec<SampleView> = samples.iter().map(|s| SampleView::new(*connector_id, s.clone())).collect();
            json!({
                "connector_id": connector_id,
                "transaction_id": transaction_id.map(|t| t.0),
                "samples": serde_json::to_value(samples).unwrap_or(Value::Null),
            })
        }
        // --- offline detection ---
        LiveEventKind::OutOfService { silent_since } => json!({ "silent_since": silent_since }),
        LiveEventKind::BackInService { out_of_service_since } => {
            json!({ "out_of_service_since": out_of_service_since })
        }
    };
    data["station_id"] = json!(event.station_id.to_string());
    data["at"] = json!(event.at);
    Event::default().event(event.kind.name()).data(data.to_string())
}
