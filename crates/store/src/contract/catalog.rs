//! The contract of the operator's model catalog ("a per-model table that operators edit").

use joule_core::OperatorId;
use joule_core::catalog::{FirmwareVersion, KnownModel, model_key};

use super::{new_operator, t};
use crate::{Store, StoreError};

fn model(vendor: &str, name: &str, min: Option<&str>) -> KnownModel {
    KnownModel::new(vendor, name, min.map(|m| FirmwareVersion::parse(m).expect("version"))).expect("model")
}

pub(super) async fn station_models(store: &dyn Store) {
    let op = new_operator(store, "Catalog Op").await;
    let other = new_operator(store, "Catalog Other").await;
    assert!(store.station_models(op.id).await.expect("empty catalog").is_empty());

    let terra = store.set_station_model(op.id, &model("ABB", "Terra AC", Some("1.6.2")), "cli", t(1)).await;
    let terra = terra.expect("add");
    assert_eq!(terra.model.min_firmware.as_ref().map(|f| f.as_str()), Some("1.6.2"));
    assert_eq!((terra.updated_at, terra.updated_by.as_str()), (t(1), "cli"));
    store.set_station_model(op.id, &model("Alfen", "Eve Single", None), "token:ops", t(2)).await.expect("add 2");
    store.set_station_model(other.id, &model("Zaptec", "Go", Some("2.0")), "cli", t(3)).await.expect("other's");

    // Another spelling of the same model replaces the entry (spelling and minimum), it does not add one.
    let again = store.set_station_model(op.id, &model("ABB B.V.", "TERRA-AC", Some("1.7")), "account:4", t(4)).await;
    assert_eq!(again.expect("replace").model.vendor, "ABB B.V.");
    let list = store.station_models(op.id).await.expect("list");
    let names: Vec<(&str, &str)> = list.iter().map(|m| (m.model.vendor.as_str(), m.model.model.as_str())).collect();
    assert_eq!(names, [("ABB B.V.", "TERRA-AC"), ("Alfen", "Eve Single")], "one entry per model, by vendor");
    assert_eq!(list[0].model.min_firmware.as_ref().map(|f| f.as_str()), Some("1.7"));
    assert_eq!((list[0].updated_at, list[0].updated_by.as_str()), (t(4), "account:4"));
    assert_eq!(list[1].model.min_firmware, None);

    // Operators' catalogs are apart.
    let theirs = store.station_models(other.id).await.expect("other's list");
    assert_eq!(theirs.len(), 1);
    assert_eq!(theirs[0].model.vendor, "Zaptec");

    // Removing by key; a missing model or operator is NotFound.
    store.delete_station_model(op.id, &model_key("abb", "terra ac")).await.expect("delete");
    assert_eq!(store.station_models(op.id).await.expect("list").len(), 1);
    let missing = store.delete_station_model(op.id, &model_key("ABB", "Terra AC")).await;
    assert!(matches!(missing, Err(StoreError::NotFound(_))), "{missing:?}");
    let missing = store.delete_station_model(op.id, &model_key("Zaptec", "Go")).await;
    assert!(matches!(missing, Err(StoreError::NotFound(_))), "another operator's model: {missing:?}");
    let nobody = store.set_station_model(OperatorId(999_999), &model("X", "Y", None), "cli", t(5)).await;
    assert!(matches!(nobody, Err(StoreError::NotFound(_))), "{nobody:?}");
}

/// Stations counted by state and connection, per operator.
pub(super) async fn station_counts(store: &dyn Store) {
    use joule_core::StationId;
    use joule_core::station::StationState;

    use crate::{NewStation, StationCount};

    let op = new_operator(store, "Counts Op").await;
    let other = new_operator(store, "Counts Other").await;
    assert!(store.station_counts(op.id).await.expect("no stations").is_empty());
    let add = |id: &'static str, operator, state| async move {
        let id = StationId::parse(id).expect("id");
        let new =
            NewStation { id, operator_id: operator, state, free_vend: false, password_hash: None, created_at: t(1) };
        store.register_station(new).await.expect("register")
    };
    add("CNT-1", op.id, StationState::Pending).await;
    add("CNT-2", op.id, StationState::Pending).await;
    add("CNT-3", op.id, StationState::Active).await;
    add("CNT-4", op.id, StationState::Active).await;
    add("CNT-5", other.id, StationState::Active).await;
    store.record_connection(&StationId::parse("CNT-3").expect("id"), true, t(2)).await.expect("online");
    let mut counts = store.station_counts(op.id).await.expect("counts");
    counts.sort_by_key(|c| (c.state.as_str(), c.online));
    let want = [
        StationCount { state: StationState::Active, online: false, count: 1 },
        StationCount { state: StationState::Active, online: true, count: 1 },
        StationCount { state: StationState::Pending, online: false, count: 2 },
    ];
    assert_eq!(counts, want);
    let theirs = store.station_counts(other.id).await.expect("other's counts");
    assert_eq!(theirs, [StationCount { state: StationState::Active, online: false, count: 1 }]);
}
