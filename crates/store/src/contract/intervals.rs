//! The contract of the reads behind the 15-minute interval export and live power.

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

/// A small deterministic generator (xorshift), so the test needs no randomness crate and fails the same way
/// every time.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Three days of one meter's samples with everything that makes keeping summaries hard: steps from a
/// millisecond to 7 hours, readings on quarter-hour boundaries (clock-aligned and periodic at one instant,
/// with different values), register resets, kWh, samples that are not the register (a phase, another
/// location, power, signed data). With `clash`, the signed data has the register reading's key (instant,
/// measurand, context): whichever of the two is stored first is kept, the other skipped as already stored.
fn awkward_samples(rng: &mut Rng, clash: bool) -> Vec<MeterSample> {
    let mut out = Vec::new();
    let mut at = t(0);
    let end = t(3 * 86_400);
    let mut wh = 20_000.0f64;
    while at < end {
        at += match rng.below(40) {
            0..=9 => chrono::Duration::milliseconds(1 + rng.below(4_000) as i64),
            10..=17 => {
                // Onto the next quarter-hour boundary.
                let ms = at.timestamp_millis();
                chrono::Duration::milliseconds(900_000 - ms.rem_euclid(900_000))
            }
            18 => chrono::Duration::hours(7),
            _ => chrono::Duration::milliseconds(1 + rng.below(600_000) as i64),
        };
        wh += rng.below(3_000) as f64 * 0.37;
        if rng.below(40) == 0 {
            wh = rng.below(500) as f64; // a reset
        }
        let v = format!("{wh:.3}");
        let aligned = at.timestamp_millis().rem_euclid(900_000) == 0 && rng.below(2) == 0;
        let context = if aligned { "Sample.Clock" } else { "Sample.Periodic" };
        out.push(sample(at, RawSample { value: &v, context: Some(context), ..Default::default() }));
        match rng.below(12) {
            0 => {
                // Another context at the same instant, with another value, in kWh.
                let kwh = format!("{:.6}", (wh + 2.0) / 1000.0);
                let raw = RawSample {
                    value: &kwh,
                    unit: Some("kWh"),
                    context: Some("Transaction.End"),
                    ..Default::default()
                };
                out.push(sample(at, raw));
            }
            1 => out.push(sample(at, RawSample { value: "5", phase: Some("L1"), ..Default::default() })),
            2 => out.push(sample(at, RawSample { value: "9", location: Some("Inlet"), ..Default::default() })),
            3 => out.push(sample(
                at,
                RawSample { value: "7400", measurand: Some("Power.Active.Import"), ..Default::default() },
            )),
            4 => {
                let context = if clash { None } else { Some("Other") };
                out.push(sample(
                    at,
                    RawSample { value: "blob", format: Some("SignedData"), context, ..Default::default() },
                ))
            }
            5 => {
                let raw =
                    RawSample { value: &v, location: Some("Outlet"), context: Some("Trigger"), ..Default::default() };
                out.push(sample(at, raw));
            }
            _ => {}
        }
    }
    out
}

/// The intervals and CSV of the readings path (what the export did before summaries) for the local days
/// `from..=to`, against those of the summaries path, for one meter.
async fn compare_paths(store: &dyn Store, station: &StationId, connector: u32, tz: chrono_tz::Tz, days: (&str, &str)) {
    use joule_core::intervals::{Calendar, IntervalCsv, IntervalOptions, energies, energies_from_quarters, utc_day};
    let (from, to) = (days.0.parse().expect("from"), days.1.parse().expect("to"));
    let calendar = Calendar::new(tz, from, to).expect("calendar");
    let o = IntervalOptions::default();
    let since = calendar.start() - o.max_gap;
    let until = calendar.end() + o.max_gap + chrono::Duration::milliseconds(1);
    let readings =
        store.energy_readings(&query(station, connector, since, until, 4_000_000)).await.expect("energy readings");
    let want = energies(&readings, &calendar, o).expect("energies");
    let quarters =
        store.energy_quarters(station, connector, utc_day(since), utc_day(until)).await.expect("energy quarters");
    let got = energies_from_quarters(&quarters, &calendar, o).expect("energies from quarters");
    assert_eq!(got, want, "{station}/{connector} {days:?}");
    let mut a = IntervalCsv::continuing(Vec::new());
    a.write(station, Some(connector), &calendar.intervals(&want)).expect("csv");
    let mut b = IntervalCsv::continuing(Vec::new());
    b.write_energies(station, Some(connector), &calendar, &got).expect("csv");
    assert_eq!(a.finish().unwrap(), b.finish().unwrap(), "byte-identical CSV");
    assert!(want.iter().any(|e| e.wh().is_some()), "the data has energy");
    assert!(want.iter().any(|e| e.wh().is_none()), "and gaps");
}

/// All summaries of a meter, against [`joule_core::intervals::summarize`] of all its stored readings.
async fn assert_summaries_match_readings(store: &dyn Store, station: &StationId, connector: u32) {
    let all = store
        .energy_readings(&query(station, connector, t(-86_400 * 10), t(86_400 * 10), 4_000_000))
        .await
        .expect("readings");
    let want = joule_core::intervals::summarize(&all);
    let from = joule_core::intervals::utc_day(t(-86_400 * 10));
    let got = store.energy_quarters(station, connector, from, from + 20).await.expect("quarters");
    if let Some(i) = (0..got.len().min(want.len())).find(|&i| got[i] != want[i]) {
        let q = want[i].quarter();
        let of_quarter: Vec<_> = all.iter().filter(|r| joule_core::intervals::quarter_of(r.at) == q).collect();
        let since = joule_core::intervals::quarter_start(q);
        let f = crate::MeterFilter {
            station_id: Some(station.clone()),
            transaction_id: None,
            since: Some(since),
            until: Some(since + chrono::Duration::seconds(900)),
            limit: None,
        };
        let stored = store.meter_values(&f).await.unwrap();
        panic!(
            "{station}/{connector}: quarter {i} differs: got {:?}, want {:?}; readings {of_quarter:?}; stored {stored:#?}",
            got[i], want[i]
        );
    }
    assert_eq!(got, want, "{station}/{connector}: the summaries are those of the stored readings");
}

pub(super) async fn quarter_summaries(store: std::sync::Arc<dyn Store>) {
    let op = new_operator(&*store, "Quarter Op").await;
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let stations: Vec<StationId> = [
        new_station(&*store, &op, "QS-1").await.id,
        new_station(&*store, &op, "QS-2").await.id,
        new_station(&*store, &op, "QS-3").await.id,
    ]
    .into();

    // QS-1, connector 0: in order, in batches. Connector 1: the same samples in shuffled batches (late and
    // out-of-order readings), sent from several tasks at once (parallel writers in PostgreSQL), and every
    // batch sent twice (a station retrying).
    let samples = awkward_samples(&mut rng, false);
    for chunk in samples.chunks(17) {
        add(&*store, &stations[0], 0, chunk.to_vec()).await;
    }
    let mut shuffled = samples.clone();
    for i in (1..shuffled.len()).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        shuffled.swap(i, j);
    }
    let batches: Vec<Vec<MeterSample>> = shuffled.chunks(1 + rng.below(40) as usize).map(|c| c.to_vec()).collect();
    let tasks: Vec<_> = (0..4)
        .map(|k| {
            let store = store.clone();
            let station = stations[0].clone();
            let mine: Vec<Vec<MeterSample>> = batches.iter().skip(k).step_by(4).cloned().collect();
            tokio::spawn(async move {
                for b in mine {
                    add(&*store, &station, 1, b.clone()).await;
                    add(&*store, &station, 1, b).await;
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("task");
    }
    // QS-2: other data, one sample per message, newest first (a station emptying its queue backwards), with
    // signed data that takes the register reading's place when it comes first.
    let other = awkward_samples(&mut rng, true);
    for s in other.iter().rev() {
        add(&*store, &stations[1], 0, vec![s.clone()]).await;
    }

    for (station, connector) in [(&stations[0], 0), (&stations[0], 1), (&stations[1], 0)] {
        assert_summaries_match_readings(&*store, station, connector).await;
        compare_paths(&*store, station, connector, chrono_tz::Europe::Zurich, ("2026-03-01", "2026-03-04")).await;
        compare_paths(&*store, station, connector, chrono_tz::Asia::Kathmandu, ("2026-03-02", "2026-03-02")).await;
    }
    // The same readings in order and shuffled, repeated: the same summaries.
    let a = store.energy_quarters(&stations[0], 0, 0, 100_000).await.unwrap();
    let b = store.energy_quarters(&stations[0], 1, 0, 100_000).await.unwrap();
    assert_eq!(a, b, "the order readings arrive in does not matter");
    assert!(a.len() > 50, "{} quarter hours", a.len());

    // The rebuild (the backfill) writes what ingestion kept.
    let days = store.rebuild_energy_quarters(Some(&stations[0])).await.expect("rebuild");
    assert!(days >= 4, "{days} meter-days");
    assert_eq!(store.energy_quarters(&stations[0], 0, 0, 100_000).await.unwrap(), a, "rebuilt");
    assert_eq!(store.energy_quarters(&stations[0], 1, 0, 100_000).await.unwrap(), b, "rebuilt");

    // Imported summaries read back as they went in.
    let written = store.import_energy_quarters(&stations[2], 0, &a).await.expect("import");
    assert!(written >= 4);
    assert_eq!(store.energy_quarters(&stations[2], 0, 0, 100_000).await.unwrap(), a, "imported");
    // An unknown station has none, and cannot have any imported.
    let unknown = StationId::parse("QS-NOBODY").expect("id");
    assert!(store.energy_quarters(&unknown, 0, 0, 100_000).await.unwrap().is_empty());
    assert!(store.import_energy_quarters(&unknown, 0, &a).await.is_err(), "no such station");
}
