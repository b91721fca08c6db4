//! Telling a person something: a message in their portal inbox, and the same by e-mail through the server's
//! mailer (the configured SMTP server, or the outbox folder when there is none). Shared by activation
//! outcomes and offline detection.

use joule_core::Timestamp;
use joule_core::account::Account;

use crate::App;

/// Puts the message in the account's inbox and mails it. Failures are logged, not returned: the event that
/// caused the message has happened either way, and the inbox keeps the message if the mail fails.
pub async fn tell(app: &App, account: &Account, kind: &str, subject: &str, text: &str, at: Timestamp) {
    let store = app.db();
    if let Err(e) = store.record_notification(account.id, kind, text, at).await {
        tracing::error!(error = %e, account = %account.id, kind, "could not put a message in the inbox");
    }
    let to = match joule_mail::Address::parse(account.email.as_str()) {
        Ok(to) => to,
        Err(e) => {
            tracing::error!(error = %e, account = %account.id, kind, "the account's e-mail address cannot be mailed");
            return;
        }
    };
    let mail = joule_mail::Mail { to, subject: subject.to_string(), text: text.to_string() };
    if let Err(e) = app.mailer().send(&mail).await {
        tracing::error!(error = %e, account = %account.id, kind, "could not mail a message");
    }
}
