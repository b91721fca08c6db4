//! Remote Trigger profile (OCPP 1.6 §3.14, §5.17).

ocpp_enum! {
    /// OCPP 1.6 §7.32. Written by the central system.
    strict MessageTrigger {
        BootNotification, DiagnosticsStatusNotification, FirmwareStatusNotification, Heartbeat, MeterValues,
        StatusNotification,
    }

    /// OCPP 1.6 §7.44; also the answer to ExtendedTriggerMessage (Security Whitepaper).
    lenient TriggerMessageStatus { Accepted, Rejected, NotImplemented }
}

message! {
    /// OCPP 1.6 §6.51 TriggerMessage.req. The field table says "connectorId > 0", but §5.17 itself asks for
    /// "a StatusNotification for connectorId 0" (the station's own status), so 0 is accepted.
    pub struct TriggerMessageRequest: request "TriggerMessage" -> TriggerMessageResponse {
        pub requested_message: MessageTrigger = "requestedMessage",
        pub connector_id: Option<i32> = "connectorId" [min = 0],
    }

    /// OCPP 1.6 §6.52 TriggerMessage.conf.
    pub struct TriggerMessageResponse: response "TriggerMessage" {
        pub status: TriggerMessageStatus = "status",
    }
}
