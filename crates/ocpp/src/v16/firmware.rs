//! Firmware Management profile (OCPP 1.6 §3.11, §4.4, §4.5, §5.9, §5.19).

use chrono::{DateTime, Utc};

ocpp_enum! {
    /// OCPP 1.6 §7.24.
    lenient DiagnosticsStatus { Idle, Uploaded, UploadFailed, Uploading }

    /// OCPP 1.6 §7.25.
    lenient FirmwareStatus { Downloaded, DownloadFailed, Downloading, Idle, InstallationFailed, Installing, Installed }
}

message! {
    /// OCPP 1.6 §6.17 DiagnosticsStatusNotification.req.
    pub struct DiagnosticsStatusNotificationRequest:
        request "DiagnosticsStatusNotification" -> DiagnosticsStatusNotificationResponse
    {
        pub status: DiagnosticsStatus = "status",
    }

    /// OCPP 1.6 §6.18 DiagnosticsStatusNotification.conf.
    pub struct DiagnosticsStatusNotificationResponse: response "DiagnosticsStatusNotification" {}

    /// OCPP 1.6 §6.19 FirmwareStatusNotification.req.
    pub struct FirmwareStatusNotificationRequest:
        request "FirmwareStatusNotification" -> FirmwareStatusNotificationResponse
    {
        pub status: FirmwareStatus = "status",
    }

    /// OCPP 1.6 §6.20 FirmwareStatusNotification.conf.
    pub struct FirmwareStatusNotificationResponse: response "FirmwareStatusNotification" {}

    /// OCPP 1.6 §6.25 GetDiagnostics.req. `location` is a URI the station uploads to (not checked here).
    pub struct GetDiagnosticsRequest: request "GetDiagnostics" -> GetDiagnosticsResponse {
        pub location: String = "location",
        pub retries: Option<i32> = "retries" [min = 0],
        /// Seconds.
        pub retry_interval: Option<i32> = "retryInterval" [min = 0],
        #[serde(default, with = "crate::v16::datetime::option")]
        pub start_time: Option<DateTime<Utc>> = "startTime",
        #[serde(default, with = "crate::v16::datetime::option")]
        pub stop_time: Option<DateTime<Utc>> = "stopTime",
    }

    /// OCPP 1.6 §6.26 GetDiagnostics.conf. No file name means there is nothing to upload.
    pub struct GetDiagnosticsResponse: response "GetDiagnostics" {
        pub file_name: Option<String> = "fileName" [max_len = 255],
    }

    /// OCPP 1.6 §6.55 UpdateFirmware.req. `location` is a URI the station downloads from.
    pub struct UpdateFirmwareRequest: request "UpdateFirmware" -> UpdateFirmwareResponse {
        pub location: String = "location",
        pub retries: Option<i32> = "retries" [min = 0],
        #[serde(with = "crate::v16::datetime")]
        pub retrieve_date: DateTime<Utc> = "retrieveDate",
        /// Seconds.
        pub retry_interval: Option<i32> = "retryInterval" [min = 0],
    }

    /// OCPP 1.6 §6.56 UpdateFirmware.conf.
    pub struct UpdateFirmwareResponse: response "UpdateFirmware" {}
}
