//! Meter values: every measurand, phase, location and unit a station reports, with energy and power
//! normalised to Wh and W.

use crate::Timestamp;

/// The measurand a station means when it names none (OCPP 1.6 §7.31 SampledValue, default).
pub const DEFAULT_MEASURAND: &str = "Energy.Active.Import.Register";
/// The default context (OCPP 1.6 §7.31).
pub const DEFAULT_CONTEXT: &str = "Sample.Periodic";

/// One sampled value, as received and normalised.
#[derive(Debug, Clone, PartialEq)]
pub struct MeterSample {
    pub timestamp: Timestamp,
    pub measurand: String,
    pub phase: Option<String>,
    pub location: Option<String>,
    pub context: String,
    /// Unit after normalisation: `Wh` for energy given in kWh, `W` for power given in kW, and so on.
    pub unit: Option<String>,
    /// The numeric value in `unit`, or `None` when the value is not a number (e.g. format `SignedData`).
    pub value: Option<f64>,
    /// The value exactly as the station sent it, so nothing is lost to normalisation.
    pub raw: String,
    /// `Raw` or `SignedData` (OCPP 1.6 ValueFormat); `None` when not given (Raw).
    pub format: Option<String>,
}

/// The fields of a sampled value as a station reports them, before normalisation.
#[derive(Debug, Clone, Default)]
pub struct RawSample<'a> {
    pub value: &'a str,
    pub measurand: Option<&'a str>,
    pub phase: Option<&'a str>,
    pub location: Option<&'a str>,
    pub context: Option<&'a str>,
    pub unit: Option<&'a str>,
    pub format: Option<&'a str>,
}

impl MeterSample {
    /// Builds a sample from a station's report. Energy measurands default to Wh and power to W when the
    /// unit is absent (OCPP 1.6 §7.31: unit defaults to Wh); kilo-units are scaled down to their base unit.
    pub fn from_raw(timestamp: Timestamp, raw: RawSample<'_>) -> MeterSample {
        let measurand = raw.measurand.unwrap_or(DEFAULT_MEASURAND).to_string();
        let signed = raw.format == Some("SignedData");
        let parsed = if signed { None } else { raw.value.trim().parse::<f64>().ok().filter(|v| v.is_finite()) };
        let unit = raw.unit.or(if measurand.starts_with("Energy") { Some("Wh") } else { None });
        let (value, unit) = match (parsed, unit) {
            (Some(v), Some(u)) => {
                let (v, u) = normalise(v, u);
                (Some(v), Some(u))
            }
            (v, u) => (v, u.map(str::to_string)),
        };
        MeterSample {
            timestamp,
            measurand,
            phase: raw.phase.map(str::to_string),
            location: raw.location.map(str::to_string),
            context: raw.context.unwrap_or(DEFAULT_CONTEXT).to_string(),
            unit,
            value,
            raw: raw.value.to_string(),
            format: raw.format.map(str::to_string),
        }
    }

    /// Whether this is the energy register reading used to compute a session's energy.
    pub fn is_energy_register(&self) -> bool {
        self.measurand == DEFAULT_MEASURAND && self.unit.as_deref() == Some("Wh") && self.phase.is_none()
    }
}

/// Scales kilo-units to base units (kWh → Wh, kW → W, kvarh → varh, kvar → var, kVA → VA). Other units,
/// including ones a station invents (`Celcius`), are kept as they are.
pub fn normalise(value: f64, unit: &str) -> (f64, String) {
    match unit {
        "kWh" => (value * 1000.0, "Wh".into()),
        "kW" => (value * 1000.0, "W".into()),
        "kvarh" => (value * 1000.0, "varh".into()),
        "kvar" => (value * 1000.0, "var".into()),
        "kVA" => (value * 1000.0, "VA".into()),
        "Celcius" => (value, "Celsius".into()),
        other => (value, other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    #[test]
    fn normalises_kilo_units() {
        let t = Utc::now();
        let s = MeterSample::from_raw(t, RawSample { value: "1.5", unit: Some("kWh"), ..Default::default() });
        assert_eq!((s.value, s.unit.as_deref()), (Some(1500.0), Some("Wh")));
        assert_eq!(s.measurand, DEFAULT_MEASURAND);
        assert!(s.is_energy_register());
        let p = MeterSample::from_raw(
            t,
            RawSample { value: "7.2", unit: Some("kW"), measurand: Some("Power.Active.Import"), ..Default::default() },
        );
        assert_eq!((p.value, p.unit.as_deref()), (Some(7200.0), Some("W")));
        assert!(!p.is_energy_register());
    }

    #[test]
    fn keeps_what_it_cannot_interpret() {
        let t = Utc::now();
        let s = MeterSample::from_raw(t, RawSample { value: "abc", format: Some("SignedData"), ..Default::default() });
        assert_eq!(s.value, None);
        assert_eq!(s.raw, "abc");
        let s = MeterSample::from_raw(t, RawSample { value: "NaN", ..Default::default() });
        assert_eq!(s.value, None);
        let c = MeterSample::from_raw(
            t,
            RawSample { value: "21", unit: Some("Celcius"), measurand: Some("Temperature"), ..Default::default() },
        );
        assert_eq!(c.unit.as_deref(), Some("Celsius"));
        // Energy defaults to Wh, other measurands have no default unit.
        let v = MeterSample::from_raw(t, RawSample { value: "230", measurand: Some("Voltage"), ..Default::default() });
        assert_eq!(v.unit, None);
    }
}
