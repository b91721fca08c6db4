//! A tariff's preview (the tariff editor: "a 22 kWh, 3-hour session starting Monday 17:00 costs …"):
//! an example session priced by the same engine as real ones, under the operator's billing settings, before
//! the tariff is saved or for a saved one.
//!
//! The example's energy flows evenly while the car charges (from the start, for `charging_minutes`); the rest
//! of the session is parking, connected, and the idle fee counts from the end of charging. It is cut into
//! quarter hours so that a time-of-day window splits it where a real session's meter values would.

use axum::Json;
use axum::extract::State;
use chrono::{DateTime, Datelike, Duration, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use joule_app::billing::TariffDoc;
use joule_core::Role;
use joule_core::tariff::Decimal;
use joule_core::tariff::{Usage, UsagePeriod, price};

use super::billing::AmountsView;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::ApiState;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::Body;

/// The longest example session (a week).
const MAX_MINUTES: u32 = 7 * 24 * 60;
/// The most energy an example may draw.
const MAX_KWH: u32 = 10_000;
/// The example's periods.
const STEP_MINUTES: i64 = 15;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PreviewRequest {
    /// A tariff document to try before saving it (the shape `POST /api/v1/tariffs` takes under `tariff`).
    #[schema(value_type = Option<Object>)]
    pub tariff: Option<TariffDoc>,
    /// Or a saved tariff of the operator (its newest version).
    pub tariff_id: Option<i64>,
    /// Energy the session draws, in kWh (a decimal string or number, e.g. "22" or 7.5).
    #[schema(value_type = String)]
    pub energy_kwh: serde_json::Value,
    /// The local start, `YYYY-MM-DDTHH:MM`, in `time_zone`.
    pub start: String,
    pub duration_minutes: u32,
    /// Of those, the minutes the car charges from the start (default: all of them); the rest is parking.
    pub charging_minutes: Option<u32>,
    /// IANA zone of `start` and of the tariff's windows; default: the operator's billing time zone.
    pub time_zone: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PreviewView {
    /// "A 22 kWh, 3-hour session starting Monday 17:00 costs 10.70 CHF incl. 8.1 % VAT."
    pub sentence: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub time_zone: String,
    /// The engine's amounts; `total` is zero when the session would be free.
    #[serde(flatten)]
    pub amounts: AmountsView,
    /// The session would be free: `below_threshold` (the operator's free thresholds) or `free_tariff`.
    pub free_reason: Option<String>,
}

fn energy(value: &serde_json::Value) -> ApiResult<Decimal> {
    let text = match value {
        serde_json::Value::String(s) => s.trim().to_string(),
        serde_json::Value::Number(n) => n.to_string(),
        _ => return Err(ApiError::invalid("energy_kwh", "give the energy in kWh as a number or a decimal string")),
    };
    let kwh: Decimal =
        text.parse().map_err(|_| ApiError::invalid("energy_kwh", format!("{text:?} is not a number")))?;
    if kwh < Decimal::ZERO || kwh > Decimal::from(MAX_KWH) {
        return Err(ApiError::invalid("energy_kwh", format!("must be between 0 and {MAX_KWH} kWh")));
    }
    Ok(kwh)
}

fn local_start(text: &str, tz: Tz) -> ApiResult<DateTime<Utc>> {
    let naive = NaiveDateTime::parse_from_str(text.trim(), "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(text.trim(), "%Y-%m-%dT%H:%M:%S"))
        .map_err(|_| ApiError::invalid("start", format!("{text:?} is not a local time YYYY-MM-DDTHH:MM")))?;
    // The earlier of an hour that happens twice (autumn); an hour the clock skips (spring) does not exist.
    let local = tz.from_local_datetime(&naive).earliest().ok_or_else(|| {
        ApiError::invalid("start", format!("{text} does not exist in {} (the clock skips it)", tz.name()))
    })?;
    Ok(local.with_timezone(&Utc))
}

/// The example session's usage: energy evenly over the charging minutes, quarter hour by quarter hour.
fn example(start: DateTime<Utc>, minutes: u32, charging: u32, kwh: Decimal) -> Usage {
    let end = start + Duration::minutes(i64::from(minutes));
    let charge_end = start + Duration::minutes(i64::from(charging));
    let wh = kwh * Decimal::from(1000);
    let mut periods = Vec::new();
    let mut at = start;
    while at < end {
        let boundary = if at < charge_end { charge_end } else { end };
        let next = (at + Duration::minutes(STEP_MINUTES)).min(boundary);
        let charging_here = at < charge_end;
        let share = if charging_here && charging > 0 {
            wh * Decimal::from((next - at).num_seconds()) / Decimal::from(i64::from(charging) * 60)
        } else {
            Decimal::ZERO
        };
        periods.push(UsagePeriod { start: at, end: next, energy_wh: share, charging: charging_here });
        at = next;
    }
    Usage { start, end, periods, charging_ended: (charging < minutes && charging > 0).then_some(charge_end) }
}

fn duration_words(minutes: u32) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m}-minute"),
        (1, 0) => "1-hour".into(),
        (h, 0) => format!("{h}-hour"),
        (h, m) => format!("{h} h {m} min"),
    }
}

/// Prices an example session by a tariff (unsaved or saved) under the operator's billing settings.
#[utoipa::path(post, path = "/api/v1/tariffs/preview", tag = "billing", request_body = PreviewRequest,
    responses((status = 200, body = PreviewView), (status = 400, body = Problem), (status = 404, body = Problem)))]
pub async fn preview(
    State(state): State<ApiState>,
    caller: Caller,
    Body(r): Body<PreviewRequest>,
) -> ApiResult<Json<PreviewView>> {
    caller.require(Role::Viewer)?;
    let actor = caller.actor();
    let settings = state.app.billing().settings(&actor).await?;
    let body = match (&r.tariff, r.tariff_id) {
        (Some(doc), None) => doc.body().map_err(|e| ApiError::invalid(format!("tariff.{}", e.field), e.reason))?,
        (None, Some(id)) => state.app.billing().current_tariff_body(&actor, id).await?,
        _ => return Err(ApiError::invalid("tariff", "give either a tariff document or a tariff_id")),
    };
    let tz: Tz = match r.time_zone.as_deref() {
        Some(name) => name.parse().map_err(|_| ApiError::invalid("time_zone", format!("{name:?} is no IANA zone")))?,
        None => settings.time_zone,
    };
    let kwh = energy(&r.energy_kwh)?;
    if r.duration_minutes == 0 || r.duration_minutes > MAX_MINUTES {
        return Err(ApiError::invalid("duration_minutes", format!("must be 1 to {MAX_MINUTES}")));
    }
    let charging = r.charging_minutes.unwrap_or(r.duration_minutes);
    if charging > r.duration_minutes {
        return Err(ApiError::invalid("charging_minutes", "cannot be longer than the session"));
    }
    if charging == 0 && !kwh.is_zero() {
        return Err(ApiError::invalid("charging_minutes", "energy needs charging minutes"));
    }
    let start = local_start(&r.start, tz)?;
    let usage = example(start, r.duration_minutes, charging, kwh);
    let cost = price(&body.tariff(&settings), tz, &usage).map_err(|e| ApiError::invalid("tariff", e.to_string()))?;
    let energy_wh = (kwh * Decimal::from(1000)).round().try_into().unwrap_or(i64::MAX);
    let free_reason = if settings.below_threshold(energy_wh, i64::from(r.duration_minutes) * 60) {
        Some("below_threshold")
    } else if body.is_free() {
        Some("free_tariff")
    } else {
        None
    };
    let total = if free_reason.is_some() { Decimal::ZERO } else { cost.total };
    let local = start.with_timezone(&tz);
    let sentence = format!(
        "A {} kWh, {} session starting {} {} costs {} {} incl. {} % VAT{}.",
        kwh.normalize(),
        duration_words(r.duration_minutes),
        local.weekday_name(),
        local.format("%H:%M"),
        total,
        cost.currency,
        cost.vat_rate.value().normalize(),
        match free_reason {
            Some("below_threshold") => " (free: below the operator's free thresholds)",
            Some(_) => " (a free tariff)",
            None => "",
        }
    );
    let mut amounts = AmountsView::priced(&cost);
    amounts.total = total.to_string();
    Ok(Json(PreviewView {
        sentence,
        start,
        end: usage.end,
        time_zone: tz.name().to_string(),
        amounts,
        free_reason: free_reason.map(str::to_string),
    }))
}

/// The weekday's English name, for the sentence.
trait WeekdayName {
    fn weekday_name(&self) -> &'static str;
}

impl<T: Datelike> WeekdayName for T {
    fn weekday_name(&self) -> &'static str {
        match self.weekday() {
            chrono::Weekday::Mon => "Monday",
            chrono::Weekday::Tue => "Tuesday",
            chrono::Weekday::Wed => "Wednesday",
            chrono::Weekday::Thu => "Thursday",
            chrono::Weekday::Fri => "Friday",
            chrono::Weekday::Sat => "Saturday",
            chrono::Weekday::Sun => "Sunday",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_spreads_energy_over_the_charging_quarter_hours_and_then_parks() {
        let start = Utc.with_ymd_and_hms(2026, 11, 23, 16, 0, 0).single().unwrap();
        let u = example(start, 100, 40, Decimal::from(10));
        // 40 min charging: 15 + 15 + 10, then 60 min parking: 15 + 15 + 15 + 15.
        let minutes: Vec<i64> = u.periods.iter().map(|p| (p.end - p.start).num_minutes()).collect();
        assert_eq!(minutes, [15, 15, 10, 15, 15, 15, 15]);
        let total: Decimal = u.periods.iter().map(|p| p.energy_wh).sum();
        assert_eq!(total, Decimal::from(10_000));
        assert_eq!(u.periods[0].energy_wh, Decimal::from(3750), "15 of 40 minutes");
        assert!(u.periods[..3].iter().all(|p| p.charging) && u.periods[3..].iter().all(|p| !p.charging));
        assert_eq!(u.charging_ended, Some(start + Duration::minutes(40)));
        assert_eq!(u.end, start + Duration::minutes(100));
        assert_eq!(example(start, 60, 60, Decimal::ONE).charging_ended, None, "charging to the end: no idle");
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration_words(180), "3-hour");
        assert_eq!(duration_words(60), "1-hour");
        assert_eq!(duration_words(45), "45-minute");
        assert_eq!(duration_words(150), "2 h 30 min");
    }

    #[test]
    fn a_local_start_that_the_clock_skips_is_refused() {
        let zurich: Tz = "Europe/Zurich".parse().unwrap();
        assert!(local_start("2026-03-29T02:30", zurich).is_err());
        let autumn = local_start("2026-10-25T02:30", zurich).unwrap();
        assert_eq!(autumn, Utc.with_ymd_and_hms(2026, 10, 25, 0, 30, 0).single().unwrap(), "the first 02:30 (CEST)");
        assert!(local_start("Monday 17:00", zurich).is_err());
    }
}
