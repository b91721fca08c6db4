//! Access rules on the station's paths ("Access"): the station's stored rules, the token's facts
//! and the station's time zone put together for [`joule_core::access::decide`], and the decision turned
//! into the idTagInfo a station is answered with (OCPP 1.6 §4.1 Authorize.conf, §4.8 StartTransaction.conf,
//! §7 IdTagInfo).

pub mod local_list;
mod rules;
pub(crate) mod tokens;

pub use joule_store::LocalListState;

/// The access use cases; borrows the [`crate::App`].
pub struct Access<'a> {
    app: &'a crate::App,
}

impl<'a> Access<'a> {
    pub(crate) fn new(app: &'a crate::App) -> Access<'a> {
        Access { app }
    }
}

use chrono_tz::Tz;
use joule_core::access::{self, AccessMode, AccessRules, ConnectorNo, Decision, Grant, TokenFacts, TokenState};
use joule_core::auth::{Authorization, AuthorizationStatus, IdToken};
use joule_core::station::Station;
use joule_core::{IdTag, Timestamp};
use joule_store::{Store, StoreError};

/// A decision with what went into it, for the station's answer and for `access check`.
#[derive(Debug, Clone)]
pub struct AccessCheck {
    pub decision: Decision,
    /// What the station is (or would be) answered: the decision's status, and as expiryDate the earlier of
    /// the token's expiry and the end of the window the acceptance rests on.
    pub authorization: Authorization,
    pub time_zone: Tz,
}

/// The rules of a station whose rules were never read (no station row): public, always open.
pub(crate) fn public(authorization_required: bool) -> AccessRules {
    AccessRules {
        owner: None,
        mode: AccessMode::Public,
        authorization_required,
        available_times: None,
        group_times: Vec::new(),
        connectors: Vec::new(),
    }
}

/// Decides for `tag` at `station` (on `connector`, or for the station as Authorize.req asks) at `at`.
/// A station that is not activated answers Invalid whatever its rules (the rule before access rules existed).
pub async fn check(
    store: &dyn Store,
    station: &Station,
    tag: &IdTag,
    connector: Option<u32>,
    at: Timestamp,
) -> Result<AccessCheck, StoreError> {
    let facts = store.token_facts(station.operator_id, tag).await?;
    let (token, driver) = match facts {
        Some(f) => (Some(f.token), f.driver),
        None => (None, None),
    };
    let rules = store.access_rules(&station.id).await?.unwrap_or_else(|| public(!station.free_vend));
    let time_zone = crate::billing::zone::station_zone(store, &station.id, station.operator_id).await?.tz;
    let facts = TokenFacts { state: TokenState::of(token.as_ref(), at), driver };
    // Connector 0 (or none) is the station itself (§4.8 names connectors from 1).
    let connector = connector.and_then(|c| ConnectorNo::new(c).ok());
    let decision = if station.state.may_charge() {
        access::decide(&rules, connector, &facts, at, time_zone)
    } else {
        Decision::Refused(access::Refusal::UnknownToken)
    };
    let until = access::accepted_until(&rules, connector, &facts, at, time_zone);
    let authorization = if station.state.may_charge() {
        authorization(&decision, token.as_ref(), until)
    } else {
        Authorization { status: AuthorizationStatus::Invalid, expires_at: None, parent: None }
    };
    Ok(AccessCheck { decision, authorization, time_zone })
}

/// The idTagInfo for a decision. For the default rules (public, authorization required, no times) this is
/// exactly what [`joule_core::auth::authorize`] answered before access rules existed: the token's expiry
/// and parent with Accepted, Blocked and Expired; nothing with Invalid for an unknown token.
fn authorization(decision: &Decision, token: Option<&IdToken>, until: Option<Timestamp>) -> Authorization {
    let parent = token.and_then(|t| t.parent.clone());
    let expiry = token.and_then(|t| t.expires_at);
    match decision {
        Decision::Allowed(Grant::FreeVend) => {
            Authorization { status: AuthorizationStatus::Accepted, expires_at: None, parent }
        }
        Decision::Allowed(_) => {
            let expires_at = match (expiry, until) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            Authorization { status: AuthorizationStatus::Accepted, expires_at, parent }
        }
        Decision::Refused(r) => {
            let status = r.status();
            match status {
                AuthorizationStatus::Blocked | AuthorizationStatus::Expired => {
                    Authorization { status, expires_at: expiry, parent }
                }
                // Unknown: nothing to tell. Not admitted or outside the times: the token is fine, so no
                // expiry is claimed for it; the parent still groups it (§7 IdTagInfo.parentIdTag).
                _ => Authorization { status, expires_at: None, parent: if token.is_some() { parent } else { None } },
            }
        }
    }
}
