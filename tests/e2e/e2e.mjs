// End-to-end tests of the web portal (issue 6) in a real headless Chromium against the real `joule` binary and a
// station played by the independent ocpp-rpc client. Each scenario is what a person does in the browser; the
// assertions read what the page shows (by label, role and visible text), never the server's internals.
// Screenshots of the main pages go to tests/e2e/screenshots/ (ignored).
//
// Usage: node e2e.mjs PATH/TO/joule
// Prints "e2e: N passed, M failed" and exits non-zero on any failure.

import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { World, within } from './harness.mjs';

const BIN = process.argv[2] ?? 'target/release/joule';
const WAIT = 10_000;
const OVERALL_MS = 300_000;

const results = [];
function check(name, ok, detail = '') {
  results.push(Boolean(ok));
  console.log((ok ? 'ok   ' : 'FAIL ') + name + (!ok && detail ? `: ${detail}` : ''));
}

const now = () => new Date().toISOString();

async function loginScenario(w) {
  const page = await w.page();
  await page.goto(`${w.base}/`);
  check('an anonymous visitor is sent to the login page', page.url().endsWith('/login'), page.url());
  await w.shot(page, 'login');

  await w.login(page, { email: w.staff.email, password: 'not-the-password' });
  const refused = await page.getByText(/the e-mail address or the password is wrong/i).count();
  check('a wrong password is refused with a message', refused > 0, await page.locator('main').innerText());

  await w.login(page, w.staff);
  const heading = page.getByRole('heading', { name: 'Dashboard' });
  check('staff land on the dashboard after logging in', (await heading.count()) > 0, page.url());
  await w.shot(page, 'dashboard');

  await page.getByRole('button', { name: 'Log out' }).click();
  await page.waitForLoadState();
  await page.goto(`${w.base}/portal/stations`);
  check('after logging out the portal asks to log in again', page.url().includes('/login'), page.url());
  await page.context().close();
}

async function stationOnlineScenario(w) {
  const id = 'E2E-CP-1';
  await w.joule('station', 'register', id, '--operator', 'Acme', '--activate');
  const page = await w.page();
  await w.login(page, w.staff);
  await page.goto(`${w.base}/portal/stations`);
  const status = page.locator(`[data-station-status="${id}"]`);
  check('the station list shows the registered station as offline', /offline/i.test(await status.innerText()),
    await status.innerText());

  const cp = w.station(id);
  await within(WAIT, 'the station to connect', cp.connect());
  const boot = await cp.call('BootNotification', { chargePointVendor: 'E2E', chargePointModel: 'Browser-1' });
  check('the station is accepted at boot', boot.status === 'Accepted', JSON.stringify(boot));
  await cp.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available', timestamp: now() });

  // No reload: the page learns it from the event stream.
  try {
    await status.filter({ hasNotText: /offline/i }).waitFor({ timeout: WAIT });
    check('the station list shows the station online without a reload', true);
  } catch {
    check('the station list shows the station online without a reload', false, await status.innerText());
  }
  await w.shot(page, 'stations');

  await page.goto(`${w.base}/portal/stations/${id}`);
  check('the station page shows its boot data', (await page.getByText('Browser-1').count()) > 0);
  await w.shot(page, 'station');
  await page.context().close();
  await cp.close({ force: true });
}

async function activationScenario(w) {
  const station = 'E2E-NEW-1';
  await w.api(w.owner, 'POST', '/api/v1/activation-requests', {
    customer_number: 'C-77',
    charge_points: [{ number: 'EVC-77', station_id: station, connector_count: 1 }],
    installation_type: 'home',
    address: { street: 'Bahnhofstrasse', house_number: '1', postal_code: '8001', city: 'Zürich', country: 'CH' },
    network: 'lan',
  });
  const page = await w.page();
  await w.login(page, w.staff);
  await page.goto(`${w.base}/portal/activations`);
  check('the queue lists the owner\'s request', (await page.getByText(station).count()) > 0);
  await w.shot(page, 'activations');
  const review = page.getByRole('button', { name: 'Start review' }).first();
  if (await review.count()) {
    await review.click();
    await page.waitForLoadState();
  }
  await page.getByRole('button', { name: 'Approve' }).first().click();
  await page.waitForLoadState();
  const shown = await w.joule('station', 'show', station);
  check('approving in the browser activates the station', /active/i.test(shown), shown.split('\n').slice(0, 4).join(' | '));
  await page.context().close();
}

async function tariffScenario(w) {
  const page = await w.page();
  await w.login(page, w.staff);
  await page.goto(`${w.base}/portal/tariffs`);
  await page.getByLabel('Name').fill('High and low');
  // The editor starts with an example: 0.35/kWh on weekdays 07:00-20:00, 0.25 otherwise (operator zone: UTC).
  await page.getByLabel('Energy (kWh)').fill('22');
  await page.getByLabel('Start (local time)').fill('2026-11-23T17:00');
  await page.getByLabel('Duration (minutes)').fill('180');
  await page.getByRole('button', { name: 'Preview' }).click();
  await page.waitForLoadState();
  // Monday 17:00-20:00 is all high tariff: 22 x 0.35 = 7.70; + 8.1 % VAT = 8.3237 -> 8.32 CHF.
  const preview = await page.locator('[data-preview]').innerText().catch(() => '');
  check('the tariff preview prices the example session', preview.includes('A 22 kWh, 3-hour session starting Monday 17:00 costs 8.32 CHF'), preview);
  await w.shot(page, 'tariffs');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.waitForLoadState();
  const saved = await page.getByText(/saved as version 1/).count();
  check('saving the tariff says so', saved > 0, await page.locator('main').innerText());
  await page.context().close();
}

async function driverScenario(w) {
  const id = 'E2E-DRV-1';
  await w.joule('station', 'register', id, '--operator', 'Acme', '--activate');
  const me = await w.api(w.staff, 'GET', '/api/v1/me');
  const op = me.account.operator_id;
  // A flat 0.40/kWh, valid since long before the session (which starts 30 minutes ago, as the station says).
  const tariff = await w.api(w.staff, 'POST', '/api/v1/tariffs', { name: 'Driver test', valid_from: '2020-01-01T00:00:00Z',
    tariff: { elements: [{ price_components: [{ type: 'ENERGY', price: '0.40' }] }] } });
  await w.api(w.staff, 'PUT', '/api/v1/tariff-assignments', { station: id, tariff_id: tariff.id });
  const dana = await w.account('dana@acme.test', 'Dana Driver', 'driver');
  const account = (await w.api(dana, 'GET', '/api/v1/me')).account;
  const driver = await w.api(w.staff, 'POST', `/api/v1/operators/${op}/drivers`, { name: 'Dana', account_id: account.id });
  await w.api(w.staff, 'POST', '/api/v1/id-tokens', { tag: 'DANA-CARD' });
  await w.api(w.staff, 'PUT', `/api/v1/operators/${op}/drivers/${driver.id}/tokens/DANA-CARD`, {});

  // The station: accepts a remote start and starts at once; stops when asked.
  const cp = w.station(id);
  let tx = null;
  const started = new Date(Date.now() - 30 * 60_000).toISOString();
  cp.handle('RemoteStartTransaction', ({ params }) => {
    setTimeout(async () => {
      const r = await cp.call('StartTransaction', { connectorId: params.connectorId, idTag: params.idTag, meterStart: 1000, timestamp: started });
      tx = r.transactionId;
      await cp.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Charging', timestamp: now() });
    }, 100);
    return { status: 'Accepted' };
  });
  cp.handle('RemoteStopTransaction', ({ params }) => {
    setTimeout(async () => {
      await cp.call('StopTransaction', { transactionId: params.transactionId, meterStop: 6000, timestamp: now(), reason: 'Remote' });
      await cp.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available', timestamp: now() });
    }, 100);
    return { status: 'Accepted' };
  });
  await within(WAIT, 'the station to connect', cp.connect());
  await cp.call('BootNotification', { chargePointVendor: 'E2E', chargePointModel: 'Phone-1' });
  await cp.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available', timestamp: now() });

  // A phone: the public page first, then logged in.
  const phone = await w.page({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  await phone.goto(`${w.base}/c/${id}/1`);
  const status = await phone.locator('[data-connector-status]').innerText();
  check('the public connector page shows the status', status === 'Available', status);
  check('the public page shows the price', (await phone.getByText(/per kWh/).count()) > 0);
  await w.shot(phone, 'connector-public');
  await phone.getByRole('link', { name: 'Log in' }).click();
  await phone.getByLabel('E-mail').fill(dana.email);
  await phone.getByLabel('Password').fill(dana.password);
  await phone.getByRole('button', { name: 'Log in' }).click();
  await phone.waitForURL(`**/c/${id}/1`);
  await phone.getByRole('button', { name: 'Start charging' }).click();
  await phone.waitForLoadState();
  await phone.getByRole('heading', { name: 'Your session' }).waitFor({ timeout: WAIT });
  check('after "Start charging" the page shows the session', true);

  // Energy flows; the page shows it without a reload (it re-reads the session every 5 s).
  await cp.call('MeterValues', { connectorId: 1, transactionId: tx, meterValue: [{ timestamp: now(), sampledValue: [
    { value: '6000', measurand: 'Energy.Active.Import.Register', unit: 'Wh' },
    { value: '11000', measurand: 'Power.Active.Import', unit: 'W' }] }] });
  try {
    await phone.locator('[data-session-energy]', { hasText: '5.00 kWh' }).waitFor({ timeout: 15_000 });
    check('the live session shows energy so far', true);
  } catch {
    check('the live session shows energy so far', false, await phone.locator('#driver-live').innerText());
  }
  const power = await phone.locator('[data-session-power]').innerText();
  check('the live session shows power', power === '11.0 kW', power);
  await w.shot(phone, 'connector-session');

  await phone.getByRole('button', { name: 'Stop charging' }).click();
  await phone.waitForLoadState();
  // The cost follows the stop by a moment (pricing runs after the station is answered): reload until it shows.
  let cost = '';
  for (let i = 0; i < 20 && !/CHF/.test(cost); i++) {
    await phone.goto(`${w.base}/c/${id}/1`);
    cost = await phone.locator('[data-last-cost]').innerText().catch(() => '');
    if (!/CHF/.test(cost)) await sleep(250);
  }
  // 5 kWh x 0.40 = 2.00 + 8.1 % VAT = 2.162 -> 2.16 CHF.
  check('after "Stop charging" the page shows the cost', cost.includes('2.16 CHF'), cost);
  await w.shot(phone, 'connector-cost');
  await phone.context().close();
  await cp.close({ force: true });
}

async function csvScenario(w) {
  const page = await w.page({ acceptDownloads: true });
  await w.login(page, w.staff);
  await page.goto(`${w.base}/portal/reports`);
  await w.shot(page, 'reports');
  const read = async (name) => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name }).click()]);
    const path = await download.path();
    return readFileSync(path, 'utf8');
  };
  const sessions = await read('Sessions CSV');
  const rows = sessions.trim().split(/\r?\n/);
  check('the sessions CSV has its documented header', rows[0].startsWith('session_id,station,connector,id_tag'), rows[0]);
  check('the sessions CSV has the driver\'s session', rows.some((r) => r.includes('E2E-DRV-1') && r.includes('DANA-CARD')), sessions);
  const intervals = await read('15-minute energy CSV');
  const lines = intervals.trim().split(/\r?\n/);
  check('the 15-minute CSV has its documented header', lines[0] === 'station_id,connector_id,interval_start,interval_end,energy_wh,quality', lines[0]);
  check('the 15-minute CSV has quarter hours of the station', lines.some((l) => l.startsWith('E2E-DRV-1,')), lines.slice(0, 3).join(' | '));
  await page.context().close();
}

const scenarios = [
  ['log in and out', loginScenario],
  ['a station comes online live', stationOnlineScenario],
  ['approve an activation', activationScenario],
  ['edit a tariff and preview it', tariffScenario],
  ['a driver starts and stops a session from the connector page', driverScenario],
  ['download both CSVs', csvScenario],
];

const w = await World.start(BIN);
const overall = setTimeout(() => {
  console.log(`e2e: gave up after ${OVERALL_MS} ms`);
  process.exit(2);
}, OVERALL_MS);
try {
  for (const [name, run] of scenarios) {
    console.log(`-- ${name}`);
    try {
      await run(w);
    } catch (err) {
      check(name, false, err.stack ?? String(err));
    }
  }
} finally {
  clearTimeout(overall);
  await w.stop();
}
const failed = results.filter((r) => !r).length;
console.log(`e2e: ${results.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
