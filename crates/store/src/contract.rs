//! The contract every [`Store`] backend passes. A backend's tests call [`run_all`] with a fresh, empty store.

use chrono::Utc;
use joule_core::OperatorKey;

use crate::{Store, StoreError};

/// Runs every contract check against `store`, which must be empty. Panics (as a test does) on a breach.
pub async fn run_all(store: &dyn Store) {
    operators(store).await;
}

async fn operators(store: &dyn Store) {
    let key = OperatorKey::parse("acme-key-1").unwrap();
    let before = Utc::now();
    let op = store.create_operator("Acme Charging", &key).await.unwrap();
    assert_eq!(op.name, "Acme Charging");
    assert!(op.created_at >= before - chrono::Duration::seconds(1));
    assert_eq!(store.operator_by_key(&key).await.unwrap(), Some(op.clone()));
    assert_eq!(store.operator_by_name("Acme Charging").await.unwrap(), Some(op.clone()));
    assert_eq!(store.operator(op.id).await.unwrap(), Some(op.clone()));
    let dup = store.create_operator("Acme Charging", &OperatorKey::parse("other-key").unwrap()).await;
    assert!(matches!(dup, Err(StoreError::Conflict(_))), "duplicate name: {dup:?}");
    let dup = store.create_operator("Other", &key).await;
    assert!(matches!(dup, Err(StoreError::Conflict(_))), "duplicate key: {dup:?}");
    assert_eq!(store.list_operators().await.unwrap(), vec![op]);
}
