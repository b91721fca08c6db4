//! The facade: one value holding the store, the stations, the ports, the settings and the mailer.

use std::sync::Arc;

use joule_store::Store;

use crate::charging::Charging;
use crate::events::LiveEvents;
use crate::ports::{Claims, Leadership, LocalListMarks};
use crate::settings::Settings;
use crate::stations::Stations;

/// Joule's use cases, by concept. Cheap to clone.
#[derive(Clone)]
pub struct App {
    inner: Arc<Inner>,
}

struct Inner {
    charging: Charging,
    stations: Arc<dyn Stations>,
    mailer: Arc<joule_mail::Mailer>,
}

impl App {
    /// Built after the gateway: `charging` is the one the gateway was built with (so both share the
    /// ports), `stations` the gateway itself.
    pub fn new(charging: Charging, stations: Arc<dyn Stations>, mailer: Arc<joule_mail::Mailer>) -> App {
        App { inner: Arc::new(Inner { charging, stations, mailer }) }
    }

    /// The station-facing rules (what the gateway calls).
    pub fn charging(&self) -> &Charging {
        &self.inner.charging
    }

    /// Onboarding: activation requests, stickers, claims, installation, verification, handover.
    pub fn onboarding(&self) -> crate::onboarding::Onboarding<'_> {
        crate::onboarding::Onboarding::new(self)
    }

    /// Access: drivers, id tokens, groups, access rules, local lists.
    pub fn access(&self) -> crate::access::Access<'_> {
        crate::access::Access::new(self)
    }

    /// Billing: tariffs, pricing, sessions and their costs, statements, 15-minute data and exports.
    pub fn billing(&self) -> crate::billing::Billing<'_> {
        crate::billing::Billing::new(self)
    }

    /// Accounts and audit: people, logins, API tokens, passwords, the audit log.
    pub fn accounts(&self) -> crate::accounts::Accounts<'_> {
        crate::accounts::Accounts::new(self)
    }

    /// Operating stations: commands, configuration, offline detection.
    pub fn operations(&self) -> crate::operations::Operations<'_> {
        crate::operations::Operations::new(self)
    }

    /// The local authorization lists of stations.
    pub fn local_lists(&self) -> crate::access::local_list::LocalLists {
        crate::access::local_list::LocalLists::new(self.charging(), self.inner.stations.clone())
    }

    pub fn stations(&self) -> &Arc<dyn Stations> {
        &self.inner.stations
    }

    pub fn settings(&self) -> &Arc<Settings> {
        self.inner.charging.settings()
    }

    pub fn mailer(&self) -> &Arc<joule_mail::Mailer> {
        &self.inner.mailer
    }

    pub fn events(&self) -> &Arc<dyn LiveEvents> {
        self.inner.charging.events()
    }

    pub fn local_list_marks(&self) -> &Arc<dyn LocalListMarks> {
        self.inner.charging.local_list_marks()
    }

    pub fn claims(&self) -> &Arc<dyn Claims> {
        self.inner.charging.claims()
    }

    pub fn leadership(&self) -> &Arc<dyn Leadership> {
        self.inner.charging.leadership()
    }

    /// The store, for the use cases here.
    pub(crate) fn db(&self) -> &Arc<dyn Store> {
        self.inner.charging.store()
    }

    /// The store, for the concepts whose use cases are not moved here yet: they are being moved off it,
    /// and it goes once the last one is.
    #[doc(hidden)]
    pub fn store(&self) -> &Arc<dyn Store> {
        self.inner.charging.store()
    }
}
