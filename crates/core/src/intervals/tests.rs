use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::{Asia, Europe, Tz};
use proptest::prelude::*;

use super::*;

fn at(s: &str) -> Timestamp {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn sampled(t: &str, wh: f64) -> Reading {
    Reading { at: at(t), wh, clock_aligned: false }
}

fn aligned(t: &str, wh: f64) -> Reading {
    Reading { at: at(t), wh, clock_aligned: true }
}

fn day(readings: &[Reading], d: &str) -> Vec<Interval> {
    intervals(readings, Europe::Zurich, date(d), date(d), IntervalOptions::default()).unwrap()
}

/// Clock-aligned readings every quarter hour from `from` to `to` (inclusive), `step` Wh apart.
fn aligned_series(from: Timestamp, to: Timestamp, step: f64) -> Vec<Reading> {
    let mut out = Vec::new();
    let mut t = from;
    let mut wh = 1_000.0;
    while t <= to {
        out.push(Reading { at: t, wh, clock_aligned: true });
        wh += step;
        t += Duration::minutes(15);
    }
    out
}

fn rfc(t: &DateTime<FixedOffset>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, false)
}

#[test]
fn an_ordinary_day_has_96_measured_intervals_from_local_midnight() {
    // Zurich in summer is UTC+2: the local day 2026-06-15 is 2026-06-14T22:00Z .. 2026-06-15T22:00Z.
    let rs = aligned_series(at("2026-06-14T22:00:00Z"), at("2026-06-15T22:00:00Z"), 25.0);
    let iv = day(&rs, "2026-06-15");
    assert_eq!(iv.len(), 96);
    assert!(iv.iter().all(|i| i.energy == IntervalEnergy::Measured(25)));
    assert_eq!(iv[0].start, at("2026-06-14T22:00:00Z"));
    assert_eq!(rfc(&iv[0].start_local), "2026-06-15T00:00:00+02:00");
    assert_eq!(rfc(&iv[95].end_local), "2026-06-16T00:00:00+02:00");
    assert_eq!(iv[95].end, at("2026-06-15T22:00:00Z"));
}

#[test]
fn the_spring_daylight_saving_day_has_92_intervals() {
    // 2026-03-29: clocks go from 02:00+01:00 to 03:00+02:00; the day is 23 hours, 2026-03-28T23:00Z .. 22:00Z.
    let rs = aligned_series(at("2026-03-28T23:00:00Z"), at("2026-03-29T22:00:00Z"), 10.0);
    let iv = day(&rs, "2026-03-29");
    assert_eq!(iv.len(), 92);
    assert_eq!(rfc(&iv[0].start_local), "2026-03-29T00:00:00+01:00");
    // The last winter-time quarter hour ends at the first summer-time instant: 15 minutes, labelled 01:45 → 03:00.
    assert_eq!(rfc(&iv[7].start_local), "2026-03-29T01:45:00+01:00");
    assert_eq!(rfc(&iv[7].end_local), "2026-03-29T03:00:00+02:00");
    assert_eq!(iv[7].start, at("2026-03-29T00:45:00Z"));
    assert_eq!(iv[7].end, at("2026-03-29T01:00:00Z"));
    assert_eq!(rfc(&iv[8].start_local), "2026-03-29T03:00:00+02:00");
    assert_eq!(rfc(&iv[91].end_local), "2026-03-30T00:00:00+02:00");
    assert!(iv.iter().all(|i| i.energy == IntervalEnergy::Measured(10)));
    assert_eq!(iv.iter().filter_map(|i| i.energy.wh()).sum::<u64>(), 920);
}

#[test]
fn the_autumn_daylight_saving_day_has_100_intervals_and_labels_the_repeated_hour_by_offset() {
    // 2026-10-25: clocks go from 03:00+02:00 back to 02:00+01:00; the day is 25 hours, 2026-10-24T22:00Z .. 23:00Z.
    let rs = aligned_series(at("2026-10-24T22:00:00Z"), at("2026-10-25T23:00:00Z"), 10.0);
    let iv = day(&rs, "2026-10-25");
    assert_eq!(iv.len(), 100);
    assert_eq!(rfc(&iv[0].start_local), "2026-10-25T00:00:00+02:00");
    // Last summer-time quarter hour: it ends at 01:00Z, the first winter-time instant, which reads 02:00+01:00.
    assert_eq!(rfc(&iv[11].start_local), "2026-10-25T02:45:00+02:00");
    assert_eq!(rfc(&iv[11].end_local), "2026-10-25T02:00:00+01:00");
    assert_eq!(iv[11].end, at("2026-10-25T01:00:00Z"));
    // The repeated hour, now in winter time.
    assert_eq!(rfc(&iv[12].start_local), "2026-10-25T02:00:00+01:00");
    assert_eq!(rfc(&iv[12].end_local), "2026-10-25T02:15:00+01:00");
    assert_eq!(rfc(&iv[15].start_local), "2026-10-25T02:45:00+01:00");
    assert_eq!(rfc(&iv[15].end_local), "2026-10-25T03:00:00+01:00");
    assert_eq!(rfc(&iv[99].end_local), "2026-10-26T00:00:00+01:00");
    assert_eq!(iv[99].end, at("2026-10-25T23:00:00Z"));
    assert_eq!(iv.iter().filter_map(|i| i.energy.wh()).sum::<u64>(), 1000);
}

#[test]
fn a_range_of_days_is_contiguous_across_the_change() {
    let iv =
        intervals(&[], Europe::Zurich, date("2026-03-28"), date("2026-03-30"), IntervalOptions::default()).unwrap();
    assert_eq!(iv.len(), 96 + 92 + 96);
    assert!(iv.windows(2).all(|w| w[0].end == w[1].start && w[1].start - w[0].start == Duration::minutes(15)));
    assert!(iv.iter().all(|i| i.energy == IntervalEnergy::Missing));
}

/// Sampled readings (not clock-aligned) with a 6 h 20 min gap in the night, hand-checked.
fn gap_day_readings() -> Vec<Reading> {
    vec![
        sampled("2026-06-14T21:50:00Z", 1000.0),
        sampled("2026-06-14T22:10:00Z", 1200.0),
        sampled("2026-06-14T22:40:00Z", 1700.0),
        sampled("2026-06-15T05:00:00Z", 5000.0),
        sampled("2026-06-15T05:20:00Z", 5100.0),
    ]
}

#[test]
fn a_day_with_gaps_interpolates_where_it_may_and_marks_the_rest_missing() {
    let iv = day(&gap_day_readings(), "2026-06-15");
    assert_eq!(iv.len(), 96);
    // 22:00Z: 1000 + 200·10/20 = 1100. 22:15Z: 1200 + 500·5/30 = 1283.3 → 1283. 22:30Z: 1200 + 500·20/30 =
    // 1533.3 → 1533. 22:45Z lies in the gap 22:40Z..05:00Z (longer than 6 h): unknown.
    assert_eq!(iv[0].energy, IntervalEnergy::Interpolated(183));
    assert_eq!(iv[1].energy, IntervalEnergy::Interpolated(250));
    assert!(iv[2..28].iter().all(|i| i.energy == IntervalEnergy::Missing));
    // 05:00Z is a sampled reading (5000), 05:15Z is 5000 + 100·15/20 = 5075; 05:30Z is after the last reading.
    assert_eq!(iv[28].start, at("2026-06-15T05:00:00Z"));
    assert_eq!(iv[28].energy, IntervalEnergy::Interpolated(75));
    assert!(iv[29..].iter().all(|i| i.energy == IntervalEnergy::Missing));
}

#[test]
fn a_longer_max_gap_bridges_the_night_and_the_sum_telescopes() {
    let options = IntervalOptions { max_gap: Duration::hours(7) };
    let iv = intervals(&gap_day_readings(), Europe::Zurich, date("2026-06-15"), date("2026-06-15"), options).unwrap();
    // Known from 22:00Z (1100) to 05:15Z (5075): 29 intervals adding up to exactly 5075 − 1100.
    let known: Vec<_> = iv.iter().filter_map(|i| i.energy.wh()).collect();
    assert_eq!(known.len(), 29);
    assert_eq!(known.iter().sum::<u64>(), 3975);
    assert!(iv[..29].iter().all(|i| matches!(i.energy, IntervalEnergy::Interpolated(_))));
}

#[test]
fn measured_needs_clock_aligned_readings_at_both_boundaries() {
    let rs = vec![
        aligned("2026-06-14T22:00:00Z", 100.0),
        sampled("2026-06-14T22:07:00Z", 120.0),
        aligned("2026-06-14T22:15:00Z", 150.0),
        sampled("2026-06-14T22:30:00Z", 210.0),
        // A sampled value at the same instant as a clock-aligned one: the clock-aligned one counts.
        sampled("2026-06-14T22:45:00Z", 299.0),
        aligned("2026-06-14T22:45:00Z", 300.0),
        aligned("2026-06-14T23:00:00Z", 400.0),
    ];
    let iv = day(&rs, "2026-06-15");
    assert_eq!(iv[0].energy, IntervalEnergy::Measured(50));
    assert_eq!(iv[1].energy, IntervalEnergy::Interpolated(60));
    assert_eq!(iv[2].energy, IntervalEnergy::Interpolated(90));
    assert_eq!(iv[3].energy, IntervalEnergy::Measured(100));
    assert_eq!(iv[4].energy, IntervalEnergy::Missing);
}

#[test]
fn clock_aligned_readings_off_the_boundary_are_only_interpolation_points() {
    // A station with ClockAlignedDataInterval 600 sends values at :00, :10, :20 ...; only :00 (and :30) fall on
    // quarter-hour boundaries.
    let rs = vec![
        aligned("2026-06-14T22:00:00Z", 0.0),
        aligned("2026-06-14T22:10:00Z", 100.0),
        aligned("2026-06-14T22:20:00Z", 200.0),
        aligned("2026-06-14T22:30:00Z", 300.0),
    ];
    let iv = day(&rs, "2026-06-15");
    assert_eq!(iv[0].energy, IntervalEnergy::Interpolated(150));
    assert_eq!(iv[1].energy, IntervalEnergy::Interpolated(150));
    assert_eq!(iv[2].energy, IntervalEnergy::Missing);
}

#[test]
fn a_register_reset_makes_the_affected_interval_missing_not_negative() {
    let rs = vec![
        aligned("2026-06-14T22:00:00Z", 1000.0),
        aligned("2026-06-14T22:15:00Z", 1100.0),
        sampled("2026-06-14T22:20:00Z", 5.0), // meter replaced or reset
        aligned("2026-06-14T22:30:00Z", 50.0),
        aligned("2026-06-14T22:45:00Z", 80.0),
    ];
    let iv = day(&rs, "2026-06-15");
    assert_eq!(iv[0].energy, IntervalEnergy::Measured(100));
    assert_eq!(iv[1].energy, IntervalEnergy::Missing);
    assert_eq!(iv[2].energy, IntervalEnergy::Measured(30));
}

#[test]
fn a_reset_inside_an_interval_is_missing_even_when_the_register_climbs_back_above() {
    // Both boundaries are clock-aligned readings and the end value is higher than the start value, but the
    // register was reset in between: 1200 − 1000 would be a wrong 200 Wh (the true energy is unknown).
    let rs = vec![
        aligned("2026-06-14T22:00:00Z", 1000.0),
        sampled("2026-06-14T22:05:00Z", 3000.0),
        sampled("2026-06-14T22:10:00Z", 2.0),
        aligned("2026-06-14T22:15:00Z", 1200.0),
        aligned("2026-06-14T22:30:00Z", 1300.0),
    ];
    let iv = day(&rs, "2026-06-15");
    assert_eq!(iv[0].energy, IntervalEnergy::Missing);
    assert_eq!(iv[1].energy, IntervalEnergy::Measured(100));
}

#[test]
fn a_gap_longer_than_the_maximum_between_two_boundary_readings_is_missing() {
    // The rule is about the readings, not the boundaries: with a 10-minute maximum, two clock-aligned readings
    // 15 minutes apart with nothing in between are a gap.
    let rs = vec![aligned("2026-06-14T22:00:00Z", 1000.0), aligned("2026-06-14T22:15:00Z", 1200.0)];
    let options = IntervalOptions { max_gap: Duration::minutes(10) };
    let iv = intervals(&rs, Europe::Zurich, date("2026-06-15"), date("2026-06-15"), options).unwrap();
    assert_eq!(iv[0].energy, IntervalEnergy::Missing);
    let iv = day(&rs, "2026-06-15");
    assert_eq!(iv[0].energy, IntervalEnergy::Measured(200));
}

#[test]
fn a_reset_between_boundaries_is_not_interpolated_across() {
    // The register goes down between 22:10Z and 22:20Z: the boundary 22:15Z has no value, so both intervals
    // touching it are missing, while the boundary values on either side stay usable.
    let rs = vec![
        sampled("2026-06-14T21:55:00Z", 900.0),
        sampled("2026-06-14T22:10:00Z", 1050.0),
        sampled("2026-06-14T22:20:00Z", 10.0),
        sampled("2026-06-14T22:35:00Z", 160.0),
    ];
    let iv = day(&rs, "2026-06-15");
    // 22:00Z: 900 + 150·5/15 = 950; 22:30Z: 10 + 150·10/15 = 110.
    assert_eq!(iv[0].energy, IntervalEnergy::Missing);
    assert_eq!(iv[1].energy, IntervalEnergy::Missing);
    assert_eq!(iv[2].energy, IntervalEnergy::Missing); // 22:45Z is after the last reading
    let shorter = vec![rs[0], rs[1], sampled("2026-06-14T22:14:00Z", 1090.0), rs[2], rs[3]];
    let iv = day(&shorter, "2026-06-15");
    // 22:15Z still lies between a higher and a lower reading: unknown; 22:00Z..22:15Z stays missing.
    assert_eq!(iv[0].energy, IntervalEnergy::Missing);
    let after = vec![rs[2], rs[3], sampled("2026-06-14T22:50:00Z", 310.0)];
    let iv = day(&after, "2026-06-15");
    // 22:30Z = 110, 22:45Z = 160 + 150·10/15 = 260.
    assert_eq!(iv[2].energy, IntervalEnergy::Interpolated(150));
}

#[test]
fn unusable_readings_are_ignored() {
    let rs = vec![
        aligned("2026-06-14T22:00:00Z", 0.0),
        sampled("2026-06-14T22:05:00Z", f64::NAN),
        sampled("2026-06-14T22:10:00Z", -5.0),
        aligned("2026-06-14T22:15:00Z", 30.0),
    ];
    assert_eq!(day(&rs, "2026-06-15")[0].energy, IntervalEnergy::Measured(30));
}

#[test]
fn readings_in_any_order_give_the_same_intervals() {
    let mut rs = gap_day_readings();
    let sorted = day(&rs, "2026-06-15");
    rs.reverse();
    assert_eq!(day(&rs, "2026-06-15"), sorted);
}

#[test]
fn zones_with_45_minute_offsets_still_have_96_quarter_hours() {
    let iv =
        intervals(&[], Asia::Kathmandu, date("2026-06-15"), date("2026-06-15"), IntervalOptions::default()).unwrap();
    assert_eq!(iv.len(), 96);
    assert_eq!(iv[0].start, at("2026-06-14T18:15:00Z"));
    assert_eq!(rfc(&iv[0].start_local), "2026-06-15T00:00:00+05:45");
    assert_eq!(rfc(&iv[0].end_local), "2026-06-15T00:15:00+05:45");
}

#[test]
fn days_not_starting_on_a_utc_quarter_hour_are_refused() {
    // Zurich kept local mean time (+00:34:08) until 1894.
    let err = intervals(&[], Europe::Zurich, date("1890-06-15"), date("1890-06-15"), IntervalOptions::default());
    match err {
        Err(DomainError::Invalid { what: "time zone", reason, .. }) => {
            assert!(reason.contains("quarter hour"), "{reason}")
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn bad_ranges_and_options_are_refused() {
    let o = IntervalOptions::default();
    let e = intervals(&[], Europe::Zurich, date("2026-06-15"), date("2026-06-14"), o).unwrap_err();
    assert!(matches!(e, DomainError::Invalid { what: "date range", .. }));
    let e = intervals(&[], Europe::Zurich, date("2016-01-01"), date("2026-12-31"), o).unwrap_err();
    assert!(matches!(e, DomainError::Invalid { what: "date range", .. }));
    let e = intervals(
        &[],
        Europe::Zurich,
        date("2026-06-15"),
        date("2026-06-15"),
        IntervalOptions { max_gap: Duration::zero() },
    )
    .unwrap_err();
    assert!(matches!(e, DomainError::Invalid { what: "max gap", .. }));
}

#[test]
fn readings_come_from_energy_register_samples() {
    use crate::meter::{MeterSample, RawSample};
    let t = at("2026-06-14T22:00:00Z");
    let clock = MeterSample::from_raw(
        t,
        RawSample { value: "1.5", unit: Some("kWh"), context: Some("Sample.Clock"), ..Default::default() },
    );
    assert_eq!(Reading::from_sample(&clock), Some(Reading { at: t, wh: 1500.0, clock_aligned: true }));
    let periodic = MeterSample::from_raw(t, RawSample { value: "7", ..Default::default() });
    assert_eq!(Reading::from_sample(&periodic), Some(Reading { at: t, wh: 7.0, clock_aligned: false }));
    let power = MeterSample::from_raw(
        t,
        RawSample { value: "7", measurand: Some("Power.Active.Import"), ..Default::default() },
    );
    assert_eq!(Reading::from_sample(&power), None);
}

/// A minimal CSV reader for what [`IntervalCsv`] writes (no quoting is ever needed).
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    assert!(text.ends_with('\n'));
    text.lines().map(|l| l.split(',').map(str::to_string).collect()).collect()
}

#[test]
fn the_csv_reads_back_for_one_and_many_stations() {
    let a = StationId::parse("ZH-001").unwrap();
    let b = StationId::parse("ZH-002").unwrap();
    let autumn = day(&aligned_series(at("2026-10-24T22:00:00Z"), at("2026-10-25T23:00:00Z"), 10.0), "2026-10-25");
    let gaps = day(&gap_day_readings(), "2026-06-15");
    let mut csv = IntervalCsv::new(Vec::new()).unwrap();
    csv.write(&a, None, &autumn).unwrap();
    csv.write(&b, Some(1), &gaps).unwrap();
    let text = String::from_utf8(csv.finish().unwrap()).unwrap();
    let rows = parse_csv(&text);

    assert_eq!(rows[0].join(","), CSV_HEADER);
    assert_eq!(rows.len(), 1 + 100 + 96);
    assert!(rows.iter().all(|r| r.len() == 6));
    let (ra, rb) = rows[1..].split_at(100);
    assert!(ra.iter().all(|r| r[0] == "ZH-001" && r[1].is_empty()));
    assert!(rb.iter().all(|r| r[0] == "ZH-002" && r[1] == "1"));
    assert_eq!(ra[11][2..].join(","), "2026-10-25T02:45:00+02:00,2026-10-25T02:00:00+01:00,10,measured");
    assert_eq!(rb[0][2..].join(","), "2026-06-15T00:00:00+02:00,2026-06-15T00:15:00+02:00,183,interpolated");
    assert_eq!(rb[2][2..].join(","), "2026-06-15T00:30:00+02:00,2026-06-15T00:45:00+02:00,,missing");

    // Every row reads back to the interval it was written from, and rows of a station are contiguous.
    for (rows, ivs) in [(ra, &autumn), (rb, &gaps)] {
        for (r, i) in rows.iter().zip(ivs.iter()) {
            let start = DateTime::parse_from_rfc3339(&r[2]).unwrap();
            let end = DateTime::parse_from_rfc3339(&r[3]).unwrap();
            assert_eq!((start.with_timezone(&Utc), end.with_timezone(&Utc)), (i.start, i.end));
            assert_eq!(end - start, Duration::minutes(15));
            let wh = if r[4].is_empty() { None } else { Some(r[4].parse::<u64>().unwrap()) };
            assert_eq!(wh, i.energy.wh());
            assert_eq!(r[5], i.energy.quality());
        }
        assert!(rows.windows(2).all(|w| w[0][3] == w[1][2]));
    }
    let total: u64 = rows[1..].iter().filter(|r| !r[4].is_empty()).map(|r| r[4].parse::<u64>().unwrap()).sum();
    assert_eq!(total, 1000 + 183 + 250 + 75);
}

/// The register value at `t` as the module documents it, computed naively (a linear scan per call), for the
/// property tests. `rs` is sorted with strictly increasing instants and never decreasing values.
fn reference_value(rs: &[Reading], t: Timestamp) -> f64 {
    let i = rs.iter().position(|r| r.at >= t).unwrap();
    if rs[i].at == t {
        return rs[i].wh;
    }
    let (p, n) = (&rs[i - 1], &rs[i]);
    p.wh + (n.wh - p.wh) * ((t - p.at).num_milliseconds() as f64 / (n.at - p.at).num_milliseconds() as f64)
}

/// Readings from before the local day 2026-10-25 (Europe/Zurich, 100 intervals) to after it: steps of whole
/// minutes (so some land on boundaries) up to 2 h, increments of 0..5 kWh with fractions of a Wh.
fn covering_readings() -> impl Strategy<Value = Vec<Reading>> {
    (0i64..=15, proptest::collection::vec((1i64..=120, 0u32..=5_000_000, any::<bool>()), 1..400)).prop_map(
        |(lead, steps)| {
            let mut t = at("2026-10-24T22:00:00Z") - Duration::minutes(lead);
            let end = at("2026-10-25T23:00:00Z");
            let mut wh = 12_345.678;
            let mut out = vec![Reading { at: t, wh, clock_aligned: false }];
            let mut k = 0;
            while t < end {
                let (minutes, milli_wh, clock) = steps[k % steps.len()];
                k += 1;
                t += Duration::minutes(minutes);
                wh += f64::from(milli_wh) / 1000.0;
                out.push(Reading { at: t, wh, clock_aligned: clock && t.timestamp() % INTERVAL_SECONDS == 0 });
            }
            out
        },
    )
}

proptest! {
    #[test]
    fn without_gaps_the_intervals_add_up_to_the_register_difference(rs in covering_readings()) {
        let iv = day(&rs, "2026-10-25");
        prop_assert_eq!(iv.len(), 100);
        let first = reference_value(&rs, iv[0].start).round() as i64;
        let last = reference_value(&rs, iv[99].end).round() as i64;
        let mut sum = 0i64;
        for i in &iv {
            let wh = i.energy.wh();
            prop_assert!(wh.is_some(), "{:?} missing", i);
            sum += wh.unwrap() as i64;
        }
        prop_assert_eq!(sum, last - first);
    }

    #[test]
    fn with_resets_and_gaps_energies_match_the_reference_or_are_missing(
        steps in proptest::collection::vec((1i64..=600, -2_000i32..=5_000, any::<bool>()), 1..300),
    ) {
        // Steps of up to 10 h against the default 6 h limit, values going up and (sometimes) down.
        let mut t = at("2026-03-28T22:00:00Z");
        let mut wh = 1_000_000.0; // stays positive: 300 steps of at most −3000 Wh
        let mut rs = Vec::new();
        for (minutes, delta, clock) in steps {
            t += Duration::minutes(minutes);
            wh += f64::from(delta) * 1.5;
            rs.push(Reading { at: t, wh, clock_aligned: clock });
        }
        let ok = |a: &Reading, b: &Reading| b.wh >= a.wh && b.at - a.at <= Duration::hours(6);
        let iv = intervals(&rs, Europe::Zurich, date("2026-03-29"), date("2026-03-29"), IntervalOptions::default()).unwrap();
        prop_assert_eq!(iv.len(), 92);
        for i in &iv {
            // Readings that determine the interval: the last at or before its start .. the first at or after its end.
            let lo = rs.iter().rposition(|r| r.at <= i.start);
            let hi = rs.iter().position(|r| r.at >= i.end);
            let clean = match (lo, hi) {
                (Some(lo), Some(hi)) => rs[lo..=hi].windows(2).all(|w| ok(&w[0], &w[1])),
                _ => false,
            };
            if clean {
                let e = reference_value(&rs, i.end).round() - reference_value(&rs, i.start).round();
                prop_assert_eq!(i.energy.wh(), Some(e as u64), "{:?}", i);
            } else {
                prop_assert_eq!(i.energy, IntervalEnergy::Missing);
            }
        }
    }
}

#[test]
fn local_labels_are_formatted_like_chrono() {
    use chrono_tz::America;
    let zones: [Tz; 5] = [Europe::Zurich, Asia::Kathmandu, America::St_Johns, America::Los_Angeles, chrono_tz::UTC];
    for tz in zones {
        let mut t = at("1999-12-31T20:00:00Z");
        for _ in 0..2000 {
            let local = tz.from_utc_datetime(&t.naive_utc()).fixed_offset();
            let mut mine = String::new();
            push_rfc3339(&mut mine, &local);
            assert_eq!(mine, local.to_rfc3339_opts(SecondsFormat::Secs, false));
            t += Duration::minutes(15 * 97 + 7);
        }
    }
    let far = DateTime::parse_from_rfc3339("0099-01-02T03:04:05-00:30").unwrap();
    let mut mine = String::new();
    push_rfc3339(&mut mine, &far);
    assert_eq!(mine, "0099-01-02T03:04:05-00:30");
}

#[test]
fn cached_offsets_equal_a_lookup_at_every_boundary() {
    // Zones with daylight saving north and south, changes at midnight (America/Santiago, Asia/Beirut
    // historically), 30- and 45-minute offsets, and a zone that changed its standard offset (Europe/Moscow
    // 2011 and 2014, Pacific/Apia skipping a day in 2011).
    let zones: [Tz; 9] = [
        Europe::Zurich,
        Europe::London,
        Europe::Moscow,
        chrono_tz::America::Santiago,
        chrono_tz::America::St_Johns,
        chrono_tz::Australia::Lord_Howe,
        chrono_tz::Pacific::Apia,
        Asia::Kathmandu,
        chrono_tz::Asia::Beirut,
    ];
    for tz in zones {
        for year in [2010, 2011, 2014, 2026] {
            let (from, to) =
                (NaiveDate::from_ymd_opt(year, 1, 1).unwrap(), NaiveDate::from_ymd_opt(year, 12, 31).unwrap());
            let Ok(series) = intervals(&[], tz, from, to, IntervalOptions::default()) else { continue };
            for i in &series {
                let want = tz.from_utc_datetime(&i.start.naive_utc()).fixed_offset();
                assert_eq!(i.start_local, want, "{tz} {}", i.start);
                assert_eq!(i.start_local.offset(), want.offset(), "{tz} {}", i.start);
                let want = tz.from_utc_datetime(&i.end.naive_utc()).fixed_offset();
                assert_eq!(i.end_local.offset(), want.offset(), "{tz} {}", i.end);
            }
        }
    }
}

/// Readings around the autumn daylight-saving day and the days next to it, with what makes summaries hard:
/// steps from 1 s to 7 h (gaps over the 6 h maximum), several readings in a quarter hour, readings on
/// boundaries, resets inside a quarter hour and across one, two readings at one instant with different
/// values and contexts, unusable values, millisecond instants.
fn awkward_readings() -> impl Strategy<Value = Vec<Reading>> {
    proptest::collection::vec((0u8..=5, 0u32..=900_000, -3_000i32..=5_000, any::<bool>(), 0u8..=20), 1..400).prop_map(
        |steps| {
            let mut t = at("2026-10-24T20:00:00Z");
            let mut wh = 50_000.0;
            let mut out = Vec::new();
            for (kind, ms, delta, clock, odd) in steps {
                t += match kind {
                    0 => Duration::milliseconds(i64::from(ms % 5_000) + 1),
                    1 => Duration::seconds(900 - t.timestamp().rem_euclid(900)), // onto the next boundary
                    2 => Duration::milliseconds(i64::from(ms) * 4 + 1),          // up to 1 h
                    3 => Duration::hours(7),
                    _ => Duration::milliseconds(i64::from(ms) + 1),
                };
                wh += f64::from(delta) * 0.37;
                if wh < 0.0 {
                    wh = 10.0;
                }
                let clock = clock && t.timestamp_subsec_millis() == 0;
                out.push(Reading { at: t, wh, clock_aligned: clock });
                match odd {
                    // Another context at the same instant, with another value.
                    0 => out.push(Reading { at: t, wh: wh + 3.0, clock_aligned: !clock }),
                    1 => out.push(Reading { at: t, wh: wh - 1.0, clock_aligned: clock }),
                    2 => out.push(Reading { at: t, wh: f64::NAN, clock_aligned: clock }),
                    3 => out.push(Reading { at: t + Duration::milliseconds(1), wh: -1.0, clock_aligned: false }),
                    _ => {}
                }
            }
            out
        },
    )
}

/// Summaries built reading by reading, in the given order, as ingestion does: extended when the reading
/// is before the first or after the last of its quarter hour, summarised again from all the quarter hour's
/// readings otherwise.
fn summarize_incrementally(readings: &[Reading]) -> Vec<QuarterSummary> {
    use std::collections::BTreeMap;
    let mut by_quarter: BTreeMap<i64, (Vec<Reading>, Option<QuarterSummary>)> = BTreeMap::new();
    for r in readings {
        let (seen, summary) = by_quarter.entry(quarter_of(r.at)).or_default();
        seen.push(*r);
        match summary {
            Some(s) => {
                if !s.extend(*r) {
                    *summary = summarize(seen).first().copied();
                }
            }
            None => *summary = summarize(&[*r]).first().copied(),
        }
    }
    by_quarter.into_values().filter_map(|(_, s)| s).collect()
}

proptest! {
    #[test]
    fn quarter_summaries_give_the_intervals_of_the_readings(rs in awkward_readings(), seed in any::<u64>()) {
        let calendar = Calendar::new(Europe::Zurich, date("2026-10-24"), date("2026-10-26")).unwrap();
        let o = IntervalOptions::default();
        let want = energies(&rs, &calendar, o).unwrap();
        let summaries = summarize(&rs);
        prop_assert_eq!(&energies_from_quarters(&summaries, &calendar, o).unwrap(), &want);

        // Built one reading at a time, in a shuffled order (late and out-of-order readings), the same.
        let mut shuffled = rs.clone();
        let mut x = seed | 1;
        for i in (1..shuffled.len()).rev() {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            shuffled.swap(i, (x % (i as u64 + 1)) as usize);
        }
        let incremental = summarize_incrementally(&shuffled);
        prop_assert_eq!(&incremental, &summaries);
        prop_assert_eq!(&summarize_incrementally(&rs), &summaries);

        // And the CSV of the calendar's labels is the CSV of the intervals.
        let id = StationId::parse("Q-1").unwrap();
        let mut a = IntervalCsv::continuing(Vec::new());
        a.write(&id, Some(2), &calendar.intervals(&want)).unwrap();
        let mut b = IntervalCsv::continuing(Vec::new());
        b.write_energies(&id, Some(2), &calendar, &want).unwrap();
        prop_assert_eq!(a.finish().unwrap(), b.finish().unwrap());
    }
}

#[test]
fn a_reading_between_the_first_and_the_last_needs_the_quarter_hour_again() {
    let mut s = QuarterSummary::new(sampled("2026-06-14T22:00:00Z", 10.0));
    assert!(s.extend(sampled("2026-06-14T22:10:00Z", 30.0)));
    assert!(!s.extend(sampled("2026-06-14T22:05:00Z", 5.0)), "between the two");
    assert!(!s.extend(aligned("2026-06-14T22:00:00Z", 10.0)), "at the first's instant");
    assert!(s.extend(sampled("2026-06-14T22:14:00Z", 20.0)));
    assert!(s.falls, "30 then 20");
    assert!(s.extend(sampled("2026-06-14T22:12:00Z", f64::NAN)), "unusable: nothing to do");
    assert_eq!(s.last.wh, 20.0);
}

#[test]
fn summaries_out_of_order_are_refused() {
    let calendar = Calendar::new(Europe::Zurich, date("2026-06-15"), date("2026-06-15")).unwrap();
    let a = QuarterSummary::new(sampled("2026-06-14T22:00:00Z", 10.0));
    let b = QuarterSummary::new(sampled("2026-06-14T22:20:00Z", 20.0));
    let o = IntervalOptions::default();
    assert!(energies_from_quarters(&[a, b], &calendar, o).is_ok());
    assert!(energies_from_quarters(&[b, a], &calendar, o).is_err());
    assert!(energies_from_quarters(&[a, a], &calendar, o).is_err());
    let short = IntervalOptions { max_gap: Duration::minutes(10) };
    assert!(energies_from_quarters(&[a, b], &calendar, short).is_err());
}

#[test]
fn the_calendar_is_the_intervals_labels() {
    let calendar = Calendar::new(Europe::Zurich, date("2026-03-29"), date("2026-03-29")).unwrap();
    assert_eq!(calendar.len(), 92);
    assert_eq!(calendar.start(), at("2026-03-28T23:00:00Z"));
    assert_eq!(calendar.end(), at("2026-03-29T22:00:00Z"));
    assert_eq!(calendar.label(7), "2026-03-29T01:45:00+01:00,2026-03-29T03:00:00+02:00,");
    let mut s = String::new();
    for n in [0u64, 7, 10, 99, 100, 12_345, u64::MAX] {
        s.clear();
        push_u64(&mut s, n);
        assert_eq!(s, n.to_string());
    }
}
