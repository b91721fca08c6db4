//! The [`OnboardingStore`]: bringing a station into service: activation requests, the activation codes on stickers and
//! the claims made with them, the installation record (pinpointing, serial number, photo), and the operator's catalog
//! of known models.

use async_trait::async_trait;
use joule_core::account::AccountId;
use joule_core::{OperatorId, StationId, Timestamp};

use crate::{
    ActivationCodeRecord, ActivationFilter, CatalogModel, Installation, NewActivationCode, NewActivationRequest,
    Pinpointing, Result,
};

/// Bringing stations into service: activation requests, activation codes and claims, installation records and the
/// catalog of known models.
#[async_trait]
pub trait OnboardingStore: Send + Sync {
    // --- activation requests ---

    /// Stores a new request as `requested`. `NotFound` if the operator or the owner does not exist.
    async fn create_activation_request(
        &self,
        request: &NewActivationRequest,
    ) -> Result<joule_core::activation::ActivationRequest>;
    async fn activation_request(
        &self,
        id: joule_core::activation::ActivationRequestId,
    ) -> Result<Option<joule_core::activation::ActivationRequest>>;
    /// Oldest first (by request time, then id), at most `filter.limit` of them.
    async fn list_activation_requests(
        &self,
        filter: &ActivationFilter,
    ) -> Result<Vec<joule_core::activation::ActivationRequest>>;
    /// Moves the request from `from` to `to` (compare-and-set: two reviewers cannot both act), sets its reason
    /// (`None` clears it), `updated_at` and `updated_by`, and returns it. `Conflict` if the request is no longer
    /// in `from`; `NotFound` if there is no such request. The transition rule is the caller's
    /// ([`joule_core::activation::transition`]).
    async fn set_activation_state(
        &self,
        id: joule_core::activation::ActivationRequestId,
        from: joule_core::activation::ActivationState,
        to: joule_core::activation::ActivationState,
        reason: Option<&str>,
        by: &str,
        at: Timestamp,
    ) -> Result<joule_core::activation::ActivationRequest>;

    // --- activation codes ---

    /// Stores a one-time activation code for the station. `NotFound` if the station does not exist.
    async fn create_activation_code(&self, code: &NewActivationCode) -> Result<ActivationCodeRecord>;
    /// The unused codes for this MAC address (`AA:BB:CC:DD:EE:FF`), oldest first, each with its hash, for a
    /// claim to verify against.
    async fn open_activation_codes(&self, mac: &str) -> Result<Vec<(ActivationCodeRecord, String)>>;
    /// The station's codes, used or not, newest first.
    async fn activation_codes(&self, station: &StationId) -> Result<Vec<ActivationCodeRecord>>;
    /// Claims the code's station for `by`: marks the code used (compare-and-set: only an unused code is
    /// marked) and records the claim in the station's installation (creating it; a new claim replaces an
    /// earlier one). `Conflict` if the code is used already, `NotFound` if there is no such code or account.
    async fn use_activation_code(&self, id: i64, by: AccountId, at: Timestamp) -> Result<Installation>;

    // --- installations ---

    /// The station's installation record; `None` before it is claimed or pinpointed.
    async fn installation(&self, station: &StationId) -> Result<Option<Installation>>;
    /// Replaces the station's pinpointing (creating the record). Once the serial number is locked, a
    /// different serial number is a `Conflict` unless `override_serial_lock`. `NotFound` if the station does
    /// not exist.
    async fn set_pinpointing(
        &self,
        station: &StationId,
        pinpointing: &Pinpointing,
        override_serial_lock: bool,
        at: Timestamp,
    ) -> Result<Installation>;
    /// Locks the serial number as of `at` (locking a locked one keeps the first time). `NotFound` if the
    /// station does not exist.
    async fn lock_installation_serial(&self, station: &StationId, at: Timestamp) -> Result<Installation>;
    /// Replaces the station's photo (creating the record) with its content type and EXIF orientation. A photo
    /// over [`MAX_PHOTO_BYTES`](crate::MAX_PHOTO_BYTES) is a `Conflict` and changes nothing (callers check the
    /// size first). `NotFound` if the station does not exist.
    async fn set_installation_photo(
        &self,
        station: &StationId,
        photo: &[u8],
        content_type: &str,
        orientation: Option<u16>,
        at: Timestamp,
    ) -> Result<Installation>;
    /// The photo's bytes and content type.
    async fn installation_photo(&self, station: &StationId) -> Result<Option<(Vec<u8>, String)>>;

    // --- model catalog ---

    /// Adds a model to the operator's catalog, or replaces the entry with the same key
    /// ([`KnownModel::key`](joule_core::catalog::KnownModel::key): one model spelled another way), spelling and
    /// minimum firmware included. `NotFound` if the operator does not exist.
    async fn set_station_model(
        &self,
        operator: OperatorId,
        model: &joule_core::catalog::KnownModel,
        by: &str,
        at: Timestamp,
    ) -> Result<CatalogModel>;
    /// The operator's catalog, by vendor then model.
    async fn station_models(&self, operator: OperatorId) -> Result<Vec<CatalogModel>>;
    /// Removes the model with this key from the operator's catalog. `NotFound` if it is not there.
    async fn delete_station_model(&self, operator: OperatorId, key: &str) -> Result<()>;
}
