//! Delivery through a real SMTP server on a loopback port: the `mailin` crate's server state machine (an
//! implementation independent of lettre), driven over a TCP socket by a few lines here. Also the ways
//! delivery fails: a reply code, a closed port, a silent server, a server without STARTTLS.

use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::thread;

use joule_mail::{Address, Delivery, Mail, MailError, MailSettings, Mailer, Password, Security, SmtpSettings};

#[path = "support/smtp_server.rs"]
mod smtp_server;

use smtp_server::start_server;

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("joule-mail-it-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn settings(addr: SocketAddr, security: Security) -> MailSettings {
    let mut smtp = SmtpSettings::new(addr.ip().to_string(), addr.port(), "Joule <joule@example.com>");
    smtp.security = security;
    smtp.timeout_secs = 5;
    MailSettings { smtp: Some(smtp), outbox_dir: None }
}

fn mail(subject: &str, text: &str) -> Mail {
    Mail { to: Address::parse("owner@example.com").unwrap(), subject: subject.into(), text: text.into() }
}

/// The header value `name` (unfolded) and the body of a message.
fn header(message: &str, name: &str) -> String {
    let (head, _) = message.split_once("\r\n\r\n").unwrap();
    let head = head.replace("\r\n ", " ").replace("\r\n\t", " ");
    let values: Vec<&str> = head
        .split("\r\n")
        .filter_map(|line| line.split_once(':'))
        .filter(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.trim())
        .collect();
    assert_eq!(values.len(), 1, "one {name} header in {message}");
    values[0].to_owned()
}

fn eml_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut files: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).collect();
    files.sort();
    files
}

#[tokio::test]
async fn a_mail_is_delivered_to_a_real_smtp_server() {
    let server = start_server(None);
    let data = temp_dir("delivered");
    let mailer = Mailer::new(&settings(server.addr, Security::None), &data).unwrap();
    // Lines that start with a dot must be dot-stuffed on the wire and come out as written.
    let text = "Hello,\n\nyour station CP-1 is active.\n.\n..two dots\n.leading dot\nJoule\n";
    let delivery = mailer.send(&mail("Your activation request for CP-1 was approved", text)).await.unwrap();
    assert_eq!(delivery, Delivery::Sent);

    let received = server.received.lock().unwrap().clone();
    assert_eq!(received.len(), 1, "{received:?}");
    let got = &received[0];
    assert_eq!(got.from, "joule@example.com");
    assert_eq!(got.to, vec!["owner@example.com".to_owned()]);
    let message = String::from_utf8(got.data.clone()).unwrap();
    assert_eq!(header(&message, "Subject"), "Your activation request for CP-1 was approved");
    assert_eq!(header(&message, "From"), "Joule <joule@example.com>");
    assert_eq!(header(&message, "To"), "owner@example.com");
    assert_eq!(header(&message, "Content-Type"), "text/plain; charset=utf-8");
    let body = message.split_once("\r\n\r\n").unwrap().1;
    // lettre ends DATA with CRLF "." CRLF even after a body that ends in CRLF, so the server sees one
    // more line end than the message has.
    let body = body.strip_suffix("\r\n").unwrap();
    assert_eq!(body, text.replace('\n', "\r\n"));
    assert!(eml_files(mailer.outbox_dir()).is_empty(), "nothing in the outbox");
    let _ = std::fs::remove_dir_all(&data);
}

#[tokio::test]
async fn a_non_ascii_mail_arrives_encoded() {
    let server = start_server(None);
    let data = temp_dir("utf8");
    let mailer = Mailer::new(&settings(server.addr, Security::None), &data).unwrap();
    let delivery = mailer.send(&mail("Station bestätigt ✓", "Grüße\n")).await.unwrap();
    assert_eq!(delivery, Delivery::Sent);
    let received = server.received.lock().unwrap().clone();
    let message = String::from_utf8(received[0].data.clone()).unwrap();
    assert!(message.is_ascii());
    let subject = header(&message, "Subject");
    assert!(subject.starts_with("Station ") && subject.to_ascii_lowercase().contains("=?utf-8?"));
    assert_eq!(header(&message, "Content-Transfer-Encoding"), "quoted-printable");
    assert_eq!(message.split_once("\r\n\r\n").unwrap().1, "Gr=C3=BC=C3=9Fe\r\n\r\n");
}

#[tokio::test]
async fn a_refused_recipient_is_kept_in_the_outbox_and_the_error_has_the_reply() {
    let server = start_server(Some((550, "5.1.1 No such user here")));
    let data = temp_dir("refused");
    let mailer = Mailer::new(&settings(server.addr, Security::None), &data).unwrap();
    let error = mailer.send(&mail("Request rejected", "Sorry.\n")).await.unwrap_err();

    eprintln!("{error}");
    let MailError::Delivery { to, failure, kept } = &error else { panic!("{error:?}") };
    assert_eq!(to, "owner@example.com");
    assert_eq!(failure.server, server.addr.to_string());
    assert_eq!(failure.code, Some(550));
    assert!(failure.reason.contains("No such user here"), "{}", failure.reason);
    let text = error.to_string();
    assert!(text.contains(&server.addr.to_string()) && text.contains("550"), "{text}");
    assert!(text.contains(&kept.display().to_string()), "{text}");

    assert_eq!(eml_files(&data.join("outbox")), vec![kept.clone()]);
    let eml = std::fs::read_to_string(kept).unwrap();
    assert_eq!(header(&eml, "Subject"), "Request rejected");
    assert!(server.received.lock().unwrap().is_empty());
    let _ = std::fs::remove_dir_all(&data);
}

#[tokio::test]
async fn a_closed_port_is_kept_in_the_outbox_and_the_error_names_host_and_port() {
    let closed = {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap()
    };
    let data = temp_dir("closed");
    let mut settings = settings(closed, Security::Starttls);
    let smtp = settings.smtp.as_mut().unwrap();
    smtp.username = Some("joule".into());
    smtp.password = Some(Password::new("s3cret-pa55"));
    let mailer = Mailer::new(&settings, &data).unwrap();
    let error = mailer.send(&mail("Station offline", "CP-1 is offline.\n")).await.unwrap_err();

    let text = error.to_string();
    assert!(text.contains(&format!("127.0.0.1:{}", closed.port())), "{text}");
    assert!(!text.contains("s3cret-pa55") && !format!("{error:?}").contains("s3cret-pa55"));
    eprintln!("{error}");
    let MailError::Delivery { failure, kept, .. } = &error else { panic!("{error:?}") };
    assert_eq!(failure.code, None);
    assert!(failure.reason.to_lowercase().contains("refused"), "{}", failure.reason);
    let eml = std::fs::read_to_string(kept).unwrap();
    assert_eq!(header(&eml, "Subject"), "Station offline");
    let _ = std::fs::remove_dir_all(&data);
}

#[tokio::test]
async fn a_silent_server_is_bounded_by_the_timeout() {
    // Accepts connections and never says a word.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming() {
            held.push(stream);
        }
    });
    let data = temp_dir("silent");
    let mut settings = settings(addr, Security::None);
    settings.smtp.as_mut().unwrap().timeout_secs = 1;
    let mailer = Mailer::new(&settings, &data).unwrap();
    let error = mailer.send(&mail("s", "t")).await.unwrap_err();
    eprintln!("{error}");
    let MailError::Delivery { failure, kept, .. } = &error else { panic!("{error:?}") };
    assert_eq!(failure.reason, "no answer within 1 s");
    assert!(kept.exists());
    let _ = std::fs::remove_dir_all(&data);
}

#[tokio::test]
async fn starttls_required_but_not_offered_is_an_error_not_plain_text() {
    let server = start_server(None);
    let data = temp_dir("nostarttls");
    let mailer = Mailer::new(&settings(server.addr, Security::Starttls), &data).unwrap();
    let error = mailer.send(&mail("s", "t")).await.unwrap_err();
    eprintln!("{error}");
    let MailError::Delivery { failure, kept, .. } = &error else { panic!("{error:?}") };
    assert_eq!(failure.server, server.addr.to_string());
    assert!(kept.exists());
    assert!(server.received.lock().unwrap().is_empty(), "nothing was sent in plain text");
    let _ = std::fs::remove_dir_all(&data);
}
