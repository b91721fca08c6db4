//! The operator's id tokens (OCPP 1.6 IdToken, §7.28): RFID cards and other idTags. Any change may change the
//! local authorization lists of the operator's stations, so each marks them for a resend.

use joule_core::IdTag;
use joule_core::auth::IdToken;

use crate::{Actor, AppError, AppResult, Permission};

impl super::Access<'_> {
    /// The operator's id tokens, by tag.
    pub async fn id_tokens(&self, actor: &Actor) -> AppResult<Vec<IdToken>> {
        actor.require(Permission::Read)?;
        Ok(self.app.db().list_id_tokens(operator(actor)?).await?)
    }

    /// One id token of the operator.
    pub async fn id_token(&self, actor: &Actor, tag: &IdTag) -> AppResult<IdToken> {
        actor.require(Permission::Read)?;
        let token = self.app.db().id_token(operator(actor)?, tag).await?;
        token.ok_or_else(|| AppError::NotFound(format!("no id token {tag}")))
    }

    /// Adds an id token for the actor's operator (whatever `token.operator_id` says).
    pub async fn add_id_token(&self, actor: &Actor, mut token: IdToken) -> AppResult<IdToken> {
        actor.require(Permission::Operate)?;
        token.operator_id = operator(actor)?;
        let token = self.app.db().add_id_token(&token).await?;
        self.app.local_list_marks().mark_operator(token.operator_id);
        Ok(token)
    }

    /// Replaces an id token's parent, expiry and blocked flag.
    pub async fn update_id_token(&self, actor: &Actor, mut token: IdToken) -> AppResult<IdToken> {
        actor.require(Permission::Operate)?;
        token.operator_id = operator(actor)?;
        let token = self.app.db().update_id_token(&token).await?;
        self.app.local_list_marks().mark_operator(token.operator_id);
        Ok(token)
    }

    /// Deletes an id token; its past sessions are kept.
    pub async fn delete_id_token(&self, actor: &Actor, tag: &IdTag) -> AppResult<()> {
        actor.require(Permission::Operate)?;
        let operator = operator(actor)?;
        self.app.db().delete_id_token(operator, tag).await?;
        self.app.local_list_marks().mark_operator(operator);
        Ok(())
    }
}

/// The operator the actor acts for; an actor without one (the CLI, Joule) has no operator's tokens.
pub(crate) fn operator(actor: &Actor) -> AppResult<joule_core::OperatorId> {
    actor.operator().ok_or_else(|| AppError::Forbidden(format!("{} acts for no operator", actor.name())))
}
