//! The ports for state a use case needs that lives in the process today: each a small trait with its
//! in-process implementation beside it, so that a cluster can replace one (with a shared bus, a lease, a
//! database row) without touching a use case.
//!
//! The connection registry is not here: which station is connected where is the gateway's, reached
//! through the [`crate::Stations`] port (`is_connected`, `connection`, `connected`, `traffic`).

mod claims;
mod leadership;
mod local_list_marks;

use std::sync::Arc;

pub use claims::{Claim, Claims, LocalClaims};
pub use leadership::{Job, Leadership, SingleNode};
pub use local_list_marks::{LocalListMarks, LocalMarks};

pub use crate::charging::remote_start::{Matched, RemoteStartWatches, RemoteStarts};
pub use crate::events::{EventBus, LiveEvents};

/// The ports, as one value to build a [`crate::charging::Charging`] with.
#[derive(Clone)]
pub struct Ports {
    /// Live station events for the event stream.
    pub events: Arc<dyn LiveEvents>,
    /// Accepted remote starts waiting for their session.
    pub remote_starts: Arc<dyn RemoteStartWatches>,
    /// Stations and operators whose local lists may be out of step.
    pub local_list_marks: Arc<dyn LocalListMarks>,
    /// Work that runs at most once at a time per key (applying defaults, a local list sync).
    pub claims: Arc<dyn Claims>,
    /// Whether this node runs a background job now.
    pub leadership: Arc<dyn Leadership>,
}

impl Ports {
    /// The ports of a single node: everything in this process.
    pub fn local() -> Ports {
        Ports {
            events: Arc::new(EventBus::default()),
            remote_starts: Arc::new(RemoteStarts::default()),
            local_list_marks: Arc::new(LocalMarks::default()),
            claims: Arc::new(LocalClaims::default()),
            leadership: Arc::new(SingleNode),
        }
    }
}
