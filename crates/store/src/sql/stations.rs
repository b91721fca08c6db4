//! [`StationStore`] in SQL: operators and their settings, stations, connector status, station events.

use async_trait::async_trait;
use joule_core::account::AccountId;
use joule_core::operator::OperatorSettings;
use joule_core::station::{BootInfo, Connector, Station, StationState, StatusReport};
use joule_core::{OperatorId, OperatorKey, StationId, Timestamp};

use super::{Exec, Query, SqlBackend, all, one};
use crate::backend::{self, Columns, ExecResult, Lock, now, rank};
use crate::{
    NewStation, Operator, Result, StationCount, StationEvent, StationFilter, StationStore, StatusRecord, StoreError,
};

#[async_trait]
impl<B: SqlBackend> StationStore for B {
    async fn create_operator(&self, name: &str, key: &OperatorKey) -> Result<Operator> {
        let args = (name.to_string(), key.clone(), now());
        self.writer()
            .write(Lock::global(rank::OPERATORS), args, |tx, (name, key, at)| {
                Box::pin(create_operator(tx, name, key, *at))
            })
            .await
    }

    async fn list_operators(&self) -> Result<Vec<Operator>> {
        let rows = self.reader().await?.fetch_all("SELECT * FROM operators ORDER BY name", &[]).await?;
        all(rows, backend::operator)
    }

    async fn operator(&self, id: OperatorId) -> Result<Option<Operator>> {
        let row = self.reader().await?.fetch_optional("SELECT * FROM operators WHERE id = $1", &[id.into()]).await?;
        one(row, backend::operator)
    }

    async fn operator_by_key(&self, key: &OperatorKey) -> Result<Option<Operator>> {
        let sql = "SELECT * FROM operators WHERE operator_key = $1";
        let row = self.reader().await?.fetch_optional(sql, &[key.as_str().into()]).await?;
        one(row, backend::operator)
    }

    async fn operator_by_name(&self, name: &str) -> Result<Option<Operator>> {
        let row =
            self.reader().await?.fetch_optional("SELECT * FROM operators WHERE name = $1", &[name.into()]).await?;
        one(row, backend::operator)
    }

    async fn operator_settings(&self, operator: OperatorId) -> Result<OperatorSettings> {
        let row = self
            .reader()
            .await?
            .fetch_optional(
                "SELECT o.id, s.service_level_days, s.offline_after_minutes
                 FROM operators o LEFT JOIN operator_settings s ON s.operator_id = o.id WHERE o.id = $1",
                &[operator.into()],
            )
            .await?;
        one(row, backend::operator_settings)?.ok_or_else(|| StoreError::NotFound(format!("operator {operator}")))
    }

    async fn set_operator_settings(
        &self,
        operator: OperatorId,
        settings: &OperatorSettings,
        at: Timestamp,
    ) -> Result<OperatorSettings> {
        self.writer()
            .write(Lock::global(rank::OPERATOR_SETTINGS), (operator, *settings, at), |tx, (operator, settings, at)| {
                Box::pin(set_operator_settings(tx, *operator, settings, *at))
            })
            .await
    }

    async fn register_station(&self, new: NewStation) -> Result<Station> {
        self.writer()
            .write(Lock::station(&new.id, rank::NEW_STATION), new, |tx, new| Box::pin(register_station(tx, new)))
            .await
    }

    async fn ensure_station(&self, operator: OperatorId, id: &StationId, at: Timestamp) -> Result<Station> {
        self.writer()
            .write(Lock::station(id, rank::STATION), (operator, id.clone(), at), |tx, (operator, id, at)| {
                Box::pin(ensure_station(tx, *operator, id, *at))
            })
            .await
    }

    async fn station(&self, id: &StationId) -> Result<Option<Station>> {
        Ok(station(&mut self.reader().await?, id).await?)
    }

    async fn list_stations(&self, filter: &StationFilter) -> Result<Vec<Station>> {
        let mut q = Query::new("SELECT * FROM stations WHERE 1 = 1");
        if let Some(operator) = filter.operator_id {
            q.push(" AND operator_id = ").bind(operator);
        }
        if let Some(state) = filter.state {
            q.push(" AND state = ").bind(state.as_str());
        }
        if let Some(online) = filter.online {
            q.push(" AND online = ").bind(online);
        }
        if let Some(after) = &filter.after {
            q.push(" AND id > ").bind(after);
        }
        if let Some(owner) = filter.owner_id {
            q.push(" AND owner_id = ").bind(owner);
        }
        match filter.out_of_service {
            Some(true) => q.push(" AND out_of_service_since IS NOT NULL"),
            Some(false) => q.push(" AND out_of_service_since IS NULL"),
            None => &mut q,
        };
        q.push(" ORDER BY id");
        if let Some(limit) = filter.limit {
            q.push(" LIMIT ").bind(limit);
        }
        all(q.fetch_all(&mut self.reader().await?).await?, backend::station)
    }

    async fn station_counts(&self, operator: OperatorId) -> Result<Vec<StationCount>> {
        let rows = self
            .reader()
            .await?
            .fetch_all(
                "SELECT state, online, COUNT(*) AS n FROM stations WHERE operator_id = $1 GROUP BY state, online
                 ORDER BY state, online",
                &[operator.into()],
            )
            .await?;
        all(rows, |r| {
            let state = r.text("state")?;
            let state = StationState::parse(&state)
                .map_err(|e| StoreError::Corrupt(format!("stations.state {state:?}: {e}")))?;
            Ok(StationCount { state, online: r.flag("online")?, count: r.int("n")?.max(0) as u64 })
        })
    }

    async fn set_station_state(&self, id: &StationId, state: StationState) -> Result<Station> {
        self.writer()
            .write(Lock::station(id, rank::STATION), (id.clone(), state), |tx, (id, state)| {
                Box::pin(set_station_state(tx, id, *state))
            })
            .await
    }

    async fn set_station_free_vend(&self, id: &StationId, free_vend: bool) -> Result<Station> {
        self.writer()
            .write(Lock::station(id, rank::STATION), (id.clone(), free_vend), |tx, (id, free_vend)| {
                Box::pin(set_station_free_vend(tx, id, *free_vend))
            })
            .await
    }

    async fn set_station_password(&self, id: &StationId, password_hash: Option<&str>) -> Result<Station> {
        let args = (id.clone(), password_hash.map(str::to_string));
        self.writer()
            .write(Lock::station(id, rank::STATION), args, |tx, (id, hash)| {
                Box::pin(set_station_password(tx, id, hash.as_deref()))
            })
            .await
    }

    async fn set_station_owner(&self, id: &StationId, owner: Option<AccountId>) -> Result<Station> {
        self.writer()
            .write(Lock::station(id, rank::STATION), (id.clone(), owner), |tx, (id, owner)| {
                Box::pin(set_station_owner(tx, id, *owner))
            })
            .await
    }

    async fn record_boot(&self, id: &StationId, boot: &BootInfo, at: Timestamp) -> Result<()> {
        self.writer()
            .write(Lock::station(id, rank::STATION), (id.clone(), boot.clone(), at), |tx, (id, boot, at)| {
                Box::pin(record_boot(tx, id, boot, *at))
            })
            .await
    }

    async fn record_connection(&self, id: &StationId, online: bool, at: Timestamp) -> Result<()> {
        self.writer()
            .write(Lock::station(id, rank::STATION), (id.clone(), online, at), |tx, (id, online, at)| {
                Box::pin(record_connection(tx, id, *online, *at))
            })
            .await
    }

    async fn record_heartbeat(&self, id: &StationId, at: Timestamp) -> Result<()> {
        self.writer()
            .write(Lock::station(id, rank::STATION), (id.clone(), at), |tx, (id, at)| {
                Box::pin(record_heartbeat(tx, id, *at))
            })
            .await
    }

    async fn mark_all_offline(&self, at: Timestamp) -> Result<u64> {
        self.writer().write(Lock::global(rank::ALL_STATIONS), at, |tx, at| Box::pin(mark_all_offline(tx, *at))).await
    }

    async fn mark_out_of_service(&self, id: &StationId, quiet_since: Timestamp, at: Timestamp) -> Result<bool> {
        let args = (id.clone(), quiet_since, at);
        self.writer()
            .write(Lock::station(id, rank::STATION), args, |tx, (id, quiet_since, at)| {
                Box::pin(mark_out_of_service(tx, id, *quiet_since, *at))
            })
            .await
    }

    async fn clear_out_of_service(&self, id: &StationId) -> Result<Option<Timestamp>> {
        self.writer()
            .write(Lock::station(id, rank::STATION), id.clone(), |tx, id| Box::pin(clear_out_of_service(tx, id)))
            .await
    }

    async fn record_status(&self, id: &StationId, report: &StatusReport, received_at: Timestamp) -> Result<()> {
        let lock = Lock::connector(id, rank::STATUS, report.connector_id);
        self.writer()
            .write(lock, (id.clone(), report.clone(), received_at), |tx, (id, report, received_at)| {
                Box::pin(record_status(tx, id, report, *received_at))
            })
            .await
    }

    async fn connectors(&self, id: &StationId) -> Result<Vec<Connector>> {
        let sql = "SELECT * FROM connectors WHERE station_id = $1 ORDER BY connector_id";
        all(self.reader().await?.fetch_all(sql, &[id.into()]).await?, backend::connector)
    }

    async fn status_history(&self, id: &StationId, connector: Option<u32>, limit: u32) -> Result<Vec<StatusRecord>> {
        let mut q = Query::new("SELECT * FROM status_history WHERE station_id = ");
        q.bind(id);
        if let Some(connector) = connector {
            q.push(" AND connector_id = ").bind(connector);
        }
        q.push(" ORDER BY COALESCE(station_time, received_at) DESC, id DESC LIMIT ").bind(limit);
        all(q.fetch_all(&mut self.reader().await?).await?, backend::status_record)
    }

    async fn record_station_event(&self, event: &StationEvent) -> Result<()> {
        self.writer()
            .write(Lock::station(&event.station_id, rank::STATION_EVENTS), event.clone(), |tx, event| {
                Box::pin(record_station_event(tx, event))
            })
            .await
    }

    async fn station_events(&self, id: &StationId, limit: u32) -> Result<Vec<StationEvent>> {
        let sql = "SELECT * FROM station_events WHERE station_id = $1 ORDER BY occurred_at DESC, id DESC LIMIT $2";
        all(self.reader().await?.fetch_all(sql, &[id.into(), limit.into()]).await?, backend::station_event)
    }
}

/// The station, as it is (inside a transaction: with what the transaction wrote).
pub(super) async fn station(db: &mut impl Exec, id: &StationId) -> ExecResult<Option<Station>> {
    let row = db.fetch_optional("SELECT * FROM stations WHERE id = $1", &[id.into()]).await?;
    Ok(one(row, backend::station)?)
}

/// `NotFound` unless the station exists, for writes that insert no row that would say so.
pub(super) async fn station_exists(tx: &mut impl Exec, id: &StationId) -> ExecResult<()> {
    match tx.fetch_optional("SELECT id FROM stations WHERE id = $1", &[id.into()]).await? {
        Some(_) => Ok(()),
        None => Err(StoreError::NotFound(format!("station {id}")).into()),
    }
}

/// The station a write returned; `NotFound` if it matched no row.
fn station_row(row: Option<impl Columns>, id: &StationId) -> ExecResult<Station> {
    match row {
        Some(row) => Ok(backend::station(&row)?),
        None => Err(StoreError::NotFound(format!("station {id}")).into()),
    }
}

/// `NotFound` for an UPDATE of a station that matched no row.
fn updated(rows: u64, id: &StationId) -> ExecResult<()> {
    if rows == 0 { Err(StoreError::NotFound(format!("station {id}")).into()) } else { Ok(()) }
}

async fn create_operator(tx: &mut impl Exec, name: &str, key: &OperatorKey, at: Timestamp) -> ExecResult<Operator> {
    let row = tx
        .fetch_optional(
            "INSERT INTO operators (name, operator_key, created_at) VALUES ($1, $2, $3)
             ON CONFLICT DO NOTHING RETURNING *",
            &[name.into(), key.as_str().into(), at.into()],
        )
        .await?;
    if let Some(row) = row {
        return Ok(backend::operator(&row)?);
    }
    let taken = tx
        .fetch_optional(
            "SELECT name = $1 AS name_taken FROM operators WHERE name = $1 OR operator_key = $2",
            &[name.into(), key.as_str().into()],
        )
        .await?;
    let name_taken = match taken {
        Some(row) => row.flag("name_taken")?,
        None => false,
    };
    let what = if name_taken { "name" } else { "key" };
    Err(StoreError::Conflict(format!("an operator with this {what} exists")).into())
}

async fn set_operator_settings(
    tx: &mut impl Exec,
    operator: OperatorId,
    settings: &OperatorSettings,
    at: Timestamp,
) -> ExecResult<OperatorSettings> {
    // An unknown operator breaks the foreign key: NotFound.
    let row = tx
        .fetch_one(
            "INSERT INTO operator_settings (operator_id, service_level_days, offline_after_minutes, updated_at)
             VALUES ($1, $2, $3, $4)
             ON CONFLICT (operator_id) DO UPDATE SET service_level_days = excluded.service_level_days,
                 offline_after_minutes = excluded.offline_after_minutes, updated_at = excluded.updated_at
             RETURNING service_level_days, offline_after_minutes",
            &[
                operator.into(),
                i64::from(settings.service_level_days()).into(),
                i64::from(settings.offline_after_minutes()).into(),
                at.into(),
            ],
        )
        .await?;
    Ok(backend::operator_settings(&row)?)
}

async fn register_station(tx: &mut impl Exec, new: &NewStation) -> ExecResult<Station> {
    let row = tx
        .fetch_optional(
            "INSERT INTO stations (id, operator_id, state, free_vend, password_hash, created_at)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (id) DO NOTHING RETURNING *",
            &[
                (&new.id).into(),
                new.operator_id.into(),
                new.state.as_str().into(),
                new.free_vend.into(),
                new.password_hash.as_deref().into(),
                new.created_at.into(),
            ],
        )
        .await?;
    match row {
        Some(row) => Ok(backend::station(&row)?),
        None => Err(StoreError::Conflict(format!("station {} exists", new.id)).into()),
    }
}

async fn ensure_station(
    tx: &mut impl Exec,
    operator: OperatorId,
    id: &StationId,
    at: Timestamp,
) -> ExecResult<Station> {
    let row = tx
        .fetch_optional(
            "INSERT INTO stations (id, operator_id, state, created_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (id) DO NOTHING RETURNING *",
            &[id.into(), operator.into(), StationState::Pending.as_str().into(), at.into()],
        )
        .await?;
    let row = match row {
        Some(row) => Some(row),
        None => tx.fetch_optional("SELECT * FROM stations WHERE id = $1", &[id.into()]).await?,
    };
    station_row(row, id)
}

async fn set_station_state(tx: &mut impl Exec, id: &StationId, state: StationState) -> ExecResult<Station> {
    let sql = "UPDATE stations SET state = $2 WHERE id = $1 RETURNING *";
    station_row(tx.fetch_optional(sql, &[id.into(), state.as_str().into()]).await?, id)
}

async fn set_station_free_vend(tx: &mut impl Exec, id: &StationId, free_vend: bool) -> ExecResult<Station> {
    let sql = "UPDATE stations SET free_vend = $2 WHERE id = $1 RETURNING *";
    station_row(tx.fetch_optional(sql, &[id.into(), free_vend.into()]).await?, id)
}

async fn set_station_password(tx: &mut impl Exec, id: &StationId, password_hash: Option<&str>) -> ExecResult<Station> {
    let sql = "UPDATE stations SET password_hash = $2 WHERE id = $1 RETURNING *";
    station_row(tx.fetch_optional(sql, &[id.into(), password_hash.into()]).await?, id)
}

async fn set_station_owner(tx: &mut impl Exec, id: &StationId, owner: Option<AccountId>) -> ExecResult<Station> {
    // An unknown account breaks the foreign key: NotFound.
    let sql = "UPDATE stations SET owner_id = $2 WHERE id = $1 RETURNING *";
    station_row(tx.fetch_optional(sql, &[id.into(), owner.map(|o| o.0).into()]).await?, id)
}

async fn record_boot(tx: &mut impl Exec, id: &StationId, boot: &BootInfo, at: Timestamp) -> ExecResult<()> {
    let rows = tx
        .execute(
            "UPDATE stations SET boot_vendor = $2, boot_model = $3, boot_serial_number = $4,
                 boot_charge_box_serial_number = $5, boot_firmware_version = $6, boot_iccid = $7,
                 boot_imsi = $8, boot_meter_type = $9, boot_meter_serial_number = $10, last_boot_at = $11
             WHERE id = $1",
            &[
                id.into(),
                boot.vendor.as_str().into(),
                boot.model.as_str().into(),
                boot.serial_number.as_deref().into(),
                boot.charge_box_serial_number.as_deref().into(),
                boot.firmware_version.as_deref().into(),
                boot.iccid.as_deref().into(),
                boot.imsi.as_deref().into(),
                boot.meter_type.as_deref().into(),
                boot.meter_serial_number.as_deref().into(),
                at.into(),
            ],
        )
        .await?;
    updated(rows, id)
}

async fn record_connection(tx: &mut impl Exec, id: &StationId, online: bool, at: Timestamp) -> ExecResult<()> {
    // A close older than the last open leaves the station online (see the trait).
    let rows = tx
        .execute(
            "UPDATE stations SET
                 online = CASE WHEN $2 THEN true WHEN connected_at IS NULL OR connected_at <= $3 THEN false
                               ELSE online END,
                 connected_at = CASE WHEN $2 THEN $3 ELSE connected_at END,
                 disconnected_at = CASE WHEN $2 THEN disconnected_at ELSE $3 END
             WHERE id = $1",
            &[id.into(), online.into(), at.into()],
        )
        .await?;
    updated(rows, id)
}

async fn record_heartbeat(tx: &mut impl Exec, id: &StationId, at: Timestamp) -> ExecResult<()> {
    let rows = tx.execute("UPDATE stations SET last_heartbeat_at = $2 WHERE id = $1", &[id.into(), at.into()]).await?;
    updated(rows, id)
}

async fn mark_all_offline(tx: &mut impl Exec, at: Timestamp) -> ExecResult<u64> {
    tx.execute("UPDATE stations SET online = false, disconnected_at = $1 WHERE online", &[at.into()]).await
}

async fn mark_out_of_service(
    tx: &mut impl Exec,
    id: &StationId,
    quiet_since: Timestamp,
    at: Timestamp,
) -> ExecResult<bool> {
    // The compare-and-set: of two sweeps (or two nodes) deciding at once, one marks the station; a station
    // activated no more, or that connected after the silence the caller measured, is left alone.
    let marked = tx
        .fetch_optional(
            "UPDATE stations SET out_of_service_since = $2
             WHERE id = $1 AND out_of_service_since IS NULL AND state IN ($4, $5)
               AND (connected_at IS NULL OR connected_at <= $3)
             RETURNING id",
            &[
                id.into(),
                at.into(),
                quiet_since.into(),
                StationState::Active.as_str().into(),
                StationState::Verified.as_str().into(),
            ],
        )
        .await?;
    if marked.is_some() {
        return Ok(true);
    }
    station_exists(tx, id).await.map(|()| false)
}

async fn clear_out_of_service(tx: &mut impl Exec, id: &StationId) -> ExecResult<Option<Timestamp>> {
    let row = tx.fetch_optional("SELECT out_of_service_since FROM stations WHERE id = $1", &[id.into()]).await?;
    let Some(row) = row else {
        return Err(StoreError::NotFound(format!("station {id}")).into());
    };
    let Some(since) = row.opt_time("out_of_service_since")? else {
        return Ok(None);
    };
    // Compare-and-set on the mark that was read: a concurrent clear (PostgreSQL re-checks the condition once
    // the other writer commits) leaves nothing for this one, which then answers `None`, so "back in
    // service" is told once.
    let cleared = tx
        .execute(
            "UPDATE stations SET out_of_service_since = NULL WHERE id = $1 AND out_of_service_since = $2",
            &[id.into(), since.into()],
        )
        .await?;
    Ok((cleared == 1).then_some(since))
}

async fn record_status(
    tx: &mut impl Exec,
    id: &StationId,
    report: &StatusReport,
    received_at: Timestamp,
) -> ExecResult<()> {
    let status_at = report.timestamp.unwrap_or(received_at);
    // The connector keeps the newest report; an older one (sent late) only goes to the history.
    tx.execute(
        "INSERT INTO connectors (station_id, connector_id, status, error_code, info, vendor_error_code, status_at,
             evse_id, state, charging_state)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (station_id, connector_id) DO UPDATE SET
             status = excluded.status, error_code = excluded.error_code, info = excluded.info,
             vendor_error_code = excluded.vendor_error_code, status_at = excluded.status_at,
             evse_id = excluded.evse_id, state = excluded.state, charging_state = excluded.charging_state
         WHERE excluded.status_at >= connectors.status_at",
        &[
            id.into(),
            report.connector_id.into(),
            report.status.as_str().into(),
            report.error_code.as_str().into(),
            report.info.as_deref().into(),
            report.vendor_error_code.as_deref().into(),
            status_at.into(),
            report.evse_id.into(),
            report.status.state.as_str().into(),
            report.status.charging.map(|c| c.as_str()).into(),
        ],
    )
    .await?;
    tx.execute(
        "INSERT INTO status_history (station_id, connector_id, status, error_code, info, vendor_id,
             vendor_error_code, station_time, received_at, state, charging_state)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT DO NOTHING",
        &[
            id.into(),
            report.connector_id.into(),
            report.status.as_str().into(),
            report.error_code.as_str().into(),
            report.info.as_deref().into(),
            report.vendor_id.as_deref().into(),
            report.vendor_error_code.as_deref().into(),
            report.timestamp.into(),
            received_at.into(),
            report.status.state.as_str().into(),
            report.status.charging.map(|c| c.as_str()).into(),
        ],
    )
    .await?;
    Ok(())
}

async fn record_station_event(tx: &mut impl Exec, event: &StationEvent) -> ExecResult<()> {
    tx.execute(
        "INSERT INTO station_events (station_id, kind, detail, occurred_at) VALUES ($1, $2, $3, $4)",
        &[(&event.station_id).into(), event.kind.as_str().into(), event.detail.as_str().into(), event.at.into()],
    )
    .await?;
    Ok(())
}
