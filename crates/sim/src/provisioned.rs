//! A simulated station that can be re-provisioned to another central system: it keeps
//! the configuration values it is given, takes a new central-system URL from a vendor key
//! (ChangeConfiguration, OCPP 1.6 §5.3) or a DataTransfer (§5.6), and on Reset (§5.14) closes its
//! connection and connects to the new URL, as a real station that honours a provisioning profile does.
//!
//! It runs on its own task; a test reads what happened with [`ProvisionedStation::state`].

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use ocpp::ErrorCode;
use serde_json::{Value, json};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::client::{ConnectOptions, StationClient};

/// How the station behaves.
#[derive(Debug, Clone)]
pub struct Behaviour {
    /// BootNotification chargePointVendor and chargePointModel.
    pub vendor: String,
    pub model: String,
    /// The configuration key that holds the central-system URL (`None`: no key does).
    pub url_key: Option<String>,
    /// The DataTransfer vendorId whose data is a new central-system URL (`None`: no DataTransfer does).
    pub url_vendor_id: Option<String>,
    /// Answer a ChangeConfiguration of the URL key with RebootRequired instead of Accepted.
    pub reboot_required: bool,
    /// Answer every Reset Accepted but come back to the old URL: a station that did not really take the
    /// new one (firmware that ignores the key).
    pub ignores_new_url: bool,
}

impl Behaviour {
    /// A station of `vendor` that takes the URL from configuration key `key`.
    pub fn configuration_key(vendor: &str, key: &str) -> Behaviour {
        Behaviour {
            vendor: vendor.to_string(),
            model: "Sim-22".to_string(),
            url_key: Some(key.to_string()),
            url_vendor_id: None,
            reboot_required: false,
            ignores_new_url: false,
        }
    }

    /// A station of `vendor` that takes the URL from a DataTransfer of `vendor_id`.
    pub fn data_transfer(vendor: &str, vendor_id: &str) -> Behaviour {
        Behaviour {
            url_key: None,
            url_vendor_id: Some(vendor_id.to_string()),
            ..Behaviour::configuration_key(vendor, "")
        }
    }
}

/// What the station did and has.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SimState {
    /// The URL it connects to now.
    pub url: String,
    /// Every configuration value it was given.
    pub configuration: BTreeMap<String, String>,
    /// The CALLs it received, in order: action and payload.
    pub calls: Vec<(String, Value)>,
    /// Each boot: the URL it booted at and the registration status it got.
    pub boots: Vec<(String, String)>,
    /// Whether it is connected now.
    pub connected: bool,
}

pub struct ProvisionedStation {
    state: Arc<Mutex<SimState>>,
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl ProvisionedStation {
    /// Connects to `url` (the whole URL, station id included) and boots; keeps reconnecting (to the URL
    /// it has then) whenever the connection ends, until stopped.
    pub fn spawn(url: &str, behaviour: Behaviour) -> ProvisionedStation {
        let state = Arc::new(Mutex::new(SimState { url: url.to_string(), ..SimState::default() }));
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(run(state.clone(), behaviour, stopped));
        ProvisionedStation { state, stop, task }
    }

    pub fn state(&self) -> SimState {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Stops the station and closes its connection.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = tokio::time::timeout(Duration::from_secs(5), self.task).await;
    }
}

async fn run(state: Arc<Mutex<SimState>>, behaviour: Behaviour, mut stopped: watch::Receiver<bool>) {
    let lock = |s: &Arc<Mutex<SimState>>| s.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let mut retry = Duration::from_millis(100);
    while !*stopped.borrow() {
        let url = lock(&state).url;
        let Ok(mut st) = StationClient::connect(&url, ConnectOptions::default()).await else {
            // Stations retry with a growing pause (bounded).
            tokio::select! { _ = tokio::time::sleep(retry) => {}, _ = stopped.changed() => {} }
            retry = (retry * 2).min(Duration::from_secs(2));
            continue;
        };
        retry = Duration::from_millis(100);
        state.lock().unwrap_or_else(|e| e.into_inner()).connected = true;
        let boot = json!({ "chargePointVendor": behaviour.vendor, "chargePointModel": behaviour.model });
        let status = match st.call("BootNotification", boot).await {
            Ok(outcome) => match outcome {
                crate::client::CallOutcome::Result(v) => v["status"].as_str().unwrap_or("?").to_string(),
                other => format!("{other:?}"),
            },
            Err(_) => "closed".to_string(),
        };
        state.lock().unwrap_or_else(|e| e.into_inner()).boots.push((url.clone(), status));
        let mut next_url: Option<String> = None;
        let reset = loop {
            let call = tokio::select! {
                call = st.next_server_call(Duration::from_millis(200)) => call,
                _ = stopped.changed() => break false,
            };
            let call = match call {
                Ok(Some(call)) => call,
                Ok(None) => continue,
                Err(_) => break false,
            };
            state.lock().unwrap_or_else(|e| e.into_inner()).calls.push((call.action.clone(), call.payload.clone()));
            let p = &call.payload;
            let answer = match call.action.as_str() {
                "ChangeConfiguration" => {
                    let (key, value) = (p["key"].as_str().unwrap_or_default(), p["value"].as_str().unwrap_or_default());
                    state.lock().unwrap_or_else(|e| e.into_inner()).configuration.insert(key.into(), value.into());
                    if behaviour.url_key.as_deref() == Some(key) {
                        next_url = Some(value.to_string());
                        json!({ "status": if behaviour.reboot_required { "RebootRequired" } else { "Accepted" } })
                    } else {
                        json!({ "status": "Accepted" })
                    }
                }
                "DataTransfer" => {
                    if behaviour.url_vendor_id.as_deref() == p["vendorId"].as_str() {
                        next_url = p["data"].as_str().map(str::to_string);
                        json!({ "status": "Accepted" })
                    } else {
                        json!({ "status": "UnknownVendorId" })
                    }
                }
                "Reset" => json!({ "status": "Accepted" }),
                "TriggerMessage" | "ChangeAvailability" | "ClearCache" => json!({ "status": "Accepted" }),
                "GetConfiguration" => {
                    let keys: Vec<Value> = lock(&state)
                        .configuration
                        .iter()
                        .map(|(k, v)| json!({ "key": k, "value": v, "readonly": false }))
                        .collect();
                    json!({ "configurationKey": keys })
                }
                other => {
                    let _ = st
                        .respond_error(&call.id, ErrorCode::NotImplemented, &format!("{other} is not simulated"))
                        .await;
                    continue;
                }
            };
            if st.respond(&call.id, answer).await.is_err() {
                break false;
            }
            if call.action == "Reset" {
                break true;
            }
        };
        st.close().await;
        {
            let mut s = state.lock().unwrap_or_else(|e| e.into_inner());
            s.connected = false;
            if reset
                && !behaviour.ignores_new_url
                && let Some(url) = next_url
            {
                s.url = url;
            }
        }
        // A reset station takes a moment to start again.
        tokio::select! { _ = tokio::time::sleep(Duration::from_millis(100)) => {}, _ = stopped.changed() => {} }
    }
}
