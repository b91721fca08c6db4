//! Local Auth List Management profile (OCPP 1.6 §3.5, §5.10, §5.15).

use super::core_profile::IdTagInfo;

ocpp_enum! {
    /// OCPP 1.6 §7.48. Written by the central system.
    strict UpdateType { Differential, Full }

    /// OCPP 1.6 §7.47.
    lenient UpdateStatus { Accepted, Failed, NotSupported, VersionMismatch }
}

message! {
    /// OCPP 1.6 §7.1: one entry of the local list. No `id_tag_info` in a differential update removes the tag.
    pub struct AuthorizationData {
        pub id_tag: String = "idTag" [max_len = 20],
        pub id_tag_info: Option<IdTagInfo> = "idTagInfo",
    }

    /// OCPP 1.6 §6.27 GetLocalListVersion.req.
    pub struct GetLocalListVersionRequest: request "GetLocalListVersion" -> GetLocalListVersionResponse {}

    /// OCPP 1.6 §6.28 GetLocalListVersion.conf. 0 means no list, -1 that local lists are not supported,
    /// hence no lower bound.
    pub struct GetLocalListVersionResponse: response "GetLocalListVersion" {
        pub list_version: i32 = "listVersion",
    }

    /// OCPP 1.6 §6.41 SendLocalList.req.
    pub struct SendLocalListRequest: request "SendLocalList" -> SendLocalListResponse {
        pub list_version: i32 = "listVersion",
        pub local_authorization_list: Option<Vec<AuthorizationData>> = "localAuthorizationList",
        pub update_type: UpdateType = "updateType",
    }

    /// OCPP 1.6 §6.42 SendLocalList.conf.
    pub struct SendLocalListResponse: response "SendLocalList" {
        pub status: UpdateStatus = "status",
    }
}
