//! Access rules of a station ("Access"): who may charge there and when, read and replaced as one
//! document, and the explanation of a decision (`access/check`). The rules themselves are
//! [`joule_core::access`]; what a station is answered is [`joule_app::access`].
//!
//! Roles: any role of the station's operator reads the rules and checks a decision (viewer and up); an
//! operator (and up) replaces them. The owner of a station reaches it only through the owner routes
//! (`/me/stations`), which do not include the rules yet.

use axum::Json;
use axum::extract::{Path, State};
use chrono::{DateTime, Utc};
use joule_core::access::{
    AccessMode, AccessRules, AvailableTimes, ConnectorAccess, ConnectorNo, DriverId, GroupId, GroupTimes,
};
use joule_core::{IdTag, Role};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::ApiState;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{Body, Query};
use crate::params;

/// Bounds on one document (DESIGN rule 5): lists this long are a mistake, not a station.
const MAX_CONNECTORS: usize = 64;
const MAX_LISTED: usize = 10_000;
const MAX_GROUP_TIMES: usize = 100;

/// A connector's overrides; a field left out (null) follows the station.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConnectorRules {
    /// From 1.
    pub connector_id: u32,
    /// public, limited or private; null follows the station.
    #[serde(default)]
    pub mode: Option<String>,
    /// With mode limited: the driver ids admitted at this connector.
    #[serde(default)]
    pub drivers: Vec<i64>,
    /// With mode limited: the group ids whose members are admitted at this connector.
    #[serde(default)]
    pub groups: Vec<i64>,
    /// Off = free vend at this connector; null follows the station.
    #[serde(default)]
    pub authorization_required: Option<bool>,
}

/// A group's available times at this station (they extend the station's for the group's members).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupTimesView {
    pub group_id: i64,
    /// Text form, as `available_times`.
    pub times: String,
}

/// A station's access rules as one document (GET answers it, PUT replaces it).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccessDocument {
    /// public (any valid token of the operator), limited (the owner, the listed drivers and groups) or
    /// private (the owner only).
    pub mode: String,
    /// With mode limited: the driver ids admitted.
    #[serde(default)]
    pub drivers: Vec<i64>,
    /// With mode limited: the group ids whose members are admitted.
    #[serde(default)]
    pub groups: Vec<i64>,
    /// Off = free vend (the station's `free_vend`): everybody charges, rules and times do not apply.
    pub authorization_required: bool,
    /// Weekly windows and exceptions in the station's time zone, e.g.
    /// `mon-fri 07:00-19:00; sat 09:00-13:00; 2026-12-25 closed; 2026-12-24 08:00-12:00`; null = always open.
    #[serde(default)]
    pub available_times: Option<String>,
    #[serde(default)]
    pub group_times: Vec<GroupTimesView>,
    #[serde(default)]
    pub connectors: Vec<ConnectorRules>,
    /// The station's time zone (the installation's; UTC when none is pinpointed). Ignored in a PUT.
    #[serde(default)]
    pub time_zone: Option<String>,
}

fn mode_of(field: &str, name: &str, drivers: &[i64], groups: &[i64]) -> ApiResult<AccessMode> {
    let mode = match name {
        "public" => AccessMode::Public,
        "private" => AccessMode::Private,
        "limited" => {
            if drivers.len() + groups.len() > MAX_LISTED {
                return Err(ApiError::invalid(field, format!("at most {MAX_LISTED} drivers and groups")));
            }
            return Ok(AccessMode::Limited {
                drivers: drivers.iter().copied().map(DriverId).collect(),
                groups: groups.iter().copied().map(GroupId).collect(),
            });
        }
        other => return Err(ApiError::invalid(field, format!("{other:?}: expected public, limited or private"))),
    };
    if !drivers.is_empty() || !groups.is_empty() {
        return Err(ApiError::invalid(field, format!("drivers and groups are lists of a limited mode, not of {name}")));
    }
    Ok(mode)
}

fn times_of(field: &str, text: &str) -> ApiResult<AvailableTimes> {
    AvailableTimes::parse(text).map_err(|e| ApiError::invalid(field, e.to_string()))
}

impl AccessDocument {
    fn rules(&self) -> ApiResult<AccessRules> {
        if self.connectors.len() > MAX_CONNECTORS {
            return Err(ApiError::invalid("connectors", format!("at most {MAX_CONNECTORS}")));
        }
        if self.group_times.len() > MAX_GROUP_TIMES {
            return Err(ApiError::invalid("group_times", format!("at most {MAX_GROUP_TIMES}")));
        }
        let mut connectors = Vec::new();
        for (i, c) in self.connectors.iter().enumerate() {
            let field = format!("connectors[{i}]");
            let connector = ConnectorNo::new(c.connector_id)
                .map_err(|e| ApiError::invalid(format!("{field}.connector_id"), e.to_string()))?;
            if connectors.iter().any(|o: &ConnectorAccess| o.connector == connector) {
                return Err(ApiError::invalid(field, format!("connector {} is given twice", c.connector_id)));
            }
            let mode = match &c.mode {
                Some(m) => Some(mode_of(&format!("{field}.mode"), m, &c.drivers, &c.groups)?),
                None if !c.drivers.is_empty() || !c.groups.is_empty() => {
                    return Err(ApiError::invalid(field, "drivers and groups need mode limited"));
                }
                None => None,
            };
            connectors.push(ConnectorAccess { connector, mode, authorization_required: c.authorization_required });
        }
        let mut group_times: Vec<GroupTimes> = Vec::new();
        for (i, g) in self.group_times.iter().enumerate() {
            if group_times.iter().any(|o| o.group.0 == g.group_id) {
                return Err(ApiError::invalid(
                    format!("group_times[{i}]"),
                    format!("group {} is given twice", g.group_id),
                ));
            }
            group_times.push(GroupTimes {
                group: GroupId(g.group_id),
                times: times_of(&format!("group_times[{i}].times"), &g.times)?,
            });
        }
        Ok(AccessRules {
            owner: None,
            mode: mode_of("mode", &self.mode, &self.drivers, &self.groups)?,
            authorization_required: self.authorization_required,
            available_times: self.available_times.as_deref().map(|t| times_of("available_times", t)).transpose()?,
            group_times,
            connectors,
        })
    }

    fn of(rules: &AccessRules, time_zone: chrono_tz::Tz) -> AccessDocument {
        let lists = |m: &AccessMode| match m {
            AccessMode::Limited { drivers, groups } => {
                (drivers.iter().map(|d| d.0).collect(), groups.iter().map(|g| g.0).collect())
            }
            _ => (Vec::new(), Vec::new()),
        };
        let (drivers, groups) = lists(&rules.mode);
        AccessDocument {
            mode: rules.mode.name().to_string(),
            drivers,
            groups,
            authorization_required: rules.authorization_required,
            available_times: rules.available_times.as_ref().map(|t| t.to_string()),
            group_times: rules
                .group_times
                .iter()
                .map(|g| GroupTimesView { group_id: g.group.0, times: g.times.to_string() })
                .collect(),
            connectors: rules
                .connectors
                .iter()
                .map(|c| {
                    let (drivers, groups) = c.mode.as_ref().map(lists).unwrap_or_default();
                    ConnectorRules {
                        connector_id: c.connector.get(),
                        mode: c.mode.as_ref().map(|m| m.name().to_string()),
                        drivers,
                        groups,
                        authorization_required: c.authorization_required,
                    }
                })
                .collect(),
            time_zone: Some(time_zone.name().to_string()),
        }
    }
}

/// The station's access rules (public, always open, authorization as the station's free vend until set).
#[utoipa::path(get, path = "/api/v1/stations/{station_id}/access", tag = "access",
    params(("station_id" = String, Path)),
    responses((status = 200, body = AccessDocument), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get(
    State(state): State<ApiState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<AccessDocument>> {
    caller.require(Role::Viewer)?;
    let (id, _) = state.station(&caller, &id).await?;
    let (rules, tz) = state.app.access().access_rules(&caller.actor(), &id).await?;
    Ok(Json(AccessDocument::of(&rules, tz)))
}

/// Replaces the station's access rules (operator role). A value the rules cannot hold is a 400 naming the
/// field; nothing is changed then. Applies to the next Authorize or StartTransaction.
#[utoipa::path(put, path = "/api/v1/stations/{station_id}/access", tag = "access",
    params(("station_id" = String, Path)), request_body = AccessDocument,
    responses((status = 200, body = AccessDocument), (status = 400, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
pub async fn put(
    State(state): State<ApiState>,
    caller: Caller,
    Path(id): Path<String>,
    Body(doc): Body<AccessDocument>,
) -> ApiResult<Json<AccessDocument>> {
    caller.require(Role::Operator)?;
    let (id, _) = state.station(&caller, &id).await?;
    let rules = doc.rules()?;
    let (stored, tz) = state.app.access().set_access_rules(&caller.actor(), &id, &rules).await?;
    Ok(Json(AccessDocument::of(&stored, tz)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CheckQuery {
    /// The idTag presented.
    id_tag: String,
    /// The instant (RFC 3339); now when absent.
    at: Option<String>,
    /// The connector (from 1); absent: as Authorize.req, which names none.
    connector: Option<u32>,
}

/// The decision for a token at a station and an instant, explained.
#[derive(Debug, Serialize, ToSchema)]
pub struct CheckView {
    pub allowed: bool,
    /// The OCPP 1.6 idTagInfo status the station is answered: Accepted, Blocked, Expired or Invalid.
    pub status: String,
    /// "allowed: …" or "refused: …".
    pub explanation: String,
    /// idTagInfo.expiryDate: the earlier of the token's expiry and the end of the window the answer rests on.
    pub expires_at: Option<DateTime<Utc>>,
    pub at: DateTime<Utc>,
    pub time_zone: String,
}

/// Explains whether `id_tag` may charge at the station (on `connector`) at `at`: the same decision the
/// station's Authorize or StartTransaction gets.
#[utoipa::path(get, path = "/api/v1/stations/{station_id}/access/check", tag = "access",
    params(("station_id" = String, Path), CheckQuery),
    responses((status = 200, body = CheckView), (status = 400, body = Problem), (status = 404, body = Problem)))]
pub async fn check(
    State(state): State<ApiState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(q): Query<CheckQuery>,
) -> ApiResult<Json<CheckView>> {
    caller.require(Role::Viewer)?;
    let (_, station) = state.station(&caller, &id).await?;
    let tag = IdTag::parse(&q.id_tag).map_err(|e| ApiError::invalid("id_tag", e.to_string()))?;
    let at = params::time("at", q.at.as_deref())?.unwrap_or_else(Utc::now);
    let c = state.app.charging().check_access(&station, &tag, q.connector, at).await?;
    Ok(Json(CheckView {
        allowed: c.decision.is_allowed(),
        status: c.authorization.status.as_str().to_string(),
        explanation: explanation(&c.decision, station.state.may_charge()),
        expires_at: c.authorization.expires_at,
        at,
        time_zone: c.time_zone.name().to_string(),
    }))
}

fn explanation(decision: &joule_core::access::Decision, activated: bool) -> String {
    if activated { decision.to_string() } else { "refused: the station is not activated".to_string() }
}

/// Refuses a request to start a session that the access rules would refuse: nothing is sent, and the
/// caller is told why (409). A tag unknown to the operator is sent as before. Checked on the connector
/// asked for (or the station, as an authorization that names none).
pub async fn refuse_remote_start(
    state: &ApiState,
    caller: &Caller,
    station: &str,
    tag: &IdTag,
    connector: Option<u32>,
) -> ApiResult<()> {
    caller.require(Role::Operator)?;
    let (_, station) = state.station(caller, station).await?;
    let c = state.app.charging().check_access(&station, tag, connector, Utc::now()).await?;
    match &c.decision {
        // A tag the operator does not know is sent as before (operators start sessions for tags registered
        // elsewhere, e.g. roaming, and the station's own authorization still refuses it): the pre-check
        // refuses what the rules refuse, not what the registry lacks.
        joule_core::access::Decision::Refused(joule_core::access::Refusal::UnknownToken) => Ok(()),
        joule_core::access::Decision::Refused(r) if station.state.may_charge() => Err(ApiError {
            field: Some("id_tag".into()),
            ..ApiError::new(crate::error::Kind::Conflict, r.remote_start_text())
        }),
        _ => Ok(()),
    }
}
