//! Leadership: whether this node runs a background job now. One node runs them all; a cluster would
//! give each job to one node at a time (a lease), so that e.g. offline detection does not mail twice.

/// The background jobs (see [`crate::jobs`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Job {
    /// Delivers work queued in the database by other processes.
    Outbox,
    /// Offline detection.
    OfflineSweep,
    /// Resumes and starts handovers.
    Handovers,
    /// Prices sessions that stopped while no server ran.
    PricingCatchUp,
    /// Keeps local lists in step.
    LocalListSync,
}

/// Whether this node runs a job now; asked before each round.
pub trait Leadership: Send + Sync {
    fn leads(&self, job: Job) -> bool;
}

/// A single node runs every job.
pub struct SingleNode;

impl Leadership for SingleNode {
    fn leads(&self, _job: Job) -> bool {
        true
    }
}
