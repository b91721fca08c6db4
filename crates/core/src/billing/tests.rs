//! Assignment precedence, the cheaper group, usage from meter values and the free thresholds, with worked
//! examples checked by hand in the comments.

use super::*;
use crate::station::{ChargingState, ConnectorState};
use crate::tariff::{Dimension, ItemKind, PriceComponent, Restrictions};
use chrono::{DateTime, NaiveTime};
use chrono_tz::Europe::Zurich;

fn utc(s: &str) -> Timestamp {
    DateTime::parse_from_rfc3339(s).expect("test instant").with_timezone(&chrono::Utc)
}

fn d(s: &str) -> Decimal {
    s.parse().expect("test decimal")
}

fn st(s: &str) -> StationId {
    StationId::parse(s).expect("test station")
}

fn energy_body(per_kwh: &str) -> TariffBody {
    TariffBody {
        elements: vec![TariffElement {
            components: vec![
                PriceComponent::new(Dimension::Energy, Price::parse(per_kwh).expect("price"), 1).expect("component"),
            ],
            restrictions: Restrictions::default(),
        }],
        ..TariffBody::default()
    }
}

fn target(station: Option<&str>, connector: Option<u32>, group: Option<i64>) -> TariffTarget {
    TariffTarget { station: station.map(st), connector, group }
}

#[test]
fn assignment_precedence_table() {
    let a = vec![
        (target(None, None, None), 1),           // operator default
        (target(Some("S1"), None, None), 2),     // station
        (target(Some("S1"), Some(2), None), 3),  // connector 2 of S1
        (target(None, None, Some(10)), 4),       // group 10 everywhere
        (target(Some("S1"), None, Some(10)), 5), // group 10 at S1
        (target(None, None, Some(11)), 6),       // group 11 everywhere
    ];
    // (station, connector, groups) -> candidates
    let table: Vec<(&str, u32, Vec<i64>, Vec<i64>)> = vec![
        ("S2", 1, vec![], vec![1]),          // nothing specific: the operator default
        ("S1", 1, vec![], vec![2]),          // the station's
        ("S1", 2, vec![], vec![3]),          // the connector overrides the station
        ("S2", 1, vec![10], vec![4]),        // a group overrides the default
        ("S1", 2, vec![10], vec![5]),        // the group's tariff at this station overrides its general one
        ("S1", 1, vec![10, 11], vec![5, 6]), // two groups: both are candidates (the cheaper applies)
        ("S1", 1, vec![99], vec![2]),        // a group without a tariff changes nothing
    ];
    for (station, connector, groups, want) in table {
        assert_eq!(candidates(&a, &st(station), connector, &groups), want, "{station}/{connector} {groups:?}");
    }
    assert!(candidates(&[], &st("S1"), 1, &[10]).is_empty());
}

#[test]
fn the_cheaper_group_tariff_applies() {
    // 10 kWh: group A at 0.40/kWh = 4.00 net, group B at 0.25/kWh = 2.50 net; B applies.
    let usage = usage(utc("2026-03-02T10:00:00Z"), 0, utc("2026-03-02T12:00:00Z"), 10_000, &[], &[]);
    let (a, b) = (energy_body("0.40"), energy_body("0.25"));
    let settings = BillingSettings::default();
    let (winner, cost) =
        price_cheapest([("A", &a), ("B", &b)], &settings, Zurich, &usage).expect("priced").expect("a winner");
    assert_eq!(winner, "B");
    assert_eq!(cost.net, d("2.50"));
    // VAT 8.1 % of 2.50 = 0.2025 -> 0.20; total 2.70.
    assert_eq!(cost.vat, d("0.20"));
    assert_eq!(cost.total, d("2.70"));
}

#[test]
fn usage_from_register_readings_and_statuses() {
    // Start 10:00 at 1000 Wh; readings 10:15 = 2000, 10:30 = 3000, 10:45 = 3000 (SuspendedEV from 10:30),
    // stop 11:00 at 3000. Energy 1000 + 1000 + 0 + 0; charging ended at 10:30.
    let readings = [
        RegisterReading { at: utc("2026-03-02T10:30:00Z"), wh: 3000.0 },
        RegisterReading { at: utc("2026-03-02T10:15:00Z"), wh: 2000.0 },
        RegisterReading { at: utc("2026-03-02T10:45:00Z"), wh: 3000.0 },
        RegisterReading { at: utc("2026-03-02T10:45:00Z"), wh: 3000.0 }, // duplicate
        RegisterReading { at: utc("2026-03-02T12:00:00Z"), wh: 9000.0 }, // after the stop: ignored
    ];
    let statuses = [
        StatusChange {
            at: utc("2026-03-02T10:00:00Z"),
            status: ConnectorStatus::reported(ConnectorState::Occupied, Some(ChargingState::Charging), "Charging"),
        },
        StatusChange {
            at: utc("2026-03-02T10:30:00Z"),
            status: ConnectorStatus::reported(
                ConnectorState::Occupied,
                Some(ChargingState::SuspendedEv),
                "SuspendedEV",
            ),
        },
    ];
    let u = usage(utc("2026-03-02T10:00:00Z"), 1000, utc("2026-03-02T11:00:00Z"), 3000, &readings, &statuses);
    let shape: Vec<(Decimal, bool)> = u.periods.iter().map(|p| (p.energy_wh, p.charging)).collect();
    assert_eq!(shape, vec![(d("1000"), true), (d("1000"), true), (d("0"), false), (d("0"), false)]);
    assert_eq!(u.charging_ended, Some(utc("2026-03-02T10:30:00Z")));
    assert_eq!(u.end, utc("2026-03-02T11:00:00Z"));
}

#[test]
fn a_meter_that_goes_backwards_counts_no_energy() {
    let readings = [RegisterReading { at: utc("2026-03-02T10:30:00Z"), wh: 500.0 }];
    let u = usage(utc("2026-03-02T10:00:00Z"), 1000, utc("2026-03-02T11:00:00Z"), 1500, &readings, &[]);
    let energy: Vec<Decimal> = u.periods.iter().map(|p| p.energy_wh).collect();
    assert_eq!(energy, vec![d("0"), d("1000")]);
}

#[test]
fn a_session_without_samples_is_one_charging_period() {
    let u = usage(utc("2026-03-02T10:00:00Z"), 0, utc("2026-03-02T10:10:00Z"), 700, &[], &[]);
    assert_eq!(u.periods.len(), 1);
    assert!(u.periods[0].charging);
    assert_eq!(u.charging_ended, None);
    // A session that stops the instant it starts has no periods, and the engine still prices it.
    let empty = usage(utc("2026-03-02T10:00:00Z"), 0, utc("2026-03-02T10:00:00Z"), 0, &[], &[]);
    assert!(empty.periods.is_empty());
    assert!(price(&energy_body("0.30").tariff(&BillingSettings::default()), Zurich, &empty).is_ok());
}

#[test]
fn session_across_midnight_from_meter_readings() {
    // Zurich in January is UTC+1. Low 22:00-06:00 local at 0.20, high otherwise at 0.30, start fee 1.00.
    // Session 21:30-22:30 local (20:30-21:30 UTC), readings every 30 min: 0 -> 3000 -> 5000 Wh.
    // High 3.000 kWh x 0.30 = 0.90; low 2.000 kWh x 0.20 = 0.40; + start fee 1.00 = net 2.30.
    // VAT 8.1 % of 2.30 = 0.1863 -> 0.19; total 2.49.
    let hm = |h, m| NaiveTime::from_hms_opt(h, m, 0);
    let body = TariffBody {
        elements: vec![
            TariffElement {
                components: vec![PriceComponent::new(Dimension::Energy, Price::parse("0.20").unwrap(), 1).unwrap()],
                restrictions: Restrictions { start_time: hm(22, 0), end_time: hm(6, 0), ..Restrictions::default() },
            },
            TariffElement {
                components: vec![PriceComponent::new(Dimension::Energy, Price::parse("0.30").unwrap(), 1).unwrap()],
                restrictions: Restrictions::default(),
            },
        ],
        start_fee: Price::parse("1.00").unwrap(),
        ..TariffBody::default()
    };
    let readings = [RegisterReading { at: utc("2026-01-15T21:00:00Z"), wh: 3000.0 }];
    let u = usage(utc("2026-01-15T20:30:00Z"), 0, utc("2026-01-15T21:30:00Z"), 5000, &readings, &[]);
    let cost = price(&body.tariff(&BillingSettings::default()), Zurich, &u).expect("priced");
    let lines: Vec<(ItemKind, Decimal)> = cost.items.iter().map(|i| (i.kind, i.amount)).collect();
    assert_eq!(
        lines,
        vec![(ItemKind::StartFee, d("1.00")), (ItemKind::Energy, d("0.90")), (ItemKind::Energy, d("0.40"))]
    );
    assert_eq!((cost.net, cost.vat, cost.total), (d("2.30"), d("0.19"), d("2.49")));
}

#[test]
fn free_thresholds_and_free_tariffs() {
    let s = BillingSettings::default(); // 200 Wh, 120 s
    assert!(s.below_threshold(199, 3600));
    assert!(s.below_threshold(5000, 119));
    assert!(!s.below_threshold(200, 120));
    let none = BillingSettings { free_below_wh: 0, free_below_secs: 0, ..s };
    assert!(!none.below_threshold(0, 0));
    assert!(energy_body("0").is_free());
    assert!(!energy_body("0.01").is_free());
    assert!(BillingSettings { free_below_wh: MAX_FREE_BELOW_WH + 1, ..s }.validate().is_err());
}

#[test]
fn targets_are_checked() {
    assert!(target(None, Some(1), None).validate().is_err());
    assert!(target(Some("S1"), Some(0), None).validate().is_err());
    assert!(target(Some("S1"), Some(1), Some(3)).validate().is_err());
    assert!(target(Some("S1"), None, Some(3)).validate().is_ok());
}
