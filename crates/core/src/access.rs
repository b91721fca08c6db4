//! Access decisions ("Access"): who may charge at a station or connector, and when.
//!
//! The rule is one pure function, [`decide`]: the station's [`AccessRules`], the connector (if the message
//! names one), what is known about the presented token ([`TokenFacts`]), the instant (UTC) and the station's
//! time zone go in; a [`Decision`] comes out. A refusal carries a [`Refusal`] that explains itself in words
//! (for `joule access check`, the API and a refused remote start, §5.11) and maps to the OCPP 1.6 idTagInfo
//! status the station is answered with (§7.2 AuthorizationStatus, in Authorize.conf §4.1 and
//! StartTransaction.conf §4.8).
//!
//! # The order of the checks
//!
//! 1. "Authorization required" off (free vend): everybody is allowed, whatever the token. The station does not
//!    ask before charging (a vendor's free-vend setting; OCPP 1.6 itself has no such key), so refusing its
//!    later report would only make it retry; available times cannot be enforced through idTagInfo there.
//! 2. The token itself: unknown → Invalid, blocked → Blocked, expired → Expired (§7.2; the same order as
//!    [`crate::auth::authorize`]: a blocked token that is also expired is reported blocked, the lasting reason).
//! 3. The access mode (the connector's if it has one, else the station's): public admits every valid token;
//!    limited admits the owner, the listed drivers and the members of the listed groups; private admits the
//!    owner only.
//! 4. Available times, unless the driver is the owner: the owner sets the conditions for others and is never
//!    locked out of their own station by them.
//!
//! # How station windows and group windows combine
//!
//! Windows only ever *grant*: an admitted driver may charge at an instant when the station's available times
//! are open, **or** when the available times of any group the driver belongs to (as set for this station in
//! [`AccessRules::group_times`]) are open. So a group window extends access for its members beyond the
//! station's public windows (e.g. employees from 06:00 while the public starts at 08:00); it never narrows
//! what the station's windows already allow. A station without available times (`None`) is always open, so
//! group windows there change nothing. Windows do not admit: a group window never lets a driver in whom the
//! mode refuses (limited/private) — admission and time are separate questions and answered separately.
//!
//! # Why "Invalid" outside available times and for "not admitted"
//!
//! OCPP 1.6 has no status for "not now" or "not here" (2.0.1 adds NotAtThisTime and NotAtThisLocation, which
//! these refusals will map to there). Of the 1.6 values, Blocked and Expired are claims about the token
//! itself: a station shows them to the driver and keeps them in its Authorization Cache (§3.5.1), so
//! answering "Blocked" for a card that is merely outside a window, or at a station it may not use, would tell
//! the driver their card is blocked. ConcurrentTx means the token is already charging (decided from the
//! sessions, not here). Invalid, which §7.2 defines as "identifier is unknown, not allowed for charging", is
//! the one value that refuses without a claim about the card's state, and the station stops or does not
//! start the session exactly as we want.
//!
//! An Accepted answer that holds only because a window is open should not outlive the window in the station's
//! Authorization Cache: [`accepted_until`] gives the instant to send as idTagInfo.expiryDate.

use std::fmt;

use chrono::{Datelike, Duration, DurationRound, NaiveDate, NaiveDateTime, Timelike, Weekday};
use chrono_tz::Tz;

use crate::auth::AuthorizationStatus;
use crate::{DomainError, Timestamp};

/// A driver: a person (or fleet) that holds one or more id tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DriverId(pub i64);

impl fmt::Display for DriverId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A driver's name as people see it: 1 to 100 characters after trimming, no control characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DriverName(String);

impl DriverName {
    pub const MAX_CHARS: usize = 100;

    pub fn parse(s: &str) -> Result<DriverName, DomainError> {
        let t = s.trim();
        if t.is_empty() {
            return Err(DomainError::invalid("driver name", s, "must not be empty"));
        }
        if t.chars().count() > Self::MAX_CHARS {
            return Err(DomainError::invalid("driver name", s, "must be at most 100 characters"));
        }
        if t.chars().any(char::is_control) {
            return Err(DomainError::invalid("driver name", s, "must not contain control characters"));
        }
        Ok(DriverName(t.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A group of drivers (e.g. employees, residents), defined by the operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct GroupId(pub i64);

impl fmt::Display for GroupId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A group's name as people see it: 1 to 64 characters after trimming, no control characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct GroupName(String);

impl GroupName {
    pub const MAX_CHARS: usize = 64;

    pub fn parse(s: &str) -> Result<GroupName, DomainError> {
        let t = s.trim();
        if t.is_empty() {
            return Err(DomainError::invalid("group name", s, "must not be empty"));
        }
        if t.chars().count() > Self::MAX_CHARS {
            return Err(DomainError::invalid("group name", s, "must be at most 64 characters"));
        }
        if t.chars().any(char::is_control) {
            return Err(DomainError::invalid("group name", s, "must not contain control characters"));
        }
        Ok(GroupName(t.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A group as the operator defined it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub id: GroupId,
    pub name: GroupName,
}

/// A connector number as OCPP 1.6 counts them: from 1; 0 means the whole station and is not a connector.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ConnectorNo(u32);

impl ConnectorNo {
    pub fn new(n: u32) -> Result<ConnectorNo, DomainError> {
        if n == 0 {
            return Err(DomainError::invalid("connector", "0", "connectors are numbered from 1 (0 is the station)"));
        }
        Ok(ConnectorNo(n))
    }

    pub fn get(self) -> u32 {
        self.0
    }
}

/// A wall-clock time of day in the station's time zone, to the minute. `24:00` exists only as the end of a
/// window ("until midnight"); as a start it is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TimeOfDay(u16);

impl TimeOfDay {
    const MIDNIGHT_END: u16 = 24 * 60;

    /// Parses `HH:MM` (00:00 to 24:00).
    pub fn parse(s: &str) -> Result<TimeOfDay, DomainError> {
        let bad = || DomainError::invalid("time of day", s, "expected HH:MM between 00:00 and 24:00");
        let (h, m) = s.split_once(':').ok_or_else(bad)?;
        if h.len() != 2 || m.len() != 2 || !h.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let (h, m): (u16, u16) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
        if m > 59 || h > 24 || (h == 24 && m != 0) {
            return Err(bad());
        }
        Ok(TimeOfDay(h * 60 + m))
    }

    pub fn hm(h: u16, m: u16) -> Result<TimeOfDay, DomainError> {
        TimeOfDay::parse(&format!("{h:02}:{m:02}"))
    }

    fn seconds(self) -> u32 {
        u32::from(self.0) * 60
    }
}

impl fmt::Display for TimeOfDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.0 / 60, self.0 % 60)
    }
}

/// A span of wall-clock time on one day: `[start, end)`. If `end` is before `start` the span crosses
/// midnight and ends at `end` on the next day ("22:00-06:00"). `start == end` is refused: it could mean
/// "nothing" or "all day"; all day is written `00:00-24:00`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    start: TimeOfDay,
    end: TimeOfDay,
}

impl Span {
    pub fn new(start: TimeOfDay, end: TimeOfDay) -> Result<Span, DomainError> {
        let text = format!("{start}-{end}");
        if start.0 == TimeOfDay::MIDNIGHT_END {
            return Err(DomainError::invalid("window", &text, "24:00 can only end a window; start at 00:00"));
        }
        if start == end {
            return Err(DomainError::invalid(
                "window",
                &text,
                "start and end are equal; write 00:00-24:00 for all day",
            ));
        }
        Ok(Span { start, end })
    }

    /// Parses `HH:MM-HH:MM`.
    pub fn parse(s: &str) -> Result<Span, DomainError> {
        let (a, b) = s.split_once('-').ok_or_else(|| DomainError::invalid("window", s, "expected HH:MM-HH:MM"))?;
        Span::new(TimeOfDay::parse(a.trim())?, TimeOfDay::parse(b.trim())?)
    }

    pub fn start(self) -> TimeOfDay {
        self.start
    }

    pub fn end(self) -> TimeOfDay {
        self.end
    }

    pub fn crosses_midnight(self) -> bool {
        self.end < self.start
    }

    /// Whether the part of this span on the day it starts covers `secs` seconds after local midnight.
    fn covers_same_day(self, secs: u32) -> bool {
        if self.crosses_midnight() {
            secs >= self.start.seconds()
        } else {
            self.start.seconds() <= secs && secs < self.end.seconds()
        }
    }

    /// Whether the part of this span that spills into the next day covers `secs` on that next day.
    fn covers_next_day(self, secs: u32) -> bool {
        self.crosses_midnight() && secs < self.end.seconds()
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.start, self.end)
    }
}

/// A weekly window: on `weekday` (the day it starts, local time), during `span`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WeeklyWindow {
    pub weekday: Weekday,
    pub span: Span,
}

/// What an exception date looks like instead of its weekly windows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExceptionDay {
    /// Closed all day (a holiday).
    Closed,
    /// Open only during these spans (which may cross into the next day).
    Open(Vec<Span>),
}

/// An exception: on `date` (local calendar date) the day's weekly windows are replaced by `day`.
///
/// An exception governs its whole date: nothing from the previous day's window crossing midnight spills
/// into it (a Friday 22:00-06:00 window ends at midnight when Saturday is a closed holiday). Its own
/// spans may cross into the next day, which then is open in the morning as a weekly window would be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exception {
    pub date: NaiveDate,
    pub day: ExceptionDay,
}

/// Available times: weekly windows plus dated exceptions, in the station's time zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AvailableTimes {
    weekly: Vec<WeeklyWindow>,
    exceptions: Vec<Exception>,
}

impl AvailableTimes {
    /// Bounds (DESIGN rule 5): a few windows per weekday and a few years of holidays are plenty.
    pub const MAX_WINDOWS: usize = 70;
    pub const MAX_EXCEPTIONS: usize = 1000;
    pub const MAX_SPANS_PER_EXCEPTION: usize = 10;

    pub fn new(weekly: Vec<WeeklyWindow>, mut exceptions: Vec<Exception>) -> Result<AvailableTimes, DomainError> {
        if weekly.len() > Self::MAX_WINDOWS {
            return Err(DomainError::invalid("windows", &weekly.len().to_string(), "at most 70 weekly windows"));
        }
        if exceptions.len() > Self::MAX_EXCEPTIONS {
            return Err(DomainError::invalid("exceptions", &exceptions.len().to_string(), "at most 1000 exceptions"));
        }
        exceptions.sort_by_key(|e| e.date);
        for pair in exceptions.windows(2) {
            if pair[0].date == pair[1].date {
                return Err(DomainError::invalid(
                    "exceptions",
                    &pair[0].date.to_string(),
                    "two exceptions for the same date; merge their spans into one",
                ));
            }
        }
        for e in &exceptions {
            if let ExceptionDay::Open(spans) = &e.day {
                if spans.is_empty() {
                    return Err(DomainError::invalid(
                        "exceptions",
                        &e.date.to_string(),
                        "no spans; say Closed instead",
                    ));
                }
                if spans.len() > Self::MAX_SPANS_PER_EXCEPTION {
                    return Err(DomainError::invalid("exceptions", &e.date.to_string(), "at most 10 spans per date"));
                }
            }
        }
        Ok(AvailableTimes { weekly, exceptions })
    }

    pub fn weekly(&self) -> &[WeeklyWindow] {
        &self.weekly
    }

    pub fn exceptions(&self) -> &[Exception] {
        &self.exceptions
    }

    fn exception(&self, date: NaiveDate) -> Option<&Exception> {
        self.exceptions.binary_search_by_key(&date, |e| e.date).ok().map(|i| &self.exceptions[i])
    }

    /// The spans that start on `date` (local), and whether they come from an exception.
    pub fn day(&self, date: NaiveDate) -> DayTimes {
        match self.exception(date) {
            Some(Exception { day: ExceptionDay::Closed, .. }) => DayTimes::ClosedException(date),
            Some(Exception { day: ExceptionDay::Open(spans), .. }) => DayTimes::Exception(date, spans.clone()),
            None => DayTimes::Weekly(
                date.weekday(),
                self.weekly.iter().filter(|w| w.weekday == date.weekday()).map(|w| w.span).collect(),
            ),
        }
    }

    /// Whether the times are open at local wall-clock time `local`.
    ///
    /// Working on the local time of the instant (UTC → local is never ambiguous) gives the natural meaning
    /// at daylight-saving changes: a window that starts in the skipped spring hour opens when the clocks
    /// jump (its skipped part simply never happens), and a window in the repeated autumn hour is open during
    /// both occurrences of that hour.
    pub fn open_at(&self, local: NaiveDateTime) -> bool {
        let date = local.date();
        let secs = local.num_seconds_from_midnight();
        if self.day(date).spans().iter().any(|s| s.covers_same_day(secs)) {
            return true;
        }
        if self.exception(date).is_some() {
            return false; // an exception governs its whole date
        }
        match date.pred_opt() {
            Some(yesterday) => self.day(yesterday).spans().iter().any(|s| s.covers_next_day(secs)),
            None => false,
        }
    }
}

/// The spans that start on one local date, and where they come from: used to explain a refusal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DayTimes {
    Weekly(Weekday, Vec<Span>),
    Exception(NaiveDate, Vec<Span>),
    ClosedException(NaiveDate),
}

impl DayTimes {
    fn spans(&self) -> &[Span] {
        match self {
            DayTimes::Weekly(_, s) | DayTimes::Exception(_, s) => s,
            DayTimes::ClosedException(_) => &[],
        }
    }
}

fn weekday_name(d: Weekday) -> &'static str {
    match d {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

fn join_spans(spans: &[Span]) -> String {
    spans.iter().map(Span::to_string).collect::<Vec<_>>().join(", ")
}

impl fmt::Display for DayTimes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DayTimes::Weekly(d, s) if s.is_empty() => write!(f, "closed on {}s", weekday_name(*d)),
            DayTimes::Weekly(d, s) => write!(f, "{} {}", weekday_name(*d), join_spans(s)),
            DayTimes::Exception(date, s) => write!(f, "{date} (exception) {}", join_spans(s)),
            DayTimes::ClosedException(date) => write!(f, "closed all day on {date} (exception)"),
        }
    }
}

/// Who may use a station or connector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccessMode {
    /// Any valid token the operator accepts.
    Public,
    /// The owner plus these drivers and the members of these groups.
    Limited { drivers: Vec<DriverId>, groups: Vec<GroupId> },
    /// The owner only.
    Private,
}

/// What a connector changes about its station's rules; `None` fields follow the station.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectorAccess {
    pub connector: ConnectorNo,
    pub mode: Option<AccessMode>,
    pub authorization_required: Option<bool>,
}

/// A group's available times at this station.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupTimes {
    pub group: GroupId,
    pub times: AvailableTimes,
}

/// A station's access rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessRules {
    /// The station owner as a driver (their tokens), if the owner charges there at all.
    pub owner: Option<DriverId>,
    pub mode: AccessMode,
    /// Off = free vend: anyone charges.
    pub authorization_required: bool,
    /// `None`: always open.
    pub available_times: Option<AvailableTimes>,
    /// Windows that additionally open the station to a group's members (see the module text).
    pub group_times: Vec<GroupTimes>,
    pub connectors: Vec<ConnectorAccess>,
}

/// What is known about a token in the operator's registry at the instant of the decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenState {
    Valid,
    Blocked,
    Expired,
    /// Not registered with the station's operator.
    Unknown,
}

impl TokenState {
    /// The state of a registered token (`None`: unknown) at `now`, with the checks of
    /// [`crate::auth::authorize`]: blocked wins over expired, and a token expiring at `now` is expired.
    pub fn of(token: Option<&crate::auth::IdToken>, now: Timestamp) -> TokenState {
        match token {
            None => TokenState::Unknown,
            Some(t) if t.blocked => TokenState::Blocked,
            Some(t) if t.expires_at.is_some_and(|e| e <= now) => TokenState::Expired,
            Some(_) => TokenState::Valid,
        }
    }
}

/// The driver a token belongs to and the driver's groups.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DriverFacts {
    pub id: DriverId,
    pub groups: Vec<GroupId>,
}

/// The presented token: its state and its driver (a registered token may have no driver, e.g. an operator's
/// service tag; it is then admitted only where the station is public).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenFacts {
    pub state: TokenState,
    pub driver: Option<DriverFacts>,
}

/// Why a token was allowed (for the explanation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Grant {
    /// Authorization not required at this station or connector.
    FreeVend,
    /// The station's owner: admitted whatever the mode, and not bound by available times.
    Owner,
    /// Admitted by the mode, and the station is open (or has no available times).
    StationOpen,
    /// Admitted by the mode, outside the station's times, inside this group's times.
    GroupWindow(GroupId),
}

/// Why a token was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    UnknownToken,
    Blocked,
    Expired,
    /// Private station or connector, and the driver is not the owner.
    PrivateOwnerOnly {
        connector: Option<ConnectorNo>,
    },
    /// Limited station or connector, and the driver is neither the owner nor listed nor in a listed group.
    NotAdmitted {
        connector: Option<ConnectorNo>,
    },
    /// Admitted, but neither the station's times nor any of the driver's groups' times are open.
    OutsideAvailableTimes {
        /// The local wall-clock time of the attempt.
        local: NaiveDateTime,
        tz: Tz,
        /// The station's spans for that local date.
        today: DayTimes,
        /// The spans of the driver's groups that have times at this station, for that local date.
        groups: Vec<(GroupId, DayTimes)>,
    },
}

impl Refusal {
    /// The OCPP 1.6 idTagInfo status to answer (§7.2); see the module text for why "Invalid" for the last three.
    pub fn status(&self) -> AuthorizationStatus {
        match self {
            Refusal::Blocked => AuthorizationStatus::Blocked,
            Refusal::Expired => AuthorizationStatus::Expired,
            Refusal::UnknownToken
            | Refusal::PrivateOwnerOnly { .. }
            | Refusal::NotAdmitted { .. }
            | Refusal::OutsideAvailableTimes { .. } => AuthorizationStatus::Invalid,
        }
    }

    /// The text for a refused remote start (RemoteStartTransaction is not sent at all; the caller is told).
    pub fn remote_start_text(&self) -> String {
        format!("remote start refused: {self}")
    }
}

fn on_connector(c: &Option<ConnectorNo>) -> String {
    match c {
        Some(c) => format!("connector {}", c.get()),
        None => "station".to_owned(),
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::UnknownToken => write!(f, "token unknown to the station's operator"),
            Refusal::Blocked => write!(f, "token blocked"),
            Refusal::Expired => write!(f, "token expired"),
            Refusal::PrivateOwnerOnly { connector } => {
                write!(f, "private {}: only the owner", on_connector(connector))
            }
            Refusal::NotAdmitted { connector } => write!(
                f,
                "limited {}: the driver is not the owner, not listed and in none of the listed groups",
                on_connector(connector)
            ),
            Refusal::OutsideAvailableTimes { local, tz, today, groups } => {
                let times = |day: &DayTimes| match day {
                    DayTimes::ClosedException(_) => day.to_string(),
                    DayTimes::Weekly(_, s) if s.is_empty() => day.to_string(),
                    _ => format!("{day} local"),
                };
                write!(f, "outside the station's available times: {}", times(today))?;
                for (g, day) in groups {
                    write!(f, "; and outside group {g}'s: {}", times(day))?;
                }
                write!(f, "; it is {} {} ({tz})", weekday_name(local.weekday()), local.format("%Y-%m-%d %H:%M"))
            }
        }
    }
}

/// The answer to "may this token charge here now".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Allowed(Grant),
    Refused(Refusal),
}

impl Decision {
    pub fn status(&self) -> AuthorizationStatus {
        match self {
            Decision::Allowed(_) => AuthorizationStatus::Accepted,
            Decision::Refused(r) => r.status(),
        }
    }

    pub fn is_allowed(&self) -> bool {
        matches!(self, Decision::Allowed(_))
    }
}

impl fmt::Display for Decision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Decision::Allowed(Grant::FreeVend) => write!(f, "allowed: authorization not required (free vend)"),
            Decision::Allowed(Grant::Owner) => write!(f, "allowed: the owner"),
            Decision::Allowed(Grant::StationOpen) => write!(f, "allowed: within the station's available times"),
            Decision::Allowed(Grant::GroupWindow(g)) => write!(f, "allowed: within the available times of group {g}"),
            Decision::Refused(r) => write!(f, "refused: {r}"),
        }
    }
}

/// Decides for `connector` (or the station when `None`).
///
/// `None` is what OCPP 1.6 Authorize.req gives us: it names no connector (§4.1). Then the token is allowed
/// if the station's rules or any connector's rules allow it, because the driver may be about to use the
/// connector that admits them; StartTransaction.req names its connector (§4.8) and is decided again, and a
/// station answered Invalid there stops the transaction when its configuration key
/// `StopTransactionOnInvalidId` is true (§4.8). If nothing allows it, the station's own refusal is given. A
/// connector without overrides follows the station; for a connector listed twice the first entry counts.
pub fn decide(
    rules: &AccessRules,
    connector: Option<ConnectorNo>,
    token: &TokenFacts,
    at: Timestamp,
    tz: Tz,
) -> Decision {
    match connector {
        Some(c) => decide_on(rules, rules.connectors.iter().find(|o| o.connector == c), token, at, tz),
        None => {
            let station = decide_on(rules, None, token, at, tz);
            if station.is_allowed() {
                return station;
            }
            rules
                .connectors
                .iter()
                .map(|o| decide_on(rules, Some(o), token, at, tz))
                .find(Decision::is_allowed)
                .unwrap_or(station)
        }
    }
}

/// How far ahead [`accepted_until`] looks: a week and a day covers every weekly window once more.
pub const ACCEPTED_HORIZON_DAYS: i64 = 8;

/// Until when an "Accepted" answer at `at` holds because of available times: the first instant after `at`
/// at which the same token would be refused at the same place. `None` when the answer is not bound by time
/// (free vend, the owner, a station without available times) or when it is a refusal.
///
/// Why: a station keeps Accepted answers in its Authorization Cache and may start from it without asking
/// (OCPP 1.6 §3.5.1, `LocalPreAuthorize`), until idTagInfo.expiryDate (§7 IdTagInfo). Answering with the
/// token's own expiry only would let a driver accepted at 18:59 start from the cache at 23:00. The caller
/// sends the earlier of this and the token's expiry.
///
/// Windows are given to the minute in local time and time zones today shift by whole minutes, so the answer
/// can only change at a whole UTC minute: we step minute by minute, at most [`ACCEPTED_HORIZON_DAYS`] days
/// (11,520 steps, bounded work; DESIGN rule 5). Stepping, rather than computing the end of the span,
/// follows group windows that take over where the station's close, windows that chain across midnight, and
/// daylight-saving changes, with the same code that decides. If the answer holds for the whole horizon, the
/// horizon's end is returned: the station asks again then.
pub fn accepted_until(
    rules: &AccessRules,
    connector: Option<ConnectorNo>,
    token: &TokenFacts,
    at: Timestamp,
    tz: Tz,
) -> Option<Timestamp> {
    match decide(rules, connector, token, at, tz) {
        Decision::Allowed(Grant::StationOpen | Grant::GroupWindow(_)) if rules.available_times.is_some() => {}
        _ => return None,
    }
    let horizon = at + Duration::days(ACCEPTED_HORIZON_DAYS);
    // The next whole minute after `at`.
    let mut t = at.duration_trunc(Duration::minutes(1)).unwrap_or(at) + Duration::minutes(1);
    while t < horizon {
        if !decide(rules, connector, token, t, tz).is_allowed() {
            return Some(t);
        }
        t += Duration::minutes(1);
    }
    Some(horizon)
}

fn decide_on(
    rules: &AccessRules,
    over: Option<&ConnectorAccess>,
    token: &TokenFacts,
    at: Timestamp,
    tz: Tz,
) -> Decision {
    let required = over.and_then(|o| o.authorization_required).unwrap_or(rules.authorization_required);
    if !required {
        return Decision::Allowed(Grant::FreeVend);
    }
    match token.state {
        TokenState::Unknown => return Decision::Refused(Refusal::UnknownToken),
        TokenState::Blocked => return Decision::Refused(Refusal::Blocked),
        TokenState::Expired => return Decision::Refused(Refusal::Expired),
        TokenState::Valid => {}
    }
    let driver = token.driver.as_ref();
    if driver.is_some_and(|d| Some(d.id) == rules.owner) {
        return Decision::Allowed(Grant::Owner);
    }
    let connector = over.map(|o| o.connector);
    let mode = over.and_then(|o| o.mode.as_ref()).unwrap_or(&rules.mode);
    match mode {
        AccessMode::Public => {}
        AccessMode::Private => return Decision::Refused(Refusal::PrivateOwnerOnly { connector }),
        AccessMode::Limited { drivers, groups } => {
            let admitted =
                driver.is_some_and(|d| drivers.contains(&d.id) || d.groups.iter().any(|g| groups.contains(g)));
            if !admitted {
                return Decision::Refused(Refusal::NotAdmitted { connector });
            }
        }
    }
    let Some(times) = &rules.available_times else {
        return Decision::Allowed(Grant::StationOpen);
    };
    let local = at.with_timezone(&tz).naive_local();
    if times.open_at(local) {
        return Decision::Allowed(Grant::StationOpen);
    }
    let member_of = |g: &GroupId| driver.is_some_and(|d| d.groups.contains(g));
    if let Some(gt) = rules.group_times.iter().find(|gt| member_of(&gt.group) && gt.times.open_at(local)) {
        return Decision::Allowed(Grant::GroupWindow(gt.group));
    }
    let groups = rules
        .group_times
        .iter()
        .filter(|gt| member_of(&gt.group))
        .map(|gt| (gt.group, gt.times.day(local.date())))
        .collect();
    Decision::Refused(Refusal::OutsideAvailableTimes { local, tz, today: times.day(local.date()), groups })
}

mod text;

#[cfg(test)]
mod tests;
