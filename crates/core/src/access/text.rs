//! Access rules written as text, the way people type them on the command line and the way the store keeps
//! available times in one column.
//!
//! Available times are entries separated by `;` (or new lines):
//!
//! ```text
//! mon-fri 07:00-19:00; sat 09:00-13:00, 22:00-02:00; 2026-12-25 closed; 2026-12-24 08:00-12:00
//! ```
//!
//! - `DAY SPAN[, SPAN…]`: weekly windows; `DAY` is `mon` … `sun` (any case, full names accepted) or a range
//!   `mon-fri` (wrapping ranges such as `fri-mon` are accepted too), spans are `HH:MM-HH:MM` as in [`Span`].
//! - `YYYY-MM-DD closed`: a holiday.
//! - `YYYY-MM-DD SPAN[, SPAN…]`: on that date only these spans.
//!
//! [`AvailableTimes`]'s `Display` writes the canonical form (one entry per weekday that has windows, Monday
//! first, then the exceptions by date), which parses back to the same value.

use std::fmt;

use chrono::{NaiveDate, Weekday};

use super::{AccessMode, AvailableTimes, Exception, ExceptionDay, Span, WeeklyWindow};
use crate::DomainError;

const DAYS: [(Weekday, &str, &str); 7] = [
    (Weekday::Mon, "mon", "monday"),
    (Weekday::Tue, "tue", "tuesday"),
    (Weekday::Wed, "wed", "wednesday"),
    (Weekday::Thu, "thu", "thursday"),
    (Weekday::Fri, "fri", "friday"),
    (Weekday::Sat, "sat", "saturday"),
    (Weekday::Sun, "sun", "sunday"),
];

fn weekday(s: &str) -> Option<Weekday> {
    let s = s.to_ascii_lowercase();
    DAYS.iter().find(|(_, short, long)| s == *short || s == *long).map(|(d, _, _)| *d)
}

fn short(d: Weekday) -> &'static str {
    DAYS[d.num_days_from_monday() as usize].1
}

/// `mon`, or `mon-fri` (inclusive, wrapping past Sunday).
fn weekdays(s: &str) -> Option<Vec<Weekday>> {
    if let Some(d) = weekday(s) {
        return Some(vec![d]);
    }
    let (a, b) = s.split_once('-')?;
    let (mut d, last) = (weekday(a)?, weekday(b)?);
    let mut days = vec![d];
    while d != last {
        d = d.succ();
        days.push(d);
    }
    Some(days)
}

fn spans(entry: &str, text: &str) -> Result<Vec<Span>, DomainError> {
    if text.trim().is_empty() {
        return Err(DomainError::invalid("available times", entry, "no window after the day; e.g. mon 08:00-18:00"));
    }
    text.split(',').map(|s| Span::parse(s.trim())).collect()
}

impl AvailableTimes {
    /// Parses the text form (see the module text). An empty text is refused: "no available times" is
    /// written as having none (`None` in [`super::AccessRules`]), and "never open" as `mon-sun` being absent
    /// is not expressible on purpose — use the private mode to close a station.
    pub fn parse(text: &str) -> Result<AvailableTimes, DomainError> {
        let mut weekly = Vec::new();
        let mut exceptions = Vec::new();
        for entry in text.split([';', '\n']).map(str::trim).filter(|e| !e.is_empty()) {
            let (head, rest) = entry.split_once(char::is_whitespace).unwrap_or((entry, ""));
            let rest = rest.trim();
            if let Ok(date) = NaiveDate::parse_from_str(head, "%Y-%m-%d") {
                let day = if rest.eq_ignore_ascii_case("closed") {
                    ExceptionDay::Closed
                } else {
                    ExceptionDay::Open(spans(entry, rest)?)
                };
                exceptions.push(Exception { date, day });
            } else if let Some(days) = weekdays(head) {
                let spans = spans(entry, rest)?;
                for d in days {
                    weekly.extend(spans.iter().map(|&span| WeeklyWindow { weekday: d, span }));
                }
            } else {
                return Err(DomainError::invalid(
                    "available times",
                    entry,
                    "each entry starts with a weekday (mon, mon-fri) or a date (YYYY-MM-DD)",
                ));
            }
        }
        if weekly.is_empty() && exceptions.is_empty() {
            return Err(DomainError::invalid(
                "available times",
                text,
                "no entries; e.g. \"mon-fri 07:00-19:00; 2026-12-25 closed\"",
            ));
        }
        AvailableTimes::new(weekly, exceptions)
    }
}

impl fmt::Display for AvailableTimes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut entries = Vec::new();
        // Consecutive days with the same windows are written as a range (`mon-fri 07:00-19:00`), as operators
        // write them; the ranges never wrap past Sunday, so the text reads from Monday on.
        let per_day: Vec<String> = DAYS
            .iter()
            .map(|(d, _, _)| {
                let spans: Vec<String> =
                    self.weekly().iter().filter(|w| w.weekday == *d).map(|w| w.span.to_string()).collect();
                spans.join(", ")
            })
            .collect();
        let mut i = 0;
        while i < DAYS.len() {
            let mut last = i;
            while last + 1 < DAYS.len() && per_day[last + 1] == per_day[i] {
                last += 1;
            }
            if !per_day[i].is_empty() {
                let days =
                    if last == i { short(DAYS[i].0).to_string() } else { format!("{}-{}", DAYS[i].1, DAYS[last].1) };
                entries.push(format!("{days} {}", per_day[i]));
            }
            i = last + 1;
        }
        for e in self.exceptions() {
            match &e.day {
                ExceptionDay::Closed => entries.push(format!("{} closed", e.date)),
                ExceptionDay::Open(spans) => entries.push(format!(
                    "{} {}",
                    e.date,
                    spans.iter().map(Span::to_string).collect::<Vec<_>>().join(", ")
                )),
            }
        }
        write!(f, "{}", entries.join("; "))
    }
}

impl AccessMode {
    /// The mode's name as stored and shown: `public`, `limited` or `private`.
    pub fn name(&self) -> &'static str {
        match self {
            AccessMode::Public => "public",
            AccessMode::Limited { .. } => "limited",
            AccessMode::Private => "private",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_days_ranges_and_exceptions_and_writes_them_back() {
        let t = AvailableTimes::parse(
            "Mon-Fri 07:00-19:00; sat 09:00-13:00, 22:00-02:00\n2026-12-25 closed; 2026-12-24 08:00-12:00",
        )
        .expect("parse");
        assert_eq!(t.weekly().len(), 7);
        assert_eq!(t.exceptions().len(), 2);
        let text = t.to_string();
        assert_eq!(
            text,
            "mon-fri 07:00-19:00; sat 09:00-13:00, 22:00-02:00; 2026-12-24 08:00-12:00; 2026-12-25 closed"
        );
        assert_eq!(AvailableTimes::parse(&text).expect("round trip"), t);
    }

    #[test]
    fn days_with_the_same_windows_are_written_as_ranges() {
        for (written, read_back) in [
            ("mon 08:00-12:00; tue 08:00-12:00; thu 08:00-12:00", "mon-tue 08:00-12:00; thu 08:00-12:00"),
            ("mon-sun 00:00-24:00", "mon-sun 00:00-24:00"),
            ("fri-mon 10:00-11:00", "mon 10:00-11:00; fri-sun 10:00-11:00"),
            ("sat 09:00-13:00; sun 09:00-12:00", "sat 09:00-13:00; sun 09:00-12:00"),
        ] {
            let t = AvailableTimes::parse(written).expect("parse");
            assert_eq!(t.to_string(), read_back, "{written}");
            assert_eq!(AvailableTimes::parse(read_back).expect("round trip").to_string(), read_back);
        }
    }

    #[test]
    fn wrapping_range_covers_the_weekend() {
        let t = AvailableTimes::parse("fri-mon 10:00-11:00").expect("parse");
        let days: Vec<Weekday> = t.weekly().iter().map(|w| w.weekday).collect();
        assert_eq!(days, [Weekday::Fri, Weekday::Sat, Weekday::Sun, Weekday::Mon]);
    }

    #[test]
    fn refuses_what_it_cannot_read_and_says_why() {
        for (text, why) in [
            ("", "no entries"),
            ("someday 08:00-09:00", "starts with a weekday"),
            ("mon", "no window after the day"),
            ("mon 08:00", "expected HH:MM-HH:MM"),
            ("mon 08:00-08:00", "start and end are equal"),
            ("2026-02-30 closed", "starts with a weekday"),
            ("2026-12-25 closed; 2026-12-25 08:00-09:00", "two exceptions for the same date"),
        ] {
            let err = AvailableTimes::parse(text).expect_err(text).to_string();
            assert!(err.contains(why), "{text:?}: {err}");
        }
    }
}
