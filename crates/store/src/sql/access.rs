//! [`AccessStore`] in SQL: id tokens, drivers and groups, token imports, a station's access rules and
//! its local authorization list.

use std::collections::{HashMap, HashSet};

use async_trait::async_trait;
use joule_core::access::{AccessMode, AccessRules, DriverFacts, DriverId, GroupId, GroupName};
use joule_core::account::AccountId;
use joule_core::auth::IdToken;
use joule_core::{IdTag, OperatorId, StationId, Timestamp};

use super::{Exec, SqlBackend, all, one};
use crate::backend::{self, Columns, ExecResult, Failure, Lock, rank};
use crate::{
    AccessStore, Driver, DriverGroup, ImportDriver, ImportGroup, LocalListState, NewDriver, Result, StoreError,
    TokenFacts, TokenImport,
};

#[async_trait]
impl<B: SqlBackend> AccessStore for B {
    async fn add_id_token(&self, token: &IdToken) -> Result<IdToken> {
        self.writer()
            .write(Lock::global(rank::ID_TOKENS), token.clone(), |tx, token| Box::pin(add_id_token(tx, token)))
            .await
    }

    async fn id_token(&self, operator: OperatorId, tag: &IdTag) -> Result<Option<IdToken>> {
        let sql = "SELECT * FROM id_tokens WHERE operator_id = $1 AND tag = $2";
        one(self.reader().await?.fetch_optional(sql, &[operator.into(), tag.into()]).await?, backend::id_token)
    }

    async fn list_id_tokens(&self, operator: OperatorId) -> Result<Vec<IdToken>> {
        let sql = "SELECT * FROM id_tokens WHERE operator_id = $1 ORDER BY tag";
        all(self.reader().await?.fetch_all(sql, &[operator.into()]).await?, backend::id_token)
    }

    async fn update_id_token(&self, token: &IdToken) -> Result<IdToken> {
        self.writer()
            .write(Lock::global(rank::ID_TOKENS), token.clone(), |tx, token| Box::pin(update_id_token(tx, token)))
            .await
    }

    async fn delete_id_token(&self, operator: OperatorId, tag: &IdTag) -> Result<()> {
        self.writer()
            .write(Lock::global(rank::ID_TOKENS), (operator, tag.clone()), |tx, (operator, tag)| {
                Box::pin(delete_id_token(tx, *operator, tag))
            })
            .await
    }

    async fn set_token_driver(&self, operator: OperatorId, tag: &IdTag, driver: Option<DriverId>) -> Result<()> {
        self.writer()
            .write(Lock::global(rank::MEMBERSHIPS), (operator, tag.clone(), driver), |tx, (operator, tag, driver)| {
                Box::pin(set_token_driver(tx, *operator, tag, *driver))
            })
            .await
    }

    async fn driver_tokens(&self, operator: OperatorId, driver: DriverId) -> Result<Vec<IdToken>> {
        let sql = "SELECT * FROM id_tokens WHERE operator_id = $1 AND driver_id = $2 ORDER BY tag";
        all(self.reader().await?.fetch_all(sql, &[operator.into(), driver.into()]).await?, backend::id_token)
    }

    async fn token_facts(&self, operator: OperatorId, tag: &IdTag) -> Result<Option<TokenFacts>> {
        let mut db = self.reader().await?;
        let sql = "SELECT * FROM id_tokens WHERE operator_id = $1 AND tag = $2";
        let Some(row) = db.fetch_optional(sql, &[operator.into(), tag.into()]).await? else { return Ok(None) };
        let token = backend::id_token(&row)?;
        let driver = match row.opt_int("driver_id")? {
            None => None,
            Some(id) => Some(DriverFacts {
                id: DriverId(id),
                groups: driver_groups(&mut db, id).await?.into_iter().map(GroupId).collect(),
            }),
        };
        Ok(Some(TokenFacts { token, driver }))
    }

    async fn operator_token_facts(&self, operator: OperatorId) -> Result<Vec<TokenFacts>> {
        let mut db = self.reader().await?;
        let sql = "SELECT * FROM id_tokens WHERE operator_id = $1 ORDER BY tag";
        let tokens = db.fetch_all(sql, &[operator.into()]).await?;
        // Every membership of the operator's drivers in one read, instead of one read per token.
        let groups = memberships(&mut db, operator).await?;
        all(tokens, |row| {
            let token = backend::id_token(row)?;
            let driver = row
                .opt_int("driver_id")?
                .map(|id| DriverFacts { id: DriverId(id), groups: groups.get(&id).cloned().unwrap_or_default() });
            Ok(TokenFacts { token, driver })
        })
    }

    async fn import_tokens(&self, import: &TokenImport) -> Result<Vec<Option<DriverId>>> {
        self.writer()
            .write(Lock::global(rank::TOKEN_IMPORT), import.clone(), |tx, import| Box::pin(import_tokens(tx, import)))
            .await
    }

    async fn create_driver(&self, driver: &NewDriver) -> Result<Driver> {
        self.writer()
            .write(Lock::global(rank::DRIVERS), driver.clone(), |tx, driver| Box::pin(create_driver(tx, driver)))
            .await
    }

    async fn update_driver(&self, id: DriverId, driver: &NewDriver) -> Result<Driver> {
        self.writer()
            .write(Lock::global(rank::DRIVERS), (id, driver.clone()), |tx, (id, driver)| {
                Box::pin(update_driver(tx, *id, driver))
            })
            .await
    }

    async fn delete_driver(&self, operator: OperatorId, id: DriverId) -> Result<()> {
        self.writer()
            .write(Lock::global(rank::DRIVERS), (operator, id), |tx, (operator, id)| {
                Box::pin(delete_driver(tx, *operator, *id))
            })
            .await
    }

    async fn drivers(&self, operator: OperatorId) -> Result<Vec<Driver>> {
        drivers(&mut self.reader().await?, operator).await
    }

    async fn driver(&self, operator: OperatorId, id: DriverId) -> Result<Option<Driver>> {
        let mut db = self.reader().await?;
        let sql = "SELECT * FROM drivers WHERE id = $1 AND operator_id = $2";
        let row = db.fetch_optional(sql, &[id.into(), operator.into()]).await?;
        with_groups(&mut db, row).await
    }

    async fn driver_by_account(&self, operator: OperatorId, account: AccountId) -> Result<Option<Driver>> {
        let mut db = self.reader().await?;
        let sql = "SELECT * FROM drivers WHERE operator_id = $1 AND account_id = $2";
        let row = db.fetch_optional(sql, &[operator.into(), account.into()]).await?;
        with_groups(&mut db, row).await
    }

    async fn create_group(&self, operator: OperatorId, name: &GroupName, at: Timestamp) -> Result<DriverGroup> {
        self.writer()
            .write(Lock::global(rank::GROUPS), (operator, name.clone(), at), |tx, (operator, name, at)| {
                Box::pin(create_group(tx, *operator, name, *at))
            })
            .await
    }

    async fn delete_group(&self, operator: OperatorId, id: GroupId) -> Result<()> {
        self.writer()
            .write(Lock::global(rank::GROUPS), (operator, id), |tx, (operator, id)| {
                Box::pin(delete_group(tx, *operator, *id))
            })
            .await
    }

    async fn groups(&self, operator: OperatorId) -> Result<Vec<DriverGroup>> {
        let rows = self
            .reader()
            .await?
            .fetch_all(
                "SELECT g.id, g.operator_id, g.name, g.created_at,
                        (SELECT COUNT(*) FROM group_members m WHERE m.group_id = g.id) AS members
                 FROM driver_groups g WHERE g.operator_id = $1 ORDER BY lower(g.name), g.id",
                &[operator.into()],
            )
            .await?;
        all(rows, backend::driver_group)
    }

    async fn set_group_member(
        &self,
        operator: OperatorId,
        group: GroupId,
        driver: DriverId,
        member: bool,
    ) -> Result<()> {
        let args = (operator, group, driver, member);
        self.writer()
            .write(Lock::global(rank::MEMBERSHIPS), args, |tx, (operator, group, driver, member)| {
                Box::pin(set_group_member(tx, *operator, *group, *driver, *member))
            })
            .await
    }

    async fn group_members(&self, operator: OperatorId, group: GroupId) -> Result<Vec<Driver>> {
        let mut db = self.reader().await?;
        let sql = "SELECT id FROM driver_groups WHERE id = $1 AND operator_id = $2";
        if db.fetch_optional(sql, &[group.into(), operator.into()]).await?.is_none() {
            return Err(StoreError::NotFound(format!("group {group} of operator {operator}")));
        }
        let rows = db.fetch_all("SELECT driver_id FROM group_members WHERE group_id = $1", &[group.into()]).await?;
        let members: HashSet<i64> = rows.iter().map(|r| r.int("driver_id")).collect::<Result<_>>()?;
        let mut drivers = drivers(&mut db, operator).await?;
        drivers.retain(|d| members.contains(&d.id.0));
        Ok(drivers)
    }

    async fn access_rules(&self, station: &StationId) -> Result<Option<AccessRules>> {
        Ok(access_rules(&mut self.reader().await?, station).await?)
    }

    async fn set_access_rules(&self, station: &StationId, rules: &AccessRules, at: Timestamp) -> Result<AccessRules> {
        self.writer()
            .write(
                Lock::station(station, rank::ACCESS_RULES),
                (station.clone(), rules.clone(), at),
                |tx, (s, r, at)| Box::pin(set_access_rules(tx, s, r, *at)),
            )
            .await?;
        self.access_rules(station).await?.ok_or_else(|| StoreError::NotFound(format!("station {station}")))
    }

    async fn local_list_state(&self, station: &StationId) -> Result<Option<LocalListState>> {
        let mut db = self.reader().await?;
        let sql = "SELECT * FROM local_list_sync WHERE station_id = $1";
        let Some(head) = db.fetch_optional(sql, &[station.into()]).await? else { return Ok(None) };
        let sql = "SELECT * FROM local_list_entries WHERE station_id = $1 ORDER BY tag";
        let entries = all(db.fetch_all(sql, &[station.into()]).await?, backend::local_list_entry)?;
        Ok(Some(backend::local_list_state(&head, entries)?))
    }

    async fn put_local_list_state(&self, state: &LocalListState, at: Timestamp) -> Result<()> {
        self.writer()
            .write(Lock::station(&state.station_id, rank::LOCAL_LIST), (state.clone(), at), |tx, (state, at)| {
                Box::pin(put_local_list_state(tx, state, *at))
            })
            .await
    }
}

/// Every group membership of the operator's drivers, in one read: driver id → its groups, in order.
async fn memberships(db: &mut impl Exec, operator: OperatorId) -> Result<HashMap<i64, Vec<GroupId>>> {
    let rows = db
        .fetch_all(
            "SELECT m.driver_id, m.group_id FROM group_members m JOIN drivers d ON d.id = m.driver_id
             WHERE d.operator_id = $1 ORDER BY m.driver_id, m.group_id",
            &[operator.into()],
        )
        .await?;
    let mut groups: HashMap<i64, Vec<GroupId>> = HashMap::new();
    for row in &rows {
        groups.entry(row.int("driver_id")?).or_default().push(GroupId(row.int("group_id")?));
    }
    Ok(groups)
}

/// The driver's groups, by id.
async fn driver_groups(db: &mut impl Exec, driver: i64) -> ExecResult<Vec<i64>> {
    let sql = "SELECT group_id FROM group_members WHERE driver_id = $1 ORDER BY group_id";
    let rows = db.fetch_all(sql, &[driver.into()]).await?;
    Ok(rows.iter().map(|r| r.int("group_id")).collect::<Result<_>>()?)
}

/// The operator's drivers with their groups, by name.
async fn drivers(db: &mut impl Exec, operator: OperatorId) -> Result<Vec<Driver>> {
    let sql = "SELECT * FROM drivers WHERE operator_id = $1 ORDER BY lower(name), id";
    let rows = db.fetch_all(sql, &[operator.into()]).await?;
    let mut groups = memberships(db, operator).await?;
    all(rows, |row| {
        let ids = groups.remove(&row.int("id")?).unwrap_or_default();
        backend::driver(row, ids.into_iter().map(|g| g.0).collect())
    })
}

/// A driver row with its groups (read in a second query).
async fn with_groups<E: Exec>(db: &mut E, row: Option<E::Row>) -> Result<Option<Driver>> {
    let Some(row) = row else { return Ok(None) };
    let groups = driver_groups(db, row.int("id")?).await?;
    backend::driver(&row, groups).map(Some)
}

/// The station's rules in two reads, each on a primary key or index: the station with its mode and times,
/// then every part (overrides, lists, group times) in one UNION. The first branch fixes the column types;
/// the casts give the NULLs of the others the same types in PostgreSQL.
async fn access_rules(db: &mut impl Exec, station: &StationId) -> ExecResult<Option<AccessRules>> {
    let head = db
        .fetch_optional(
            "SELECT s.free_vend, a.mode, a.available_times, d.id AS owner_driver
             FROM stations s LEFT JOIN station_access a ON a.station_id = s.id
                 LEFT JOIN drivers d ON d.operator_id = s.operator_id AND d.account_id = s.owner_id
             WHERE s.id = $1",
            &[station.into()],
        )
        .await?;
    let Some(head) = head else { return Ok(None) };
    let parts = db
        .fetch_all(
            "SELECT 'c' AS kind, connector, mode, authorization_required AS auth,
                 CAST(NULL AS BIGINT) AS driver_id, CAST(NULL AS BIGINT) AS group_id,
                 CAST(NULL AS TEXT) AS times
             FROM station_access_connectors WHERE station_id = $1
             UNION ALL
             SELECT 'a', connector, CAST(NULL AS TEXT), CAST(NULL AS BIGINT), driver_id, group_id,
                 CAST(NULL AS TEXT)
             FROM station_access_admitted WHERE station_id = $1
             UNION ALL
             SELECT 'g', 0, CAST(NULL AS TEXT), CAST(NULL AS BIGINT), CAST(NULL AS BIGINT), group_id, times
             FROM station_group_times WHERE station_id = $1",
            &[station.into()],
        )
        .await?;
    Ok(Some(backend::access_rules(&head, &parts)?))
}

/// A conflict said in the caller's terms (the unique index's own message names columns, not the value).
fn conflict(mut f: Failure, what: impl FnOnce() -> String) -> Failure {
    if matches!(f.error, StoreError::Conflict(_)) {
        f.error = StoreError::Conflict(what());
    }
    f
}

async fn add_id_token(tx: &mut impl Exec, token: &IdToken) -> ExecResult<IdToken> {
    let row = tx
        .fetch_optional(
            "INSERT INTO id_tokens (operator_id, tag, parent, expires_at, blocked, token_type)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT DO NOTHING RETURNING *",
            &[
                token.operator_id.into(),
                (&token.tag).into(),
                token.parent.as_ref().map(|p| p.as_str()).into(),
                token.expires_at.into(),
                token.blocked.into(),
                token.tag.kind().map(|k| k.as_str()).into(),
            ],
        )
        .await?;
    match row {
        Some(row) => Ok(backend::id_token(&row)?),
        None => {
            let what = format!("operator {} already has id tag {}", token.operator_id, token.tag);
            Err(StoreError::Conflict(what).into())
        }
    }
}

async fn update_id_token(tx: &mut impl Exec, token: &IdToken) -> ExecResult<IdToken> {
    let row = tx
        .fetch_optional(
            "UPDATE id_tokens SET parent = $3, expires_at = $4, blocked = $5, token_type = $6
             WHERE operator_id = $1 AND tag = $2 RETURNING *",
            &[
                token.operator_id.into(),
                (&token.tag).into(),
                token.parent.as_ref().map(|p| p.as_str()).into(),
                token.expires_at.into(),
                token.blocked.into(),
                token.tag.kind().map(|k| k.as_str()).into(),
            ],
        )
        .await?;
    match row {
        Some(row) => Ok(backend::id_token(&row)?),
        None => {
            let what = format!("operator {} has no id tag {}", token.operator_id, token.tag);
            Err(StoreError::NotFound(what).into())
        }
    }
}

async fn delete_id_token(tx: &mut impl Exec, operator: OperatorId, tag: &IdTag) -> ExecResult<()> {
    // Sessions keep the tag's text, not a reference to the token: they are untouched.
    let sql = "DELETE FROM id_tokens WHERE operator_id = $1 AND tag = $2";
    if tx.execute(sql, &[operator.into(), tag.into()]).await? == 0 {
        return Err(StoreError::NotFound(format!("operator {operator} has no id tag {tag}")).into());
    }
    Ok(())
}

async fn set_token_driver(
    tx: &mut impl Exec,
    operator: OperatorId,
    tag: &IdTag,
    driver: Option<DriverId>,
) -> ExecResult<()> {
    if let Some(driver) = driver {
        let sql = "SELECT id FROM drivers WHERE id = $1 AND operator_id = $2";
        if tx.fetch_optional(sql, &[driver.into(), operator.into()]).await?.is_none() {
            return Err(StoreError::NotFound(format!("driver {driver} of operator {operator}")).into());
        }
    }
    let sql = "UPDATE id_tokens SET driver_id = $3 WHERE operator_id = $1 AND tag = $2";
    if tx.execute(sql, &[operator.into(), tag.into(), driver.map(|d| d.0).into()]).await? == 0 {
        return Err(StoreError::NotFound(format!("id token {tag} of operator {operator}")).into());
    }
    Ok(())
}

/// A token import in the batch's transaction (and the operation's savepoint, so a failure undoes all of
/// it): groups first, a new driver when a step first names it, then per step its token, link and
/// memberships.
async fn import_tokens(tx: &mut impl Exec, import: &TokenImport) -> ExecResult<Vec<Option<DriverId>>> {
    let mut groups = Vec::with_capacity(import.new_groups.len());
    for name in &import.new_groups {
        groups.push(create_group(tx, import.operator, name, import.at).await?.group.id);
    }
    let mut drivers: Vec<Option<DriverId>> = vec![None; import.new_drivers.len()];
    for step in &import.steps {
        let mut ids = Vec::with_capacity(1 + step.join.len());
        for d in step.link.iter().chain(step.join.iter().map(|(_, d)| d)) {
            let id = match *d {
                ImportDriver::Existing(id) => id,
                ImportDriver::New(i) => match drivers.get(i).copied() {
                    Some(Some(id)) => id,
                    Some(None) => {
                        let (name, email) = import.new_drivers[i].clone();
                        let new =
                            NewDriver { operator_id: import.operator, name, email, account_id: None, at: import.at };
                        let id = create_driver(tx, &new).await?.id;
                        drivers[i] = Some(id);
                        id
                    }
                    None => {
                        return Err(StoreError::Database(format!("internal: the import has no new driver {i}")).into());
                    }
                },
            };
            ids.push(id);
        }
        if let Some((token, new)) = &step.token {
            if *new {
                add_id_token(tx, token).await?;
            } else {
                update_id_token(tx, token).await?;
            }
        }
        let mut ids = ids.into_iter();
        if step.link.is_some()
            && let Some(driver) = ids.next()
        {
            set_token_driver(tx, import.operator, &step.tag, Some(driver)).await?;
        }
        for ((group, _), driver) in step.join.iter().zip(ids) {
            let group = match *group {
                ImportGroup::Existing(id) => id,
                ImportGroup::New(i) => *groups
                    .get(i)
                    .ok_or_else(|| StoreError::Database(format!("internal: the import has no new group {i}")))?,
            };
            set_group_member(tx, import.operator, group, driver, true).await?;
        }
    }
    Ok(drivers)
}

/// An account linked to another driver, said as such.
fn account_taken(f: Failure, driver: &NewDriver) -> Failure {
    conflict(f, || {
        let account = driver.account_id.map(|a| a.0.to_string()).unwrap_or_default();
        format!("account {account} is linked to another driver of the operator already")
    })
}

async fn create_driver(tx: &mut impl Exec, driver: &NewDriver) -> ExecResult<Driver> {
    let row = tx
        .fetch_one(
            "INSERT INTO drivers (operator_id, name, email, account_id, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $5) RETURNING *",
            &[
                driver.operator_id.into(),
                driver.name.as_str().into(),
                driver.email.as_ref().map(|e| e.as_str()).into(),
                driver.account_id.map(|a| a.0).into(),
                driver.at.into(),
            ],
        )
        .await
        .map_err(|f| account_taken(f, driver))?;
    Ok(backend::driver(&row, Vec::new())?)
}

async fn update_driver(tx: &mut impl Exec, id: DriverId, driver: &NewDriver) -> ExecResult<Driver> {
    let row = tx
        .fetch_optional(
            "UPDATE drivers SET name = $3, email = $4, account_id = $5, updated_at = $6
             WHERE id = $1 AND operator_id = $2 RETURNING *",
            &[
                id.into(),
                driver.operator_id.into(),
                driver.name.as_str().into(),
                driver.email.as_ref().map(|e| e.as_str()).into(),
                driver.account_id.map(|a| a.0).into(),
                driver.at.into(),
            ],
        )
        .await
        .map_err(|f| account_taken(f, driver))?;
    let Some(row) = row else {
        return Err(StoreError::NotFound(format!("driver {id} of operator {}", driver.operator_id)).into());
    };
    let groups = driver_groups(tx, id.0).await?;
    Ok(backend::driver(&row, groups)?)
}

async fn delete_driver(tx: &mut impl Exec, operator: OperatorId, id: DriverId) -> ExecResult<()> {
    // Tokens keep existing without a driver (ON DELETE SET NULL), memberships go (CASCADE).
    let sql = "DELETE FROM drivers WHERE id = $1 AND operator_id = $2 RETURNING id";
    match tx.fetch_optional(sql, &[id.into(), operator.into()]).await? {
        Some(_) => Ok(()),
        None => Err(StoreError::NotFound(format!("driver {id} of operator {operator}")).into()),
    }
}

async fn create_group(
    tx: &mut impl Exec,
    operator: OperatorId,
    name: &GroupName,
    at: Timestamp,
) -> ExecResult<DriverGroup> {
    let row = tx
        .fetch_one(
            "INSERT INTO driver_groups (operator_id, name, created_at) VALUES ($1, $2, $3)
             RETURNING id, operator_id, name, created_at, CAST(0 AS BIGINT) AS members",
            &[operator.into(), name.as_str().into(), at.into()],
        )
        .await
        .map_err(|f| conflict(f, || format!("the operator has a group named {:?} already", name.as_str())))?;
    Ok(backend::driver_group(&row)?)
}

async fn delete_group(tx: &mut impl Exec, operator: OperatorId, id: GroupId) -> ExecResult<()> {
    let sql = "DELETE FROM driver_groups WHERE id = $1 AND operator_id = $2 RETURNING id";
    match tx.fetch_optional(sql, &[id.into(), operator.into()]).await? {
        Some(_) => Ok(()),
        None => Err(StoreError::NotFound(format!("group {id} of operator {operator}")).into()),
    }
}

async fn set_group_member(
    tx: &mut impl Exec,
    operator: OperatorId,
    group: GroupId,
    driver: DriverId,
    member: bool,
) -> ExecResult<()> {
    let found = tx
        .fetch_one(
            "SELECT (SELECT COUNT(*) FROM driver_groups WHERE id = $1 AND operator_id = $3) AS group_count,
                    (SELECT COUNT(*) FROM drivers WHERE id = $2 AND operator_id = $3) AS driver_count",
            &[group.into(), driver.into(), operator.into()],
        )
        .await?;
    if found.int("group_count")? == 0 {
        return Err(StoreError::NotFound(format!("group {group} of operator {operator}")).into());
    }
    if found.int("driver_count")? == 0 {
        return Err(StoreError::NotFound(format!("driver {driver} of operator {operator}")).into());
    }
    let sql = if member {
        "INSERT INTO group_members (group_id, driver_id) VALUES ($1, $2) ON CONFLICT DO NOTHING"
    } else {
        "DELETE FROM group_members WHERE group_id = $1 AND driver_id = $2"
    };
    tx.execute(sql, &[group.into(), driver.into()]).await?;
    Ok(())
}

async fn set_access_rules(
    tx: &mut impl Exec,
    station: &StationId,
    rules: &AccessRules,
    at: Timestamp,
) -> ExecResult<()> {
    // The station row first: it says NotFound, and it is the row every other write of the station locks
    // first (the batch's lock order).
    let sql = "UPDATE stations SET free_vend = $2 WHERE id = $1 RETURNING id";
    if tx.fetch_optional(sql, &[station.into(), (!rules.authorization_required).into()]).await?.is_none() {
        return Err(StoreError::NotFound(format!("station {station}")).into());
    }
    let times = rules.available_times.as_ref().map(|t| t.to_string());
    tx.execute(
        "INSERT INTO station_access (station_id, mode, available_times, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (station_id) DO UPDATE SET mode = excluded.mode,
             available_times = excluded.available_times, updated_at = excluded.updated_at",
        &[station.into(), rules.mode.name().into(), times.as_deref().into(), at.into()],
    )
    .await?;
    for table in [
        "DELETE FROM station_access_connectors WHERE station_id = $1",
        "DELETE FROM station_access_admitted WHERE station_id = $1",
        "DELETE FROM station_group_times WHERE station_id = $1",
    ] {
        tx.execute(table, &[station.into()]).await?;
    }
    let mut lists: Vec<(i64, &AccessMode)> = vec![(0, &rules.mode)];
    for c in &rules.connectors {
        let connector = i64::from(c.connector.get());
        tx.execute(
            "INSERT INTO station_access_connectors (station_id, connector, mode, authorization_required)
             VALUES ($1, $2, $3, $4)",
            &[
                station.into(),
                connector.into(),
                c.mode.as_ref().map(|m| m.name()).into(),
                c.authorization_required.map(i64::from).into(),
            ],
        )
        .await
        .map_err(|f| conflict(f, || format!("connector {connector} is given twice")))?;
        if let Some(mode) = &c.mode {
            lists.push((connector, mode));
        }
    }
    for (connector, mode) in lists {
        let AccessMode::Limited { drivers, groups } = mode else { continue };
        let entries = drivers.iter().map(|d| (Some(d.0), None)).chain(groups.iter().map(|g| (None, Some(g.0))));
        for (driver, group) in entries {
            tx.execute(
                "INSERT INTO station_access_admitted (station_id, connector, driver_id, group_id)
                 VALUES ($1, $2, $3, $4)",
                &[station.into(), connector.into(), driver.into(), group.into()],
            )
            .await?;
        }
    }
    for g in &rules.group_times {
        let times = g.times.to_string();
        tx.execute(
            "INSERT INTO station_group_times (station_id, group_id, times) VALUES ($1, $2, $3)",
            &[station.into(), g.group.into(), times.as_str().into()],
        )
        .await
        .map_err(|f| conflict(f, || format!("group {} has times given twice", g.group)))?;
    }
    Ok(())
}

async fn put_local_list_state(tx: &mut impl Exec, state: &LocalListState, at: Timestamp) -> ExecResult<()> {
    let station = &state.station_id;
    // An unknown station breaks the foreign key: NotFound.
    tx.execute(
        "INSERT INTO local_list_sync (station_id, supported, station_version, sent_version, last_result,
             last_detail, last_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (station_id) DO UPDATE SET supported = excluded.supported,
             station_version = excluded.station_version, sent_version = excluded.sent_version,
             last_result = excluded.last_result, last_detail = excluded.last_detail,
             last_at = excluded.last_at, updated_at = excluded.updated_at",
        &[
            station.into(),
            state.supported.map(i64::from).into(),
            state.station_version.map(i64::from).into(),
            state.sent_version.map(i64::from).into(),
            state.last_result.as_deref().into(),
            state.last_detail.as_deref().into(),
            state.last_at.into(),
            at.into(),
        ],
    )
    .await?;
    tx.execute("DELETE FROM local_list_entries WHERE station_id = $1", &[station.into()]).await?;
    if state.sent_version.is_none() {
        return Ok(());
    }
    for entry in &state.sent {
        tx.execute(
            "INSERT INTO local_list_entries (station_id, tag, expires_at, parent) VALUES ($1, $2, $3, $4)",
            &[
                station.into(),
                (&entry.tag).into(),
                entry.expires_at.into(),
                entry.parent.as_ref().map(|p| p.as_str()).into(),
            ],
        )
        .await
        .map_err(|f| conflict(f, || format!("the list holds {} twice", entry.tag)))?;
    }
    Ok(())
}
