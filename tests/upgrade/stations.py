#!/usr/bin/env python3
"""Scripted OCPP 1.6J stations for the upgrade fixtures (see README.md here).

joule-sim plays stations whose traffic only has to be plausible; these play the ones whose every frame the
upgrade tests check: fixed station timestamps, meter readings and tags, so the expected values in
checks.rs follow from this file. Python's standard library only (a minimal RFC 6455 client), loopback only,
every wait bounded.

    stations.py URL fx1|fx2|fx3            URL = ws://127.0.0.1:PORT/ocpp/OPERATOR-KEY
    stations.py URL pending STATION-ID
    stations.py URL refused STATION-ID PASSWORD
"""

import base64
import itertools
import json
import os
import signal
import socket
import struct
import sys
import time
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

TIMEOUT = 20.0


def log(*parts):
    print(*parts, file=sys.stderr, flush=True)


class Refused(Exception):
    """The WebSocket upgrade was answered with an HTTP status other than 101."""

    def __init__(self, status):
        super().__init__(f"upgrade refused with HTTP {status}")
        self.status = status


class Closed(Exception):
    pass


class WebSocket:
    """Just enough of RFC 6455 for OCPP-J: text frames out (masked), text/ping/close in."""

    def __init__(self, url, station_id, password=None):
        parts = urlsplit(url.rstrip("/") + "/" + station_id)
        if parts.scheme != "ws":
            raise ValueError("only ws:// URLs")
        host, port = parts.hostname, parts.port or 80
        self.sock = socket.create_connection((host, port), timeout=TIMEOUT)
        key = base64.b64encode(os.urandom(16)).decode()
        lines = [
            f"GET {parts.path} HTTP/1.1",
            f"Host: {host}:{port}",
            "Upgrade: websocket",
            "Connection: Upgrade",
            f"Sec-WebSocket-Key: {key}",
            "Sec-WebSocket-Version: 13",
            "Sec-WebSocket-Protocol: ocpp1.6",
        ]
        if password is not None:
            lines.append("Authorization: Basic " + base64.b64encode(f"{station_id}:{password}".encode()).decode())
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        self.buf = b""
        while b"\r\n\r\n" not in self.buf:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise Closed("closed during the upgrade")
            self.buf += chunk
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        status = int(head.split(b" ", 2)[1])
        if status != 101:
            self.sock.close()
            raise Refused(status)

    def _exact(self, n):
        while len(self.buf) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise Closed("connection closed")
            self.buf += chunk
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def _send_frame(self, opcode, data):
        header = bytes([0x80 | opcode])
        n = len(data)
        if n < 126:
            header += bytes([0x80 | n])
        elif n < 65536:
            header += bytes([0x80 | 126]) + struct.pack("!H", n)
        else:
            header += bytes([0x80 | 127]) + struct.pack("!Q", n)
        mask = os.urandom(4)
        self.sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))

    def send(self, text):
        self._send_frame(0x1, text.encode())

    def recv(self, timeout):
        """The next text message, or None when nothing came within `timeout` seconds."""
        self.sock.settimeout(timeout)
        message = b""
        try:
            while True:
                b0, b1 = self._exact(2)
                opcode, n = b0 & 0x0F, b1 & 0x7F
                if n == 126:
                    n = struct.unpack("!H", self._exact(2))[0]
                elif n == 127:
                    n = struct.unpack("!Q", self._exact(8))[0]
                mask = self._exact(4) if b1 & 0x80 else None
                data = self._exact(n)
                if mask:
                    data = bytes(b ^ mask[i % 4] for i, b in enumerate(data))
                if opcode == 0x9:
                    self._send_frame(0xA, data)
                elif opcode == 0x8:
                    raise Closed("closed by the server")
                elif opcode in (0x1, 0x2, 0x0):
                    message += data
                    if b0 & 0x80:
                        return message.decode()
        except socket.timeout:
            return None
        finally:
            self.sock.settimeout(TIMEOUT)

    def close(self):
        try:
            self._send_frame(0x8, struct.pack("!H", 1000))
            self.sock.settimeout(2)
            while self.sock.recv(4096):
                pass
        except OSError:
            pass
        self.sock.close()


def now():
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


class Station:
    """One station: CALLs it sends wait for their answer; CALLs from the server are answered meanwhile."""

    def __init__(self, url, station_id, password=None, config=None):
        self.id = station_id
        self.ws = WebSocket(url, station_id, password)
        self.ids = (f"{station_id}-{n}" for n in itertools.count(1))
        self.config = dict(config or {})
        self.server_calls = []
        self.remote_starts = []
        self.boot_payload = None
        # Messages the server asked for (TriggerMessage): sent once the CALL in progress is answered.
        self.deferred = []

    def call(self, action, payload):
        msg_id = next(self.ids)
        self.ws.send(json.dumps([2, msg_id, action, payload]))
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            frame = self.ws.recv(deadline - time.monotonic())
            if frame is None:
                break
            msg = json.loads(frame)
            if msg[0] == 2:
                self.answer(msg)
            elif msg[1] == msg_id and msg[0] == 3:
                self.send_deferred()
                return msg[2]
            elif msg[1] == msg_id and msg[0] == 4:
                raise RuntimeError(f"{self.id} {action}: CALLERROR {msg[2]} {msg[3]}")
        raise RuntimeError(f"{self.id} {action}: no answer within {TIMEOUT} s")

    def expect(self, action, payload, path, want):
        answer = self.call(action, payload)
        got = answer
        for key in path:
            got = got[key]
        if got != want:
            raise RuntimeError(f"{self.id} {action}: {'.'.join(path)} is {got!r}, want {want!r} ({answer})")
        return answer

    def answer(self, msg):
        _, msg_id, action, payload = msg
        self.server_calls.append(action)
        log(f"{self.id} <- {action} {json.dumps(payload)}")
        if action == "GetConfiguration":
            keys = payload.get("key") or list(self.config)
            known = [{"key": k, "readonly": k in READONLY, "value": self.config[k]} for k in keys if k in self.config]
            unknown = [k for k in keys if k not in self.config]
            reply = {"configurationKey": known}
            if unknown:
                reply["unknownKey"] = unknown
        elif action == "ChangeConfiguration":
            if payload["key"] in READONLY:
                reply = {"status": "Rejected"}
            else:
                self.config[payload["key"]] = payload["value"]
                reply = {"status": "Accepted"}
        elif action == "RemoteStartTransaction":
            self.remote_starts.append(payload)
            reply = {"status": "Accepted"}
        elif action == "TriggerMessage":
            # Answered first, then the message (OCPP 1.6 §5.17); only the messages these stations play.
            wanted = {"BootNotification": self.boot_payload, "Heartbeat": {}}.get(payload["requestedMessage"])
            self.ws.send(json.dumps([3, msg_id, {"status": "Accepted" if wanted is not None else "NotImplemented"}]))
            if wanted is not None:
                self.deferred.append((payload["requestedMessage"], wanted))
            return
        elif action in ("ClearCache", "ChangeAvailability", "RemoteStopTransaction", "Reset"):
            reply = {"status": "Accepted"}
        elif action == "DataTransfer":
            reply = {"status": "Accepted", "data": "fixture"}
        else:
            self.ws.send(json.dumps([4, msg_id, "NotImplemented", f"{action} is not played here", {}]))
            return
        self.ws.send(json.dumps([3, msg_id, reply]))

    def send_deferred(self):
        while self.deferred:
            self.call(*self.deferred.pop(0))

    def serve(self, seconds, until=None):
        """Answers the server's CALLs for up to `seconds`, or until `until()` holds."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and not (until and until()):
            frame = self.ws.recv(min(0.2, max(0.0, deadline - time.monotonic())))
            if frame is not None:
                msg = json.loads(frame)
                if msg[0] == 2:
                    self.answer(msg)
                    self.send_deferred()

    def boot(self, boot, want="Accepted"):
        self.boot_payload = boot
        return self.expect("BootNotification", boot, ["status"], want)

    def status(self, connector, status, at, error="NoError", **extra):
        payload = {"connectorId": connector, "errorCode": error, "status": status, "timestamp": at}
        payload.update(extra)
        self.call("StatusNotification", payload)

    def start(self, connector, tag, meter, at):
        answer = self.expect(
            "StartTransaction",
            {"connectorId": connector, "idTag": tag, "meterStart": meter, "timestamp": at},
            ["idTagInfo", "status"],
            "Accepted",
        )
        tx = answer["transactionId"]
        print(f"{self.id} connector {connector} tag {tag} transaction {tx}", flush=True)
        return tx

    def meter(self, connector, tx, values):
        """values: (timestamp, [sampledValue...]) pairs."""
        payload = {"connectorId": connector, "meterValue": [{"timestamp": t, "sampledValue": s} for t, s in values]}
        if tx is not None:
            payload["transactionId"] = tx
        self.call("MeterValues", payload)

    def stop(self, tx, meter, at, reason=None, tag=None, data=None):
        payload = {"transactionId": tx, "meterStop": meter, "timestamp": at}
        if reason:
            payload["reason"] = reason
        if tag:
            payload["idTag"] = tag
        if data:
            payload["transactionData"] = [{"timestamp": t, "sampledValue": s} for t, s in data]
        return self.call("StopTransaction", payload)

    def close(self):
        self.ws.close()


READONLY = {"NumberOfConnectors", "SupportedFeatureProfiles"}

# What the scripted stations report for the local-list keys: no LocalAuthListManagement, so Joule marks
# them as stations without a local list and sends nothing more.
CONFIG = {
    "SupportedFeatureProfiles": "Core,FirmwareManagement,RemoteTrigger",
    "NumberOfConnectors": "2",
    "HeartbeatInterval": "300",
    "MeterValueSampleInterval": "300",
    "ClockAlignedDataInterval": "900",
}


def energy(value, context="Sample.Periodic", unit="Wh"):
    return {
        "value": value,
        "context": context,
        "measurand": "Energy.Active.Import.Register",
        "location": "Outlet",
        "unit": unit,
    }


def power(value, unit="W"):
    return {"value": value, "context": "Sample.Periodic", "measurand": "Power.Active.Import", "unit": unit}


def phase(measurand, phase_name, value, unit):
    return {"value": value, "context": "Sample.Periodic", "measurand": measurand, "phase": phase_name, "unit": unit}


def boot_of(model, serial, firmware, n):
    return {
        "chargePointVendor": "Fixture Works",
        "chargePointModel": model,
        "chargePointSerialNumber": serial,
        "chargeBoxSerialNumber": f"FXB-000{n}",
        "firmwareVersion": firmware,
        "iccid": f"894100000000000000{n}",
        "imsi": f"22801000000000{n}",
        "meterType": "FX-Meter",
        "meterSerialNumber": f"FXM-000{n}",
    }


def fx1(url):
    """FX-1, active: two completed sessions on connectors 1 and 2, the main meter's clock-aligned readings, a
    stop for a transaction Joule never gave, a fault, and the notifications that become station events."""
    st = Station(url, "FX-1", config=CONFIG)
    st.boot(boot_of("FX-22", "FXS-0001", "1.4.2", 1))
    day = "2026-06-02T"
    for c in (0, 1, 2):
        st.status(c, "Available", day + "07:55:00.000Z")
    st.call("Heartbeat", {})
    st.expect("Authorize", {"idTag": "TAG-A"}, ["idTagInfo", "status"], "Accepted")
    a = st.start(1, "TAG-A", 1000, day + "08:00:00.000Z")
    st.status(1, "Charging", day + "08:00:05.000Z")
    st.meter(1, a, [(day + "08:05:00.000Z", [energy("1500"), power("7000")])])
    b = st.start(2, "TAG-B", 20000, day + "08:10:00.000Z")
    st.status(2, "Charging", day + "08:10:05.000Z")
    st.meter(1, a, [(day + "08:15:00.000Z", [energy("2500", "Sample.Clock")])])
    # Connector 2 reports in kWh and kW (normalised to Wh and W, the value as sent kept), with phases.
    st.meter(
        2,
        b,
        [
            (
                day + "08:15:00.000Z",
                [
                    energy("20.4", "Sample.Clock", "kWh"),
                    power("11", "kW"),
                    phase("Current.Import", "L1", "16.0", "A"),
                    phase("Current.Import", "L2", "15.5", "A"),
                    phase("Voltage", "L1-N", "230.1", "V"),
                ],
            )
        ],
    )
    st.meter(1, a, [(day + "08:30:00.000Z", [energy("3900", "Sample.Clock"), power("7200")])])
    st.meter(2, b, [(day + "08:30:00.000Z", [energy("21.9", "Sample.Clock", "kWh"), power("10.5", "kW")])])
    st.stop(
        a,
        5000,
        day + "08:40:00.000Z",
        reason="Local",
        tag="TAG-A",
        data=[(day + "08:40:00.000Z", [dict(energy("5000"), context="Transaction.End")])],
    )
    st.status(1, "Finishing", day + "08:40:05.000Z")
    st.status(1, "Available", day + "08:41:00.000Z")
    st.meter(2, b, [(day + "08:45:00.000Z", [energy("22.8", "Sample.Clock", "kWh")])])
    st.stop(b, 23000, day + "08:50:00.000Z", reason="EVDisconnected")
    st.status(2, "Available", day + "08:50:05.000Z")
    # The station's main meter (connector 0), clock-aligned every quarter hour.
    st.meter(
        0,
        None,
        [
            (day + "08:00:00.000Z", [energy("100000", "Sample.Clock")]),
            (day + "08:15:00.000Z", [energy("101200", "Sample.Clock")]),
            (day + "08:30:00.000Z", [energy("103400", "Sample.Clock")]),
            (day + "08:45:00.000Z", [energy("105300", "Sample.Clock")]),
            (day + "09:00:00.000Z", [energy("106000", "Sample.Clock")]),
        ],
    )
    # A stop for a transaction Joule never gave (acknowledged, kept for review).
    st.stop(999999, 777, day + "08:55:00.000Z", reason="Other", tag="TAG-A")
    st.status(
        2,
        "Faulted",
        day + "08:56:00.000Z",
        error="GroundFailure",
        info="fixture fault",
        vendorId="FixtureWorks",
        vendorErrorCode="E42",
    )
    st.status(2, "Available", day + "08:57:00.000Z")
    st.call("DataTransfer", {"vendorId": "FixtureWorks", "messageId": "Diag", "data": "hello"})
    st.call("FirmwareStatusNotification", {"status": "Installed"})
    st.call("DiagnosticsStatusNotification", {"status": "Uploaded"})
    st.call("Heartbeat", {})
    st.close()


def fx2(url):
    """FX-2, active, with a Basic-auth password: a completed session, one below the free threshold, and one
    still running when the station goes away."""
    st = Station(url, "FX-2", password=FX2_PASSWORD, config=CONFIG)
    st.boot(boot_of("FX-11", "FXS-0002", "1.3.0", 2))
    day = "2026-06-03T"
    for c in (0, 1, 2):
        st.status(c, "Available", day + "09:55:00.000Z")
    c = st.start(1, "TAG-B", 0, day + "10:00:00.000Z")
    st.status(1, "Charging", day + "10:00:05.000Z")
    st.meter(1, c, [(day + "10:15:00.000Z", [energy("1000", "Sample.Clock"), power("4000")])])
    st.meter(1, c, [(day + "10:30:00.000Z", [energy("2000", "Sample.Clock")])])
    st.stop(c, 2000, day + "10:30:00.000Z", reason="Local", tag="TAG-B")
    st.status(1, "Available", day + "10:31:00.000Z")
    d = st.start(2, "TAG-A", 500, day + "10:40:00.000Z")
    st.stop(d, 600, day + "10:41:00.000Z", reason="Local", tag="TAG-A")
    e = st.start(1, "TAG-A", 2000, day + "11:00:00.000Z")
    st.status(1, "Charging", day + "11:00:05.000Z")
    st.meter(1, e, [(day + "11:15:00.000Z", [energy("2600", "Sample.Clock"), power("2400")])])
    st.call("Heartbeat", {})
    st.close()


FX2_PASSWORD = "fixture-station-password-2"


def fx3(url):
    """FX-3, claimed and pinpointed by the installer: reports the MAC of its sticker in its configuration and
    runs the test session it is asked for (RemoteStartTransaction), until make.sh stops it (SIGTERM) or
    120 s pass."""
    config = dict(CONFIG, MacAddress="AA:BB:CC:00:00:03")
    st = Station(url, "FX-3", config=config)
    st.boot(boot_of("FX-22", "FXS-0003", "1.4.2", 3))
    for c in (0, 1):
        st.status(c, "Available", now())
    st.call("Heartbeat", {})
    print("FX-3 ready", flush=True)
    deadline = time.monotonic() + 120
    while not STOPPING and time.monotonic() < deadline:
        st.serve(0.5, until=lambda: bool(st.remote_starts) or bool(STOPPING))
        while st.remote_starts:
            start = st.remote_starts.pop(0)
            connector = start.get("connectorId", 1)
            t0 = datetime.now(timezone.utc)
            stamp = lambda dt: dt.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
            tx = st.start(connector, start["idTag"], 10000, stamp(t0))
            st.status(connector, "Charging", stamp(t0))
            st.meter(connector, tx, [(stamp(t0 + timedelta(milliseconds=500)), [energy("10150"), power("3600")])])
            st.stop(tx, 10300, stamp(t0 + timedelta(seconds=1)), reason="Local", tag=start["idTag"])
            st.status(connector, "Available", stamp(t0 + timedelta(seconds=1)))
            st.call("Heartbeat", {})
    st.close()


def pending(url, station_id, stay=None):
    """A station Joule does not know yet, connecting with the operator's key: registered as pending. With
    `stay`, it stays connected (an unclaimed station) until make.sh stops it or 120 s pass."""
    st = Station(url, station_id, config=CONFIG)
    st.boot(boot_of("FX-22", "FXS-" + station_id, "1.2.0", 9), want="Pending")
    if stay:
        print(f"{station_id} ready", flush=True)
        deadline = time.monotonic() + 120
        while not STOPPING and time.monotonic() < deadline:
            st.serve(0.5, until=lambda: bool(STOPPING))
    st.close()


def refused(url, station_id, password):
    """A wrong Basic-auth password: refused at the upgrade (401), recorded in the station's events."""
    try:
        Station(url, station_id, password=password)
    except Refused as e:
        if e.status != 401:
            raise
        return
    raise RuntimeError(f"{station_id} was let in with a wrong password")


# Set by SIGTERM: make.sh's way of telling a lingering station to close.
STOPPING = []


def main(argv):
    signal.signal(signal.SIGTERM, lambda *_: STOPPING.append(True))
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    url, scenario, rest = argv[1], argv[2], argv[3:]
    {"fx1": fx1, "fx2": fx2, "fx3": fx3, "pending": pending, "refused": refused}[scenario](url, *rest)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
