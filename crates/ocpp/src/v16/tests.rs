use chrono::{TimeZone, Utc};
use serde_json::{Value, json};

use super::schema::{Described, MutationKind, Ty, mutations};
use super::*;
use crate::ErrorCode::{self, *};

fn cp(action: &str, payload: Value) -> Result<ChargePointRequest, DecodeError> {
    ChargePointRequest::decode(action, &payload)
}

#[track_caller]
fn refused(action: &str, payload: Value, code: ErrorCode, description_starts: &str) {
    let e = cp(action, payload).expect_err("must be refused");
    assert_eq!(e.code, code, "{e}");
    assert!(
        e.description.starts_with(description_starts),
        "{:?} does not start with {description_starts:?}",
        e.description
    );
}

fn boot() -> Value {
    json!({"chargePointVendor": "Alfen BV", "chargePointModel": "NG920-60503", "chargePointSerialNumber": "ACE0123456",
           "firmwareVersion": "6.1.0-4129", "iccid": "", "imsi": ""})
}

fn meter_values_payload() -> Value {
    json!({"connectorId": 1, "transactionId": 42, "meterValue": [{"timestamp": "2026-03-01T12:00:00Z", "sampledValue": [
        {"value": "1234.5", "measurand": "Energy.Active.Import.Register", "unit": "Wh", "context": "Sample.Periodic"},
        {"value": "21.3", "measurand": "Temperature", "unit": "Celsius", "location": "Body"}]}]})
}

// ---- the catalogue -------------------------------------------------------------------------------------

#[test]
fn catalogue_covers_every_action_both_ways() {
    assert_eq!(ChargePointRequest::ACTIONS.len(), 14);
    assert_eq!(CentralSystemRequest::ACTIONS.len(), 26);
    assert_eq!(messages().count(), 80, "40 actions (DataTransfer both ways), a request and a response each");
    for m in messages() {
        assert!(matches!(m.ty, Ty::Object(_)), "{} is an object", m.action);
    }
}

#[test]
fn every_example_decodes_and_round_trips_unchanged() {
    for m in messages() {
        for full in [false, true] {
            let example = m.ty.example(full);
            assert_eq!((m.round_trip)(&example).as_ref(), Ok(&example), "{} {:?} full={full}", m.action, m.kind);
        }
    }
}

#[test]
fn every_mutation_gets_its_documented_code_and_path() {
    let mut seen = std::collections::HashSet::new();
    for m in messages() {
        for mutation in mutations(&m.ty) {
            seen.insert(mutation.kind);
            let got = (m.round_trip)(&mutation.payload);
            match (mutation.expect, got) {
                (None, Ok(_)) => {}
                (Some(code), Err(e)) => {
                    assert_eq!(e.code, code, "{} {:?} {:?}: {e}", m.action, m.kind, mutation);
                    assert!(
                        e.description.starts_with(&format!("{}:", mutation.path)),
                        "{} {:?}: {:?} should name {}",
                        m.action,
                        mutation.kind,
                        e.description,
                        mutation.path
                    );
                }
                (expect, got) => panic!("{} {:?} {mutation:?}: expected {expect:?}, got {got:?}", m.action, m.kind),
            }
        }
    }
    assert_eq!(seen.len(), 9, "every kind of mutation occurs somewhere: {seen:?}");
}

#[test]
fn enum_variants_match_request_actions() {
    let r = ChargePointRequest::decode("Heartbeat", &json!({})).unwrap();
    assert_eq!(r.action(), <HeartbeatRequest as Request>::ACTION);
    assert_eq!(r, ChargePointRequest::Heartbeat(HeartbeatRequest {}));
    let r = CentralSystemRequest::decode("Reset", &json!({"type": "Soft"})).unwrap();
    assert_eq!(r, CentralSystemRequest::Reset(ResetRequest { kind: ResetType::Soft }));
    assert_eq!(r.to_payload(), json!({"type": "Soft"}));
}

// ---- actions and directions ----------------------------------------------------------------------------

#[test]
fn every_charge_point_action_decodes_through_the_enum() {
    for m in ChargePointRequest::MESSAGES.iter().filter(|m| m.kind == Kind::Request) {
        for full in [false, true] {
            let payload = m.ty.example(full);
            let req = ChargePointRequest::decode(m.action, &payload).unwrap_or_else(|e| panic!("{}: {e}", m.action));
            assert_eq!(req.action(), m.action);
            assert_eq!(req.to_payload(), payload);
        }
    }
    for m in CentralSystemRequest::MESSAGES.iter().filter(|m| m.kind == Kind::Request) {
        let req = CentralSystemRequest::decode(m.action, &m.ty.example(true)).unwrap();
        assert_eq!(req.action(), m.action);
    }
}

#[test]
fn unknown_action_is_not_implemented_and_wrong_direction_not_supported() {
    refused("Reset", json!({"type": "Hard"}), NotSupported, "\"Reset\"");
    refused("RemoteStartTransaction", json!({"idTag": "A"}), NotSupported, "");
    refused("GetLog", json!({}), NotSupported, "");
    refused("heartbeat", json!({}), NotImplemented, "\"heartbeat\"");
    refused("TransactionEvent", json!({}), NotImplemented, "");
    refused("", json!({}), NotImplemented, "");
    let e = CentralSystemRequest::decode("BootNotification", &boot()).unwrap_err();
    assert_eq!(e.code, NotSupported);
    let e = CentralSystemRequest::decode("Authorise", &json!({})).unwrap_err();
    assert_eq!(e.code, NotImplemented);
    // The action is echoed shortened, whatever its length.
    let e = cp(&"X".repeat(10_000), json!({})).unwrap_err();
    assert!(e.description.len() < 100);
}

#[test]
fn data_transfer_goes_both_ways() {
    let p = json!({"vendorId": "com.example", "messageId": "SetTariff", "data": "{\"a\":1}"});
    assert!(matches!(cp("DataTransfer", p.clone()), Ok(ChargePointRequest::DataTransfer(_))));
    assert!(matches!(CentralSystemRequest::decode("DataTransfer", &p), Ok(CentralSystemRequest::DataTransfer(_))));
}

#[test]
fn responses_decode_by_type_and_by_action() {
    let r: TriggerMessageResponse = decode_response(&json!({"status": "Accepted"})).unwrap();
    assert_eq!(r.status, TriggerMessageStatus::Accepted);
    let r = CentralSystemResponse::decode("TriggerMessage", &json!({"status": "Rejected"})).unwrap();
    assert_eq!(
        r,
        CentralSystemResponse::TriggerMessage(TriggerMessageResponse { status: TriggerMessageStatus::Rejected })
    );
    let r: BootNotificationResponse =
        decode_response(&json!({"status": "Accepted", "currentTime": "2026-01-01T00:00:00Z", "interval": 60})).unwrap();
    assert_eq!(r.interval, 60);
    let e = decode_response::<BootNotificationResponse>(&json!({"status": "Accepted", "interval": 60})).unwrap_err();
    assert_eq!(e.code, OccurenceConstraintViolation);
    assert_eq!(CentralSystemResponse::decode("Heartbeat", &json!({})).unwrap_err().code, NotImplemented);
    assert!(ChargePointResponse::decode("Heartbeat", &json!({"currentTime": "2026-01-01T00:00:00Z"})).is_ok());
}

#[test]
fn a_refusal_becomes_a_callerror() {
    let e = cp("Authorize", json!({})).unwrap_err();
    let frame = crate::Frame::CallError(e.to_call_error(MessageId::new("19")));
    assert_eq!(frame.to_text(), r#"[4,"19","OccurenceConstraintViolation","idTag: required property missing",{}]"#);
}

// ---- each charge point action: valid and refused -------------------------------------------------------

#[test]
fn authorize() {
    assert_eq!(
        cp("Authorize", json!({"idTag": "04A2B3C4D5E6F7"})).unwrap(),
        ChargePointRequest::Authorize(AuthorizeRequest { id_tag: "04A2B3C4D5E6F7".into() })
    );
    refused("Authorize", json!({"idTag": "X".repeat(21)}), PropertyConstraintViolation, "idTag: 21 characters");
    refused("Authorize", json!({"idTag": 1234}), TypeConstraintViolation, "idTag: expected a string, found a number");
    refused("Authorize", json!({"idTag": "A", "idToken": "A"}), FormationViolation, "idToken:");
    refused("Authorize", json!({}), OccurenceConstraintViolation, "idTag: required property missing");
    refused("Authorize", json!({"idTag": null}), TypeConstraintViolation, "idTag: expected a string, found null");
    refused("Authorize", json!(["idTag"]), FormationViolation, "payload: must be a JSON object");
    let long_key = format!("a\nb{}", "k".repeat(100));
    let e = cp("Authorize", json!({"idTag": "A", long_key: 1})).unwrap_err();
    assert_eq!(e.description, format!("a?b{}...: property not defined for this message", "k".repeat(37)));
    // maxLength counts characters, not bytes.
    assert!(cp("Authorize", json!({"idTag": "ü".repeat(20)})).is_ok());
}

#[test]
fn boot_notification() {
    let ChargePointRequest::BootNotification(b) = cp("BootNotification", boot()).unwrap() else { panic!() };
    assert_eq!(b.charge_point_vendor, "Alfen BV");
    assert_eq!(b.charge_point_serial_number.as_deref(), Some("ACE0123456"));
    assert_eq!(b.meter_type, None);
    let mut p = boot();
    p["chargePointModel"] = json!("M".repeat(21));
    refused(
        "BootNotification",
        p,
        PropertyConstraintViolation,
        "chargePointModel: 21 characters, more than the maximum of 20",
    );
    let mut p = boot();
    p["firmwareVersion"] = json!("F".repeat(51));
    refused("BootNotification", p, PropertyConstraintViolation, "firmwareVersion:");
    let mut p = boot();
    p.as_object_mut().unwrap().remove("chargePointVendor");
    refused("BootNotification", p, OccurenceConstraintViolation, "chargePointVendor:");
    let mut p = boot();
    p["meterSerialNumber"] = json!(["x"]);
    refused("BootNotification", p, TypeConstraintViolation, "meterSerialNumber: expected a string, found an array");
    // null for an optional property is read as absent.
    let mut p = boot();
    p["meterType"] = Value::Null;
    assert!(cp("BootNotification", p).is_ok());
}

#[test]
fn data_transfer() {
    assert!(cp("DataTransfer", json!({"vendorId": "V"})).is_ok());
    refused(
        "DataTransfer",
        json!({"vendorId": "V", "messageId": "M".repeat(51)}),
        PropertyConstraintViolation,
        "messageId:",
    );
    refused("DataTransfer", json!({"vendorId": "V".repeat(256)}), PropertyConstraintViolation, "vendorId:");
    refused("DataTransfer", json!({"vendorId": "V", "data": {"a": 1}}), TypeConstraintViolation, "data:");
    assert!(cp("DataTransfer", json!({"vendorId": "V", "data": "x".repeat(100_000)})).is_ok(), "data is unbounded");
}

#[test]
fn diagnostics_and_firmware_status_notifications() {
    assert!(matches!(
        cp("DiagnosticsStatusNotification", json!({"status": "Uploaded"})),
        Ok(ChargePointRequest::DiagnosticsStatusNotification(DiagnosticsStatusNotificationRequest {
            status: DiagnosticsStatus::Uploaded
        }))
    ));
    let ChargePointRequest::FirmwareStatusNotification(f) =
        cp("FirmwareStatusNotification", json!({"status": "Verifying"})).unwrap()
    else {
        panic!()
    };
    assert_eq!(f.status, FirmwareStatus::Other("Verifying".into()), "lenient");
    refused("FirmwareStatusNotification", json!({}), OccurenceConstraintViolation, "status:");
    refused("DiagnosticsStatusNotification", json!({"status": 1}), TypeConstraintViolation, "status:");
}

#[test]
fn heartbeat() {
    assert!(cp("Heartbeat", json!({})).is_ok());
    refused("Heartbeat", json!({"currentTime": "2026-01-01T00:00:00Z"}), FormationViolation, "currentTime:");
}

#[test]
fn meter_values() {
    let ChargePointRequest::MeterValues(m) = cp("MeterValues", meter_values_payload()).unwrap() else { panic!() };
    assert_eq!((m.connector_id, m.transaction_id), (1, Some(42)));
    let mv = &m.meter_value[0];
    assert_eq!(mv.timestamp, Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap());
    assert_eq!(mv.sampled_value[0].value, "1234.5");
    assert_eq!(mv.sampled_value[0].measurand, Some(Measurand::EnergyActiveImportRegister));
    assert_eq!(mv.sampled_value[0].context, Some(ReadingContext::SamplePeriodic));
    assert_eq!(mv.sampled_value[1].unit, Some(UnitOfMeasure::Celsius));
    assert_eq!(mv.sampled_value[1].location, Some(Location::Body));

    let mut p = meter_values_payload();
    p["meterValue"][0]["sampledValue"][1]["unit"] = json!(5);
    refused(
        "MeterValues",
        p,
        TypeConstraintViolation,
        "meterValue[0].sampledValue[1].unit: expected a string, found a number",
    );
    let mut p = meter_values_payload();
    p["meterValue"][0]["sampledValue"][1]["value"] = json!(21.3);
    refused("MeterValues", p, TypeConstraintViolation, "meterValue[0].sampledValue[1].value:");
    let mut p = meter_values_payload();
    p["meterValue"][0]["sampledValue"] = json!([]);
    refused(
        "MeterValues",
        p,
        OccurenceConstraintViolation,
        "meterValue[0].sampledValue: needs at least 1 item(s), found 0",
    );
    let mut p = meter_values_payload();
    p["meterValue"] = json!([]);
    refused("MeterValues", p, OccurenceConstraintViolation, "meterValue:");
    let mut p = meter_values_payload();
    p["meterValue"][0]["timestamp"] = json!("12:00");
    refused("MeterValues", p, TypeConstraintViolation, "meterValue[0].timestamp: \"12:00\" is not a dateTime");
    let mut p = meter_values_payload();
    p["meterValue"][0]["sampledValue"][0]["signature"] = json!("...");
    refused("MeterValues", p, FormationViolation, "meterValue[0].sampledValue[0].signature:");
    let mut p = meter_values_payload();
    p["connectorId"] = json!(-1);
    refused("MeterValues", p, PropertyConstraintViolation, "connectorId: -1 is below 0");
    let mut p = meter_values_payload();
    p["connectorId"] = json!(0);
    assert!(cp("MeterValues", p).is_ok(), "connector 0 is the station's main meter");
}

#[test]
fn start_transaction() {
    let p = json!({"connectorId": 2, "idTag": "TAG1", "meterStart": 3_000_000_000_i64,
                   "timestamp": "2026-03-01T12:00:00.5Z"});
    let ChargePointRequest::StartTransaction(s) = cp("StartTransaction", p.clone()).unwrap() else { panic!() };
    assert_eq!(s.meter_start, 3_000_000_000, "registers beyond i32 are kept");
    assert_eq!(s.reservation_id, None);
    assert_eq!(to_payload(&s)["timestamp"], "2026-03-01T12:00:00.500Z");
    let mut q = p.clone();
    q["connectorId"] = json!(0);
    refused("StartTransaction", q, PropertyConstraintViolation, "connectorId: 0 is below 1");
    let mut q = p.clone();
    q["meterStart"] = json!("100");
    refused("StartTransaction", q, TypeConstraintViolation, "meterStart: expected an integer, found a string");
    let mut q = p.clone();
    q["meterStart"] = json!(100.0);
    assert!(cp("StartTransaction", q).is_ok(), "an integral float is an integer");
    let mut q = p.clone();
    q["meterStart"] = json!(100.25);
    refused("StartTransaction", q, TypeConstraintViolation, "meterStart: expected an integer, found 100.25");
    let mut q = p.clone();
    q["reservationId"] = json!(3_000_000_000_i64);
    refused("StartTransaction", q, PropertyConstraintViolation, "reservationId: 3000000000 is above 2147483647");
    let mut q = p.clone();
    q["timestamp"] = json!("2026-02-30T00:00:00Z");
    refused("StartTransaction", q, TypeConstraintViolation, "timestamp:");
    let mut q = p;
    q.as_object_mut().unwrap().remove("idTag");
    refused("StartTransaction", q, OccurenceConstraintViolation, "idTag:");
}

#[test]
fn status_notification() {
    let p = json!({"connectorId": 0, "errorCode": "NoError", "status": "Available"});
    let ChargePointRequest::StatusNotification(s) = cp("StatusNotification", p.clone()).unwrap() else { panic!() };
    assert_eq!(
        (s.connector_id, s.status, s.error_code),
        (0, ChargePointStatus::Available, ChargePointErrorCode::NoError)
    );
    assert_eq!(s.timestamp, None);
    let mut q = p.clone();
    q["connectorId"] = json!(-1);
    refused("StatusNotification", q, PropertyConstraintViolation, "connectorId:");
    let mut q = p.clone();
    q["info"] = json!("i".repeat(51));
    refused("StatusNotification", q, PropertyConstraintViolation, "info:");
    let mut q = p.clone();
    q["vendorErrorCode"] = json!("e".repeat(51));
    refused("StatusNotification", q, PropertyConstraintViolation, "vendorErrorCode:");
    let mut q = p.clone();
    q["status"] = json!("Occupied");
    let ChargePointRequest::StatusNotification(s) = cp("StatusNotification", q).unwrap() else { panic!() };
    assert_eq!(s.status, ChargePointStatus::Other("Occupied".into()), "a 1.5 status is kept, not refused");
    let mut q = p;
    q.as_object_mut().unwrap().remove("errorCode");
    refused("StatusNotification", q, OccurenceConstraintViolation, "errorCode:");
}

#[test]
fn stop_transaction() {
    let p = json!({"transactionId": 42, "meterStop": 1500, "timestamp": "2026-03-01T13:00:00+01:00",
                   "reason": "EVDisconnected",
                   "transactionData": [{"timestamp": "2026-03-01T12:00:00Z", "sampledValue": []}]});
    let ChargePointRequest::StopTransaction(s) = cp("StopTransaction", p.clone()).unwrap() else { panic!() };
    assert_eq!(s.timestamp, Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap());
    assert_eq!(s.reason, Some(Reason::EVDisconnected));
    assert_eq!(s.transaction_data.as_ref().unwrap()[0].sampled_value, vec![], "the StopTransaction schema allows it");
    assert_eq!(s.id_tag, None);
    let mut q = p.clone();
    q["reason"] = json!("Other");
    let ChargePointRequest::StopTransaction(s) = cp("StopTransaction", q).unwrap() else { panic!() };
    assert_eq!(s.reason, Some(Reason::OtherReason));
    let mut q = p.clone();
    q["transactionData"][0]["sampledValue"] = json!([{"value": "1", "unit": "Hz"}]);
    assert!(cp("StopTransaction", q).is_ok());
    let mut q = p.clone();
    q["transactionId"] = json!("42");
    refused("StopTransaction", q, TypeConstraintViolation, "transactionId:");
    let mut q = p;
    q.as_object_mut().unwrap().remove("meterStop");
    refused("StopTransaction", q, OccurenceConstraintViolation, "meterStop:");
}

#[test]
fn security_messages() {
    let ChargePointRequest::SecurityEventNotification(s) = cp(
        "SecurityEventNotification",
        json!({"type": "StartupOfTheDevice", "timestamp": "2026-03-01T12:00:00Z", "techInfo": "cold boot"}),
    )
    .unwrap() else {
        panic!()
    };
    assert_eq!(s.kind, "StartupOfTheDevice");
    refused(
        "SecurityEventNotification",
        json!({"type": "T".repeat(51), "timestamp": "2026-03-01T12:00:00Z"}),
        PropertyConstraintViolation,
        "type:",
    );
    refused("SecurityEventNotification", json!({"type": "X"}), OccurenceConstraintViolation, "timestamp:");
    assert!(cp("SignCertificate", json!({"csr": "-----BEGIN CERTIFICATE REQUEST-----"})).is_ok());
    refused("SignCertificate", json!({"csr": "c".repeat(5501)}), PropertyConstraintViolation, "csr:");
    assert!(cp("LogStatusNotification", json!({"status": "Uploading", "requestId": 7})).is_ok());
    refused(
        "LogStatusNotification",
        json!({"status": "Uploading", "requestId": "7"}),
        TypeConstraintViolation,
        "requestId:",
    );
    let ChargePointRequest::SignedFirmwareStatusNotification(s) =
        cp("SignedFirmwareStatusNotification", json!({"status": "SignatureVerified", "requestId": 1})).unwrap()
    else {
        panic!()
    };
    assert_eq!(s.status, SignedFirmwareStatus::SignatureVerified);
    refused("SignedFirmwareStatusNotification", json!({"requestId": 1}), OccurenceConstraintViolation, "status:");
}

// ---- enums ---------------------------------------------------------------------------------------------

#[test]
fn lenient_enums_accept_aliases_case_and_unknown_values() {
    assert_eq!(UnitOfMeasure::parse("Celcius"), UnitOfMeasure::Celsius);
    assert_eq!(UnitOfMeasure::parse("celcius"), UnitOfMeasure::Celsius);
    assert_eq!(UnitOfMeasure::parse("KWH"), UnitOfMeasure::KWh);
    assert_eq!(UnitOfMeasure::parse(" Wh "), UnitOfMeasure::Wh);
    assert_eq!(UnitOfMeasure::parse("Hz"), UnitOfMeasure::Other("Hz".into()));
    assert_eq!(ChargePointStatus::parse("charging"), ChargePointStatus::Charging);
    assert_eq!(Measurand::parse("energy.active.import.register"), Measurand::EnergyActiveImportRegister);
    assert_eq!(Phase::parse("L1-N"), Phase::L1N);
    assert_eq!(ReadingContext::parse("Other"), ReadingContext::OtherContext);
    // What is written: the specification's spelling, or what was received for an unknown value.
    assert_eq!(to_payload(&UnitOfMeasure::parse("Celcius")), json!("Celsius"));
    assert_eq!(to_payload(&UnitOfMeasure::Other("Hz".into())), json!("Hz"));
    assert_eq!(UnitOfMeasure::Celsius.to_string(), "Celsius");
    assert!(UnitOfMeasure::VALUES.contains(&"Celsius") && !UnitOfMeasure::VALUES.contains(&"Celcius"));
}

#[test]
fn strict_enums_refuse_unknown_values() {
    assert_eq!(ResetType::parse("Hard"), Some(ResetType::Hard));
    assert_eq!(ResetType::parse("hard"), None);
    let e = CentralSystemRequest::decode("Reset", &json!({"type": "hard"})).unwrap_err();
    assert_eq!(e.code, PropertyConstraintViolation);
    assert_eq!(e.description, r#"type: "hard" is not a ResetType (one of Hard, Soft)"#);
    let e = decode_response::<AuthorizeResponse>(&json!({"idTagInfo": {"status": "Unknown"}})).unwrap_err();
    assert_eq!((e.code, e.description.starts_with("idTagInfo.status:")), (PropertyConstraintViolation, true));
    // serde alone (without the walk) refuses them as well.
    assert!(serde_json::from_value::<ResetType>(json!("Medium")).is_err());
}

// ---- serialisation -------------------------------------------------------------------------------------

#[test]
fn serialises_camel_case_without_absent_fields_and_with_millis() {
    let t = Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap() + chrono::TimeDelta::microseconds(123_456);
    let r = StartTransactionResponse {
        id_tag_info: IdTagInfo { expiry_date: Some(t), parent_id_tag: None, status: AuthorizationStatus::Accepted },
        transaction_id: 7,
    };
    assert_eq!(
        serde_json::to_string(&r).unwrap(),
        r#"{"idTagInfo":{"expiryDate":"2026-03-01T12:00:00.123Z","status":"Accepted"},"transactionId":7}"#
    );
    let r = HeartbeatResponse { current_time: Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap() };
    assert_eq!(to_payload(&r), json!({"currentTime": "2026-01-02T03:04:05.000Z"}));
    let r = ChangeAvailabilityRequest { connector_id: 0, kind: AvailabilityType::Inoperative };
    assert_eq!(to_payload(&r), json!({"connectorId": 0, "type": "Inoperative"}));
    assert_eq!(to_payload(&MeterValuesResponse {}), json!({}));
    let p = SetChargingProfileRequest {
        connector_id: 1,
        cs_charging_profiles: ChargingProfile {
            charging_profile_id: 1,
            transaction_id: None,
            stack_level: 0,
            charging_profile_purpose: ChargingProfilePurposeType::TxDefaultProfile,
            charging_profile_kind: ChargingProfileKindType::Relative,
            recurrency_kind: None,
            valid_from: None,
            valid_to: None,
            charging_schedule: ChargingSchedule {
                duration: None,
                start_schedule: None,
                charging_rate_unit: ChargingRateUnitType::A,
                charging_schedule_period: vec![ChargingSchedulePeriod {
                    start_period: 0,
                    limit: 16.5,
                    number_phases: Some(3),
                }],
                min_charging_rate: None,
            },
        },
    };
    let v = to_payload(&p);
    assert_eq!(v["csChargingProfiles"]["chargingSchedule"]["chargingSchedulePeriod"][0]["limit"], json!(16.5));
    assert_eq!(decode::<SetChargingProfileRequest>(&v), Ok(p));
}

#[test]
fn lenient_datetimes_are_normalised() {
    let p = json!({"type": "X", "timestamp": "2026-03-01 14:00:00.123456+02:00"});
    let ChargePointRequest::SecurityEventNotification(s) = cp("SecurityEventNotification", p).unwrap() else {
        panic!()
    };
    assert_eq!(to_payload(&s)["timestamp"], "2026-03-01T12:00:00.123Z");
    let p = json!({"connectorId": 1, "idTag": "A", "meterStart": 0, "timestamp": "2026-03-01T12:00:00"});
    assert!(cp("StartTransaction", p).is_ok(), "no zone is UTC");
    // serde alone reads leniently too.
    let h: HeartbeatResponse = serde_json::from_value(json!({"currentTime": "2026-03-01T12:00:00"})).unwrap();
    assert_eq!(h.current_time, Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap());
}

// ---- robustness ----------------------------------------------------------------------------------------

/// Every node of every full example replaced by each of a set of awkward values, plus every mutation
/// nested one level deeper: decoding must answer (never panic) and never blame itself (InternalError), which
/// would mean the walk and serde disagree.
#[test]
fn no_payload_panics_or_slips_past_the_walk() {
    let odd = [
        Value::Null,
        json!(true),
        json!(-1),
        json!(0),
        json!(1.5),
        json!(1e300),
        json!(-1e300),
        json!(u64::MAX),
        json!(i64::MIN),
        json!(""),
        json!("ü".repeat(600)),
        json!("2026-13-45T99:99:99Z"),
        json!("9999-12-31T23:59:59-23:59"),
        json!("0000-01-01T00:00:00+23:59"),
        json!([]),
        json!([null]),
        json!({}),
        json!({"": null}),
    ];
    let mut checked = 0;
    for m in messages() {
        let base = m.ty.example(true);
        let mut pointers = Vec::new();
        collect_pointers(&base, String::new(), &mut pointers);
        for pointer in &pointers {
            for v in &odd {
                let mut p = base.clone();
                *p.pointer_mut(pointer).unwrap() = v.clone();
                if let Err(e) = (m.round_trip)(&p) {
                    assert_ne!(e.code, InternalError, "{} {pointer} = {v}: {e}", m.action);
                }
                checked += 1;
            }
        }
        for mutation in mutations(&m.ty) {
            let _ = ChargePointRequest::decode(m.action, &mutation.payload);
            let _ = CentralSystemRequest::decode(m.action, &mutation.payload);
        }
    }
    assert!(checked > 5000, "{checked}");
}

fn collect_pointers(v: &Value, at: String, out: &mut Vec<String>) {
    out.push(at.clone());
    match v {
        Value::Object(map) => map.iter().for_each(|(k, v)| collect_pointers(v, format!("{at}/{k}"), out)),
        Value::Array(items) => {
            items.iter().enumerate().for_each(|(i, v)| collect_pointers(v, format!("{at}/{i}"), out))
        }
        _ => {}
    }
}

#[test]
fn mutations_cover_the_lenient_and_stricter_cases() {
    let ms = mutations(&StartTransactionRequest::TY);
    let below = ms.iter().find(|m| m.kind == MutationKind::BelowMinimum).unwrap();
    assert_eq!((below.path.as_str(), &below.payload["connectorId"]), ("connectorId", &json!(0)));
    let ms = mutations(&StatusNotificationRequest::TY);
    let lenient = ms.iter().find(|m| m.kind == MutationKind::NotInEnum).unwrap();
    assert_eq!(lenient.expect, None);
}
