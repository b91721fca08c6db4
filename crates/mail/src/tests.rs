use super::*;

fn outbox_only(dir: &Path) -> Mailer {
    Mailer::new(&MailSettings::default(), dir).unwrap()
}

fn mail(subject: &str, text: &str) -> Mail {
    Mail { to: Address::parse("owner@example.com").unwrap(), subject: subject.into(), text: text.into() }
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("joule-mail-{name}-{}", std::process::id()));
    let _ = fs_remove(&dir);
    dir
}

fn fs_remove(dir: &Path) -> std::io::Result<()> {
    std::fs::remove_dir_all(dir)
}

/// The header block of a formatted message, unfolded, as (name, value) pairs.
fn headers(message: &str) -> Vec<(String, String)> {
    let (head, _) = message.split_once("\r\n\r\n").expect("a blank line after the headers");
    let unfolded = head.replace("\r\n ", " ").replace("\r\n\t", " ");
    unfolded
        .split("\r\n")
        .map(|line| {
            let (name, value) = line.split_once(':').unwrap_or_else(|| panic!("header line {line:?}"));
            (name.to_owned(), value.trim().to_owned())
        })
        .collect()
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> &'a str {
    let found: Vec<_> = headers.iter().filter(|(n, _)| n.eq_ignore_ascii_case(name)).collect();
    assert_eq!(found.len(), 1, "one {name} header in {headers:?}");
    &found[0].1
}

fn body(message: &str) -> &str {
    message.split_once("\r\n\r\n").unwrap().1
}

#[test]
fn an_ascii_mail_has_every_header_and_a_7bit_body() {
    let mailer = outbox_only(Path::new("/nonexistent"));
    let message = mailer.format(&mail("Your activation request", "Hello,\nstation CP-1 is active.\n")).unwrap();
    let message = String::from_utf8(message).unwrap();
    let headers = headers(&message);
    assert_eq!(header(&headers, "From"), "Joule <joule@localhost>");
    assert_eq!(header(&headers, "To"), "owner@example.com");
    assert_eq!(header(&headers, "Subject"), "Your activation request");
    assert_eq!(header(&headers, "MIME-Version"), "1.0");
    assert_eq!(header(&headers, "Content-Type"), "text/plain; charset=utf-8");
    assert_eq!(header(&headers, "Content-Transfer-Encoding"), "7bit");
    let id = header(&headers, "Message-ID");
    assert!(id.starts_with('<') && id.ends_with("@localhost>"), "{id}");
    let date = header(&headers, "Date");
    assert!(chrono::DateTime::parse_from_rfc2822(date).is_ok(), "an RFC 5322 date: {date}");
    // CRLF line ends in the body too.
    assert_eq!(body(&message), "Hello,\r\nstation CP-1 is active.\r\n");
}

#[test]
fn a_non_ascii_subject_is_rfc2047_encoded_and_the_body_quoted_printable() {
    let mailer = outbox_only(Path::new("/nonexistent"));
    let message = mailer.format(&mail("Aktivierung bestätigt – Ladestation ✓", "Grüße aus Köln\n")).unwrap();
    assert!(message.is_ascii(), "the message is 7-bit clean");
    let message = String::from_utf8(message).unwrap();
    let headers = headers(&message);
    let subject = header(&headers, "Subject");
    assert!(subject.to_ascii_lowercase().contains("=?utf-8?"), "{subject}");
    assert_eq!(decode_rfc2047(subject), "Aktivierung bestätigt – Ladestation ✓");
    assert_eq!(header(&headers, "Content-Transfer-Encoding"), "quoted-printable");
    assert_eq!(body(&message), "Gr=C3=BC=C3=9Fe aus K=C3=B6ln\r\n");
}

#[test]
fn a_line_break_in_the_subject_cannot_add_a_header() {
    let mailer = outbox_only(Path::new("/nonexistent"));
    let message = mailer.format(&mail("Hello\r\nBcc: victim@example.com", "x")).unwrap();
    let message = String::from_utf8(message).unwrap();
    let headers = headers(&message);
    assert!(headers.iter().all(|(name, _)| !name.eq_ignore_ascii_case("Bcc")), "{headers:?}");
    assert_eq!(header(&headers, "Subject"), "Hello  Bcc: victim@example.com");
}

#[test]
fn message_ids_differ() {
    let mailer = outbox_only(Path::new("/nonexistent"));
    let ids: Vec<String> = (0..3)
        .map(|_| {
            let message = String::from_utf8(mailer.format(&mail("s", "t")).unwrap()).unwrap();
            header(&headers(&message), "Message-ID").to_owned()
        })
        .collect();
    assert!(ids[0] != ids[1] && ids[1] != ids[2], "{ids:?}");
}

#[tokio::test]
async fn without_smtp_the_mail_is_a_readable_eml_in_the_outbox() {
    let data = temp_dir("outbox");
    let mailer = outbox_only(&data);
    assert_eq!(mailer.outbox_dir(), data.join("outbox"));
    let first = mailer.send(&mail("Request approved", "Station CP-1 is active.\n")).await.unwrap();
    let second = mailer.send(&mail("Request rejected", "Wrong serial.\n")).await.unwrap();
    let (Delivery::WrittenToOutbox(first), Delivery::WrittenToOutbox(second)) = (first, second) else {
        panic!("written to the outbox");
    };
    assert_eq!(first.parent().unwrap(), data.join("outbox"));
    assert_eq!(first.extension().unwrap(), "eml");
    assert!(first.file_name() < second.file_name(), "names sort by time");
    let text = std::fs::read_to_string(&first).unwrap();
    assert_eq!(header(&headers(&text), "Subject"), "Request approved");
    assert_eq!(header(&headers(&text), "To"), "owner@example.com");
    assert_eq!(body(&text), "Station CP-1 is active.\r\n");
    // Nothing but the two mails: no temporary file is left behind.
    let mut names: Vec<_> = std::fs::read_dir(data.join("outbox")).unwrap().map(|e| e.unwrap().file_name()).collect();
    names.sort();
    assert_eq!(names, vec![first.file_name().unwrap(), second.file_name().unwrap()]);
    let _ = fs_remove(&data);
}

#[tokio::test]
async fn a_relative_outbox_dir_is_in_the_data_dir_and_an_absolute_one_is_kept() {
    let settings = MailSettings { smtp: None, outbox_dir: Some("mail/out".into()) };
    assert_eq!(Mailer::new(&settings, "/data").unwrap().outbox_dir(), Path::new("/data/mail/out"));
    let settings = MailSettings { smtp: None, outbox_dir: Some("/var/mail".into()) };
    assert_eq!(Mailer::new(&settings, "/data").unwrap().outbox_dir(), Path::new("/var/mail"));
}

#[tokio::test]
async fn an_outbox_that_cannot_be_written_is_a_precise_error() {
    let data = temp_dir("blocked");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::write(data.join("outbox"), "a file where the folder should be").unwrap();
    let error = outbox_only(&data).send(&mail("s", "t")).await.unwrap_err();
    assert!(matches!(error, MailError::Outbox { .. }), "{error:?}");
    assert!(error.to_string().starts_with("writing the mail to the outbox"), "{error}");
    let _ = fs_remove(&data);
}

#[test]
fn settings_that_cannot_work_are_refused_by_name() {
    let smtp = |edit: fn(&mut SmtpSettings)| {
        let mut smtp = SmtpSettings::new("smtp.example.com", 587, "Joule <joule@example.com>");
        edit(&mut smtp);
        let settings = MailSettings { smtp: Some(smtp), outbox_dir: None };
        Mailer::new(&settings, "/data").map(|_| ()).map_err(|e| e.to_string())
    };
    assert_eq!(smtp(|_| ()), Ok(()));
    assert_eq!(smtp(|s| s.security = Security::Tls), Ok(()));
    assert_eq!(smtp(|s| s.security = Security::None), Ok(()));
    assert!(smtp(|s| s.from = "not an address".into()).unwrap_err().contains("smtp.from"));
    assert!(smtp(|s| s.host = " ".into()).unwrap_err().contains("smtp.host is empty"));
    assert!(smtp(|s| s.timeout_secs = 0).unwrap_err().contains("smtp.timeout_secs"));
    assert!(smtp(|s| s.username = Some("u".into())).unwrap_err().contains("smtp.password is not"));
    let plain_login = smtp(|s| {
        s.security = Security::None;
        s.username = Some("u".into());
        s.password = Some(Password::new("hunter2"));
    })
    .unwrap_err();
    assert!(plain_login.contains("plain text") && !plain_login.contains("hunter2"), "{plain_login}");
    assert_eq!(
        smtp(|s| {
            s.username = Some("u".into());
            s.password = Some(Password::new("hunter2"));
        }),
        Ok(())
    );
}

#[test]
fn error_chain_skips_repeats() {
    let inner = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "refused");
    assert_eq!(error_chain(&inner), "refused");
}

/// Decodes a header value with RFC 2047 encoded words (B or Q, UTF-8) among plain words, enough to check
/// what lettre wrote: white space between two encoded words is dropped, other white space is one space.
fn decode_rfc2047(value: &str) -> String {
    let mut out = Vec::new();
    let mut previous_encoded = false;
    for (i, word) in value.split_whitespace().enumerate() {
        let encoded = word.strip_prefix("=?").and_then(|w| w.strip_suffix("?="));
        if i > 0 && !(previous_encoded && encoded.is_some()) {
            out.push(b' ');
        }
        previous_encoded = encoded.is_some();
        let Some(inner) = encoded else {
            out.extend_from_slice(word.as_bytes());
            continue;
        };
        let mut parts = inner.splitn(3, '?');
        let (_charset, encoding, text) = (parts.next().unwrap(), parts.next().unwrap(), parts.next().unwrap());
        match encoding {
            "B" | "b" => out.extend(base64_decode(text)),
            "Q" | "q" => {
                let bytes = text.as_bytes();
                let mut i = 0;
                while i < bytes.len() {
                    match bytes[i] {
                        b'_' => out.push(b' '),
                        b'=' => {
                            out.push(u8::from_str_radix(&text[i + 1..i + 3], 16).unwrap());
                            i += 2;
                        }
                        b => out.push(b),
                    }
                    i += 1;
                }
            }
            other => panic!("encoding {other}"),
        }
    }
    String::from_utf8(out).unwrap()
}

fn base64_decode(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let (mut buffer, mut bits) = (0u32, 0);
    for c in text.bytes().filter(|&c| c != b'=') {
        let value = ALPHABET.iter().position(|&a| a == c).expect("base64") as u32;
        buffer = (buffer << 6) | value;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    out
}
