//! The application layer's one error type. Each variant is one kind of answer a caller gives (the API maps
//! them to its problem types); the detail is for people.

/// The store's error, which [`AppError::Store`] carries: re-exported so callers can tell its kinds apart
/// (a name taken, say) without depending on the store.
pub use joule_store::StoreError;

use crate::stations::CommandFailure;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// No such thing, or one the actor may not see (another operator's: never told apart).
    #[error("{0}")]
    NotFound(String),
    /// A value of the request is wrong; `field` names it when there is one.
    #[error("{detail}")]
    Invalid { field: Option<String>, detail: String },
    /// The credential presented is unknown, revoked or expired (or its account disabled).
    #[error("{0}")]
    Unauthorized(String),
    /// The actor's role does not allow the use case.
    #[error("{0}")]
    Forbidden(String),
    /// It conflicts with what exists (a name taken, work already running).
    #[error("{0}")]
    Conflict(String),
    /// Something the use case needs did not answer; nothing was changed.
    #[error("{0}")]
    Unavailable(String),
    /// The station did not answer the command.
    #[error(transparent)]
    Command(#[from] CommandFailure),
    /// The store failed (its not-found and conflict included, as the store words them).
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A bug or an environment failure (hashing a password); the log has the details.
    #[error("{0}")]
    Internal(String),
}

impl AppError {
    /// A wrong value, naming the property at fault.
    pub fn invalid(field: impl Into<String>, detail: impl Into<String>) -> AppError {
        AppError::Invalid { field: Some(field.into()), detail: detail.into() }
    }

    pub fn not_found(detail: impl Into<String>) -> AppError {
        AppError::NotFound(detail.into())
    }
}

pub type AppResult<T> = Result<T, AppError>;
