//! Owners' sessions and energy ("Owner: … sessions and energy of my stations"): the sessions at the
//! calling owner's stations, and their number and energy per station and per day or month.
//!
//! Only an owner's login session may ask (403 otherwise, like `/api/v1/me/stations`); an owner sees the
//! sessions of their own stations only, and a station that is not theirs is a 404 like a missing one, so
//! the answer never reveals whether another owner's station exists. Drivers' id tags are masked: an owner
//! runs the station, but a driver's RFID id is the driver's (it opens other stations too).

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use joule_app::Actor;
use joule_app::billing::OwnerSession;
use joule_core::StationId;
use joule_core::role::Role;
use joule_core::session::Session;
use joule_core::station::Station;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::ApiState;
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::Query;
use crate::params;

/// The longest range `/me/energy` answers, in days (a year, with a leap day).
pub const MAX_DAYS: i64 = 366;
/// Ranges of at most this many days are broken down per day, longer ones per month.
pub const DAILY_UP_TO: i64 = 31;
/// The most sessions of one station `/me/energy` adds up in one answer; more asks for a shorter range.
pub const MAX_SESSIONS_PER_STATION: u32 = 50_000;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OwnerSessionQuery {
    /// Only this station's sessions (one of the owner's; another is a 404).
    station: Option<String>,
    /// Started at or after this instant (RFC 3339, or a date: its start, UTC).
    since: Option<String>,
    /// Started before this instant.
    until: Option<String>,
    /// At most this many (default 100, at most 1000).
    limit: Option<u32>,
}

/// A priced session's cost: what the driver pays, VAT included.
#[derive(Debug, Serialize, ToSchema)]
pub struct OwnerCostView {
    /// Decimal, in `currency`, VAT included.
    pub total: String,
    /// ISO 4217.
    pub currency: String,
}

/// A session at one of the owner's stations.
#[derive(Debug, Serialize, ToSchema)]
pub struct OwnerSessionView {
    pub transaction_id: i64,
    pub station_id: String,
    pub connector_id: u32,
    pub started_at: DateTime<Utc>,
    pub stopped_at: Option<DateTime<Utc>>,
    /// Meter stop minus meter start (null when the meter went backwards); while active, the energy so far
    /// (from the latest register reading).
    pub energy_wh: Option<i64>,
    /// `active` or `completed`.
    pub state: String,
    /// The cost; while active, the cost so far (priced now by the tariff that applies). Null when a completed
    /// session is not priced yet (it is priced a moment after its stop) or an active one cannot be priced.
    pub cost: Option<OwnerCostView>,
    /// The driver's id tag, masked: `••••` and at most its last 4 characters (at most half of them).
    pub id_tag: String,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct EnergyQuery {
    /// First local day, `YYYY-MM-DD` (each station's time zone).
    from: String,
    /// Last local day, included, `YYYY-MM-DD`; at most 366 days from `from`.
    to: String,
}

/// One day or month of a station.
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct PeriodEnergy {
    /// `YYYY-MM-DD` per day, `YYYY-MM` per month (the first and last months hold only the days in range).
    pub period: String,
    /// Sessions started in the period, active ones included.
    pub sessions: u64,
    /// Of those, the completed ones: the energy is theirs.
    pub completed_sessions: u64,
    /// The energy of the completed sessions started in the period, Wh.
    pub energy_wh: i64,
}

/// One of the owner's stations over the range.
#[derive(Debug, Serialize, ToSchema)]
pub struct StationEnergy {
    pub station_id: String,
    /// IANA name of the zone the days are counted in (the installation's, else the operator's).
    pub time_zone: String,
    /// The range's start in UTC: local midnight of `from` in `time_zone`.
    pub since: DateTime<Utc>,
    /// The range's end in UTC (excluded): local midnight of the day after `to`.
    pub until: DateTime<Utc>,
    /// The totals over the range.
    pub sessions: u64,
    pub completed_sessions: u64,
    pub energy_wh: i64,
    /// Every day (or month) of the range, in order, empty ones included.
    pub periods: Vec<PeriodEnergy>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EnergyReport {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// `day` when the range is at most 31 days, else `month`.
    pub granularity: String,
    /// The owner's stations, by id.
    pub stations: Vec<StationEnergy>,
}

/// The caller as an actor; whether it may see an owner's stations is the policy's (an owner's login only).
fn actor(principal: &Principal) -> Actor {
    match principal {
        Principal::Person { account, .. } => Actor::person(account.clone(), None, Role::Viewer),
        Principal::Token(t) => Actor::token(&t.name, t.operator_id, t.role),
    }
}

/// The station named by the `station` parameter.
fn station_id(id: &str) -> ApiResult<StationId> {
    StationId::parse(id).map_err(|e| ApiError::invalid("station", e.to_string()))
}

/// `••••` and the tag's last characters: at most 4, and at most half of the tag, so that a short tag is not
/// shown whole. Enough for an owner to tell cards apart, too little to copy one (a 1.6 idTag is up to 20).
pub fn mask_tag(tag: &str) -> String {
    let chars: Vec<char> = tag.chars().collect();
    let shown = (chars.len() / 2).min(4);
    let tail: String = chars[chars.len() - shown..].iter().collect();
    format!("••••{tail}")
}

fn session_view(o: OwnerSession) -> OwnerSessionView {
    let OwnerSession { session: s, energy_wh, cost } = o;
    OwnerSessionView {
        transaction_id: s.id.0,
        station_id: s.station_id.to_string(),
        connector_id: s.connector_id,
        started_at: s.started_at,
        stopped_at: s.stopped_at,
        energy_wh,
        state: s.state().as_str().to_string(),
        cost: cost.map(|c| OwnerCostView { total: c.total.to_string(), currency: c.currency.to_string() }),
        id_tag: mask_tag(s.id_tag.as_str()),
    }
}

/// The sessions at the calling owner's stations (or at one of them), newest first, with their energy, state,
/// cost and the driver's tag masked. Only an owner's login session may ask (403 otherwise); a station that
/// is not the owner's is a 404.
#[utoipa::path(get, path = "/api/v1/me/sessions", tag = "activation", params(OwnerSessionQuery),
    responses((status = 200, body = Vec<OwnerSessionView>), (status = 400, body = Problem),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn my_sessions(
    State(state): State<ApiState>,
    principal: Principal,
    Query(q): Query<OwnerSessionQuery>,
) -> ApiResult<Json<Vec<OwnerSessionView>>> {
    let actor = actor(&principal);
    joule_app::policy::owner(&actor)?;
    let since = params::time("since", q.since.as_deref())?;
    let until = params::time("until", q.until.as_deref())?;
    let limit = params::limit("limit", q.limit, 100, 1000)?;
    let billing = state.app.billing();
    let stations = match q.station.as_deref() {
        Some(id) => vec![billing.owner_station(&actor, &station_id(id)?).await?],
        None => billing.owner_stations(&actor).await?,
    };
    let sessions = billing.owner_sessions(&actor, &stations, since, until, limit).await?;
    Ok(Json(sessions.into_iter().map(session_view).collect()))
}

fn date(field: &str, value: &str) -> ApiResult<NaiveDate> {
    NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d")
        .map_err(|_| ApiError::invalid(field, format!("{value:?} is not a date; give YYYY-MM-DD")))
}

/// `from` and `to` parsed, in order and at most [`MAX_DAYS`] apart (both included).
fn range(from: &str, to: &str) -> ApiResult<(NaiveDate, NaiveDate)> {
    let (from, to) = (date("from", from)?, date("to", to)?);
    if to < from {
        return Err(ApiError::invalid("to", format!("the last day {to} is before the first {from}")));
    }
    let days = (to - from).num_days() + 1;
    if days > MAX_DAYS {
        return Err(ApiError::invalid("to", format!("{days} days asked; at most {MAX_DAYS} at a time")));
    }
    Ok((from, to))
}

/// The first instant of local day `d` in `tz`: midnight, or where a daylight-saving change skips midnight
/// (a few zones change at 00:00), the first hour after it that exists.
fn day_start(tz: Tz, d: NaiveDate) -> ApiResult<DateTime<Utc>> {
    (0..4)
        .filter_map(|h| d.and_hms_opt(h, 0, 0))
        .find_map(|t| tz.from_local_datetime(&t).earliest())
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| ApiError::invalid("from", format!("{d} has no start in {}", tz.name())))
}

/// Whether the range is counted per day (short ranges) or per month.
fn daily(from: NaiveDate, to: NaiveDate) -> bool {
    (to - from).num_days() < DAILY_UP_TO
}

/// The label of the period local day `d` falls in.
fn period_of(d: NaiveDate, daily: bool) -> String {
    if daily { d.format("%Y-%m-%d").to_string() } else { d.format("%Y-%m").to_string() }
}

/// Every period of `from..=to`, in order, all zero.
fn empty_periods(from: NaiveDate, to: NaiveDate, daily: bool) -> BTreeMap<String, PeriodEnergy> {
    let mut out = BTreeMap::new();
    let mut d = from;
    while d <= to {
        let period = period_of(d, daily);
        out.entry(period.clone()).or_insert(PeriodEnergy { period, sessions: 0, completed_sessions: 0, energy_wh: 0 });
        // Per month, the next month's first day (or past `to`); per day, the next day.
        d = if daily {
            d + Duration::days(1)
        } else {
            match d.with_day(1).and_then(|f| f.checked_add_months(chrono::Months::new(1))) {
                Some(next) => next,
                None => break,
            }
        };
    }
    out
}

/// Adds up sessions into the periods their start falls in, in `tz`. A completed session's energy counts;
/// a meter that went backwards counts as a session without energy ([`Session::energy_wh`]).
fn add_up(periods: &mut BTreeMap<String, PeriodEnergy>, sessions: &[Session], tz: Tz, daily: bool) {
    for s in sessions {
        let day = s.started_at.with_timezone(&tz).date_naive();
        let Some(p) = periods.get_mut(&period_of(day, daily)) else { continue };
        p.sessions += 1;
        if s.stopped_at.is_some() {
            p.completed_sessions += 1;
            p.energy_wh += s.energy_wh().unwrap_or(0);
        }
    }
}

async fn station_energy(
    state: &ApiState,
    actor: &Actor,
    station: &Station,
    from: NaiveDate,
    to: NaiveDate,
) -> ApiResult<StationEnergy> {
    let tz = state.app.billing().owner_station_zone(actor, station).await?;
    let since = day_start(tz, from)?;
    let until = day_start(tz, to + Duration::days(1))?;
    let sessions =
        state.app.billing().owner_station_sessions(actor, station, since, until, MAX_SESSIONS_PER_STATION + 1).await?;
    if sessions.len() > MAX_SESSIONS_PER_STATION as usize {
        return Err(ApiError::invalid(
            "from",
            format!(
                "station {} has more than {MAX_SESSIONS_PER_STATION} sessions in the range; ask for a shorter one",
                station.id
            ),
        ));
    }
    let daily = daily(from, to);
    let mut periods = empty_periods(from, to, daily);
    add_up(&mut periods, &sessions, tz, daily);
    let periods: Vec<PeriodEnergy> = periods.into_values().collect();
    Ok(StationEnergy {
        station_id: station.id.to_string(),
        time_zone: tz.name().to_string(),
        since,
        until,
        sessions: periods.iter().map(|p| p.sessions).sum(),
        completed_sessions: periods.iter().map(|p| p.completed_sessions).sum(),
        energy_wh: periods.iter().map(|p| p.energy_wh).sum(),
        periods,
    })
}

/// Per station of the calling owner, per day (a range of at most 31 days) or per month: the sessions started
/// in the range and the energy of the completed ones. Days are the station's local days (the installation's
/// time zone, else the operator's, as for 15-minute intervals; each station says which). The range is at
/// most 366 days (400 naming `to` otherwise). Only an owner's login session may ask (403 otherwise).
#[utoipa::path(get, path = "/api/v1/me/energy", tag = "activation", params(EnergyQuery),
    responses((status = 200, body = EnergyReport), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem)))]
pub async fn my_energy(
    State(state): State<ApiState>,
    principal: Principal,
    Query(q): Query<EnergyQuery>,
) -> ApiResult<Json<EnergyReport>> {
    let actor = actor(&principal);
    let owned = state.app.billing().owner_stations(&actor).await?;
    let (from, to) = range(&q.from, &q.to)?;
    let mut stations = Vec::new();
    for s in owned {
        stations.push(station_energy(&state, &actor, &s, from, to).await?);
    }
    let granularity = if daily(from, to) { "day" } else { "month" };
    Ok(Json(EnergyReport { from, to, granularity: granularity.to_string(), stations }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_masked_to_at_most_their_last_four_characters() {
        assert_eq!(mask_tag("04A2B3C4D5E61234"), "••••1234");
        assert_eq!(mask_tag("CARD-OWNER-1"), "••••ER-1");
        // Short tags show at most half: never the whole tag.
        assert_eq!(mask_tag("ABCDEF"), "••••DEF");
        assert_eq!(mask_tag("AB"), "••••B");
        assert_eq!(mask_tag("A"), "••••");
        assert_eq!(mask_tag(""), "••••");
    }

    #[test]
    fn ranges_are_bounded_and_named() {
        assert!(range("2026-01-01", "2026-12-31").is_ok());
        assert!(range("2024-01-01", "2024-12-31").is_ok(), "366 days in a leap year");
        assert_eq!(range("2026-01-01", "2027-01-02").unwrap_err().field.as_deref(), Some("to"));
        assert_eq!(range("2026-02-01", "2026-01-31").unwrap_err().field.as_deref(), Some("to"));
        assert_eq!(range("2026-02-30", "2026-03-01").unwrap_err().field.as_deref(), Some("from"));
        assert_eq!(range("2026-02-01", "March").unwrap_err().field.as_deref(), Some("to"));
    }

    #[test]
    fn periods_are_days_up_to_31_days_and_months_beyond() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let days: Vec<String> =
            empty_periods(d("2026-01-01"), d("2026-01-31"), daily(d("2026-01-01"), d("2026-01-31")))
                .into_keys()
                .collect();
        assert_eq!(days.len(), 31);
        assert_eq!(days[0], "2026-01-01");
        let months: Vec<String> =
            empty_periods(d("2026-01-15"), d("2026-03-02"), daily(d("2026-01-15"), d("2026-03-02")))
                .into_keys()
                .collect();
        assert_eq!(months, ["2026-01", "2026-02", "2026-03"]);
        let year = empty_periods(d("2025-12-31"), d("2026-12-30"), false);
        assert_eq!(year.len(), 13);
    }

    #[test]
    fn a_day_starts_at_local_midnight() {
        let tz: Tz = "Europe/Zurich".parse().unwrap();
        let d = NaiveDate::from_ymd_opt(2026, 3, 29).unwrap();
        assert_eq!(day_start(tz, d).unwrap().to_rfc3339(), "2026-03-28T23:00:00+00:00");
        // America/Santiago skipped midnight on 2022-09-11 (00:00 became 01:00).
        let tz: Tz = "America/Santiago".parse().unwrap();
        let d = NaiveDate::from_ymd_opt(2022, 9, 11).unwrap();
        assert_eq!(day_start(tz, d).unwrap().to_rfc3339(), "2022-09-11T04:00:00+00:00");
    }
}
