//! Resetting a forgotten password by an e-mailed link ("reset password by an e-mailed link").
//!
//! Asking for a link answers the same whether or not the address has an account, and the mail is sent after
//! the answer, so neither the answer nor its timing tells who has an account. A link is a 256-bit secret, of
//! which the store keeps only the SHA-256 (like a login's); it works once, for an hour, and using it ends the
//! account's other links and its logins.

use std::net::SocketAddr;

use axum::Json;
use axum::extract::{ConnectInfo, State};
use axum::http::StatusCode;
use joule_app::accounts::ResetOutcome;
use joule_core::account::Email;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::ApiState;
use crate::error::{ApiError, ApiResult, Kind, Problem};
use crate::extract::Body;

use joule_app::accounts::credentials::LINK_MINUTES;
/// Where the portal's page for a link lives (the web crate serves it).
pub const PAGE: &str = "/password/reset";

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetRequest {
    /// The account's e-mail address.
    pub email: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ResetAccepted {
    pub detail: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetConfirm {
    /// The secret from the mailed link (`jreset_…`).
    pub token: String,
    /// The new password: 10 to 128 characters, not containing the e-mail address.
    pub password: String,
}

/// The portal's base URL for people: the public URL stations are given, in its http(s) form.
fn web_base(state: &ApiState) -> String {
    let base = state.app.settings().public_base();
    if let Some(rest) = base.strip_prefix("wss://") {
        format!("https://{rest}")
    } else if let Some(rest) = base.strip_prefix("ws://") {
        format!("http://{rest}")
    } else {
        base
    }
}

/// Mails a password-reset link to the address, if it belongs to an active account. The answer is 202 and the
/// same either way. Each request counts against the caller's address like a failed login (429 when too many).
#[utoipa::path(post, path = "/api/v1/password-reset", tag = "accounts", request_body = ResetRequest, security(()),
    responses((status = 202, body = ResetAccepted), (status = 400, body = Problem), (status = 429, body = Problem)))]
pub async fn request(
    State(state): State<ApiState>,
    ConnectInfo(remote): ConnectInfo<SocketAddr>,
    Body(request): Body<ResetRequest>,
) -> ApiResult<(StatusCode, Json<ResetAccepted>)> {
    let email = Email::parse(&request.email).map_err(|e| ApiError::invalid("email", e.to_string()))?;
    let keys = [format!("ip:{}", remote.ip())];
    if state.logins.blocked(&keys) {
        return Err(ApiError::new(Kind::TooManyAttempts, "too many attempts from this address; wait 15 minutes"));
    }
    state.logins.failed(&keys);
    let answer = ResetAccepted {
        detail: format!(
            "if {email} belongs to an account, a link to choose a new password is on its way; it works for \
             {LINK_MINUTES} minutes"
        ),
    };
    // The work happens after the answer, so its timing says nothing about the account.
    let state = state.clone();
    tokio::spawn(async move {
        if let Err(e) = send_link(&state, &email).await {
            tracing::error!(error = %e, "could not make a password-reset link");
        }
    });
    Ok((StatusCode::ACCEPTED, Json(answer)))
}

async fn send_link(state: &ApiState, email: &Email) -> Result<(), joule_app::AppError> {
    let Some((account, secret)) = state.app.accounts().password_reset_link(email).await? else { return Ok(()) };
    let link = format!("{}{PAGE}?token={secret}", web_base(state));
    let text = format!(
        "Hello {name},\n\nsomeone (we hope you) asked to reset the password of your Joule account {email}.\n\
         Open this link within {LINK_MINUTES} minutes to choose a new one:\n\n{link}\n\n\
         If it was not you, ignore this mail: your password stays as it is.\n",
        name = account.name,
    );
    let to = match joule_mail::Address::parse(email.as_str()) {
        Ok(to) => to,
        Err(e) => {
            tracing::error!(error = %e, account = %account.id, "the account's e-mail address cannot be mailed");
            return Ok(());
        }
    };
    let mail = joule_mail::Mail { to, subject: "Choose a new Joule password".into(), text };
    if let Err(e) = state.app.mailer().send(&mail).await {
        tracing::error!(error = %e, account = %account.id, "could not mail a password-reset link");
    }
    Ok(())
}

/// Sets a new password with a mailed link's secret. The link works once; the account's other links and its
/// logins end with it. An unknown, used or expired link is one answer (400 on `token`): ask for a new one.
#[utoipa::path(post, path = "/api/v1/password-reset/confirm", tag = "accounts", request_body = ResetConfirm,
    security(()),
    responses((status = 204), (status = 400, body = Problem), (status = 429, body = Problem)))]
pub async fn confirm(
    State(state): State<ApiState>,
    ConnectInfo(remote): ConnectInfo<SocketAddr>,
    Body(confirm): Body<ResetConfirm>,
) -> ApiResult<StatusCode> {
    let keys = [format!("ip:{}", remote.ip())];
    if state.logins.blocked(&keys) {
        return Err(ApiError::new(Kind::TooManyAttempts, "too many attempts from this address; wait 15 minutes"));
    }
    let invalid = || {
        ApiError::invalid("token", "this link is unknown, used already or expired; ask for a new one on the login page")
    };
    match state.app.accounts().reset_password(&confirm.token, confirm.password).await? {
        ResetOutcome::Done => {}
        ResetOutcome::UnknownLink => {
            state.logins.failed(&keys);
            return Err(invalid());
        }
        ResetOutcome::UsedLink => return Err(invalid()),
    }
    Ok(StatusCode::NO_CONTENT)
}
