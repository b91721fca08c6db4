"""Interop test: the independent Python `ocpp` library (PyPI, v16 ChargePoint) runs a station through the real
`joule` binary: pending boot, activation with TriggerMessage, authorize, a session with meter values, stop.
Then the other direction: commands sent through Joule's REST API (bearer token from `joule api-token create`)
reach the Python station, which answers them like a real one: GetConfiguration, ChangeConfiguration,
RemoteStartTransaction (and it then starts the session), TriggerMessage (and it then sends the message), Reset
(and it then stops its session); plus the command history and the API's problem answers (401, 404, 400).
Last, a second Python station is handed over to another backend: Joule sets its
central-system URL by the vendor's provisioning profile, resets it, and confirms once it stays away.
The library validates every frame of ours against the official OCA 1.6 JSON schemas.

Usage: interop_v16.py PATH/TO/joule        Prints "N passed, N failed" and exits non-zero on any failure.
"""

import asyncio
import datetime
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.error
import urllib.parse
import urllib.request

import websockets
from ocpp.routing import after, on
from ocpp.v16 import ChargePoint, call, call_result
from ocpp.v16.enums import (Action, AuthorizationStatus, ConfigurationStatus, RegistrationStatus,
                            RemoteStartStopStatus, ResetStatus, TriggerMessageStatus)

BIN = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "target/release/joule")
DATA = tempfile.mkdtemp(prefix="joule-interop-")
results = []


def check(name, ok, detail=""):
    results.append(ok)
    print(("PASS " if ok else "FAIL ") + name + (f": {detail}" if detail and not ok else ""), flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


PORT = free_port()
BASE = ["--data-dir", DATA, "--listen", f"127.0.0.1:{PORT}"]
# run.sh sets this to a fresh PostgreSQL database for the second run; unset, Joule uses SQLite in DATA.
if os.environ.get("JOULE_INTEROP_DATABASE_URL"):
    BASE += ["--database-url", os.environ["JOULE_INTEROP_DATABASE_URL"]]
BACKEND = "postgres" if os.environ.get("JOULE_INTEROP_DATABASE_URL") else "sqlite"


def joule(*args):
    out = subprocess.run([BIN, *BASE, *args], capture_output=True, text=True, timeout=60)
    if out.returncode != 0:
        raise RuntimeError(f"joule {' '.join(args)} failed: {out.stderr}")
    return out.stdout


def now():
    return datetime.datetime.now(datetime.timezone.utc).isoformat().replace("+00:00", "Z")


# The Python station's configuration: key -> [value, readonly]. Integer keys reject values that are not numbers.
CONFIGURATION = {
    "HeartbeatInterval": ["300", False],
    "MeterValueSampleInterval": ["60", False],
    "ConnectionTimeOut": ["90", False],
    "AuthorizeRemoteTxRequests": ["false", False],
    "NumberOfConnectors": ["1", True],
    "SupportedFeatureProfiles": ["Core,RemoteTrigger", True],
}
INTEGER_KEYS = {"HeartbeatInterval", "MeterValueSampleInterval", "ConnectionTimeOut", "NumberOfConnectors"}


class Station(ChargePoint):
    """A station that answers the CSMS's commands as a real one would, and remembers what it was asked."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.triggered = asyncio.Event()
        self.config = {k: list(v) for k, v in CONFIGURATION.items()}
        self.status = {1: "Available"}
        self.transaction = None  # (transaction id, connector, meter start) of the session in progress
        self.received = []  # (action, payload) of every command received
        self.sent_on_trigger = []  # actions sent because of a TriggerMessage
        self.remote_tx = None  # the transaction id Joule gave the remotely started session
        self.remote_started = asyncio.Event()
        self.reset_done = asyncio.Event()
        self.errors = []  # exceptions in the follow-up tasks (the library only logs them)

    async def notify(self, connector, status):
        self.status[connector] = status
        await self.call(call.StatusNotification(connector_id=connector, error_code="NoError", status=status))

    @on(Action.get_configuration)
    async def on_get_configuration(self, key=None, **kwargs):
        self.received.append(("GetConfiguration", key))
        wanted = key or list(self.config)
        known = [{"key": k, "readonly": self.config[k][1], "value": self.config[k][0]}
                 for k in wanted if k in self.config]
        unknown = [k for k in wanted if k not in self.config]
        return call_result.GetConfiguration(configuration_key=known, unknown_key=unknown or None)

    @on(Action.change_configuration)
    async def on_change_configuration(self, key, value, **kwargs):
        self.received.append(("ChangeConfiguration", {"key": key, "value": value}))
        if key not in self.config:
            return call_result.ChangeConfiguration(status=ConfigurationStatus.not_supported)
        if self.config[key][1] or (key in INTEGER_KEYS and not value.isdigit()):
            return call_result.ChangeConfiguration(status=ConfigurationStatus.rejected)
        self.config[key][0] = value
        return call_result.ChangeConfiguration(status=ConfigurationStatus.accepted)

    @on(Action.remote_start_transaction)
    async def on_remote_start(self, id_tag, connector_id=None, **kwargs):
        self.received.append(("RemoteStartTransaction", {"id_tag": id_tag, "connector_id": connector_id}))
        busy = self.transaction is not None or (connector_id or 1) not in self.status
        return call_result.RemoteStartTransaction(
            status=RemoteStartStopStatus.rejected if busy else RemoteStartStopStatus.accepted)

    @after(Action.remote_start_transaction)
    async def after_remote_start(self, id_tag, connector_id=None, **kwargs):
        # AuthorizeRemoteTxRequests is false: the session starts without an Authorize first.
        if self.transaction is not None:
            return
        connector = connector_id or 1
        try:
            await self.notify(connector, "Preparing")
            start = await self.call(call.StartTransaction(connector_id=connector, id_tag=id_tag, meter_start=20000,
                                                          timestamp=now()))
            if start.id_tag_info["status"] == AuthorizationStatus.accepted:
                self.transaction = (start.transaction_id, connector, 20000)
                self.remote_tx = start.transaction_id
                await self.notify(connector, "Charging")
        except Exception as e:  # noqa: BLE001 - reported by the test
            self.errors.append(f"remote start: {e!r}")
        self.remote_started.set()

    @on(Action.trigger_message)
    async def on_trigger(self, requested_message, connector_id=None, **kwargs):
        self.received.append(("TriggerMessage", {"requested_message": requested_message, "connector_id": connector_id}))
        if requested_message == "BootNotification":
            self.triggered.set()  # the scenario boots again itself
        elif requested_message not in ("Heartbeat", "StatusNotification"):
            return call_result.TriggerMessage(status=TriggerMessageStatus.not_implemented)
        elif connector_id is not None and connector_id not in self.status:
            return call_result.TriggerMessage(status=TriggerMessageStatus.rejected)
        return call_result.TriggerMessage(status=TriggerMessageStatus.accepted)

    @after(Action.trigger_message)
    async def after_trigger(self, requested_message, connector_id=None, **kwargs):
        try:
            if requested_message == "Heartbeat":
                await self.call(call.Heartbeat())
                self.sent_on_trigger.append("Heartbeat")
            elif requested_message == "StatusNotification":
                for c in [connector_id] if connector_id in self.status else list(self.status):
                    await self.notify(c, self.status[c])
                    self.sent_on_trigger.append("StatusNotification")
        except Exception as e:  # noqa: BLE001 - reported by the test
            self.errors.append(f"trigger {requested_message}: {e!r}")

    @on(Action.reset)
    async def on_reset(self, type, **kwargs):  # noqa: A002 - the OCPP property's name
        self.received.append(("Reset", {"type": type}))
        return call_result.Reset(status=ResetStatus.accepted)

    @after(Action.reset)
    async def after_reset(self, type, **kwargs):  # noqa: A002
        # OCPP 1.6 §5.13: stop the sessions in progress first (reason SoftReset / HardReset), then restart.
        try:
            if self.transaction is not None:
                tx, _, meter_start = self.transaction
                self.transaction = None
                await self.call(call.StopTransaction(meter_stop=meter_start + 1000, timestamp=now(), transaction_id=tx,
                                                     reason=f"{type}Reset"))
        except Exception as e:  # noqa: BLE001 - reported by the test
            self.errors.append(f"reset: {e!r}")
        self.reset_done.set()


def http(method, path, body=None, token=None, timeout=20):
    """One REST API request: (status, content type, parsed JSON body or None)."""
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(f"http://127.0.0.1:{PORT}{path}", data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            status, ctype, raw = r.status, r.headers.get("Content-Type", ""), r.read()
    except urllib.error.HTTPError as e:
        status, ctype, raw = e.code, e.headers.get("Content-Type", ""), e.read()
    try:
        parsed = json.loads(raw) if raw.strip() else None
    except ValueError:
        parsed = raw.decode(errors="replace")
    return status, ctype, parsed


def is_problem(resp, status, slug):
    code, ctype, body = resp
    return (code == status and ctype.startswith("application/problem+json") and isinstance(body, dict)
            and body.get("status") == status and str(body.get("type", "")).endswith(f"#problem-{slug}")
            and bool(body.get("detail")))


async def scenario(url, token):
    async with websockets.connect(url + "PY-CP-1", subprotocols=["ocpp1.6"]) as ws:
        check("subprotocol ocpp1.6 negotiated", ws.subprotocol == "ocpp1.6", ws.subprotocol)
        cp = Station("PY-CP-1", ws)
        listener = asyncio.create_task(cp.start())
        boot = call.BootNotification(
            charge_point_model="PyModel", charge_point_vendor="PyVendor", charge_point_serial_number="PY-SN-1",
            firmware_version="9.9.9", meter_type="PyMeter")
        first = await cp.call(boot)
        check("unknown station boots Pending", first.status == RegistrationStatus.pending, first.status)

        await asyncio.to_thread(joule, "station", "activate", "PY-CP-1")
        try:
            await asyncio.wait_for(cp.triggered.wait(), 10)
            check("activation sends TriggerMessage(BootNotification)", True)
        except asyncio.TimeoutError:
            check("activation sends TriggerMessage(BootNotification)", False, "no trigger within 10 s")
        second = await cp.call(boot)
        check("activated station boots Accepted", second.status == RegistrationStatus.accepted, second.status)
        check("heartbeat interval given", second.interval == 300, second.interval)

        hb = await cp.call(call.Heartbeat())
        check("heartbeat answered with server time", bool(hb.current_time))

        ok = await cp.call(call.Authorize(id_tag="DRIVER-1"))
        check("known tag accepted", ok.id_tag_info["status"] == AuthorizationStatus.accepted, ok.id_tag_info)
        bad = await cp.call(call.Authorize(id_tag="NOBODY"))
        check("unknown tag invalid", bad.id_tag_info["status"] == AuthorizationStatus.invalid, bad.id_tag_info)

        await cp.notify(1, "Preparing")
        start = await cp.call(call.StartTransaction(connector_id=1, id_tag="DRIVER-1", meter_start=10000, timestamp=now()))
        tx = start.transaction_id
        check("session started", start.id_tag_info["status"] == AuthorizationStatus.accepted and tx > 0, start)
        cp.transaction = (tx, 1, 10000)
        await cp.notify(1, "Charging")
        for i, kwh in enumerate(["10.5", "11.25", "12.0"]):
            mv = [{"timestamp": now(), "sampledValue": [
                {"value": kwh, "unit": "kWh", "measurand": "Energy.Active.Import.Register", "context": "Sample.Periodic"},
                {"value": "7400", "unit": "W", "measurand": "Power.Active.Import"},
                {"value": "32.1", "unit": "A", "measurand": "Current.Import", "phase": "L1"}]}]
            await cp.call(call.MeterValues(connector_id=1, transaction_id=tx, meter_value=mv))
        check("meter values acknowledged", True)
        dt = await cp.call(call.DataTransfer(vendor_id="org.example", message_id="ping", data="{}"))
        check("unknown DataTransfer answered UnknownVendorId", dt.status == "UnknownVendorId", dt.status)
        stop = await cp.call(call.StopTransaction(meter_stop=12500, timestamp=now(), transaction_id=tx,
                                                  id_tag="DRIVER-1", reason="EVDisconnected"))
        check("session stopped", stop.id_tag_info["status"] == AuthorizationStatus.accepted, stop)
        cp.transaction = None
        await commands(cp, token, boot)
        check("no errors in the station's follow-up messages", not cp.errors, cp.errors)
        listener.cancel()
        return tx


async def commands(cp, token, boot):
    """Commands through the REST API, answered by the Python station."""
    st = "/api/v1/stations/PY-CP-1"

    async def api(method, path, body=None, auth=True, timeout=20):
        return await asyncio.to_thread(http, method, path, body, token if auth else None, timeout)

    async def inbound(action):
        """The station's CALLs of this action in the message log."""
        code, _, frames = await api("GET", f"{st}/messages?action={action}&limit=5000")
        if code != 200:
            return []
        return [f for f in frames if f["direction"] == "in" and f["message_type"] == 2]

    async def eventually(predicate, seconds=10):
        deadline = time.monotonic() + seconds
        while True:
            result = await predicate()
            if result or time.monotonic() > deadline:
                return result
            await asyncio.sleep(0.2)

    # Errors: RFC 9457 problems, and nothing reaches the station.
    r = await api("POST", f"{st}/reset", {"type": "Soft"}, auth=False)
    check("API: command without a token -> 401 problem", is_problem(r, 401, "unauthorized"), r)
    r = await api("POST", "/api/v1/stations/NO-SUCH-CP/reset", {"type": "Soft"})
    check("API: command to an unknown station -> 404 problem", is_problem(r, 404, "not-found"), r)
    r = await api("POST", f"{st}/commands", {"action": "Reset", "payload": {"type": "Medium"}})
    check("API: invalid payload (Reset type Medium) -> 400 problem, field payload.type",
          is_problem(r, 400, "invalid-request") and r[2].get("field") == "payload.type", r)
    check("API: none of them reached the station", not any(a == "Reset" for a, _ in cp.received), cp.received)

    # GetConfiguration.
    code, _, body = await api("GET", st)
    check("API: station online with its boot data", code == 200 and body["online"] is True
          and body["boot"]["vendor"] == "PyVendor", body)
    asked = cp.received.count(("GetConfiguration", None))
    code, _, body = await api("POST", f"{st}/configuration/refresh")
    check("refresh -> station receives GetConfiguration (all keys)",
          code == 200 and cp.received.count(("GetConfiguration", None)) == asked + 1, (code, body, cp.received))
    code, _, keys = await api("GET", f"{st}/configuration")
    stored = {k["key"]: (k["value"], k["readonly"]) for k in keys} if code == 200 else {}
    expected = {k: (v, ro) for k, (v, ro) in CONFIGURATION.items()}
    check("GET configuration: the station's keys, values and readonly flags", stored == expected, (code, keys))
    code, _, body = await api("POST", f"{st}/configuration/refresh", {"keys": ["HeartbeatInterval", "NoSuchKey"]})
    check("refresh of named keys: unknown key reported",
          code == 200 and body["unknown_keys"] == ["NoSuchKey"], (code, body))

    # ChangeConfiguration.
    async def stored_value(key):
        code, _, keys = await api("GET", f"{st}/configuration")
        return next((k["value"] for k in keys if k["key"] == key), None) if code == 200 else None

    code, _, body = await api("PUT", f"{st}/configuration/HeartbeatInterval", {"value": "120"})
    check("ChangeConfiguration writable key -> Accepted",
          code == 200 and body["status"] == "Accepted" and cp.config["HeartbeatInterval"][0] == "120", (code, body))
    value = await stored_value("HeartbeatInterval")
    check("accepted change stored (HeartbeatInterval = 120)", value == "120", value)
    code, _, body = await api("PUT", f"{st}/configuration/NumberOfConnectors", {"value": "2"})
    check("ChangeConfiguration readonly key -> Rejected", code == 200 and body["status"] == "Rejected", (code, body))
    value = await stored_value("NumberOfConnectors")
    check("rejected change not stored (NumberOfConnectors = 1)", value == "1", value)
    code, _, body = await api("PUT", f"{st}/configuration/NoSuchKey", {"value": "x"})
    check("ChangeConfiguration unknown key -> NotSupported",
          code == 200 and body["status"] == "NotSupported", (code, body))
    value = await stored_value("NoSuchKey")
    check("unsupported key not stored", value is None, value)

    # RemoteStartTransaction: the station accepts, then starts the session; the answer carries its id.
    code, _, body = await api("POST", "/api/v1/id-tokens", {"tag": "REMOTE-1"})
    check("API: id token REMOTE-1 created", code == 201, (code, body))
    code, _, body = await api("POST", f"{st}/remote-start",
                              {"connector_id": 1, "id_tag": "REMOTE-1", "wait_for_start_secs": 20}, timeout=40)
    try:
        await asyncio.wait_for(cp.remote_started.wait(), 10)
    except asyncio.TimeoutError:
        pass
    check("RemoteStartTransaction -> Accepted, station sent StartTransaction",
          code == 200 and body["answer"] == {"status": "Accepted"} and cp.remote_tx is not None, (code, body))
    remote_tx = cp.remote_tx
    check("remote-start answer's transaction_id is the id Joule gave the station",
          code == 200 and remote_tx is not None and body.get("transaction_id") == remote_tx,
          (body, remote_tx))
    code, _, session = await api("GET", f"/api/v1/sessions/{remote_tx}")
    check("remote session active for REMOTE-1 on connector 1", code == 200 and session["state"] == "active"
          and session["id_tag"] == "REMOTE-1" and session["connector_id"] == 1, (code, session))

    # TriggerMessage: the station accepts, then sends the message.
    before = len(await inbound("StatusNotification"))
    code, _, body = await api("POST", f"{st}/trigger", {"message": "StatusNotification", "connector_id": 1})
    check("TriggerMessage(StatusNotification) -> Accepted",
          code == 200 and body["answer"] == {"status": "Accepted"}, (code, body))

    async def status_arrived():
        frames = await inbound("StatusNotification")
        return len(frames) > before and json.loads(frames[-1]["frame"])[3]["connectorId"] == 1

    arrived = await eventually(status_arrived)
    check("triggered StatusNotification arrived (message log)",
          arrived and "StatusNotification" in cp.sent_on_trigger, cp.sent_on_trigger)
    code, _, station = await api("GET", st)
    connectors = station.get("connectors", []) if code == 200 else []
    connector = next((c for c in connectors if c["connector_id"] == 1), None)
    check("connector 1 status shown as the station reported it (Charging)",
          connector is not None and connector["status"] == cp.status[1] == "Charging", connector)
    before = len(await inbound("Heartbeat"))
    code, _, body = await api("POST", f"{st}/trigger", {"message": "Heartbeat"})
    check("TriggerMessage(Heartbeat) -> Accepted", code == 200 and body["answer"] == {"status": "Accepted"},
          (code, body))

    async def heartbeat_arrived():
        return len(await inbound("Heartbeat")) > before

    check("triggered Heartbeat arrived (message log)", await eventually(heartbeat_arrived), cp.sent_on_trigger)
    code, _, body = await api("POST", f"{st}/trigger", {"message": "MeterValues", "connector_id": 1})
    check("TriggerMessage(MeterValues) -> the station's NotImplemented passed through",
          code == 200 and body["answer"] == {"status": "NotImplemented"}, (code, body))

    # Reset: the station accepts, stops its session (reason SoftReset) and boots again.
    code, _, body = await api("POST", f"{st}/reset", {"type": "Soft"})
    check("Reset(Soft) -> Accepted", code == 200 and body["answer"] == {"status": "Accepted"}
          and ("Reset", {"type": "Soft"}) in cp.received, (code, body))
    try:
        await asyncio.wait_for(cp.reset_done.wait(), 10)
    except asyncio.TimeoutError:
        pass
    code, _, session = await api("GET", f"/api/v1/sessions/{remote_tx}")
    check("reset stopped the remote session: completed, SoftReset, 1000 Wh",
          code == 200 and session["state"] == "completed" and session["stop_reason"] == "SoftReset"
          and session["energy_wh"] == 1000, (code, session))
    again = await cp.call(boot)
    check("station boots again after the reset: Accepted", again.status == RegistrationStatus.accepted, again.status)

    # The command history: every command above, answered, with who asked.
    code, _, history = await api("GET", f"{st}/commands")
    history = history if code == 200 else []
    ours = [c for c in history if c["requested_by"] == "token:interop"]
    actions = sorted(c["action"] for c in ours)
    want = sorted(["GetConfiguration"] * 2 + ["ChangeConfiguration"] * 3 + ["RemoteStartTransaction"]
                  + ["TriggerMessage"] * 3 + ["Reset"])
    check("command history lists the token's 10 commands", actions == want, (code, actions))
    check("command history: every one answered",
          bool(ours) and all(c["outcome"] == "answered" and c["answer"] is not None for c in ours),
          [(c["action"], c["outcome"]) for c in ours])
    remote = next((c for c in ours if c["action"] == "RemoteStartTransaction"), {})
    check("command history: remote start linked to its transaction", remote.get("transaction_id") == remote_tx,
          remote)
    changes = {c["payload"]["key"]: c["answer"]["status"] for c in ours if c["action"] == "ChangeConfiguration"}
    check("command history: ChangeConfiguration answers recorded", changes == {
        "HeartbeatInterval": "Accepted", "NumberOfConnectors": "Rejected", "NoSuchKey": "NotSupported"}, changes)
    check("command history: the invalid Reset(Medium) is not in it",
          not any(c["action"] == "Reset" and c["payload"].get("type") == "Medium" for c in history), history)
    activation = [c for c in history if c["requested_by"] == "system" and c["action"] == "TriggerMessage"]
    check("command history: activation's TriggerMessage(BootNotification) by system, answered",
          any(c["payload"] == {"requestedMessage": "BootNotification"} and c["outcome"] == "answered"
              for c in activation), activation)


class LeavingStation(Station):
    """A station whose firmware takes its central-system URL from a configuration key and, on Reset, goes to it
    (here: it closes its connection to Joule and does not come back)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.config["CentralSystemURL"] = ["", False]
        self.left = asyncio.Event()

    @after(Action.reset)
    async def after_reset(self, type, **kwargs):  # noqa: A002
        await self._connection.close()
        self.left.set()


async def handover(url, admin):
    """Route 2 with the independent client: profile, handover, ChangeConfiguration + Reset, confirmation."""
    profile = {"method": "configuration-key", "key": "CentralSystemURL", "reset": "soft"}
    code, _, body = await asyncio.to_thread(http, "PUT", "/api/v1/operators/1/provisioning-profiles/PyVendor",
                                            profile, admin)
    check("handover: provisioning profile for PyVendor set", code == 200, (code, body))
    async with websockets.connect(url + "PY-CP-2", subprotocols=["ocpp1.6"]) as ws:
        cp = LeavingStation("PY-CP-2", ws)
        listener = asyncio.create_task(cp.start())
        boot = await cp.call(call.BootNotification(charge_point_model="PyModel", charge_point_vendor="PyVendor"))
        check("handover: second station boots Pending", boot.status == RegistrationStatus.pending, boot.status)
        target = {"name": "Other CSMS", "ocpp_url": "wss://csms.example.com/ocpp"}
        code, _, body = await asyncio.to_thread(http, "POST", "/api/v1/stations/PY-CP-2/handover", target, admin)
        check("handover: requested (201)", code == 201, (code, body))
        try:
            await asyncio.wait_for(cp.left.wait(), 20)
        except asyncio.TimeoutError:
            pass
        check("handover: the station got ChangeConfiguration(CentralSystemURL) then Reset(Soft)",
              [a for a, _ in cp.received] == ["ChangeConfiguration", "Reset"]
              and cp.received[0][1] == {"key": "CentralSystemURL", "value": "wss://csms.example.com/ocpp/PY-CP-2"}
              and cp.received[1][1] == {"type": "Soft"}, cp.received)
        check("handover: the station took the URL", cp.config["CentralSystemURL"][0].endswith("/PY-CP-2"), cp.config)
        listener.cancel()
    state, handovers = None, []
    for _ in range(100):  # the confirmation window is 2 s here
        code, _, handovers = await asyncio.to_thread(http, "GET", "/api/v1/stations/PY-CP-2/handovers", None, admin)
        state = handovers[0]["state"] if code == 200 and handovers else None
        if state in ("handed-over", "failed"):
            break
        await asyncio.sleep(0.2)
    check("handover: confirmed once the station stayed away", state == "handed-over", handovers)
    steps = [(s.get("step"), s.get("outcome")) for s in (handovers[0].get("steps", []) if handovers else [])]
    check("handover: each step's answer recorded",
          ("ChangeConfiguration", "Accepted") in steps and ("Reset", "Accepted") in steps, steps)
    code, _, station = await asyncio.to_thread(http, "GET", "/api/v1/stations/PY-CP-2", None, admin)
    check("handover: the station is handed-over", code == 200 and station.get("state") == "handed-over", station)


def main():
    # The message log is on (whatever the default) so the test can see the frames triggered messages produce;
    # a short call timeout bounds every command.
    env = dict(os.environ, JOULE_OCPP__MESSAGE_LOG_DAYS="7", JOULE_OCPP__CALL_TIMEOUT_SECS="10",
               JOULE_OCPP__HANDOVER_CONFIRM_SECS="2")
    log = tempfile.TemporaryFile(mode="w+")  # not a pipe: a full pipe would block the server
    server = subprocess.Popen([BIN, *BASE, "serve"], stdout=log, stderr=subprocess.STDOUT, text=True, env=env)
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/health", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError("the server did not come up")
        created = joule("operator", "create", "Interop Co")
        url = re.search(r"OCPP URL: (\S+)", created).group(1)
        check("operator URL printed", url == f"ws://127.0.0.1:{PORT}/ocpp/" + url.split("/ocpp/")[1], url)
        joule("token", "add", "DRIVER-1", "--operator", "Interop Co")
        created = json.loads(joule("api-token", "create", "--operator", "Interop Co", "--role", "operator",
                                   "--name", "interop", "--json"))
        check("API token created with the CLI (--json)", created["name"] == "interop" and created["role"] == "operator"
              and created["secret"].startswith("joule_"), {k: v for k, v in created.items() if k != "secret"})
        try:
            tx = asyncio.run(asyncio.wait_for(scenario(url, created["secret"]), 240))
        except asyncio.TimeoutError:
            check("scenario finished within 240 s", False, "timed out")
            tx = None
        except Exception as e:  # noqa: BLE001 - a failure like any other, then the summary
            check("scenario ran to the end", False, "".join(traceback.format_exception(e)))
            tx = None
        admin = json.loads(joule("api-token", "create", "--operator", "Interop Co", "--role", "admin",
                                 "--name", "interop-admin", "--json"))["secret"]
        try:
            asyncio.run(asyncio.wait_for(handover(url, admin), 60))
        except Exception as e:  # noqa: BLE001 - a failure like any other, then the summary
            check("handover scenario ran to the end", False, "".join(traceback.format_exception(e)))
        sessions = joule("session", "list", "--station", "PY-CP-1")
        row = next((line for line in sessions.splitlines() if line.startswith(f"{tx} ")), "")
        check("session listed with 2500 Wh, completed", " 2500 " in row and "completed" in row, sessions)
        shown = joule("station", "show", "PY-CP-1")
        check("station shows boot data, connector status, offline after disconnect",
              "PyVendor" in shown and "9.9.9" in shown and "Charging" in shown and "offline since" in shown, shown)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        if not results or not all(results):
            log.seek(0)
            print("--- server log ---\n" + log.read())
        log.close()
        shutil.rmtree(DATA, ignore_errors=True)
    passed = sum(results)
    print(f"interop ({BACKEND}): {passed} passed, {len(results) - passed} failed")
    sys.exit(0 if results and all(results) else 1)


if __name__ == "__main__":
    main()
