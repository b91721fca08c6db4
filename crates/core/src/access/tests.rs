use super::*;
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Europe::Zurich;

fn utc(s: &str) -> Timestamp {
    DateTime::parse_from_rfc3339(s).expect("test instant").with_timezone(&Utc)
}

fn span(s: &str) -> Span {
    Span::parse(s).expect("test span")
}

fn weekly(days: &[Weekday], s: &str) -> Vec<WeeklyWindow> {
    days.iter().map(|&weekday| WeeklyWindow { weekday, span: span(s) }).collect()
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
}

const WORKDAYS: [Weekday; 5] = [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri];

const OWNER: DriverId = DriverId(1);
const LISTED: DriverId = DriverId(2);
const MEMBER: DriverId = DriverId(3); // in G1, the listed group, which has evening windows
const STRANGER: DriverId = DriverId(4); // in G2, listed nowhere
const G1: GroupId = GroupId(10);
const G2: GroupId = GroupId(20);

/// Station: Mon-Fri 07:00-19:00; 2026-12-25 closed; 2026-12-24 open 08:00-12:00 only.
/// Group G1 additionally Mon-Fri 19:00-22:00.
fn rules(mode: AccessMode) -> AccessRules {
    AccessRules {
        owner: Some(OWNER),
        mode,
        authorization_required: true,
        available_times: Some(
            AvailableTimes::new(
                weekly(&WORKDAYS, "07:00-19:00"),
                vec![
                    Exception { date: date("2026-12-25"), day: ExceptionDay::Closed },
                    Exception { date: date("2026-12-24"), day: ExceptionDay::Open(vec![span("08:00-12:00")]) },
                ],
            )
            .unwrap(),
        ),
        group_times: vec![GroupTimes {
            group: G1,
            times: AvailableTimes::new(weekly(&WORKDAYS, "19:00-22:00"), vec![]).unwrap(),
        }],
        connectors: vec![],
    }
}

fn limited() -> AccessMode {
    AccessMode::Limited { drivers: vec![LISTED], groups: vec![G1] }
}

fn driver(id: DriverId) -> DriverFacts {
    let groups = match id {
        MEMBER => vec![G1],
        STRANGER => vec![G2],
        _ => vec![],
    };
    DriverFacts { id, groups }
}

fn token(state: TokenState, who: Option<DriverId>) -> TokenFacts {
    TokenFacts { state, driver: who.map(driver) }
}

/// The expected outcome in the table, as a short code checked by hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Want {
    /// Allowed: the owner.
    Own,
    /// Allowed: station open.
    Open,
    /// Allowed: through G1's window.
    Grp,
    /// Refused: outside available times.
    Time,
    /// Refused: private, only the owner.
    Priv,
    /// Refused: limited, not admitted.
    NotIn,
    Blk,
    Exp,
    Unk,
}

fn fits(d: &Decision, w: Want) -> bool {
    matches!(
        (d, w),
        (Decision::Allowed(Grant::Owner), Want::Own)
            | (Decision::Allowed(Grant::StationOpen), Want::Open)
            | (Decision::Allowed(Grant::GroupWindow(G1)), Want::Grp)
            | (Decision::Refused(Refusal::OutsideAvailableTimes { .. }), Want::Time)
            | (Decision::Refused(Refusal::PrivateOwnerOnly { connector: None }), Want::Priv)
            | (Decision::Refused(Refusal::NotAdmitted { connector: None }), Want::NotIn)
            | (Decision::Refused(Refusal::Blocked), Want::Blk)
            | (Decision::Refused(Refusal::Expired), Want::Exp)
            | (Decision::Refused(Refusal::UnknownToken), Want::Unk)
    )
}

fn status(w: Want) -> AuthorizationStatus {
    match w {
        Want::Own | Want::Open | Want::Grp => AuthorizationStatus::Accepted,
        Want::Blk => AuthorizationStatus::Blocked,
        Want::Exp => AuthorizationStatus::Expired,
        Want::Time | Want::Priv | Want::NotIn | Want::Unk => AuthorizationStatus::Invalid,
    }
}

/// mode, driver (None: a token without one), instant, token state, expected outcome.
type Row = (fn() -> AccessMode, Option<DriverId>, &'static str, TokenState, Want);

#[test]
fn decision_table_mode_group_window_token_state() {
    use TokenState::*;
    use Want::*;
    // Instants (Zurich is UTC+1 in November and December):
    let inside = "2026-11-23T09:00:00Z"; // Monday 10:00 local: station open
    let evening = "2026-11-23T19:30:00Z"; // Monday 20:30 local: station closed, G1's window open
    let night = "2026-11-23T22:30:00Z"; // Monday 23:30 local: everything closed
    let holiday = "2026-12-25T09:00:00Z"; // Friday 10:00 local, exception: closed all day
    let eve_in = "2026-12-24T09:00:00Z"; // Thursday 10:00 local, exception 08:00-12:00: open
    let eve_out = "2026-12-24T13:00:00Z"; // Thursday 14:00 local, exception: outside its span

    let public = || AccessMode::Public;
    let private = || AccessMode::Private;
    #[rustfmt::skip]
    let table: Vec<Row> = vec![
        // Public: anybody valid, within times; G1 members also in G1's evening window; the owner always.
        (public, Some(OWNER), inside, Valid, Own),
        (public, Some(OWNER), night, Valid, Own),
        (public, Some(OWNER), holiday, Valid, Own),
        (public, Some(LISTED), inside, Valid, Open),
        (public, Some(LISTED), evening, Valid, Time),
        (public, Some(LISTED), holiday, Valid, Time),
        (public, Some(MEMBER), inside, Valid, Open),
        (public, Some(MEMBER), evening, Valid, Grp),
        (public, Some(MEMBER), night, Valid, Time),
        (public, Some(MEMBER), holiday, Valid, Time), // G1's window is 19-22, not 10:00
        (public, Some(STRANGER), inside, Valid, Open),
        (public, Some(STRANGER), evening, Valid, Time),
        (public, Some(STRANGER), eve_in, Valid, Open),
        (public, Some(STRANGER), eve_out, Valid, Time),
        (public, None, inside, Valid, Open), // a registered token without a driver
        (public, None, evening, Valid, Time),
        // Limited: owner, LISTED, and G1 members.
        (limited, Some(OWNER), inside, Valid, Own),
        (limited, Some(OWNER), night, Valid, Own),
        (limited, Some(LISTED), inside, Valid, Open),
        (limited, Some(LISTED), evening, Valid, Time),
        (limited, Some(LISTED), holiday, Valid, Time),
        (limited, Some(LISTED), eve_in, Valid, Open),
        (limited, Some(MEMBER), inside, Valid, Open),
        (limited, Some(MEMBER), evening, Valid, Grp),
        (limited, Some(MEMBER), night, Valid, Time),
        (limited, Some(MEMBER), holiday, Valid, Time),
        (limited, Some(STRANGER), inside, Valid, NotIn),
        (limited, Some(STRANGER), evening, Valid, NotIn), // admission is checked before time
        (limited, Some(STRANGER), holiday, Valid, NotIn),
        (limited, None, inside, Valid, NotIn),
        // Private: the owner only, at any time.
        (private, Some(OWNER), inside, Valid, Own),
        (private, Some(OWNER), night, Valid, Own),
        (private, Some(OWNER), holiday, Valid, Own),
        (private, Some(LISTED), inside, Valid, Priv),
        (private, Some(MEMBER), inside, Valid, Priv),
        (private, Some(MEMBER), evening, Valid, Priv), // a group window does not admit
        (private, Some(STRANGER), inside, Valid, Priv),
        (private, None, inside, Valid, Priv),
        // Token state comes first, whatever the mode, membership or time; even for the owner.
        (public, Some(OWNER), inside, Blocked, Blk),
        (public, Some(LISTED), inside, Blocked, Blk),
        (public, Some(MEMBER), evening, Blocked, Blk),
        (limited, Some(LISTED), inside, Blocked, Blk),
        (limited, Some(STRANGER), night, Blocked, Blk),
        (private, Some(OWNER), inside, Blocked, Blk),
        (private, Some(STRANGER), inside, Blocked, Blk),
        (public, Some(OWNER), inside, Expired, Exp),
        (public, Some(STRANGER), night, Expired, Exp),
        (limited, Some(MEMBER), evening, Expired, Exp),
        (limited, Some(STRANGER), inside, Expired, Exp),
        (private, Some(OWNER), holiday, Expired, Exp),
        (private, Some(LISTED), inside, Expired, Exp),
        (public, None, inside, Unknown, Unk),
        (public, None, holiday, Unknown, Unk),
        (limited, None, inside, Unknown, Unk),
        (private, None, night, Unknown, Unk),
    ];
    for (i, (mode, who, at, state, want)) in table.into_iter().enumerate() {
        let d = decide(&rules(mode()), None, &token(state, who), utc(at), Zurich);
        assert!(fits(&d, want), "row {i}: {who:?} {at} {state:?}: got {d:?}, want {want:?}");
        assert_eq!(d.status(), status(want), "row {i}: status");
    }
}

#[test]
fn free_vend_allows_everything() {
    for mode in [AccessMode::Public, limited(), AccessMode::Private] {
        let mut r = rules(mode);
        r.authorization_required = false;
        for state in [TokenState::Valid, TokenState::Blocked, TokenState::Expired, TokenState::Unknown] {
            for at in ["2026-11-23T09:00:00Z", "2026-12-25T09:00:00Z", "2026-11-23T22:30:00Z"] {
                let d = decide(&r, None, &token(state, Some(STRANGER)), utc(at), Zurich);
                assert_eq!(d, Decision::Allowed(Grant::FreeVend));
                assert_eq!(d.status(), AuthorizationStatus::Accepted);
            }
        }
    }
}

#[test]
fn a_station_without_available_times_is_always_open() {
    let mut r = rules(AccessMode::Public);
    r.available_times = None;
    let d = decide(&r, None, &token(TokenState::Valid, Some(STRANGER)), utc("2026-12-25T23:00:00Z"), Zurich);
    assert_eq!(d, Decision::Allowed(Grant::StationOpen));
}

#[test]
fn refusals_explain_themselves() {
    let at = |s| decide(&rules(AccessMode::Public), None, &token(TokenState::Valid, Some(STRANGER)), utc(s), Zurich);
    let evening = at("2026-11-23T19:30:00Z");
    assert_eq!(
        evening.to_string(),
        "refused: outside the station's available times: Monday 07:00-19:00 local; \
         it is Monday 2026-11-23 20:30 (Europe/Zurich)"
    );
    let Decision::Refused(r) = &evening else { panic!("refused expected") };
    assert_eq!(
        r.remote_start_text(),
        "remote start refused: outside the station's available times: Monday 07:00-19:00 local; \
         it is Monday 2026-11-23 20:30 (Europe/Zurich)"
    );
    assert_eq!(
        at("2026-12-25T09:00:00Z").to_string(),
        "refused: outside the station's available times: closed all day on 2026-12-25 (exception); \
         it is Friday 2026-12-25 10:00 (Europe/Zurich)"
    );
    assert_eq!(
        at("2026-12-24T13:00:00Z").to_string(),
        "refused: outside the station's available times: 2026-12-24 (exception) 08:00-12:00 local; \
         it is Thursday 2026-12-24 14:00 (Europe/Zurich)"
    );
    assert_eq!(
        at("2026-11-28T10:00:00Z").to_string(),
        "refused: outside the station's available times: closed on Saturdays; \
         it is Saturday 2026-11-28 11:00 (Europe/Zurich)"
    );
    let private = decide(
        &rules(AccessMode::Private),
        None,
        &token(TokenState::Valid, Some(LISTED)),
        utc("2026-11-23T09:00:00Z"),
        Zurich,
    );
    assert_eq!(private.to_string(), "refused: private station: only the owner");
    assert_eq!(Refusal::Blocked.to_string(), "token blocked");
    assert_eq!(Refusal::Expired.to_string(), "token expired");
    assert_eq!(
        Refusal::NotAdmitted { connector: Some(ConnectorNo::new(2).unwrap()) }.to_string(),
        "limited connector 2: the driver is not the owner, not listed and in none of the listed groups"
    );
    // A G1 member late in the evening is told about G1's window too.
    let member = decide(
        &rules(AccessMode::Public),
        None,
        &token(TokenState::Valid, Some(MEMBER)),
        utc("2026-11-23T22:30:00Z"),
        Zurich,
    );
    assert_eq!(
        member.to_string(),
        "refused: outside the station's available times: Monday 07:00-19:00 local; \
         and outside group 10's: Monday 19:00-22:00 local; it is Monday 2026-11-23 23:30 (Europe/Zurich)"
    );
    assert_eq!(
        Decision::Allowed(Grant::GroupWindow(G1)).to_string(),
        "allowed: within the available times of group 10"
    );
}

fn open(times: &AvailableTimes, at: &str) -> bool {
    times.open_at(utc(at).with_timezone(&Zurich).naive_local())
}

#[test]
fn weekly_windows_follow_local_time_across_dst() {
    let t = AvailableTimes::new(weekly(&WORKDAYS, "07:00-19:00"), vec![]).unwrap();
    // Monday before the spring change: CET, 07:00 local = 06:00 UTC.
    assert!(!open(&t, "2026-03-23T05:59:59Z"));
    assert!(open(&t, "2026-03-23T06:00:00Z"));
    assert!(open(&t, "2026-03-23T17:59:59Z"));
    assert!(!open(&t, "2026-03-23T18:00:00Z"));
    // Monday after it: CEST, 07:00 local = 05:00 UTC.
    assert!(!open(&t, "2026-03-30T04:59:59Z"));
    assert!(open(&t, "2026-03-30T05:00:00Z"));
    assert!(!open(&t, "2026-03-30T17:00:00Z"));
}

#[test]
fn spring_forward_a_window_in_the_skipped_hour() {
    // 2026-03-29 (Sunday) in Zurich: 02:00 CET jumps to 03:00 CEST at 01:00 UTC.
    let late = AvailableTimes::new(weekly(&[Weekday::Sun], "02:30-04:00"), vec![]).unwrap();
    assert!(!open(&late, "2026-03-29T00:59:59Z")); // 01:59:59 CET
    assert!(open(&late, "2026-03-29T01:00:00Z")); // 03:00 CEST: the window opens when the clocks jump
    assert!(open(&late, "2026-03-29T01:59:59Z")); // 03:59:59 CEST
    assert!(!open(&late, "2026-03-29T02:00:00Z")); // 04:00 CEST
    // A window wholly inside the skipped hour never opens that night.
    let skipped = AvailableTimes::new(weekly(&[Weekday::Sun], "02:00-02:30"), vec![]).unwrap();
    let mut t = utc("2026-03-28T22:00:00Z");
    while t < utc("2026-03-29T06:00:00Z") {
        assert!(!skipped.open_at(t.with_timezone(&Zurich).naive_local()), "{t}");
        t += Duration::minutes(1);
    }
}

#[test]
fn fall_back_a_window_in_the_repeated_hour_is_open_twice() {
    // 2026-10-25 (Sunday) in Zurich: 03:00 CEST falls back to 02:00 CET at 01:00 UTC.
    let t = AvailableTimes::new(weekly(&[Weekday::Sun], "02:00-02:30"), vec![]).unwrap();
    assert!(!open(&t, "2026-10-24T23:59:59Z")); // 01:59:59 CEST
    assert!(open(&t, "2026-10-25T00:00:00Z")); // 02:00 CEST
    assert!(open(&t, "2026-10-25T00:29:59Z"));
    assert!(!open(&t, "2026-10-25T00:30:00Z")); // 02:30 CEST
    assert!(open(&t, "2026-10-25T01:00:00Z")); // 02:00 CET, the second time
    assert!(!open(&t, "2026-10-25T01:30:00Z")); // 02:30 CET
    let mut minutes_open = 0;
    let mut at = utc("2026-10-24T20:00:00Z");
    while at < utc("2026-10-25T06:00:00Z") {
        if t.open_at(at.with_timezone(&Zurich).naive_local()) {
            minutes_open += 1;
        }
        at += Duration::minutes(1);
    }
    assert_eq!(minutes_open, 60, "two half hours of wall-clock 02:00-02:30");
}

#[test]
fn windows_crossing_midnight() {
    // Friday 22:00-06:00 and Sunday 22:00-02:00 (which spills into Monday, across the week's end).
    let mut w = weekly(&[Weekday::Fri], "22:00-06:00");
    w.extend(weekly(&[Weekday::Sun], "22:00-02:00"));
    let t = AvailableTimes::new(w.clone(), vec![]).unwrap();
    assert!(!open(&t, "2026-11-27T20:59:59Z")); // Fri 21:59:59
    assert!(open(&t, "2026-11-27T21:00:00Z")); // Fri 22:00
    assert!(open(&t, "2026-11-27T23:00:00Z")); // Sat 00:00
    assert!(open(&t, "2026-11-28T04:59:59Z")); // Sat 05:59:59
    assert!(!open(&t, "2026-11-28T05:00:00Z")); // Sat 06:00
    assert!(!open(&t, "2026-11-28T23:00:00Z")); // Sun 00:00: Saturday has no window
    assert!(open(&t, "2026-11-29T21:00:00Z")); // Sun 22:00
    assert!(open(&t, "2026-11-30T00:59:59Z")); // Mon 01:59:59
    assert!(!open(&t, "2026-11-30T01:00:00Z")); // Mon 02:00

    // A closed exception on the Saturday cuts the Friday window at midnight; the Friday part stays.
    let cut = AvailableTimes::new(w.clone(), vec![Exception { date: date("2026-11-28"), day: ExceptionDay::Closed }])
        .unwrap();
    assert!(open(&cut, "2026-11-27T22:59:59Z")); // Fri 23:59:59
    assert!(!open(&cut, "2026-11-27T23:00:00Z")); // Sat 00:00

    // An exception's own span may cross midnight into an ordinary day (New Year's Eve, a Thursday) ...
    let nye = Exception { date: date("2026-12-31"), day: ExceptionDay::Open(vec![span("20:00-02:00")]) };
    let t = AvailableTimes::new(w.clone(), vec![nye.clone()]).unwrap();
    assert!(open(&t, "2026-12-31T19:00:00Z")); // Thu 20:00
    assert!(open(&t, "2027-01-01T00:30:00Z")); // Fri 01:30
    assert!(!open(&t, "2027-01-01T01:00:00Z")); // Fri 02:00
    // ... unless that next day is an exception too.
    let t =
        AvailableTimes::new(w, vec![nye, Exception { date: date("2027-01-01"), day: ExceptionDay::Closed }]).unwrap();
    assert!(!open(&t, "2027-01-01T00:30:00Z"));

    // All day is 00:00-24:00, and ends at midnight.
    let t = AvailableTimes::new(weekly(&[Weekday::Sun], "00:00-24:00"), vec![]).unwrap();
    assert!(!open(&t, "2026-11-28T22:59:59Z")); // Sat 23:59:59
    assert!(open(&t, "2026-11-28T23:00:00Z")); // Sun 00:00
    assert!(open(&t, "2026-11-29T22:59:59Z")); // Sun 23:59:59
    assert!(!open(&t, "2026-11-29T23:00:00Z")); // Mon 00:00
}

#[test]
fn connector_overrides_the_station() {
    let c = |n| ConnectorNo::new(n).unwrap();
    let inside = utc("2026-11-23T09:00:00Z");
    let stranger = token(TokenState::Valid, Some(STRANGER));

    // A public station with a private connector 2.
    let mut r = rules(AccessMode::Public);
    r.connectors =
        vec![ConnectorAccess { connector: c(2), mode: Some(AccessMode::Private), authorization_required: None }];
    assert_eq!(decide(&r, Some(c(1)), &stranger, inside, Zurich), Decision::Allowed(Grant::StationOpen));
    assert_eq!(
        decide(&r, Some(c(2)), &stranger, inside, Zurich),
        Decision::Refused(Refusal::PrivateOwnerOnly { connector: Some(c(2)) })
    );
    assert_eq!(
        decide(&r, Some(c(2)), &token(TokenState::Valid, Some(OWNER)), inside, Zurich),
        Decision::Allowed(Grant::Owner)
    );
    assert_eq!(decide(&r, None, &stranger, inside, Zurich), Decision::Allowed(Grant::StationOpen));

    // A private station with a limited connector 2 (G1) and a free-vend connector 3.
    let mut r = rules(AccessMode::Private);
    r.connectors = vec![
        ConnectorAccess {
            connector: c(2),
            mode: Some(AccessMode::Limited { drivers: vec![], groups: vec![G1] }),
            authorization_required: None,
        },
        ConnectorAccess { connector: c(3), mode: None, authorization_required: Some(false) },
    ];
    let member = token(TokenState::Valid, Some(MEMBER));
    let unknown = token(TokenState::Unknown, None);
    assert_eq!(
        decide(&r, Some(c(1)), &member, inside, Zurich),
        Decision::Refused(Refusal::PrivateOwnerOnly { connector: None }),
        "connector 1 has no overrides and follows the private station"
    );
    assert_eq!(decide(&r, Some(c(2)), &member, inside, Zurich), Decision::Allowed(Grant::StationOpen));
    assert_eq!(
        decide(&r, Some(c(2)), &member, utc("2026-11-23T19:30:00Z"), Zurich),
        Decision::Allowed(Grant::GroupWindow(G1)),
        "the station's and the group's times apply on a connector too"
    );
    assert_eq!(
        decide(&r, Some(c(2)), &stranger, inside, Zurich),
        Decision::Refused(Refusal::NotAdmitted { connector: Some(c(2)) })
    );
    assert_eq!(decide(&r, Some(c(3)), &unknown, inside, Zurich), Decision::Allowed(Grant::FreeVend));
    assert_eq!(decide(&r, Some(c(1)), &unknown, inside, Zurich).status(), AuthorizationStatus::Invalid);
    // Authorize names no connector: allowed if any connector would allow.
    assert_eq!(decide(&r, None, &member, inside, Zurich), Decision::Allowed(Grant::StationOpen));
    assert_eq!(decide(&r, None, &unknown, inside, Zurich), Decision::Allowed(Grant::FreeVend));
    // Without the free-vend connector, a stranger gets the station's own refusal.
    r.connectors.pop();
    assert_eq!(
        decide(&r, None, &stranger, inside, Zurich),
        Decision::Refused(Refusal::PrivateOwnerOnly { connector: None })
    );
}

#[test]
fn token_state_of_a_registered_token() {
    use crate::auth::IdToken;
    use crate::{IdTag, OperatorId};
    let now = utc("2026-01-01T12:00:00Z");
    let t = |blocked, expires_at| IdToken {
        operator_id: OperatorId(1),
        tag: IdTag::parse("TAG1").unwrap(),
        parent: None,
        expires_at,
        blocked,
    };
    assert_eq!(TokenState::of(None, now), TokenState::Unknown);
    assert_eq!(TokenState::of(Some(&t(false, None)), now), TokenState::Valid);
    assert_eq!(TokenState::of(Some(&t(false, Some(now + Duration::seconds(1)))), now), TokenState::Valid);
    assert_eq!(TokenState::of(Some(&t(false, Some(now))), now), TokenState::Expired);
    assert_eq!(TokenState::of(Some(&t(true, None)), now), TokenState::Blocked);
    assert_eq!(TokenState::of(Some(&t(true, Some(now))), now), TokenState::Blocked);
}

#[test]
fn validation() {
    assert_eq!(TimeOfDay::parse("00:00").unwrap().to_string(), "00:00");
    assert_eq!(TimeOfDay::parse("24:00").unwrap().to_string(), "24:00");
    assert_eq!(TimeOfDay::hm(7, 5).unwrap().to_string(), "07:05");
    for bad in ["24:01", "7:00", "12:60", "25:00", "ab:cd", "1200", "", "+1:00", "12:00:00"] {
        assert!(TimeOfDay::parse(bad).is_err(), "{bad}");
    }
    assert!(Span::parse("22:00-06:00").unwrap().crosses_midnight());
    assert!(!Span::parse("00:00-24:00").unwrap().crosses_midnight());
    let err = Span::parse("08:00-08:00").unwrap_err().to_string();
    assert!(err.contains("write 00:00-24:00"), "{err}");
    assert!(Span::parse("24:00-01:00").is_err());
    assert!(Span::parse("08:00").is_err());

    let dup = AvailableTimes::new(
        vec![],
        vec![
            Exception { date: date("2026-12-25"), day: ExceptionDay::Closed },
            Exception { date: date("2026-12-25"), day: ExceptionDay::Open(vec![span("08:00-09:00")]) },
        ],
    );
    assert!(dup.unwrap_err().to_string().contains("same date"));
    let empty =
        AvailableTimes::new(vec![], vec![Exception { date: date("2026-12-25"), day: ExceptionDay::Open(vec![]) }]);
    assert!(empty.unwrap_err().to_string().contains("say Closed"));
    let many = weekly(&[Weekday::Mon; 71], "08:00-09:00");
    assert!(AvailableTimes::new(many, vec![]).is_err());
    // No windows at all: never open (an empty schedule is not "always"; that is `None` in the rules).
    let never = AvailableTimes::new(vec![], vec![]).unwrap();
    assert!(!open(&never, "2026-11-23T09:00:00Z"));

    assert_eq!(GroupName::parse("  Employees ").unwrap().as_str(), "Employees");
    assert!(GroupName::parse("   ").is_err());
    assert!(GroupName::parse("a\nb").is_err());
    assert!(GroupName::parse(&"x".repeat(65)).is_err());
    assert!(GroupName::parse(&"x".repeat(64)).is_ok());
    assert_eq!(DriverName::parse(" Ana Muster ").unwrap().as_str(), "Ana Muster");
    assert!(DriverName::parse("").is_err());
    assert!(DriverName::parse("a\tb").is_err());
    assert!(DriverName::parse(&"x".repeat(101)).is_err());
    assert!(DriverName::parse(&"x".repeat(100)).is_ok());
    assert!(ConnectorNo::new(0).is_err());
    assert_eq!(ConnectorNo::new(1).unwrap().get(), 1);
}

#[test]
fn accepted_until_the_times_close() {
    let inside = utc("2026-11-23T09:00:30Z"); // Monday 10:00:30 local
    let r = rules(AccessMode::Public);
    let until = |who: Option<DriverId>, at| accepted_until(&r, None, &token(TokenState::Valid, who), at, Zurich);
    // The station closes at 19:00 local (18:00 UTC in November).
    assert_eq!(until(Some(STRANGER), inside), Some(utc("2026-11-23T18:00:00Z")));
    // G1's window takes over at 19:00 and closes at 22:00 local.
    assert_eq!(until(Some(MEMBER), inside), Some(utc("2026-11-23T21:00:00Z")));
    assert_eq!(until(Some(MEMBER), utc("2026-11-23T19:30:00Z")), Some(utc("2026-11-23T21:00:00Z")));
    // Christmas Eve's exception closes at 12:00 local.
    assert_eq!(until(Some(STRANGER), utc("2026-12-24T09:00:00Z")), Some(utc("2026-12-24T11:00:00Z")));
    // Not bound by time: the owner; refused: nothing to cache.
    assert_eq!(until(Some(OWNER), inside), None);
    assert_eq!(until(Some(STRANGER), utc("2026-11-23T19:30:00Z")), None);
    let mut free = rules(AccessMode::Public);
    free.available_times = None;
    assert_eq!(accepted_until(&free, None, &token(TokenState::Valid, Some(STRANGER)), inside, Zurich), None);

    // An overnight window across the autumn change: Saturday 22:00 to Sunday 06:00 local, which is CET
    // again by then (05:00 UTC), an hour later in UTC than the same wall clock the day before.
    let mut night = rules(AccessMode::Public);
    night.available_times = Some(AvailableTimes::new(weekly(&[Weekday::Sat], "22:00-06:00"), vec![]).unwrap());
    let t = token(TokenState::Valid, Some(STRANGER));
    assert_eq!(
        accepted_until(&night, None, &t, utc("2026-10-24T21:00:00Z"), Zurich), // Sat 23:00 CEST
        Some(utc("2026-10-25T05:00:00Z"))
    );
    // Open all week: the horizon.
    let mut always = rules(AccessMode::Public);
    let all: Vec<Weekday> = [WORKDAYS.as_slice(), &[Weekday::Sat, Weekday::Sun]].concat();
    always.available_times = Some(AvailableTimes::new(weekly(&all, "00:00-24:00"), vec![]).unwrap());
    assert_eq!(accepted_until(&always, None, &t, inside, Zurich), Some(inside + Duration::days(ACCEPTED_HORIZON_DAYS)));
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    /// The week of 2026-11-23 (Monday) plus its neighbours, where exceptions are placed.
    const FIRST: &str = "2026-11-21";

    fn span_strategy() -> impl Strategy<Value = Span> {
        (0u16..1440, 1u16..=1440)
            .prop_filter("start != end", |(a, b)| a != b)
            .prop_map(|(a, b)| Span::new(TimeOfDay(a), TimeOfDay(b)).unwrap())
    }

    fn weekday(n: u8) -> Weekday {
        Weekday::try_from(n % 7).unwrap()
    }

    fn times_strategy() -> impl Strategy<Value = AvailableTimes> {
        let weekly = prop::collection::vec((0u8..7, span_strategy()), 0..8);
        let exceptions =
            prop::collection::btree_map(0i64..10, prop::option::of(prop::collection::vec(span_strategy(), 1..3)), 0..4);
        (weekly, exceptions).prop_map(|(w, e)| {
            let weekly = w.into_iter().map(|(d, span)| WeeklyWindow { weekday: weekday(d), span }).collect();
            let exceptions = e
                .into_iter()
                .map(|(offset, spans)| Exception {
                    date: date(FIRST) + Duration::days(offset),
                    day: spans.map_or(ExceptionDay::Closed, ExceptionDay::Open),
                })
                .collect();
            AvailableTimes::new(weekly, exceptions).unwrap()
        })
    }

    /// An independent statement of the rule, as intervals of local date-times: every span that starts on a
    /// date runs from that date at its start to its end (the next date if it crosses midnight), cut at the
    /// next midnight when the next date is an exception.
    fn open_by_intervals(t: &AvailableTimes, local: NaiveDateTime) -> bool {
        let midnight = |d: NaiveDate| d.and_hms_opt(0, 0, 0).unwrap();
        let at = |d: NaiveDate, tod: TimeOfDay| midnight(d) + Duration::minutes(i64::from(tod.0));
        [local.date() - Duration::days(1), local.date()].into_iter().any(|d| {
            let spans: Vec<Span> = match t.exceptions().iter().find(|e| e.date == d) {
                Some(Exception { day: ExceptionDay::Closed, .. }) => vec![],
                Some(Exception { day: ExceptionDay::Open(s), .. }) => s.clone(),
                None => t.weekly().iter().filter(|w| w.weekday == d.weekday()).map(|w| w.span).collect(),
            };
            let next = d + Duration::days(1);
            let next_is_exception = t.exceptions().iter().any(|e| e.date == next);
            spans.iter().any(|s| {
                let start = at(d, s.start());
                let mut end = if s.crosses_midnight() { at(next, s.end()) } else { at(d, s.end()) };
                if next_is_exception && end > midnight(next) {
                    end = midnight(next);
                }
                start <= local && local < end
            })
        })
    }

    proptest! {
        #[test]
        fn open_at_agrees_with_intervals(t in times_strategy(), minute in 0i64..(12 * 24 * 60), second in 0i64..60) {
            let local = date(FIRST).and_hms_opt(0, 0, 0).unwrap() + Duration::minutes(minute) + Duration::seconds(second);
            prop_assert_eq!(t.open_at(local), open_by_intervals(&t, local), "at {}", local);
        }
    }
}
