//! [`OnboardingStore`] in SQL: activation requests, activation codes and claims, installation records, and
//! the operators' catalogs of known models.

use async_trait::async_trait;
use joule_core::account::AccountId;
use joule_core::activation::{
    ActivationRequest, ActivationRequestId, ActivationState, encode_charge_points, encode_features,
};
use joule_core::catalog::KnownModel;
use joule_core::{OperatorId, StationId, Timestamp};

use super::{Exec, Query, SqlBackend, all, one};
use crate::activation::StateChange;
use crate::backend::{self, Columns, ExecResult, Lock, rank};
use crate::{
    ActivationCodeRecord, ActivationFilter, CatalogModel, Installation, MAX_PHOTO_BYTES, NewActivationCode,
    NewActivationRequest, OnboardingStore, Pinpointing, Result, StoreError,
};

/// The installation's columns without the photo's bytes (its size instead).
const INSTALLATION: &str =
    "SELECT station_id, claimed_by, claimed_at, lat, lon, accuracy_m, vendor, model, serial_number,
     serial_locked_at, street, house_number, postal_code, city, region, country, time_zone,
     parking_spot, directions, photo_type, CAST(length(photo) AS BIGINT) AS photo_size, photo_orientation,
     updated_at
 FROM installations WHERE station_id = $1";

#[async_trait]
impl<B: SqlBackend> OnboardingStore for B {
    async fn create_activation_request(&self, request: &NewActivationRequest) -> Result<ActivationRequest> {
        self.writer()
            .write(Lock::global(rank::ACTIVATION_REQUESTS), request.clone(), |tx, request| {
                Box::pin(create_activation_request(tx, request))
            })
            .await
    }

    async fn activation_request(&self, id: ActivationRequestId) -> Result<Option<ActivationRequest>> {
        let sql = "SELECT * FROM activation_requests WHERE id = $1";
        one(self.reader().await?.fetch_optional(sql, &[id.0.into()]).await?, backend::activation_request)
    }

    async fn list_activation_requests(&self, filter: &ActivationFilter) -> Result<Vec<ActivationRequest>> {
        let mut q = Query::new("SELECT * FROM activation_requests WHERE 1 = 1");
        if let Some(operator) = filter.operator_id {
            q.push(" AND operator_id = ").bind(operator);
        }
        if let Some(owner) = filter.owner_id {
            q.push(" AND owner_id = ").bind(owner);
        }
        if let Some(state) = filter.state {
            q.push(" AND state = ").bind(state.as_str());
        }
        q.push(" ORDER BY requested_at, id");
        if let Some(limit) = filter.limit {
            q.push(" LIMIT ").bind(limit);
        }
        all(q.fetch_all(&mut self.reader().await?).await?, backend::activation_request)
    }

    async fn set_activation_state(
        &self,
        id: ActivationRequestId,
        from: ActivationState,
        to: ActivationState,
        reason: Option<&str>,
        by: &str,
        at: Timestamp,
    ) -> Result<ActivationRequest> {
        let change = StateChange { id, from, to, reason: reason.map(str::to_string), by: by.to_string(), at };
        self.writer()
            .write(Lock::global(rank::ACTIVATION_REQUESTS), change, |tx, change| {
                Box::pin(set_activation_state(tx, change))
            })
            .await
    }

    async fn create_activation_code(&self, code: &NewActivationCode) -> Result<ActivationCodeRecord> {
        self.writer()
            .write(Lock::station(&code.station_id, rank::ACTIVATION_CODES), code.clone(), |tx, code| {
                Box::pin(create_activation_code(tx, code))
            })
            .await
    }

    async fn open_activation_codes(&self, mac: &str) -> Result<Vec<(ActivationCodeRecord, String)>> {
        let sql = "SELECT * FROM activation_codes WHERE mac = $1 AND used_at IS NULL ORDER BY created_at, id";
        let rows = self.reader().await?.fetch_all(sql, &[mac.into()]).await?;
        all(rows, |r| Ok((backend::activation_code(r)?, r.text("code_hash")?)))
    }

    async fn activation_codes(&self, station: &StationId) -> Result<Vec<ActivationCodeRecord>> {
        let sql = "SELECT * FROM activation_codes WHERE station_id = $1 ORDER BY created_at DESC, id DESC";
        all(self.reader().await?.fetch_all(sql, &[station.into()]).await?, backend::activation_code)
    }

    async fn use_activation_code(&self, id: i64, by: AccountId, at: Timestamp) -> Result<Installation> {
        self.writer()
            .write(Lock::global(rank::CLAIMS), (id, by, at), |tx, (id, by, at)| {
                Box::pin(use_activation_code(tx, *id, *by, *at))
            })
            .await
    }

    async fn installation(&self, station: &StationId) -> Result<Option<Installation>> {
        one(self.reader().await?.fetch_optional(INSTALLATION, &[station.into()]).await?, backend::installation)
    }

    async fn set_pinpointing(
        &self,
        station: &StationId,
        pinpointing: &Pinpointing,
        override_serial_lock: bool,
        at: Timestamp,
    ) -> Result<Installation> {
        let args = (station.clone(), pinpointing.clone(), override_serial_lock, at);
        self.writer()
            .write(Lock::station(station, rank::INSTALLATION), args, |tx, (station, p, override_lock, at)| {
                Box::pin(set_pinpointing(tx, station, p, *override_lock, *at))
            })
            .await
    }

    async fn lock_installation_serial(&self, station: &StationId, at: Timestamp) -> Result<Installation> {
        self.writer()
            .write(Lock::station(station, rank::INSTALLATION), (station.clone(), at), |tx, (station, at)| {
                Box::pin(lock_installation_serial(tx, station, *at))
            })
            .await
    }

    async fn set_installation_photo(
        &self,
        station: &StationId,
        photo: &[u8],
        content_type: &str,
        orientation: Option<u16>,
        at: Timestamp,
    ) -> Result<Installation> {
        let args = (station.clone(), photo.to_vec(), content_type.to_string(), orientation, at);
        self.writer()
            .write(
                Lock::station(station, rank::INSTALLATION),
                args,
                |tx, (station, photo, content_type, orientation, at)| {
                    Box::pin(set_installation_photo(tx, station, photo, content_type, *orientation, *at))
                },
            )
            .await
    }

    async fn installation_photo(&self, station: &StationId) -> Result<Option<(Vec<u8>, String)>> {
        let sql = "SELECT photo, photo_type FROM installations WHERE station_id = $1";
        let Some(row) = self.reader().await?.fetch_optional(sql, &[station.into()]).await? else { return Ok(None) };
        Ok(match (row.opt_blob("photo")?, row.opt_text("photo_type")?) {
            (Some(photo), Some(content_type)) => Some((photo.to_vec(), content_type)),
            _ => None,
        })
    }

    async fn set_station_model(
        &self,
        operator: OperatorId,
        model: &KnownModel,
        by: &str,
        at: Timestamp,
    ) -> Result<CatalogModel> {
        let args = (operator, model.clone(), by.to_string(), at);
        self.writer()
            .write(Lock::global(rank::CATALOG), args, |tx, (operator, model, by, at)| {
                Box::pin(set_station_model(tx, *operator, model, by, *at))
            })
            .await
    }

    async fn station_models(&self, operator: OperatorId) -> Result<Vec<CatalogModel>> {
        let sql = "SELECT * FROM station_models WHERE operator_id = $1 ORDER BY lower(vendor), lower(model)";
        all(self.reader().await?.fetch_all(sql, &[operator.into()]).await?, backend::catalog_model)
    }

    async fn delete_station_model(&self, operator: OperatorId, key: &str) -> Result<()> {
        self.writer()
            .write(Lock::global(rank::CATALOG), (operator, key.to_string()), |tx, (operator, key)| {
                Box::pin(delete_station_model(tx, *operator, key))
            })
            .await
    }
}

async fn create_activation_request(
    tx: &mut impl Exec,
    request: &NewActivationRequest,
) -> ExecResult<ActivationRequest> {
    // A missing operator or owner breaks a foreign key (NotFound).
    let f = &request.form;
    let a = &f.address;
    let charge_points = encode_charge_points(&f.charge_points);
    let features = encode_features(&f.features);
    let row = tx
        .fetch_one(
            "INSERT INTO activation_requests (operator_id, owner_id, customer_number, charge_points,
                 controller_number, installation_type, features, street, house_number, postal_code, city,
                 country, region, network, notes, state, requested_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING *",
            &[
                request.operator_id.into(),
                request.owner_id.into(),
                f.customer_number.as_str().into(),
                charge_points.as_str().into(),
                f.controller_number.as_deref().into(),
                f.installation_type.as_str().into(),
                features.as_str().into(),
                a.street().into(),
                a.house_number().into(),
                a.postal_code().into(),
                a.city().into(),
                a.country().as_str().into(),
                a.region().into(),
                f.network.as_str().into(),
                f.notes.as_deref().into(),
                ActivationState::Requested.as_str().into(),
                request.requested_at.into(),
            ],
        )
        .await?;
    Ok(backend::activation_request(&row)?)
}

async fn set_activation_state(tx: &mut impl Exec, change: &StateChange) -> ExecResult<ActivationRequest> {
    let StateChange { id, from, to, reason, by, at } = change;
    let row = tx
        .fetch_optional(
            "UPDATE activation_requests SET state = $3, reason = $4, updated_at = $5, updated_by = $6
             WHERE id = $1 AND state = $2 RETURNING *",
            &[id.0.into(), from.as_str().into(), to.as_str().into(), reason.as_deref().into(), (*at).into(), by.into()],
        )
        .await?;
    if let Some(row) = row {
        return Ok(backend::activation_request(&row)?);
    }
    let now = tx.fetch_optional("SELECT state FROM activation_requests WHERE id = $1", &[id.0.into()]).await?;
    match now {
        Some(row) => {
            let state = row.text("state")?;
            Err(StoreError::Conflict(format!("activation request {id} is {state}, not {from}")).into())
        }
        None => Err(StoreError::NotFound(format!("activation request {id}")).into()),
    }
}

async fn create_activation_code(tx: &mut impl Exec, code: &NewActivationCode) -> ExecResult<ActivationCodeRecord> {
    // A missing station breaks the foreign key (NotFound).
    let row = tx
        .fetch_one(
            "INSERT INTO activation_codes (station_id, mac, code_hash, created_at, created_by)
             VALUES ($1, $2, $3, $4, $5) RETURNING *",
            &[
                (&code.station_id).into(),
                code.mac.as_str().into(),
                code.code_hash.as_str().into(),
                code.created_at.into(),
                code.created_by.as_str().into(),
            ],
        )
        .await?;
    Ok(backend::activation_code(&row)?)
}

/// Creates the station's installation record if it has none. A missing station breaks the foreign key
/// (NotFound).
async fn ensure_installation(tx: &mut impl Exec, station: &StationId, at: Timestamp) -> ExecResult<()> {
    tx.execute(
        "INSERT INTO installations (station_id, updated_at) VALUES ($1, $2) ON CONFLICT (station_id) DO NOTHING",
        &[station.into(), at.into()],
    )
    .await?;
    Ok(())
}

/// The station's installation record as it is now, without the photo's bytes.
async fn installation_row(tx: &mut impl Exec, station: &StationId) -> ExecResult<Installation> {
    match tx.fetch_optional(INSTALLATION, &[station.into()]).await? {
        Some(row) => Ok(backend::installation(&row)?),
        None => Err(StoreError::NotFound(format!("installation of station {station}")).into()),
    }
}

async fn use_activation_code(tx: &mut impl Exec, id: i64, by: AccountId, at: Timestamp) -> ExecResult<Installation> {
    // Compare-and-set: only an unused code is marked, so two claims with one code cannot both win. A missing
    // account breaks the foreign key (NotFound).
    let station = tx
        .fetch_optional(
            "UPDATE activation_codes SET used_at = $2, used_by = $3
             WHERE id = $1 AND used_at IS NULL RETURNING station_id",
            &[id.into(), at.into(), by.into()],
        )
        .await?;
    let Some(station) = station else {
        let exists = tx.fetch_optional("SELECT id FROM activation_codes WHERE id = $1", &[id.into()]).await?;
        return Err(match exists {
            Some(_) => StoreError::Conflict(format!("activation code {id} is used")),
            None => StoreError::NotFound(format!("activation code {id}")),
        }
        .into());
    };
    let station = StationId::parse(&station.text("station_id")?)
        .map_err(|e| StoreError::Corrupt(format!("column station_id: {e}")))?;
    ensure_installation(tx, &station, at).await?;
    tx.execute(
        "UPDATE installations SET claimed_by = $2, claimed_at = $3, updated_at = $3 WHERE station_id = $1",
        &[(&station).into(), by.into(), at.into()],
    )
    .await?;
    installation_row(tx, &station).await
}

async fn set_pinpointing(
    tx: &mut impl Exec,
    station: &StationId,
    p: &Pinpointing,
    override_serial_lock: bool,
    at: Timestamp,
) -> ExecResult<Installation> {
    ensure_installation(tx, station, at).await?;
    // A locked serial number changes only with the override; the condition sits in the UPDATE, so a lock
    // committed by a parallel writer is seen.
    let rows = tx
        .execute(
            "UPDATE installations SET lat = $2, lon = $3, accuracy_m = $4, vendor = $5, model = $6,
                 serial_number = $7, street = $8, house_number = $9, postal_code = $10, city = $11,
                 region = $12, country = $13, time_zone = $14, parking_spot = $15, directions = $16,
                 updated_at = $17
             WHERE station_id = $1
               AND (serial_locked_at IS NULL OR $18 OR serial_number IS NOT DISTINCT FROM $7)",
            &[
                station.into(),
                p.lat.into(),
                p.lon.into(),
                p.accuracy_m.into(),
                p.vendor.as_deref().into(),
                p.model.as_deref().into(),
                p.serial_number.as_deref().into(),
                p.street.as_deref().into(),
                p.house_number.as_deref().into(),
                p.postal_code.as_deref().into(),
                p.city.as_deref().into(),
                p.region.as_deref().into(),
                p.country.as_deref().into(),
                p.time_zone.as_deref().into(),
                p.parking_spot.as_deref().into(),
                p.directions.as_deref().into(),
                at.into(),
                override_serial_lock.into(),
            ],
        )
        .await?;
    if rows == 0 {
        return Err(StoreError::Conflict(format!("the serial number of station {station} is locked")).into());
    }
    installation_row(tx, station).await
}

async fn lock_installation_serial(tx: &mut impl Exec, station: &StationId, at: Timestamp) -> ExecResult<Installation> {
    ensure_installation(tx, station, at).await?;
    tx.execute(
        "UPDATE installations SET serial_locked_at = COALESCE(serial_locked_at, $2),
             updated_at = CASE WHEN serial_locked_at IS NULL THEN $2 ELSE updated_at END
         WHERE station_id = $1",
        &[station.into(), at.into()],
    )
    .await?;
    installation_row(tx, station).await
}

async fn set_installation_photo(
    tx: &mut impl Exec,
    station: &StationId,
    photo: &[u8],
    content_type: &str,
    orientation: Option<u16>,
    at: Timestamp,
) -> ExecResult<Installation> {
    if photo.len() > MAX_PHOTO_BYTES {
        let what = format!("a photo of {} bytes is over the limit of {} bytes", photo.len(), MAX_PHOTO_BYTES);
        return Err(StoreError::Conflict(what).into());
    }
    ensure_installation(tx, station, at).await?;
    tx.execute(
        "UPDATE installations SET photo = $2, photo_type = $3, photo_at = $4, updated_at = $4, photo_orientation = $5
         WHERE station_id = $1",
        &[station.into(), photo.into(), content_type.into(), at.into(), orientation.map(i64::from).into()],
    )
    .await?;
    installation_row(tx, station).await
}

async fn set_station_model(
    tx: &mut impl Exec,
    operator: OperatorId,
    model: &KnownModel,
    by: &str,
    at: Timestamp,
) -> ExecResult<CatalogModel> {
    // The operator's row is checked first so that a missing operator is NotFound on both backends (SQLite
    // reports a foreign key failure without naming it).
    if tx.fetch_optional("SELECT id FROM operators WHERE id = $1", &[operator.into()]).await?.is_none() {
        return Err(StoreError::NotFound(format!("operator {operator}")).into());
    }
    let key = model.key();
    let row = tx
        .fetch_one(
            "INSERT INTO station_models (operator_id, match_key, vendor, model, min_firmware, updated_at,
                 updated_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (operator_id, match_key) DO UPDATE SET vendor = excluded.vendor,
                 model = excluded.model, min_firmware = excluded.min_firmware,
                 updated_at = excluded.updated_at, updated_by = excluded.updated_by
             RETURNING *",
            &[
                operator.into(),
                key.as_str().into(),
                model.vendor.as_str().into(),
                model.model.as_str().into(),
                model.min_firmware.as_ref().map(|f| f.as_str()).into(),
                at.into(),
                by.into(),
            ],
        )
        .await?;
    Ok(backend::catalog_model(&row)?)
}

async fn delete_station_model(tx: &mut impl Exec, operator: OperatorId, key: &str) -> ExecResult<()> {
    let sql = "DELETE FROM station_models WHERE operator_id = $1 AND match_key = $2";
    if tx.execute(sql, &[operator.into(), key.into()]).await? == 0 {
        return Err(StoreError::NotFound(format!("no such model in the catalog of operator {operator}")).into());
    }
    Ok(())
}
