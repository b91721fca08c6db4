//! Smart Charging profile (OCPP 1.6 §3.13, §5.5, §5.12, §5.16).

use chrono::{DateTime, Utc};

ocpp_enum! {
    /// OCPP 1.6 §7.10. Written by the central system.
    strict ChargingProfilePurposeType { ChargePointMaxProfile, TxDefaultProfile, TxProfile }

    /// OCPP 1.6 §7.9. Written by the central system.
    strict ChargingProfileKindType { Absolute, Recurring, Relative }

    /// OCPP 1.6 §7.37. Written by the central system.
    strict RecurrencyKindType { Daily, Weekly }

    /// OCPP 1.6 §7.12. Lenient because stations write it too (GetCompositeSchedule.conf); a limit in an
    /// unknown unit must then be ignored by the reader, never guessed.
    lenient ChargingRateUnitType { A, W }

    /// OCPP 1.6 §7.11.
    lenient ChargingProfileStatus { Accepted, Rejected, NotSupported }

    /// OCPP 1.6 §7.21.
    lenient ClearChargingProfileStatus { Accepted, Unknown }

    /// OCPP 1.6 §7.26.
    lenient GetCompositeScheduleStatus { Accepted, Rejected }
}

message! {
    /// OCPP 1.6 §7.8.
    pub struct ChargingProfile {
        pub charging_profile_id: i32 = "chargingProfileId",
        /// Only for a TxProfile: the transaction it applies to.
        pub transaction_id: Option<i32> = "transactionId",
        /// "stackLevel >= 0" (§7.8).
        pub stack_level: i32 = "stackLevel" [min = 0],
        pub charging_profile_purpose: ChargingProfilePurposeType = "chargingProfilePurpose",
        pub charging_profile_kind: ChargingProfileKindType = "chargingProfileKind",
        pub recurrency_kind: Option<RecurrencyKindType> = "recurrencyKind",
        #[serde(default, with = "crate::v16::datetime::option")]
        pub valid_from: Option<DateTime<Utc>> = "validFrom",
        #[serde(default, with = "crate::v16::datetime::option")]
        pub valid_to: Option<DateTime<Utc>> = "validTo",
        pub charging_schedule: ChargingSchedule = "chargingSchedule",
    }

    /// OCPP 1.6 §7.13. Limits are `f64` (the schema's decimals); the schema's `multipleOf 0.1` is not
    /// enforced, because a float cannot be tested for it exactly and stations round differently.
    pub struct ChargingSchedule {
        /// Seconds.
        pub duration: Option<i32> = "duration" [min = 0],
        #[serde(default, with = "crate::v16::datetime::option")]
        pub start_schedule: Option<DateTime<Utc>> = "startSchedule",
        pub charging_rate_unit: ChargingRateUnitType = "chargingRateUnit",
        pub charging_schedule_period: Vec<ChargingSchedulePeriod> = "chargingSchedulePeriod",
        pub min_charging_rate: Option<f64> = "minChargingRate" [min = 0],
    }

    /// OCPP 1.6 §7.14.
    pub struct ChargingSchedulePeriod {
        /// Seconds from the start of the schedule.
        pub start_period: i32 = "startPeriod" [min = 0],
        /// In the schedule's unit (A or W).
        pub limit: f64 = "limit" [min = 0],
        pub number_phases: Option<i32> = "numberPhases",
    }

    /// OCPP 1.6 §6.13 ClearChargingProfile.req. Every field narrows what is cleared; none clears all.
    pub struct ClearChargingProfileRequest: request "ClearChargingProfile" -> ClearChargingProfileResponse {
        pub id: Option<i32> = "id",
        pub connector_id: Option<i32> = "connectorId" [min = 0],
        pub charging_profile_purpose: Option<ChargingProfilePurposeType> = "chargingProfilePurpose",
        pub stack_level: Option<i32> = "stackLevel" [min = 0],
    }

    /// OCPP 1.6 §6.14 ClearChargingProfile.conf.
    pub struct ClearChargingProfileResponse: response "ClearChargingProfile" {
        pub status: ClearChargingProfileStatus = "status",
    }

    /// OCPP 1.6 §6.21 GetCompositeSchedule.req. Connector 0 asks for the grid connection of the station.
    pub struct GetCompositeScheduleRequest: request "GetCompositeSchedule" -> GetCompositeScheduleResponse {
        pub connector_id: i32 = "connectorId" [min = 0],
        /// Seconds.
        pub duration: i32 = "duration" [min = 0],
        pub charging_rate_unit: Option<ChargingRateUnitType> = "chargingRateUnit",
    }

    /// OCPP 1.6 §6.22 GetCompositeSchedule.conf.
    pub struct GetCompositeScheduleResponse: response "GetCompositeSchedule" {
        pub status: GetCompositeScheduleStatus = "status",
        pub connector_id: Option<i32> = "connectorId" [min = 0],
        #[serde(default, with = "crate::v16::datetime::option")]
        pub schedule_start: Option<DateTime<Utc>> = "scheduleStart",
        pub charging_schedule: Option<ChargingSchedule> = "chargingSchedule",
    }

    /// OCPP 1.6 §6.43 SetChargingProfile.req. Connector 0 sets a station-wide profile.
    pub struct SetChargingProfileRequest: request "SetChargingProfile" -> SetChargingProfileResponse {
        pub connector_id: i32 = "connectorId" [min = 0],
        pub cs_charging_profiles: ChargingProfile = "csChargingProfiles",
    }

    /// OCPP 1.6 §6.44 SetChargingProfile.conf.
    pub struct SetChargingProfileResponse: response "SetChargingProfile" {
        pub status: ChargingProfileStatus = "status",
    }
}
