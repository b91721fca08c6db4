//! [`BillingStore`] in SQL: tariffs and their versions, tariff assignments, billing settings and session
//! costs.

use async_trait::async_trait;
use joule_core::billing::{BillingSettings, TariffTarget};
use joule_core::{OperatorId, SessionId, Timestamp};

use super::{Exec, SqlBackend, all, one};
use crate::backend::{self, Columns, ExecResult, Lock, rank};
use crate::{
    BillingStore, NewTariff, Result, SessionCost, StoreError, TariffAssignment, TariffVersion, encode_body,
    encode_items, encode_settings,
};

#[async_trait]
impl<B: SqlBackend> BillingStore for B {
    async fn create_tariff(&self, new: &NewTariff) -> Result<TariffVersion> {
        self.writer().write(Lock::global(rank::TARIFFS), new.clone(), |tx, new| Box::pin(create_tariff(tx, new))).await
    }

    async fn tariffs(&self, operator: OperatorId) -> Result<Vec<TariffVersion>> {
        let rows = self
            .reader()
            .await?
            .fetch_all(
                "SELECT v.* FROM tariff_versions v JOIN tariffs t ON t.id = v.tariff_id
                 WHERE t.operator_id = $1
                   AND v.version = (SELECT MAX(w.version) FROM tariff_versions w WHERE w.tariff_id = v.tariff_id)
                 ORDER BY v.tariff_id",
                &[operator.into()],
            )
            .await?;
        all(rows, |r| backend::tariff_version(r, operator))
    }

    async fn tariff_versions(&self, operator: OperatorId, tariff: i64) -> Result<Vec<TariffVersion>> {
        let rows = self
            .reader()
            .await?
            .fetch_all(
                "SELECT v.* FROM tariff_versions v JOIN tariffs t ON t.id = v.tariff_id
                 WHERE t.operator_id = $1 AND v.tariff_id = $2 ORDER BY v.version",
                &[operator.into(), tariff.into()],
            )
            .await?;
        all(rows, |r| backend::tariff_version(r, operator))
    }

    async fn set_tariff_assignment(
        &self,
        operator: OperatorId,
        target: &TariffTarget,
        tariff: Option<i64>,
        at: Timestamp,
    ) -> Result<()> {
        let args = (operator, target.clone(), tariff, at);
        self.writer()
            .write(Lock::global(rank::TARIFFS), args, |tx, (operator, target, tariff, at)| {
                Box::pin(set_tariff_assignment(tx, *operator, target, *tariff, *at))
            })
            .await
    }

    async fn tariff_assignments(&self, operator: OperatorId) -> Result<Vec<TariffAssignment>> {
        let sql = "SELECT * FROM tariff_assignments WHERE operator_id = $1 ORDER BY station_id, connector_id, group_id";
        all(self.reader().await?.fetch_all(sql, &[operator.into()]).await?, backend::tariff_assignment)
    }

    async fn billing_settings(&self, operator: OperatorId) -> Result<BillingSettings> {
        let row = self
            .reader()
            .await?
            .fetch_optional(
                "SELECT o.id, b.settings FROM operators o LEFT JOIN billing_settings b ON b.operator_id = o.id
                 WHERE o.id = $1",
                &[operator.into()],
            )
            .await?;
        one(row, backend::billing_settings)?.ok_or_else(|| StoreError::NotFound(format!("operator {operator}")))
    }

    async fn set_billing_settings(
        &self,
        operator: OperatorId,
        settings: &BillingSettings,
        at: Timestamp,
    ) -> Result<()> {
        self.writer()
            .write(Lock::global(rank::TARIFFS), (operator, *settings, at), |tx, (operator, settings, at)| {
                Box::pin(set_billing_settings(tx, *operator, settings, *at))
            })
            .await
    }

    async fn put_session_cost(&self, cost: &SessionCost) -> Result<()> {
        self.writer()
            .write(Lock::global(rank::SESSION_COSTS), cost.clone(), |tx, cost| Box::pin(put_session_cost(tx, cost)))
            .await
    }

    async fn session_cost(&self, transaction: SessionId) -> Result<Option<SessionCost>> {
        let sql = "SELECT * FROM session_costs WHERE transaction_id = $1";
        one(self.reader().await?.fetch_optional(sql, &[transaction.into()]).await?, backend::session_cost)
    }

    async fn session_costs(
        &self,
        operator: OperatorId,
        since: Timestamp,
        until: Timestamp,
    ) -> Result<Vec<SessionCost>> {
        let rows = self
            .reader()
            .await?
            .fetch_all(
                "SELECT c.* FROM session_costs c JOIN sessions s ON s.id = c.transaction_id
                 WHERE c.operator_id = $1 AND s.started_at >= $2 AND s.started_at < $3
                 ORDER BY s.started_at, s.id",
                &[operator.into(), since.into(), until.into()],
            )
            .await?;
        all(rows, backend::session_cost)
    }

    async fn sessions_without_cost(&self, limit: u32) -> Result<Vec<SessionId>> {
        let rows = self
            .reader()
            .await?
            .fetch_all(
                "SELECT s.id FROM sessions s LEFT JOIN session_costs c ON c.transaction_id = s.id
                 WHERE s.stopped_at IS NOT NULL AND c.transaction_id IS NULL
                 ORDER BY s.stopped_at, s.id LIMIT $1",
                &[limit.into()],
            )
            .await?;
        all(rows, |r| Ok(SessionId(r.int("id")?)))
    }
}

async fn create_tariff(tx: &mut impl Exec, new: &NewTariff) -> ExecResult<TariffVersion> {
    let tariff_id = match new.tariff_id {
        // An unknown operator breaks the foreign key: NotFound.
        None => {
            let sql = "INSERT INTO tariffs (operator_id, created_at) VALUES ($1, $2) RETURNING id";
            tx.fetch_one(sql, &[new.operator_id.into(), new.at.into()]).await?.int("id")?
        }
        Some(id) => {
            let sql = "SELECT id FROM tariffs WHERE id = $1 AND operator_id = $2";
            match tx.fetch_optional(sql, &[id.into(), new.operator_id.into()]).await? {
                Some(row) => row.int("id")?,
                None => {
                    return Err(StoreError::NotFound(format!("tariff {id} of operator {}", new.operator_id)).into());
                }
            }
        }
    };
    // The next version number; two writers racing for it collide on the primary key (Conflict).
    let body = encode_body(&new.body);
    let row = tx
        .fetch_one(
            "INSERT INTO tariff_versions (tariff_id, version, name, valid_from, body, created_at, created_by)
             SELECT $1, COALESCE(MAX(version), 0) + 1, $2, $3, $4, $5, $6 FROM tariff_versions WHERE tariff_id = $1
             RETURNING *",
            &[
                tariff_id.into(),
                new.name.as_str().into(),
                new.valid_from.into(),
                body.as_str().into(),
                new.at.into(),
                new.by.as_str().into(),
            ],
        )
        .await?;
    Ok(backend::tariff_version(&row, new.operator_id)?)
}

async fn set_tariff_assignment(
    tx: &mut impl Exec,
    operator: OperatorId,
    target: &TariffTarget,
    tariff: Option<i64>,
    at: Timestamp,
) -> ExecResult<()> {
    // The whole station, and no group, are stored as '' and 0: the columns are part of the primary key.
    let station = target.station.as_ref().map(|s| s.as_str()).unwrap_or_default();
    let connector = i64::from(target.connector.unwrap_or(0));
    let group = target.group.unwrap_or(0);
    match tariff {
        Some(tariff) => {
            // Only the operator's own tariff can be assigned: the SELECT finds no row otherwise.
            let done = tx
                .fetch_optional(
                    "INSERT INTO tariff_assignments (operator_id, station_id, connector_id, group_id, tariff_id, updated_at)
                     SELECT $1, $2, $3, $4, id, $6 FROM tariffs WHERE id = $5 AND operator_id = $1
                     ON CONFLICT (operator_id, station_id, connector_id, group_id)
                     DO UPDATE SET tariff_id = excluded.tariff_id, updated_at = excluded.updated_at
                     RETURNING tariff_id",
                    &[operator.into(), station.into(), connector.into(), group.into(), tariff.into(), at.into()],
                )
                .await?;
            match done {
                Some(_) => Ok(()),
                None => Err(StoreError::NotFound(format!("tariff {tariff} of operator {operator}")).into()),
            }
        }
        None => {
            let done = tx
                .fetch_optional(
                    "DELETE FROM tariff_assignments
                     WHERE operator_id = $1 AND station_id = $2 AND connector_id = $3 AND group_id = $4
                     RETURNING tariff_id",
                    &[operator.into(), station.into(), connector.into(), group.into()],
                )
                .await?;
            match done {
                Some(_) => Ok(()),
                None => Err(StoreError::NotFound("no tariff is assigned there".into()).into()),
            }
        }
    }
}

async fn set_billing_settings(
    tx: &mut impl Exec,
    operator: OperatorId,
    settings: &BillingSettings,
    at: Timestamp,
) -> ExecResult<()> {
    // An unknown operator breaks the foreign key: NotFound.
    let settings = encode_settings(settings);
    tx.execute(
        "INSERT INTO billing_settings (operator_id, settings, updated_at) VALUES ($1, $2, $3)
         ON CONFLICT (operator_id) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at",
        &[operator.into(), settings.as_str().into(), at.into()],
    )
    .await?;
    Ok(())
}

async fn put_session_cost(tx: &mut impl Exec, cost: &SessionCost) -> ExecResult<()> {
    // Amounts are stored as their decimal text: exact in both databases.
    let amounts =
        [cost.subtotal, cost.adjustment, cost.net, cost.vat_rate, cost.vat, cost.total].map(|d| d.to_string());
    let items = encode_items(&cost.items);
    // An unknown session breaks the foreign key: NotFound.
    tx.execute(
        "INSERT INTO session_costs (transaction_id, operator_id, tariff_id, tariff_version, currency, subtotal,
             adjustment, net, vat_rate, vat, total, energy_wh, duration_secs, free_reason, items, computed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
         ON CONFLICT (transaction_id) DO UPDATE SET operator_id = excluded.operator_id,
             tariff_id = excluded.tariff_id, tariff_version = excluded.tariff_version,
             currency = excluded.currency, subtotal = excluded.subtotal, adjustment = excluded.adjustment,
             net = excluded.net, vat_rate = excluded.vat_rate, vat = excluded.vat, total = excluded.total,
             energy_wh = excluded.energy_wh, duration_secs = excluded.duration_secs,
             free_reason = excluded.free_reason, items = excluded.items, computed_at = excluded.computed_at",
        &[
            cost.transaction_id.into(),
            cost.operator_id.into(),
            cost.tariff.map(|t| t.0).into(),
            cost.tariff.map(|t| t.1).into(),
            cost.currency.as_str().into(),
            amounts[0].as_str().into(),
            amounts[1].as_str().into(),
            amounts[2].as_str().into(),
            amounts[3].as_str().into(),
            amounts[4].as_str().into(),
            amounts[5].as_str().into(),
            cost.energy_wh.into(),
            cost.duration_secs.into(),
            cost.free.map(|f| f.as_str()).into(),
            items.as_str().into(),
            cost.computed_at.into(),
        ],
    )
    .await?;
    Ok(())
}
