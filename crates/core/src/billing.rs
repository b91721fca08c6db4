//! Billing around the tariff engine: what an operator stores as a tariff, the operator's billing
//! settings, which tariff applies to a session, how a session's meter values become the engine's
//! [`Usage`], and when a session is free.
//!
//! The engine itself ([`crate::tariff::price`]) knows nothing of operators, stations or drivers; this module
//! is the glue, kept here (no async, no SQL) so that it is tested without a database.

use chrono_tz::Tz;
use rust_decimal::Decimal;

use crate::station::ConnectorStatus;
use crate::tariff::{
    Cost, Currency, IdleFee, Price, Rounding, Tariff, TariffElement, Usage, UsagePeriod, VatRate, price,
};
use crate::{DomainError, StationId, Timestamp};

/// What an operator stores as a tariff: the OCPI elements and the session-level fees. Currency, VAT and
/// rounding are the operator's [`BillingSettings`], joined in by [`TariffBody::tariff`], so that a change of
/// the VAT rate does not need a new version of every tariff.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TariffBody {
    pub elements: Vec<TariffElement>,
    pub start_fee: Price,
    pub idle_fee: Option<IdleFee>,
    pub min_price: Option<Price>,
    pub max_price: Option<Price>,
}

impl TariffBody {
    /// The engine's tariff under the operator's settings.
    pub fn tariff(&self, settings: &BillingSettings) -> Tariff {
        Tariff {
            currency: settings.currency,
            vat: settings.vat,
            elements: self.elements.clone(),
            start_fee: self.start_fee,
            idle_fee: self.idle_fee,
            min_price: self.min_price,
            max_price: self.max_price,
            rounding: settings.rounding,
        }
    }

    /// The engine's checks (element count, restrictions, step sizes, min ≤ max).
    pub fn validate(&self) -> Result<(), DomainError> {
        self.tariff(&BillingSettings::default()).validate()
    }

    /// Whether nothing in it costs anything: every price and fee is zero. Sessions priced by such a tariff
    /// are marked free ("free tariff").
    pub fn is_free(&self) -> bool {
        self.start_fee.value().is_zero()
            && self.idle_fee.is_none_or(|f| f.price_per_hour.value().is_zero())
            && self.min_price.is_none_or(|p| p.value().is_zero())
            && self.elements.iter().all(|e| e.components.iter().all(|c| c.price.value().is_zero()))
    }
}

/// An operator's billing settings: currency, VAT, rounding, the free-session thresholds, and the
/// time zone tariff windows are read in for stations whose installation names none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BillingSettings {
    pub currency: Currency,
    pub vat: VatRate,
    pub rounding: Rounding,
    /// A session that delivered less energy than this (Wh) is free ("below threshold"); 0 = no threshold.
    pub free_below_wh: u32,
    /// A session shorter than this (seconds) is free ("below threshold"); 0 = no threshold.
    pub free_below_secs: u32,
    pub time_zone: Tz,
}

/// Highest free-session thresholds: 1 MWh and one day, far above any sensible setting.
pub const MAX_FREE_BELOW_WH: u32 = 1_000_000;
pub const MAX_FREE_BELOW_SECS: u32 = 86_400;

impl Default for BillingSettings {
    /// CHF, 8.1 % VAT (Swiss standard rate since 2024), the engine's default rounding, free below 200 Wh or
    /// 2 minutes (the examples in docs/tariffs.md), UTC.
    fn default() -> BillingSettings {
        BillingSettings {
            currency: Currency::parse("CHF").expect("a valid code"),
            vat: VatRate::percent(Decimal::new(81, 1)).expect("a valid rate"),
            rounding: Rounding::default(),
            free_below_wh: 200,
            free_below_secs: 120,
            time_zone: Tz::UTC,
        }
    }
}

impl BillingSettings {
    pub fn validate(&self) -> Result<(), DomainError> {
        if self.free_below_wh > MAX_FREE_BELOW_WH {
            return Err(DomainError::invalid(
                "free_below_wh",
                &self.free_below_wh.to_string(),
                format!("must be 0 to {MAX_FREE_BELOW_WH}"),
            ));
        }
        if self.free_below_secs > MAX_FREE_BELOW_SECS {
            return Err(DomainError::invalid(
                "free_below_secs",
                &self.free_below_secs.to_string(),
                format!("must be 0 to {MAX_FREE_BELOW_SECS}"),
            ));
        }
        // The rounding checks live with the engine; a tariff without elements exercises them.
        TariffBody::default().tariff(self).validate()
    }

    /// Whether a session of this energy and duration is below a free-session threshold.
    pub fn below_threshold(&self, energy_wh: i64, duration_secs: i64) -> bool {
        energy_wh < i64::from(self.free_below_wh) || duration_secs < i64::from(self.free_below_secs)
    }
}

/// Parses a [`crate::tariff::RoundingMode`] by its name in the API and the database.
pub fn rounding_mode(text: &str) -> Result<crate::tariff::RoundingMode, DomainError> {
    use crate::tariff::RoundingMode::*;
    match text {
        "up" => Ok(Up),
        "down" => Ok(Down),
        "half_up" => Ok(HalfUp),
        _ => Err(DomainError::invalid("rounding mode", text, "must be up, down or half_up")),
    }
}

pub fn rounding_mode_name(mode: crate::tariff::RoundingMode) -> &'static str {
    use crate::tariff::RoundingMode::*;
    match mode {
        Up => "up",
        Down => "down",
        HalfUp => "half_up",
    }
}

/// Why a session costs nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FreeReason {
    /// No tariff is assigned to the station, connector or the driver's groups.
    NoTariff,
    /// The tariff that applies has no price above zero.
    FreeTariff,
    /// Less energy or a shorter session than the operator's thresholds.
    BelowThreshold,
}

impl FreeReason {
    pub fn as_str(self) -> &'static str {
        match self {
            FreeReason::NoTariff => "no_tariff",
            FreeReason::FreeTariff => "free_tariff",
            FreeReason::BelowThreshold => "below_threshold",
        }
    }

    pub fn parse(text: &str) -> Result<FreeReason, DomainError> {
        match text {
            "no_tariff" => Ok(FreeReason::NoTariff),
            "free_tariff" => Ok(FreeReason::FreeTariff),
            "below_threshold" => Ok(FreeReason::BelowThreshold),
            _ => Err(DomainError::invalid("free reason", text, "must be no_tariff, free_tariff or below_threshold")),
        }
    }
}

/// What a tariff is assigned to. Exactly one of four shapes:
/// operator default (nothing set), station, connector (station + connector), group (group, optionally
/// limited to one station).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TariffTarget {
    pub station: Option<StationId>,
    /// 1-based connector of `station`; `None` = the whole station.
    pub connector: Option<u32>,
    pub group: Option<i64>,
}

impl TariffTarget {
    pub fn validate(&self) -> Result<(), DomainError> {
        if self.connector.is_some() && self.station.is_none() {
            return Err(DomainError::invalid("connector", "", "a connector needs its station"));
        }
        if self.connector == Some(0) {
            return Err(DomainError::invalid("connector", "0", "connectors are numbered from 1 (OCPP 1.6)"));
        }
        if self.connector.is_some() && self.group.is_some() {
            return Err(DomainError::invalid(
                "connector",
                "",
                "a group's tariff applies per station, not per connector",
            ));
        }
        Ok(())
    }
}

/// The tariffs that may price a session at `station`/`connector` for a driver in `groups`, from the
/// operator's `assignments`, by precedence ("a group's price overrides the default"):
///
/// 1. the driver's groups: per group, its assignment for this station, else its operator-wide one; if any
///    group has a tariff, these are the candidates and the cheaper applies ([`cheapest`]);
/// 2. else the connector's tariff; 3. else the station's; 4. else the operator's default.
///
/// Empty when nothing applies (the session is free: "no tariff").
pub fn candidates(
    assignments: &[(TariffTarget, i64)],
    station: &StationId,
    connector: u32,
    groups: &[i64],
) -> Vec<i64> {
    let mut found: Vec<i64> = Vec::new();
    for group in groups {
        let here = assignments.iter().find(|(t, _)| t.group == Some(*group) && t.station.as_ref() == Some(station));
        let anywhere = assignments.iter().find(|(t, _)| t.group == Some(*group) && t.station.is_none());
        if let Some((_, id)) = here.or(anywhere)
            && !found.contains(id)
        {
            found.push(*id);
        }
    }
    if !found.is_empty() {
        return found;
    }
    let plain = |station_match: Option<&StationId>, connector_match: Option<u32>| {
        assignments
            .iter()
            .find(|(t, _)| t.group.is_none() && t.station.as_ref() == station_match && t.connector == connector_match)
            .map(|(_, id)| *id)
    };
    plain(Some(station), Some(connector))
        .or_else(|| plain(Some(station), None))
        .or_else(|| plain(None, None))
        .into_iter()
        .collect()
}

/// Of several priced candidates, the one with the lowest total (the cheaper group tariff applies, as
/// eCarUp does it); on a tie the first, i.e. the order [`candidates`] gave. `None` when `costs` is empty.
pub fn cheapest<T>(costs: Vec<(T, Cost)>) -> Option<(T, Cost)> {
    let mut best: Option<(T, Cost)> = None;
    for (key, cost) in costs {
        if best.as_ref().is_none_or(|(_, b)| cost.total < b.total) {
            best = Some((key, cost));
        }
    }
    best
}

/// Prices `usage` by each candidate tariff and keeps the cheapest.
pub fn price_cheapest<'a, K: Copy>(
    tariffs: impl IntoIterator<Item = (K, &'a TariffBody)>,
    settings: &BillingSettings,
    tz: Tz,
    usage: &Usage,
) -> Result<Option<(K, Cost)>, DomainError> {
    let mut costs = Vec::new();
    for (key, body) in tariffs {
        costs.push((key, price(&body.tariff(settings), tz, usage)?));
    }
    Ok(cheapest(costs))
}

/// A reading of the session's energy register (Wh), from its meter values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RegisterReading {
    pub at: Timestamp,
    pub wh: f64,
}

/// A connector status during the session (StatusNotification).
#[derive(Debug, Clone, PartialEq)]
pub struct StatusChange {
    pub at: Timestamp,
    pub status: ConnectorStatus,
}

/// Builds the engine's usage from what a session stored: its start and stop (time and meter register),
/// the energy register readings in between (any order, duplicates allowed), and the connector's status
/// changes.
///
/// - Each pair of consecutive readings is a period; its energy is the register's increase (a register that
///   went backwards, e.g. a meter reset, counts as no energy: never negative). The periods' energy
///   therefore adds up to at least the stop-start difference when the register is monotone.
/// - A period is charging (TIME) when energy flowed, or, with no energy, when the connector's last status
///   at its start said energy flows ([`ConnectorStatus::is_charging`]); otherwise it is parking
///   (PARKING_TIME): connected, suspended by either side, or before and after charging.
/// - Charging ended at the end of the last period in which energy flowed, when that is before the stop;
///   the idle fee counts from there. A session that drew no energy has no end of charging (no idle fee).
///
/// Readings outside the session are ignored; the number of periods is capped at
/// [`crate::tariff::MAX_PERIODS`] by merging neighbours (energy kept, charging if either charged).
pub fn usage(
    start: Timestamp,
    start_wh: i64,
    stop: Timestamp,
    stop_wh: i64,
    readings: &[RegisterReading],
    statuses: &[StatusChange],
) -> Usage {
    let stop = stop.max(start);
    let mut points: Vec<(Timestamp, f64)> = Vec::with_capacity(readings.len() + 2);
    points.push((start, start_wh as f64));
    let mut inner: Vec<RegisterReading> =
        readings.iter().copied().filter(|r| r.at > start && r.at < stop && r.wh.is_finite()).collect();
    inner.sort_by_key(|r| r.at);
    inner.dedup_by_key(|r| r.at);
    points.extend(inner.iter().map(|r| (r.at, r.wh)));
    if stop > start {
        points.push((stop, stop_wh as f64));
    }
    let mut statuses: Vec<&StatusChange> = statuses.iter().collect();
    statuses.sort_by_key(|s| s.at);
    let status_at = |at: Timestamp| statuses.iter().rev().find(|s| s.at <= at).map(|s| &s.status);

    let mut periods: Vec<UsagePeriod> = Vec::new();
    let mut last_energy_end: Option<Timestamp> = None;
    for pair in points.windows(2) {
        let ((a, wa), (b, wb)) = (pair[0], pair[1]);
        let delta = (wb - wa).max(0.0);
        // Register values are whole Wh on every meter we know; round what a kWh reading left over.
        let energy_wh = Decimal::from_f64_retain(delta.round()).unwrap_or_default().max(Decimal::ZERO);
        let charging = !energy_wh.is_zero() || status_at(a).is_some_and(ConnectorStatus::is_charging);
        if !energy_wh.is_zero() {
            last_energy_end = Some(b);
        }
        periods.push(UsagePeriod { start: a, end: b, energy_wh, charging });
    }
    while periods.len() > crate::tariff::MAX_PERIODS {
        let merged: Vec<UsagePeriod> = periods
            .chunks(2)
            .map(|c| match c {
                [a, b] => UsagePeriod {
                    start: a.start,
                    end: b.end,
                    energy_wh: a.energy_wh + b.energy_wh,
                    charging: a.charging || b.charging,
                },
                [a] => *a,
                _ => unreachable!("chunks(2) yields one or two"),
            })
            .collect();
        periods = merged;
    }
    let charging_ended = last_energy_end.filter(|end| *end < stop);
    Usage { start, end: stop, periods, charging_ended }
}

#[cfg(test)]
mod tests;
