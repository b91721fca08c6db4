//! The contract of the reads behind the 15-minute interval export and live power (issue 5).

use joule_core::intervals::Reading;
use joule_core::meter::{MeterSample, RawSample};
use joule_core::{StationId, Timestamp};

use super::{new_operator, new_station, t};
use crate::{EnergyQuery, MeterBatch, PowerSample, Store};

/// A sample as a station would send it, normalised by the domain (defaults filled in, kWh scaled to Wh).
fn sample(at: Timestamp, raw: RawSample<'_>) -> MeterSample {
    MeterSample::from_raw(at, raw)
}

async fn add(store: &dyn Store, station: &StationId, connector: u32, samples: Vec<MeterSample>) {
    let batch = MeterBatch { station_id: station.clone(), connector_id: connector, transaction_id: None, samples };
    store.add_meter_values(&batch).await.expect("add meter values");
}

fn query(station: &StationId, connector: u32, since: Timestamp, until: Timestamp, limit: u32) -> EnergyQuery {
    EnergyQuery { station_id: station.clone(), connector_id: connector, since, until, limit }
}

pub(super) async fn energy_readings(store: &dyn Store) {
    let op = new_operator(store, "Interval Op").await;
    let s = new_station(store, &op, "IV-1").await.id;
    let other = new_station(store, &op, "IV-2").await.id;
    let energy = |v| RawSample { value: v, ..Default::default() };

    // Connector 0 (the main meter): the readings that count, in every form OCPP 1.6 §7.31 allows.
    add(
        store,
        &s,
        0,
        vec![
            // No measurand: the default, Energy.Active.Import.Register, in Wh.
            sample(t(900), energy("1000")),
            // kWh, explicit measurand, location Outlet, clock-aligned.
            sample(
                t(1800),
                RawSample {
                    value: "1.25",
                    unit: Some("kWh"),
                    measurand: Some("Energy.Active.Import.Register"),
                    location: Some("Outlet"),
                    context: Some("Sample.Clock"),
                    ..Default::default()
                },
            ),
            // The same instant again, periodic: both are returned.
            sample(t(1800), energy("1250")),
            sample(t(2700), energy("1400.5")),
            // Not the register total: a phase, another location, another measurand, no number.
            sample(t(1200), RawSample { value: "10", phase: Some("L1"), ..Default::default() }),
            sample(t(1300), RawSample { value: "11", location: Some("Inlet"), ..Default::default() }),
            sample(t(1400), RawSample { value: "7400", measurand: Some("Power.Active.Import"), ..Default::default() }),
            sample(t(1500), RawSample { value: "blob", format: Some("SignedData"), ..Default::default() }),
            // Outside the range asked below.
            sample(t(0), energy("900")),
            sample(t(3600), energy("1500")),
        ],
    )
    .await;
    // Another connector's meter and another station's: not connector 0's.
    add(store, &s, 1, vec![sample(t(1000), energy("50")), sample(t(2000), energy("60"))]).await;
    add(store, &other, 0, vec![sample(t(1000), energy("77"))]).await;

    let got = store.energy_readings(&query(&s, 0, t(900), t(3600), 100)).await.expect("energy readings");
    let want = vec![
        Reading { at: t(900), wh: 1000.0, clock_aligned: false },
        Reading { at: t(1800), wh: 1250.0, clock_aligned: true },
        Reading { at: t(1800), wh: 1250.0, clock_aligned: false },
        Reading { at: t(2700), wh: 1400.5, clock_aligned: false },
    ];
    // Two readings at one instant may come in either order.
    let mut sorted = got.clone();
    sorted.sort_by(|a, b| a.at.cmp(&b.at).then(b.clock_aligned.cmp(&a.clock_aligned)));
    assert_eq!(sorted, want, "connector 0 in [t(900), t(3600))");
    assert!(got.windows(2).all(|w| w[0].at <= w[1].at), "oldest first: {got:?}");

    let c1 = store.energy_readings(&query(&s, 1, t(0), t(4000), 100)).await.expect("connector 1");
    assert_eq!(
        c1,
        vec![
            Reading { at: t(1000), wh: 50.0, clock_aligned: false },
            Reading { at: t(2000), wh: 60.0, clock_aligned: false }
        ],
        "connector 1 has its own meter"
    );
    assert!(store.energy_readings(&query(&s, 2, t(0), t(4000), 100)).await.unwrap().is_empty(), "no such connector");

    // The limit bounds the answer, keeping the oldest.
    let limited = store.energy_readings(&query(&s, 0, t(0), t(4000), 2)).await.expect("limited");
    assert_eq!(limited.iter().map(|r| r.at).collect::<Vec<_>>(), vec![t(0), t(900)]);

    let unknown = StationId::parse("IV-NOBODY").expect("id");
    assert!(store.energy_readings(&query(&unknown, 0, t(0), t(4000), 10)).await.unwrap().is_empty());
}

pub(super) async fn latest_power(store: &dyn Store) {
    let op = new_operator(store, "Power Op").await;
    let s = new_station(store, &op, "PW-1").await.id;
    let power =
        |v| RawSample { value: v, measurand: Some("Power.Active.Import"), unit: Some("W"), ..Default::default() };
    assert!(store.latest_power(&s).await.unwrap().is_empty(), "no samples, no power");

    add(store, &s, 1, vec![sample(t(0), power("7000")), sample(t(60), power("7200"))]).await;
    // Sent late (from an offline queue): older than what is stored, so not the latest.
    add(store, &s, 1, vec![sample(t(30), power("1"))]).await;
    // kW is normalised to W; a phase value and an energy value are not the power.
    add(
        store,
        &s,
        2,
        vec![
            sample(
                t(100),
                RawSample {
                    value: "3.5",
                    measurand: Some("Power.Active.Import"),
                    unit: Some("kW"),
                    ..Default::default()
                },
            ),
            sample(t(200), RawSample { phase: Some("L1"), ..power("99") }),
            sample(t(200), RawSample { value: "5000", ..Default::default() }),
        ],
    )
    .await;

    let got = store.latest_power(&s).await.expect("latest power");
    assert_eq!(
        got,
        vec![
            PowerSample { connector_id: 1, at: t(60), watts: 7200.0, previous_at: Some(t(30)) },
            PowerSample { connector_id: 2, at: t(100), watts: 3500.0, previous_at: None },
        ]
    );
    let unknown = StationId::parse("PW-NOBODY").expect("id");
    assert!(store.latest_power(&unknown).await.unwrap().is_empty());
}
