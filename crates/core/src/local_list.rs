//! Local authorization lists (OCPP 1.6 §3.5.3 Local Authorization List, §6.41 SendLocalList, §6.27
//! GetLocalListVersion), kept in step with the access rules.
//!
//! Two pure steps: [`wanted`] computes the list a station should hold (the operator's tokens that the
//! station's rules admit, ignoring available times: a list entry has no time windows, and the
//! idTagInfo.expiryDate of an entry is the token's own expiry), and [`plan`] turns what was last sent and
//! what is wanted into the SendLocalList.req messages to send: a Differential update with only the changes
//! when the station's version is the one we last sent, a Full update otherwise (version unknown or
//! mismatched, nothing sent yet) or when the changes outnumber the list, split to at most
//! `SendLocalListMaxLength` entries per message.
//!
//! Why available times are ignored: a station consults its local list when it is offline or, with
//! `LocalPreAuthorize`, before asking (§3.5.3); a list entry cannot say "only on weekdays". Leaving the
//! token on the list and letting the online Authorize/StartTransaction refuse it outside the windows is the
//! conservative reading; a station that is offline for long charges admitted drivers at any hour, which is
//! what an operator who enables local lists asks for.

use std::collections::BTreeMap;

use crate::access::{self, AccessRules, DriverFacts, TokenFacts, TokenState};
use crate::auth::IdToken;
use crate::{IdTag, Timestamp};

/// One entry of a local list: an idTag accepted, with its cache expiry and parent (§7 AuthorizationData,
/// IdTagInfo with status Accepted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub tag: IdTag,
    pub expires_at: Option<Timestamp>,
    pub parent: Option<IdTag>,
}

/// The list a station should hold: the tokens `rules` admit (as an Authorize without a connector would,
/// at `now`, ignoring available times), sorted by tag. A station whose authorization is not required
/// needs no list: empty.
pub fn wanted(rules: &AccessRules, tokens: &[(IdToken, Option<DriverFacts>)], now: Timestamp) -> Vec<Entry> {
    if !rules.authorization_required {
        return Vec::new();
    }
    let timeless = AccessRules { available_times: None, group_times: Vec::new(), ..rules.clone() };
    let mut list: Vec<Entry> = tokens
        .iter()
        .filter(|(token, driver)| {
            let facts = TokenFacts { state: TokenState::of(Some(token), now), driver: driver.clone() };
            access::decide(&timeless, None, &facts, now, chrono_tz::UTC).is_allowed()
        })
        .map(|(token, _)| Entry { tag: token.tag.clone(), expires_at: token.expires_at, parent: token.parent.clone() })
        .collect();
    list.sort_by(|a, b| a.tag.as_str().cmp(b.tag.as_str()));
    list
}

/// SendLocalList.req's updateType (§7.43 UpdateType).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpdateType {
    Full,
    Differential,
}

impl UpdateType {
    pub fn as_str(self) -> &'static str {
        match self {
            UpdateType::Full => "Full",
            UpdateType::Differential => "Differential",
        }
    }
}

/// A change in a Differential update: an entry to add or replace, or a tag to remove (sent without
/// idTagInfo, §6.41).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Upsert(Entry),
    Remove(IdTag),
}

/// One SendLocalList.req.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub version: i32,
    pub update_type: UpdateType,
    pub changes: Vec<Change>,
}

/// Why no list can be sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    #[error("the list has {len} entries; the station holds at most {max} (LocalAuthListMaxLength)")]
    TooLong { len: usize, max: usize },
}

/// What was last sent to a station and accepted: its version and the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sent {
    pub version: i32,
    pub list: Vec<Entry>,
}

/// The messages that bring a station from what it holds to `wanted` (empty: nothing to send).
///
/// - `sent`: what we last sent and the station accepted; `station_version`: what GetLocalListVersion.conf
///   said (`None` when not asked). They must agree for a Differential update; otherwise (or when nothing was
///   sent) the update is Full. A station that answers version 0 holds no list (§6.28) and -1 means the
///   station has local lists disabled; both make a Full update when asked for.
/// - Versions count up from the larger of the two by one per message, so every message a station accepts
///   leaves it on a version it has not had before.
/// - A Full update bigger than `max_per_message` (SendLocalListMaxLength) is a Full with the first part
///   followed by Differential updates with the rest; a Differential is split the same way.
pub fn plan(
    sent: Option<&Sent>,
    station_version: Option<i32>,
    wanted: &[Entry],
    max_per_message: usize,
    max_list: usize,
) -> Result<Vec<Message>, PlanError> {
    if wanted.len() > max_list {
        return Err(PlanError::TooLong { len: wanted.len(), max: max_list });
    }
    let max_per_message = max_per_message.max(1);
    let in_step = match (sent, station_version) {
        (Some(s), Some(v)) => s.version == v,
        (Some(_), None) => true,
        (None, _) => false,
    };
    let base = sent.map_or(0, |s| s.version).max(station_version.unwrap_or(0)).max(0);
    let full = |base: i32| -> Vec<Message> {
        let upserts: Vec<Change> = wanted.iter().cloned().map(Change::Upsert).collect();
        split(base, UpdateType::Full, upserts, max_per_message)
    };
    let Some(sent) = sent.filter(|_| in_step) else { return Ok(full(base)) };
    let changes = diff(&sent.list, wanted);
    if changes.is_empty() {
        return Ok(Vec::new());
    }
    if changes.len() > wanted.len() {
        return Ok(full(base));
    }
    Ok(split(base, UpdateType::Differential, changes, max_per_message))
}

fn split(base: i32, first: UpdateType, changes: Vec<Change>, max: usize) -> Vec<Message> {
    if changes.is_empty() {
        // An empty Full update clears the station's list (§6.41).
        return vec![Message { version: base.saturating_add(1), update_type: first, changes }];
    }
    changes
        .chunks(max)
        .enumerate()
        .map(|(i, chunk)| Message {
            version: base.saturating_add(i as i32 + 1),
            update_type: if i == 0 { first } else { UpdateType::Differential },
            changes: chunk.to_vec(),
        })
        .collect()
}

/// The changes from `old` to `new`: new or changed entries, and removed tags, by tag.
pub fn diff(old: &[Entry], new: &[Entry]) -> Vec<Change> {
    let old: BTreeMap<&str, &Entry> = old.iter().map(|e| (e.tag.as_str(), e)).collect();
    let new_by: BTreeMap<&str, &Entry> = new.iter().map(|e| (e.tag.as_str(), e)).collect();
    let mut changes: Vec<Change> =
        new_by.iter().filter(|(tag, e)| old.get(*tag) != Some(e)).map(|(_, e)| Change::Upsert((*e).clone())).collect();
    changes
        .extend(old.values().filter(|e| !new_by.contains_key(e.tag.as_str())).map(|e| Change::Remove(e.tag.clone())));
    changes
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::OperatorId;
    use crate::access::{AccessMode, AvailableTimes, DriverId, GroupId};

    fn tag(s: &str) -> IdTag {
        IdTag::parse(s).expect("tag")
    }

    fn entry(s: &str) -> Entry {
        Entry { tag: tag(s), expires_at: None, parent: None }
    }

    fn token(s: &str, blocked: bool, expires: Option<Timestamp>) -> IdToken {
        IdToken { operator_id: OperatorId(1), tag: tag(s), parent: None, expires_at: expires, blocked }
    }

    fn rules(mode: AccessMode) -> AccessRules {
        AccessRules {
            owner: Some(DriverId(1)),
            mode,
            authorization_required: true,
            // Closed at `now` (a Sunday): times must not matter for the list.
            available_times: Some(AvailableTimes::parse("mon-fri 08:00-09:00").expect("times")),
            group_times: vec![],
            connectors: vec![],
        }
    }

    fn now() -> Timestamp {
        Utc.with_ymd_and_hms(2026, 11, 22, 12, 0, 0).single().expect("now")
    }

    #[test]
    fn the_list_holds_the_admitted_valid_tokens_whatever_the_time() {
        let driver = |id, groups: Vec<i64>| {
            Some(DriverFacts { id: DriverId(id), groups: groups.into_iter().map(GroupId).collect() })
        };
        let past = Utc.with_ymd_and_hms(2020, 1, 1, 0, 0, 0).single();
        let tokens = vec![
            (token("OWNER", false, None), driver(1, vec![])),
            (token("LISTED", false, None), driver(2, vec![])),
            (token("MEMBER", false, None), driver(3, vec![10])),
            (token("STRANGER", false, None), driver(4, vec![20])),
            (token("BLOCKED", true, None), driver(2, vec![])),
            (token("OLD", false, past), driver(2, vec![])),
            (token("SERVICE", false, None), None),
        ];
        let limited = rules(AccessMode::Limited { drivers: vec![DriverId(2)], groups: vec![GroupId(10)] });
        let tags = |r: &AccessRules| {
            wanted(r, &tokens, now()).into_iter().map(|e| e.tag.as_str().to_owned()).collect::<Vec<_>>()
        };
        assert_eq!(tags(&limited), ["LISTED", "MEMBER", "OWNER"]);
        assert_eq!(tags(&rules(AccessMode::Private)), ["OWNER"]);
        assert_eq!(tags(&rules(AccessMode::Public)), ["LISTED", "MEMBER", "OWNER", "SERVICE", "STRANGER"]);
        let free = AccessRules { authorization_required: false, ..rules(AccessMode::Public) };
        assert!(tags(&free).is_empty(), "free vend needs no list");
    }

    #[test]
    fn a_station_in_step_gets_only_the_changes_with_the_next_version() {
        let sent = Sent { version: 7, list: vec![entry("A"), entry("B"), entry("C")] };
        let mut b = entry("B");
        b.parent = Some(tag("FLEET"));
        let wanted = vec![entry("A"), b.clone(), entry("C"), entry("D")];
        let msgs = plan(Some(&sent), Some(7), &wanted, 100, 1000).expect("plan");
        assert_eq!(
            msgs,
            vec![Message {
                version: 8,
                update_type: UpdateType::Differential,
                changes: vec![Change::Upsert(b), Change::Upsert(entry("D"))]
            }]
        );
        let removed = plan(Some(&sent), Some(7), &[entry("A"), entry("B")], 100, 1000).expect("plan");
        assert_eq!(removed[0].changes, vec![Change::Remove(tag("C"))]);
        assert!(plan(Some(&sent), Some(7), &sent.list, 100, 1000).expect("plan").is_empty(), "nothing changed");
    }

    #[test]
    fn unknown_or_mismatched_versions_and_big_diffs_get_a_full_update() {
        let sent = Sent { version: 7, list: vec![entry("A"), entry("B"), entry("C")] };
        let wanted = vec![entry("A"), entry("B")];
        let mismatch = plan(Some(&sent), Some(3), &wanted, 100, 1000).expect("plan");
        assert_eq!(
            mismatch,
            vec![Message {
                version: 8,
                update_type: UpdateType::Full,
                changes: vec![Change::Upsert(entry("A")), Change::Upsert(entry("B"))]
            }]
        );
        let fresh = plan(None, Some(0), &wanted, 100, 1000).expect("plan");
        assert_eq!((fresh[0].version, fresh[0].update_type), (1, UpdateType::Full));
        let ahead = plan(None, Some(41), &wanted, 100, 1000).expect("plan");
        assert_eq!(ahead[0].version, 42, "never a version the station had");
        // Three removals and one addition for a list of one: a Full of one entry is smaller.
        let big = plan(Some(&sent), Some(7), &[entry("Z")], 100, 1000).expect("plan");
        assert_eq!(
            big,
            vec![Message { version: 8, update_type: UpdateType::Full, changes: vec![Change::Upsert(entry("Z"))] }]
        );
        // An empty list is a Full update that clears the station's.
        let cleared = plan(None, None, &[], 100, 1000).expect("plan");
        assert_eq!(cleared, vec![Message { version: 1, update_type: UpdateType::Full, changes: vec![] }]);
    }

    #[test]
    fn long_updates_are_split_and_too_long_lists_refused() {
        let wanted: Vec<Entry> = (0..5).map(|i| entry(&format!("T{i}"))).collect();
        let msgs = plan(None, Some(0), &wanted, 2, 10).expect("plan");
        let shape: Vec<(i32, UpdateType, usize)> =
            msgs.iter().map(|m| (m.version, m.update_type, m.changes.len())).collect();
        assert_eq!(
            shape,
            [(1, UpdateType::Full, 2), (2, UpdateType::Differential, 2), (3, UpdateType::Differential, 1)]
        );
        assert_eq!(plan(None, None, &wanted, 2, 4), Err(PlanError::TooLong { len: 5, max: 4 }));
    }
}
