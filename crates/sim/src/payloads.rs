//! OCPP 1.6 request payloads a station sends, built as JSON (no dependency on typed messages).

use chrono::{SecondsFormat, Utc};
use serde_json::{Value, json};

/// Now, as OCPP wants it: RFC 3339 UTC with milliseconds and `Z`.
pub(crate) fn now() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true)
}

pub(crate) fn boot_notification(station_id: &str) -> Value {
    json!({
        "chargePointVendor": "Joule",
        "chargePointModel": "joule-sim",
        "chargePointSerialNumber": station_id,
        "firmwareVersion": concat!("joule-sim-", env!("CARGO_PKG_VERSION")),
    })
}

pub(crate) fn status_notification(connector: u32, status: &str) -> Value {
    json!({"connectorId": connector, "errorCode": "NoError", "status": status, "timestamp": now()})
}

pub(crate) fn authorize(id_tag: &str) -> Value {
    json!({"idTag": id_tag})
}

pub(crate) fn start_transaction(connector: u32, id_tag: &str, meter_start: i64) -> Value {
    json!({"connectorId": connector, "idTag": id_tag, "meterStart": meter_start, "timestamp": now()})
}

pub(crate) fn stop_transaction(transaction_id: i64, id_tag: &str, meter_stop: i64, reason: &str) -> Value {
    json!({
        "transactionId": transaction_id,
        "idTag": id_tag,
        "meterStop": meter_stop,
        "timestamp": now(),
        "reason": reason,
    })
}

/// One set of electrical readings of a connector.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Sample {
    pub energy_wh: f64,
    pub power_w: f64,
    /// 1 or 3.
    pub phases: u8,
    pub voltage_v: [f64; 3],
}

pub(crate) fn meter_values(connector: u32, transaction_id: Option<i64>, sample: &Sample, context: &str) -> Value {
    let phases = usize::from(sample.phases.clamp(1, 3));
    let mut sampled = vec![
        json!({
            "value": format!("{:.0}", sample.energy_wh.floor()),
            "context": context,
            "format": "Raw",
            "measurand": "Energy.Active.Import.Register",
            "location": "Outlet",
            "unit": "Wh",
        }),
        json!({
            "value": format!("{:.1}", sample.power_w),
            "context": context,
            "measurand": "Power.Active.Import",
            "location": "Outlet",
            "unit": "W",
        }),
    ];
    for (i, phase) in ["L1", "L2", "L3"].into_iter().enumerate().take(phases) {
        let current = sample.power_w / (phases as f64 * sample.voltage_v[i]);
        sampled.push(json!({
            "value": format!("{current:.2}"),
            "context": context,
            "measurand": "Current.Import",
            "phase": phase,
            "location": "Outlet",
            "unit": "A",
        }));
    }
    for (i, phase) in ["L1-N", "L2-N", "L3-N"].into_iter().enumerate().take(phases) {
        sampled.push(json!({
            "value": format!("{:.1}", sample.voltage_v[i]),
            "context": context,
            "measurand": "Voltage",
            "phase": phase,
            "location": "Outlet",
            "unit": "V",
        }));
    }
    let mut payload = json!({
        "connectorId": connector,
        "meterValue": [{"timestamp": now(), "sampledValue": sampled}],
    });
    if let Some(tx) = transaction_id {
        payload["transactionId"] = tx.into();
    }
    payload
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meter_values_carry_every_measurand() {
        let s = Sample { energy_wh: 1234.9, power_w: 11040.0, phases: 3, voltage_v: [230.0, 230.0, 230.0] };
        let v = meter_values(2, Some(7), &s, "Sample.Periodic");
        assert_eq!(v["transactionId"], 7);
        let sampled = v["meterValue"][0]["sampledValue"].as_array().unwrap();
        assert_eq!(sampled.len(), 8);
        assert_eq!(sampled[0]["value"], "1234");
        assert_eq!(sampled[2]["value"], "16.00");
        assert!(v["meterValue"][0]["timestamp"].as_str().unwrap().ends_with('Z'));
        let one = Sample { phases: 1, ..s };
        assert_eq!(
            meter_values(1, None, &one, "Trigger")["meterValue"][0]["sampledValue"].as_array().unwrap().len(),
            4
        );
    }
}
