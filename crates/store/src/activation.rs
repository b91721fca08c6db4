//! Rows of activation requests and of the portal's inbox that are not domain types.

use joule_core::account::AccountId;
use joule_core::activation::{ActivationForm, ActivationState};
use joule_core::{OperatorId, Timestamp};

/// An activation request to store; it starts `requested`.
#[derive(Debug, Clone, PartialEq)]
pub struct NewActivationRequest {
    pub operator_id: OperatorId,
    /// The owner who asks.
    pub owner_id: AccountId,
    pub form: ActivationForm,
    pub requested_at: Timestamp,
}

/// Which activation requests to list; every field that is set must match.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ActivationFilter {
    pub operator_id: Option<OperatorId>,
    pub owner_id: Option<AccountId>,
    pub state: Option<ActivationState>,
    pub limit: Option<u32>,
}

/// One message in a person's portal inbox.
#[derive(Debug, Clone, PartialEq)]
pub struct Notification {
    pub id: i64,
    pub account_id: AccountId,
    /// What it is about, e.g. `activation.activated`, `activation.rejected`.
    pub kind: String,
    pub text: String,
    pub created_at: Timestamp,
    /// When the person marked it read; `None` while unread.
    pub read_at: Option<Timestamp>,
}

/// A compare-and-set of a request's state, as it waits in the writer's queue.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct StateChange {
    pub id: joule_core::activation::ActivationRequestId,
    pub from: ActivationState,
    pub to: ActivationState,
    pub reason: Option<String>,
    pub by: String,
    pub at: Timestamp,
}
