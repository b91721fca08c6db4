//! The tariff engine: what a charging session costs.
//!
//! The model follows the OCPI 2.2.1 Tariffs module (section 11) so that roaming later needs no second engine:
//! a [`Tariff`] is a list of [`TariffElement`]s; an element has [`PriceComponent`]s of the OCPI dimensions
//! ENERGY (per kWh), TIME (per hour of charging), PARKING_TIME (per hour connected but not charging) and FLAT
//! (per session), each with a `step_size`, and [`Restrictions`] (local time of day, day of week, session
//! duration). Joule adds what OCPI keeps outside the element list: a start fee, an idle fee after charging
//! ended (grace period and cap), a minimum and a maximum session price, the operator's VAT rate and currency,
//! and explicit [`Rounding`] settings.
//!
//! Not modelled (yet) from OCPI TariffRestrictions: min/max_kwh, min/max_current, min/max_power and
//! reservation. Energy-dependent restrictions allow volume discounts ("cheaper after 10 kWh"), under which
//! more energy can cost less, against the monotonicity pricing requires; adding them needs that decision first.
//!
//! Rules of the house kept here:
//! - Money is [`Decimal`], never floating point; energy is Wh; time is whole seconds (DESIGN.md rule 4).
//! - Instants are UTC; restrictions are read on the station's wall clock in its IANA time zone, so a window
//!   "22:00–06:00" follows daylight saving (DESIGN.md rule 3).
//! - Every rounding step is a named setting and is applied in exactly one place ([`Rounding`]).
//!
//! How a session is priced ([`price`]):
//! 1. The session's usage periods are cut at every instant where the applicable element may change: the
//!    wall-clock times named by any restriction (and local midnight, for day_of_week), the daylight-saving
//!    transitions, and the duration thresholds. Energy within a period is taken as drawn evenly over it, so a
//!    cut divides the period's energy in proportion to time.
//! 2. Each piece is matched per dimension: as OCPI 2.2.1 §11.4.4 (TariffElement) prescribes, the first element
//!    whose restrictions hold and which has a component of that dimension prices it; no match means free.
//! 3. Consecutive pieces priced by the same element for the same dimension form one line item. The item's
//!    quantity is rounded by the [`Rounding`] settings and then up to the component's `step_size`
//!    (OCPI 2.2.1 §11.4.6), and its amount is rounded to the currency's minor unit.
//!    Deviation from OCPI, on purpose: OCPI applies step_size once to a dimension's session total and bills the
//!    rest at the last element's price, which lets the cost *fall* when a session is extended into a cheaper
//!    window. Rounding per item keeps the cost monotone in energy and time (a property pricing requires) and
//!    keeps it independent of how the meter happened to slice the session.
//! 4. FLAT comes from the first element with a FLAT component whose restrictions hold at the session start
//!    (OCPI bills FLAT once per session); the start fee and the idle fee are added as their own items.
//! 5. The net subtotal is raised to the minimum or lowered to the maximum session price, VAT is computed on the
//!    net amount and rounded once, and total = net + VAT.

use std::collections::BTreeSet;
use std::fmt;

use chrono::{Datelike, Duration, FixedOffset, NaiveDate, NaiveTime, Offset, TimeZone, Weekday};
use chrono_tz::Tz;
pub use rust_decimal::Decimal;
use rust_decimal::RoundingStrategy;

use crate::{DomainError, Timestamp};

#[cfg(test)]
mod tests;

/// Longest session the engine prices: bounded work per call (DESIGN.md, bounded resources). A car left
/// connected for a month is already far outside normal use.
pub const MAX_SESSION: Duration = Duration::days(62);
/// Most usage periods per session (one per meter value interval; a 10 s sample interval over a day is 8,640).
pub const MAX_PERIODS: usize = 100_000;
/// Highest price or fee per unit. Far above any real tariff; it keeps every product inside `Decimal`'s range,
/// so hostile input gets an error instead of an arithmetic overflow.
pub const MAX_PRICE: u32 = 1_000_000;
/// Most energy in one usage period (1 GWh): above any meter reading a session can produce, and together with
/// [`MAX_SESSION`] it bounds energy × milliseconds well inside `Decimal`'s range.
pub const MAX_PERIOD_ENERGY_WH: u64 = 1_000_000_000;
/// Most elements per tariff; OCPI sets no limit, we keep the work bounded.
pub const MAX_ELEMENTS: usize = 64;

/// An ISO 4217 currency code: three ASCII capital letters ("CHF", "EUR").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency([u8; 3]);

impl Currency {
    pub fn parse(code: &str) -> Result<Currency, DomainError> {
        let bytes = code.as_bytes();
        if bytes.len() != 3 || !bytes.iter().all(u8::is_ascii_uppercase) {
            return Err(DomainError::invalid(
                "currency",
                code,
                "must be an ISO 4217 code of three capital letters, e.g. CHF",
            ));
        }
        Ok(Currency([bytes[0], bytes[1], bytes[2]]))
    }

    pub fn as_str(&self) -> &str {
        // The constructor admits only ASCII capitals.
        std::str::from_utf8(&self.0).unwrap_or("???")
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An amount of money in a currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Money {
    pub amount: Decimal,
    pub currency: Currency,
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.currency, self.amount)
    }
}

/// A price or fee: a decimal that is never negative (a tariff never pays the driver).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Price(Decimal);

impl Price {
    pub const ZERO: Price = Price(Decimal::ZERO);

    pub fn new(value: Decimal) -> Result<Price, DomainError> {
        if value.is_sign_negative() && !value.is_zero() {
            return Err(DomainError::invalid("price", &value.to_string(), "must not be negative"));
        }
        if value > Decimal::from(MAX_PRICE) {
            return Err(DomainError::invalid("price", &value.to_string(), format!("must not exceed {MAX_PRICE}")));
        }
        Ok(Price(value))
    }

    pub fn parse(text: &str) -> Result<Price, DomainError> {
        let value: Decimal = text
            .trim()
            .parse()
            .map_err(|_| DomainError::invalid("price", text, "must be a decimal number such as 0.35"))?;
        Price::new(value)
    }

    pub fn value(&self) -> Decimal {
        self.0
    }
}

/// A VAT rate in percent (8.1 for Switzerland's standard rate since 2024), 0 to 100 inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct VatRate(Decimal);

impl VatRate {
    pub fn percent(value: Decimal) -> Result<VatRate, DomainError> {
        if value < Decimal::ZERO || value > Decimal::ONE_HUNDRED {
            return Err(DomainError::invalid("VAT rate", &value.to_string(), "must be a percentage from 0 to 100"));
        }
        Ok(VatRate(value))
    }

    pub fn value(&self) -> Decimal {
        self.0
    }
}

/// How a quantity is brought to a multiple of its step. All three are monotone, so the cost never falls when
/// usage grows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoundingMode {
    /// To the next multiple (what drivers are told for time: "every started minute").
    Up,
    /// To the previous multiple.
    Down,
    /// To the nearest multiple, halves away from zero (commercial rounding).
    HalfUp,
}

impl RoundingMode {
    fn strategy(self) -> RoundingStrategy {
        match self {
            RoundingMode::Up => RoundingStrategy::AwayFromZero,
            RoundingMode::Down => RoundingStrategy::ToZero,
            RoundingMode::HalfUp => RoundingStrategy::MidpointAwayFromZero,
        }
    }

    /// `value` brought to a multiple of `step` (step > 0; value ≥ 0).
    fn to_step(self, value: Decimal, step: Decimal) -> Decimal {
        (value / step).round_dp_with_strategy(0, self.strategy()) * step
    }
}

/// The explicit rounding settings. Defaults: time up to the full minute, energy to the nearest
/// Wh, money to cents with commercial rounding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rounding {
    /// TIME, PARKING_TIME and idle time of each item are brought to a multiple of this many seconds (≥ 1).
    pub time_step_secs: u32,
    pub time_mode: RoundingMode,
    /// ENERGY of each item is brought to a multiple of this many Wh (≥ 1).
    pub energy_step_wh: u32,
    pub energy_mode: RoundingMode,
    /// Decimal places of every amount (2 for CHF and EUR cents; 0 for JPY).
    pub money_scale: u32,
    pub money_mode: RoundingMode,
}

impl Default for Rounding {
    fn default() -> Rounding {
        Rounding {
            time_step_secs: 60,
            time_mode: RoundingMode::Up,
            energy_step_wh: 1,
            energy_mode: RoundingMode::HalfUp,
            money_scale: 2,
            money_mode: RoundingMode::HalfUp,
        }
    }
}

impl Rounding {
    fn validate(&self) -> Result<(), DomainError> {
        if self.time_step_secs == 0 {
            return Err(DomainError::invalid("time rounding step", "0", "must be at least 1 second"));
        }
        if self.energy_step_wh == 0 {
            return Err(DomainError::invalid("energy rounding step", "0", "must be at least 1 Wh"));
        }
        if self.money_scale > 6 {
            return Err(DomainError::invalid(
                "money scale",
                &self.money_scale.to_string(),
                "must be 0 to 6 decimal places",
            ));
        }
        Ok(())
    }

    fn money(&self, value: Decimal) -> Decimal {
        value.round_dp_with_strategy(self.money_scale, self.money_mode.strategy())
    }
}

/// The OCPI 2.2.1 TariffDimensionType values a price component can have (§11.4.7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Dimension {
    /// Price per kWh; step_size in Wh.
    Energy,
    /// Price per hour while charging; step_size in seconds.
    Time,
    /// Price per hour while connected but not charging; step_size in seconds.
    ParkingTime,
    /// Price per session; step_size ignored.
    Flat,
}

/// An OCPI PriceComponent (§11.4.6): a price for one dimension, excluding VAT.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PriceComponent {
    pub dimension: Dimension,
    pub price: Price,
    /// Billed in blocks of this size (Wh for ENERGY, seconds for TIME/PARKING_TIME); 1 = no blocks.
    pub step_size: u32,
}

impl PriceComponent {
    pub fn new(dimension: Dimension, price: Price, step_size: u32) -> Result<PriceComponent, DomainError> {
        if step_size == 0 {
            return Err(DomainError::invalid("step_size", "0", "must be at least 1 (OCPI 2.2.1 §11.4.6)"));
        }
        Ok(PriceComponent { dimension, price, step_size })
    }
}

/// OCPI TariffRestrictions (§11.4.8), the subset that depends on the wall clock, the date and the session
/// duration.
/// All bounds are optional; an element without restrictions always applies.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Restrictions {
    /// Local time of day from which the element applies (inclusive).
    pub start_time: Option<NaiveTime>,
    /// Local time of day until which it applies (exclusive). When end_time < start_time the window crosses
    /// midnight (22:00–06:00), as OCPI specifies; a missing bound is midnight.
    pub end_time: Option<NaiveTime>,
    /// Local weekdays on which it applies, judged by each instant's own local date; empty = every day.
    pub days: Vec<Weekday>,
    /// Local date from which it applies (inclusive), e.g. a summer price.
    pub start_date: Option<NaiveDate>,
    /// Local date until which it applies (exclusive).
    pub end_date: Option<NaiveDate>,
    /// Elapsed session time from which it applies, seconds (inclusive).
    pub min_duration_secs: Option<u32>,
    /// Elapsed session time until which it applies, seconds (exclusive).
    pub max_duration_secs: Option<u32>,
}

impl Restrictions {
    fn validate(&self) -> Result<(), DomainError> {
        if let (Some(min), Some(max)) = (self.min_duration_secs, self.max_duration_secs)
            && min >= max
        {
            return Err(DomainError::invalid(
                "duration restriction",
                &format!("{min}..{max}"),
                "min_duration must be below max_duration",
            ));
        }
        if let (Some(start), Some(end)) = (self.start_date, self.end_date)
            && start >= end
        {
            return Err(DomainError::invalid(
                "date restriction",
                &format!("{start}..{end}"),
                "start_date must be before end_date (end_date is exclusive)",
            ));
        }
        if let (Some(start), Some(end)) = (self.start_time, self.end_time)
            && start == end
        {
            return Err(DomainError::invalid(
                "time restriction",
                &start.to_string(),
                "start_time and end_time must differ (leave both out for the whole day)",
            ));
        }
        Ok(())
    }

    /// Whether the restrictions hold at local wall-clock time `local` after `elapsed_secs` of session.
    fn hold(&self, local: chrono::NaiveDateTime, elapsed_secs: i64) -> bool {
        if !self.days.is_empty() && !self.days.contains(&local.weekday()) {
            return false;
        }
        // Dates change at local midnight, which is always a cut (see `Tariff::clock_times`).
        if self.start_date.is_some_and(|d| local.date() < d) || self.end_date.is_some_and(|d| local.date() >= d) {
            return false;
        }
        let t = local.time();
        let in_window = match (self.start_time, self.end_time) {
            (None, None) => true,
            (Some(s), None) => t >= s,
            (None, Some(e)) => t < e,
            (Some(s), Some(e)) if s < e => t >= s && t < e,
            (Some(s), Some(e)) => t >= s || t < e,
        };
        in_window
            && self.min_duration_secs.is_none_or(|min| elapsed_secs >= i64::from(min))
            && self.max_duration_secs.is_none_or(|max| elapsed_secs < i64::from(max))
    }
}

/// An OCPI TariffElement (§11.4.4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TariffElement {
    pub components: Vec<PriceComponent>,
    pub restrictions: Restrictions,
}

impl TariffElement {
    fn component(&self, dimension: Dimension) -> Option<&PriceComponent> {
        self.components.iter().find(|c| c.dimension == dimension)
    }
}

/// Idle fee: charged per hour once charging has ended and the car stays connected, after a grace period,
/// up to a cap (Monta and ChargePoint "idle fee"). It comes on top of any PARKING_TIME component:
/// a tariff that wants only one of them leaves the other out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdleFee {
    pub price_per_hour: Price,
    pub grace_secs: u32,
    /// Highest idle fee per session (excluding VAT); `None` = uncapped.
    pub cap: Option<Price>,
}

/// A tariff: the OCPI elements plus the session-level parts Joule adds. All prices exclude VAT.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tariff {
    pub currency: Currency,
    pub vat: VatRate,
    pub elements: Vec<TariffElement>,
    pub start_fee: Price,
    pub idle_fee: Option<IdleFee>,
    /// OCPI min_price/max_price (excl. VAT): the net cost is raised or lowered to them.
    pub min_price: Option<Price>,
    pub max_price: Option<Price>,
    pub rounding: Rounding,
}

impl Tariff {
    /// Checks the rules that the types alone cannot: call before storing a tariff.
    pub fn validate(&self) -> Result<(), DomainError> {
        if self.elements.len() > MAX_ELEMENTS {
            return Err(DomainError::invalid(
                "tariff elements",
                &self.elements.len().to_string(),
                format!("at most {MAX_ELEMENTS} elements"),
            ));
        }
        for element in &self.elements {
            element.restrictions.validate()?;
            for c in &element.components {
                if c.step_size == 0 {
                    return Err(DomainError::invalid("step_size", "0", "must be at least 1 (OCPI 2.2.1 §11.4.6)"));
                }
            }
        }
        if let (Some(min), Some(max)) = (self.min_price, self.max_price)
            && min > max
        {
            return Err(DomainError::invalid(
                "min_price",
                &min.value().to_string(),
                format!("must not exceed max_price {}", max.value()),
            ));
        }
        self.rounding.validate()
    }

    /// The wall-clock times at which some element's time restriction starts or ends.
    fn clock_times(&self) -> BTreeSet<NaiveTime> {
        let mut times = BTreeSet::new();
        times.insert(NaiveTime::MIN); // local midnight: day_of_week and the date change
        for e in &self.elements {
            times.extend(e.restrictions.start_time);
            times.extend(e.restrictions.end_time);
        }
        times
    }

    fn element_for(&self, dimension: Dimension, local: chrono::NaiveDateTime, elapsed: i64) -> Option<usize> {
        self.elements.iter().position(|e| e.component(dimension).is_some() && e.restrictions.hold(local, elapsed))
    }
}

/// One stretch of a session as metered: energy drawn between two meter readings and whether the EV was
/// charging (TIME) or only connected (PARKING_TIME).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UsagePeriod {
    pub start: Timestamp,
    pub end: Timestamp,
    pub energy_wh: Decimal,
    pub charging: bool,
}

/// A session's usage: `periods` cover `start..end` without gaps or overlaps, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Usage {
    pub start: Timestamp,
    pub end: Timestamp,
    pub periods: Vec<UsagePeriod>,
    /// When the EV stopped drawing energy (SuspendedEV / end of charging); the idle fee counts from here.
    pub charging_ended: Option<Timestamp>,
}

impl Usage {
    fn validate(&self) -> Result<(), DomainError> {
        if self.end < self.start {
            return Err(DomainError::invalid("session end", &self.end.to_rfc3339(), "is before the session start"));
        }
        if self.end - self.start > MAX_SESSION {
            return Err(DomainError::invalid(
                "session",
                &self.start.to_rfc3339(),
                format!("lasts longer than {} days", MAX_SESSION.num_days()),
            ));
        }
        if self.periods.len() > MAX_PERIODS {
            return Err(DomainError::invalid(
                "periods",
                &self.periods.len().to_string(),
                format!("at most {MAX_PERIODS}"),
            ));
        }
        let mut at = self.start;
        for p in &self.periods {
            if p.start != at {
                return Err(DomainError::invalid(
                    "period start",
                    &p.start.to_rfc3339(),
                    format!("must continue where the previous period ended ({})", at.to_rfc3339()),
                ));
            }
            if p.end <= p.start {
                return Err(DomainError::invalid("period end", &p.end.to_rfc3339(), "must be after the period start"));
            }
            if p.energy_wh.is_sign_negative() && !p.energy_wh.is_zero() {
                return Err(DomainError::invalid("period energy", &p.energy_wh.to_string(), "must not be negative"));
            }
            if p.energy_wh > Decimal::from(MAX_PERIOD_ENERGY_WH) {
                return Err(DomainError::invalid(
                    "period energy",
                    &p.energy_wh.to_string(),
                    format!("must not exceed {MAX_PERIOD_ENERGY_WH} Wh"),
                ));
            }
            at = p.end;
        }
        if at != self.end {
            return Err(DomainError::invalid(
                "periods",
                &at.to_rfc3339(),
                format!("must cover the session up to its end ({})", self.end.to_rfc3339()),
            ));
        }
        if let Some(ended) = self.charging_ended
            && (ended < self.start || ended > self.end)
        {
            return Err(DomainError::invalid("charging end", &ended.to_rfc3339(), "must lie within the session"));
        }
        Ok(())
    }
}

/// What a line of the bill is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ItemKind {
    Energy,
    Time,
    ParkingTime,
    Flat,
    StartFee,
    IdleFee,
}

/// One line of an itemised cost. Quantities: Wh for energy, seconds for time, 1 for per-session fees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CostItem {
    pub kind: ItemKind,
    /// The tariff element that priced it (index into `Tariff::elements`); `None` for start and idle fee.
    pub element: Option<usize>,
    pub from: Timestamp,
    pub to: Timestamp,
    /// What was used.
    pub quantity: Decimal,
    /// What is billed after rounding and step_size.
    pub billed: Decimal,
    /// Price per kWh, per hour or per session, excl. VAT.
    pub unit_price: Decimal,
    /// billed × unit price (idle fee: after its cap), rounded to the currency's minor unit, excl. VAT.
    pub amount: Decimal,
}

/// The itemised cost of a session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cost {
    pub currency: Currency,
    /// In this order: start fee, FLAT, ENERGY, TIME, PARKING_TIME items (each in time order), idle fee.
    pub items: Vec<CostItem>,
    /// Sum of the items, excl. VAT.
    pub subtotal: Decimal,
    /// What the minimum (positive) or maximum (negative) session price changed; zero otherwise.
    pub adjustment: Decimal,
    /// subtotal + adjustment, excl. VAT.
    pub net: Decimal,
    pub vat_rate: VatRate,
    pub vat: Decimal,
    pub total: Decimal,
}

impl Cost {
    pub fn total_money(&self) -> Money {
        Money { amount: self.total, currency: self.currency }
    }
}

/// A slice of a usage period within which no restriction can change.
struct Piece {
    start: Timestamp,
    end: Timestamp,
    energy_wh: Decimal,
    charging: bool,
}

fn offset_at(tz: &Tz, at: Timestamp) -> FixedOffset {
    tz.offset_from_utc_datetime(&at.naive_utc()).fix()
}

/// The instants in (from, to) where the UTC offset changes (daylight saving), found by probing every six hours
/// (zones change offset at most a few times a year) and bisecting to the second.
fn offset_changes(tz: &Tz, from: Timestamp, to: Timestamp) -> Vec<Timestamp> {
    let mut changes = Vec::new();
    let step = Duration::hours(6);
    let mut a = from;
    while a < to {
        let b = (a + step).min(to);
        if offset_at(tz, a) != offset_at(tz, b) {
            let (mut lo, mut hi) = (a, b); // offset(lo) == offset(a) != offset(hi)
            let before = offset_at(tz, a);
            while hi - lo > Duration::seconds(1) {
                let mid = lo + (hi - lo) / 2;
                if offset_at(tz, mid) == before {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            // Transitions fall on whole seconds; `hi` is the first instant with the new offset.
            let hi = hi - Duration::nanoseconds(i64::from(hi.timestamp_subsec_nanos()));
            let hi = if offset_at(tz, hi) == before { hi + Duration::seconds(1) } else { hi };
            if hi > from && hi < to {
                changes.push(hi);
            }
        }
        a = b;
    }
    changes
}

/// Every instant in (from, to) at which some restriction of the tariff may change its verdict.
fn boundaries(
    tariff: &Tariff,
    tz: &Tz,
    session_start: Timestamp,
    from: Timestamp,
    to: Timestamp,
) -> BTreeSet<Timestamp> {
    let mut cuts = BTreeSet::new();
    let mut edges = vec![from];
    edges.extend(offset_changes(tz, from, to));
    edges.push(to);
    cuts.extend(edges[1..edges.len() - 1].iter().copied());
    let times = tariff.clock_times();
    // Between offset changes the wall clock runs with UTC, so each wall-clock time maps to one instant.
    for w in edges.windows(2) {
        let (a, b) = (w[0], w[1]);
        let offset = offset_at(tz, a);
        let first: NaiveDate = (a.naive_utc() + offset).date();
        let last: NaiveDate = (b.naive_utc() + offset).date();
        let mut day = first;
        loop {
            for t in &times {
                let at = (day.and_time(*t) - offset).and_utc();
                if at > a && at < b {
                    cuts.insert(at);
                }
            }
            match day.succ_opt() {
                Some(next) if day < last => day = next,
                _ => break,
            }
        }
    }
    for e in &tariff.elements {
        for secs in [e.restrictions.min_duration_secs, e.restrictions.max_duration_secs].into_iter().flatten() {
            let at = session_start + Duration::seconds(i64::from(secs));
            if at > from && at < to {
                cuts.insert(at);
            }
        }
    }
    cuts
}

fn millis(d: Duration) -> Decimal {
    Decimal::from(d.num_milliseconds())
}

fn pieces(tariff: &Tariff, tz: &Tz, usage: &Usage) -> Vec<Piece> {
    let mut out = Vec::new();
    for p in &usage.periods {
        let total = millis(p.end - p.start);
        let mut at = p.start;
        let mut given = Decimal::ZERO;
        let cuts = boundaries(tariff, tz, usage.start, p.start, p.end);
        for cut in cuts.into_iter().chain([p.end]) {
            // The last piece takes the remainder so a period's pieces always add up to its energy exactly.
            let energy =
                if cut == p.end { p.energy_wh - given } else { p.energy_wh * millis(cut - p.start) / total - given };
            out.push(Piece { start: at, end: cut, energy_wh: energy, charging: p.charging });
            given += energy;
            at = cut;
        }
    }
    out
}

/// An item being accumulated from consecutive pieces.
struct Run {
    kind: ItemKind,
    element: usize,
    from: Timestamp,
    to: Timestamp,
    quantity: Decimal,
}

fn dimension_of(kind: ItemKind) -> Dimension {
    match kind {
        ItemKind::Energy => Dimension::Energy,
        ItemKind::Time => Dimension::Time,
        ItemKind::ParkingTime => Dimension::ParkingTime,
        _ => Dimension::Flat,
    }
}

fn close(tariff: &Tariff, run: Run) -> CostItem {
    let r = &tariff.rounding;
    let component = tariff.elements[run.element].component(dimension_of(run.kind)).copied();
    let (step, unit_price) = component.map(|c| (Decimal::from(c.step_size), c.price.value())).unwrap_or_default();
    let (billed, amount) = match run.kind {
        ItemKind::Energy => {
            let rounded = r.energy_mode.to_step(run.quantity, Decimal::from(r.energy_step_wh));
            let billed = RoundingMode::Up.to_step(rounded, step);
            (billed, unit_price * billed / Decimal::ONE_THOUSAND)
        }
        _ => {
            let rounded = r.time_mode.to_step(run.quantity, Decimal::from(r.time_step_secs));
            let billed = RoundingMode::Up.to_step(rounded, step);
            (billed, unit_price * billed / Decimal::from(3600))
        }
    };
    CostItem {
        kind: run.kind,
        element: Some(run.element),
        from: run.from,
        to: run.to,
        quantity: run.quantity,
        billed,
        unit_price,
        amount: r.money(amount),
    }
}

/// Prices a session's `usage` by `tariff` for a station in time zone `tz`.
pub fn price(tariff: &Tariff, tz: Tz, usage: &Usage) -> Result<Cost, DomainError> {
    tariff.validate()?;
    usage.validate()?;
    let rounding = &tariff.rounding;
    let mut items = Vec::new();

    if !tariff.start_fee.value().is_zero() {
        items.push(CostItem {
            kind: ItemKind::StartFee,
            element: None,
            from: usage.start,
            to: usage.start,
            quantity: Decimal::ONE,
            billed: Decimal::ONE,
            unit_price: tariff.start_fee.value(),
            amount: rounding.money(tariff.start_fee.value()),
        });
    }
    let start_local = usage.start.naive_utc() + offset_at(&tz, usage.start);
    if let Some(index) = tariff.element_for(Dimension::Flat, start_local, 0) {
        let price = tariff.elements[index].component(Dimension::Flat).map(|c| c.price.value()).unwrap_or_default();
        items.push(CostItem {
            kind: ItemKind::Flat,
            element: Some(index),
            from: usage.start,
            to: usage.start,
            quantity: Decimal::ONE,
            billed: Decimal::ONE,
            unit_price: price,
            amount: rounding.money(price),
        });
    }

    // One open run per kind; a run closes when the matching element changes or the kind stops applying.
    let pieces = pieces(tariff, &tz, usage);
    for kind in [ItemKind::Energy, ItemKind::Time, ItemKind::ParkingTime] {
        let mut open: Option<Run> = None;
        for piece in &pieces {
            let applies = match kind {
                ItemKind::Energy => true,
                ItemKind::Time => piece.charging,
                _ => !piece.charging,
            };
            let local = piece.start.naive_utc() + offset_at(&tz, piece.start);
            let elapsed = (piece.start - usage.start).num_seconds();
            let element = if applies { tariff.element_for(dimension_of(kind), local, elapsed) } else { None };
            let quantity = match kind {
                ItemKind::Energy => piece.energy_wh,
                _ => millis(piece.end - piece.start) / Decimal::ONE_THOUSAND,
            };
            match (&mut open, element) {
                (Some(run), Some(e)) if run.element == e && run.to == piece.start => {
                    run.to = piece.end;
                    run.quantity += quantity;
                }
                (_, element) => {
                    if let Some(run) = open.take() {
                        items.push(close(tariff, run));
                    }
                    open = element.map(|e| Run { kind, element: e, from: piece.start, to: piece.end, quantity });
                }
            }
        }
        if let Some(run) = open.take() {
            items.push(close(tariff, run));
        }
    }

    if let (Some(idle), Some(ended)) = (tariff.idle_fee, usage.charging_ended) {
        let idle_secs = Decimal::from((usage.end - ended).num_seconds());
        let chargeable = (idle_secs - Decimal::from(idle.grace_secs)).max(Decimal::ZERO);
        if chargeable > Decimal::ZERO {
            let billed = rounding.time_mode.to_step(chargeable, Decimal::from(rounding.time_step_secs));
            let mut amount = rounding.money(idle.price_per_hour.value() * billed / Decimal::from(3600));
            if let Some(cap) = idle.cap {
                amount = amount.min(rounding.money(cap.value()));
            }
            items.push(CostItem {
                kind: ItemKind::IdleFee,
                element: None,
                from: ended + Duration::seconds(i64::from(idle.grace_secs)),
                to: usage.end,
                quantity: chargeable,
                billed,
                unit_price: idle.price_per_hour.value(),
                amount,
            });
        }
    }

    let subtotal: Decimal = items.iter().map(|i| i.amount).sum();
    let mut net = subtotal;
    if let Some(min) = tariff.min_price {
        net = net.max(rounding.money(min.value()));
    }
    if let Some(max) = tariff.max_price {
        net = net.min(rounding.money(max.value()));
    }
    let vat = rounding.money(net * tariff.vat.value() / Decimal::ONE_HUNDRED);
    Ok(Cost {
        currency: tariff.currency,
        items,
        subtotal,
        adjustment: net - subtotal,
        net,
        vat_rate: tariff.vat,
        vat,
        total: net + vat,
    })
}
