/// What can go wrong in a store, in terms a caller can act on. Backends map their driver's errors into these
/// variants; no driver type crosses the [`Store`](crate::Store) boundary.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// The row the operation needs (a station, operator, outbox item...) does not exist.
    #[error("not found: {0}")]
    NotFound(String),
    /// A unique rule would be broken (a name, key or id already taken).
    #[error("conflict: {0}")]
    Conflict(String),
    /// A row that does not satisfy the domain's rules (a corrupted or hand-edited database).
    #[error("invalid data in the database: {0}")]
    Corrupt(String),
    /// The store is shutting down or its writer is gone.
    #[error("the store is closed")]
    Closed,
    /// Anything else the database reported: I/O, a lost connection, a failed commit. The write did not
    /// happen, except when a commit was sent and its answer lost (the message says when the commit failed).
    #[error("database error: {0}")]
    Database(String),
}

impl StoreError {
    pub(crate) fn corrupt(what: impl std::fmt::Display) -> StoreError {
        StoreError::Corrupt(what.to_string())
    }
}
