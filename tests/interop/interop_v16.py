"""Interop test: the independent Python `ocpp` library (PyPI, v16 ChargePoint) runs a station through the real
`joule` binary: pending boot, activation with TriggerMessage, authorize, a session with meter values, stop.
The library validates every answer of ours against the official OCA 1.6 JSON schemas.

Usage: interop_v16.py PATH/TO/joule        Prints "N passed, N failed" and exits non-zero on any failure.
"""

import asyncio
import datetime
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

import websockets
from ocpp.routing import on
from ocpp.v16 import ChargePoint, call, call_result
from ocpp.v16.enums import Action, AuthorizationStatus, RegistrationStatus, TriggerMessageStatus

BIN = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "target/release/joule")
DATA = tempfile.mkdtemp(prefix="joule-interop-")
results = []


def check(name, ok, detail=""):
    results.append(ok)
    print(("ok   " if ok else "FAIL ") + name + (f": {detail}" if detail and not ok else ""), flush=True)


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


class Station(ChargePoint):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.triggered = asyncio.Event()

    @on(Action.trigger_message)
    async def on_trigger(self, requested_message, **kwargs):
        if requested_message == "BootNotification":
            self.triggered.set()
        return call_result.TriggerMessage(status=TriggerMessageStatus.accepted)


async def scenario(url):
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

        await cp.call(call.StatusNotification(connector_id=1, error_code="NoError", status="Preparing"))
        start = await cp.call(call.StartTransaction(connector_id=1, id_tag="DRIVER-1", meter_start=10000, timestamp=now()))
        tx = start.transaction_id
        check("session started", start.id_tag_info["status"] == AuthorizationStatus.accepted and tx > 0, start)
        await cp.call(call.StatusNotification(connector_id=1, error_code="NoError", status="Charging"))
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
        listener.cancel()
        return tx


def main():
    server = subprocess.Popen([BIN, *BASE, "serve"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
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
        tx = asyncio.run(scenario(url))
        sessions = joule("session", "list", "--station", "PY-CP-1")
        row = next((line for line in sessions.splitlines() if line.startswith(f"{tx} ")), "")
        check("session listed with 2500 Wh, completed", " 2500 " in row and "completed" in row, sessions)
        shown = joule("station", "show", "PY-CP-1")
        check("station shows boot data, connector status, offline after disconnect",
              "PyVendor" in shown and "9.9.9" in shown and "Charging" in shown and "offline since" in shown, shown)
    finally:
        server.terminate()
        try:
            out, _ = server.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            out, _ = server.communicate()
        if not results or not all(results):
            print("--- server log ---\n" + out)
        shutil.rmtree(DATA, ignore_errors=True)
    passed = sum(results)
    print(f"interop ({BACKEND}): {passed} passed, {len(results) - passed} failed")
    sys.exit(0 if results and all(results) else 1)


if __name__ == "__main__":
    main()
