//! A station's access rules and available times ("access rules and available times"), at
//! `/portal/stations/{id}/access`: who may charge (public, limited to drivers and groups, private), whether
//! authorization is required at all (off = free vend), the station's weekly windows and exceptions, the
//! groups' extra windows, and per-connector overrides; and a "may this token charge here at this time?"
//! check that explains the decision exactly as the station's Authorize (OCPP 1.6 §4.1) would get it.
//!
//! The page edits the API's access document (`GET/PUT /api/v1/stations/{id}/access`); the API validates it
//! (the times' syntax, unknown drivers and groups) and names the field, which the page shows atop the form
//! with what was entered kept.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{Method, StatusCode};
use axum::response::Response;
use serde::{Deserialize, Serialize};

use super::people::{Driver, Group};
use super::{FormError, Layout, checked_form, operator_of, redirect, refused, staff};
use crate::client::{Ctx, PageError, Web};
use crate::session::{Form, encode};
use crate::views::StationDetail;

/// The most connectors the page offers overrides for (the API allows 64).
const MAX_CONNECTORS: u32 = 64;

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct ConnectorRules {
    pub connector_id: u32,
    pub mode: Option<String>,
    #[serde(default)]
    pub drivers: Vec<i64>,
    #[serde(default)]
    pub groups: Vec<i64>,
    pub authorization_required: Option<bool>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GroupTimes {
    pub group_id: i64,
    pub times: String,
}

/// The API's access document, as the page reads and writes it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Rules {
    pub mode: String,
    #[serde(default)]
    pub drivers: Vec<i64>,
    #[serde(default)]
    pub groups: Vec<i64>,
    pub authorization_required: bool,
    pub available_times: Option<String>,
    #[serde(default)]
    pub group_times: Vec<GroupTimes>,
    #[serde(default)]
    pub connectors: Vec<ConnectorRules>,
    #[serde(default, skip_serializing)]
    pub time_zone: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Check {
    pub allowed: bool,
    pub status: String,
    pub explanation: String,
    pub expires_at: Option<chrono::DateTime<chrono::Utc>>,
    pub time_zone: String,
}

#[derive(Debug, Deserialize, Default)]
pub struct CheckQuery {
    #[serde(default)]
    pub id_tag: String,
    /// `YYYY-MM-DDTHH:MM` in the station's time zone (a datetime-local field); empty = now.
    #[serde(default)]
    pub at: String,
    #[serde(default)]
    pub connector: String,
    /// The station's zone, as the page that sent the check showed it.
    #[serde(default)]
    pub zone: String,
}

/// `YYYY-MM-DDTHH:MM` in `zone` as an instant; in a daylight-saving gap, the time after it, and in an
/// overlap the earlier of the two.
fn local_instant(zone: chrono_tz::Tz, text: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    use chrono::TimeZone;
    let naive = chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M")
        .or_else(|_| chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S"))
        .ok()?;
    let local = zone
        .from_local_datetime(&naive)
        .earliest()
        .or_else(|| zone.from_local_datetime(&(naive + chrono::Duration::hours(1))).earliest())?;
    Some(local.with_timezone(&chrono::Utc))
}

/// The station's local authorization list (OCPP 1.6 §3.5.3): what the stations hold of these rules offline.
#[derive(Debug, Clone, Deserialize)]
pub struct LocalList {
    pub supported: Option<bool>,
    pub station_version: Option<i32>,
    pub sent_version: Option<i32>,
    pub entries: usize,
    pub wanted: Option<usize>,
    pub in_step: Option<bool>,
    pub last_result: Option<String>,
    pub last_detail: Option<String>,
    pub last_at: Option<chrono::DateTime<chrono::Utc>>,
    pub online: bool,
}

impl LocalList {
    /// In words, for the badge: "in step", "behind", "not supported", "unknown".
    pub fn state(&self) -> (&'static str, &'static str) {
        // Whether the station keeps a list at all comes first: until it says, "behind" would be a guess.
        match (self.supported, self.in_step) {
            (Some(false), _) => ("off", "not supported"),
            (Some(true), Some(true)) => ("ok", "in step"),
            (Some(true), Some(false)) => ("busy", "behind"),
            _ => ("off", "unknown"),
        }
    }
}

#[derive(Template)]
#[template(path = "access.html")]
pub struct AccessPage {
    pub layout: Layout,
    pub station: String,
    pub rules: Rules,
    /// The connectors offered for overrides: the station's and any with rules already.
    pub connectors: Vec<ConnectorRules>,
    pub drivers: Vec<Driver>,
    pub groups: Vec<Group>,
    pub error: Option<FormError>,
    pub query: CheckQuery,
    pub check: Option<Result<Check, String>>,
    pub local_list: Option<LocalList>,
}

impl AccessPage {
    pub fn seg(&self) -> String {
        encode(&self.station)
    }

    pub fn is_mode(&self, mode: &str) -> bool {
        self.rules.mode == mode
    }

    pub fn admits_driver(&self, id: &i64) -> bool {
        self.rules.drivers.contains(id)
    }

    pub fn admits_group(&self, id: &i64) -> bool {
        self.rules.groups.contains(id)
    }

    pub fn group_times(&self, id: &i64) -> &str {
        self.rules.group_times.iter().find(|g| g.group_id == *id).map(|g| g.times.as_str()).unwrap_or("")
    }

    pub fn times(&self) -> &str {
        self.rules.available_times.as_deref().unwrap_or("")
    }

    pub fn zone(&self) -> &str {
        self.rules.time_zone.as_deref().unwrap_or("UTC")
    }
}

impl ConnectorRules {
    pub fn mode_is(&self, mode: &str) -> bool {
        self.mode.as_deref().unwrap_or("") == mode
    }

    pub fn auth_is(&self, value: &str) -> bool {
        let current = match self.authorization_required {
            None => "",
            Some(true) => "required",
            Some(false) => "free",
        };
        current == value
    }

    pub fn has_driver(&self, id: &i64) -> bool {
        self.drivers.contains(id)
    }

    pub fn has_group(&self, id: &i64) -> bool {
        self.groups.contains(id)
    }
}

/// The numbers of a multiple field (`driver`, `c2_group`, …); anything else is dropped.
fn ids(form: &Form, name: &str) -> Vec<i64> {
    form.all(name).filter_map(|v| v.trim().parse().ok()).collect()
}

/// The access document the form describes. Lists of a mode other than limited are dropped (the API refuses
/// them, but the form keeps the hidden selections when the mode is switched, so they are not a mistake).
fn rules_of(form: &Form, groups: &[Group]) -> Rules {
    let limited = |mode: &str| mode == "limited";
    let mode = form.get("mode").to_string();
    let connectors = form
        .all("connector")
        .filter_map(|c| c.parse::<u32>().ok())
        .filter(|c| (1..=MAX_CONNECTORS).contains(c))
        .map(|c| {
            let mode = form.opt(&format!("c{c}_mode"));
            let is_limited = mode.as_deref().is_some_and(limited);
            ConnectorRules {
                connector_id: c,
                drivers: if is_limited { ids(form, &format!("c{c}_driver")) } else { Vec::new() },
                groups: if is_limited { ids(form, &format!("c{c}_group")) } else { Vec::new() },
                mode,
                authorization_required: match form.get(&format!("c{c}_auth")) {
                    "required" => Some(true),
                    "free" => Some(false),
                    _ => None,
                },
            }
        })
        .filter(|c| c.mode.is_some() || c.authorization_required.is_some())
        .collect();
    Rules {
        drivers: if limited(&mode) { ids(form, "driver") } else { Vec::new() },
        groups: if limited(&mode) { ids(form, "group") } else { Vec::new() },
        mode,
        authorization_required: form.get("authorization_required") == "on",
        available_times: form.opt("available_times"),
        group_times: groups
            .iter()
            .filter_map(|g| form.opt(&format!("times_{}", g.id)).map(|times| GroupTimes { group_id: g.id, times }))
            .collect(),
        connectors,
        time_zone: None,
    }
}

async fn show(
    web: &Web,
    ctx: &Ctx,
    station: &str,
    entered: Option<(Rules, FormError)>,
    query: CheckQuery,
) -> Result<Response, PageError> {
    let account = staff(web, ctx).await?;
    let op = operator_of(ctx, &account)?;
    let sid = encode(station);
    let detail: StationDetail = web.get(ctx, &format!("/api/v1/stations/{sid}")).await?;
    let stored: Rules = web.get(ctx, &format!("/api/v1/stations/{sid}/access")).await?;
    let drivers: Vec<Driver> = web.get(ctx, &format!("/api/v1/operators/{op}/drivers")).await?;
    let groups: Vec<Group> = web.get(ctx, &format!("/api/v1/operators/{op}/groups")).await?;
    let (rules, error) = match entered {
        Some((mut rules, error)) => {
            rules.time_zone = stored.time_zone.clone();
            (rules, Some(error))
        }
        None => (stored, None),
    };
    let mut numbers: Vec<u32> = detail.connectors.iter().map(|c| c.connector_id).filter(|c| *c > 0).collect();
    numbers.extend(rules.connectors.iter().map(|c| c.connector_id));
    numbers.sort_unstable();
    numbers.dedup();
    let connectors = numbers
        .into_iter()
        .map(|n| {
            rules
                .connectors
                .iter()
                .find(|c| c.connector_id == n)
                .cloned()
                .unwrap_or(ConnectorRules { connector_id: n, ..ConnectorRules::default() })
        })
        .collect();
    let check = if query.id_tag.trim().is_empty() { None } else { Some(check(web, ctx, &sid, &query).await) };
    // The local list's state is shown when it can be read (a viewer may; nothing breaks if it cannot).
    let local_list = web.get::<LocalList>(ctx, &format!("/api/v1/stations/{sid}/local-list")).await.ok();
    let layout = Layout::new(ctx, format!("Access to {station}"), Some(&account), "/portal/stations");
    let status = if error.is_some() { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    let view = AccessPage {
        layout,
        station: station.to_string(),
        rules,
        connectors,
        drivers,
        groups,
        error,
        query,
        check,
        local_list,
    };
    Ok(super::page(ctx, status, view.render()))
}

/// The API's check for the query's token; the entered local time becomes an instant in the station's zone.
async fn check(web: &Web, ctx: &Ctx, sid: &str, query: &CheckQuery) -> Result<Check, String> {
    let mut path = format!("/api/v1/stations/{sid}/access/check?id_tag={}", encode(query.id_tag.trim()));
    if let Ok(c) = query.connector.trim().parse::<u32>() {
        path.push_str(&format!("&connector={c}"));
    }
    if !query.at.trim().is_empty() {
        // The zone is the station's, which the API names (in the access document and the check's answer).
        let zone: chrono_tz::Tz = query.zone.parse().unwrap_or(chrono_tz::UTC);
        let at =
            local_instant(zone, query.at.trim()).ok_or_else(|| format!("{:?} is not a date and time", query.at))?;
        path.push_str(&format!("&at={}", encode(&at.to_rfc3339())));
    }
    let reply = web.call(ctx, Method::GET, &path, None).await;
    if !reply.ok() {
        let p = reply.problem();
        return Err(match p.field {
            Some(f) => format!("{f}: {}", p.detail),
            None => p.detail,
        });
    }
    reply.json().map_err(|_| "the check's answer could not be read".to_string())
}

pub async fn page(
    State(web): State<Web>,
    ctx: Ctx,
    Path(station): Path<String>,
    Query(query): Query<CheckQuery>,
) -> Result<Response, PageError> {
    show(&web, &ctx, &station, None, query).await
}

pub async fn save(
    State(web): State<Web>,
    ctx: Ctx,
    Path(station): Path<String>,
    body: Bytes,
) -> Result<Response, PageError> {
    let form = checked_form(&ctx, &body)?;
    let account = staff(&web, &ctx).await?;
    let op = operator_of(&ctx, &account)?;
    let groups: Vec<Group> = web.get(&ctx, &format!("/api/v1/operators/{op}/groups")).await?;
    let rules = rules_of(&form, &groups);
    let sid = encode(&station);
    let document = serde_json::to_value(&rules).unwrap_or_default();
    let reply = web.call(&ctx, Method::PUT, &format!("/api/v1/stations/{sid}/access"), Some(&document)).await;
    if !reply.ok() {
        if matches!(reply.status.as_u16(), 400 | 409) {
            return show(&web, &ctx, &station, Some((rules, refused("access", &reply))), CheckQuery::default()).await;
        }
        return Err(PageError::from_reply(&reply).at(&ctx));
    }
    let message = "Access rules saved; stations with a local list get the change within seconds.";
    Ok(redirect(&ctx, &format!("/portal/stations/{sid}/access"), Some(message)))
}

/// Syncs the station's local list now (`retry` also forgets an earlier NotSupported), then back to the page
/// with what happened.
pub async fn sync_list(
    State(web): State<Web>,
    ctx: Ctx,
    Path(station): Path<String>,
    body: Bytes,
) -> Result<Response, PageError> {
    let form = checked_form(&ctx, &body)?;
    let sid = encode(&station);
    let retry = if form.get("retry") == "true" { "?retry=true" } else { "" };
    let reply = web.call(&ctx, Method::POST, &format!("/api/v1/stations/{sid}/local-list/sync{retry}"), None).await;
    let here = format!("/portal/stations/{sid}/access#local-list-h");
    if !reply.ok() {
        if matches!(reply.status.as_u16(), 400 | 409 | 429 | 502 | 504) {
            let p = reply.problem();
            return Ok(redirect(&ctx, &here, Some(&format!("Local list not synced: {}", p.detail))));
        }
        return Err(PageError::from_reply(&reply).at(&ctx));
    }
    let answer: serde_json::Value = serde_json::from_slice(&reply.body).unwrap_or_default();
    let updates = answer["updates"].as_array().map(Vec::len).unwrap_or(0);
    let message = if updates == 0 {
        "Local list: nothing to send, the station is in step.".to_string()
    } else {
        format!("Local list: {updates} update(s) sent.")
    };
    Ok(redirect(&ctx, &here, Some(&message)))
}
