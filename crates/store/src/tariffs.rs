//! Tariffs and billing: the stored models, and the JSON the store writes for a tariff body, an
//! operator's billing settings and a cost's items. The domain knows no JSON (DESIGN.md); the encoding is
//! the store's, and the API accepts the same OCPI-shaped document ([`TariffDoc`]), so that what an operator
//! sends is what is kept.
//!
//! The document follows OCPI 2.2.1 §11.3.1 (Tariff object): `elements[].price_components[]` with `type`
//! (ENERGY, TIME, PARKING_TIME, FLAT), `price` and `step_size`, and `elements[].restrictions` with
//! `start_time`/`end_time` ("HH:MM"), `start_date`/`end_date` ("YYYY-MM-DD"), `day_of_week`
//! (MONDAY..SUNDAY), `min_duration`/`max_duration` (seconds). Joule's additions sit beside `elements`:
//! `start_fee`, `idle_fee` { `price_per_hour`, `grace_secs`, `cap` }, `min_price`, `max_price`. Amounts are
//! decimal strings ("0.35"); a JSON number is accepted on input and read by its decimal text.

use chrono::{NaiveDate, NaiveTime, Weekday};
use joule_core::billing::{BillingSettings, FreeReason, TariffBody, TariffTarget};
use joule_core::tariff::{
    Cost, CostItem, Currency, Decimal, Dimension, IdleFee, ItemKind, Price, PriceComponent, Restrictions, Rounding,
    TariffElement, VatRate,
};
use joule_core::{OperatorId, SessionId, Timestamp};
use serde::{Deserialize, Serialize};

use crate::{Result, StoreError};

/// A tariff to store: a new tariff (`tariff_id` `None`) or a new version of the operator's tariff.
#[derive(Debug, Clone, PartialEq)]
pub struct NewTariff {
    pub operator_id: OperatorId,
    pub tariff_id: Option<i64>,
    pub name: String,
    /// The version applies to sessions that start at or after this instant (and after it was stored).
    pub valid_from: Timestamp,
    pub body: TariffBody,
    pub by: String,
    pub at: Timestamp,
}

/// One stored version of a tariff. Versions are never changed.
#[derive(Debug, Clone, PartialEq)]
pub struct TariffVersion {
    pub operator_id: OperatorId,
    pub tariff_id: i64,
    pub version: i64,
    pub name: String,
    pub valid_from: Timestamp,
    pub body: TariffBody,
    pub created_at: Timestamp,
    pub created_by: String,
}

/// The version of a tariff in force for a session that started at `at`: of the versions valid from `at` or
/// earlier, the newest. Changes apply to new sessions only because a new version of a tariff is never valid
/// from an instant before it was stored (the API refuses a `valid_from` in the past for a change), so a
/// session that started before the change keeps the version it started under.
pub fn in_force(versions: &[TariffVersion], at: Timestamp) -> Option<&TariffVersion> {
    versions.iter().filter(|v| v.valid_from <= at).max_by_key(|v| v.version)
}

/// A tariff assigned to a target.
#[derive(Debug, Clone, PartialEq)]
pub struct TariffAssignment {
    pub operator_id: OperatorId,
    pub target: TariffTarget,
    pub tariff_id: i64,
    pub updated_at: Timestamp,
}

/// What a completed session costs, as computed at its stop (or recomputed later).
#[derive(Debug, Clone, PartialEq)]
pub struct SessionCost {
    pub transaction_id: SessionId,
    pub operator_id: OperatorId,
    /// The tariff and version that priced it; `None` when no tariff applied.
    pub tariff: Option<(i64, i64)>,
    pub currency: Currency,
    pub items: Vec<CostItem>,
    pub subtotal: Decimal,
    pub adjustment: Decimal,
    pub net: Decimal,
    pub vat_rate: Decimal,
    pub vat: Decimal,
    pub total: Decimal,
    pub energy_wh: i64,
    pub duration_secs: i64,
    /// Why it is free; `None` when it is charged.
    pub free: Option<FreeReason>,
    pub computed_at: Timestamp,
}

impl SessionCost {
    /// A free session: no items are billed and every amount is zero, whatever the tariff said.
    pub fn free(
        transaction_id: SessionId,
        operator_id: OperatorId,
        tariff: Option<(i64, i64)>,
        settings: &BillingSettings,
        reason: FreeReason,
        usage: (i64, i64),
        at: Timestamp,
    ) -> SessionCost {
        SessionCost {
            transaction_id,
            operator_id,
            tariff,
            currency: settings.currency,
            items: Vec::new(),
            subtotal: Decimal::ZERO,
            adjustment: Decimal::ZERO,
            net: Decimal::ZERO,
            vat_rate: settings.vat.value(),
            vat: Decimal::ZERO,
            total: Decimal::ZERO,
            energy_wh: usage.0,
            duration_secs: usage.1,
            free: Some(reason),
            computed_at: at,
        }
    }

    /// A charged session, from the engine's cost.
    pub fn charged(
        transaction_id: SessionId,
        operator_id: OperatorId,
        tariff: (i64, i64),
        cost: Cost,
        usage: (i64, i64),
        at: Timestamp,
    ) -> SessionCost {
        SessionCost {
            transaction_id,
            operator_id,
            tariff: Some(tariff),
            currency: cost.currency,
            items: cost.items,
            subtotal: cost.subtotal,
            adjustment: cost.adjustment,
            net: cost.net,
            vat_rate: cost.vat_rate.value(),
            vat: cost.vat,
            total: cost.total,
            energy_wh: usage.0,
            duration_secs: usage.1,
            free: None,
            computed_at: at,
        }
    }
}

// ----- the JSON documents -----

/// A decimal amount: a string ("0.35") or, on input, a JSON number read by its text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Amount {
    Text(String),
    Number(serde_json::Number),
}

impl Amount {
    fn text(&self) -> String {
        match self {
            Amount::Text(s) => s.clone(),
            Amount::Number(n) => n.to_string(),
        }
    }
}

/// A tariff as the API takes it and the store keeps it (see the module documentation).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct TariffDoc {
    #[serde(default)]
    pub elements: Vec<ElementDoc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_fee: Option<Amount>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idle_fee: Option<IdleFeeDoc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_price: Option<Amount>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_price: Option<Amount>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ElementDoc {
    pub price_components: Vec<ComponentDoc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restrictions: Option<RestrictionsDoc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ComponentDoc {
    /// ENERGY (per kWh), TIME (per hour charging), PARKING_TIME (per hour not charging), FLAT (per session).
    #[serde(rename = "type")]
    pub dimension: String,
    pub price: Amount,
    #[serde(default = "one")]
    pub step_size: u32,
}

fn one() -> u32 {
    1
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RestrictionsDoc {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_date: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub day_of_week: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_duration: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_duration: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdleFeeDoc {
    pub price_per_hour: Amount,
    #[serde(default)]
    pub grace_secs: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cap: Option<Amount>,
}

/// A field of a document that does not hold: its path (`elements[0].price_components[1].price`) and what
/// to fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct FieldError {
    pub field: String,
    pub reason: String,
}

fn field(path: impl Into<String>, reason: impl std::fmt::Display) -> FieldError {
    FieldError { field: path.into(), reason: reason.to_string() }
}

fn price(path: &str, amount: &Amount) -> std::result::Result<Price, FieldError> {
    Price::parse(&amount.text()).map_err(|e| field(path, e))
}

fn dimension_name(d: Dimension) -> &'static str {
    match d {
        Dimension::Energy => "ENERGY",
        Dimension::Time => "TIME",
        Dimension::ParkingTime => "PARKING_TIME",
        Dimension::Flat => "FLAT",
    }
}

fn weekday_name(d: Weekday) -> &'static str {
    match d {
        Weekday::Mon => "MONDAY",
        Weekday::Tue => "TUESDAY",
        Weekday::Wed => "WEDNESDAY",
        Weekday::Thu => "THURSDAY",
        Weekday::Fri => "FRIDAY",
        Weekday::Sat => "SATURDAY",
        Weekday::Sun => "SUNDAY",
    }
}

impl TariffDoc {
    /// The domain's tariff body, checked field by field and then by the engine's rules.
    pub fn body(&self) -> std::result::Result<TariffBody, FieldError> {
        let mut elements = Vec::with_capacity(self.elements.len());
        for (i, e) in self.elements.iter().enumerate() {
            let at = format!("elements[{i}]");
            let mut components = Vec::with_capacity(e.price_components.len());
            for (j, c) in e.price_components.iter().enumerate() {
                let cat = format!("{at}.price_components[{j}]");
                let dimension = match c.dimension.as_str() {
                    "ENERGY" => Dimension::Energy,
                    "TIME" => Dimension::Time,
                    "PARKING_TIME" => Dimension::ParkingTime,
                    "FLAT" => Dimension::Flat,
                    other => {
                        return Err(field(
                            format!("{cat}.type"),
                            format!("{other:?} is not one of ENERGY, TIME, PARKING_TIME, FLAT"),
                        ));
                    }
                };
                let p = price(&format!("{cat}.price"), &c.price)?;
                components.push(
                    PriceComponent::new(dimension, p, c.step_size).map_err(|e| field(format!("{cat}.step_size"), e))?,
                );
            }
            let r = e.restrictions.clone().unwrap_or_default();
            let time = |name: &str, v: &Option<String>| -> std::result::Result<Option<NaiveTime>, FieldError> {
                v.as_deref()
                    .map(|t| {
                        NaiveTime::parse_from_str(t, "%H:%M").map_err(|_| {
                            field(format!("{at}.restrictions.{name}"), format!("{t:?} is not a time HH:MM"))
                        })
                    })
                    .transpose()
            };
            let date = |name: &str, v: &Option<String>| -> std::result::Result<Option<NaiveDate>, FieldError> {
                v.as_deref()
                    .map(|t| {
                        NaiveDate::parse_from_str(t, "%Y-%m-%d").map_err(|_| {
                            field(format!("{at}.restrictions.{name}"), format!("{t:?} is not a date YYYY-MM-DD"))
                        })
                    })
                    .transpose()
            };
            let mut days = Vec::new();
            for (k, d) in r.day_of_week.iter().enumerate() {
                let day =
                    [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri, Weekday::Sat, Weekday::Sun]
                        .into_iter()
                        .find(|w| weekday_name(*w) == d)
                        .ok_or_else(|| {
                            field(format!("{at}.restrictions.day_of_week[{k}]"), format!("{d:?} is not MONDAY..SUNDAY"))
                        })?;
                days.push(day);
            }
            let restrictions = Restrictions {
                start_time: time("start_time", &r.start_time)?,
                end_time: time("end_time", &r.end_time)?,
                days,
                start_date: date("start_date", &r.start_date)?,
                end_date: date("end_date", &r.end_date)?,
                min_duration_secs: r.min_duration,
                max_duration_secs: r.max_duration,
            };
            elements.push(TariffElement { components, restrictions });
        }
        let idle_fee = match &self.idle_fee {
            None => None,
            Some(f) => Some(IdleFee {
                price_per_hour: price("idle_fee.price_per_hour", &f.price_per_hour)?,
                grace_secs: f.grace_secs,
                cap: f.cap.as_ref().map(|c| price("idle_fee.cap", c)).transpose()?,
            }),
        };
        let body = TariffBody {
            elements,
            start_fee: self.start_fee.as_ref().map(|a| price("start_fee", a)).transpose()?.unwrap_or(Price::ZERO),
            idle_fee,
            min_price: self.min_price.as_ref().map(|a| price("min_price", a)).transpose()?,
            max_price: self.max_price.as_ref().map(|a| price("max_price", a)).transpose()?,
        };
        body.validate().map_err(|e| match &e {
            joule_core::DomainError::Invalid { what, .. } => field(what.replace(' ', "_"), e),
        })?;
        Ok(body)
    }

    pub fn from_body(body: &TariffBody) -> TariffDoc {
        let fmt_time = |t: Option<NaiveTime>| t.map(|t| t.format("%H:%M").to_string());
        let fmt_date = |d: Option<NaiveDate>| d.map(|d| d.format("%Y-%m-%d").to_string());
        let amount = |p: Price| Amount::Text(p.value().to_string());
        TariffDoc {
            elements: body
                .elements
                .iter()
                .map(|e| {
                    let r = &e.restrictions;
                    let restrictions = RestrictionsDoc {
                        start_time: fmt_time(r.start_time),
                        end_time: fmt_time(r.end_time),
                        start_date: fmt_date(r.start_date),
                        end_date: fmt_date(r.end_date),
                        day_of_week: r.days.iter().map(|d| weekday_name(*d).to_string()).collect(),
                        min_duration: r.min_duration_secs,
                        max_duration: r.max_duration_secs,
                    };
                    ElementDoc {
                        price_components: e
                            .components
                            .iter()
                            .map(|c| ComponentDoc {
                                dimension: dimension_name(c.dimension).to_string(),
                                price: amount(c.price),
                                step_size: c.step_size,
                            })
                            .collect(),
                        restrictions: (restrictions != RestrictionsDoc::default()).then_some(restrictions),
                    }
                })
                .collect(),
            start_fee: (!body.start_fee.value().is_zero()).then(|| amount(body.start_fee)),
            idle_fee: body.idle_fee.map(|f| IdleFeeDoc {
                price_per_hour: amount(f.price_per_hour),
                grace_secs: f.grace_secs,
                cap: f.cap.map(amount),
            }),
            min_price: body.min_price.map(amount),
            max_price: body.max_price.map(amount),
        }
    }
}

/// Encodes a tariff body for the `tariff_versions.body` column.
pub fn encode_body(body: &TariffBody) -> String {
    serde_json::to_string(&TariffDoc::from_body(body)).unwrap_or_default()
}

pub fn decode_body(text: &str) -> Result<TariffBody> {
    let doc: TariffDoc =
        serde_json::from_str(text).map_err(|e| StoreError::corrupt(format!("tariff_versions.body: {e}")))?;
    doc.body().map_err(|e| StoreError::corrupt(format!("tariff_versions.body: {e}")))
}

/// An operator's billing settings as the API takes them and the store keeps them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SettingsDoc {
    pub currency: String,
    /// Percent, e.g. "8.1".
    pub vat_rate: Amount,
    pub time_step_secs: u32,
    /// up, down or half_up.
    pub time_mode: String,
    pub energy_step_wh: u32,
    pub energy_mode: String,
    pub money_scale: u32,
    pub money_mode: String,
    pub free_below_wh: u32,
    pub free_below_secs: u32,
    /// IANA time zone for stations whose installation names none, e.g. "Europe/Zurich".
    pub time_zone: String,
}

impl SettingsDoc {
    pub fn from_settings(s: &BillingSettings) -> SettingsDoc {
        use joule_core::billing::rounding_mode_name as name;
        SettingsDoc {
            currency: s.currency.to_string(),
            vat_rate: Amount::Text(s.vat.value().to_string()),
            time_step_secs: s.rounding.time_step_secs,
            time_mode: name(s.rounding.time_mode).into(),
            energy_step_wh: s.rounding.energy_step_wh,
            energy_mode: name(s.rounding.energy_mode).into(),
            money_scale: s.rounding.money_scale,
            money_mode: name(s.rounding.money_mode).into(),
            free_below_wh: s.free_below_wh,
            free_below_secs: s.free_below_secs,
            time_zone: s.time_zone.name().to_string(),
        }
    }

    pub fn settings(&self) -> std::result::Result<BillingSettings, FieldError> {
        use joule_core::billing::rounding_mode as mode;
        let vat: Decimal =
            self.vat_rate.text().parse().map_err(|_| field("vat_rate", "must be a decimal percentage such as 8.1"))?;
        let s = BillingSettings {
            currency: Currency::parse(&self.currency).map_err(|e| field("currency", e))?,
            vat: VatRate::percent(vat).map_err(|e| field("vat_rate", e))?,
            rounding: Rounding {
                time_step_secs: self.time_step_secs,
                time_mode: mode(&self.time_mode).map_err(|e| field("time_mode", e))?,
                energy_step_wh: self.energy_step_wh,
                energy_mode: mode(&self.energy_mode).map_err(|e| field("energy_mode", e))?,
                money_scale: self.money_scale,
                money_mode: mode(&self.money_mode).map_err(|e| field("money_mode", e))?,
            },
            free_below_wh: self.free_below_wh,
            free_below_secs: self.free_below_secs,
            time_zone: self
                .time_zone
                .parse()
                .map_err(|_| field("time_zone", format!("{:?} is not an IANA time zone", self.time_zone)))?,
        };
        s.validate().map_err(|e| match &e {
            joule_core::DomainError::Invalid { what, .. } => field(what.replace(' ', "_"), e),
        })?;
        Ok(s)
    }
}

pub fn encode_settings(s: &BillingSettings) -> String {
    serde_json::to_string(&SettingsDoc::from_settings(s)).unwrap_or_default()
}

pub fn decode_settings(text: &str) -> Result<BillingSettings> {
    let doc: SettingsDoc =
        serde_json::from_str(text).map_err(|e| StoreError::corrupt(format!("billing_settings.settings: {e}")))?;
    doc.settings().map_err(|e| StoreError::corrupt(format!("billing_settings.settings: {e}")))
}

/// One line of a cost, as stored and as the API shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemDoc {
    /// energy, time, parking_time, flat, start_fee, idle_fee.
    pub kind: String,
    /// The tariff element that priced it (0-based), if any.
    pub element: Option<usize>,
    pub from: Timestamp,
    pub to: Timestamp,
    /// Wh for energy, seconds for time, 1 for per-session fees.
    pub quantity: String,
    pub billed: String,
    /// Per kWh, per hour or per session, excluding VAT.
    pub unit_price: String,
    pub amount: String,
}

pub fn kind_name(kind: ItemKind) -> &'static str {
    match kind {
        ItemKind::Energy => "energy",
        ItemKind::Time => "time",
        ItemKind::ParkingTime => "parking_time",
        ItemKind::Flat => "flat",
        ItemKind::StartFee => "start_fee",
        ItemKind::IdleFee => "idle_fee",
    }
}

fn kind_parse(text: &str) -> Option<ItemKind> {
    [ItemKind::Energy, ItemKind::Time, ItemKind::ParkingTime, ItemKind::Flat, ItemKind::StartFee, ItemKind::IdleFee]
        .into_iter()
        .find(|k| kind_name(*k) == text)
}

impl ItemDoc {
    pub fn from_item(i: &CostItem) -> ItemDoc {
        ItemDoc {
            kind: kind_name(i.kind).to_string(),
            element: i.element,
            from: i.from,
            to: i.to,
            quantity: i.quantity.normalize().to_string(),
            billed: i.billed.normalize().to_string(),
            unit_price: i.unit_price.to_string(),
            amount: i.amount.to_string(),
        }
    }
}

pub fn encode_items(items: &[CostItem]) -> String {
    serde_json::to_string(&items.iter().map(ItemDoc::from_item).collect::<Vec<_>>()).unwrap_or_default()
}

pub fn decode_items(text: &str) -> Result<Vec<CostItem>> {
    let bad = |e: &dyn std::fmt::Display| StoreError::corrupt(format!("session_costs.items: {e}"));
    let docs: Vec<ItemDoc> = serde_json::from_str(text).map_err(|e| bad(&e))?;
    docs.into_iter()
        .map(|d| {
            let dec = |s: &str| s.parse::<Decimal>().map_err(|e| bad(&e));
            Ok(CostItem {
                kind: kind_parse(&d.kind).ok_or_else(|| bad(&d.kind))?,
                element: d.element,
                from: d.from,
                to: d.to,
                quantity: dec(&d.quantity)?,
                billed: dec(&d.billed)?,
                unit_price: dec(&d.unit_price)?,
                amount: dec(&d.amount)?,
            })
        })
        .collect()
}

/// Decodes a decimal column.
pub fn decimal(col: &str, text: &str) -> Result<Decimal> {
    text.parse().map_err(|e| StoreError::corrupt(format!("column {col}: {e}")))
}
