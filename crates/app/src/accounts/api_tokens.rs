//! An operator's API tokens: listing, creating (the secret is shown once) and revoking.

use chrono::Utc;
use joule_core::{OperatorId, Role};
use joule_store::{ApiToken, NewApiToken};

use super::Accounts;
use super::secrets;
use crate::{Actor, AppError, AppResult, Permission};

impl Accounts<'_> {
    /// The operator's API tokens, revoked ones included (admin).
    pub async fn api_tokens(&self, actor: &Actor, operator: OperatorId) -> AppResult<Vec<ApiToken>> {
        actor.require(Permission::Administer)?;
        Ok(self.app.db().list_api_tokens(operator).await?)
    }

    /// Creates a token for the operator with `role` (admin, operator or viewer) and `name` (1 to 64
    /// printable characters); the answer holds its secret, the only time it is shown.
    pub async fn create_api_token(
        &self,
        actor: &Actor,
        operator: OperatorId,
        role: &str,
        name: &str,
    ) -> AppResult<(ApiToken, String)> {
        actor.require(Permission::Administer)?;
        let role = Role::parse(role)
            .ok_or_else(|| AppError::invalid("role", format!("`{role}` is not admin, operator or viewer")))?;
        let name = name.trim();
        if name.is_empty() || name.len() > 64 || name.chars().any(char::is_control) {
            return Err(AppError::invalid("name", "a token name has 1 to 64 printable characters"));
        }
        let (secret, hash) = secrets::generate();
        let new = NewApiToken {
            operator_id: operator,
            role,
            name: name.to_string(),
            token_hash: hash,
            created_at: Utc::now(),
        };
        let token = self.app.db().create_api_token(&new).await?;
        Ok((token, secret))
    }

    /// Revokes the operator's token `id`: it authenticates nothing from now on (`NotFound` for a token of
    /// another operator).
    pub async fn revoke_api_token(&self, actor: &Actor, operator: OperatorId, id: i64) -> AppResult<()> {
        actor.require(Permission::Administer)?;
        let store = self.app.db();
        let tokens = store.list_api_tokens(operator).await?;
        if !tokens.iter().any(|t| t.id == id) {
            return Err(AppError::not_found(format!("no API token {id}")));
        }
        Ok(store.revoke_api_token(id, Utc::now()).await?)
    }
}
