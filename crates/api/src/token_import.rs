//! Bulk import of id tokens from CSV ("Access"): a strict RFC 4180 reader, the validation of every
//! line, and the plan of what importing would change, worked out against what the operator has already, so
//! that a dry run and a real run report exactly the same, and importing the same file twice changes nothing
//! the second time.
//!
//! Nothing here touches the store: the route reads the operator's tokens, drivers and groups, asks [`plan`]
//! what to do, and (unless it is a dry run) carries the plan out.

use std::collections::{BTreeSet, HashMap};

use joule_core::access::{DriverName, GroupName};
use joule_core::account::Email;
use joule_core::{IdTag, Timestamp};

/// At most this many bytes of CSV in one request.
pub const MAX_BYTES: usize = 5 * 1024 * 1024;
/// At most this many lines (the header included).
pub const MAX_LINES: usize = 50_000;

/// The columns a file may have; `id_tag` is required.
pub const COLUMNS: [&str; 7] = ["id_tag", "driver_name", "driver_email", "groups", "expires_at", "blocked", "parent"];

/// One record of the file: the line it starts on (from 1) and its fields, or why it could not be read.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub line: usize,
    pub fields: Result<Vec<String>, String>,
}

/// Reads RFC 4180 CSV: fields separated by commas, records by CRLF, LF or CR; a field in double quotes may
/// hold commas, line breaks and doubled quotes. The `csv` crate splits the records and unquotes the fields;
/// it is lenient where this import is strict, so each record's text is then compared with what its fields
/// would be written as: a quote inside an unquoted field, text after a closing quote or a quoted field not
/// closed before the end makes that record unreadable (it is reported, the rest of the file is still read).
/// An empty line is a record of one empty field (validation skips it, line numbers count it); an empty last
/// line is no record. A byte order mark at the start is ignored. Lines are counted here, not taken from the
/// reader's positions: those are off after empty lines and with CRLF (rust-csv's open bugs 208 and 395).
pub fn read_csv(text: &str) -> Vec<Record> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut out = Vec::new();
    let mut line = 1usize;
    // Where the text not yet accounted for starts, and whether a line break there ends the record before.
    let mut at = 0usize;
    let mut after_record = false;
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            // The text is UTF-8 already and records may have any number of fields: the reader has nothing
            // else to fail on. Should it, the record is reported and reading stops.
            Err(e) => {
                out.push(Record { line, fields: Err(format!("unreadable: {e}")) });
                return out;
            }
        }
        // A record starts after the line breaks that end the one before and any empty lines (the reader
        // skips those); its own text never starts with one.
        let start = text.len() - text[at..].trim_start_matches(['\r', '\n']).len();
        empty_lines(&text[at..start], after_record, &mut line, &mut out);
        let rest = &text[start..];
        let (len, fields) = match strict(rest, &record) {
            Ok(len) => (len, Ok(record.iter().map(str::to_owned).collect())),
            Err(e) => {
                // The record ends where the reader stopped, before the line breaks that ended it; unless its
                // last field is quoted and not closed (that error, or after another one): then it runs to the
                // end of the text, line breaks included.
                let next = usize::try_from(reader.position().byte()).unwrap_or(usize::MAX).clamp(start, text.len());
                let open = next == text.len()
                    && record
                        .iter()
                        .next_back()
                        .is_some_and(|f| rest.ends_with(&format!("\"{}", f.replace('"', "\"\""))));
                let len = if open { rest.len() } else { text[start..next].trim_end_matches(['\r', '\n']).len() };
                (len, Err(e.reason()))
            }
        };
        out.push(Record { line, fields });
        // Line breaks inside a record are inside quoted fields; there an LF starts a new line (a lone CR does
        // not: as the import always counted).
        line += rest[..len].matches('\n').count();
        at = start + len;
        after_record = true;
    }
    empty_lines(&text[at..], after_record, &mut line, &mut out);
    out
}

/// Why one record of the import is not strict RFC 4180.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unreadable {
    StrayQuote,
    AfterQuote,
    NotClosed,
}

impl Unreadable {
    /// The reason the report gives for the line.
    fn reason(self) -> String {
        match self {
            Unreadable::StrayQuote => "a double quote inside an unquoted field (quote the whole field)",
            Unreadable::AfterQuote => "text after the closing quote of a field",
            Unreadable::NotClosed => "a quoted field is not closed before the end of the file",
        }
        .to_string()
    }
}

/// Checks that `text` starts with `record` written strictly (each field as it is, or in quotes with its
/// quotes doubled, separated by commas) followed by a line break or the end, and returns the length of the
/// record's text. The `csv` crate reads a stray quote as a character and text after a closing quote as more
/// of the field; this comparison is what makes the import reject them.
fn strict(text: &str, record: &csv::StringRecord) -> Result<usize, Unreadable> {
    let mut rest = text;
    for (i, field) in record.iter().enumerate() {
        if i > 0 {
            rest = rest.strip_prefix(',').ok_or(Unreadable::AfterQuote)?;
        }
        rest = match rest.strip_prefix('"') {
            Some(quoted) => {
                let inside = field.replace('"', "\"\"");
                let after = quoted.strip_prefix(inside.as_str()).ok_or(Unreadable::AfterQuote)?;
                match after.strip_prefix('"') {
                    Some(after) => after,
                    None if after.is_empty() => return Err(Unreadable::NotClosed),
                    None => return Err(Unreadable::AfterQuote),
                }
            }
            None if field.contains('"') => return Err(Unreadable::StrayQuote),
            None => rest.strip_prefix(field).ok_or(Unreadable::StrayQuote)?,
        };
    }
    match rest.chars().next() {
        None | Some('\r' | '\n') => Ok(text.len() - rest.len()),
        Some(_) => Err(Unreadable::AfterQuote),
    }
}

/// The line breaks between two records (or before the first, or after the last): CRLF, LF or a lone CR each.
/// After a record the first one ends it; every other one ends an empty line, a record of one empty field.
fn empty_lines(gap: &str, after_record: bool, line: &mut usize, out: &mut Vec<Record>) {
    let mut breaks = 0usize;
    let mut chars = gap.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' && chars.peek() == Some(&'\n') {
            chars.next();
        }
        if breaks > 0 || !after_record {
            out.push(Record { line: *line, fields: Ok(vec![String::new()]) });
        }
        breaks += 1;
        *line += 1;
    }
}

/// A problem with one line: its number, the column (if one is to blame) and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Rejection {
    pub line: usize,
    pub column: Option<String>,
    pub reason: String,
}

impl std::fmt::Display for Rejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.column {
            Some(c) => write!(f, "line {}, {}: {}", self.line, c, self.reason),
            None => write!(f, "line {}: {}", self.line, self.reason),
        }
    }
}

/// Why the file as a whole cannot be imported (a 400 naming `field`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileError {
    pub field: String,
    pub reason: String,
}

/// The header: which column is where. Columns absent from the header leave what is stored as it is.
#[derive(Debug, Clone)]
pub struct Header {
    index: HashMap<&'static str, usize>,
    width: usize,
}

impl Header {
    pub fn parse(record: &Record) -> Result<Header, FileError> {
        let bad = |reason: String| FileError { field: "header".into(), reason };
        let fields = record.fields.as_ref().map_err(|e| bad(format!("line 1 (the header): {e}")))?;
        let mut index = HashMap::new();
        for (i, name) in fields.iter().enumerate() {
            let name = name.trim().trim_start_matches('\u{feff}');
            let Some(known) = COLUMNS.iter().find(|c| **c == name) else {
                return Err(bad(format!(
                    "line 1: unknown column \"{name}\"; the columns are {} (id_tag required)",
                    COLUMNS.join(", ")
                )));
            };
            if index.insert(*known, i).is_some() {
                return Err(bad(format!("line 1: column {name} given twice")));
            }
        }
        if !index.contains_key("id_tag") {
            return Err(bad("line 1: the header has no id_tag column (the header line is required)".into()));
        }
        Ok(Header { index, width: fields.len() })
    }

    fn has(&self, column: &str) -> bool {
        self.index.contains_key(column)
    }

    fn get<'a>(&self, fields: &'a [String], column: &str) -> Option<&'a str> {
        self.index.get(column).map(|&i| fields[i].trim())
    }
}

/// One valid line: what the token should be.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub line: usize,
    pub tag: IdTag,
    pub driver_name: Option<DriverName>,
    pub driver_email: Option<Email>,
    pub groups: Vec<GroupName>,
    /// `None`: the column is absent, keep what is stored. `Some(None)`: no expiry.
    pub expires_at: Option<Option<Timestamp>>,
    pub blocked: Option<bool>,
    pub parent: Option<Option<IdTag>>,
}

/// Validates every data record; returns the valid lines and the rejections (by line number).
pub fn validate(header: &Header, records: &[Record]) -> (Vec<Line>, Vec<Rejection>) {
    let mut lines = Vec::new();
    let mut rejected = Vec::new();
    let mut first_seen: HashMap<String, usize> = HashMap::new();
    for r in records {
        let reject = |column: Option<&str>, reason: String| Rejection {
            line: r.line,
            column: column.map(str::to_owned),
            reason,
        };
        let fields = match &r.fields {
            Ok(f) => f,
            Err(e) => {
                rejected.push(reject(None, e.clone()));
                continue;
            }
        };
        // A blank line is no token (common at the end of hand-edited files).
        if fields.len() == 1 && fields[0].trim().is_empty() {
            continue;
        }
        if fields.len() != header.width {
            rejected.push(reject(None, format!("{} fields, the header has {}", fields.len(), header.width)));
            continue;
        }
        match line(header, r.line, fields) {
            Err((column, reason)) => rejected.push(reject(Some(column), reason)),
            Ok(l) => {
                let key = l.tag.to_string();
                if let Some(first) = first_seen.get(&key) {
                    rejected.push(reject(None, format!("id_tag {key} given twice (first on line {first})")));
                } else {
                    first_seen.insert(key, r.line);
                    lines.push(l);
                }
            }
        }
    }
    (lines, rejected)
}

fn line(header: &Header, n: usize, f: &[String]) -> Result<Line, (&'static str, String)> {
    let tag_text = header.get(f, "id_tag").unwrap_or("");
    if tag_text.is_empty() {
        return Err(("id_tag", "required".into()));
    }
    if tag_text.chars().count() > IdTag::MAX_LEN {
        return Err(("id_tag", format!("longer than {} characters ({})", IdTag::MAX_LEN, tag_text.chars().count())));
    }
    let tag = IdTag::parse(tag_text).map_err(|e| ("id_tag", e.to_string()))?;
    let opt = |c: &'static str| header.get(f, c).filter(|s| !s.is_empty());
    let driver_name =
        opt("driver_name").map(DriverName::parse).transpose().map_err(|e| ("driver_name", e.to_string()))?;
    let driver_email =
        opt("driver_email").map(Email::parse).transpose().map_err(|e| ("driver_email", e.to_string()))?;
    let mut groups = Vec::new();
    for g in opt("groups").unwrap_or("").split(';').map(str::trim).filter(|g| !g.is_empty()) {
        let g = GroupName::parse(g).map_err(|e| ("groups", e.to_string()))?;
        if !groups.contains(&g) {
            groups.push(g);
        }
    }
    if !groups.is_empty() && driver_name.is_none() && driver_email.is_none() {
        return Err(("groups", "groups are a driver's: give driver_name or driver_email too".into()));
    }
    let expires_at = if header.has("expires_at") {
        Some(
            opt("expires_at")
                .map(|s| {
                    chrono::DateTime::parse_from_rfc3339(s).map(|t| t.with_timezone(&chrono::Utc)).map_err(|_| {
                        ("expires_at", format!("\"{s}\" is not an RFC 3339 instant (e.g. 2027-12-31T23:59:59Z)"))
                    })
                })
                .transpose()?,
        )
    } else {
        None
    };
    let blocked = if header.has("blocked") {
        Some(match opt("blocked").map(str::to_ascii_lowercase).as_deref() {
            None | Some("false") => false,
            Some("true") => true,
            Some(_) => return Err(("blocked", format!("\"{}\": true, false or empty", opt("blocked").unwrap_or("")))),
        })
    } else {
        None
    };
    let parent = if header.has("parent") {
        Some(opt("parent").map(IdTag::parse).transpose().map_err(|e| ("parent", e.to_string()))?)
    } else {
        None
    };
    Ok(Line { line: n, tag, driver_name, driver_email, groups, expires_at, blocked, parent })
}

/// What the operator has already, as far as the import cares.
#[derive(Debug, Clone, Default)]
pub struct Existing {
    /// By tag: parent, expiry, blocked, driver id.
    pub tokens: HashMap<String, ExistingToken>,
    pub drivers: Vec<ExistingDriver>,
    /// Group name → group id.
    pub groups: HashMap<String, i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ExistingToken {
    pub parent: Option<String>,
    pub expires_at: Option<Timestamp>,
    pub blocked: bool,
    pub driver: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct ExistingDriver {
    pub id: i64,
    pub name: String,
    pub email: Option<String>,
    pub groups: BTreeSet<i64>,
}

/// Who a line's driver is: an existing driver, or the n-th driver the import creates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DriverRef {
    Existing(i64),
    New(usize),
}

/// A group: existing, or created by the import (by name).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum GroupRef {
    Existing(i64),
    New(String),
}

/// What to do for one line.
#[derive(Debug, Clone)]
pub struct Step {
    pub line: Line,
    pub outcome: Outcome,
    /// The token as it should be stored (parent, expiry, blocked).
    pub parent: Option<IdTag>,
    pub expires_at: Option<Timestamp>,
    pub blocked: bool,
    /// Write the token (new, or its parent/expiry/blocked differ).
    pub write_token: bool,
    /// Link the token to this driver (it is linked to another or none).
    pub link: Option<DriverRef>,
    /// Memberships to add.
    pub join: Vec<(GroupRef, DriverRef)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Created,
    Updated,
    Unchanged,
}

/// The plan: the steps, the drivers and groups to create, and lines rejected because of what is stored.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub steps: Vec<Step>,
    /// Drivers to create, in order (`DriverRef::New(i)` is the i-th).
    pub new_drivers: Vec<(DriverName, Option<Email>)>,
    pub new_groups: BTreeSet<String>,
    pub rejected: Vec<Rejection>,
}

/// Works out what importing `lines` would change. A driver is found by e-mail, else by exact name, else
/// created (an existing driver's name and e-mail are left as they are). Groups are created when missing and
/// the driver is added to them (other memberships are kept). Columns absent from the header leave the
/// token's stored values; a present but empty `expires_at`/`parent` clears them, an empty `blocked` is false.
pub fn plan(lines: Vec<Line>, existing: &Existing) -> Plan {
    let mut p = Plan::default();
    // Drivers the import creates, found again by e-mail or name on later lines.
    let mut new_by_email: HashMap<String, usize> = HashMap::new();
    let mut new_by_name: HashMap<String, usize> = HashMap::new();
    // Memberships planned so far (so that two lines of one driver add a group once).
    let mut planned: BTreeSet<(GroupRef, DriverRef)> = BTreeSet::new();
    // The stored drivers by e-mail (the first, as a scan would find it) and by name: looked up per line, so
    // indexed once (a 50,000-line file against 25,000 drivers would otherwise compare 10⁹ pairs).
    let mut stored_by_email: HashMap<&str, &ExistingDriver> = HashMap::new();
    let mut stored_by_name: HashMap<&str, Vec<&ExistingDriver>> = HashMap::new();
    for d in &existing.drivers {
        if let Some(e) = d.email.as_deref() {
            stored_by_email.entry(e).or_insert(d);
        }
        stored_by_name.entry(d.name.as_str()).or_default().push(d);
    }
    for l in lines {
        let reject = |column: &str, reason: String| Rejection { line: l.line, column: Some(column.into()), reason };
        // The driver.
        let mut driver = None;
        if let Some(e) = &l.driver_email {
            if let Some(d) = stored_by_email.get(e.as_str()) {
                driver = Some(DriverRef::Existing(d.id));
            } else if let Some(&i) = new_by_email.get(e.as_str()) {
                driver = Some(DriverRef::New(i));
            }
        }
        if driver.is_none()
            && let Some(n) = &l.driver_name
        {
            let same: &[&ExistingDriver] = stored_by_name.get(n.as_str()).map_or(&[], Vec::as_slice);
            if same.len() > 1 {
                p.rejected.push(reject(
                    "driver_name",
                    format!("{} drivers are named \"{}\"; give driver_email to say which", same.len(), n.as_str()),
                ));
                continue;
            }
            // Found by name only when the line gives no e-mail, or the driver has none yet.
            if let Some(d) = same.first()
                && (l.driver_email.is_none() || d.email.is_none())
            {
                driver = Some(DriverRef::Existing(d.id));
            } else if let Some(&i) = new_by_name.get(n.as_str())
                && (l.driver_email.is_none() || p.new_drivers[i].1.is_none())
            {
                driver = Some(DriverRef::New(i));
            }
        }
        if driver.is_none() && (l.driver_name.is_some() || l.driver_email.is_some()) {
            let Some(name) = l.driver_name.clone() else {
                p.rejected.push(reject(
                    "driver_name",
                    format!(
                        "no driver has the e-mail {}; give driver_name to create one",
                        l.driver_email.as_ref().map(|e| e.as_str()).unwrap_or("")
                    ),
                ));
                continue;
            };
            let i = p.new_drivers.len();
            if let Some(e) = &l.driver_email {
                new_by_email.insert(e.as_str().to_owned(), i);
            }
            new_by_name.entry(name.as_str().to_owned()).or_insert(i);
            p.new_drivers.push((name, l.driver_email.clone()));
            driver = Some(DriverRef::New(i));
        }

        // The token.
        let stored = existing.tokens.get(&l.tag.to_string());
        let parent = match &l.parent {
            Some(p) => p.clone(),
            None => stored.and_then(|s| s.parent.as_deref()).and_then(|p| IdTag::parse(p).ok()),
        };
        let expires_at = l.expires_at.unwrap_or_else(|| stored.and_then(|s| s.expires_at));
        let blocked = l.blocked.unwrap_or_else(|| stored.is_some_and(|s| s.blocked));
        let write_token = match stored {
            None => true,
            Some(s) => {
                s.parent.as_deref() != parent.as_ref().map(|p| p.to_string()).as_deref()
                    || s.expires_at != expires_at
                    || s.blocked != blocked
            }
        };
        let link = match driver {
            Some(d) if stored.and_then(|s| s.driver).map(DriverRef::Existing) != Some(d) => Some(d),
            _ => None,
        };
        let mut join = Vec::new();
        if let Some(d) = driver {
            for g in &l.groups {
                let group = match existing.groups.get(g.as_str()) {
                    Some(&id) => GroupRef::Existing(id),
                    None => {
                        p.new_groups.insert(g.as_str().to_owned());
                        GroupRef::New(g.as_str().to_owned())
                    }
                };
                let already = match (&group, d) {
                    (GroupRef::Existing(gid), DriverRef::Existing(did)) => {
                        existing.drivers.iter().any(|x| x.id == did && x.groups.contains(gid))
                    }
                    _ => false,
                };
                if !already && planned.insert((group.clone(), d)) {
                    join.push((group, d));
                }
            }
        }
        let creates_driver = matches!(driver, Some(DriverRef::New(_)));
        let outcome = if stored.is_none() {
            Outcome::Created
        } else if write_token || link.is_some() || !join.is_empty() || creates_driver {
            Outcome::Updated
        } else {
            Outcome::Unchanged
        };
        p.steps.push(Step { line: l, outcome, parent, expires_at, blocked, write_token, link, join });
    }
    p
}

/// The report's counts.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Counts {
    /// Data lines read (the header and blank lines not counted).
    pub lines: usize,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub rejected: usize,
}

/// Sorts the rejections by line and counts the outcomes.
pub fn counts(lines: usize, steps: &[Step], rejected: &mut [Rejection]) -> Counts {
    rejected.sort_by_key(|r| r.line);
    let mut c = Counts { lines, rejected: rejected.len(), ..Counts::default() };
    for s in steps {
        match s.outcome {
            Outcome::Created => c.created += 1,
            Outcome::Updated => c.updated += 1,
            Outcome::Unchanged => c.unchanged += 1,
        }
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(text: &str) -> Vec<Result<Vec<String>, String>> {
        read_csv(text).into_iter().map(|r| r.fields).collect()
    }

    #[test]
    fn quoted_fields_hold_commas_quotes_and_line_breaks() {
        let text = "a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\n\"two\nlines\",z\n";
        let recs = read_csv(text);
        assert_eq!(recs.len(), 3);
        assert_eq!(recs[1].fields, Ok(vec!["x, y".to_string(), "say \"hi\"".to_string()]));
        assert_eq!(recs[2].fields, Ok(vec!["two\nlines".to_string(), "z".to_string()]));
        assert_eq!(recs[2].line, 3);
        assert_eq!(fields("a,\n"), vec![Ok(vec!["a".to_string(), String::new()])]);
    }

    #[test]
    fn stray_quotes_and_unclosed_quotes_are_errors_of_their_record() {
        let recs = read_csv("a,b\nx\"y,z\n\"ab\"c,d\nok,1\n\"open,2\n");
        assert!(recs[1].fields.is_err());
        assert!(recs[2].fields.is_err());
        assert_eq!(recs[3].fields, Ok(vec!["ok".to_string(), "1".to_string()]));
        assert_eq!(recs[4].line, 5);
        assert!(recs[4].fields.as_ref().unwrap_err().contains("not closed"));
    }

    #[test]
    fn line_numbers_count_every_line_break_and_empty_line() {
        // CR alone ends a line too; an empty line is a record of one empty field; a line break inside quotes
        // moves the next record down; a byte order mark is no part of the first field.
        let recs = read_csv("\u{feff}a,b\r\rx\"y,\"two\nlines\"\r\n\"open,\r\n");
        let got: Vec<(usize, Result<Vec<String>, String>)> = recs.into_iter().map(|r| (r.line, r.fields)).collect();
        assert_eq!(got.len(), 4, "{got:?}");
        assert_eq!(got[0], (1, Ok(vec!["a".to_string(), "b".to_string()])));
        assert_eq!(got[1], (2, Ok(vec![String::new()])));
        assert_eq!(got[2].0, 3);
        assert!(got[2].1.as_ref().unwrap_err().contains("inside an unquoted field"), "{got:?}");
        assert_eq!(got[3].0, 5);
        assert!(got[3].1.as_ref().unwrap_err().contains("not closed"), "{got:?}");
        // After a stray quote, a quote opening a later field still holds the line breaks up to the end.
        let recs = read_csv("a\",,\"\r\r");
        assert_eq!(recs.len(), 1, "{recs:?}");
        assert!(recs[0].fields.as_ref().unwrap_err().contains("inside an unquoted field"));
        // Empty lines before, between and after records; the last line break ends no record.
        let lines: Vec<usize> = read_csv("\nid\n\n\nA\n\n").iter().map(|r| r.line).collect();
        assert_eq!(lines, [1, 2, 3, 4, 5, 6]);
        assert_eq!(fields("a,\"\"\"\"\n"), vec![Ok(vec!["a".to_string(), "\"".to_string()])]);
    }

    #[test]
    fn tokens_of_21_to_36_characters_are_imported_and_37_refused() {
        let (l21, l36, l37) = ("T".repeat(21), "U".repeat(36), "V".repeat(37));
        let recs = read_csv(&format!("id_tag\n{l21}\n{l36}\n{l37}\n"));
        let header = Header::parse(&recs[0]).unwrap();
        let (lines, rejected) = validate(&header, &recs[1..]);
        assert_eq!(lines.iter().map(|l| l.tag.to_string()).collect::<Vec<_>>(), [l21, l36]);
        let text: Vec<String> = rejected.iter().map(ToString::to_string).collect();
        assert_eq!(text, ["line 4, id_tag: longer than 36 characters (37)"]);
    }

    #[test]
    fn validation_names_line_column_and_reason() {
        let recs = read_csv(
            "id_tag,expires_at,blocked\nA,,\nTOO-LONG-TAG-1234567890123456789012345,,\nB,yesterday,\nA,,\nC,,maybe\nD,2027-01-01T00:00:00+01:00,TRUE\n",
        );
        let header = Header::parse(&recs[0]).unwrap();
        let (lines, rejected) = validate(&header, &recs[1..]);
        let text: Vec<String> = rejected.iter().map(ToString::to_string).collect();
        assert_eq!(text[0], "line 3, id_tag: longer than 36 characters (38)");
        assert!(text[1].starts_with("line 4, expires_at: \"yesterday\""), "{}", text[1]);
        assert_eq!(text[2], "line 5: id_tag A given twice (first on line 2)");
        assert!(text[3].starts_with("line 6, blocked:"));
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[1].blocked, Some(true));
        assert_eq!(lines[1].expires_at.unwrap().unwrap().to_rfc3339(), "2026-12-31T23:00:00+00:00");
    }

    #[test]
    fn unknown_and_missing_columns_reject_the_file() {
        let h = |t: &str| Header::parse(&read_csv(t)[0]).map(|_| ()).unwrap_err().reason;
        assert!(h("id_tag,colour\n").contains("unknown column \"colour\""));
        assert!(h("driver_name\n").contains("no id_tag column"));
        assert!(h("id_tag,id_tag\n").contains("twice"));
    }

    #[test]
    fn the_plan_is_empty_when_everything_is_stored_already() {
        let recs = read_csv("id_tag,driver_email,driver_name,groups\nA,ann@example.com,Ann,staff\n");
        let header = Header::parse(&recs[0]).unwrap();
        let (lines, _) = validate(&header, &recs[1..]);
        let first = plan(lines.clone(), &Existing::default());
        assert_eq!(first.steps[0].outcome, Outcome::Created);
        assert_eq!(first.new_drivers.len(), 1);
        assert_eq!(first.new_groups.len(), 1);
        let mut existing = Existing::default();
        existing
            .tokens
            .insert("A".into(), ExistingToken { parent: None, expires_at: None, blocked: false, driver: Some(7) });
        existing.drivers.push(ExistingDriver {
            id: 7,
            name: "Ann".into(),
            email: Some("ann@example.com".into()),
            groups: [3].into(),
        });
        existing.groups.insert("staff".into(), 3);
        let again = plan(lines, &existing);
        assert_eq!(again.steps[0].outcome, Outcome::Unchanged);
        assert!(again.new_drivers.is_empty() && again.new_groups.is_empty());
        assert!(again.steps[0].join.is_empty() && again.steps[0].link.is_none() && !again.steps[0].write_token);
    }
}
