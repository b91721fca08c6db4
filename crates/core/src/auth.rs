//! Id tokens and the rule that decides whether one may charge.

use crate::{IdTag, OperatorId, Timestamp};

/// A driver's token as the operator registered it.
#[derive(Debug, Clone, PartialEq)]
pub struct IdToken {
    pub operator_id: OperatorId,
    pub tag: IdTag,
    /// The group this token belongs to (OCPP 1.6 parentIdTag): tokens with the same parent may stop each
    /// other's sessions.
    pub parent: Option<IdTag>,
    pub expires_at: Option<Timestamp>,
    pub blocked: bool,
}

/// OCPP 1.6 AuthorizationStatus (§7.2); 2.0.1 has the same meanings among its AuthorizationStatusEnumType.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthorizationStatus {
    Accepted,
    Blocked,
    Expired,
    Invalid,
    ConcurrentTx,
}

impl AuthorizationStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            AuthorizationStatus::Accepted => "Accepted",
            AuthorizationStatus::Blocked => "Blocked",
            AuthorizationStatus::Expired => "Expired",
            AuthorizationStatus::Invalid => "Invalid",
            AuthorizationStatus::ConcurrentTx => "ConcurrentTx",
        }
    }

    pub fn parse(s: &str) -> Option<AuthorizationStatus> {
        [Self::Accepted, Self::Blocked, Self::Expired, Self::Invalid, Self::ConcurrentTx]
            .into_iter()
            .find(|a| a.as_str() == s)
    }
}

/// The answer to "may this tag charge here now" (OCPP 1.6 IdTagInfo).
#[derive(Debug, Clone, PartialEq)]
pub struct Authorization {
    pub status: AuthorizationStatus,
    /// Until when the station may cache the answer: the token's own expiry.
    pub expires_at: Option<Timestamp>,
    pub parent: Option<IdTag>,
}

/// Decides whether `token` (looked up under the station's operator; `None` if the operator has no such tag)
/// may charge at `now`. A station in free-vend mode accepts any tag: it charges anyway, and refusing its
/// report would only make it retry.
///
/// The checks follow OCPP 1.6 §4.1 / §7.2: unknown → Invalid, blocked → Blocked, past its expiry → Expired.
pub fn authorize(token: Option<&IdToken>, now: Timestamp, free_vend: bool) -> Authorization {
    if free_vend {
        return Authorization {
            status: AuthorizationStatus::Accepted,
            expires_at: None,
            parent: token.and_then(|t| t.parent.clone()),
        };
    }
    let Some(token) = token else {
        return Authorization { status: AuthorizationStatus::Invalid, expires_at: None, parent: None };
    };
    let status = if token.blocked {
        AuthorizationStatus::Blocked
    } else if token.expires_at.is_some_and(|exp| exp <= now) {
        AuthorizationStatus::Expired
    } else {
        AuthorizationStatus::Accepted
    };
    Authorization { status, expires_at: token.expires_at, parent: token.parent.clone() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone, Utc};

    fn token(blocked: bool, expires_in: Option<i64>) -> IdToken {
        let now = Utc.with_ymd_and_hms(2026, 1, 1, 12, 0, 0).unwrap();
        IdToken {
            operator_id: OperatorId(1),
            tag: IdTag::parse("TAG1").unwrap(),
            parent: Some(IdTag::parse("FLEET").unwrap()),
            expires_at: expires_in.map(|s| now + Duration::seconds(s)),
            blocked,
        }
    }

    #[test]
    fn the_rules() {
        let now = Utc.with_ymd_and_hms(2026, 1, 1, 12, 0, 0).unwrap();
        assert_eq!(authorize(None, now, false).status, AuthorizationStatus::Invalid);
        assert_eq!(authorize(Some(&token(false, None)), now, false).status, AuthorizationStatus::Accepted);
        assert_eq!(authorize(Some(&token(true, None)), now, false).status, AuthorizationStatus::Blocked);
        assert_eq!(authorize(Some(&token(false, Some(-1))), now, false).status, AuthorizationStatus::Expired);
        assert_eq!(authorize(Some(&token(false, Some(0))), now, false).status, AuthorizationStatus::Expired);
        let ok = authorize(Some(&token(false, Some(60))), now, false);
        assert_eq!(ok.status, AuthorizationStatus::Accepted);
        assert_eq!(ok.parent.unwrap().as_str(), "FLEET");
        assert!(ok.expires_at.is_some());
        // Blocked wins over expired.
        assert_eq!(authorize(Some(&token(true, Some(-1))), now, false).status, AuthorizationStatus::Blocked);
        // Free vend accepts anything, even unknown and blocked tags.
        assert_eq!(authorize(None, now, true).status, AuthorizationStatus::Accepted);
        assert_eq!(authorize(Some(&token(true, None)), now, true).status, AuthorizationStatus::Accepted);
    }
}
