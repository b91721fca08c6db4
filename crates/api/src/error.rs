//! Errors as RFC 9457 problem documents: `application/problem+json` with `type`, `title`, `status` and
//! `detail`, plus `field` (the request property at fault) where there is one. Each problem type has a stable
//! slug (`type` is `/api/v1/docs#problem-<slug>`, described on the documentation page), so clients can
//! branch on it without parsing prose.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use joule_app::{AppError, CommandFailure, StoreError};
use serde::Serialize;
use utoipa::ToSchema;

/// An RFC 9457 problem document.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct Problem {
    /// `/api/v1/docs#problem-<slug>`: a stable identifier of the kind of problem.
    #[serde(rename = "type")]
    pub kind: String,
    /// A short summary of the kind of problem.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong this time, and what to do about it.
    pub detail: String,
    /// The request property at fault (`payload.connectorId`, `limit`, ...), for 400 problems.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// For a station's CALLERROR: the OCPP error code it answered with.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ocpp_error_code: Option<String>,
}

/// The problem types, with their status and title. The slug is the documented identifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    InvalidRequest,
    Unauthorized,
    Forbidden,
    NotFound,
    Conflict,
    StationOffline,
    QueueFull,
    StationTimeout,
    StationCallError,
    StationDisconnected,
    TooManyAttempts,
    Unavailable,
    Internal,
}

impl Kind {
    pub const ALL: [Kind; 13] = [
        Kind::InvalidRequest,
        Kind::Unauthorized,
        Kind::Forbidden,
        Kind::NotFound,
        Kind::Conflict,
        Kind::StationOffline,
        Kind::QueueFull,
        Kind::StationTimeout,
        Kind::StationCallError,
        Kind::StationDisconnected,
        Kind::TooManyAttempts,
        Kind::Unavailable,
        Kind::Internal,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Kind::InvalidRequest => "invalid-request",
            Kind::Unauthorized => "unauthorized",
            Kind::Forbidden => "forbidden",
            Kind::NotFound => "not-found",
            Kind::Conflict => "conflict",
            Kind::StationOffline => "station-offline",
            Kind::QueueFull => "queue-full",
            Kind::StationTimeout => "station-timeout",
            Kind::StationCallError => "station-call-error",
            Kind::StationDisconnected => "station-disconnected",
            Kind::TooManyAttempts => "too-many-attempts",
            Kind::Unavailable => "unavailable",
            Kind::Internal => "internal",
        }
    }

    pub fn status(self) -> StatusCode {
        match self {
            Kind::InvalidRequest => StatusCode::BAD_REQUEST,
            Kind::Unauthorized => StatusCode::UNAUTHORIZED,
            Kind::Forbidden => StatusCode::FORBIDDEN,
            Kind::NotFound => StatusCode::NOT_FOUND,
            Kind::Conflict | Kind::StationOffline => StatusCode::CONFLICT,
            Kind::QueueFull | Kind::TooManyAttempts => StatusCode::TOO_MANY_REQUESTS,
            Kind::StationTimeout => StatusCode::GATEWAY_TIMEOUT,
            Kind::StationCallError | Kind::StationDisconnected => StatusCode::BAD_GATEWAY,
            Kind::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            Kind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Kind::InvalidRequest => "The request is not valid",
            Kind::Unauthorized => "A valid API token or login session is required",
            Kind::Forbidden => "The token's role does not allow this",
            Kind::NotFound => "No such resource",
            Kind::Conflict => "The request conflicts with what exists",
            Kind::StationOffline => "The station is not connected",
            Kind::QueueFull => "Too many commands are waiting for this station",
            Kind::StationTimeout => "The station did not answer in time",
            Kind::StationCallError => "The station refused the command (CALLERROR)",
            Kind::StationDisconnected => "The station disconnected before answering",
            Kind::TooManyAttempts => "Too many failed attempts",
            Kind::Unavailable => "The database is temporarily unavailable",
            Kind::Internal => "Internal error",
        }
    }

    /// When this problem happens, for the documentation page.
    pub fn explanation(self) -> &'static str {
        match self {
            Kind::InvalidRequest => "A parameter or body property is missing or wrong; `field` names it.",
            Kind::Unauthorized => "No `Authorization: Bearer …` header, or a token that is unknown or revoked.",
            Kind::Forbidden => "The token is valid but its role (viewer < operator < admin) is too low.",
            Kind::NotFound => {
                "The resource does not exist, or belongs to another operator (tokens never see other operators' data)."
            }
            Kind::Conflict => "A name, tag or key is already taken.",
            Kind::StationOffline => "The command was not sent: the station has no connection to Joule.",
            Kind::QueueFull => "The command was not sent: the station's command queue is full. Retry later.",
            Kind::StationTimeout => "The command was sent but the station did not answer within the call timeout.",
            Kind::StationCallError => "The station answered with an OCPP CALLERROR; `ocpp_error_code` is its code.",
            Kind::StationDisconnected => "The station's connection closed while the command was outstanding.",
            Kind::TooManyAttempts => {
                "Too many failed logins for this e-mail address or from this address (or registrations from it); wait 15 minutes."
            }
            Kind::Unavailable => "The database could not be reached; nothing was changed. Retry later.",
            Kind::Internal => "A bug or corrupted data; the server log has the details.",
        }
    }
}

/// The API's error: a problem of some kind, with the details of this occurrence.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub kind: Kind,
    pub detail: String,
    pub field: Option<String>,
    pub ocpp_error_code: Option<String>,
}

impl ApiError {
    pub fn new(kind: Kind, detail: impl Into<String>) -> ApiError {
        ApiError { kind, detail: detail.into(), field: None, ocpp_error_code: None }
    }

    /// A 400 naming the property at fault.
    pub fn invalid(field: impl Into<String>, detail: impl Into<String>) -> ApiError {
        ApiError { field: Some(field.into()), ..ApiError::new(Kind::InvalidRequest, detail) }
    }

    pub fn not_found(detail: impl Into<String>) -> ApiError {
        ApiError::new(Kind::NotFound, detail)
    }

    pub fn problem(&self) -> Problem {
        Problem {
            kind: format!("/api/v1/docs#problem-{}", self.kind.slug()),
            title: self.kind.title().to_string(),
            status: self.kind.status().as_u16(),
            detail: self.detail.clone(),
            field: self.field.clone(),
            ocpp_error_code: self.ocpp_error_code.clone(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.kind.status();
        let body = serde_json::to_vec(&self.problem()).unwrap_or_default();
        let mut response = (status, body).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        match self.kind {
            Kind::Unauthorized => {
                headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer realm=\"joule\""));
            }
            Kind::QueueFull | Kind::Unavailable => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
            }
            Kind::TooManyAttempts => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from_static("900"));
            }
            _ => {}
        }
        response
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        match e {
            StoreError::NotFound(what) => ApiError::not_found(format!("not found: {what}")),
            StoreError::Conflict(what) => ApiError::new(Kind::Conflict, format!("already exists: {what}")),
            StoreError::Closed | StoreError::Database(_) => {
                tracing::error!(error = %e, "store error in an API request");
                ApiError::new(Kind::Unavailable, "the database did not answer; nothing was changed")
            }
            StoreError::Corrupt(_) => {
                tracing::error!(error = %e, "corrupt data met in an API request");
                ApiError::new(Kind::Internal, "invalid data in the database; see the server log")
            }
        }
    }
}

impl From<CommandFailure> for ApiError {
    fn from(e: CommandFailure) -> ApiError {
        let detail = e.to_string();
        match e {
            CommandFailure::Invalid { field, message } => {
                ApiError { field, ..ApiError::new(Kind::InvalidRequest, message) }
            }
            CommandFailure::Offline => ApiError::new(Kind::StationOffline, detail),
            CommandFailure::QueueFull => ApiError::new(Kind::QueueFull, detail),
            CommandFailure::Timeout { .. } => ApiError::new(Kind::StationTimeout, detail),
            CommandFailure::Disconnected => ApiError::new(Kind::StationDisconnected, detail),
            CommandFailure::CallError { code, .. } => {
                ApiError { ocpp_error_code: Some(code.to_string()), ..ApiError::new(Kind::StationCallError, detail) }
            }
        }
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> ApiError {
        match e {
            AppError::NotFound(detail) => ApiError::not_found(detail),
            AppError::Invalid { field, detail } => ApiError { field, ..ApiError::new(Kind::InvalidRequest, detail) },
            AppError::Unauthorized(detail) => ApiError::new(Kind::Unauthorized, detail),
            AppError::Forbidden(detail) => ApiError::new(Kind::Forbidden, detail),
            AppError::Conflict(detail) => ApiError::new(Kind::Conflict, detail),
            AppError::Unavailable(detail) => ApiError::new(Kind::Unavailable, detail),
            AppError::Command(failure) => ApiError::from(failure),
            AppError::Store(e) => ApiError::from(e),
            AppError::Internal(detail) => {
                tracing::error!(error = %detail, "internal error in an API request");
                ApiError::new(Kind::Internal, "internal error; see the server log")
            }
        }
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_unique_and_statuses_are_errors() {
        let mut slugs: Vec<_> = Kind::ALL.iter().map(|k| k.slug()).collect();
        slugs.sort();
        slugs.dedup();
        assert_eq!(slugs.len(), Kind::ALL.len());
        assert!(Kind::ALL.iter().all(|k| k.status().is_client_error() || k.status().is_server_error()));
    }

    #[test]
    fn command_errors_map_to_the_statuses_the_api_promises() {
        let status = |e: CommandFailure| ApiError::from(e).kind.status().as_u16();
        assert_eq!(status(CommandFailure::Offline), 409);
        assert_eq!(status(CommandFailure::QueueFull), 429);
        assert_eq!(status(CommandFailure::Timeout { secs: 30 }), 504);
        assert_eq!(status(CommandFailure::Disconnected), 502);
        assert_eq!(status(CommandFailure::Invalid { field: None, message: "no".into() }), 400);
        let code = joule_core::command::CallErrorCode::NotSupported;
        let call_error = ApiError::from(CommandFailure::CallError { code, description: "no".into() });
        assert_eq!(call_error.kind.status().as_u16(), 502);
        assert_eq!(call_error.problem().ocpp_error_code.as_deref(), Some("NotSupported"));
    }

    #[test]
    fn application_errors_map_to_the_problems_of_the_same_cause() {
        let kind = |e: AppError| ApiError::from(e).kind;
        assert_eq!(kind(AppError::not_found("no station X")), Kind::NotFound);
        assert_eq!(kind(AppError::Forbidden("no".into())), Kind::Forbidden);
        assert_eq!(kind(AppError::Conflict("taken".into())), Kind::Conflict);
        assert_eq!(kind(AppError::Command(CommandFailure::QueueFull)), Kind::QueueFull);
        assert_eq!(kind(AppError::Store(StoreError::Closed)), Kind::Unavailable);
        let invalid = ApiError::from(AppError::invalid("key", "too long"));
        assert_eq!((invalid.kind, invalid.field.as_deref()), (Kind::InvalidRequest, Some("key")));
        // The same answer as the store's own error gives.
        let store = |e: StoreError| ApiError::from(e);
        assert_eq!(
            ApiError::from(AppError::Store(StoreError::NotFound("x".into()))),
            store(StoreError::NotFound("x".into()))
        );
    }
}
