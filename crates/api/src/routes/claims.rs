//! Activation stickers, the installer's claim, and pinpointing ("Activation sticker and installer
//! claim (ChargePoint)").
//!
//! The operator's staff generate one-time activation passwords for stations (one, or a batch printed as
//! stickers); only the password's argon2 hash is stored, so the password (and the sticker that shows it) is
//! in the answer that creates it and nowhere else. A certified installer of the station's operator claims
//! the station with its MAC address and password, then pinpoints it: GPS fix, make and model, serial number,
//! address, time zone, parking spot, driver directions and a landscape photo. Every change is in the audit
//! log with what it was before and after.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use axum::Json;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use joule_core::account::{Account, AccountRole};
use joule_core::address::Address;
use joule_core::catalog::{KnownModel, matches_boot};
use joule_core::location::{GeoPoint, Pinpoint, TimeZoneChoice, TimeZoneName, derive_time_zone, is_zone_of_country};
use joule_core::parking::{DriverDirections, ParkingSpot};
use joule_core::station::Station;
use joule_core::{Role, StationId};
use joule_sticker::{ActivationCode, MacAddress, Sticker, render_html, render_svg};
use joule_store::{Installation, MAX_PHOTO_BYTES, NewActivationCode, Pinpointing};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::ToSchema;

use super::accounts::{audit, audit_by};
use crate::ApiState;
use crate::auth::{Caller, Principal};
use crate::error::{ApiError, ApiResult, Kind, Problem};
use crate::extract::Body;
use crate::model::AddressBody;

/// The one answer to a claim that fails, whichever part was wrong.
const WRONG: &str = "the MAC address or activation password is wrong";
/// Failed claims allowed per person, and per remote address, within [`FAILURE_WINDOW`].
const MAX_FAILURES: u32 = 10;
const MAX_FAILURES_PER_ADDRESS: u32 = 50;
const FAILURE_WINDOW: Duration = Duration::from_secs(15 * 60);
/// Stickers in one batch.
const MAX_BATCH: usize = 500;
/// Longest serial number (OCPP 2.0.1's serialNumber is 25; data sheets print longer ones).
const SERIAL_MAX: usize = 50;

// --- rate limiting ---

/// Failed claims per person and per remote address, in memory (a restart forgets them, which only gives back
/// one window). Kept beside the API's state (keyed by it), so that two servers in one process count apart.
fn failures() -> &'static Mutex<HashMap<String, (u32, Instant)>> {
    static MAP: OnceLock<Mutex<HashMap<String, (u32, Instant)>>> = OnceLock::new();
    MAP.get_or_init(Default::default)
}

fn limiter_keys(state: &ApiState, account: &Account, remote: &SocketAddr) -> [String; 2] {
    let instance = std::sync::Arc::as_ptr(&state.logins) as usize;
    [format!("{instance}:person:{}", account.id), format!("{instance}:ip:{}", remote.ip())]
}

fn blocked(keys: &[String]) -> bool {
    let mut map = failures().lock().unwrap_or_else(|e| e.into_inner());
    map.retain(|_, (_, since)| since.elapsed() < FAILURE_WINDOW);
    keys.iter().any(|k| {
        let max = if k.contains(":ip:") { MAX_FAILURES_PER_ADDRESS } else { MAX_FAILURES };
        map.get(k).is_some_and(|(n, _)| *n >= max)
    })
}

fn failed(keys: &[String]) {
    let mut map = failures().lock().unwrap_or_else(|e| e.into_inner());
    if map.len() > 100_000 {
        map.clear();
    }
    for k in keys {
        map.entry(k.clone()).or_insert((0, Instant::now())).0 += 1;
    }
}

/// A hash to verify against when a MAC address has no open code, so that an unknown MAC takes as long as a
/// wrong password.
fn dummy_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| {
        joule_app::accounts::password::hash_station_secret("not an activation code").unwrap_or_default()
    })
}

// --- JSON shapes ---

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CodeRequest {
    /// The station's MAC address (`AA:BB:CC:DD:EE:FF`; `-`, `.` or no separators accepted).
    pub mac: String,
}

/// A new activation password: shown here once, stored only hashed.
#[derive(Debug, Serialize, ToSchema)]
pub struct CodeAnswer {
    pub station_id: String,
    pub mac: String,
    /// The activation password. Joule keeps only its hash: print it now.
    pub code: String,
    /// What the sticker's QR code opens: the claim page with MAC and password filled in.
    pub claim_url: String,
    /// The sticker (70 × 40 mm) as SVG.
    pub svg: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StickerStation {
    pub station_id: String,
    pub mac: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StickerBatch {
    /// 1 to 500 stations of the caller's operator, each with its MAC address.
    pub stations: Vec<StickerStation>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClaimRequest {
    pub mac: String,
    /// The activation password from the sticker (case, spaces and dashes do not matter).
    pub code: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Gps {
    /// Degrees north, -90 to 90.
    pub lat: f64,
    /// Degrees east, -180 to 180.
    pub lon: f64,
    /// The fix's accuracy in metres, as the browser reports it.
    pub accuracy_m: Option<f64>,
}

/// The pinpointing, replaced whole: what is left out is cleared.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct PinpointRequest {
    pub gps: Option<Gps>,
    /// Make and model from the list of known models; both or neither.
    pub vendor: Option<String>,
    pub model: Option<String>,
    /// Locked once the operator marks the configuration complete; then only a platform admin changes it.
    pub serial_number: Option<String>,
    pub address: Option<AddressBody>,
    /// An IANA zone of the address's country. Left out: derived from the country and GPS fix where certain.
    pub time_zone: Option<String>,
    pub parking_spot: Option<String>,
    pub directions: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PhotoInfo {
    pub content_type: String,
    pub size: u64,
    /// The photo's EXIF orientation (1 to 8, TIFF tag 274: 1 upright, 3 turned half, 6 and 8 a quarter
    /// clockwise and counter-clockwise, 2, 4, 5 and 7 the mirrored ones): how to turn the stored image to show
    /// it upright. Absent when the photo has none (show it as stored).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub orientation: Option<u16>,
}

/// A station's installation record.
#[derive(Debug, Serialize, ToSchema)]
pub struct InstallationView {
    pub station_id: String,
    /// The installer's account id.
    pub claimed_by: Option<i64>,
    pub claimed_at: Option<DateTime<Utc>>,
    pub gps: Option<Gps>,
    pub vendor: Option<String>,
    pub model: Option<String>,
    pub serial_number: Option<String>,
    pub serial_locked_at: Option<DateTime<Utc>>,
    pub address: Option<AddressBody>,
    pub time_zone: Option<String>,
    pub parking_spot: Option<String>,
    pub directions: Option<String>,
    pub photo: Option<PhotoInfo>,
    pub updated_at: DateTime<Utc>,
}

impl From<&Installation> for InstallationView {
    fn from(i: &Installation) -> Self {
        let p = &i.pinpointing;
        let gps = match (p.lat, p.lon) {
            (Some(lat), Some(lon)) => Some(Gps { lat, lon, accuracy_m: p.accuracy_m }),
            _ => None,
        };
        let address = p.country.as_ref().map(|country| AddressBody {
            street: p.street.clone().unwrap_or_default(),
            house_number: p.house_number.clone(),
            postal_code: p.postal_code.clone(),
            city: p.city.clone().unwrap_or_default(),
            country: country.clone(),
            region: p.region.clone(),
        });
        let photo = match (&i.photo_type, i.photo_size) {
            (Some(t), Some(size)) => {
                Some(PhotoInfo { content_type: t.clone(), size, orientation: i.photo_orientation })
            }
            _ => None,
        };
        InstallationView {
            station_id: i.station_id.to_string(),
            claimed_by: i.claimed_by.map(|a| a.0),
            claimed_at: i.claimed_at,
            gps,
            vendor: p.vendor.clone(),
            model: p.model.clone(),
            serial_number: p.serial_number.clone(),
            serial_locked_at: i.serial_locked_at,
            address,
            time_zone: p.time_zone.clone(),
            parking_spot: p.parking_spot.clone(),
            directions: p.directions.clone(),
            photo,
            updated_at: i.updated_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PinpointAnswer {
    pub installation: InstallationView,
    /// What is worth a second look but not refused: a make and model that differ from the station's
    /// BootNotification.
    pub warnings: Vec<String>,
    /// When no time zone was given and none could be derived for certain: the zones to choose from.
    pub time_zone_choices: Option<Vec<String>>,
}

fn snapshot(i: Option<&Installation>) -> Option<Value> {
    i.map(|i| serde_json::to_value(InstallationView::from(i)).unwrap_or(Value::Null))
}

fn subject(id: &StationId) -> String {
    format!("station:{id}")
}

fn public_base(state: &ApiState) -> String {
    match &state.app.settings().public_url {
        Some(url) => url.clone(),
        None => format!("http://{}", state.app.settings().listen),
    }
}

// --- stickers ---

/// Generates a code for one station, stores its hash, and returns the sticker.
async fn new_code(
    state: &ApiState,
    caller: &Caller,
    station: &StationId,
    mac: MacAddress,
) -> ApiResult<(Sticker, DateTime<Utc>)> {
    let code = ActivationCode::generate();
    let normalized = code.normalized();
    let code_hash =
        tokio::task::spawn_blocking(move || joule_app::accounts::password::hash_station_secret(&normalized))
            .await
            .map_err(|e| ApiError::new(Kind::Internal, format!("hashing failed: {e}")))?
            .map_err(|e| ApiError::new(Kind::Internal, format!("hashing failed: {e}")))?;
    let stored = state
        .app
        .store()
        .create_activation_code(&NewActivationCode {
            station_id: station.clone(),
            mac: mac.to_string(),
            code_hash,
            created_at: Utc::now(),
            created_by: caller.requested_by(),
        })
        .await?;
    audit(
        state,
        caller.requested_by(),
        Some(caller.operator_id),
        "activation_code.create",
        subject(station),
        None,
        Some(json!({ "code_id": stored.id, "mac": stored.mac })),
    )
    .await;
    let sticker = Sticker::new(station.to_string(), mac, code, &public_base(state), station.to_string());
    Ok((sticker, stored.created_at))
}

fn parse_mac(field: &str, s: &str) -> ApiResult<MacAddress> {
    MacAddress::parse(s).map_err(|e| ApiError::invalid(field, e.to_string()))
}

/// Generates a one-time activation password for the station and returns it with its sticker. The password
/// is stored only hashed: this answer is the only place it appears. Needs role operator.
#[utoipa::path(post, path = "/api/v1/stations/{id}/activation-codes", tag = "stations", request_body = CodeRequest,
    params(("id" = String, Path, description = "Station id")),
    responses((status = 201, body = CodeAnswer), (status = 400, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
pub async fn create_code(
    State(state): State<ApiState>,
    caller: Caller,
    Path(id): Path<String>,
    Body(request): Body<CodeRequest>,
) -> ApiResult<(StatusCode, Json<CodeAnswer>)> {
    caller.require(Role::Operator)?;
    let (station, _) = state.station(&caller, &id).await?;
    let mac = parse_mac("mac", &request.mac)?;
    let (sticker, created_at) = new_code(&state, &caller, &station, mac).await?;
    let svg = render_svg(&sticker).map_err(|e| ApiError::new(Kind::Internal, e.to_string()))?;
    Ok((
        StatusCode::CREATED,
        Json(CodeAnswer {
            station_id: station.to_string(),
            mac: sticker.mac.to_string(),
            code: sticker.code.to_string(),
            claim_url: sticker.claim_url.clone(),
            svg,
            created_at,
        }),
    ))
}

/// Generates activation passwords for a batch of stations and returns the printable sticker sheets (HTML
/// with print CSS, A4). The passwords are stored only hashed: print this page, it cannot be fetched again.
/// Needs role operator.
#[utoipa::path(post, path = "/api/v1/stickers", tag = "stations", request_body = StickerBatch,
    responses((status = 201, content_type = "text/html", body = String, description = "The sticker sheets"),
        (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn stickers(
    State(state): State<ApiState>,
    caller: Caller,
    Body(batch): Body<StickerBatch>,
) -> ApiResult<Response> {
    caller.require(Role::Operator)?;
    if batch.stations.is_empty() || batch.stations.len() > MAX_BATCH {
        return Err(ApiError::invalid("stations", format!("give 1 to {MAX_BATCH} stations")));
    }
    // Everything is checked before any code is made, so a refused batch leaves nothing behind.
    let mut checked = Vec::with_capacity(batch.stations.len());
    for (n, s) in batch.stations.iter().enumerate() {
        let (station, _) = state.station(&caller, &s.station_id).await.map_err(|e| {
            if e.problem().status == 400 {
                ApiError::invalid(format!("stations[{n}].station_id"), e.problem().detail)
            } else {
                e
            }
        })?;
        let mac = parse_mac(&format!("stations[{n}].mac"), &s.mac)?;
        checked.push((station, mac));
    }
    let mut sheet = Vec::with_capacity(checked.len());
    for (station, mac) in checked {
        sheet.push(new_code(&state, &caller, &station, mac).await?.0);
    }
    let html = render_html(&sheet).map_err(|e| ApiError::new(Kind::Internal, e.to_string()))?;
    Ok((StatusCode::CREATED, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response())
}

// --- the claim ---

/// Claims a station for the installer: its MAC address and the activation password from its sticker. A
/// wrong MAC, a wrong or used password, or a station of another operator all get the same 400; after 10
/// failures in 15 minutes for a person, or 50 from one address, 429. Needs a certified installer's login.
#[utoipa::path(post, path = "/api/v1/claims", tag = "stations", request_body = ClaimRequest,
    responses((status = 200, body = InstallationView), (status = 400, body = Problem), (status = 403, body = Problem),
        (status = 429, body = Problem)))]
pub async fn claim(
    State(state): State<ApiState>,
    ConnectInfo(remote): ConnectInfo<SocketAddr>,
    principal: Principal,
    Body(request): Body<ClaimRequest>,
) -> ApiResult<Json<InstallationView>> {
    let account = match &principal {
        Principal::Person { account, .. } if account.may_install() => account.clone(),
        Principal::Person { account, .. } if account.role == AccountRole::Installer => {
            return Err(ApiError::new(
                Kind::Forbidden,
                "this installer is not certified yet: the operator certifies installers before they claim stations",
            ));
        }
        _ => return Err(ApiError::new(Kind::Forbidden, "stations are claimed by a certified installer's login")),
    };
    let keys = limiter_keys(&state, &account, &remote);
    if blocked(&keys) {
        return Err(ApiError::new(Kind::TooManyAttempts, "too many failed claims; wait 15 minutes and try again"));
    }
    let wrong = || {
        failed(&keys);
        ApiError::new(Kind::InvalidRequest, WRONG)
    };
    let store = state.app.store();
    let (mac, code) = match (MacAddress::parse(&request.mac), ActivationCode::parse(&request.code)) {
        (Ok(mac), Ok(code)) => (mac, code),
        _ => {
            // As slow as a real check.
            let _ = tokio::task::spawn_blocking(|| joule_app::accounts::password::verify("x", dummy_hash())).await;
            return Err(wrong());
        }
    };
    let open = store.open_activation_codes(&mac.to_string()).await?;
    let normalized = code.normalized();
    let candidates: Vec<(i64, StationId, String)> =
        open.into_iter().map(|(c, hash)| (c.id, c.station_id, hash)).collect();
    let found = tokio::task::spawn_blocking(move || {
        if candidates.is_empty() {
            let _ = joule_app::accounts::password::verify(&normalized, dummy_hash());
            return None;
        }
        candidates.into_iter().find(|(_, _, hash)| joule_app::accounts::password::verify(&normalized, hash))
    })
    .await
    .map_err(|e| ApiError::new(Kind::Internal, format!("verifying failed: {e}")))?;
    let Some((code_id, station_id, _)) = found else {
        return Err(wrong());
    };
    let station = store.station(&station_id).await?;
    let Some(station) = station.filter(|s| Some(s.operator_id) == account.operator_id) else {
        return Err(wrong());
    };
    let before = store.installation(&station_id).await?;
    let installation = match store.use_activation_code(code_id, account.id, Utc::now()).await {
        Ok(i) => i,
        // Used by a claim that won the race.
        Err(joule_store::StoreError::Conflict(_)) => return Err(wrong()),
        Err(e) => return Err(e.into()),
    };
    audit(
        &state,
        principal.actor(),
        Some(station.operator_id),
        "station.claim",
        subject(&station_id),
        snapshot(before.as_ref()),
        snapshot(Some(&installation)),
    )
    .await;
    Ok(Json(InstallationView::from(&installation)))
}

// --- pinpointing ---

/// Who is acting on a station's installation (the policy's word for it).
pub(crate) use joule_app::onboarding::InstallationRole as Actor;

/// The caller as the use cases know it, for the endpoints open to installers and owners as well as to the
/// operator's staff and tokens.
pub(crate) fn principal_actor(principal: &Principal) -> joule_app::Actor {
    match principal {
        Principal::Token(t) => joule_app::Actor::token(&t.name, t.operator_id, t.role),
        Principal::Person { account, .. } => {
            // Staff act with every role within their operator (as a `Caller`); the others' role is not what
            // the policy asks about (it looks at their account).
            let role = match account.role {
                AccountRole::OperatorStaff | AccountRole::PlatformAdmin => Role::Admin,
                _ => Role::Viewer,
            };
            joule_app::Actor::person(account.clone(), account.operator_id, role)
        }
    }
}

/// The station and its installation, if `principal` may see it (`write`: change it); the policy says who.
pub(crate) async fn access(
    state: &ApiState,
    principal: &Principal,
    id: &str,
    write: bool,
) -> ApiResult<(StationId, Station, Option<Installation>, Actor)> {
    Ok(state.app.onboarding().installation_access(&principal_actor(principal), id, write).await?)
}

fn text(field: &str, value: Option<String>, max: usize) -> ApiResult<Option<String>> {
    let Some(value) = value else { return Ok(None) };
    let t = value.trim();
    if t.is_empty() {
        return Ok(None);
    }
    if t.chars().count() > max || t.chars().any(char::is_control) {
        return Err(ApiError::invalid(field, format!("must be at most {max} characters, without control characters")));
    }
    Ok(Some(t.to_string()))
}

/// Make and model come "from a list of known models": once the operator has a catalog, a model
/// outside it is a 400 naming `model` (the operator adds it first); an empty catalog accepts any model.
async fn in_catalog(state: &ApiState, station: &Station, p: &Pinpointing) -> ApiResult<()> {
    let (Some(vendor), Some(model)) = (&p.vendor, &p.model) else { return Ok(()) };
    let catalog = state.app.store().station_models(station.operator_id).await?;
    let key = joule_core::catalog::model_key(vendor, model);
    if catalog.is_empty() || catalog.iter().any(|m| m.model.key() == key) {
        return Ok(());
    }
    Err(ApiError::invalid(
        "model",
        format!(
            "{vendor} {model} is not in the operator's list of known models (GET /api/v1/stations/{}/models); \
             the operator adds it first",
            station.id
        ),
    ))
}

/// Validates the request into what the store keeps, with warnings and time zone choices.
fn validate(request: PinpointRequest, station: &Station) -> ApiResult<(Pinpointing, Vec<String>, Option<Vec<String>>)> {
    let mut p = Pinpointing::default();
    let mut warnings = Vec::new();
    let mut point = None;
    if let Some(gps) = &request.gps {
        let at = GeoPoint::new(gps.lat, gps.lon).map_err(|e| {
            let field = if (-90.0..=90.0).contains(&gps.lat) { "gps.lon" } else { "gps.lat" };
            ApiError::invalid(field, e.to_string())
        })?;
        let pin = Pinpoint::new(at, gps.accuracy_m).map_err(|e| ApiError::invalid("gps.accuracy_m", e.to_string()))?;
        (p.lat, p.lon, p.accuracy_m) = (Some(pin.point().lat()), Some(pin.point().lon()), pin.accuracy_m());
        point = Some(pin.point());
    }
    match (&request.vendor, &request.model) {
        (None, None) => {}
        (Some(vendor), Some(model)) => {
            let known = KnownModel::new(vendor, model, None).map_err(|e| {
                let field = if e.to_string().starts_with("invalid vendor") { "vendor" } else { "model" };
                ApiError::invalid(field, e.to_string())
            })?;
            if let Some(boot) = &station.boot
                && !matches_boot(&known.vendor, &known.model, &boot.vendor, &boot.model)
            {
                warnings.push(format!(
                    "the station reported itself as {} {} in its BootNotification, not {} {}",
                    boot.vendor, boot.model, known.vendor, known.model
                ));
            }
            (p.vendor, p.model) = (Some(known.vendor), Some(known.model));
        }
        (None, Some(_)) => return Err(ApiError::invalid("vendor", "give the make with the model")),
        (Some(_), None) => return Err(ApiError::invalid("model", "give the model with the make")),
    }
    p.serial_number = text("serial_number", request.serial_number, SERIAL_MAX)?;
    let mut country = None;
    if let Some(a) = &request.address {
        let address = Address::new(&a.input())
            .map_err(|e| ApiError::invalid(format!("address.{}", e.field.as_str()), e.message.clone()))?;
        p.street = Some(address.street().to_string());
        p.house_number = address.house_number().map(str::to_string);
        p.postal_code = address.postal_code().map(str::to_string);
        p.city = Some(address.city().to_string());
        p.region = address.region().map(str::to_string);
        p.country = Some(address.country().as_str().to_string());
        country = Some(address.country());
    }
    let mut choices = None;
    match request.time_zone.as_deref().map(str::trim).filter(|z| !z.is_empty()) {
        Some(zone) => {
            let zone = TimeZoneName::parse(zone).map_err(|e| ApiError::invalid("time_zone", e.to_string()))?;
            if let Some(country) = country
                && !is_zone_of_country(country, zone)
            {
                return Err(ApiError::invalid(
                    "time_zone",
                    format!("{zone} is not a time zone of {}", country.as_str()),
                ));
            }
            p.time_zone = Some(zone.as_str().to_string());
        }
        None => {
            if let (Some(country), Some(point)) = (country, point) {
                match derive_time_zone(country, point) {
                    TimeZoneChoice::Derived(zone) => p.time_zone = Some(zone.as_str().to_string()),
                    TimeZoneChoice::Choose(zones) => choices = Some(zones.iter().map(|z| z.to_string()).collect()),
                }
            }
        }
    }
    if let Some(spot) = request.parking_spot.filter(|s| !s.trim().is_empty()) {
        p.parking_spot = Some(
            ParkingSpot::parse(&spot)
                .map_err(|e| ApiError::invalid("parking_spot", e.to_string()))?
                .as_str()
                .to_string(),
        );
    }
    if let Some(d) = request.directions.filter(|s| !s.trim().is_empty()) {
        p.directions = Some(
            DriverDirections::parse(&d)
                .map_err(|e| ApiError::invalid("directions", e.to_string()))?
                .as_str()
                .to_string(),
        );
    }
    Ok((p, warnings, choices))
}

/// Pinpoints the station: GPS fix, make and model, serial number, address, time zone, parking spot and
/// directions, replaced whole. For the installer who claimed it and the operator's staff (role operator).
/// A make and model that differ from the BootNotification's are a warning, not an error. Once the serial
/// number is locked, only a platform admin changes it (403 for others), and the change is in the audit log.
#[utoipa::path(put, path = "/api/v1/stations/{id}/installation", tag = "stations", request_body = PinpointRequest,
    params(("id" = String, Path, description = "Station id")),
    responses((status = 200, body = PinpointAnswer), (status = 400, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
pub async fn pinpoint(
    State(state): State<ApiState>,
    principal: Principal,
    Path(id): Path<String>,
    Body(request): Body<PinpointRequest>,
) -> ApiResult<Json<PinpointAnswer>> {
    let (id, station, before, actor) = access(&state, &principal, &id, true).await?;
    let (pinpointing, warnings, time_zone_choices) = validate(request, &station)?;
    in_catalog(&state, &station, &pinpointing).await?;
    let locked = before.as_ref().is_some_and(|b| b.serial_locked_at.is_some());
    let serial_changes =
        locked && before.as_ref().and_then(|b| b.pinpointing.serial_number.clone()) != pinpointing.serial_number;
    let admin = matches!(actor, Actor::Staff { admin: true });
    if serial_changes && !admin {
        return Err(ApiError::new(
            Kind::Forbidden,
            "the serial number is locked since the configuration was completed; only a platform admin may change it",
        ));
    }
    let store = state.app.store();
    let saved = match store.set_pinpointing(&id, &pinpointing, admin, Utc::now()).await {
        Ok(saved) => saved,
        Err(joule_store::StoreError::Conflict(_)) => {
            return Err(ApiError::new(
                Kind::Forbidden,
                "the serial number was locked meanwhile; only a platform admin may change it",
            ));
        }
        Err(e) => return Err(e.into()),
    };
    let action = if serial_changes { "installation.serial_override" } else { "installation.pinpoint" };
    audit(
        &state,
        principal.actor(),
        Some(station.operator_id),
        action,
        subject(&id),
        snapshot(before.as_ref()),
        snapshot(Some(&saved)),
    )
    .await;
    Ok(Json(PinpointAnswer { installation: InstallationView::from(&saved), warnings, time_zone_choices }))
}

/// The station's installation record. For the installer who claimed it and the operator's staff and tokens.
#[utoipa::path(get, path = "/api/v1/stations/{id}/installation", tag = "stations",
    params(("id" = String, Path, description = "Station id")),
    responses((status = 200, body = InstallationView), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get_installation(
    State(state): State<ApiState>,
    principal: Principal,
    Path(id): Path<String>,
) -> ApiResult<Json<InstallationView>> {
    let (id, _, installation, _) = access(&state, &principal, &id, false).await?;
    let installation =
        installation.ok_or_else(|| ApiError::not_found(format!("station {id} is not claimed or pinpointed yet")))?;
    Ok(Json(InstallationView::from(&installation)))
}

/// Marks the station's configuration complete: its serial number is locked, and from now on only a platform
/// admin changes it. Locking again keeps the first time. Needs role operator.
#[utoipa::path(post, path = "/api/v1/stations/{id}/installation/lock", tag = "stations",
    params(("id" = String, Path, description = "Station id")),
    responses((status = 200, body = InstallationView), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn lock(
    State(state): State<ApiState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<InstallationView>> {
    caller.require(Role::Operator)?;
    let (id, _) = state.station(&caller, &id).await?;
    let store = state.app.store();
    let before = store.installation(&id).await?;
    let locked = store.lock_installation_serial(&id, Utc::now()).await?;
    audit_by(&state, &caller, "installation.lock", subject(&id), snapshot(before.as_ref()), snapshot(Some(&locked)))
        .await;
    Ok(Json(InstallationView::from(&locked)))
}

// --- the photo ---

/// What the API reads from a photo's bytes: its type and size from the header (`imagesize`) and its EXIF
/// orientation (`kamadak-exif`), without decoding the image.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct PhotoFacts {
    content_type: &'static str,
    /// As stored, in pixels.
    width: u32,
    height: u32,
    /// EXIF Orientation (1 to 8, TIFF 6.0 tag 274): how the stored pixels are turned to show the photo
    /// upright; `None` when the photo has no EXIF orientation (shown as stored, like 1).
    orientation: Option<u16>,
}

impl PhotoFacts {
    /// A JPEG or PNG image's facts; `None` for anything else, or a header too short or broken to give a size.
    fn read(bytes: &[u8]) -> Option<PhotoFacts> {
        let content_type = match imagesize::image_type(bytes).ok()? {
            imagesize::ImageType::Jpeg => "image/jpeg",
            imagesize::ImageType::Png => "image/png",
            _ => return None,
        };
        let size = imagesize::blob_size(bytes).ok()?;
        let orientation = exif::Reader::new()
            .read_from_container(&mut std::io::Cursor::new(bytes))
            .ok()
            .and_then(|e| e.get_field(exif::Tag::Orientation, exif::In::PRIMARY)?.value.get_uint(0))
            .and_then(|o| u16::try_from(o).ok())
            .filter(|o| (1..=8).contains(o));
        Some(PhotoFacts {
            content_type,
            width: u32::try_from(size.width).ok()?,
            height: u32::try_from(size.height).ok()?,
            orientation,
        })
    }

    /// Width and height as the photo is shown upright: orientations 5 to 8 turn it a quarter.
    fn upright(&self) -> (u32, u32) {
        match self.orientation {
            Some(5..=8) => (self.height, self.width),
            _ => (self.width, self.height),
        }
    }
}

fn too_large(size: usize) -> Response {
    let problem = Problem {
        kind: "/api/v1/docs#problem-invalid-request".into(),
        title: "Photo too large".into(),
        status: 413,
        detail: format!("the photo is {size} bytes or more; the limit is {MAX_PHOTO_BYTES} bytes (5 MiB)"),
        field: Some("photo".into()),
        ocpp_error_code: None,
    };
    let body = serde_json::to_vec(&problem).unwrap_or_default();
    (StatusCode::PAYLOAD_TOO_LARGE, [(header::CONTENT_TYPE, "application/problem+json")], body).into_response()
}

/// Replaces the station's photo: the body is the image, JPEG or PNG (checked by its content, not its
/// Content-Type), landscape (wider than high), at most 5 MiB (413 over it). For the installer who claimed
/// the station and the operator's staff (role operator).
#[utoipa::path(put, path = "/api/v1/stations/{id}/installation/photo", tag = "stations",
    params(("id" = String, Path, description = "Station id")),
    request_body(content = Vec<u8>, content_type = "image/jpeg", description = "A JPEG or PNG image, landscape, at most 5 MiB"),
    responses((status = 200, body = InstallationView), (status = 400, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 413, body = Problem)))]
pub async fn put_photo(
    State(state): State<ApiState>,
    principal: Principal,
    Path(id): Path<String>,
    body: axum::body::Body,
) -> ApiResult<Response> {
    let (id, station, before, _) = access(&state, &principal, &id, true).await?;
    // Read at most one byte over the limit (the API's default body limit does not apply to a raw body).
    let bytes: Bytes = match axum::body::to_bytes(body, MAX_PHOTO_BYTES).await {
        Ok(b) => b,
        Err(_) => return Ok(too_large(MAX_PHOTO_BYTES + 1)),
    };
    let Some(facts) = PhotoFacts::read(&bytes) else {
        return Err(ApiError::invalid("photo", "the photo must be a JPEG or PNG image"));
    };
    // Landscape as shown: a phone photo taken upright is stored wide and turned by its EXIF orientation.
    let (width, height) = facts.upright();
    if width <= height {
        let turned = if facts.upright() == (facts.width, facts.height) {
            String::new()
        } else {
            format!(
                " as shown upright (stored {} × {}, EXIF orientation {})",
                facts.width,
                facts.height,
                facts.orientation.unwrap_or(1)
            )
        };
        return Err(ApiError::invalid(
            "photo",
            format!("the photo must be landscape (wider than high); this one is {width} × {height}{turned}"),
        ));
    }
    let saved = state
        .app
        .store()
        .set_installation_photo(&id, &bytes, facts.content_type, facts.orientation, Utc::now())
        .await?;
    audit(
        &state,
        principal.actor(),
        Some(station.operator_id),
        "installation.photo",
        subject(&id),
        snapshot(before.as_ref()),
        snapshot(Some(&saved)),
    )
    .await;
    Ok(Json(InstallationView::from(&saved)).into_response())
}

/// The station's photo, as it was uploaded. For the installer who claimed it and the operator's staff and
/// tokens.
#[utoipa::path(get, path = "/api/v1/stations/{id}/installation/photo", tag = "stations",
    params(("id" = String, Path, description = "Station id")),
    responses((status = 200, content_type = "image/jpeg", body = Vec<u8>, description = "JPEG or PNG"),
        (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get_photo(
    State(state): State<ApiState>,
    principal: Principal,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let (id, _, _, _) = access(&state, &principal, &id, false).await?;
    let (photo, content_type) = state
        .app
        .store()
        .installation_photo(&id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("station {id} has no photo")))?;
    let mut headers = HeaderMap::new();
    if let Ok(v) = content_type.parse() {
        headers.insert(header::CONTENT_TYPE, v);
    }
    Ok((headers, photo).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(bytes: &[u8]) -> Option<(&'static str, u32, u32, Option<u16>)> {
        PhotoFacts::read(bytes).map(|f| (f.content_type, f.width, f.height, f.orientation))
    }

    /// A JPEG's start: SOI, an APP1 segment with EXIF whose IFD0 holds only Orientation (when given), then
    /// SOF0 with height 300 and width 400.
    fn jpeg(orientation: Option<u16>) -> Vec<u8> {
        let mut b = vec![0xFF, 0xD8];
        if let Some(o) = orientation {
            let mut tiff = b"MM\x00\x2a\x00\x00\x00\x08\x00\x01\x01\x12\x00\x03\x00\x00\x00\x01".to_vec();
            tiff.extend_from_slice(&o.to_be_bytes());
            tiff.extend_from_slice(&[0, 0, 0, 0, 0, 0]);
            b.extend_from_slice(&[0xFF, 0xE1]);
            b.extend_from_slice(&(2 + 6 + tiff.len() as u16).to_be_bytes());
            b.extend_from_slice(b"Exif\0\0");
            b.extend_from_slice(&tiff);
        } else {
            b.extend_from_slice(&[0xFF, 0xE0, 0x00, 0x04, 0x00, 0x00]);
        }
        b.extend_from_slice(&[0xFF, 0xC0, 0x00, 0x11, 0x08, 0x01, 0x2C, 0x01, 0x90, 0x03]);
        b
    }

    #[test]
    fn image_sizes_from_headers() {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        png.extend_from_slice(&640u32.to_be_bytes());
        png.extend_from_slice(&480u32.to_be_bytes());
        assert_eq!(facts(&png), Some(("image/png", 640, 480, None)));
        assert_eq!(facts(&jpeg(None)), Some(("image/jpeg", 400, 300, None)));
        assert_eq!(facts(b"GIF89a"), None);
        assert_eq!(facts(b"GIF89a\x80\x02\xe0\x01\0\0\0\0\0\0"), None, "a GIF is not taken");
        assert_eq!(facts(&[0xFF, 0xD8, 0x00]), None);
        assert_eq!(facts(&png[..20]), None);
    }

    #[test]
    fn the_exif_orientation_says_how_the_photo_shows_upright() {
        for o in 1..=8u16 {
            let f = PhotoFacts::read(&jpeg(Some(o))).unwrap();
            assert_eq!((f.content_type, f.width, f.height, f.orientation), ("image/jpeg", 400, 300, Some(o)));
            // 5 to 8 turn the photo a quarter: the stored 400 × 300 shows 300 × 400, portrait.
            assert_eq!(f.upright(), if o >= 5 { (300, 400) } else { (400, 300) }, "orientation {o}");
        }
        assert_eq!(facts(&jpeg(Some(0))).map(|f| f.3), Some(None), "not an orientation");
        assert_eq!(facts(&jpeg(Some(9))).map(|f| f.3), Some(None), "not an orientation");
    }

    #[test]
    fn broken_headers_are_refused_or_read_never_a_panic() {
        let whole = jpeg(Some(6));
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\x02\x80\0\0\x01\xe0\x08\x02\0\0\0".to_vec();
        png.extend_from_slice(b"\0\0\0\x04eXIfMM\0\x2a");
        for sample in [&whole, &png] {
            for len in 0..sample.len() {
                let _ = PhotoFacts::read(&sample[..len]);
            }
            for at in 0..sample.len() {
                for v in [0x00, 0x01, 0x7F, 0xC0, 0xD8, 0xD9, 0xDA, 0xE1, 0xFF] {
                    let mut b = sample.clone();
                    b[at] = v;
                    let _ = PhotoFacts::read(&b);
                }
            }
        }
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for n in 0..2000 {
            let mut b = if n % 2 == 0 { vec![0xFF, 0xD8, 0xFF] } else { b"\x89PNG\r\n\x1a\n".to_vec() };
            for _ in 0..(n % 97) {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                b.push(x as u8);
            }
            let _ = PhotoFacts::read(&b);
        }
    }
}
