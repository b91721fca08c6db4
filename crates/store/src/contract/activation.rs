//! The contract of activation requests and the portal's inbox.

use joule_core::account::{AccountId, AccountRole};
use joule_core::activation::{
    ActivationForm, ActivationFormInput, ActivationRequest, ActivationRequestId, ActivationState, ChargePointInput,
};
use joule_core::address::AddressInput;

use super::{new_account, new_operator, t};
use crate::{ActivationFilter, NewActivationRequest, Store, StoreError};

fn form(station: &str) -> ActivationForm {
    ActivationFormInput {
        customer_number: "C-1001",
        charge_points: vec![
            ChargePointInput {
                number: "EVC-1".into(),
                station_id: station.into(),
                connector_count: Some(2),
                connector_ids: None,
            },
            ChargePointInput {
                number: "EVC-2".into(),
                station_id: format!("{station}-B"),
                connector_count: None,
                connector_ids: Some(vec![1, 3]),
            },
        ],
        controller_number: "CTL/9",
        installation_type: "grid-plaza",
        features: vec!["load-balancer".into(), "grid-plaza".into()],
        address: AddressInput {
            street: "Stationsplein",
            house_number: "1a",
            postal_code: "1012ab",
            city: "Amsterdam",
            country: "NL",
            region: "",
        },
        network: "4G",
        notes: "Behind the gate, code 1234.\nCall first.",
    }
    .validate()
    .expect("valid form")
}

pub(super) async fn activation_requests(store: &dyn Store) {
    let op = new_operator(store, "Activation Op").await;
    let other = new_operator(store, "Activation Other").await;
    let owner = store
        .create_account(&new_account("act-owner@example.com", AccountRole::Owner, Some(op.id)))
        .await
        .expect("owner");
    let owner2 = store
        .create_account(&new_account("act-owner2@example.com", AccountRole::Owner, Some(other.id)))
        .await
        .expect("owner 2");

    let new =
        NewActivationRequest { operator_id: op.id, owner_id: owner.id, form: form("ACT-1"), requested_at: t(2000) };
    let a = store.create_activation_request(&new).await.expect("create");
    assert_eq!(
        a,
        ActivationRequest {
            id: a.id,
            operator_id: op.id,
            owner_id: owner.id,
            form: form("ACT-1"),
            state: ActivationState::Requested,
            reason: None,
            requested_at: t(2000),
            updated_at: None,
            updated_by: None,
        },
        "the whole form comes back as it was validated"
    );
    assert_eq!(store.activation_request(a.id).await.unwrap(), Some(a.clone()));
    assert_eq!(store.activation_request(ActivationRequestId(a.id.0 + 1000)).await.unwrap(), None);

    // A form without the optional parts.
    let mut bare = form("ACT-2");
    bare.controller_number = None;
    bare.notes = None;
    bare.features = vec![];
    let b = store
        .create_activation_request(&NewActivationRequest { form: bare.clone(), requested_at: t(1990), ..new.clone() })
        .await
        .expect("create bare");
    assert_eq!(b.form, bare);
    let c = store
        .create_activation_request(&NewActivationRequest {
            operator_id: other.id,
            owner_id: owner2.id,
            form: form("ACT-3"),
            requested_at: t(1980),
        })
        .await
        .expect("create for the other operator");

    // Missing operator or owner.
    let missing = NewActivationRequest { owner_id: AccountId(owner.id.0 + 1000), ..new.clone() };
    assert!(matches!(store.create_activation_request(&missing).await, Err(StoreError::NotFound(_))));

    // Listings: oldest first, filtered.
    let ids = |v: Vec<ActivationRequest>| v.into_iter().map(|r| r.id).collect::<Vec<_>>();
    let of_op = ActivationFilter { operator_id: Some(op.id), ..Default::default() };
    assert_eq!(ids(store.list_activation_requests(&of_op).await.unwrap()), vec![b.id, a.id]);
    let all = store.list_activation_requests(&ActivationFilter::default()).await.unwrap();
    assert_eq!(ids(all), vec![c.id, b.id, a.id]);
    let own = ActivationFilter { owner_id: Some(owner2.id), ..Default::default() };
    assert_eq!(ids(store.list_activation_requests(&own).await.unwrap()), vec![c.id]);
    let limited = ActivationFilter { limit: Some(1), ..of_op.clone() };
    assert_eq!(ids(store.list_activation_requests(&limited).await.unwrap()), vec![b.id]);

    // Compare-and-set transitions.
    let reviewed = store
        .set_activation_state(
            a.id,
            ActivationState::Requested,
            ActivationState::InReview,
            None,
            "account:staff",
            t(2100),
        )
        .await
        .expect("review");
    assert_eq!(reviewed.state, ActivationState::InReview);
    assert_eq!(reviewed.updated_at, Some(t(2100)));
    assert_eq!(reviewed.updated_by.as_deref(), Some("account:staff"));
    assert_eq!(reviewed.form, a.form);
    let again = store
        .set_activation_state(
            a.id,
            ActivationState::Requested,
            ActivationState::InReview,
            None,
            "account:other",
            t(2101),
        )
        .await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "a second reviewer loses: {again:?}");
    assert_eq!(store.activation_request(a.id).await.unwrap(), Some(reviewed.clone()), "the loser changed nothing");
    let in_review = ActivationFilter { state: Some(ActivationState::InReview), ..of_op.clone() };
    assert_eq!(ids(store.list_activation_requests(&in_review).await.unwrap()), vec![a.id]);
    let activated = store
        .set_activation_state(a.id, ActivationState::InReview, ActivationState::Activated, None, "token:ops", t(2200))
        .await
        .expect("activate");
    assert_eq!(activated.state, ActivationState::Activated);
    let rejected = store
        .set_activation_state(
            b.id,
            ActivationState::Requested,
            ActivationState::Rejected,
            Some("wrong address"),
            "account:staff",
            t(2300),
        )
        .await
        .expect("reject");
    assert_eq!((rejected.state, rejected.reason.as_deref()), (ActivationState::Rejected, Some("wrong address")));
    assert_eq!(store.activation_request(b.id).await.unwrap(), Some(rejected));
    let gone = store
        .set_activation_state(
            ActivationRequestId(a.id.0 + 1000),
            ActivationState::Requested,
            ActivationState::InReview,
            None,
            "x",
            t(2300),
        )
        .await;
    assert!(matches!(gone, Err(StoreError::NotFound(_))), "{gone:?}");

    // The inbox: newest first, per account, marked read once.
    let n1 =
        store.record_notification(owner.id, "activation.activated", "Your station is active.", t(2400)).await.unwrap();
    let n2 =
        store.record_notification(owner.id, "activation.rejected", "Rejected: wrong address", t(2500)).await.unwrap();
    store.record_notification(owner2.id, "activation.activated", "Other", t(2450)).await.unwrap();
    assert_eq!(n1.account_id, owner.id);
    assert_eq!(n1.kind, "activation.activated");
    assert_eq!(n1.text, "Your station is active.");
    assert_eq!((n1.created_at, n1.read_at), (t(2400), None));
    let inbox = store.notifications(owner.id, 10).await.unwrap();
    assert_eq!(inbox, vec![n2.clone(), n1.clone()]);
    assert_eq!(store.notifications(owner.id, 1).await.unwrap(), vec![n2.clone()]);
    store.mark_notification_read(owner.id, n1.id, t(2600)).await.unwrap();
    store.mark_notification_read(owner.id, n1.id, t(2700)).await.unwrap();
    let read = store.notifications(owner.id, 10).await.unwrap();
    assert_eq!(read[1].read_at, Some(t(2600)), "the first read time stays");
    assert_eq!(read[0].read_at, None);
    let foreign = store.mark_notification_read(owner2.id, n1.id, t(2800)).await;
    assert!(matches!(foreign, Err(StoreError::NotFound(_))), "another person's message: {foreign:?}");
    let missing = store.record_notification(AccountId(owner.id.0 + 1000), "x", "y", t(2800)).await;
    assert!(matches!(missing, Err(StoreError::NotFound(_))), "{missing:?}");
}
