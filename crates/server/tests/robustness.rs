//! Every payload a station may send, valid and broken, over a real socket: each CALL gets an answer (never
//! silence), broken ones the documented CALLERROR code, and the connection stays up.

mod common;

use std::time::Duration;

use common::TestServer;
use ocpp::Frame;
use ocpp::v16::schema::mutations;
use ocpp::v16::{ChargePointRequest, Kind, Sender};
use serde_json::{Value, json};

async fn answer(st: &mut joule_sim::client::StationClient, id: &str, action: &str, payload: &Value) -> Frame {
    let text = json!([2, id, action, payload]).to_string();
    st.send_raw(&text).await.unwrap();
    st.next_frame(Duration::from_secs(10)).await.unwrap().unwrap_or_else(|| panic!("no answer to {text}"))
}

#[tokio::test]
async fn every_station_message_and_every_mutation_gets_its_answer() {
    let s = TestServer::start().await;
    let op = s.operator("Acme").await;
    let mut st = s.booted(&op, "CP-FUZZ").await;
    let (mut results, mut errors) = (0, 0);
    let mut n = 0;
    for info in ChargePointRequest::MESSAGES.iter().filter(|m| m.from == Sender::ChargePoint && m.kind == Kind::Request)
    {
        for full in [false, true] {
            n += 1;
            let frame = answer(&mut st, &format!("ok{n}"), info.action, &info.ty.example(full)).await;
            assert!(matches!(frame, Frame::CallResult(_)), "{} example (full: {full}): {frame:?}", info.action);
            results += 1;
        }
        for m in mutations(&info.ty) {
            n += 1;
            let id = format!("m{n}");
            let frame = answer(&mut st, &id, info.action, &m.payload).await;
            assert_eq!(frame.id().as_str(), id, "answers the CALL it was asked");
            match (m.expect, frame) {
                (Some(code), Frame::CallError(e)) => {
                    assert_eq!(e.code, code, "{} {:?} at {}: {}", info.action, m.kind, m.path, e.description);
                    errors += 1;
                }
                (None, Frame::CallResult(_)) => results += 1,
                (expect, frame) => {
                    panic!("{} {:?} at {}: expected {expect:?}, got {frame:?}", info.action, m.kind, m.path)
                }
            }
        }
    }
    // Stray bytes and frames nobody can answer: dropped, the connection stays.
    for text in ["", "[", "[]", "[2]", "[2,", "\u{0}", "[4,\"x\",\"NotImplemented\",\"\",{}]", "[3,\"y\",{}]", "null"] {
        st.send_raw(text).await.unwrap();
    }
    let frame = answer(&mut st, "last", "Heartbeat", &json!({})).await;
    assert!(matches!(frame, Frame::CallResult(_)), "still serving after {n} frames: {frame:?}");
    assert!(results > 20 && errors > 100, "{results} results, {errors} errors");
}
