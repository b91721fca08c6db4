//! The OCPP 1.6 security extension (OCPP 1.6 Security Whitepaper, edition 3): certificates, security events,
//! signed firmware and log upload. Section numbers are the whitepaper's "Messages" chapter.

use chrono::{DateTime, Utc};

ocpp_enum! {
    /// CertificateUseEnumType. Written by the central system.
    strict CertificateUse { CentralSystemRootCertificate, ManufacturerRootCertificate }

    /// LogEnumType. Written by the central system.
    strict LogType { DiagnosticsLog, SecurityLog }

    /// MessageTriggerEnumType of ExtendedTriggerMessage. Written by the central system.
    strict ExtendedMessageTrigger {
        BootNotification, LogStatusNotification, FirmwareStatusNotification, Heartbeat, MeterValues,
        SignChargePointCertificate, StatusNotification,
    }

    /// GenericStatusEnumType: the central system's answer to SignCertificate.
    strict GenericStatus { Accepted, Rejected }

    /// HashAlgorithmEnumType. Lenient: stations write it too (GetInstalledCertificateIds.conf).
    lenient HashAlgorithm { SHA256, SHA384, SHA512 }

    /// CertificateSignedStatusEnumType.
    lenient CertificateSignedStatus { Accepted, Rejected }

    /// DeleteCertificateStatusEnumType.
    lenient DeleteCertificateStatus { Accepted, Failed, NotFound }

    /// GetInstalledCertificateStatusEnumType.
    lenient GetInstalledCertificateStatus { Accepted, NotFound }

    /// InstallCertificateStatusEnumType.
    lenient InstallCertificateStatus { Accepted, Failed, Rejected }

    /// LogStatusEnumType: the answer to GetLog.
    lenient LogStatus { Accepted, Rejected, AcceptedCanceled }

    /// UploadLogStatusEnumType: progress of a log upload.
    lenient UploadLogStatus {
        BadMessage, Idle, NotSupportedOperation, PermissionDenied, Uploaded, UploadFailure, Uploading,
    }

    /// FirmwareStatusEnumType of SignedFirmwareStatusNotification (a superset of 1.6's FirmwareStatus).
    lenient SignedFirmwareStatus {
        Downloaded, DownloadFailed, Downloading, DownloadScheduled, DownloadPaused, Idle, InstallationFailed,
        Installing, Installed, InstallRebooting, InstallScheduled, InstallVerificationFailed, InvalidSignature,
        SignatureVerified,
    }

    /// UpdateFirmwareStatusEnumType: the answer to SignedUpdateFirmware.
    lenient UpdateFirmwareStatus { Accepted, Rejected, AcceptedCanceled, InvalidCertificate, RevokedCertificate }
}

message! {
    /// CertificateHashDataType: identifies an installed certificate.
    pub struct CertificateHashData {
        pub hash_algorithm: HashAlgorithm = "hashAlgorithm",
        pub issuer_name_hash: String = "issuerNameHash" [max_len = 128],
        pub issuer_key_hash: String = "issuerKeyHash" [max_len = 128],
        pub serial_number: String = "serialNumber" [max_len = 40],
    }

    /// LogParametersType: where to upload a log and which period it covers.
    pub struct LogParameters {
        pub remote_location: String = "remoteLocation" [max_len = 512],
        #[serde(default, with = "crate::v16::datetime::option")]
        pub oldest_timestamp: Option<DateTime<Utc>> = "oldestTimestamp",
        #[serde(default, with = "crate::v16::datetime::option")]
        pub latest_timestamp: Option<DateTime<Utc>> = "latestTimestamp",
    }

    /// FirmwareType: a signed firmware image to fetch.
    pub struct Firmware {
        pub location: String = "location" [max_len = 512],
        #[serde(with = "crate::v16::datetime")]
        pub retrieve_date_time: DateTime<Utc> = "retrieveDateTime",
        #[serde(default, with = "crate::v16::datetime::option")]
        pub install_date_time: Option<DateTime<Utc>> = "installDateTime",
        /// PEM.
        pub signing_certificate: String = "signingCertificate" [max_len = 5500],
        /// Base64.
        pub signature: String = "signature" [max_len = 800],
    }

    /// Security Whitepaper §5.1 CertificateSigned.req: the signed certificate chain (PEM) for a SignCertificate.
    pub struct CertificateSignedRequest: request "CertificateSigned" -> CertificateSignedResponse {
        pub certificate_chain: String = "certificateChain" [max_len = 10000],
    }

    /// Security Whitepaper §5.2 CertificateSigned.conf.
    pub struct CertificateSignedResponse: response "CertificateSigned" {
        pub status: CertificateSignedStatus = "status",
    }

    /// Security Whitepaper §5.3 DeleteCertificate.req.
    pub struct DeleteCertificateRequest: request "DeleteCertificate" -> DeleteCertificateResponse {
        pub certificate_hash_data: CertificateHashData = "certificateHashData",
    }

    /// Security Whitepaper §5.4 DeleteCertificate.conf.
    pub struct DeleteCertificateResponse: response "DeleteCertificate" {
        pub status: DeleteCertificateStatus = "status",
    }

    /// Security Whitepaper §5.5 ExtendedTriggerMessage.req. connectorId 0 is accepted for the reason given
    /// on [`TriggerMessageRequest`](crate::v16::TriggerMessageRequest).
    pub struct ExtendedTriggerMessageRequest: request "ExtendedTriggerMessage" -> ExtendedTriggerMessageResponse {
        pub requested_message: ExtendedMessageTrigger = "requestedMessage",
        pub connector_id: Option<i32> = "connectorId" [min = 0],
    }

    /// Security Whitepaper §5.6 ExtendedTriggerMessage.conf.
    pub struct ExtendedTriggerMessageResponse: response "ExtendedTriggerMessage" {
        pub status: crate::v16::TriggerMessageStatus = "status",
    }

    /// Security Whitepaper §5.7 GetInstalledCertificateIds.req.
    pub struct GetInstalledCertificateIdsRequest:
        request "GetInstalledCertificateIds" -> GetInstalledCertificateIdsResponse
    {
        pub certificate_type: CertificateUse = "certificateType",
    }

    /// Security Whitepaper §5.8 GetInstalledCertificateIds.conf.
    pub struct GetInstalledCertificateIdsResponse: response "GetInstalledCertificateIds" {
        pub certificate_hash_data: Option<Vec<CertificateHashData>> = "certificateHashData" [min_items = 1],
        pub status: GetInstalledCertificateStatus = "status",
    }

    /// Security Whitepaper §5.9 GetLog.req.
    pub struct GetLogRequest: request "GetLog" -> GetLogResponse {
        pub log: LogParameters = "log",
        pub log_type: LogType = "logType",
        pub request_id: i32 = "requestId",
        pub retries: Option<i32> = "retries" [min = 0],
        /// Seconds.
        pub retry_interval: Option<i32> = "retryInterval" [min = 0],
    }

    /// Security Whitepaper §5.10 GetLog.conf.
    pub struct GetLogResponse: response "GetLog" {
        pub status: LogStatus = "status",
        pub filename: Option<String> = "filename" [max_len = 255],
    }

    /// Security Whitepaper §5.11 InstallCertificate.req.
    pub struct InstallCertificateRequest: request "InstallCertificate" -> InstallCertificateResponse {
        pub certificate_type: CertificateUse = "certificateType",
        /// PEM.
        pub certificate: String = "certificate" [max_len = 5500],
    }

    /// Security Whitepaper §5.12 InstallCertificate.conf.
    pub struct InstallCertificateResponse: response "InstallCertificate" {
        pub status: InstallCertificateStatus = "status",
    }

    /// Security Whitepaper §5.13 LogStatusNotification.req.
    pub struct LogStatusNotificationRequest: request "LogStatusNotification" -> LogStatusNotificationResponse {
        pub status: UploadLogStatus = "status",
        /// The GetLog request this reports on.
        pub request_id: Option<i32> = "requestId",
    }

    /// Security Whitepaper §5.14 LogStatusNotification.conf.
    pub struct LogStatusNotificationResponse: response "LogStatusNotification" {}

    /// Security Whitepaper §5.15 SecurityEventNotification.req. `kind` (wire name `type`) is a free string:
    /// the whitepaper lists security events (e.g. `FirmwareUpdated`, `InvalidCentralSystemCertificate`) but
    /// vendors add their own.
    pub struct SecurityEventNotificationRequest:
        request "SecurityEventNotification" -> SecurityEventNotificationResponse
    {
        pub kind: String = "type" [max_len = 50],
        #[serde(with = "crate::v16::datetime")]
        pub timestamp: DateTime<Utc> = "timestamp",
        pub tech_info: Option<String> = "techInfo" [max_len = 255],
    }

    /// Security Whitepaper §5.16 SecurityEventNotification.conf.
    pub struct SecurityEventNotificationResponse: response "SecurityEventNotification" {}

    /// Security Whitepaper §5.17 SignCertificate.req: a CSR (PEM) the central system should have signed.
    pub struct SignCertificateRequest: request "SignCertificate" -> SignCertificateResponse {
        pub csr: String = "csr" [max_len = 5500],
    }

    /// Security Whitepaper §5.18 SignCertificate.conf.
    pub struct SignCertificateResponse: response "SignCertificate" {
        pub status: GenericStatus = "status",
    }

    /// Security Whitepaper §5.19 SignedFirmwareStatusNotification.req.
    pub struct SignedFirmwareStatusNotificationRequest:
        request "SignedFirmwareStatusNotification" -> SignedFirmwareStatusNotificationResponse
    {
        pub status: SignedFirmwareStatus = "status",
        /// The SignedUpdateFirmware request this reports on.
        pub request_id: Option<i32> = "requestId",
    }

    /// Security Whitepaper §5.20 SignedFirmwareStatusNotification.conf.
    pub struct SignedFirmwareStatusNotificationResponse: response "SignedFirmwareStatusNotification" {}

    /// Security Whitepaper §5.21 SignedUpdateFirmware.req.
    pub struct SignedUpdateFirmwareRequest: request "SignedUpdateFirmware" -> SignedUpdateFirmwareResponse {
        pub retries: Option<i32> = "retries" [min = 0],
        /// Seconds.
        pub retry_interval: Option<i32> = "retryInterval" [min = 0],
        pub request_id: i32 = "requestId",
        pub firmware: Firmware = "firmware",
    }

    /// Security Whitepaper §5.22 SignedUpdateFirmware.conf.
    pub struct SignedUpdateFirmwareResponse: response "SignedUpdateFirmware" {
        pub status: UpdateFirmwareStatus = "status",
    }
}
