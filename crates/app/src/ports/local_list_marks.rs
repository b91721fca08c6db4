//! Local list marks: the stations (and operators, standing for all their stations) whose local lists may
//! be out of step with their access rules, to be synced at the next round (see
//! [`crate::access::local_list`]).

use std::collections::HashSet;
use std::sync::Mutex;

use joule_core::{OperatorId, StationId};

pub trait LocalListMarks: Send + Sync {
    /// Marks every station of the operator: its tokens, drivers or groups changed.
    fn mark_operator(&self, operator: OperatorId);
    /// Marks the station: its access rules changed, or what it told about itself.
    fn mark_station(&self, station: &StationId);
    /// Takes the marks (they are cleared): the operators and the stations.
    fn take(&self) -> (Vec<OperatorId>, Vec<StationId>);
}

/// The marks of one process.
#[derive(Default)]
pub struct LocalMarks {
    operators: Mutex<HashSet<OperatorId>>,
    stations: Mutex<HashSet<StationId>>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // Plain sets, changed by single calls: a poisoned lock is still consistent.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl LocalListMarks for LocalMarks {
    fn mark_operator(&self, operator: OperatorId) {
        lock(&self.operators).insert(operator);
    }

    fn mark_station(&self, station: &StationId) {
        lock(&self.stations).insert(station.clone());
    }

    fn take(&self) -> (Vec<OperatorId>, Vec<StationId>) {
        let operators = std::mem::take(&mut *lock(&self.operators)).into_iter().collect();
        let stations = std::mem::take(&mut *lock(&self.stations)).into_iter().collect();
        (operators, stations)
    }
}
