//! [`AccountStore`] in SQL: accounts, logins, password resets, API tokens, the audit log and the portal's
//! notifications.

use async_trait::async_trait;
use joule_core::account::{Account, AccountId, AccountRole, Email};
use joule_core::{OperatorId, Timestamp};

use super::{Exec, Query, SqlBackend, all, one};
use crate::backend::{self, Columns, ExecResult, Lock, rank};
use crate::{
    AccountFilter, AccountStore, ApiToken, AuditEntry, AuditFilter, Login, NewAccount, NewApiToken, NewLogin,
    NewPasswordReset, Notification, Result, StoreError,
};

#[async_trait]
impl<B: SqlBackend> AccountStore for B {
    async fn create_account(&self, account: &NewAccount) -> Result<Account> {
        self.writer()
            .write(Lock::global(rank::ACCOUNTS), account.clone(), |tx, account| Box::pin(create_account(tx, account)))
            .await
    }

    async fn account(&self, id: AccountId) -> Result<Option<Account>> {
        let row = self.reader().await?.fetch_optional("SELECT * FROM accounts WHERE id = $1", &[id.into()]).await?;
        one(row, backend::account)
    }

    async fn account_by_email(&self, email: &Email) -> Result<Option<(Account, String)>> {
        let sql = "SELECT * FROM accounts WHERE email = $1";
        let row = self.reader().await?.fetch_optional(sql, &[email.as_str().into()]).await?;
        one(row, |r| Ok((backend::account(r)?, r.text("password_hash")?)))
    }

    async fn list_accounts(&self, filter: &AccountFilter) -> Result<Vec<Account>> {
        let mut q = Query::new("SELECT * FROM accounts WHERE 1 = 1");
        if let Some(operator) = filter.operator_id {
            q.push(" AND operator_id = ").bind(operator);
        }
        if let Some(role) = filter.role {
            q.push(" AND role = ").bind(role.as_str());
        }
        if filter.pending_approval {
            // Only owners and installers are ever approved.
            q.push(" AND approved_at IS NULL AND role IN (")
                .bind(AccountRole::Owner.as_str())
                .push(", ")
                .bind(AccountRole::Installer.as_str())
                .push(")");
        }
        // The column compares bytes in both databases (PostgreSQL: COLLATE "C"), so the order is one.
        q.push(" ORDER BY email");
        if let Some(limit) = filter.limit {
            q.push(" LIMIT ").bind(limit);
        }
        all(q.fetch_all(&mut self.reader().await?).await?, backend::account)
    }

    async fn approve_account(&self, id: AccountId, by: Option<AccountId>, at: Timestamp) -> Result<Account> {
        self.writer()
            .write(Lock::global(rank::ACCOUNTS), (id, by, at), |tx, (id, by, at)| {
                Box::pin(approve_account(tx, *id, *by, *at))
            })
            .await
    }

    async fn set_account_password(&self, id: AccountId, password_hash: &str) -> Result<()> {
        self.writer()
            .write(Lock::global(rank::ACCOUNTS), (id, password_hash.to_string()), |tx, (id, hash)| {
                Box::pin(set_account_password(tx, *id, hash))
            })
            .await
    }

    async fn set_account_disabled(&self, id: AccountId, disabled: bool, at: Timestamp) -> Result<Account> {
        self.writer()
            .write(Lock::global(rank::ACCOUNTS), (id, disabled, at), |tx, (id, disabled, at)| {
                Box::pin(set_account_disabled(tx, *id, *disabled, *at))
            })
            .await
    }

    async fn create_login(&self, login: &NewLogin) -> Result<Login> {
        self.writer()
            .write(Lock::global(rank::LOGINS), login.clone(), |tx, login| Box::pin(create_login(tx, login)))
            .await
    }

    async fn login_by_hash(&self, token_hash: &str) -> Result<Option<Login>> {
        let row = self
            .reader()
            .await?
            .fetch_optional(
                "SELECT accounts.*, logins.id AS login_id, logins.created_at AS login_created_at,
                     logins.expires_at AS login_expires_at, logins.revoked_at AS login_revoked_at,
                     logins.last_used_at AS login_last_used_at
                 FROM logins JOIN accounts ON accounts.id = logins.account_id
                 WHERE logins.token_hash = $1",
                &[token_hash.into()],
            )
            .await?;
        one(row, backend::login)
    }

    async fn revoke_login(&self, id: i64, at: Timestamp) -> Result<()> {
        self.writer()
            .write(Lock::global(rank::LOGINS), (id, at), |tx, (id, at)| {
                Box::pin(stamp(
                    tx,
                    "UPDATE logins SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1 RETURNING id",
                    *id,
                    *at,
                    "login",
                ))
            })
            .await
    }

    async fn touch_login(&self, id: i64, at: Timestamp) -> Result<()> {
        self.writer()
            .write(Lock::global(rank::LOGINS), (id, at), |tx, (id, at)| {
                Box::pin(stamp(
                    tx,
                    "UPDATE logins SET
                         last_used_at = CASE WHEN last_used_at IS NULL OR last_used_at < $2 THEN $2 ELSE last_used_at END
                     WHERE id = $1 RETURNING id",
                    *id,
                    *at,
                    "login",
                ))
            })
            .await
    }

    async fn revoke_logins_of(&self, account: AccountId, at: Timestamp) -> Result<u64> {
        self.writer()
            .write(Lock::global(rank::LOGINS), (account, at), |tx, (account, at)| {
                Box::pin(revoke_logins_of(tx, *account, *at))
            })
            .await
    }

    async fn create_password_reset(&self, reset: &NewPasswordReset) -> Result<()> {
        self.writer()
            .write(Lock::global(rank::PASSWORD_RESETS), reset.clone(), |tx, reset| {
                Box::pin(create_password_reset(tx, reset))
            })
            .await
    }

    async fn password_resets_since(&self, account: AccountId, since: Timestamp) -> Result<u32> {
        let row = self
            .reader()
            .await?
            .fetch_one(
                "SELECT COUNT(*) AS n FROM password_resets WHERE account_id = $1 AND created_at >= $2",
                &[account.into(), since.into()],
            )
            .await?;
        Ok(u32::try_from(row.int("n")?).unwrap_or(u32::MAX))
    }

    async fn password_reset_account(&self, token_hash: &str, at: Timestamp) -> Result<Option<AccountId>> {
        let row = self
            .reader()
            .await?
            .fetch_optional(
                "SELECT account_id FROM password_resets WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
                &[token_hash.into(), at.into()],
            )
            .await?;
        one(row, |r| Ok(AccountId(r.int("account_id")?)))
    }

    async fn reset_password(&self, token_hash: &str, password_hash: &str, at: Timestamp) -> Result<AccountId> {
        let args = (token_hash.to_string(), password_hash.to_string(), at);
        self.writer()
            .write(Lock::global(rank::PASSWORD_RESETS), args, |tx, (token_hash, password_hash, at)| {
                Box::pin(reset_password(tx, token_hash, password_hash, *at))
            })
            .await
    }

    async fn create_api_token(&self, token: &NewApiToken) -> Result<ApiToken> {
        self.writer()
            .write(Lock::global(rank::API_TOKENS), token.clone(), |tx, token| Box::pin(create_api_token(tx, token)))
            .await
    }

    async fn api_token_by_hash(&self, token_hash: &str) -> Result<Option<ApiToken>> {
        let sql = "SELECT * FROM api_tokens WHERE token_hash = $1";
        one(self.reader().await?.fetch_optional(sql, &[token_hash.into()]).await?, backend::api_token)
    }

    async fn list_api_tokens(&self, operator: OperatorId) -> Result<Vec<ApiToken>> {
        let sql = "SELECT * FROM api_tokens WHERE operator_id = $1";
        let mut tokens = all(self.reader().await?.fetch_all(sql, &[operator.into()]).await?, backend::api_token)?;
        // Sorted here, by bytes, so that both databases give one order whatever their collation.
        tokens.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(tokens)
    }

    async fn revoke_api_token(&self, id: i64, at: Timestamp) -> Result<()> {
        self.writer()
            .write(Lock::global(rank::API_TOKENS), (id, at), |tx, (id, at)| {
                Box::pin(stamp(
                    tx,
                    "UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1 RETURNING id",
                    *id,
                    *at,
                    "api token",
                ))
            })
            .await
    }

    async fn touch_api_token(&self, id: i64, at: Timestamp) -> Result<()> {
        self.writer()
            .write(Lock::global(rank::API_TOKENS), (id, at), |tx, (id, at)| {
                Box::pin(stamp(
                    tx,
                    "UPDATE api_tokens SET
                         last_used_at = CASE WHEN last_used_at IS NULL OR last_used_at < $2 THEN $2 ELSE last_used_at END
                     WHERE id = $1 RETURNING id",
                    *id,
                    *at,
                    "api token",
                ))
            })
            .await
    }

    async fn record_audit(&self, entry: &AuditEntry) -> Result<i64> {
        self.writer()
            .write(Lock::global(rank::AUDIT), entry.clone(), |tx, entry| Box::pin(record_audit(tx, entry)))
            .await
    }

    async fn audit_entries(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>> {
        let mut q = Query::new("SELECT * FROM audit_log WHERE 1 = 1");
        if let Some(operator) = filter.operator_id {
            q.push(" AND operator_id = ").bind(operator);
        }
        if let Some(subject) = &filter.subject {
            q.push(" AND subject = ").bind(subject);
        }
        if let Some(since) = filter.since {
            q.push(" AND at >= ").bind(since);
        }
        if let Some(until) = filter.until {
            q.push(" AND at < ").bind(until);
        }
        q.push(" ORDER BY at DESC, id DESC");
        if let Some(limit) = filter.limit {
            q.push(" LIMIT ").bind(limit);
        }
        all(q.fetch_all(&mut self.reader().await?).await?, backend::audit_entry)
    }

    async fn record_notification(
        &self,
        account: AccountId,
        kind: &str,
        text: &str,
        at: Timestamp,
    ) -> Result<Notification> {
        let args = (account, kind.to_string(), text.to_string(), at);
        self.writer()
            .write(Lock::global(rank::NOTIFICATIONS), args, |tx, (account, kind, text, at)| {
                Box::pin(record_notification(tx, *account, kind, text, *at))
            })
            .await
    }

    async fn notifications(&self, account: AccountId, limit: u32) -> Result<Vec<Notification>> {
        let sql = "SELECT * FROM notifications WHERE account_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2";
        all(self.reader().await?.fetch_all(sql, &[account.into(), limit.into()]).await?, backend::notification)
    }

    async fn mark_notification_read(&self, account: AccountId, id: i64, at: Timestamp) -> Result<()> {
        self.writer()
            .write(Lock::global(rank::NOTIFICATIONS), (account, id, at), |tx, (account, id, at)| {
                Box::pin(mark_notification_read(tx, *account, *id, *at))
            })
            .await
    }
}

/// Runs `sql` (an `UPDATE … WHERE id = $1 RETURNING id` taking an instant as `$2`) on row `id`; `NotFound`
/// naming `what` when there is no such row. For the writes that only stamp a time (revoked, last used).
async fn stamp(tx: &mut impl Exec, sql: &'static str, id: i64, at: Timestamp, what: &str) -> ExecResult<()> {
    match tx.fetch_optional(sql, &[id.into(), at.into()]).await? {
        Some(_) => Ok(()),
        None => Err(StoreError::NotFound(format!("{what} {id}")).into()),
    }
}

fn account_row(row: Option<impl Columns>, id: AccountId) -> ExecResult<Account> {
    match row {
        Some(row) => Ok(backend::account(&row)?),
        None => Err(StoreError::NotFound(format!("account {id}")).into()),
    }
}

async fn create_account(tx: &mut impl Exec, account: &NewAccount) -> ExecResult<Account> {
    // A missing operator breaks the foreign key (NotFound); a taken address inserts nothing.
    let row = tx
        .fetch_optional(
            "INSERT INTO accounts (email, name, role, operator_id, owner_kind, company_number, password_hash,
                 created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
             ON CONFLICT (email) DO NOTHING RETURNING *",
            &[
                account.email.as_str().into(),
                account.name.as_str().into(),
                account.role.as_str().into(),
                account.operator_id.map(|o| o.0).into(),
                account.owner_kind.map(|k| k.as_str()).into(),
                account.company_number.as_deref().into(),
                account.password_hash.as_str().into(),
                account.created_at.into(),
            ],
        )
        .await?;
    match row {
        Some(row) => Ok(backend::account(&row)?),
        None => Err(StoreError::Conflict(format!("an account with e-mail {} exists", account.email)).into()),
    }
}

async fn approve_account(
    tx: &mut impl Exec,
    id: AccountId,
    by: Option<AccountId>,
    at: Timestamp,
) -> ExecResult<Account> {
    // An approved account keeps its first approval (SET reads the row's values before the update).
    let row = tx
        .fetch_optional(
            "UPDATE accounts SET
                 approved_by = CASE WHEN approved_at IS NULL THEN $2 ELSE approved_by END,
                 approved_at = COALESCE(approved_at, $3)
             WHERE id = $1 RETURNING *",
            &[id.into(), by.map(|b| b.0).into(), at.into()],
        )
        .await?;
    account_row(row, id)
}

async fn set_account_password(tx: &mut impl Exec, id: AccountId, password_hash: &str) -> ExecResult<()> {
    let sql = "UPDATE accounts SET password_hash = $2 WHERE id = $1 RETURNING id";
    match tx.fetch_optional(sql, &[id.into(), password_hash.into()]).await? {
        Some(_) => Ok(()),
        None => Err(StoreError::NotFound(format!("account {id}")).into()),
    }
}

async fn set_account_disabled(tx: &mut impl Exec, id: AccountId, disabled: bool, at: Timestamp) -> ExecResult<Account> {
    let row = if disabled {
        // A disabled account keeps the time it was first disabled.
        let sql = "UPDATE accounts SET disabled_at = COALESCE(disabled_at, $2) WHERE id = $1 RETURNING *";
        tx.fetch_optional(sql, &[id.into(), at.into()]).await?
    } else {
        tx.fetch_optional("UPDATE accounts SET disabled_at = NULL WHERE id = $1 RETURNING *", &[id.into()]).await?
    };
    account_row(row, id)
}

async fn create_login(tx: &mut impl Exec, login: &NewLogin) -> ExecResult<Login> {
    // A missing account breaks the foreign key (NotFound); a taken hash inserts nothing.
    let id = tx
        .fetch_optional(
            "INSERT INTO logins (account_id, token_hash, created_at, expires_at, remote)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (token_hash) DO NOTHING RETURNING id",
            &[
                login.account_id.into(),
                login.token_hash.as_str().into(),
                login.created_at.into(),
                login.expires_at.into(),
                login.remote.as_deref().into(),
            ],
        )
        .await?;
    let Some(id) = id else {
        return Err(StoreError::Conflict("a login with this hash exists".into()).into());
    };
    let row = tx
        .fetch_one(
            "SELECT accounts.*, logins.id AS login_id, logins.created_at AS login_created_at,
                 logins.expires_at AS login_expires_at, logins.revoked_at AS login_revoked_at,
                 logins.last_used_at AS login_last_used_at
             FROM logins JOIN accounts ON accounts.id = logins.account_id
             WHERE logins.id = $1",
            &[id.int("id")?.into()],
        )
        .await?;
    Ok(backend::login(&row)?)
}

async fn revoke_logins_of(tx: &mut impl Exec, account: AccountId, at: Timestamp) -> ExecResult<u64> {
    if tx.fetch_optional("SELECT id FROM accounts WHERE id = $1", &[account.into()]).await?.is_none() {
        return Err(StoreError::NotFound(format!("account {account}")).into());
    }
    tx.execute(
        "UPDATE logins SET revoked_at = $2 WHERE account_id = $1 AND revoked_at IS NULL AND expires_at > $2",
        &[account.into(), at.into()],
    )
    .await
}

async fn create_password_reset(tx: &mut impl Exec, reset: &NewPasswordReset) -> ExecResult<()> {
    // An unknown account breaks the foreign key: NotFound.
    tx.execute(
        "INSERT INTO password_resets (account_id, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4)",
        &[reset.account_id.into(), (&reset.token_hash).into(), reset.created_at.into(), reset.expires_at.into()],
    )
    .await?;
    Ok(())
}

async fn reset_password(
    tx: &mut impl Exec,
    token_hash: &str,
    password_hash: &str,
    at: Timestamp,
) -> ExecResult<AccountId> {
    // Taking the link is the first statement: of two uses of one link in one batch, the second finds it used
    // (single use holds without a lock of our own).
    let account = tx
        .fetch_optional(
            "UPDATE password_resets SET used_at = $2
             WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING account_id",
            &[token_hash.into(), at.into()],
        )
        .await?;
    let Some(account) = account else {
        return Err(StoreError::NotFound("password reset link".into()).into());
    };
    let account = AccountId(account.int("account_id")?);
    // Older links mailed before this one die with it: a link seen by someone else is no way back in.
    tx.execute(
        "UPDATE password_resets SET used_at = $2 WHERE account_id = $1 AND used_at IS NULL",
        &[account.into(), at.into()],
    )
    .await?;
    set_account_password(tx, account, password_hash).await?;
    revoke_logins_of(tx, account, at).await?;
    Ok(account)
}

async fn create_api_token(tx: &mut impl Exec, token: &NewApiToken) -> ExecResult<ApiToken> {
    let row = tx
        .fetch_optional(
            "INSERT INTO api_tokens (operator_id, role, name, token_hash, created_at) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT DO NOTHING RETURNING *",
            &[
                token.operator_id.into(),
                token.role.as_str().into(),
                token.name.as_str().into(),
                token.token_hash.as_str().into(),
                token.created_at.into(),
            ],
        )
        .await?;
    match row {
        Some(row) => Ok(backend::api_token(&row)?),
        None => {
            let what = format!("operator {} already has a token named {:?}", token.operator_id, token.name);
            Err(StoreError::Conflict(what).into())
        }
    }
}

async fn record_audit(tx: &mut impl Exec, entry: &AuditEntry) -> ExecResult<i64> {
    let row = tx
        .fetch_one(
            "INSERT INTO audit_log (at, actor, operator_id, action, subject, before_json, after_json)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            &[
                entry.at.into(),
                entry.actor.as_str().into(),
                entry.operator_id.map(|o| o.0).into(),
                entry.action.as_str().into(),
                entry.subject.as_str().into(),
                entry.before.as_deref().into(),
                entry.after.as_deref().into(),
            ],
        )
        .await?;
    Ok(row.int("id")?)
}

async fn record_notification(
    tx: &mut impl Exec,
    account: AccountId,
    kind: &str,
    text: &str,
    at: Timestamp,
) -> ExecResult<Notification> {
    // A missing account breaks the foreign key (NotFound).
    let row = tx
        .fetch_one(
            "INSERT INTO notifications (account_id, kind, text, created_at) VALUES ($1, $2, $3, $4)
             RETURNING *",
            &[account.into(), kind.into(), text.into(), at.into()],
        )
        .await?;
    Ok(backend::notification(&row)?)
}

async fn mark_notification_read(tx: &mut impl Exec, account: AccountId, id: i64, at: Timestamp) -> ExecResult<()> {
    let found = tx
        .fetch_optional(
            "UPDATE notifications SET read_at = COALESCE(read_at, $3) WHERE id = $1 AND account_id = $2
             RETURNING id",
            &[id.into(), account.into(), at.into()],
        )
        .await?;
    match found {
        Some(_) => Ok(()),
        None => Err(StoreError::NotFound(format!("notification {id} of account {account}")).into()),
    }
}
