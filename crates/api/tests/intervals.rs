//! 15-minute interval energy and live power through the REST API: a day with a gap and both
//! daylight-saving days in Europe/Zurich, read back from the CSV by a strict parser; the JSON form; the
//! operator's combined export; who may read; live power with its sample interval.

mod common;

use chrono::{DateTime, Duration, FixedOffset, TimeZone, Utc};
use common::{TestApi, unique};
use joule_core::account::AccountRole;
use joule_core::intervals::CSV_HEADER;
use joule_core::meter::{MeterSample, RawSample};
use joule_core::station::StationState;
use joule_core::{Role, StationId};
use joule_store::{ConfigKey, MeterBatch, Pinpointing};

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).single().unwrap()
}

/// Register readings from `start` every `step` while before `end`, rising by `wh_per_step`; readings in
/// `gap` (start inclusive, end exclusive of the readings kept) are left out.
fn readings(
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    step: Duration,
    wh_per_step: f64,
    context: &str,
    gap: Option<(DateTime<Utc>, DateTime<Utc>)>,
) -> Vec<MeterSample> {
    let mut out = Vec::new();
    let (mut at, mut wh) = (start, 10_000.0);
    while at <= end {
        let in_gap = gap.is_some_and(|(a, b)| at > a && at < b);
        if !in_gap {
            let value = format!("{wh}");
            out.push(MeterSample::from_raw(
                at,
                RawSample { value: &value, context: Some(context), ..Default::default() },
            ));
        }
        wh += wh_per_step;
        at += step;
    }
    out
}

async fn feed(api: &TestApi, station: &StationId, connector: u32, samples: Vec<MeterSample>) {
    for chunk in samples.chunks(500) {
        let batch = MeterBatch {
            station_id: station.clone(),
            connector_id: connector,
            transaction_id: None,
            samples: chunk.to_vec(),
        };
        api.store.add_meter_values(&batch).await.unwrap();
    }
}

/// One CSV data line, parsed strictly.
#[derive(Debug)]
struct Line {
    station: String,
    connector: Option<u32>,
    start: DateTime<FixedOffset>,
    end: DateTime<FixedOffset>,
    wh: Option<u64>,
    quality: String,
}

/// A strict reader of the export's CSV: the documented header, six fields a line, every field of its type,
/// `\n` line ends, energy empty exactly when missing, intervals 15 minutes long.
fn parse_csv(text: &str) -> Vec<Line> {
    assert!(text.ends_with('\n'), "the last line ends with a newline");
    assert!(!text.contains('\r'), "lines end with \\n only");
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some(CSV_HEADER), "header");
    lines
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            assert_eq!(f.len(), 6, "six fields: {l}");
            let line = Line {
                station: f[0].to_string(),
                connector: (!f[1].is_empty()).then(|| f[1].parse().expect("connector")),
                start: DateTime::parse_from_rfc3339(f[2]).expect("interval_start"),
                end: DateTime::parse_from_rfc3339(f[3]).expect("interval_end"),
                wh: (!f[4].is_empty()).then(|| f[4].parse().expect("energy_wh")),
                quality: f[5].to_string(),
            };
            assert!(["measured", "interpolated", "missing"].contains(&line.quality.as_str()), "{l}");
            assert_eq!(line.wh.is_none(), line.quality == "missing", "energy empty exactly when missing: {l}");
            assert_eq!(line.end - line.start, Duration::minutes(15), "{l}");
            line
        })
        .collect()
}

/// GET with the raw text and the headers.
async fn get_text(api: &TestApi, token: &str, path: &str) -> (u16, reqwest::header::HeaderMap, String) {
    let response = api.http.get(api.url(path)).bearer_auth(token).send().await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    (status, headers, response.text().await.unwrap())
}

fn header<'a>(headers: &'a reqwest::header::HeaderMap, name: &str) -> &'a str {
    headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
}

fn consecutive(lines: &[Line]) {
    for w in lines.windows(2) {
        assert_eq!(w[0].end, w[1].start, "each interval starts where the one before ends");
    }
}

#[tokio::test]
async fn daylight_saving_days_and_a_gap_in_europe_zurich() {
    let api = TestApi::start().await;
    let op = api.operator(&format!("Intervals {}", unique())).await;
    let token = api.token(&op, Role::Viewer).await;
    let id = format!("IV-{}", unique());
    let station = api.register(&op, &id, StationState::Active).await;
    let pin = Pinpointing { time_zone: Some("Europe/Zurich".into()), ..Default::default() };
    api.store.set_pinpointing(&station, &pin, false, Utc::now()).await.unwrap();

    // Spring: 2026-03-29 has 23 hours in Zurich (local midnight 23:00Z before, next midnight 22:00Z).
    // Clock-aligned readings every 15 minutes, 100 Wh apart: every interval measured, 100 Wh.
    feed(
        &api,
        &station,
        0,
        readings(utc(2026, 3, 28, 23, 0), utc(2026, 3, 29, 22, 0), Duration::minutes(15), 100.0, "Sample.Clock", None),
    )
    .await;
    // Autumn: 2026-10-25 has 25 hours (22:00Z to 23:00Z next day). Periodic readings every 5 minutes, off
    // the quarter hours by 2 minutes, 100 Wh apart (1.2 kW): every boundary interpolated, 300 Wh an
    // interval. Readings run from before the day to after it so the edges can be interpolated.
    feed(
        &api,
        &station,
        0,
        readings(
            utc(2026, 10, 24, 21, 2),
            utc(2026, 10, 25, 23, 2),
            Duration::minutes(5),
            100.0,
            "Sample.Periodic",
            None,
        ),
    )
    .await;
    // A summer day with a gap: clock-aligned readings every 15 minutes, 50 Wh apart, none from 08:00 to
    // 16:00 local (06:00Z to 14:00Z), longer than the 6-hour maximum gap: those 32 intervals are missing.
    feed(
        &api,
        &station,
        0,
        readings(
            utc(2026, 6, 9, 22, 0),
            utc(2026, 6, 10, 22, 0),
            Duration::minutes(15),
            50.0,
            "Sample.Clock",
            Some((utc(2026, 6, 10, 6, 0), utc(2026, 6, 10, 14, 0))),
        ),
    )
    .await;

    let path = |from: &str, to: &str| format!("/api/v1/stations/{id}/intervals?from={from}&to={to}");

    // Spring day: 92 intervals, all measured, 100 Wh each; the skipped hour is labelled across the change.
    let (status, headers, text) = get_text(&api, &token, &path("2026-03-29", "2026-03-29")).await;
    assert_eq!(status, 200, "{text}");
    assert!(header(&headers, "content-type").starts_with("text/csv"), "{headers:?}");
    assert!(header(&headers, "content-disposition").contains(&format!("{id}_2026-03-29_2026-03-29.csv")));
    assert_eq!(header(&headers, "joule-time-zone"), "Europe/Zurich");
    assert_eq!(header(&headers, "joule-time-zone-source"), "installation");
    let spring = parse_csv(&text);
    assert_eq!(spring.len(), 92);
    consecutive(&spring);
    assert!(spring.iter().all(|l| l.station == id && l.connector.is_none()));
    assert!(spring.iter().all(|l| l.quality == "measured" && l.wh == Some(100)), "{spring:?}");
    assert_eq!(spring.iter().filter_map(|l| l.wh).sum::<u64>(), 9_200);
    assert_eq!(spring[0].start.to_rfc3339(), "2026-03-29T00:00:00+01:00");
    assert!(text.contains("2026-03-29T01:45:00+01:00,2026-03-29T03:00:00+02:00,100,measured\n"), "{text}");
    assert_eq!(spring[91].end.to_rfc3339(), "2026-03-30T00:00:00+02:00");

    // Autumn day: 100 intervals, interpolated, 300 Wh each; the repeated hour appears twice.
    let (status, _, text) = get_text(&api, &token, &path("2026-10-25", "2026-10-25")).await;
    assert_eq!(status, 200, "{text}");
    let autumn = parse_csv(&text);
    assert_eq!(autumn.len(), 100);
    consecutive(&autumn);
    assert!(autumn.iter().all(|l| l.quality == "interpolated" && l.wh == Some(300)), "{autumn:?}");
    assert_eq!(autumn.iter().filter_map(|l| l.wh).sum::<u64>(), 30_000);
    assert!(text.contains("2026-10-25T02:45:00+02:00,2026-10-25T02:00:00+01:00,300,interpolated\n"), "{text}");
    assert!(text.contains("2026-10-25T02:00:00+01:00,2026-10-25T02:15:00+01:00,300,interpolated\n"), "{text}");

    // The day with the gap: 96 intervals, 64 measured at 50 Wh, 32 missing, the gap exactly 08:00-16:00.
    let (status, _, text) = get_text(&api, &token, &path("2026-06-10", "2026-06-10")).await;
    assert_eq!(status, 200, "{text}");
    let gap = parse_csv(&text);
    assert_eq!(gap.len(), 96);
    consecutive(&gap);
    let missing: Vec<&Line> = gap.iter().filter(|l| l.quality == "missing").collect();
    assert_eq!(missing.len(), 32);
    assert_eq!(missing[0].start.to_rfc3339(), "2026-06-10T08:00:00+02:00");
    assert_eq!(missing[31].end.to_rfc3339(), "2026-06-10T16:00:00+02:00");
    assert!(gap.iter().filter(|l| l.quality == "measured").all(|l| l.wh == Some(50)));
    assert_eq!(gap.iter().filter_map(|l| l.wh).sum::<u64>(), 64 * 50);

    // A range of days: one line per interval of every day, in order.
    let (status, _, text) = get_text(&api, &token, &path("2026-03-28", "2026-03-30")).await;
    assert_eq!(status, 200);
    let three = parse_csv(&text);
    assert_eq!(three.len(), 96 + 92 + 96);
    consecutive(&three);

    // JSON: the same intervals with UTC instants.
    let json = api.get(&token, &format!("{}&format=json", path("2026-10-25", "2026-10-25"))).await.expect(200);
    let list = json.as_array().expect("an array");
    assert_eq!(list.len(), 100);
    assert_eq!(list[0]["start"], "2026-10-25T00:00:00+02:00");
    assert_eq!(list[0]["start_utc"], "2026-10-24T22:00:00Z");
    assert_eq!(list[0]["energy_wh"], 300);
    assert_eq!(list[0]["quality"], "interpolated");
    let json = api.get(&token, &format!("{}&format=json", path("2026-06-10", "2026-06-10"))).await.expect(200);
    assert!(json[32]["energy_wh"].is_null() && json[32]["quality"] == "missing", "{}", json[32]);

    // Requests that cannot be answered name what to fix.
    api.get(&token, &path("2026-13-01", "2026-12-31")).await.problem(400, "invalid-request");
    let p = api.get(&token, &path("2026-01-01", "2027-01-02")).await.problem(400, "invalid-request");
    assert_eq!(p["field"], "to", "{p}");
    let p = api.get(&token, &path("2026-02-01", "2026-01-01")).await.problem(400, "invalid-request");
    assert_eq!(p["field"], "to", "{p}");
    let p = api.get(&token, &format!("{}&format=xml", path("2026-01-01", "2026-01-01"))).await;
    assert_eq!(p.problem(400, "invalid-request")["field"], "format");
}

#[tokio::test]
async fn connectors_the_default_zone_and_the_combined_export() {
    let api = TestApi::start().await;
    let op = api.operator(&format!("Combined {}", unique())).await;
    // The operator's zone: what a station without a pinpointed one is labelled in.
    let settings = joule_core::billing::BillingSettings { time_zone: chrono_tz::Europe::Zurich, ..Default::default() };
    api.store.set_billing_settings(op.id, &settings, chrono::Utc::now()).await.expect("operator zone");
    let token = api.token(&op, Role::Viewer).await;
    let (a, b) = (format!("CA-{}", unique()), format!("CB-{}", unique()));
    let sa = api.register(&op, &a, StationState::Active).await;
    let sb = api.register(&op, &b, StationState::Active).await;
    let day = |connector_wh: f64| {
        readings(
            utc(2026, 6, 9, 22, 0),
            utc(2026, 6, 10, 22, 0),
            Duration::minutes(15),
            connector_wh,
            "Sample.Clock",
            None,
        )
    };
    feed(&api, &sa, 0, day(40.0)).await;
    feed(&api, &sa, 1, day(10.0)).await;
    feed(&api, &sb, 0, day(20.0)).await;

    // No installation zone: the operator's, said so.
    let path = format!("/api/v1/stations/{a}/intervals?from=2026-06-10&to=2026-06-10&connector=1");
    let (status, headers, text) = get_text(&api, &token, &path).await;
    assert_eq!(status, 200, "{text}");
    assert_eq!(header(&headers, "joule-time-zone"), "Europe/Zurich");
    assert_eq!(header(&headers, "joule-time-zone-source"), "operator");
    let c1 = parse_csv(&text);
    assert_eq!(c1.len(), 96);
    assert!(c1.iter().all(|l| l.connector == Some(1) && l.wh == Some(10)), "the connector's own meter");

    // Combined: every station of the operator, by id, each with its own lines.
    let (status, headers, text) =
        get_text(&api, &token, &format!("/api/v1/operators/{}/intervals?from=2026-06-10&to=2026-06-10", op.id)).await;
    assert_eq!(status, 200, "{text}");
    assert!(header(&headers, "content-type").starts_with("text/csv"));
    let all = parse_csv(&text);
    assert_eq!(all.len(), 2 * 96);
    let (first, second) = if a < b { (&a, &b) } else { (&b, &a) };
    assert!(all[..96].iter().all(|l| &l.station == first));
    assert!(all[96..].iter().all(|l| &l.station == second));
    let sum = |s: &str| all.iter().filter(|l| l.station == s).filter_map(|l| l.wh).sum::<u64>();
    assert_eq!((sum(&a), sum(&b)), (96 * 40, 96 * 20), "main meters");

    // Named stations, in the order named; a station of another operator is refused.
    let (status, _, text) = get_text(
        &api,
        &token,
        &format!("/api/v1/operators/{}/intervals?from=2026-06-10&to=2026-06-10&station={b},{a}", op.id),
    )
    .await;
    assert_eq!(status, 200);
    let named = parse_csv(&text);
    assert_eq!((named[0].station.as_str(), named[96].station.as_str()), (b.as_str(), a.as_str()));
    let other = api.operator(&format!("Other {}", unique())).await;
    let stranger = api.register(&other, &format!("OX-{}", unique()), StationState::Active).await;
    let p = api
        .get(&token, &format!("/api/v1/operators/{}/intervals?from=2026-06-10&to=2026-06-10&station={stranger}", op.id))
        .await
        .problem(400, "invalid-request");
    assert_eq!(p["field"], "station");
    api.get(&token, &format!("/api/v1/operators/{}/intervals?from=2026-06-10&to=2026-06-10", other.id))
        .await
        .problem(404, "not-found");
}

#[tokio::test]
async fn staff_tokens_and_the_owner_may_read_others_may_not() {
    let api = TestApi::start().await;
    let op = api.operator(&format!("Readers {}", unique())).await;
    let other = api.operator(&format!("Strangers {}", unique())).await;
    let id = format!("RD-{}", unique());
    let station = api.register(&op, &id, StationState::Active).await;
    let (owner, owner_token) =
        api.person(Some(&op), AccountRole::Owner, &format!("owner-{}@example.com", unique()), true).await;
    let (_, other_owner) =
        api.person(Some(&op), AccountRole::Owner, &format!("other-{}@example.com", unique()), true).await;
    let (_, staff) =
        api.person(Some(&op), AccountRole::OperatorStaff, &format!("staff-{}@example.com", unique()), true).await;
    api.store.set_station_owner(&station, Some(owner.id)).await.unwrap();
    let stranger = api.token(&other, Role::Admin).await;
    let viewer = api.token(&op, Role::Viewer).await;

    for path in [
        format!("/api/v1/stations/{id}/intervals?from=2026-06-10&to=2026-06-10"),
        format!("/api/v1/stations/{id}/power"),
    ] {
        for token in [&viewer, &staff, &owner_token] {
            let (status, _, text) = get_text(&api, token, &path).await;
            assert_eq!(status, 200, "{path}: {text}");
        }
        api.get(&other_owner, &path).await.problem(403, "forbidden");
        api.get(&stranger, &path).await.problem(404, "not-found");
    }
    // The operator's combined export is for its staff and tokens.
    let combined = format!("/api/v1/operators/{}/intervals?from=2026-06-10&to=2026-06-10", op.id);
    assert_eq!(get_text(&api, &viewer, &combined).await.0, 200);
    api.get(&owner_token, &combined).await.problem(403, "forbidden");
}

#[tokio::test]
async fn live_power_with_its_sample_interval() {
    let api = TestApi::start().await;
    let op = api.operator(&format!("Power {}", unique())).await;
    let token = api.token(&op, Role::Viewer).await;
    let id = format!("PW-{}", unique());
    let station = api.register(&op, &id, StationState::Active).await;
    let path = format!("/api/v1/stations/{id}/power");
    assert_eq!(api.get(&token, &path).await.expect(200), serde_json::json!([]));

    let now = Utc::now();
    let at = |secs_ago: i64| now - Duration::seconds(secs_ago);
    let power = |v: &str, unit: &str, t| {
        MeterSample::from_raw(
            t,
            RawSample { value: v, measurand: Some("Power.Active.Import"), unit: Some(unit), ..Default::default() },
        )
    };
    feed(&api, &station, 1, vec![power("7000", "W", at(80)), power("7.4", "kW", at(20))]).await;
    feed(&api, &station, 2, vec![power("3000", "W", at(30))]).await;
    let keys = [ConfigKey { key: "MeterValueSampleInterval".into(), value: Some("60".into()), readonly: false }];
    api.store.store_configuration(&station, &keys, now).await.unwrap();

    let answer = api.get(&token, &path).await.expect(200);
    let list = answer.as_array().unwrap();
    assert_eq!(list.len(), 2, "{answer}");
    assert_eq!(list[0]["connector_id"], 1);
    assert_eq!(list[0]["watts"], 7400.0);
    assert_eq!(list[0]["sample_interval_secs"], 60.0, "between the two samples");
    assert_eq!(list[0]["sample_interval_source"], "samples");
    assert!(list[0]["age_secs"].as_f64().unwrap() >= 20.0);
    assert_eq!(list[1]["connector_id"], 2);
    assert_eq!(list[1]["sample_interval_secs"], 60.0, "the configured interval");
    assert_eq!(list[1]["sample_interval_source"], "configuration");
}
