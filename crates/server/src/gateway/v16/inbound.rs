//! A 1.6 station's CALLs: decodes each, hands it to the [`Services`], encodes the answer. It translates
//! and holds no business rules.

use joule_core::auth::Authorization;
use joule_core::meter::{MeterSample, RawSample};
use joule_core::session::{SessionStop, StopOutcome};
use joule_core::station::{BootInfo, Registration, StatusReport};
use joule_core::{IdTag, SessionId};
use joule_store::{MeterBatch, StoreError};
use ocpp::v16::{self, ChargePointRequest};
use ocpp::{Call, CallError, CallResult, ErrorCode, Frame};
use serde_json::Value;

use crate::events::LiveEventKind;
use crate::gateway::adapter::Context;
use joule_app::charging::StartError;

type Answer = Result<Value, (ErrorCode, String)>;

/// Answers one CALL with a CALLRESULT or CALLERROR. The CALLRESULT of a message that carries data is
/// produced only after the store committed it (DESIGN.md rule 1).
pub(crate) async fn handle(ctx: &Context<'_>, call: Call) -> Frame {
    let answer = match ChargePointRequest::decode(&call.action, &call.payload) {
        Ok(request) => dispatch(ctx, request).await,
        Err(e) => {
            tracing::info!(station = %ctx.station_id, action = %truncated(&call.action), code = %e.code, error = %e.description, "CALL refused");
            Err((e.code, e.description))
        }
    };
    match answer {
        Ok(payload) => Frame::CallResult(CallResult { id: call.id, payload }),
        Err((code, description)) => Frame::CallError(CallError::new(call.id, code, description)),
    }
}

/// A store failure: the station is told to try again (it retries, and nothing it sent was acknowledged).
fn storage(e: StoreError) -> (ErrorCode, String) {
    tracing::error!(error = %e, "store error while handling a station's CALL");
    (ErrorCode::InternalError, "storage temporarily unavailable; please retry".into())
}

async fn dispatch(ctx: &Context<'_>, request: ChargePointRequest) -> Answer {
    let services = ctx.services;
    let id = &ctx.station_id;
    match request {
        ChargePointRequest::BootNotification(r) => {
            let info = BootInfo {
                vendor: r.charge_point_vendor,
                model: r.charge_point_model,
                serial_number: r.charge_point_serial_number,
                charge_box_serial_number: r.charge_box_serial_number,
                firmware_version: r.firmware_version,
                iccid: r.iccid,
                imsi: r.imsi,
                meter_type: r.meter_type,
                meter_serial_number: r.meter_serial_number,
            };
            let answer = services.boot(id, &info).await.map_err(storage)?;
            let status = match answer.registration {
                Registration::Accepted => v16::RegistrationStatus::Accepted,
                Registration::Pending => v16::RegistrationStatus::Pending,
                Registration::Rejected => v16::RegistrationStatus::Rejected,
            };
            let interval = i32::try_from(answer.interval_secs).unwrap_or(i32::MAX);
            ctx.publish(|| LiveEventKind::Booted { registration: answer.registration });
            if answer.registration == Registration::Accepted {
                // The operator's default configuration, for keys this station has not been given yet (a
                // station just activated, or one that was offline when defaults were applied). Sent after
                // this answer: the connection sends Joule's CALLs between the station's.
                ctx.gateway.apply_defaults_in_background(id.clone(), ctx.operator_id, true);
                // --- local authorization list sync ---
                // A rebooted station may have lost its list: asked its version (§6.27) and brought in step.
                ctx.gateway.local_list_after_boot(id.clone());
            }
            ok(&v16::BootNotificationResponse { status, current_time: chrono::Utc::now(), interval })
        }
        ChargePointRequest::Heartbeat(_) => {
            let now = services.heartbeat(id).await.map_err(storage)?;
            ok(&v16::HeartbeatResponse { current_time: now })
        }
        ChargePointRequest::StatusNotification(r) => {
            let connector_id = non_negative(r.connector_id)?;
            let report = StatusReport {
                evse_id: super::evse_of_connector(connector_id),
                connector_id,
                status: super::connector_status(&r.status),
                error_code: r.error_code.as_str().to_string(),
                info: r.info,
                vendor_id: r.vendor_id,
                vendor_error_code: r.vendor_error_code,
                timestamp: r.timestamp,
            };
            services.status(id, &report).await.map_err(storage)?;
            ctx.publish(|| LiveEventKind::Status(report));
            ok(&v16::StatusNotificationResponse {})
        }
        ChargePointRequest::Authorize(r) => {
            let auth = services.authorize(id, &r.id_tag).await.map_err(storage)?;
            ok(&v16::AuthorizeResponse { id_tag_info: id_tag_info(&auth) })
        }
        ChargePointRequest::StartTransaction(r) => {
            let connector = non_negative(r.connector_id)?;
            let reservation = r.reservation_id.map(i64::from);
            let (outcome, auth) =
                match services.start_session(id, connector, &r.id_tag, r.meter_start, r.timestamp, reservation).await {
                    Ok(v) => v,
                    Err(StartError::InvalidTag(e)) => {
                        return Err((ErrorCode::PropertyConstraintViolation, format!("idTag: {e}")));
                    }
                    Err(StartError::Store(e)) => return Err(storage(e)),
                };
            let transaction_id = wire_transaction_id(outcome.session.id)?;
            if outcome.created {
                let session = &outcome.session;
                ctx.publish(|| LiveEventKind::SessionStarted {
                    transaction_id: session.id,
                    connector_id: session.connector_id,
                    id_tag: session.id_tag.clone(),
                    meter_start_wh: session.meter_start_wh,
                });
            }
            ok(&v16::StartTransactionResponse { id_tag_info: id_tag_info(&auth), transaction_id })
        }
        ChargePointRequest::StopTransaction(r) => {
            let mut samples = Vec::new();
            for mv in r.transaction_data.iter().flatten() {
                samples.extend(samples_of(mv));
            }
            let stop = SessionStop {
                station_id: id.clone(),
                transaction_id: SessionId(i64::from(r.transaction_id)),
                // The schema bounds the length; a tag with control characters is kept out of the record.
                id_tag: r.id_tag.as_deref().and_then(|t| IdTag::parse(t).ok()),
                meter_stop_wh: r.meter_stop,
                stopped_at: r.timestamp,
                reason: r.reason.map(|reason| reason.as_str().to_string()),
                samples,
            };
            let (outcome, auth) = services.stop_session(&stop).await.map_err(storage)?;
            match &outcome {
                StopOutcome::Stopped(session) => ctx.publish(|| LiveEventKind::SessionStopped {
                    transaction_id: session.id,
                    meter_stop_wh: stop.meter_stop_wh,
                    reason: stop.reason.clone(),
                }),
                StopOutcome::AlreadyStopped(_) => {
                    tracing::debug!(station = %id, transaction = r.transaction_id, "re-sent stop acknowledged again");
                }
                StopOutcome::Unknown => {}
            }
            ok(&v16::StopTransactionResponse { id_tag_info: auth.as_ref().map(id_tag_info) })
        }
        ChargePointRequest::MeterValues(r) => {
            let batch = MeterBatch {
                station_id: id.clone(),
                connector_id: non_negative(r.connector_id)?,
                transaction_id: r.transaction_id.map(|t| SessionId(i64::from(t))),
                samples: r.meter_value.iter().flat_map(samples_of).collect(),
            };
            services.meter_values(&batch).await.map_err(storage)?;
            ctx.publish(|| LiveEventKind::MeterValues {
                connector_id: batch.connector_id,
                transaction_id: batch.transaction_id,
                samples: batch.samples,
            });
            ok(&v16::MeterValuesResponse {})
        }
        ChargePointRequest::DataTransfer(r) => {
            // OCPP 1.6 §4.3: a vendor-specific message Joule has no handler for is answered UnknownVendorId;
            // it is recorded so an operator can see what the station wanted.
            let detail = format!(
                "vendorId={} messageId={} data={}",
                r.vendor_id,
                r.message_id.as_deref().unwrap_or("-"),
                r.data.as_deref().map(truncated).unwrap_or_else(|| "-".into())
            );
            services.event(id, "DataTransfer", detail).await.map_err(storage)?;
            ok(&v16::DataTransferResponse { status: v16::DataTransferStatus::UnknownVendorId, data: None })
        }
        ChargePointRequest::DiagnosticsStatusNotification(r) => {
            services
                .event(id, "DiagnosticsStatusNotification", r.status.as_str().to_string())
                .await
                .map_err(storage)?;
            ok(&v16::DiagnosticsStatusNotificationResponse {})
        }
        ChargePointRequest::FirmwareStatusNotification(r) => {
            services.event(id, "FirmwareStatusNotification", r.status.as_str().to_string()).await.map_err(storage)?;
            ok(&v16::FirmwareStatusNotificationResponse {})
        }
        ChargePointRequest::SecurityEventNotification(r) => {
            let detail = format!(
                "{} at {}{}",
                r.kind,
                r.timestamp.to_rfc3339(),
                r.tech_info.map(|t| format!(": {t}")).unwrap_or_default()
            );
            services.event(id, "SecurityEventNotification", detail).await.map_err(storage)?;
            ok(&v16::SecurityEventNotificationResponse {})
        }
        ChargePointRequest::LogStatusNotification(r) => {
            let detail = format!(
                "{} (request {})",
                r.status.as_str(),
                r.request_id.map(|i| i.to_string()).unwrap_or("-".into())
            );
            services.event(id, "LogStatusNotification", detail).await.map_err(storage)?;
            ok(&v16::LogStatusNotificationResponse {})
        }
        ChargePointRequest::SignedFirmwareStatusNotification(r) => {
            let detail = format!(
                "{} (request {})",
                r.status.as_str(),
                r.request_id.map(|i| i.to_string()).unwrap_or("-".into())
            );
            services.event(id, "SignedFirmwareStatusNotification", detail).await.map_err(storage)?;
            ok(&v16::SignedFirmwareStatusNotificationResponse {})
        }
        ChargePointRequest::SignCertificate(_) => {
            // Security Whitepaper §5.17: Joule has no certificate authority yet, so it declines to sign; the
            // station keeps its current certificate.
            services
                .event(id, "SignCertificate", "rejected: no certificate authority configured".into())
                .await
                .map_err(storage)?;
            ok(&v16::SignCertificateResponse { status: v16::GenericStatus::Rejected })
        }
    }
}

fn ok<T: serde::Serialize>(message: &T) -> Answer {
    Ok(v16::to_payload(message))
}

fn non_negative(connector_id: i32) -> Result<u32, (ErrorCode, String)> {
    u32::try_from(connector_id)
        .map_err(|_| (ErrorCode::PropertyConstraintViolation, format!("connectorId: {connector_id} is negative")))
}

/// OCPP 1.6 transactionId is an integer (32 bits on the wire in practice).
fn wire_transaction_id(id: SessionId) -> Result<i32, (ErrorCode, String)> {
    i32::try_from(id.0).map_err(|_| (ErrorCode::InternalError, format!("transaction id {id} does not fit the wire")))
}

fn id_tag_info(auth: &Authorization) -> v16::IdTagInfo {
    v16::IdTagInfo {
        expiry_date: auth.expires_at,
        parent_id_tag: auth.parent.as_ref().map(|p| p.to_string()),
        status: super::authorization_status(auth.status),
    }
}

fn samples_of(mv: &v16::MeterValue) -> impl Iterator<Item = MeterSample> + '_ {
    mv.sampled_value.iter().map(|sv| {
        MeterSample::from_raw(
            mv.timestamp,
            RawSample {
                value: &sv.value,
                measurand: sv.measurand.as_ref().map(|m| m.as_str()),
                phase: sv.phase.as_ref().map(|p| p.as_str()),
                location: sv.location.as_ref().map(|l| l.as_str()),
                context: sv.context.as_ref().map(|c| c.as_str()),
                unit: sv.unit.as_ref().map(|u| u.as_str()),
                format: sv.format.as_ref().map(|f| f.as_str()),
            },
        )
    })
}

/// Caps what a station controls in a log line or event.
fn truncated(s: &str) -> String {
    let mut out: String = s.chars().take(200).filter(|c| !c.is_control()).collect();
    if s.chars().count() > 200 {
        out.push('…');
    }
    out
}
