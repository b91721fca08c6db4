// Interop test: the independent npm `ocpp-rpc` client (RPCClient, subprotocol ocpp1.6, strictMode) runs a station
// through the real `joule` binary: pending boot, activation with TriggerMessage, authorize, a session with meter
// values, stop, an unknown action, and a second connection with the same station id replacing the first.
// In strict mode ocpp-rpc validates every CALLRESULT and every incoming CALL of ours against its bundled OCPP 1.6
// JSON schemas (ajv, with formats such as date-time) and rejects the call when they do not match.
//
// Usage: node interop_v16.mjs PATH/TO/joule
// Prints "interop-node: N passed, M failed" and exits non-zero on any failure.

import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { once } from 'node:events';
import rpc from 'ocpp-rpc';

const { RPCClient } = rpc;

const BIN = resolve(process.argv[2] ?? 'target/release/joule');
const DATA = mkdtempSync(join(tmpdir(), 'joule-interop-node-'));
const STATION = 'NODE-CP-1';
const CALL_TIMEOUT_MS = 10_000;
const WAIT_MS = 10_000;
const OVERALL_MS = 180_000;

const results = [];
const strictFailures = [];

function check(name, ok, detail = '') {
  results.push(Boolean(ok));
  const shown = typeof detail === 'string' ? detail : JSON.stringify(detail);
  console.log((ok ? 'ok   ' : 'FAIL ') + name + (!ok && shown ? `: ${shown}` : ''));
}

function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

// Rejects after `ms` with a message naming what was awaited.
function within(ms, what, promise) {
  let timer;
  const timeout = new Promise((_, rej) => {
    timer = setTimeout(() => rej(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const PORT = await freePort();
const BASE = ['--data-dir', DATA, '--listen', `127.0.0.1:${PORT}`];

function joule(...args) {
  return new Promise((res, rej) => {
    execFile(BIN, [...BASE, ...args], { timeout: 60_000 }, (err, stdout, stderr) => {
      if (err) rej(new Error(`joule ${args.join(' ')} failed: ${err.message}\n${stderr}`));
      else res(stdout);
    });
  });
}

const now = () => new Date().toISOString();

function newClient(endpoint, strictMode = true) {
  const client = new RPCClient({
    endpoint, // ocpp-rpc appends "/<identity>"
    identity: STATION,
    protocols: ['ocpp1.6'],
    strictMode,
    reconnect: false,
    callTimeoutMs: CALL_TIMEOUT_MS,
  });
  // Complaints about Joule's messages (ours are refused before they are sent and show up as failed checks).
  client.on('strictValidationFailure', (ev) => {
    if (ev.outbound) return;
    const what = ev.isCall ? "Joule's request" : "Joule's response";
    strictFailures.push(`${ev.method} (${what}): ${ev.error?.message}; data: ${JSON.stringify(ev.isCall ? ev.params : ev.result)}`);
  });
  // Anything the server calls that we have no handler for is logged and answered NotImplemented by ocpp-rpc.
  client.on('call', ({ outbound, payload }) => {
    if (!outbound && payload[2] !== 'TriggerMessage') console.log(`     (server called ${payload[2]} ${JSON.stringify(payload[3])})`);
  });
  return client;
}

// Runs one call and returns [result, error]: a failed call is a failed check, not a crash of the whole run.
async function attempt(client, method, params) {
  try {
    return [await client.call(method, params), null];
  } catch (err) {
    return [null, `${err.name}${err.rpcErrorCode ? ` ${err.rpcErrorCode}` : ''}: ${err.message}`];
  }
}

async function scenario(endpoint) {
  const cp = newClient(endpoint);
  let triggered;
  const gotTrigger = new Promise((res) => { triggered = res; });
  cp.handle('TriggerMessage', ({ params }) => {
    if (params.requestedMessage === 'BootNotification') triggered(params);
    return { status: 'Accepted' };
  });
  const firstClosed = once(cp, 'close');

  await within(WAIT_MS, 'the WebSocket connection', cp.connect());
  check('subprotocol ocpp1.6 negotiated', cp.protocol === 'ocpp1.6', cp.protocol);

  const [, localErr] = await attempt(cp, 'Heartbeat', { unexpected: 1 });
  check('strict mode is on (a malformed request is refused before it is sent)', localErr !== null, 'it was sent');

  const boot = {
    chargePointVendor: 'NodeVendor', chargePointModel: 'NodeModel', chargePointSerialNumber: 'NODE-SN-1',
    firmwareVersion: '7.7.7', meterType: 'NodeMeter',
  };
  const [first, e1] = await attempt(cp, 'BootNotification', boot);
  check('unknown station boots Pending', first?.status === 'Pending', e1 ?? first);

  await joule('station', 'activate', STATION);
  try {
    await within(WAIT_MS, 'TriggerMessage(BootNotification)', gotTrigger);
    check('activation sends TriggerMessage(BootNotification), passes the 1.6 schema', true);
  } catch (err) {
    check('activation sends TriggerMessage(BootNotification), passes the 1.6 schema', false, err.message);
  }
  const [second, e2] = await attempt(cp, 'BootNotification', boot);
  check('activated station boots Accepted', second?.status === 'Accepted', e2 ?? second);
  check('heartbeat interval 300', second?.interval === 300, e2 ?? second);

  const [hb, e3] = await attempt(cp, 'Heartbeat', {});
  check('heartbeat answered with server time', Boolean(hb?.currentTime), e3 ?? hb);

  const [known, e4] = await attempt(cp, 'Authorize', { idTag: 'DRIVER-N1' });
  check('known tag Accepted', known?.idTagInfo?.status === 'Accepted', e4 ?? known);
  const [unknown, e5] = await attempt(cp, 'Authorize', { idTag: 'NOBODY-N' });
  check('unknown tag Invalid', unknown?.idTagInfo?.status === 'Invalid', e5 ?? unknown);

  const [sn, e6] = await attempt(cp, 'StatusNotification',
    { connectorId: 1, errorCode: 'NoError', status: 'Preparing', timestamp: now() });
  check('StatusNotification acknowledged', sn !== null, e6);

  const [start, e7] = await attempt(cp, 'StartTransaction',
    { connectorId: 1, idTag: 'DRIVER-N1', meterStart: 20000, timestamp: now() });
  const tx = start?.transactionId;
  check('StartTransaction Accepted with a transactionId',
    start?.idTagInfo?.status === 'Accepted' && Number.isInteger(tx) && tx > 0, e7 ?? start);
  const [sn2, e7b] = await attempt(cp, 'StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Charging' });
  check('StatusNotification Charging acknowledged', sn2 !== null, e7b);

  let meterOk = 0;
  const meterErrors = [];
  for (const kwh of ['20.4', '21.1', '22.35']) {
    const [mv, err] = await attempt(cp, 'MeterValues', {
      connectorId: 1, transactionId: tx, meterValue: [{
        timestamp: now(), sampledValue: [
          { value: kwh, unit: 'kWh', measurand: 'Energy.Active.Import.Register', context: 'Sample.Periodic' },
          { value: '11000', unit: 'W', measurand: 'Power.Active.Import' },
          { value: '16.0', unit: 'A', measurand: 'Current.Import', phase: 'L2' },
        ],
      }],
    });
    if (mv !== null) meterOk += 1; else meterErrors.push(err);
  }
  check('3 MeterValues (kWh samples) acknowledged', meterOk === 3, meterErrors.join('; '));

  const [stop, e8] = await attempt(cp, 'StopTransaction', {
    meterStop: 22750, timestamp: now(), transactionId: tx, idTag: 'DRIVER-N1', reason: 'EVDisconnected',
    transactionData: [{ timestamp: now(), sampledValue: [{ value: '22750', unit: 'Wh', context: 'Transaction.End' }] }],
  });
  check('StopTransaction acknowledged (idTagInfo Accepted)', stop?.idTagInfo?.status === 'Accepted', e8 ?? stop);
  const [sn3, e8b] = await attempt(cp, 'StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Finishing' });
  check('StatusNotification Finishing acknowledged', sn3 !== null, e8b);

  // An action OCPP 1.6 does not have: strict mode refuses to send it (no schema), so it is turned off for this call.
  let rawError = null;
  const onMessage = ({ message, outbound }) => {
    if (outbound) return;
    try {
      const frame = JSON.parse(message);
      if (Array.isArray(frame) && frame[0] === 4) rawError = frame;
    } catch { /* not JSON: ocpp-rpc reports it itself */ }
  };
  cp.on('message', onMessage);
  cp.reconfigure({ strictMode: false });
  const [unk, e9] = await attempt(cp, 'FrobnicateWidget', { widget: 1 });
  cp.reconfigure({ strictMode: true });
  cp.off('message', onMessage);
  check('unknown action gets CALLERROR NotImplemented',
    unk === null && Array.isArray(rawError) && rawError[2] === 'NotImplemented' && rawError.length === 5
      && typeof rawError[3] === 'string' && rawError[4] !== null && typeof rawError[4] === 'object',
    { result: unk, error: e9, frame: rawError });
  const [hb2, e10] = await attempt(cp, 'Heartbeat', {});
  check('connection stays up after the CALLERROR (Heartbeat answered)',
    cp.state === RPCClient.OPEN && Boolean(hb2?.currentTime), e10 ?? hb2);

  // A second connection with the same station id: the newest one wins, the first socket is closed.
  const cp2 = newClient(endpoint);
  cp2.handle('TriggerMessage', () => ({ status: 'Accepted' }));
  await within(WAIT_MS, 'the second WebSocket connection', cp2.connect());
  try {
    const [ev] = await within(WAIT_MS, 'the first socket to close', firstClosed);
    check('reconnect with the same id closes the first socket', true);
    console.log(`     (first socket closed: code ${ev?.code}${ev?.reason ? `, "${ev.reason}"` : ''})`);
  } catch (err) {
    check('reconnect with the same id closes the first socket', false, err.message);
  }
  const [boot3, e11] = await attempt(cp2, 'BootNotification', boot);
  check('new connection boots Accepted', boot3?.status === 'Accepted', e11 ?? boot3);
  const [hb3, e12] = await attempt(cp2, 'Heartbeat', {});
  check('new connection answers Heartbeat', Boolean(hb3?.currentTime), e12 ?? hb3);
  await within(WAIT_MS, 'the second socket to close', cp2.close({ code: 1000 }));
  if (cp.state !== RPCClient.CLOSED) await cp.close({ force: true });
  return tx;
}

async function main() {
  let log = '';
  const server = spawn(BIN, [...BASE, 'serve'], { stdio: ['ignore', 'pipe', 'pipe'] });
  server.stdout.on('data', (d) => { log += d; });
  server.stderr.on('data', (d) => { log += d; });
  const exited = once(server, 'exit');
  const watchdog = setTimeout(() => {
    check(`whole run finished within ${OVERALL_MS / 1000} s`, false);
    finish(server, exited, () => log).then(() => process.exit(1));
  }, OVERALL_MS);
  try {
    let up = false;
    for (let i = 0; i < 300 && !up && server.exitCode === null; i++) {
      try {
        up = (await fetch(`http://127.0.0.1:${PORT}/health`, { signal: AbortSignal.timeout(1000) })).ok;
      } catch { /* not listening yet */ }
      if (!up) await sleep(100);
    }
    if (!up) throw new Error('the server did not come up');

    const created = await joule('operator', 'create', 'Interop Node Co');
    const url = /OCPP URL: (\S+)/.exec(created)?.[1] ?? '';
    check('operator URL printed', url.startsWith(`ws://127.0.0.1:${PORT}/ocpp/`) && url.endsWith('/'), created);
    await joule('token', 'add', 'DRIVER-N1', '--operator', 'Interop Node Co');

    const tx = await scenario(url.replace(/\/+$/, ''));

    const sessions = await joule('session', 'list', '--station', STATION);
    const row = sessions.split('\n').find((line) => line.startsWith(`${tx} `)) ?? '';
    check('session list shows 2750 Wh, completed', / 2750 /.test(row) && row.includes('completed'), sessions);
    const shown = await joule('station', 'show', STATION);
    check('station show has the boot data, offline after disconnect',
      shown.includes('NodeVendor') && shown.includes('7.7.7') && shown.includes('offline since'), shown);
    check("ocpp-rpc strict mode found nothing wrong in Joule's messages", strictFailures.length === 0,
      strictFailures.join('\n'));
  } catch (err) {
    check('scenario ran to the end', false, err.stack ?? String(err));
  } finally {
    clearTimeout(watchdog);
    await finish(server, exited, () => log);
  }
  process.exit(results.length > 0 && results.every(Boolean) ? 0 : 1);
}

let finished = false;
async function finish(server, exited, log) {
  if (finished) return;
  finished = true;
  if (server.exitCode === null && server.signalCode === null) {
    server.kill('SIGTERM'); // by its PID, the child we started
    try {
      await within(10_000, 'the server to exit', exited);
    } catch {
      server.kill('SIGKILL');
      await within(5_000, 'the server to exit after SIGKILL', exited).catch(() => {});
    }
  }
  if (strictFailures.length > 0) {
    console.log('--- ocpp-rpc strict-mode validation failures ---');
    for (const f of strictFailures) console.log(f);
  }
  if (!results.every(Boolean)) console.log('--- server log ---\n' + log());
  rmSync(DATA, { recursive: true, force: true });
  const passed = results.filter(Boolean).length;
  console.log(`interop-node: ${passed} passed, ${results.length - passed} failed`);
}

await main();
