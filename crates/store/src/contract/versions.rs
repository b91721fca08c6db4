//! The contract of what stations of either OCPP version report in shared words: EVSEs beside connectors, the
//! station's own transaction ids, id token types and the neutral connector state.

use joule_core::auth::IdToken as TokenRecord;
use joule_core::session::{SessionStop, StopOutcome};
use joule_core::station::{ChargingState, ConnectorState, ConnectorStatus, Evse, StatusReport};
use joule_core::{IdToken, IdTokenType, TransactionId};

use super::{new_operator, new_station, session_start, t, tag};
use crate::Store;

fn report(evse_id: u32, connector_id: u32, status: ConnectorStatus, at: i64) -> StatusReport {
    StatusReport {
        evse_id,
        connector_id,
        status,
        error_code: "NoError".into(),
        info: None,
        vendor_id: None,
        vendor_error_code: None,
        timestamp: Some(t(at)),
    }
}

/// A station with two connectors on one EVSE keeps each connector's EVSE, and its connectors group into
/// EVSEs.
pub async fn evses(store: &dyn Store) {
    let op = new_operator(store, "Evses Op").await;
    let s = new_station(store, &op, "VE-1").await.id;
    store.record_status(&s, &report(0, 0, ConnectorStatus::of(ConnectorState::Available), 10), t(10)).await.unwrap();
    store.record_status(&s, &report(1, 1, ConnectorStatus::of(ConnectorState::Available), 10), t(10)).await.unwrap();
    store.record_status(&s, &report(1, 2, ConnectorStatus::of(ConnectorState::Occupied), 11), t(11)).await.unwrap();
    store.record_status(&s, &report(2, 3, ConnectorStatus::of(ConnectorState::Faulted), 12), t(12)).await.unwrap();
    let connectors = store.connectors(&s).await.unwrap();
    let places: Vec<(u32, u32)> = connectors.iter().map(|c| (c.evse_id, c.connector_id)).collect();
    assert_eq!(places, [(0, 0), (1, 1), (1, 2), (2, 3)], "each connector keeps its EVSE");
    let evses = Evse::group(&connectors);
    assert_eq!(evses.iter().map(|e| (e.id, e.connectors.len())).collect::<Vec<_>>(), [(1, 2), (2, 1)]);
    assert_eq!(evses[0].state(), Some(ConnectorState::Occupied));

    // A newer report may place the connector on another EVSE (the station was reconfigured).
    store.record_status(&s, &report(3, 3, ConnectorStatus::of(ConnectorState::Available), 20), t(20)).await.unwrap();
    let moved = store.connectors(&s).await.unwrap().into_iter().find(|c| c.connector_id == 3).unwrap();
    assert_eq!((moved.evse_id, moved.status.state), (3, ConnectorState::Available));
    // An older one (sent late) changes nothing, its EVSE included.
    store.record_status(&s, &report(2, 3, ConnectorStatus::of(ConnectorState::Faulted), 15), t(21)).await.unwrap();
    let kept = store.connectors(&s).await.unwrap().into_iter().find(|c| c.connector_id == 3).unwrap();
    assert_eq!((kept.evse_id, kept.status.state), (3, ConnectorState::Available));
}

/// A session started with the station's own transaction id keeps it, is found by it on its station only,
/// and one started without is known by its session id's text.
pub async fn station_transaction_ids(store: &dyn Store) {
    let op = new_operator(store, "Transactions Op").await;
    let s1 = new_station(store, &op, "VT-1").await.id;
    let s2 = new_station(store, &op, "VT-2").await.id;

    let joules = store.start_session(&session_start(&s1, op.id, 1)).await.unwrap().session;
    assert_eq!(joules.transaction_id, TransactionId::of_session(joules.id));
    assert_eq!(store.session_by_transaction(&s1, &joules.transaction_id).await.unwrap(), Some(joules.clone()));

    let own = TransactionId::parse("5c3f2a1e-8b7d-4e6f-9a0b-1c2d3e4f5a6b").unwrap();
    let start = joule_core::session::SessionStart { transaction_id: Some(own.clone()), ..session_start(&s1, op.id, 2) };
    let first = store.start_session(&start).await.unwrap();
    assert!(first.created);
    let chosen = first.session;
    assert_eq!(chosen.transaction_id, own);
    assert_ne!(chosen.transaction_id, TransactionId::of_session(chosen.id), "the station's id, not Joule's");
    assert_eq!(store.session(chosen.id).await.unwrap(), Some(chosen.clone()));
    assert_eq!(store.session_by_transaction(&s1, &own).await.unwrap(), Some(chosen.clone()));
    assert_eq!(store.session_by_transaction(&s2, &own).await.unwrap(), None, "another station's transaction");
    let again = store.start_session(&start).await.unwrap();
    assert_eq!((again.created, again.session), (false, chosen.clone()), "a re-sent start is the same session");

    // The same transaction id on another station is another session.
    let there = store
        .start_session(&joule_core::session::SessionStart {
            transaction_id: Some(own.clone()),
            ..session_start(&s2, op.id, 3)
        })
        .await
        .unwrap()
        .session;
    assert_ne!(there.id, chosen.id);
    assert_eq!(store.session_by_transaction(&s2, &own).await.unwrap(), Some(there));

    let stop = SessionStop {
        station_id: s1.clone(),
        transaction_id: chosen.id,
        id_tag: None,
        meter_stop_wh: 500,
        stopped_at: t(100),
        reason: None,
        samples: Vec::new(),
    };
    let StopOutcome::Stopped(stopped) = store.stop_session(&stop).await.unwrap() else { panic!("not stopped") };
    assert_eq!(stopped.transaction_id, own, "a stop keeps the station's transaction id");
    assert_eq!(store.session_by_transaction(&s1, &own).await.unwrap(), Some(stopped));
}

/// A token's type is stored, changed and cleared with it; tokens of up to 36 characters are stored.
pub async fn token_types(store: &dyn Store) {
    let op = new_operator(store, "Token Types Op").await;
    let long = IdToken::parse(&"E".repeat(36)).unwrap().with_kind(Some(IdTokenType::EMaid));
    let token = TokenRecord { operator_id: op.id, tag: long.clone(), parent: None, expires_at: None, blocked: false };
    let added = store.add_id_token(&token).await.expect("a 36-character token");
    assert_eq!((added.tag.as_str(), added.tag.kind()), (long.as_str(), Some(IdTokenType::EMaid)));
    let read = store.id_token(op.id, &long).await.unwrap().expect("found");
    assert_eq!(read.tag.kind(), Some(IdTokenType::EMaid));

    let card = TokenRecord { tag: long.clone().with_kind(Some(IdTokenType::Iso14443)), ..token.clone() };
    assert_eq!(store.update_id_token(&card).await.unwrap().tag.kind(), Some(IdTokenType::Iso14443));
    let plain = TokenRecord { tag: long.clone().with_kind(None), ..token.clone() };
    assert_eq!(store.update_id_token(&plain).await.unwrap().tag.kind(), None);
    let listed = store.list_id_tokens(op.id).await.unwrap();
    assert_eq!(listed.iter().map(|t| t.tag.kind()).collect::<Vec<_>>(), [None]);

    let short = TokenRecord { tag: tag("0042").with_kind(Some(IdTokenType::KeyCode)), ..token };
    store.add_id_token(&short).await.unwrap();
    let kinds: Vec<Option<IdTokenType>> =
        store.list_id_tokens(op.id).await.unwrap().iter().map(|t| t.tag.kind()).collect();
    assert_eq!(kinds, [Some(IdTokenType::KeyCode), None]);
}

/// The neutral state and the charging state are stored beside the status the station reported, in the
/// connector's status and in its history.
pub async fn connector_states(store: &dyn Store) {
    let op = new_operator(store, "Connector States Op").await;
    let s = new_station(store, &op, "VS-9").await.id;
    let suspended =
        ConnectorStatus::reported(ConnectorState::Occupied, Some(ChargingState::SuspendedEv), "SuspendedEV");
    store.record_status(&s, &report(1, 1, suspended.clone(), 10), t(10)).await.unwrap();
    let occupied = ConnectorStatus::of(ConnectorState::Occupied);
    store.record_status(&s, &report(2, 2, occupied.clone(), 11), t(11)).await.unwrap();

    let connectors = store.connectors(&s).await.unwrap();
    let statuses: Vec<&ConnectorStatus> = connectors.iter().map(|c| &c.status).collect();
    assert_eq!(statuses, [&suspended, &occupied]);
    assert!(!connectors[0].status.is_charging() && connectors[0].status.is_occupied());

    let history = store.status_history(&s, Some(1), 10).await.unwrap();
    assert_eq!(history.iter().map(|r| r.status.clone()).collect::<Vec<_>>(), [suspended]);
}
