//! The tariff editor's preview: "a 22 kWh, 3-hour session starting Monday 17:00 costs …", priced by
//! the same engine as real sessions, for a tariff being edited and for a saved one. The figures are worked
//! out by hand in the comments.

mod common;

use common::{TestApi, unique};
use joule_core::Role;
use serde_json::json;

/// High tariff 0.30/kWh on weekdays 07:00-20:00, low tariff 0.20/kWh otherwise (OCPI: the first element
/// whose restrictions hold applies).
fn high_low() -> serde_json::Value {
    json!({"elements": [
        {"price_components": [{"type": "ENERGY", "price": "0.30"}],
         "restrictions": {"start_time": "07:00", "end_time": "20:00",
                          "day_of_week": ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"]}},
        {"price_components": [{"type": "ENERGY", "price": "0.20"}]}
    ]})
}

#[tokio::test]
async fn a_preview_prices_an_example_session_across_the_high_and_low_tariff() {
    let api = TestApi::start().await;
    let op = api.operator(&format!("Preview {}", unique())).await;
    let viewer = api.token(&op, Role::Viewer).await;
    let admin = api.token(&op, Role::Admin).await;

    // Monday 23 November 2026, 18:30 in Zurich, 3 hours, 22 kWh evenly: 11 kWh before 20:00 at 0.30 (3.30)
    // and 11 kWh after at 0.20 (2.20) = 5.50 net; 8.1 % VAT = 0.4455; total 5.9455 -> 5.95 CHF.
    let request = json!({"tariff": high_low(), "energy_kwh": "22", "start": "2026-11-23T18:30",
                         "duration_minutes": 180, "time_zone": "Europe/Zurich"});
    let p = api.post(&viewer, "/api/v1/tariffs/preview", request).await.expect(200);
    assert_eq!(p["net"], "5.50", "{p}");
    assert_eq!(p["total"], "5.95", "{p}");
    assert_eq!(p["sentence"], "A 22 kWh, 3-hour session starting Monday 18:30 costs 5.95 CHF incl. 8.1 % VAT.");
    assert_eq!(p["start"], "2026-11-23T17:30:00Z", "18:30 CET is 17:30 UTC");
    let amounts: Vec<&str> = p["items"].as_array().unwrap().iter().map(|i| i["amount"].as_str().unwrap()).collect();
    assert_eq!(amounts.len(), 2, "split at the window boundary: {p}");

    // A saved tariff, in the operator's zone (UTC by default): Saturday is low all day: 22 x 0.20 = 4.40 net,
    // 4.7564 -> 4.76.
    let saved = json!({"name": "High/low", "valid_from": "2020-01-01T00:00:00Z", "tariff": high_low()});
    let id = api.post(&admin, "/api/v1/tariffs", saved).await.expect(201)["id"].as_i64().unwrap();
    let request = json!({"tariff_id": id, "energy_kwh": 22, "start": "2026-11-28T17:00", "duration_minutes": 180});
    let p = api.post(&viewer, "/api/v1/tariffs/preview", request).await.expect(200);
    assert_eq!(p["total"], "4.76", "{p}");
    assert_eq!(p["time_zone"], "UTC");

    // Under the free thresholds (200 Wh): free, said so.
    let request = json!({"tariff_id": id, "energy_kwh": "0.1", "start": "2026-11-28T17:00", "duration_minutes": 30});
    let p = api.post(&viewer, "/api/v1/tariffs/preview", request).await.expect(200);
    assert_eq!(p["total"], "0");
    assert_eq!(p["free_reason"], "below_threshold");

    // Precise refusals.
    let bad = |body: serde_json::Value| {
        let api = &api;
        let viewer = &viewer;
        async move { api.post(viewer, "/api/v1/tariffs/preview", body).await.problem(400, "invalid-request") }
    };
    let p = bad(json!({"energy_kwh": 1, "start": "2026-11-28T17:00", "duration_minutes": 30})).await;
    assert_eq!(p["field"], "tariff");
    let p =
        bad(json!({"tariff_id": id, "energy_kwh": "lots", "start": "2026-11-28T17:00", "duration_minutes": 30})).await;
    assert_eq!(p["field"], "energy_kwh");
    let p = bad(json!({"tariff_id": id, "energy_kwh": 1, "start": "Monday 17:00", "duration_minutes": 30})).await;
    assert_eq!(p["field"], "start");
    let spring = json!({"tariff_id": id, "energy_kwh": 1, "start": "2026-03-29T02:30", "duration_minutes": 30,
                        "time_zone": "Europe/Zurich"});
    assert_eq!(bad(spring).await["field"], "start", "02:30 does not exist on the spring change");
    let p = bad(json!({"tariff_id": id, "energy_kwh": 1, "start": "2026-11-28T17:00", "duration_minutes": 0})).await;
    assert_eq!(p["field"], "duration_minutes");
    let request = json!({"tariff_id": id + 100, "energy_kwh": 1, "start": "2026-11-28T17:00", "duration_minutes": 30});
    api.post(&viewer, "/api/v1/tariffs/preview", request).await.problem(404, "not-found");
}
