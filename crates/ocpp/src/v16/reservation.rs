//! Reservation profile (OCPP 1.6 §3.12, §5.3, §5.13).

use chrono::{DateTime, Utc};

ocpp_enum! {
    /// OCPP 1.6 §7.5.
    lenient CancelReservationStatus { Accepted, Rejected }

    /// OCPP 1.6 §7.40.
    lenient ReservationStatus { Accepted, Faulted, Occupied, Rejected, Unavailable }
}

message! {
    /// OCPP 1.6 §6.5 CancelReservation.req.
    pub struct CancelReservationRequest: request "CancelReservation" -> CancelReservationResponse {
        pub reservation_id: i32 = "reservationId",
    }

    /// OCPP 1.6 §6.6 CancelReservation.conf.
    pub struct CancelReservationResponse: response "CancelReservation" {
        pub status: CancelReservationStatus = "status",
    }

    /// OCPP 1.6 §6.37 ReserveNow.req. Connector 0 reserves any connector (when the station supports it,
    /// configuration key ReserveConnectorZeroSupported).
    pub struct ReserveNowRequest: request "ReserveNow" -> ReserveNowResponse {
        pub connector_id: i32 = "connectorId" [min = 0],
        #[serde(with = "crate::v16::datetime")]
        pub expiry_date: DateTime<Utc> = "expiryDate",
        pub id_tag: String = "idTag" [max_len = 20],
        pub parent_id_tag: Option<String> = "parentIdTag" [max_len = 20],
        pub reservation_id: i32 = "reservationId",
    }

    /// OCPP 1.6 §6.38 ReserveNow.conf.
    pub struct ReserveNowResponse: response "ReserveNow" {
        pub status: ReservationStatus = "status",
    }
}
