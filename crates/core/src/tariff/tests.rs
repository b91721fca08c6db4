//! Worked examples (each figure computed by hand in the comment next to it) and property tests.

use super::*;
use chrono::DateTime;
use chrono_tz::Europe::Zurich;
use proptest::prelude::*;

fn utc(s: &str) -> Timestamp {
    DateTime::parse_from_rfc3339(s).expect("test instant").with_timezone(&chrono::Utc)
}

fn d(s: &str) -> Decimal {
    s.parse().expect("test decimal")
}

fn p(s: &str) -> Price {
    Price::parse(s).expect("test price")
}

fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).expect("test time")
}

fn component(dimension: Dimension, price: &str, step: u32) -> PriceComponent {
    PriceComponent::new(dimension, p(price), step).expect("test component")
}

fn tariff(elements: Vec<TariffElement>) -> Tariff {
    Tariff {
        currency: Currency::parse("CHF").expect("CHF"),
        vat: VatRate::percent(d("8.1")).expect("vat"),
        elements,
        start_fee: Price::ZERO,
        idle_fee: None,
        min_price: None,
        max_price: None,
        rounding: Rounding::default(),
    }
}

fn element(components: Vec<PriceComponent>, restrictions: Restrictions) -> TariffElement {
    TariffElement { components, restrictions }
}

/// Low tariff 22:00–06:00 local at 0.20/kWh, high tariff otherwise at 0.30/kWh.
fn high_low() -> Tariff {
    tariff(vec![
        element(
            vec![component(Dimension::Energy, "0.20", 1)],
            Restrictions { start_time: Some(hm(22, 0)), end_time: Some(hm(6, 0)), ..Restrictions::default() },
        ),
        element(vec![component(Dimension::Energy, "0.30", 1)], Restrictions::default()),
    ])
}

fn period(start: &str, end: &str, wh: &str, charging: bool) -> UsagePeriod {
    UsagePeriod { start: utc(start), end: utc(end), energy_wh: d(wh), charging }
}

fn usage(periods: Vec<UsagePeriod>) -> Usage {
    Usage {
        start: periods.first().expect("a period").start,
        end: periods.last().expect("a period").end,
        periods,
        charging_ended: None,
    }
}

/// (kind, element, from, to, quantity, amount) of each item, for compact assertions.
fn lines(cost: &Cost) -> Vec<(ItemKind, Option<usize>, Timestamp, Timestamp, Decimal, Decimal)> {
    cost.items.iter().map(|i| (i.kind, i.element, i.from, i.to, i.quantity, i.amount)).collect()
}

#[test]
fn session_across_midnight_with_high_and_low_tariff() {
    // Zurich in January is UTC+1. 21:00–00:30 local = 20:00–23:30 UTC, 2 kWh per hour, 7 kWh in all.
    // The energy element list splits at 22:00 local; midnight cuts too but stays in the low element, so it
    // remains one item. TIME at 1.20/h sits only in the high element, and since OCPI picks the first element
    // *with that dimension* whose restrictions hold, TIME is priced 1.20/h for the whole 3.5 h.
    let mut t = high_low();
    t.elements[1].components.push(component(Dimension::Time, "1.20", 1));
    let u = usage(vec![period("2026-01-15T20:00:00Z", "2026-01-15T23:30:00Z", "7000", true)]);
    let cost = price(&t, Zurich, &u).expect("priced");
    assert_eq!(
        lines(&cost),
        vec![
            // high 21:00–22:00 local: 2 kWh × 0.30 = 0.60
            (ItemKind::Energy, Some(1), utc("2026-01-15T20:00:00Z"), utc("2026-01-15T21:00:00Z"), d("2000"), d("0.60")),
            // low 22:00–00:30 local: 5 kWh × 0.20 = 1.00
            (ItemKind::Energy, Some(0), utc("2026-01-15T21:00:00Z"), utc("2026-01-15T23:30:00Z"), d("5000"), d("1.00")),
            // 3.5 h × 1.20 = 4.20
            (ItemKind::Time, Some(1), utc("2026-01-15T20:00:00Z"), utc("2026-01-15T23:30:00Z"), d("12600"), d("4.20")),
        ]
    );
    assert_eq!(cost.subtotal, d("5.80"));
    assert_eq!(cost.adjustment, Decimal::ZERO);
    // 8.1 % of 5.80 = 0.4698 → 0.47
    assert_eq!(cost.vat, d("0.47"));
    assert_eq!(cost.total, d("6.27"));
    assert_eq!(cost.total_money().to_string(), "CHF 6.27");
}

#[test]
fn spring_forward_night_has_seven_low_hours() {
    // 2026-03-29 Zurich jumps from 02:00 CET to 03:00 CEST (01:00 UTC). Low 22:00 CET = 21:00 UTC until
    // 06:00 CEST = 04:00 UTC: 7 real hours, not 8. 1 kWh per hour over 20:00–05:00 UTC.
    let u = usage(vec![period("2026-03-28T20:00:00Z", "2026-03-29T05:00:00Z", "9000", true)]);
    let cost = price(&high_low(), Zurich, &u).expect("priced");
    assert_eq!(
        lines(&cost),
        vec![
            (ItemKind::Energy, Some(1), utc("2026-03-28T20:00:00Z"), utc("2026-03-28T21:00:00Z"), d("1000"), d("0.30")),
            (ItemKind::Energy, Some(0), utc("2026-03-28T21:00:00Z"), utc("2026-03-29T04:00:00Z"), d("7000"), d("1.40")),
            (ItemKind::Energy, Some(1), utc("2026-03-29T04:00:00Z"), utc("2026-03-29T05:00:00Z"), d("1000"), d("0.30")),
        ]
    );
    assert_eq!(cost.net, d("2.00"));
    // 8.1 % of 2.00 = 0.162 → 0.16
    assert_eq!(cost.total, d("2.16"));
}

#[test]
fn fall_back_night_has_nine_low_hours() {
    // 2026-10-25 Zurich falls back from 03:00 CEST to 02:00 CET (01:00 UTC). Low 22:00 CEST = 20:00 UTC until
    // 06:00 CET = 05:00 UTC: 9 real hours. 1 kWh per hour over 19:00–06:00 UTC.
    let u = usage(vec![period("2026-10-24T19:00:00Z", "2026-10-25T06:00:00Z", "11000", true)]);
    let cost = price(&high_low(), Zurich, &u).expect("priced");
    assert_eq!(
        lines(&cost),
        vec![
            (ItemKind::Energy, Some(1), utc("2026-10-24T19:00:00Z"), utc("2026-10-24T20:00:00Z"), d("1000"), d("0.30")),
            (ItemKind::Energy, Some(0), utc("2026-10-24T20:00:00Z"), utc("2026-10-25T05:00:00Z"), d("9000"), d("1.80")),
            (ItemKind::Energy, Some(1), utc("2026-10-25T05:00:00Z"), utc("2026-10-25T06:00:00Z"), d("1000"), d("0.30")),
        ]
    );
    assert_eq!(cost.net, d("2.40"));
}

#[test]
fn a_window_starting_inside_the_skipped_hour_starts_when_the_clock_jumps() {
    // 02:30 does not exist on 2026-03-29 in Zurich; the wall clock passes it at the jump (01:00 UTC, shown
    // 03:00), so a 02:30–04:00 window runs 01:00–02:00 UTC.
    let t = tariff(vec![
        element(
            vec![component(Dimension::Energy, "0.10", 1)],
            Restrictions { start_time: Some(hm(2, 30)), end_time: Some(hm(4, 0)), ..Restrictions::default() },
        ),
        element(vec![component(Dimension::Energy, "0.50", 1)], Restrictions::default()),
    ]);
    let u = usage(vec![period("2026-03-29T00:00:00Z", "2026-03-29T03:00:00Z", "3000", true)]);
    let cost = price(&t, Zurich, &u).expect("priced");
    assert_eq!(
        lines(&cost),
        vec![
            (ItemKind::Energy, Some(1), utc("2026-03-29T00:00:00Z"), utc("2026-03-29T01:00:00Z"), d("1000"), d("0.50")),
            (ItemKind::Energy, Some(0), utc("2026-03-29T01:00:00Z"), utc("2026-03-29T02:00:00Z"), d("1000"), d("0.10")),
            (ItemKind::Energy, Some(1), utc("2026-03-29T02:00:00Z"), utc("2026-03-29T03:00:00Z"), d("1000"), d("0.50")),
        ]
    );
}

#[test]
fn a_day_of_ten_second_meter_periods_merges_into_three_items() {
    // 2026-01-21 local day in Zurich (UTC+1) = 2026-01-20T23:00Z to 2026-01-21T23:00Z, 8,640 periods of 10 s
    // with 20 Wh each (7.2 kW). Low 00:00–06:00 and 22:00–24:00 = 8 h = 57.6 kWh × 0.20 = 11.52;
    // high 06:00–22:00 = 16 h = 115.2 kWh × 0.30 = 34.56. Net 46.08; VAT 8.1 % = 3.73248 → 3.73; total 49.81.
    let start = utc("2026-01-20T23:00:00Z");
    let periods: Vec<_> = (0..8640)
        .map(|i| UsagePeriod {
            start: start + Duration::seconds(10 * i),
            end: start + Duration::seconds(10 * (i + 1)),
            energy_wh: d("20"),
            charging: true,
        })
        .collect();
    let cost = price(&high_low(), Zurich, &usage(periods)).expect("priced");
    assert_eq!(
        lines(&cost),
        vec![
            (ItemKind::Energy, Some(0), start, utc("2026-01-21T05:00:00Z"), d("43200"), d("8.64")),
            (
                ItemKind::Energy,
                Some(1),
                utc("2026-01-21T05:00:00Z"),
                utc("2026-01-21T21:00:00Z"),
                d("115200"),
                d("34.56")
            ),
            (
                ItemKind::Energy,
                Some(0),
                utc("2026-01-21T21:00:00Z"),
                utc("2026-01-21T23:00:00Z"),
                d("14400"),
                d("2.88")
            ),
        ]
    );
    assert_eq!((cost.net, cost.vat, cost.total), (d("46.08"), d("3.73"), d("49.81")));
}

#[test]
fn a_window_inside_the_repeated_hour_applies_both_times_the_clock_shows_it() {
    // 2026-10-25 Zurich shows 02:00–03:00 twice (CEST, then CET from 01:00 UTC). A 02:30–03:00 window is on the
    // wall clock at 00:30–01:00 UTC and again at 01:30–02:00 UTC. 1 kWh per hour over 00:00–02:30 UTC.
    let t = tariff(vec![
        element(
            vec![component(Dimension::Energy, "0.10", 1)],
            Restrictions { start_time: Some(hm(2, 30)), end_time: Some(hm(3, 0)), ..Restrictions::default() },
        ),
        element(vec![component(Dimension::Energy, "0.50", 1)], Restrictions::default()),
    ]);
    let u = usage(vec![period("2026-10-25T00:00:00Z", "2026-10-25T02:30:00Z", "2500", true)]);
    let cost = price(&t, Zurich, &u).expect("priced");
    let spans: Vec<_> = cost.items.iter().map(|i| (i.element, i.from, i.quantity, i.amount)).collect();
    assert_eq!(
        spans,
        vec![
            (Some(1), utc("2026-10-25T00:00:00Z"), d("500"), d("0.25")),
            (Some(0), utc("2026-10-25T00:30:00Z"), d("500"), d("0.05")),
            (Some(1), utc("2026-10-25T01:00:00Z"), d("500"), d("0.25")),
            (Some(0), utc("2026-10-25T01:30:00Z"), d("500"), d("0.05")),
            (Some(1), utc("2026-10-25T02:00:00Z"), d("500"), d("0.25")),
        ]
    );
}

#[test]
fn weekday_restriction_follows_the_local_date() {
    // Saturday 2026-01-17 is free for energy; the session runs Friday 23:00 to Saturday 01:00 local
    // (22:00–00:00 UTC), 1 kWh per hour: only Friday's hour costs 0.30.
    let t = tariff(vec![
        element(
            vec![component(Dimension::Energy, "0", 1)],
            Restrictions { days: vec![Weekday::Sat, Weekday::Sun], ..Restrictions::default() },
        ),
        element(vec![component(Dimension::Energy, "0.30", 1)], Restrictions::default()),
    ]);
    let u = usage(vec![period("2026-01-16T22:00:00Z", "2026-01-17T00:00:00Z", "2000", true)]);
    let cost = price(&t, Zurich, &u).expect("priced");
    assert_eq!(
        lines(&cost),
        vec![
            (ItemKind::Energy, Some(1), utc("2026-01-16T22:00:00Z"), utc("2026-01-16T23:00:00Z"), d("1000"), d("0.30")),
            (ItemKind::Energy, Some(0), utc("2026-01-16T23:00:00Z"), utc("2026-01-17T00:00:00Z"), d("1000"), d("0.00")),
        ]
    );
}

#[test]
fn date_restriction_starts_at_local_midnight() {
    // A new price from 2026-07-01 local: 0.25 instead of 0.30. Zurich summer is UTC+2, so the new price starts
    // at 2026-06-30T22:00Z. 1 kWh per hour over 21:00–23:00 UTC.
    let t = tariff(vec![
        element(
            vec![component(Dimension::Energy, "0.25", 1)],
            Restrictions { start_date: NaiveDate::from_ymd_opt(2026, 7, 1), ..Restrictions::default() },
        ),
        element(vec![component(Dimension::Energy, "0.30", 1)], Restrictions::default()),
    ]);
    let u = usage(vec![period("2026-06-30T21:00:00Z", "2026-06-30T23:00:00Z", "2000", true)]);
    let cost = price(&t, Zurich, &u).expect("priced");
    assert_eq!(
        lines(&cost),
        vec![
            (ItemKind::Energy, Some(1), utc("2026-06-30T21:00:00Z"), utc("2026-06-30T22:00:00Z"), d("1000"), d("0.30")),
            (ItemKind::Energy, Some(0), utc("2026-06-30T22:00:00Z"), utc("2026-06-30T23:00:00Z"), d("1000"), d("0.25")),
        ]
    );
    // The same element ending there (end_date exclusive) prices the first hour only.
    let mut ending = t.clone();
    ending.elements[0].restrictions =
        Restrictions { end_date: NaiveDate::from_ymd_opt(2026, 7, 1), ..Restrictions::default() };
    let cost = price(&ending, Zurich, &u).expect("priced");
    let elements: Vec<_> = cost.items.iter().map(|i| (i.element, i.amount)).collect();
    assert_eq!(elements, vec![(Some(0), d("0.25")), (Some(1), d("0.30"))]);
}

#[test]
fn step_sizes_and_rounding_settings() {
    // TIME 6.00/h in 5-minute blocks: 6 min charging → 10 min billed → 1.00.
    // ENERGY 0.40/kWh in 1 kWh blocks: 1.5 kWh → 2 kWh billed → 0.80.
    let t = tariff(vec![element(
        vec![component(Dimension::Time, "6.00", 300), component(Dimension::Energy, "0.40", 1000)],
        Restrictions::default(),
    )]);
    let u = usage(vec![period("2026-05-04T10:00:00Z", "2026-05-04T10:06:00Z", "1500", true)]);
    let cost = price(&t, Zurich, &u).expect("priced");
    let billed: Vec<_> = cost.items.iter().map(|i| (i.kind, i.quantity, i.billed, i.amount)).collect();
    assert_eq!(
        billed,
        vec![(ItemKind::Energy, d("1500"), d("2000"), d("0.80")), (ItemKind::Time, d("360"), d("600"), d("1.00"))]
    );

    // Default rounding: time up to the full minute (61 s → 120 s), energy to the nearest Wh (1234.5 → 1235).
    let t = tariff(vec![element(
        vec![component(Dimension::Time, "3.00", 1), component(Dimension::Energy, "1.00", 1)],
        Restrictions::default(),
    )]);
    let u = usage(vec![period("2026-05-04T10:00:00Z", "2026-05-04T10:01:01Z", "1234.5", true)]);
    let cost = price(&t, Zurich, &u).expect("priced");
    let billed: Vec<_> = cost.items.iter().map(|i| (i.kind, i.billed, i.amount)).collect();
    // 1.235 kWh × 1.00 = 1.235 → 1.24 (half up); 2 min × 3.00/h = 0.10
    assert_eq!(billed, vec![(ItemKind::Energy, d("1235"), d("1.24")), (ItemKind::Time, d("120"), d("0.10"))]);

    // The same usage rounded down everywhere: 1234 Wh → 1.234 → 1.23; 60 s → 0.05.
    let mut down = t.clone();
    down.rounding = Rounding {
        time_mode: RoundingMode::Down,
        energy_mode: RoundingMode::Down,
        money_mode: RoundingMode::Down,
        ..Rounding::default()
    };
    let cost = price(&down, Zurich, &u).expect("priced");
    let billed: Vec<_> = cost.items.iter().map(|i| (i.kind, i.billed, i.amount)).collect();
    assert_eq!(billed, vec![(ItemKind::Energy, d("1234"), d("1.23")), (ItemKind::Time, d("60"), d("0.05"))]);
}

#[test]
fn parking_time_start_fee_and_flat() {
    // 1 h charging then 30 min connected, not charging: PARKING_TIME 2.00/h × 0.5 h = 1.00. Start fee 0.50,
    // FLAT 1.00 from the element that holds at the start; TIME not priced by this tariff (free).
    let mut t = tariff(vec![element(
        vec![component(Dimension::ParkingTime, "2.00", 1), component(Dimension::Flat, "1.00", 1)],
        Restrictions::default(),
    )]);
    t.start_fee = p("0.50");
    let u = usage(vec![
        period("2026-05-04T10:00:00Z", "2026-05-04T11:00:00Z", "11000", true),
        period("2026-05-04T11:00:00Z", "2026-05-04T11:30:00Z", "0", false),
    ]);
    let cost = price(&t, Zurich, &u).expect("priced");
    let amounts: Vec<_> = cost.items.iter().map(|i| (i.kind, i.amount)).collect();
    assert_eq!(
        amounts,
        vec![(ItemKind::StartFee, d("0.50")), (ItemKind::Flat, d("1.00")), (ItemKind::ParkingTime, d("1.00"))]
    );
    assert_eq!(cost.net, d("2.50"));
}

#[test]
fn duration_restriction_raises_the_time_price_after_two_hours() {
    // Longship/Monta style: TIME 1.20/h for the first 2 h, 6.00/h after. 2.5 h: 2.40 + 3.00 = 5.40.
    let t = tariff(vec![
        element(
            vec![component(Dimension::Time, "1.20", 1)],
            Restrictions { max_duration_secs: Some(7200), ..Restrictions::default() },
        ),
        element(vec![component(Dimension::Time, "6.00", 1)], Restrictions::default()),
    ]);
    let u = usage(vec![period("2026-05-04T10:00:00Z", "2026-05-04T12:30:00Z", "0", true)]);
    let cost = price(&t, Zurich, &u).expect("priced");
    let amounts: Vec<_> = cost.items.iter().map(|i| (i.element, i.quantity, i.amount)).collect();
    assert_eq!(amounts, vec![(Some(0), d("7200"), d("2.40")), (Some(1), d("1800"), d("3.00"))]);
}

fn idle_tariff() -> Tariff {
    let mut t = tariff(vec![]);
    t.idle_fee = Some(IdleFee { price_per_hour: p("6.00"), grace_secs: 1800, cap: Some(p("5.00")) });
    t
}

fn idle_usage(end: &str) -> Usage {
    let mut u = usage(vec![
        period("2026-05-04T10:00:00Z", "2026-05-04T11:00:00Z", "11000", true),
        period("2026-05-04T11:00:00Z", end, "0", false),
    ]);
    u.charging_ended = Some(utc("2026-05-04T11:00:00Z"));
    u
}

#[test]
fn idle_fee_after_grace_period_up_to_its_cap() {
    // Charging ends 11:00, grace 30 min, 6.00/h, cap 5.00.
    // Unplugged 11:20: within grace, no idle item.
    let cost = price(&idle_tariff(), Zurich, &idle_usage("2026-05-04T11:20:00Z")).expect("priced");
    assert!(cost.items.is_empty());
    assert_eq!(cost.total, Decimal::ZERO);
    // Unplugged 12:10: 70 − 30 = 40 min × 6.00/h = 4.00, counted from 11:30.
    let cost = price(&idle_tariff(), Zurich, &idle_usage("2026-05-04T12:10:00Z")).expect("priced");
    let idle = &cost.items[0];
    assert_eq!(
        (idle.kind, idle.from, idle.billed, idle.amount),
        (ItemKind::IdleFee, utc("2026-05-04T11:30:00Z"), d("2400"), d("4.00"))
    );
    // Unplugged 12:40:30: 100.5 − 30 min → 71 started minutes → 7.10, capped at 5.00.
    let cost = price(&idle_tariff(), Zurich, &idle_usage("2026-05-04T12:40:30Z")).expect("priced");
    assert_eq!((cost.items[0].billed, cost.items[0].amount), (d("4260"), d("5.00")));
    // 5.00 + 8.1 % (0.405 → 0.41)
    assert_eq!(cost.total, d("5.41"));
}

#[test]
fn minimum_and_maximum_session_price() {
    let mut t = tariff(vec![element(vec![component(Dimension::Energy, "0.30", 1)], Restrictions::default())]);
    t.min_price = Some(p("2.00"));
    t.max_price = Some(p("10.00"));
    // 1 kWh × 0.30 = 0.30, raised to 2.00.
    let small = usage(vec![period("2026-05-04T10:00:00Z", "2026-05-04T11:00:00Z", "1000", true)]);
    let cost = price(&t, Zurich, &small).expect("priced");
    assert_eq!(
        (cost.subtotal, cost.adjustment, cost.net, cost.vat, cost.total),
        (d("0.30"), d("1.70"), d("2.00"), d("0.16"), d("2.16"))
    );
    // 50 kWh × 0.30 = 15.00, lowered to 10.00; VAT 0.81.
    let big = usage(vec![period("2026-05-04T10:00:00Z", "2026-05-04T16:00:00Z", "50000", true)]);
    let cost = price(&t, Zurich, &big).expect("priced");
    assert_eq!(
        (cost.subtotal, cost.adjustment, cost.net, cost.vat, cost.total),
        (d("15.00"), d("-5.00"), d("10.00"), d("0.81"), d("10.81"))
    );
}

#[test]
fn an_empty_session_costs_its_fixed_parts() {
    let mut t = high_low();
    t.start_fee = p("0.50");
    let at = utc("2026-05-04T10:00:00Z");
    let u = Usage { start: at, end: at, periods: vec![], charging_ended: None };
    let cost = price(&t, Zurich, &u).expect("priced");
    assert_eq!((cost.items.len(), cost.net), (1, d("0.50")));
}

#[test]
fn bad_values_are_refused_with_the_reason() {
    assert!(Currency::parse("chf").is_err());
    assert!(Currency::parse("CHFX").is_err());
    assert_eq!(Currency::parse("EUR").expect("EUR").to_string(), "EUR");
    assert!(Price::parse("-0.01").is_err());
    assert!(Price::parse("abc").is_err());
    assert!(VatRate::percent(d("100.1")).is_err());
    assert!(VatRate::percent(d("-1")).is_err());
    assert!(PriceComponent::new(Dimension::Energy, p("0.3"), 0).is_err());

    let mut t = high_low();
    t.min_price = Some(p("5"));
    t.max_price = Some(p("4"));
    let err = t.validate().expect_err("min above max");
    assert!(err.to_string().contains("max_price"), "{err}");

    let mut t = high_low();
    t.elements[0].restrictions.min_duration_secs = Some(60);
    t.elements[0].restrictions.max_duration_secs = Some(60);
    assert!(t.validate().is_err());
    let mut t = high_low();
    t.elements[0].restrictions.end_time = Some(hm(22, 0));
    assert!(t.validate().is_err());
    let mut t = high_low();
    t.elements[0].restrictions.start_date = NaiveDate::from_ymd_opt(2026, 7, 1);
    t.elements[0].restrictions.end_date = NaiveDate::from_ymd_opt(2026, 7, 1);
    assert!(t.validate().is_err());
    let mut t = high_low();
    t.rounding.time_step_secs = 0;
    assert!(t.validate().is_err());

    let gap = Usage {
        start: utc("2026-05-04T10:00:00Z"),
        end: utc("2026-05-04T12:00:00Z"),
        periods: vec![
            period("2026-05-04T10:00:00Z", "2026-05-04T11:00:00Z", "1", true),
            period("2026-05-04T11:00:01Z", "2026-05-04T12:00:00Z", "1", true),
        ],
        charging_ended: None,
    };
    let err = price(&high_low(), Zurich, &gap).expect_err("gap");
    assert!(err.to_string().contains("previous period ended"), "{err}");
    let short = usage(vec![period("2026-05-04T10:00:00Z", "2026-05-04T11:00:00Z", "1", true)]);
    let mut longer = short.clone();
    longer.end = utc("2026-05-04T11:30:00Z");
    assert!(price(&high_low(), Zurich, &longer).is_err());
    let mut negative = short.clone();
    negative.periods[0].energy_wh = d("-1");
    assert!(price(&high_low(), Zurich, &negative).is_err());
    let mut outside = short.clone();
    outside.charging_ended = Some(utc("2026-05-04T12:00:00Z"));
    assert!(price(&high_low(), Zurich, &outside).is_err());
    let mut huge = short.clone();
    huge.periods[0].energy_wh = Decimal::MAX;
    let err = price(&high_low(), Zurich, &huge).expect_err("huge energy");
    assert!(err.to_string().contains("must not exceed"), "{err}");
    assert!(Price::new(Decimal::MAX).is_err());
    let mut month = short.clone();
    month.end = month.start + Duration::days(63);
    month.periods[0].end = month.end;
    let err = price(&high_low(), Zurich, &month).expect_err("too long");
    assert!(err.to_string().contains("62 days"), "{err}");
    let mut backwards = short;
    backwards.periods[0].end = backwards.periods[0].start;
    backwards.end = backwards.start;
    assert!(price(&high_low(), Zurich, &backwards).is_err());
}

// ---- property tests ----
//
// Periods are whole seconds with a constant power given in mWh per second, so every proportional cut the
// engine makes (at whole-second boundaries) yields an exact decimal and the properties can be checked with
// equality, not a tolerance.

#[derive(Debug, Clone)]
struct Seg {
    secs: i64,
    mwh_per_sec: i64,
    charging: bool,
}

fn mode() -> impl Strategy<Value = RoundingMode> {
    prop_oneof![Just(RoundingMode::Up), Just(RoundingMode::Down), Just(RoundingMode::HalfUp)]
}

fn cents() -> impl Strategy<Value = Price> {
    (0i64..=500).prop_map(|c| Price::new(Decimal::new(c, 2)).expect("non-negative"))
}

fn components() -> impl Strategy<Value = Vec<PriceComponent>> {
    (
        cents(),
        prop_oneof![Just(1u32), Just(100), Just(1000)],
        cents(),
        prop_oneof![Just(1u32), Just(60), Just(300)],
        cents(),
        cents(),
        any::<[bool; 4]>(),
    )
        .prop_map(|(e, es, t, ts, pk, f, on)| {
            let all = [
                PriceComponent { dimension: Dimension::Energy, price: e, step_size: es },
                PriceComponent { dimension: Dimension::Time, price: t, step_size: ts },
                PriceComponent { dimension: Dimension::ParkingTime, price: pk, step_size: ts },
                PriceComponent { dimension: Dimension::Flat, price: f, step_size: 1 },
            ];
            all.into_iter().zip(on).filter(|(_, on)| *on).map(|(c, _)| c).collect()
        })
}

fn arb_tariff() -> impl Strategy<Value = Tariff> {
    (
        components(),
        components(),
        components(),
        components(),
        (0u32..24, 0u32..24, proptest::option::of(1u32..20_000)),
        (cents(), proptest::option::of((cents(), 0u32..7200, proptest::option::of(cents())))),
        (proptest::option::of(cents()), proptest::option::of(cents())),
        (1u32..=120, mode(), 1u32..=10, mode(), 0u32..=3, mode()),
        proptest::option::of(0u64..365),
    )
        .prop_map(|(low, weekend, timed, base, (from, to, dur), (start_fee, idle), (a, b), r, since)| {
            let start_date = since.map(|days| utc("2026-01-01T00:00:00Z").date_naive() + chrono::Days::new(days));
            let to = if to == from { (to + 1) % 24 } else { to };
            let (min_price, max_price) = match (a, b) {
                (Some(a), Some(b)) => (Some(a.min(b)), Some(a.max(b))),
                other => other,
            };
            Tariff {
                currency: Currency::parse("CHF").expect("CHF"),
                vat: VatRate::percent(Decimal::new(81, 1)).expect("vat"),
                elements: vec![
                    element(
                        low,
                        Restrictions {
                            start_time: Some(hm(from, 0)),
                            end_time: Some(hm(to, 30)),
                            ..Restrictions::default()
                        },
                    ),
                    element(
                        weekend,
                        Restrictions { days: vec![Weekday::Sat, Weekday::Sun], ..Restrictions::default() },
                    ),
                    element(timed, Restrictions { min_duration_secs: dur, start_date, ..Restrictions::default() }),
                    element(base, Restrictions::default()),
                ],
                start_fee,
                idle_fee: idle.map(|(price_per_hour, grace_secs, cap)| IdleFee { price_per_hour, grace_secs, cap }),
                min_price,
                max_price,
                rounding: Rounding {
                    time_step_secs: r.0,
                    time_mode: r.1,
                    energy_step_wh: r.2,
                    energy_mode: r.3,
                    money_scale: r.4,
                    money_mode: r.5,
                },
            }
        })
}

fn arb_segs() -> impl Strategy<Value = Vec<Seg>> {
    proptest::collection::vec(
        (1i64..=4 * 3600, prop_oneof![Just(0i64), 0i64..=3000], any::<bool>())
            .prop_map(|(secs, mwh_per_sec, charging)| Seg { secs, mwh_per_sec, charging }),
        1..6,
    )
}

/// Start instants in 2026 including both daylight-saving nights in Europe.
fn arb_start() -> impl Strategy<Value = Timestamp> {
    let base = utc("2026-01-01T00:00:00Z");
    prop_oneof![
        (0i64..365 * 86_400).prop_map(move |s| base + Duration::seconds(s)),
        (0i64..86_400).prop_map(|s| utc("2026-03-28T18:00:00Z") + Duration::seconds(s)),
        (0i64..86_400).prop_map(|s| utc("2026-10-24T18:00:00Z") + Duration::seconds(s)),
    ]
}

fn build(start: Timestamp, segs: &[Seg], ended_back: Option<i64>) -> Usage {
    let mut at = start;
    let periods = segs
        .iter()
        .map(|s| {
            let end = at + Duration::seconds(s.secs);
            let p = UsagePeriod {
                start: at,
                end,
                energy_wh: Decimal::new(s.mwh_per_sec * s.secs, 3),
                charging: s.charging,
            };
            at = end;
            p
        })
        .collect();
    let total: i64 = segs.iter().map(|s| s.secs).sum();
    Usage { start, end: at, periods, charging_ended: ended_back.map(|b| at - Duration::seconds(b.min(total))) }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn cost_is_never_negative(t in arb_tariff(), start in arb_start(), segs in arb_segs(), back in proptest::option::of(0i64..20_000)) {
        let cost = price(&t, Zurich, &build(start, &segs, back)).expect("priced");
        prop_assert!(cost.items.iter().all(|i| i.amount >= Decimal::ZERO));
        prop_assert!(cost.net >= Decimal::ZERO && cost.vat >= Decimal::ZERO && cost.total >= Decimal::ZERO);
        prop_assert_eq!(cost.total, cost.net + cost.vat);
    }

    #[test]
    fn splitting_a_period_at_any_instant_changes_nothing(
        t in arb_tariff(), start in arb_start(), segs in arb_segs(), back in proptest::option::of(0i64..20_000),
        which in any::<prop::sample::Index>(), at in any::<prop::sample::Index>(),
    ) {
        let whole = price(&t, Zurich, &build(start, &segs, back)).expect("priced");
        let i = which.index(segs.len());
        prop_assume!(segs[i].secs >= 2);
        let first = 1 + at.index(segs[i].secs as usize - 1) as i64;
        let mut split = segs.clone();
        let rest = Seg { secs: segs[i].secs - first, ..segs[i].clone() };
        split[i].secs = first;
        split.insert(i + 1, rest);
        let parts = price(&t, Zurich, &build(start, &split, back)).expect("priced");
        prop_assert_eq!(whole, parts);
    }

    #[test]
    fn more_energy_never_costs_less(
        t in arb_tariff(), start in arb_start(), segs in arb_segs(), back in proptest::option::of(0i64..20_000),
        which in any::<prop::sample::Index>(), more in 1i64..3000,
    ) {
        let before = price(&t, Zurich, &build(start, &segs, back)).expect("priced");
        let mut grown = segs.clone();
        grown[which.index(segs.len())].mwh_per_sec += more;
        let after = price(&t, Zurich, &build(start, &grown, back)).expect("priced");
        prop_assert!(after.total >= before.total, "{} < {}", after.total, before.total);
    }

    #[test]
    fn more_time_never_costs_less(
        t in arb_tariff(), start in arb_start(), segs in arb_segs(), back in proptest::option::of(0i64..20_000),
        extra in 1i64..4 * 3600, mwh_per_sec in 0i64..3000, charging in any::<bool>(),
    ) {
        let u = build(start, &segs, back);
        let before = price(&t, Zurich, &u).expect("priced");
        // The session goes on after its last period; when charging had ended it stays ended.
        let mut longer = u.clone();
        let end = u.end + Duration::seconds(extra);
        let charging = charging && u.charging_ended.is_none();
        longer.periods.push(UsagePeriod { start: u.end, end, energy_wh: Decimal::new(mwh_per_sec * extra, 3), charging });
        longer.end = end;
        let after = price(&t, Zurich, &longer).expect("priced");
        prop_assert!(after.total >= before.total, "{} < {}", after.total, before.total);
    }
}
