//! Local authorization list sync state (OCPP 1.6 §3.5.3, §6.27 GetLocalListVersion, §6.41
//! SendLocalList): per station, what Joule knows of its list, so the next update can be differential.

use joule_core::local_list::Entry;
use joule_core::{StationId, Timestamp};

/// What Joule knows of a station's local authorization list.
///
/// `sent_version` and `sent` go together: the version and the entries of the last list the station
/// Accepted. `sent_version` `None` means nothing is known to be on the station (nothing sent yet, or a
/// Failed, VersionMismatch or unanswered update made it uncertain): the next update is Full.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalListState {
    pub station_id: StationId,
    /// `Some(false)`: the station answered NotSupported (or its SupportedFeatureProfiles lack
    /// LocalAuthListManagement), so it is not asked again; `Some(true)`: it answered a local-list call;
    /// `None`: not known yet.
    pub supported: Option<bool>,
    /// What the station's last GetLocalListVersion.conf said; `None` when unknown (never asked, or asked
    /// again after a boot or a failed update).
    pub station_version: Option<i32>,
    /// The version of the last list the station Accepted.
    pub sent_version: Option<i32>,
    /// The entries of that list, by tag; empty when `sent_version` is `None`.
    pub sent: Vec<Entry>,
    /// How the last sync ended: the station's UpdateStatus (`Accepted`, `Failed`, `VersionMismatch`,
    /// `NotSupported`), or Joule's word for why nothing was sent (`in-step`, `too-long`, `disabled`,
    /// `offline`, `timeout`, `call-error`, ...).
    pub last_result: Option<String>,
    /// A sentence for people about `last_result` (e.g. which limit a list broke).
    pub last_detail: Option<String>,
    /// When the last sync that changed this state ended (a sync that finds everything as it was, e.g. in
    /// step again, writes nothing: no database write per station per round).
    pub last_at: Option<Timestamp>,
}

impl LocalListState {
    /// The state of a station Joule never synced.
    pub fn unknown(station_id: StationId) -> LocalListState {
        LocalListState {
            station_id,
            supported: None,
            station_version: None,
            sent_version: None,
            sent: Vec::new(),
            last_result: None,
            last_detail: None,
            last_at: None,
        }
    }
}
