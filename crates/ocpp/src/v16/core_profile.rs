//! Core profile (OCPP 1.6 §4 and §5, messages §6, types §7), and the types other profiles share with it.

use chrono::{DateTime, Utc};

use super::smart_charging::ChargingProfile;

ocpp_enum! {
    /// OCPP 1.6 §7.2. Written by the central system, so strict: a station must not guess what an unknown
    /// authorization answer means.
    strict AuthorizationStatus { Accepted, Blocked, Expired, Invalid, ConcurrentTx }

    /// OCPP 1.6 §7.38. Written by the central system.
    strict RegistrationStatus { Accepted, Pending, Rejected }

    /// OCPP 1.6 §7.4. Written by the central system.
    strict AvailabilityType { Inoperative, Operative }

    /// OCPP 1.6 §7.42. Written by the central system.
    strict ResetType { Hard, Soft }

    /// OCPP 1.6 §7.3.
    lenient AvailabilityStatus { Accepted, Rejected, Scheduled }

    /// OCPP 1.6 §7.22.
    lenient ConfigurationStatus { Accepted, Rejected, RebootRequired, NotSupported }

    /// OCPP 1.6 §7.20.
    lenient ClearCacheStatus { Accepted, Rejected }

    /// OCPP 1.6 §7.23. Both sides answer DataTransfer.
    lenient DataTransferStatus { Accepted, Rejected, UnknownMessageId, UnknownVendorId }

    /// OCPP 1.6 §7.39.
    lenient RemoteStartStopStatus { Accepted, Rejected }

    /// OCPP 1.6 §7.41.
    lenient ResetStatus { Accepted, Rejected }

    /// OCPP 1.6 §7.46.
    lenient UnlockStatus { Unlocked, UnlockFailed, NotSupported }

    /// OCPP 1.6 §7.6.
    lenient ChargePointErrorCode {
        ConnectorLockFailure, EVCommunicationError, GroundFailure, HighTemperature, InternalError,
        LocalListConflict, NoError, OtherError, OverCurrentFailure, PowerMeterFailure, PowerSwitchFailure,
        ReaderFailure, ResetFailure, UnderVoltage, OverVoltage, WeakSignal,
    }

    /// OCPP 1.6 §7.7.
    lenient ChargePointStatus {
        Available, Preparing, Charging, SuspendedEVSE, SuspendedEV, Finishing, Reserved, Unavailable, Faulted,
    }

    /// OCPP 1.6 §7.36. Absent means `Local`.
    lenient Reason {
        EmergencyStop, EVDisconnected, HardReset, Local,
        /// The specification's value `Other` (`Reason::Other(_)` is the catch-all for unknown values).
        OtherReason = "Other",
        PowerLoss, Reboot, Remote, SoftReset,
        UnlockCommand, DeAuthorized,
    }

    /// OCPP 1.6 §7.35. Absent means `Sample.Periodic`.
    lenient ReadingContext {
        InterruptionBegin = "Interruption.Begin", InterruptionEnd = "Interruption.End",
        SampleClock = "Sample.Clock", SamplePeriodic = "Sample.Periodic",
        TransactionBegin = "Transaction.Begin", TransactionEnd = "Transaction.End", Trigger,
        /// The specification's value `Other` (`ReadingContext::Other(_)` is the catch-all for unknown values).
        OtherContext = "Other",
    }

    /// OCPP 1.6 §7.49. `SignedData` means `value` holds a signed, encoded reading rather than a number.
    lenient ValueFormat { Raw, SignedData }

    /// OCPP 1.6 §7.31. Absent means `Energy.Active.Import.Register`.
    lenient Measurand {
        EnergyActiveExportRegister = "Energy.Active.Export.Register",
        EnergyActiveImportRegister = "Energy.Active.Import.Register",
        EnergyReactiveExportRegister = "Energy.Reactive.Export.Register",
        EnergyReactiveImportRegister = "Energy.Reactive.Import.Register",
        EnergyActiveExportInterval = "Energy.Active.Export.Interval",
        EnergyActiveImportInterval = "Energy.Active.Import.Interval",
        EnergyReactiveExportInterval = "Energy.Reactive.Export.Interval",
        EnergyReactiveImportInterval = "Energy.Reactive.Import.Interval",
        PowerActiveExport = "Power.Active.Export",
        PowerActiveImport = "Power.Active.Import",
        PowerOffered = "Power.Offered",
        PowerReactiveExport = "Power.Reactive.Export",
        PowerReactiveImport = "Power.Reactive.Import",
        PowerFactor = "Power.Factor",
        CurrentImport = "Current.Import",
        CurrentExport = "Current.Export",
        CurrentOffered = "Current.Offered",
        Voltage, Frequency, Temperature, SoC, RPM,
    }

    /// OCPP 1.6 §7.34.
    lenient Phase {
        L1, L2, L3, N, L1N = "L1-N", L2N = "L2-N", L3N = "L3-N", L1L2 = "L1-L2", L2L3 = "L2-L3", L3L1 = "L3-L1",
    }

    /// OCPP 1.6 §7.30. Absent means `Outlet`.
    lenient Location { Cable, EV, Inlet, Outlet, Body }

    /// OCPP 1.6 §7.45. Absent means `Wh`. The specification's own schema spells `Celcius`, and firmware
    /// written against it sends that; both spellings read as `Celsius`, which is what is written. `Hertz`
    /// is in the MeterValues schema though not in the text.
    lenient UnitOfMeasure {
        Wh, KWh = "kWh", Varh = "varh", Kvarh = "kvarh", W, KW = "kW", VA, KVA = "kVA", Var = "var",
        Kvar = "kvar", A, V, K, Celsius = "Celsius" | "Celcius", Fahrenheit, Percent, Hertz,
    }
}

message! {
    /// OCPP 1.6 §7.27: the central system's verdict on an idTag.
    pub struct IdTagInfo {
        /// When the verdict stops holding (for caching); absent means "no expiry given".
        #[serde(default, with = "crate::v16::datetime::option")]
        pub expiry_date: Option<DateTime<Utc>> = "expiryDate",
        pub parent_id_tag: Option<String> = "parentIdTag" [max_len = 20],
        pub status: AuthorizationStatus = "status",
    }

    /// OCPP 1.6 §7.33: the readings of one moment.
    pub struct MeterValue {
        #[serde(with = "crate::v16::datetime")]
        pub timestamp: DateTime<Utc> = "timestamp",
        pub sampled_value: Vec<SampledValue> = "sampledValue" [min_items = 1],
    }

    /// OCPP 1.6 §7.43: one reading. `value` stays the string it is on the wire (OCPP 1.6 types it as a
    /// string; with `format = SignedData` it is not even a number).
    pub struct SampledValue {
        pub value: String = "value",
        pub context: Option<ReadingContext> = "context",
        pub format: Option<ValueFormat> = "format",
        pub measurand: Option<Measurand> = "measurand",
        pub phase: Option<Phase> = "phase",
        pub location: Option<Location> = "location",
        pub unit: Option<UnitOfMeasure> = "unit",
    }

    /// OCPP 1.6 §7.29: one configuration key as GetConfiguration reports it.
    pub struct KeyValue {
        pub key: String = "key" [max_len = 50],
        pub readonly: bool = "readonly",
        pub value: Option<String> = "value" [max_len = 500],
    }

    /// OCPP 1.6 §6.1 Authorize.req.
    pub struct AuthorizeRequest: request "Authorize" -> AuthorizeResponse {
        pub id_tag: String = "idTag" [max_len = 20],
    }

    /// OCPP 1.6 §6.2 Authorize.conf.
    pub struct AuthorizeResponse: response "Authorize" {
        pub id_tag_info: IdTagInfo = "idTagInfo",
    }

    /// OCPP 1.6 §6.3 BootNotification.req.
    pub struct BootNotificationRequest: request "BootNotification" -> BootNotificationResponse {
        pub charge_point_vendor: String = "chargePointVendor" [max_len = 20],
        pub charge_point_model: String = "chargePointModel" [max_len = 20],
        pub charge_point_serial_number: Option<String> = "chargePointSerialNumber" [max_len = 25],
        /// Deprecated in 1.6 in favour of `charge_point_serial_number`, still sent by many stations.
        pub charge_box_serial_number: Option<String> = "chargeBoxSerialNumber" [max_len = 25],
        pub firmware_version: Option<String> = "firmwareVersion" [max_len = 50],
        pub iccid: Option<String> = "iccid" [max_len = 20],
        pub imsi: Option<String> = "imsi" [max_len = 20],
        pub meter_type: Option<String> = "meterType" [max_len = 25],
        pub meter_serial_number: Option<String> = "meterSerialNumber" [max_len = 25],
    }

    /// OCPP 1.6 §6.4 BootNotification.conf. `interval` is the heartbeat interval when `Accepted`, and the
    /// wait before the next BootNotification otherwise (seconds).
    pub struct BootNotificationResponse: response "BootNotification" {
        pub status: RegistrationStatus = "status",
        #[serde(with = "crate::v16::datetime")]
        pub current_time: DateTime<Utc> = "currentTime",
        pub interval: i32 = "interval" [min = 0],
    }

    /// OCPP 1.6 §6.7 ChangeAvailability.req. Connector 0 is the whole station.
    pub struct ChangeAvailabilityRequest: request "ChangeAvailability" -> ChangeAvailabilityResponse {
        pub connector_id: i32 = "connectorId" [min = 0],
        /// Wire name `type`.
        pub kind: AvailabilityType = "type",
    }

    /// OCPP 1.6 §6.8 ChangeAvailability.conf.
    pub struct ChangeAvailabilityResponse: response "ChangeAvailability" {
        pub status: AvailabilityStatus = "status",
    }

    /// OCPP 1.6 §6.9 ChangeConfiguration.req.
    pub struct ChangeConfigurationRequest: request "ChangeConfiguration" -> ChangeConfigurationResponse {
        pub key: String = "key" [max_len = 50],
        pub value: String = "value" [max_len = 500],
    }

    /// OCPP 1.6 §6.10 ChangeConfiguration.conf.
    pub struct ChangeConfigurationResponse: response "ChangeConfiguration" {
        pub status: ConfigurationStatus = "status",
    }

    /// OCPP 1.6 §6.11 ClearCache.req.
    pub struct ClearCacheRequest: request "ClearCache" -> ClearCacheResponse {}

    /// OCPP 1.6 §6.12 ClearCache.conf.
    pub struct ClearCacheResponse: response "ClearCache" {
        pub status: ClearCacheStatus = "status",
    }

    /// OCPP 1.6 §6.15 DataTransfer.req, sent by either side. `data` is free text (often JSON in a string).
    pub struct DataTransferRequest: request "DataTransfer" -> DataTransferResponse {
        pub vendor_id: String = "vendorId" [max_len = 255],
        pub message_id: Option<String> = "messageId" [max_len = 50],
        pub data: Option<String> = "data",
    }

    /// OCPP 1.6 §6.16 DataTransfer.conf.
    pub struct DataTransferResponse: response "DataTransfer" {
        pub status: DataTransferStatus = "status",
        pub data: Option<String> = "data",
    }

    /// OCPP 1.6 §6.23 GetConfiguration.req. No `key` asks for every key.
    pub struct GetConfigurationRequest: request "GetConfiguration" -> GetConfigurationResponse {
        pub key: Option<Vec<String>> = "key" [max_len = 50],
    }

    /// OCPP 1.6 §6.24 GetConfiguration.conf.
    pub struct GetConfigurationResponse: response "GetConfiguration" {
        pub configuration_key: Option<Vec<KeyValue>> = "configurationKey",
        pub unknown_key: Option<Vec<String>> = "unknownKey" [max_len = 50],
    }

    /// OCPP 1.6 §6.29 Heartbeat.req.
    pub struct HeartbeatRequest: request "Heartbeat" -> HeartbeatResponse {}

    /// OCPP 1.6 §6.30 Heartbeat.conf.
    pub struct HeartbeatResponse: response "Heartbeat" {
        #[serde(with = "crate::v16::datetime")]
        pub current_time: DateTime<Utc> = "currentTime",
    }

    /// OCPP 1.6 §6.31 MeterValues.req. Connector 0 is the main meter of the station.
    pub struct MeterValuesRequest: request "MeterValues" -> MeterValuesResponse {
        pub connector_id: i32 = "connectorId" [min = 0],
        pub transaction_id: Option<i32> = "transactionId",
        pub meter_value: Vec<MeterValue> = "meterValue" [min_items = 1],
    }

    /// OCPP 1.6 §6.32 MeterValues.conf.
    pub struct MeterValuesResponse: response "MeterValues" {}

    /// OCPP 1.6 §6.33 RemoteStartTransaction.req.
    pub struct RemoteStartTransactionRequest: request "RemoteStartTransaction" -> RemoteStartTransactionResponse {
        /// "connectorId SHALL be > 0" (§6.33).
        pub connector_id: Option<i32> = "connectorId" [min = 1],
        pub id_tag: String = "idTag" [max_len = 20],
        /// Must be a TxProfile (§5.11).
        pub charging_profile: Option<ChargingProfile> = "chargingProfile",
    }

    /// OCPP 1.6 §6.34 RemoteStartTransaction.conf.
    pub struct RemoteStartTransactionResponse: response "RemoteStartTransaction" {
        pub status: RemoteStartStopStatus = "status",
    }

    /// OCPP 1.6 §6.35 RemoteStopTransaction.req.
    pub struct RemoteStopTransactionRequest: request "RemoteStopTransaction" -> RemoteStopTransactionResponse {
        pub transaction_id: i32 = "transactionId",
    }

    /// OCPP 1.6 §6.36 RemoteStopTransaction.conf.
    pub struct RemoteStopTransactionResponse: response "RemoteStopTransaction" {
        pub status: RemoteStartStopStatus = "status",
    }

    /// OCPP 1.6 §6.39 Reset.req.
    pub struct ResetRequest: request "Reset" -> ResetResponse {
        /// Wire name `type`.
        pub kind: ResetType = "type",
    }

    /// OCPP 1.6 §6.40 Reset.conf.
    pub struct ResetResponse: response "Reset" {
        pub status: ResetStatus = "status",
    }

    /// OCPP 1.6 §6.45 StartTransaction.req. `meter_start` is the energy register in Wh; it is `i64` because
    /// a long-lived station's register can pass the 2.1 GWh an `i32` holds.
    pub struct StartTransactionRequest: request "StartTransaction" -> StartTransactionResponse {
        /// "connectorId > 0" (§6.45): a transaction is always on a connector.
        pub connector_id: i32 = "connectorId" [min = 1],
        pub id_tag: String = "idTag" [max_len = 20],
        pub meter_start: i64 = "meterStart",
        pub reservation_id: Option<i32> = "reservationId",
        #[serde(with = "crate::v16::datetime")]
        pub timestamp: DateTime<Utc> = "timestamp",
    }

    /// OCPP 1.6 §6.46 StartTransaction.conf.
    pub struct StartTransactionResponse: response "StartTransaction" {
        pub id_tag_info: IdTagInfo = "idTagInfo",
        pub transaction_id: i32 = "transactionId",
    }

    /// OCPP 1.6 §6.47 StatusNotification.req. Connector 0 is the station itself.
    pub struct StatusNotificationRequest: request "StatusNotification" -> StatusNotificationResponse {
        pub connector_id: i32 = "connectorId" [min = 0],
        pub error_code: ChargePointErrorCode = "errorCode",
        pub info: Option<String> = "info" [max_len = 50],
        pub status: ChargePointStatus = "status",
        #[serde(default, with = "crate::v16::datetime::option")]
        pub timestamp: Option<DateTime<Utc>> = "timestamp",
        pub vendor_id: Option<String> = "vendorId" [max_len = 255],
        pub vendor_error_code: Option<String> = "vendorErrorCode" [max_len = 50],
    }

    /// OCPP 1.6 §6.48 StatusNotification.conf.
    pub struct StatusNotificationResponse: response "StatusNotification" {}

    /// OCPP 1.6 §6.49 StopTransaction.req. `meter_stop` is the energy register in Wh (`i64`, as
    /// `meter_start`).
    pub struct StopTransactionRequest: request "StopTransaction" -> StopTransactionResponse {
        pub id_tag: Option<String> = "idTag" [max_len = 20],
        pub meter_stop: i64 = "meterStop",
        #[serde(with = "crate::v16::datetime")]
        pub timestamp: DateTime<Utc> = "timestamp",
        pub transaction_id: i32 = "transactionId",
        pub reason: Option<Reason> = "reason",
        /// The StopTransaction schema, unlike MeterValues, sets no minItems on `sampledValue`; a stop must not
        /// be refused (and the session lost) over an empty list, so the looser schema is followed here.
        pub transaction_data: Option<Vec<MeterValue>> = "transactionData" [ty = TRANSACTION_DATA],
    }

    /// OCPP 1.6 §6.50 StopTransaction.conf.
    pub struct StopTransactionResponse: response "StopTransaction" {
        pub id_tag_info: Option<IdTagInfo> = "idTagInfo",
    }

    /// OCPP 1.6 §6.53 UnlockConnector.req.
    pub struct UnlockConnectorRequest: request "UnlockConnector" -> UnlockConnectorResponse {
        /// "connectorId > 0" (§6.53).
        pub connector_id: i32 = "connectorId" [min = 1],
    }

    /// OCPP 1.6 §6.54 UnlockConnector.conf.
    pub struct UnlockConnectorResponse: response "UnlockConnector" {
        pub status: UnlockStatus = "status",
    }
}

use super::schema::{Described, Field, Limits, Ty};

/// `StopTransaction.transactionData`: `MeterValue` as the StopTransaction schema has it (no minItems on
/// `sampledValue`).
const TRANSACTION_DATA: Ty = Ty::Array(&Ty::Object(&[
    Field { name: "timestamp", ty: Ty::DateTime, required: true, limits: Limits::NONE },
    Field { name: "sampledValue", ty: <Vec<SampledValue>>::TY, required: true, limits: Limits::NONE },
]));
