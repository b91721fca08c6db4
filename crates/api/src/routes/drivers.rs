//! Drivers, groups and the bulk import of id tokens ("Access").
//!
//! A driver holds id tokens (OCPP 1.6 IdToken, §7.28); groups of drivers (employees, residents) are what
//! access rules and group tariffs name. Roles as for `/api/v1/id-tokens`: reading needs any role of the
//! operator, writing the operator role or above. Another operator's id in the path is a 404, as if it did
//! not exist. Every write is recorded in the audit log.

use std::collections::{BTreeSet, HashMap};

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use joule_core::access::{DriverId, DriverName, GroupId, GroupName};
use joule_core::account::{AccountId, Email};
use joule_core::auth::IdToken;
use joule_core::{IdTag, OperatorId, Role};
use joule_store::{Driver, DriverGroup, ImportDriver, ImportGroup, ImportStep, NewDriver, TokenImport};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::{IntoParams, ToSchema};

use super::accounts::audit_by;
use crate::ApiState;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{Body, Query};
use crate::model::IdTokenView;
use crate::token_import::{self as import, Counts, DriverRef, GroupRef, Outcome, Rejection};

fn own(caller: &Caller, id: i64) -> ApiResult<OperatorId> {
    if caller.operator_id.0 == id {
        Ok(caller.operator_id)
    } else {
        Err(ApiError::not_found(format!("no operator {id}")))
    }
}

fn tag(field: &str, s: &str) -> ApiResult<IdTag> {
    IdTag::parse(s).map_err(|e| ApiError::invalid(field, e.to_string()))
}

/// A group as a driver's membership shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct GroupRefView {
    pub id: i64,
    pub name: String,
}

/// A driver: a person (or fleet) holding id tokens.
#[derive(Debug, Serialize, ToSchema)]
pub struct DriverView {
    pub id: i64,
    pub name: String,
    pub email: Option<String>,
    /// The person's account (of this operator), if they have one.
    pub account_id: Option<i64>,
    /// The driver's groups, by name.
    pub groups: Vec<GroupRefView>,
    /// The driver's tokens (only when one driver is read).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tokens: Option<Vec<IdTokenView>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A driver's details; `email` and `account_id` may be left out (none).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DriverInput {
    /// 1 to 100 characters.
    pub name: String,
    pub email: Option<String>,
    /// An account of the same operator (e.g. a station owner who charges at their own station).
    pub account_id: Option<i64>,
}

/// A group of drivers with the number of its members.
#[derive(Debug, Serialize, ToSchema)]
pub struct GroupView {
    pub id: i64,
    pub name: String,
    pub members: u64,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupInput {
    /// 1 to 64 characters, unique among the operator's groups.
    pub name: String,
}

async fn group_names(state: &ApiState, operator: OperatorId) -> ApiResult<HashMap<GroupId, String>> {
    let groups = state.app.store().groups(operator).await?;
    Ok(groups.into_iter().map(|g| (g.group.id, g.group.name.as_str().to_owned())).collect())
}

fn driver_view(d: Driver, names: &HashMap<GroupId, String>, tokens: Option<Vec<IdToken>>) -> DriverView {
    let mut groups: Vec<GroupRefView> =
        d.groups.iter().map(|g| GroupRefView { id: g.0, name: names.get(g).cloned().unwrap_or_default() }).collect();
    groups.sort_by(|a, b| a.name.cmp(&b.name));
    DriverView {
        id: d.id.0,
        name: d.name.as_str().to_owned(),
        email: d.email.map(|e| e.as_str().to_owned()),
        account_id: d.account_id.map(|a| a.0),
        groups,
        tokens: tokens.map(|t| t.into_iter().map(Into::into).collect()),
        created_at: d.created_at,
        updated_at: d.updated_at,
    }
}

fn group_view(g: DriverGroup) -> GroupView {
    GroupView { id: g.group.id.0, name: g.group.name.as_str().to_owned(), members: g.members, created_at: g.created_at }
}

/// Checks the input; the account, if any, must be one of the operator's (else 400 naming `account_id`).
async fn new_driver(state: &ApiState, operator: OperatorId, input: &DriverInput) -> ApiResult<NewDriver> {
    let name = DriverName::parse(&input.name).map_err(|e| ApiError::invalid("name", e.to_string()))?;
    let email = input
        .email
        .as_deref()
        .filter(|e| !e.trim().is_empty())
        .map(Email::parse)
        .transpose()
        .map_err(|e| ApiError::invalid("email", e.to_string()))?;
    let account_id = match input.account_id {
        None => None,
        Some(a) => {
            let account = state.app.store().account(AccountId(a)).await?;
            match account {
                Some(acc) if acc.operator_id == Some(operator) => Some(acc.id),
                _ => return Err(ApiError::invalid("account_id", format!("the operator has no account {a}"))),
            }
        }
    };
    Ok(NewDriver { operator_id: operator, name, email, account_id, at: Utc::now() })
}

async fn driver_or_404(state: &ApiState, operator: OperatorId, id: i64) -> ApiResult<Driver> {
    state
        .app
        .store()
        .driver(operator, DriverId(id))
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no driver {id}")))
}

// ----- drivers -----

/// The operator's drivers, by name, with their groups.
#[utoipa::path(get, path = "/api/v1/operators/{operator_id}/drivers", tag = "drivers",
    params(("operator_id" = i64, Path)),
    responses((status = 200, body = Vec<DriverView>), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn list_drivers(
    State(state): State<ApiState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<Vec<DriverView>>> {
    let op = own(&caller, id)?;
    caller.require(Role::Viewer)?;
    let names = group_names(&state, op).await?;
    let drivers = state.app.store().drivers(op).await?;
    Ok(Json(drivers.into_iter().map(|d| driver_view(d, &names, None)).collect()))
}

/// Adds a driver (operator role). 409 if the account is linked to another driver already.
#[utoipa::path(post, path = "/api/v1/operators/{operator_id}/drivers", tag = "drivers",
    params(("operator_id" = i64, Path)), request_body = DriverInput,
    responses((status = 201, body = DriverView), (status = 400, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn create_driver(
    State(state): State<ApiState>,
    caller: Caller,
    Path(id): Path<i64>,
    Body(input): Body<DriverInput>,
) -> ApiResult<(StatusCode, Json<DriverView>)> {
    let op = own(&caller, id)?;
    caller.require(Role::Operator)?;
    let new = new_driver(&state, op, &input).await?;
    let driver = state.app.store().create_driver(&new).await?;
    let view = driver_view(driver, &HashMap::new(), Some(Vec::new()));
    audit_by(&state, &caller, "driver.create", format!("driver:{}", view.id), None, serde_json::to_value(&view).ok())
        .await;
    Ok((StatusCode::CREATED, Json(view)))
}

/// One driver, with their groups and tokens.
#[utoipa::path(get, path = "/api/v1/operators/{operator_id}/drivers/{driver_id}", tag = "drivers",
    params(("operator_id" = i64, Path), ("driver_id" = i64, Path)),
    responses((status = 200, body = DriverView), (status = 404, body = Problem)))]
pub async fn get_driver(
    State(state): State<ApiState>,
    caller: Caller,
    Path((id, driver)): Path<(i64, i64)>,
) -> ApiResult<Json<DriverView>> {
    let op = own(&caller, id)?;
    caller.require(Role::Viewer)?;
    let d = driver_or_404(&state, op, driver).await?;
    let tokens = state.app.store().driver_tokens(op, d.id).await?;
    let names = group_names(&state, op).await?;
    Ok(Json(driver_view(d, &names, Some(tokens))))
}

/// Replaces a driver's name, e-mail and account link (operator role).
#[utoipa::path(put, path = "/api/v1/operators/{operator_id}/drivers/{driver_id}", tag = "drivers",
    params(("operator_id" = i64, Path), ("driver_id" = i64, Path)), request_body = DriverInput,
    responses((status = 200, body = DriverView), (status = 400, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn update_driver(
    State(state): State<ApiState>,
    caller: Caller,
    Path((id, driver)): Path<(i64, i64)>,
    Body(input): Body<DriverInput>,
) -> ApiResult<Json<DriverView>> {
    let op = own(&caller, id)?;
    caller.require(Role::Operator)?;
    let before = driver_or_404(&state, op, driver).await?;
    let new = new_driver(&state, op, &input).await?;
    let store = state.app.store();
    let after = store.update_driver(DriverId(driver), &new).await?;
    let names = group_names(&state, op).await?;
    let tokens = store.driver_tokens(op, after.id).await?;
    let before = driver_view(before, &names, None);
    let view = driver_view(after, &names, Some(tokens));
    audit_by(
        &state,
        &caller,
        "driver.update",
        format!("driver:{driver}"),
        serde_json::to_value(&before).ok(),
        serde_json::to_value(&view).ok(),
    )
    .await;
    Ok(Json(view))
}

/// Removes a driver and their memberships (operator role); their tokens stay registered, without a driver.
#[utoipa::path(delete, path = "/api/v1/operators/{operator_id}/drivers/{driver_id}", tag = "drivers",
    params(("operator_id" = i64, Path), ("driver_id" = i64, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn delete_driver(
    State(state): State<ApiState>,
    caller: Caller,
    Path((id, driver)): Path<(i64, i64)>,
) -> ApiResult<StatusCode> {
    let op = own(&caller, id)?;
    caller.require(Role::Operator)?;
    let before = driver_or_404(&state, op, driver).await?;
    state.app.store().delete_driver(op, DriverId(driver)).await?;
    // --- local authorization list sync: the operator's stations' lists may change ---
    state.app.local_list_marks().mark_operator(op);
    let before = driver_view(before, &HashMap::new(), None);
    audit_by(&state, &caller, "driver.delete", format!("driver:{driver}"), serde_json::to_value(&before).ok(), None)
        .await;
    Ok(StatusCode::NO_CONTENT)
}

/// Links a registered token to the driver (operator role); a token has at most one driver, so this moves
/// it from any other.
#[utoipa::path(put, path = "/api/v1/operators/{operator_id}/drivers/{driver_id}/tokens/{id_tag}", tag = "drivers",
    params(("operator_id" = i64, Path), ("driver_id" = i64, Path), ("id_tag" = String, Path)),
    responses((status = 204), (status = 400, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
pub async fn link_token(
    State(state): State<ApiState>,
    caller: Caller,
    Path((id, driver, t)): Path<(i64, i64, String)>,
) -> ApiResult<StatusCode> {
    let op = own(&caller, id)?;
    caller.require(Role::Operator)?;
    let t = tag("id_tag", &t)?;
    driver_or_404(&state, op, driver).await?;
    let store = state.app.store();
    if store.id_token(op, &t).await?.is_none() {
        return Err(ApiError::not_found(format!("no id token {t}")));
    }
    store.set_token_driver(op, &t, Some(DriverId(driver))).await?;
    // --- local authorization list sync: the operator's stations' lists may change ---
    state.app.local_list_marks().mark_operator(op);
    audit_by(&state, &caller, "driver.link", format!("driver:{driver}"), None, Some(json!({"id_tag": t.to_string()})))
        .await;
    Ok(StatusCode::NO_CONTENT)
}

/// Unlinks the token from the driver (operator role). 404 if the token is not the driver's.
#[utoipa::path(delete, path = "/api/v1/operators/{operator_id}/drivers/{driver_id}/tokens/{id_tag}", tag = "drivers",
    params(("operator_id" = i64, Path), ("driver_id" = i64, Path), ("id_tag" = String, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn unlink_token(
    State(state): State<ApiState>,
    caller: Caller,
    Path((id, driver, t)): Path<(i64, i64, String)>,
) -> ApiResult<StatusCode> {
    let op = own(&caller, id)?;
    caller.require(Role::Operator)?;
    let t = tag("id_tag", &t)?;
    let d = driver_or_404(&state, op, driver).await?;
    let store = state.app.store();
    if !store.driver_tokens(op, d.id).await?.iter().any(|x| x.tag == t) {
        return Err(ApiError::not_found(format!("id token {t} is not driver {driver}'s")));
    }
    store.set_token_driver(op, &t, None).await?;
    // --- local authorization list sync: the operator's stations' lists may change ---
    state.app.local_list_marks().mark_operator(op);
    audit_by(
        &state,
        &caller,
        "driver.unlink",
        format!("driver:{driver}"),
        Some(json!({"id_tag": t.to_string()})),
        None,
    )
    .await;
    Ok(StatusCode::NO_CONTENT)
}

// ----- groups -----

/// The operator's groups, by name, with member counts.
#[utoipa::path(get, path = "/api/v1/operators/{operator_id}/groups", tag = "drivers",
    params(("operator_id" = i64, Path)),
    responses((status = 200, body = Vec<GroupView>), (status = 404, body = Problem)))]
pub async fn list_groups(
    State(state): State<ApiState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<Vec<GroupView>>> {
    let op = own(&caller, id)?;
    caller.require(Role::Viewer)?;
    Ok(Json(state.app.store().groups(op).await?.into_iter().map(group_view).collect()))
}

/// Adds a group (operator role). 409 if the operator has a group of this name.
#[utoipa::path(post, path = "/api/v1/operators/{operator_id}/groups", tag = "drivers",
    params(("operator_id" = i64, Path)), request_body = GroupInput,
    responses((status = 201, body = GroupView), (status = 400, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn create_group(
    State(state): State<ApiState>,
    caller: Caller,
    Path(id): Path<i64>,
    Body(input): Body<GroupInput>,
) -> ApiResult<(StatusCode, Json<GroupView>)> {
    let op = own(&caller, id)?;
    caller.require(Role::Operator)?;
    let name = GroupName::parse(&input.name).map_err(|e| ApiError::invalid("name", e.to_string()))?;
    let g = state.app.store().create_group(op, &name, Utc::now()).await?;
    let view = group_view(g);
    audit_by(&state, &caller, "group.create", format!("group:{}", view.id), None, serde_json::to_value(&view).ok())
        .await;
    Ok((StatusCode::CREATED, Json(view)))
}

/// Removes a group and its memberships (operator role); the drivers stay.
#[utoipa::path(delete, path = "/api/v1/operators/{operator_id}/groups/{group_id}", tag = "drivers",
    params(("operator_id" = i64, Path), ("group_id" = i64, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn delete_group(
    State(state): State<ApiState>,
    caller: Caller,
    Path((id, group)): Path<(i64, i64)>,
) -> ApiResult<StatusCode> {
    let op = own(&caller, id)?;
    caller.require(Role::Operator)?;
    let store = state.app.store();
    let before = store.groups(op).await?.into_iter().find(|g| g.group.id.0 == group).map(group_view);
    store.delete_group(op, GroupId(group)).await?;
    // --- local authorization list sync: the operator's stations' lists may change ---
    state.app.local_list_marks().mark_operator(op);
    audit_by(
        &state,
        &caller,
        "group.delete",
        format!("group:{group}"),
        before.and_then(|b| serde_json::to_value(b).ok()),
        None,
    )
    .await;
    Ok(StatusCode::NO_CONTENT)
}

/// The group's members, by name.
#[utoipa::path(get, path = "/api/v1/operators/{operator_id}/groups/{group_id}/members", tag = "drivers",
    params(("operator_id" = i64, Path), ("group_id" = i64, Path)),
    responses((status = 200, body = Vec<DriverView>), (status = 404, body = Problem)))]
pub async fn members(
    State(state): State<ApiState>,
    caller: Caller,
    Path((id, group)): Path<(i64, i64)>,
) -> ApiResult<Json<Vec<DriverView>>> {
    let op = own(&caller, id)?;
    caller.require(Role::Viewer)?;
    let names = group_names(&state, op).await?;
    let drivers = state.app.store().group_members(op, GroupId(group)).await?;
    Ok(Json(drivers.into_iter().map(|d| driver_view(d, &names, None)).collect()))
}

async fn membership(
    state: &ApiState,
    caller: &Caller,
    id: i64,
    group: i64,
    driver: i64,
    member: bool,
) -> ApiResult<StatusCode> {
    let op = own(caller, id)?;
    caller.require(Role::Operator)?;
    state.app.store().set_group_member(op, GroupId(group), DriverId(driver), member).await?;
    // --- local authorization list sync: the operator's stations' lists may change ---
    state.app.local_list_marks().mark_operator(op);
    let action = if member { "group.join" } else { "group.leave" };
    audit_by(state, caller, action, format!("group:{group}"), None, Some(json!({"driver_id": driver}))).await;
    Ok(StatusCode::NO_CONTENT)
}

/// Adds the driver to the group (operator role); adding a member again changes nothing.
#[utoipa::path(put, path = "/api/v1/operators/{operator_id}/groups/{group_id}/members/{driver_id}", tag = "drivers",
    params(("operator_id" = i64, Path), ("group_id" = i64, Path), ("driver_id" = i64, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn join(
    State(state): State<ApiState>,
    caller: Caller,
    Path((id, group, driver)): Path<(i64, i64, i64)>,
) -> ApiResult<StatusCode> {
    membership(&state, &caller, id, group, driver, true).await
}

/// Removes the driver from the group (operator role); removing a non-member changes nothing.
#[utoipa::path(delete, path = "/api/v1/operators/{operator_id}/groups/{group_id}/members/{driver_id}", tag = "drivers",
    params(("operator_id" = i64, Path), ("group_id" = i64, Path), ("driver_id" = i64, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn leave(
    State(state): State<ApiState>,
    caller: Caller,
    Path((id, group, driver)): Path<(i64, i64, i64)>,
) -> ApiResult<StatusCode> {
    membership(&state, &caller, id, group, driver, false).await
}

// ----- token import -----

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ImportParams {
    /// Validate and report without writing anything.
    #[serde(default)]
    pub dry_run: bool,
}

/// What an import did (or, in a dry run, would do).
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportReport {
    pub dry_run: bool,
    pub counts: Counts,
    /// Every rejected line, by line number: the column to blame (if one is) and why.
    pub rejected: Vec<Rejection>,
    /// Drivers and groups the import created (or would create), by name.
    pub drivers_created: Vec<String>,
    pub groups_created: Vec<String>,
}

fn too_large() -> Response {
    let problem = Problem {
        kind: "/api/v1/docs#problem-invalid-request".into(),
        title: "File too large".into(),
        status: 413,
        detail: format!("the CSV file is over the limit of {} bytes (5 MiB); split it", import::MAX_BYTES),
        field: Some("body".into()),
        ocpp_error_code: None,
    };
    let body = serde_json::to_vec(&problem).unwrap_or_default();
    (StatusCode::PAYLOAD_TOO_LARGE, [(header::CONTENT_TYPE, "application/problem+json")], body).into_response()
}

/// Imports id tokens from CSV (operator role). Header line required; columns `id_tag` (required),
/// `driver_name`, `driver_email`, `groups` (`;`-separated, created when missing), `expires_at` (RFC 3339 or
/// empty), `blocked` (true/false/empty), `parent`; RFC 4180 quoting. At most 5 MiB and 50,000 lines. Every
/// line is validated; the valid ones are stored, the report lists every rejected line with its number,
/// column and reason. Importing the same file again changes nothing. `?dry_run=true` writes nothing.
#[utoipa::path(post, path = "/api/v1/operators/{operator_id}/id-tokens/import", tag = "drivers",
    params(("operator_id" = i64, Path), ImportParams),
    request_body(content = String, content_type = "text/csv", description = "The CSV file, UTF-8"),
    responses((status = 200, body = ImportReport), (status = 400, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 413, body = Problem)))]
pub async fn import_tokens(
    State(state): State<ApiState>,
    caller: Caller,
    Path(id): Path<i64>,
    Query(params): Query<ImportParams>,
    body: axum::body::Body,
) -> ApiResult<Response> {
    let op = own(&caller, id)?;
    caller.require(Role::Operator)?;
    let Ok(bytes) = axum::body::to_bytes(body, import::MAX_BYTES).await else {
        return Ok(too_large());
    };
    let text = std::str::from_utf8(&bytes)
        .map_err(|e| ApiError::invalid("body", format!("the file is not UTF-8 (byte {})", e.valid_up_to())))?;
    let records = import::read_csv(text);
    let Some(first) = records.first() else {
        return Err(ApiError::invalid("header", "the file is empty; the first line must name the columns"));
    };
    let last_line = records.last().map_or(0, |r| r.line);
    if last_line > import::MAX_LINES {
        return Err(ApiError::invalid(
            "body",
            format!("the file has {last_line} lines; at most {} per import, split it", import::MAX_LINES),
        ));
    }
    let header = import::Header::parse(first).map_err(|e| ApiError::invalid(e.field, e.reason))?;
    let data = &records[1..];
    let (lines, mut rejected) = import::validate(&header, data);
    let line_count =
        data.iter().filter(|r| !matches!(&r.fields, Ok(f) if f.len() == 1 && f[0].trim().is_empty())).count();

    // What the operator has already.
    let store = state.app.store();
    let mut existing = import::Existing::default();
    let drivers = store.drivers(op).await?;
    // Every token with its driver, in one read (not one per driver).
    for f in store.operator_token_facts(op).await? {
        existing.tokens.insert(
            f.token.tag.to_string(),
            import::ExistingToken {
                parent: f.token.parent.map(|p| p.to_string()),
                expires_at: f.token.expires_at,
                blocked: f.token.blocked,
                driver: f.driver.map(|d| d.id.0),
            },
        );
    }
    existing.drivers = drivers
        .iter()
        .map(|d| import::ExistingDriver {
            id: d.id.0,
            name: d.name.as_str().to_owned(),
            email: d.email.as_ref().map(|e| e.as_str().to_owned()),
            groups: d.groups.iter().map(|g| g.0).collect::<BTreeSet<_>>(),
        })
        .collect();
    existing.groups =
        store.groups(op).await?.into_iter().map(|g| (g.group.name.as_str().to_owned(), g.group.id.0)).collect();

    let mut plan = import::plan(lines, &existing);
    rejected.append(&mut plan.rejected);
    let counts = import::counts(line_count, &plan.steps, &mut rejected);
    let report = ImportReport {
        dry_run: params.dry_run,
        counts,
        rejected,
        drivers_created: plan.new_drivers.iter().map(|(n, _)| n.as_str().to_owned()).collect(),
        groups_created: plan.new_groups.iter().cloned().collect(),
    };
    if params.dry_run {
        return Ok(Json(report).into_response());
    }

    // Carry the plan out in one transaction (the store's `import_tokens`): all of it or, if anything fails,
    // none of it, so a failed import can simply be run again.
    let now = Utc::now();
    let new_groups: Vec<String> = plan.new_groups.iter().cloned().collect();
    let group_index: HashMap<&str, usize> = new_groups.iter().enumerate().map(|(i, n)| (n.as_str(), i)).collect();
    let driver = |d: DriverRef| match d {
        DriverRef::Existing(id) => ImportDriver::Existing(DriverId(id)),
        DriverRef::New(i) => ImportDriver::New(i),
    };
    let mut steps = Vec::with_capacity(plan.steps.len());
    for step in &plan.steps {
        let mut join = Vec::with_capacity(step.join.len());
        for (g, d) in &step.join {
            let group = match g {
                GroupRef::Existing(id) => ImportGroup::Existing(GroupId(*id)),
                GroupRef::New(name) => match group_index.get(name.as_str()) {
                    Some(i) => ImportGroup::New(*i),
                    None => {
                        let why = format!("the import plan names an unknown group {name}");
                        return Err(ApiError::new(crate::error::Kind::Internal, why));
                    }
                },
            };
            join.push((group, driver(*d)));
        }
        let token = step.write_token.then(|| {
            let token = IdToken {
                operator_id: op,
                tag: step.line.tag.clone(),
                parent: step.parent.clone(),
                expires_at: step.expires_at,
                blocked: step.blocked,
            };
            (token, step.outcome == Outcome::Created)
        });
        steps.push(ImportStep { token, tag: step.line.tag.clone(), link: step.link.map(driver), join });
    }
    let mut groups = Vec::with_capacity(new_groups.len());
    for name in &new_groups {
        groups.push(GroupName::parse(name).map_err(|e| ApiError::invalid("groups", e.to_string()))?);
    }
    let writes = TokenImport { operator: op, at: now, new_groups: groups, new_drivers: plan.new_drivers, steps };
    store.import_tokens(&writes).await?;
    state.app.local_list_marks().mark_operator(op);
    let summary: Value = json!({"counts": &report.counts, "drivers_created": &report.drivers_created,
        "groups_created": &report.groups_created});
    audit_by(&state, &caller, "id_tokens.import", format!("operator:{}", op.0), None, Some(summary)).await;
    Ok(Json(report).into_response())
}
