//! Joule's e-mail: one job, sending the mails Joule writes to people (an owner told the outcome of an
//! activation request, a station gone offline).
//!
//! A [`Mailer`] sends a [`Mail`] through the SMTP server in [`MailSettings`], or, when none is configured,
//! writes it as an RFC 5322 `.eml` file into the outbox folder, so nothing Joule meant to say is lost and an
//! administrator can read it. When the server is configured but does not take the mail (it cannot be
//! reached, it answers 4xx or 5xx, it stalls past the timeout) the mail is written to the outbox as well,
//! and the error says what failed: the server's `host:port`, and its reply code and text. Errors and logs
//! never contain the SMTP password.
//!
//! # Why lettre, with rustls and ring
//!
//! SMTP with STARTTLS is what every mail provider asks for on port 587 and logins over plain text are
//! refused by most, so a client without TLS would only reach a relay on the same machine. lettre 0.11
//! (no default features: `builder`, `smtp-transport`, `tokio1`, `tokio1-rustls`, `ring`, `webpki-roots`)
//! gives STARTTLS and implicit TLS, AUTH PLAIN/LOGIN, dot-stuffing, RFC 2047 headers and quoted-printable
//! bodies, all tested by its users. Measured when this crate was written (a 2-core machine shared with
//! other builds, so the times are rough):
//!
//! | what | `cargo tree` lines | distinct crates | clean build of it alone with tokio |
//! |---|---|---|---|
//! | tokio only (baseline) | 18 | 14 | 41 s |
//! | lettre, no TLS | 117 | 73 | 67 s |
//! | lettre, rustls + ring (chosen) | 143 | 89 | 147 s |
//! | lettre, native-tls (OpenSSL) | 145 | 87 | 173 s, and needs libssl-dev |
//!
//! In this workspace `cargo tree -p joule-mail -e normal` is 169 lines, 84 distinct crates, and most of it
//! (url, idna, futures, tokio) is already built for other crates;
//! new to `Cargo.lock` are lettre, email-encoding, quoted_printable, nom 8, fastrand, and for TLS rustls,
//! rustls-webpki, rustls-pki-types, tokio-rustls, ring (its C and assembly are most of the build time),
//! untrusted, subtle, zeroize, webpki-roots. No aws-lc-rs. One duplicate major version: ring needs
//! getrandom 0.2 beside the 0.3 and 0.4 already locked (windows-sys 0.52 too, on Windows only). Writing our
//! own client over a `TcpStream` would have added nothing but could not do TLS, which is why it was not
//! chosen.
//!
//! lettre's async transport bounds only the connect with its timeout, so [`Mailer::send`] bounds the whole
//! delivery (connect, TLS, every command, the data) with `timeout_secs`.
//!
//! The delivery tests (`tests/smtp.rs`) talk to an SMTP server built on the `mailin` crate (a server
//! state machine written independently of lettre) on a loopback port.

mod address;
mod outbox;
mod settings;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use lettre::message::header::{self, ContentTransferEncoding, ContentType};
use lettre::message::{Body, Mailbox};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

pub use address::{Address, AddressError};
pub use settings::{MailSettings, Password, Security, SmtpSettings};

/// A plain-text mail to one person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    pub to: Address,
    /// One line; line breaks are turned into spaces (a header cannot hold them, and a subject with a line
    /// break could otherwise smuggle in headers).
    pub subject: String,
    /// The body, plain text. Sent 7bit when it is ASCII, quoted-printable otherwise.
    pub text: String,
}

/// What became of a mail that [`Mailer::send`] accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    /// The SMTP server took it (answered 250 to the message).
    Sent,
    /// No SMTP server is configured: the mail is in this `.eml` file.
    WrittenToOutbox(PathBuf),
}

/// Why an SMTP server did not take a mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpFailure {
    /// `host:port` of the server.
    pub server: String,
    /// The server's reply code when it answered with an error (4xx, 5xx).
    pub code: Option<u16>,
    /// What failed, with the server's reply text when there was one. Never contains the password.
    pub reason: String,
}

/// The one error type of this crate.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// The settings cannot work; the message names the setting.
    #[error("mail settings: {0}")]
    Settings(String),
    /// The mail cannot be written as a message (should not happen with validated addresses).
    #[error("building the mail to {to}: {reason}")]
    Message { to: String, reason: String },
    /// The SMTP server did not take the mail; it is kept in the outbox at `kept`.
    #[error(
        "sending the mail to {to} through the SMTP server {} failed: {}; the mail is kept in {}",
        failure.server, failure.reason, kept.display()
    )]
    Delivery { to: String, failure: SmtpFailure, kept: PathBuf },
    /// The SMTP server did not take the mail, and writing it to the outbox failed too: the mail is lost
    /// and the caller must say so.
    #[error(
        "sending the mail to {to} through the SMTP server {} failed: {}; and keeping it in the outbox failed too: {outbox}",
        failure.server, failure.reason
    )]
    DeliveryNotKept { to: String, failure: SmtpFailure, outbox: Box<MailError> },
    /// Writing the mail into the outbox failed.
    #[error("writing the mail to the outbox {}: {source}", path.display())]
    Outbox { path: PathBuf, source: std::io::Error },
}

/// Sends Joule's mails: through SMTP when configured, otherwise into the outbox folder.
#[derive(Debug)]
pub struct Mailer {
    outbox: PathBuf,
    from: Mailbox,
    smtp: Option<Smtp>,
}

/// A configured SMTP server, checked once when the mailer is made.
struct Smtp {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    /// `host:port`, for errors and logs.
    server: String,
    timeout: Duration,
    /// Kept only to scrub it from error texts, in case a server ever echoes it.
    password: Option<Password>,
}

impl std::fmt::Debug for Smtp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Smtp").field("server", &self.server).field("timeout", &self.timeout).finish_non_exhaustive()
    }
}

/// The sender when no SMTP server is configured: the mail only goes to the outbox, so the address
/// needs to be well formed, not deliverable.
const OUTBOX_FROM: &str = "Joule <joule@localhost>";

impl Mailer {
    /// Checks the settings and prepares the SMTP transport (no connection is made yet). `data_dir` is
    /// Joule's data directory, which a relative `outbox_dir` (and the default, `outbox`) is relative to.
    pub fn new(settings: &MailSettings, data_dir: impl AsRef<Path>) -> Result<Self, MailError> {
        let outbox = match &settings.outbox_dir {
            Some(dir) => data_dir.as_ref().join(dir),
            None => data_dir.as_ref().join("outbox"),
        };
        let Some(smtp) = &settings.smtp else {
            let from = OUTBOX_FROM.parse().expect("a valid built-in address");
            return Ok(Self { outbox, from, smtp: None });
        };
        let from: Mailbox = smtp
            .from
            .parse()
            .map_err(|e| MailError::Settings(format!("smtp.from {:?} is not an e-mail address: {e}", smtp.from)))?;
        if smtp.host.trim().is_empty() {
            return Err(MailError::Settings("smtp.host is empty".into()));
        }
        if smtp.port == 0 {
            return Err(MailError::Settings("smtp.port may not be 0".into()));
        }
        if smtp.timeout_secs == 0 {
            return Err(MailError::Settings("smtp.timeout_secs must be at least 1".into()));
        }
        let credentials = match (&smtp.username, &smtp.password) {
            (None, None) => None,
            (Some(_), None) => {
                return Err(MailError::Settings("smtp.username is set but smtp.password is not".into()));
            }
            (None, Some(_)) => {
                return Err(MailError::Settings("smtp.password is set but smtp.username is not".into()));
            }
            (Some(_), Some(_)) if smtp.security == Security::None => {
                return Err(MailError::Settings(
                    "smtp.security = \"none\" with a login would send the password in plain text: \
                     use \"starttls\" or \"tls\""
                        .into(),
                ));
            }
            (Some(user), Some(password)) => Some(Credentials::new(user.clone(), password.expose().to_owned())),
        };
        let timeout = Duration::from_secs(smtp.timeout_secs);
        let tls = match smtp.security {
            Security::None => Tls::None,
            Security::Starttls => Tls::Required(tls_parameters(&smtp.host)?),
            Security::Tls => Tls::Wrapper(tls_parameters(&smtp.host)?),
        };
        // EHLO names the sender's domain: Joule does not know its own host name, and "localhost" is
        // refused by some servers.
        let hello = ClientId::Domain(from.email.domain().to_owned());
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(smtp.host.trim())
            .port(smtp.port)
            .tls(tls)
            .hello_name(hello)
            .timeout(Some(timeout));
        if let Some(credentials) = credentials {
            builder = builder.credentials(credentials);
        }
        Ok(Self {
            outbox,
            from,
            smtp: Some(Smtp {
                transport: builder.build(),
                server: format!("{}:{}", smtp.host.trim(), smtp.port),
                timeout,
                password: smtp.password.clone(),
            }),
        })
    }

    /// The outbox folder.
    pub fn outbox_dir(&self) -> &Path {
        &self.outbox
    }

    /// Sends `mail`, or writes it to the outbox when no SMTP server is configured. When the server does
    /// not take it, the mail is written to the outbox too and the error says both what failed and where
    /// the mail is kept. Takes at most `timeout_secs` talking to the server, plus the outbox write.
    pub async fn send(&self, mail: &Mail) -> Result<Delivery, MailError> {
        let message = self.message(mail)?;
        let bytes = message.formatted();
        let Some(smtp) = &self.smtp else {
            let path = outbox::keep(&self.outbox, bytes).await?;
            tracing::info!(to = %mail.to, path = %path.display(), "mail written to the outbox (no SMTP server is configured)");
            return Ok(Delivery::WrittenToOutbox(path));
        };
        match smtp.deliver(&message, &bytes).await {
            Ok(()) => {
                tracing::info!(to = %mail.to, server = %smtp.server, "mail sent");
                Ok(Delivery::Sent)
            }
            Err(failure) => {
                let to = mail.to.to_string();
                let error = match outbox::keep(&self.outbox, bytes).await {
                    Ok(kept) => MailError::Delivery { to, failure, kept },
                    Err(outbox) => MailError::DeliveryNotKept { to, failure, outbox: Box::new(outbox) },
                };
                tracing::warn!(%error, "mail not sent");
                Err(error)
            }
        }
    }

    /// The RFC 5322 message for `mail`: Date, From, To, Subject (RFC 2047 encoded when not ASCII),
    /// Message-ID, MIME-Version, `Content-Type: text/plain; charset=utf-8`, and the body 7bit when it is
    /// ASCII, quoted-printable otherwise, with CRLF line ends.
    pub fn format(&self, mail: &Mail) -> Result<Vec<u8>, MailError> {
        Ok(self.message(mail)?.formatted())
    }

    fn message(&self, mail: &Mail) -> Result<Message, MailError> {
        let failed = |reason: String| MailError::Message { to: mail.to.to_string(), reason };
        let to: lettre::Address = mail.to.as_str().parse().map_err(|e| failed(format!("{e}")))?;
        let body = Body::new_with_encoding(mail.text.clone(), ContentTransferEncoding::SevenBit)
            .or_else(|_| Body::new_with_encoding(mail.text.clone(), ContentTransferEncoding::QuotedPrintable))
            .map_err(|_| failed("the body cannot be encoded".into()))?;
        Message::builder()
            .from(self.from.clone())
            .to(Mailbox::new(None, to))
            .subject(one_line(&mail.subject))
            .date(SystemTime::now())
            .message_id(Some(message_id(self.from.email.domain())))
            .header(header::MIME_VERSION_1_0)
            .header(ContentType::TEXT_PLAIN)
            .body(body)
            .map_err(|e| failed(e.to_string()))
    }
}

impl Smtp {
    async fn deliver(&self, message: &Message, bytes: &[u8]) -> Result<(), SmtpFailure> {
        let sending = self.transport.send_raw(message.envelope(), bytes);
        let (code, reason) = match tokio::time::timeout(self.timeout, sending).await {
            Ok(Ok(_)) => return Ok(()),
            Ok(Err(e)) => (e.status().and_then(|code| code.to_string().parse().ok()), error_chain(&e)),
            Err(_) => (None, format!("no answer within {} s", self.timeout.as_secs())),
        };
        let reason = match &self.password {
            Some(password) if !password.expose().is_empty() => reason.replace(password.expose(), "***"),
            _ => reason,
        };
        Err(SmtpFailure { server: self.server.clone(), code, reason })
    }
}

/// An error and its sources, "a: b: c", skipping a source whose text the outer one already shows.
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(inner) = source {
        let inner_text = inner.to_string();
        if !text.contains(&inner_text) {
            text.push_str(": ");
            text.push_str(&inner_text);
        }
        source = inner.source();
    }
    text
}

fn tls_parameters(host: &str) -> Result<TlsParameters, MailError> {
    TlsParameters::new(host.trim().to_owned())
        .map_err(|e| MailError::Settings(format!("smtp.host {host:?}: TLS cannot be set up: {e}")))
}

/// The subject on one line: every control character (CR and LF included) becomes a space.
fn one_line(subject: &str) -> String {
    subject.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

/// A Message-ID unique across mails of this process and across processes (the process id), in the
/// sender's domain as RFC 5322 §3.6.4 suggests.
fn message_id(domain: &str) -> String {
    static SEQUENCE: AtomicU64 = AtomicU64::new(0);
    let now = chrono::Utc::now();
    format!(
        "<{}.{}.{}@{}>",
        now.format("%Y%m%d%H%M%S%.6f"),
        std::process::id(),
        SEQUENCE.fetch_add(1, Ordering::Relaxed),
        domain
    )
}

#[cfg(test)]
mod tests;
