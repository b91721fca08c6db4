//! Mail settings, as they appear in Joule's TOML configuration (`[mail]`).

use std::fmt;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// Where Joule's mails go.
///
/// ```toml
/// [mail]
/// outbox_dir = "outbox"          # default: "outbox", relative to the data directory
///
/// [mail.smtp]                    # leave out to write every mail to the outbox
/// host = "smtp.example.com"
/// port = 587                     # default 587
/// security = "starttls"          # none | starttls | tls; default starttls
/// username = "joule@example.com" # optional; needs starttls or tls
/// password = "…"
/// from = "Joule <joule@example.com>"
/// timeout_secs = 10              # default 10
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MailSettings {
    /// The SMTP server. Without one, each mail is written to the outbox, so nothing is lost and an
    /// administrator can read (or forward) what Joule would have sent.
    #[serde(default)]
    pub smtp: Option<SmtpSettings>,
    /// The outbox folder: where mails go when no SMTP server is configured, and where a mail is kept when
    /// the server could not take it. A relative path is relative to Joule's data directory; the default is
    /// `outbox` there.
    #[serde(default)]
    pub outbox_dir: Option<PathBuf>,
}

/// An SMTP server to send through (a submission server, RFC 6409).
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmtpSettings {
    /// The server's host name (also the name its TLS certificate must carry).
    pub host: String,
    /// Default 587, submission with STARTTLS. Implicit TLS is usually 465; plain SMTP 25.
    #[serde(default = "default_port")]
    pub port: u16,
    /// How the connection is protected. Default `starttls`.
    #[serde(default)]
    pub security: Security,
    /// Log in with this user name (AUTH PLAIN or LOGIN, whichever the server offers). Absent: no login.
    #[serde(default)]
    pub username: Option<String>,
    /// The password for `username`. Never printed: `Debug` shows `"***"`, and errors never contain it.
    #[serde(default)]
    pub password: Option<Password>,
    /// The sender, `joule@example.com` or `Joule <joule@example.com>`.
    pub from: String,
    /// How long one delivery may take in all (connecting, TLS, every command and the message), in seconds.
    /// Default 10. A server that stalls cannot hold a caller longer than this.
    #[serde(default = "default_timeout_secs")]
    pub timeout_secs: u64,
}

fn default_port() -> u16 {
    587
}

fn default_timeout_secs() -> u64 {
    10
}

/// How the SMTP connection is protected.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Security {
    /// Plain text. Only for a relay on the same machine or a test server; a login is refused with it.
    None,
    /// Plain connection upgraded with STARTTLS, which the server must offer (a server that does not is an
    /// error, never a silent fall back to plain text).
    #[default]
    Starttls,
    /// TLS from the first byte (implicit TLS, usually port 465).
    Tls,
}

/// A secret that `Debug` and `Display` never show, and that serialises as `"***"` (so `joule config show`
/// prints the configuration without it).
#[derive(Clone, PartialEq, Deserialize)]
#[serde(transparent)]
pub struct Password(String);

impl Serialize for Password {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str("***")
    }
}

impl Password {
    pub fn new(secret: impl Into<String>) -> Self {
        Self(secret.into())
    }

    /// The secret itself, for the SMTP login only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"***\"")
    }
}

impl fmt::Debug for SmtpSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("username", &self.username)
            .field("password", &self.password)
            .field("from", &self.from)
            .field("timeout_secs", &self.timeout_secs)
            .finish()
    }
}

impl SmtpSettings {
    /// Settings for `host:port` with the defaults for everything else (STARTTLS, no login, 10 s).
    pub fn new(host: impl Into<String>, port: u16, from: impl Into<String>) -> Self {
        Self {
            host: host.into(),
            port,
            security: Security::default(),
            username: None,
            password: None,
            from: from.into(),
            timeout_secs: default_timeout_secs(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_from_toml() {
        let settings: MailSettings = toml::from_str(
            r#"
            [smtp]
            host = "smtp.example.com"
            from = "Joule <joule@example.com>"
            "#,
        )
        .unwrap();
        let smtp = settings.smtp.unwrap();
        assert_eq!(smtp.port, 587);
        assert_eq!(smtp.security, Security::Starttls);
        assert_eq!(smtp.timeout_secs, 10);
        assert!(smtp.username.is_none() && smtp.password.is_none());
        assert!(settings.outbox_dir.is_none());

        let empty: MailSettings = toml::from_str("").unwrap();
        assert!(empty.smtp.is_none());
    }

    #[test]
    fn everything_from_toml() {
        let settings: MailSettings = toml::from_str(
            r#"
            outbox_dir = "/var/lib/joule/mail"
            [smtp]
            host = "mail.example.com"
            port = 465
            security = "tls"
            username = "joule"
            password = "hunter2"
            from = "joule@example.com"
            timeout_secs = 3
            "#,
        )
        .unwrap();
        let smtp = settings.smtp.as_ref().unwrap();
        assert_eq!((smtp.port, smtp.security, smtp.timeout_secs), (465, Security::Tls, 3));
        assert_eq!(smtp.password.as_ref().unwrap().expose(), "hunter2");
        assert_eq!(settings.outbox_dir.unwrap(), PathBuf::from("/var/lib/joule/mail"));
    }

    #[test]
    fn unknown_keys_and_bad_security_are_refused_by_name() {
        let typo = toml::from_str::<MailSettings>("[smtp]\nhost = \"h\"\nfrom = \"a@b\"\nprot = 25\n");
        assert!(typo.unwrap_err().to_string().contains("prot"));
        let bad = toml::from_str::<MailSettings>("[smtp]\nhost = \"h\"\nfrom = \"a@b\"\nsecurity = \"ssl\"\n");
        assert!(bad.unwrap_err().to_string().contains("ssl"));
    }

    #[test]
    fn the_password_is_never_debug_printed() {
        let mut smtp = SmtpSettings::new("smtp.example.com", 587, "joule@example.com");
        smtp.username = Some("joule".into());
        smtp.password = Some(Password::new("hunter2"));
        let printed = format!("{:?} {:#?}", smtp, MailSettings { smtp: Some(smtp.clone()), outbox_dir: None });
        assert!(!printed.contains("hunter2"), "{printed}");
        assert!(printed.contains("***"));
    }
}
