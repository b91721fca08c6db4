/// What can go wrong in a store, in terms a caller can act on.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
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
    #[error("database error: {0}")]
    Database(String),
}
