// End-to-end tests of the web portal in a real headless Chromium against the real `joule` binary and a
// station played by the independent ocpp-rpc client. Each scenario is what a person does in the browser; the
// assertions read what the page shows (by label, role and visible text), never the server's internals.
// Screenshots of the main pages go to tests/e2e/screenshots/ (ignored).
//
// Usage: node e2e.mjs PATH/TO/joule
// Prints "e2e: N passed, M failed" and exits non-zero on any failure.

import { readFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
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
  // A passer-by's page follows the connector live too (once its event stream is open).
  await phone.waitForFunction(() => document.getElementById('driver-live')?.getAttribute('data-live') === 'stream',
    null, { timeout: WAIT }).catch(() => {});
  await cp.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Unavailable', timestamp: now() });
  const followed = await phone.locator('[data-connector-status]', { hasText: 'Unavailable' })
    .waitFor({ timeout: WAIT }).then(() => true, () => false);
  check("a passer-by's page shows a new status without a reload", followed);
  await cp.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available', timestamp: now() });
  await phone.locator('[data-connector-status]', { hasText: 'Available' }).waitFor({ timeout: WAIT });
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

  // Energy flows; the page shows it without a reload, re-read when the connector's event stream says so.
  const streaming = await phone.waitForFunction(
    () => document.getElementById('driver-live')?.getAttribute('data-live') === 'stream', null, { timeout: WAIT },
  ).then(() => true, () => false);
  check('the connector page listens to its event stream', streaming);
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

/// A landscape PNG of `w` x `h` pixels (the API wants a real, landscape JPEG or PNG).
function png(w, h) {
  const table = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = table[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const sum = Buffer.alloc(4); sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0); ihdr.writeUInt32BE(h, 4); ihdr[8] = 8; ihdr[9] = 2; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0;
  const raw = Buffer.alloc((w * 3 + 1) * h, 0x80);
  for (let y = 0; y < h; y++) raw[y * (w * 3 + 1)] = 0;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

async function installerScenario(w) {
  const id = 'E2E-INST-1';
  const mac = 'AA:BB:CC:00:11:22';
  await w.joule('station', 'register', id, '--operator', 'Acme', '--activate');
  const code = (await w.api(w.staff, 'POST', `/api/v1/stations/${id}/activation-codes`, { mac })).code;
  const cp = w.station(id);
  // The test session: the station accepts, the installer's car draws 1.2 kWh, the session stops.
  cp.handle('RemoteStartTransaction', ({ params }) => {
    setTimeout(async () => {
      const t0 = Date.now();
      const r = await cp.call('StartTransaction', { connectorId: 1, idTag: params.idTag, meterStart: 0, timestamp: new Date(t0).toISOString() });
      await cp.call('MeterValues', { connectorId: 1, transactionId: r.transactionId, meterValue: [{ timestamp: new Date(t0 + 500).toISOString(),
        sampledValue: [{ value: '600', measurand: 'Energy.Active.Import.Register', unit: 'Wh' }] }] });
      await sleep(1000);
      await cp.call('StopTransaction', { transactionId: r.transactionId, meterStop: 1200, timestamp: now(), reason: 'Local' });
    }, 100);
    return { status: 'Accepted' };
  });
  await within(WAIT, 'the station to connect', cp.connect());
  await cp.call('BootNotification', { chargePointVendor: 'E2E', chargePointModel: 'Wall-1', chargePointSerialNumber: 'SN-77' });
  await cp.call('Heartbeat', {});
  await cp.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available', timestamp: now() });

  const phone = await w.page({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true,
    geolocation: { latitude: 47.3769, longitude: 8.5417, accuracy: 12 }, permissions: ['geolocation'] });
  // The sticker's QR code opens the claim URL; logging in comes back to it.
  await phone.goto(`${w.base}/claim?mac=${encodeURIComponent(mac)}&code=${encodeURIComponent(code)}`);
  await phone.getByLabel('E-mail').fill(w.installer.email);
  await phone.getByLabel('Password').fill(w.installer.password);
  await phone.getByRole('button', { name: 'Log in' }).click();
  await phone.waitForLoadState();
  const filled = await phone.getByLabel('Activation password').inputValue().catch(() => '');
  check('the QR code fills the claim form', filled === code, filled);
  await phone.getByRole('button', { name: 'Claim' }).click();
  await phone.waitForLoadState();
  check('claiming opens the station\'s installer page', phone.url().endsWith(`/install/stations/${id}`), phone.url());

  await phone.getByRole('button', { name: 'Use my location' }).click();
  await phone.locator('#location-status', { hasText: 'Location found' }).waitFor({ timeout: WAIT });
  await phone.getByLabel('Street').fill('Bahnhofstrasse');
  await phone.getByLabel('House number').fill('1');
  await phone.getByLabel('Postal code').fill('8001');
  await phone.getByLabel('City').fill('Zürich');
  await phone.getByLabel('Country (two letters, e.g. CH)').fill('CH');
  await phone.getByLabel('Parking spot').fill('P3');
  await phone.getByLabel('Serial number').fill('SN-77');
  await phone.getByRole('button', { name: 'Save the pinpointing' }).click();
  await phone.waitForLoadState();
  const gps = await phone.locator('[data-gps]').innerText();
  check('the phone\'s location is saved with its accuracy', gps.startsWith('47.376900, 8.541700') && gps.includes('± 12 m'), gps);

  await phone.locator('#photo').setInputFiles({ name: 'station.png', mimeType: 'image/png', buffer: png(64, 32) });
  try {
    await phone.locator('#photo-status', { hasText: 'Photo saved.' }).waitFor({ timeout: WAIT });
    check('the photo is uploaded from the phone', true);
  } catch {
    check('the photo is uploaded from the phone', false, await phone.locator('#photo-status').innerText());
  }

  await phone.reload();
  const items = await phone.locator('section[aria-labelledby="check-h"] li').allInnerTexts();
  const green = (name) => items.some((t) => t.startsWith('green') && t.includes(name));
  check('the checklist shows the station online, its location and photo green', green('online') && green('location'), items.join(' | '));
  await w.shot(phone, 'installer');
  await phone.getByRole('button', { name: 'Start test session' }).click();
  await phone.waitForLoadState();
  const flash = await phone.locator('.flash').innerText().catch(() => '');
  check('"Start test session" starts one at the station', flash.includes('Test session started'), flash || await phone.locator('main').innerText());
  // Once the session has stopped with energy, every item is green and the installer verifies the station.
  let verify = 0;
  for (let i = 0; i < 20 && verify === 0; i++) {
    await phone.reload();
    verify = await phone.getByRole('button', { name: 'Verify' }).count();
    if (verify === 0) await sleep(250);
  }
  if (verify > 0) {
    await phone.getByRole('button', { name: 'Verify' }).click();
    await phone.waitForLoadState();
  }
  const state = await w.joule('station', 'show', id);
  check('with every item green the installer verifies the station', /verified/i.test(state),
    (await phone.locator('section[aria-labelledby="check-h"]').innerText()).replace(/\n/g, ' | '));
  await w.shot(phone, 'installer-verified');
  await phone.context().close();
  await cp.close({ force: true });
}

async function ownerScenario(w) {
  const page = await w.page({ viewport: { width: 390, height: 844 }, isMobile: true });
  await w.login(page, w.owner);
  check('an owner lands on their stations', page.url().endsWith('/owner'), page.url());
  await page.getByLabel('Customer number').fill('C-88');
  await page.getByLabel('Charge point number (as printed on it)').fill('EVC-88');
  await page.getByLabel('Station id').fill('E2E-OWN-1');
  await page.getByLabel('Connectors').fill('2');
  await page.getByLabel('Installation').selectOption('home');
  await page.getByLabel('Network').selectOption('wifi');
  await page.getByLabel('Street').fill('Seestrasse');
  await page.getByLabel('House number').fill('5');
  await page.getByLabel('Postal code').fill('123');
  await page.getByLabel('City').fill('Zürich');
  await page.getByLabel('Country (two letters)').fill('CH');
  await page.getByRole('button', { name: 'Send the request' }).click();
  await page.waitForLoadState();
  const refused = await page.locator('.error').innerText().catch(() => '');
  check('a Swiss postal code of three digits is refused, saying which field', /postal_code/.test(refused), refused);
  await page.getByLabel('Postal code').fill('8002');
  await page.getByRole('button', { name: 'Send the request' }).click();
  await page.waitForLoadState();
  const item = await page.locator('li', { hasText: 'E2E-OWN-1' }).innerText().catch(() => '');
  check('the owner sees the request with its state', item.includes('customer C-88') && item.includes('requested'), item);
  await w.shot(page, 'owner');
  await page.context().close();
}

async function settingsScenario(w) {
  const page = await w.page();
  await w.login(page, w.staff);
  await page.goto(`${w.base}/portal/settings`);
  const url = await page.locator('#ocpp-url').innerText();
  check('the settings show the OCPP URL to copy', url === w.ocppUrl + '/', `${url} vs ${w.ocppUrl}/`);
  await page.getByLabel('Minutes without traffic before a station is out of service (1 to 10080)').fill('30');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.waitForLoadState();
  const saved = await page.getByLabel('Minutes without traffic before a station is out of service (1 to 10080)').inputValue();
  check('the offline threshold is saved', saved === '30', saved);
  await page.getByLabel("New token's name").fill('e2e-reader');
  await page.getByLabel('Role').selectOption('viewer');
  await page.getByRole('button', { name: 'Create token' }).click();
  await page.waitForLoadState();
  const secret = await page.locator('[data-secret]').innerText().catch(() => '');
  const works = await fetch(`${w.base}/api/v1/stations`, { headers: { authorization: `Bearer ${secret}` } });
  check('a token made in the portal works once, shown once', secret.startsWith('joule_') && works.status === 200, `${secret.slice(0, 8)} ${works.status}`);
  await w.shot(page, 'settings');
  await page.getByRole('button', { name: 'Revoke e2e-reader' }).click();
  await page.waitForLoadState();
  const after = await fetch(`${w.base}/api/v1/stations`, { headers: { authorization: `Bearer ${secret}` } });
  check('a revoked token is refused', after.status === 401, String(after.status));
  await page.context().close();
}

// --- drivers, tokens, groups, access rules, default configuration ---
async function peopleScenario(w) {
  const page = await w.page();
  await w.login(page, w.staff);
  await page.goto(`${w.base}/portal/drivers`);
  await page.getByLabel("New group's name").fill('Neighbours');
  await page.getByRole('button', { name: 'Add group' }).click();
  await page.waitForLoadState();
  await page.getByLabel('Name', { exact: true }).fill('Marie Curie');
  await page.getByLabel('E-mail (optional)').fill('marie@example.com');
  await page.getByRole('button', { name: 'Add driver' }).click();
  await page.waitForLoadState();
  check('a new driver opens on their page', (await page.locator('h1').innerText()) === 'Marie Curie', page.url());
  await page.getByLabel('Neighbours').check();
  await page.getByRole('button', { name: 'Save groups' }).click();
  await page.waitForLoadState();
  await page.getByLabel(/^Id tag/).fill('E2E-CARD-7');
  await page.getByRole('button', { name: 'Give token' }).click();
  await page.waitForLoadState();
  const tokens = await page.locator('section[aria-labelledby=tokens-h] table').innerText().catch(() => '');
  check('the driver has the token, active', tokens.includes('E2E-CARD-7') && tokens.includes('active'), tokens);
  check('the driver is in the group', await page.getByLabel('Neighbours').isChecked());
  await w.shot(page, 'driver');

  // Import: a file chosen in the browser, checked, then imported.
  await page.goto(`${w.base}/portal/tokens/import`);
  const csv = 'id_tag,driver_name,groups,blocked\nE2E-IMP-1,Pierre Curie,Neighbours,false\nE2E-IMP-2,Pierre Curie,,maybe\n';
  await page.getByLabel('Choose a CSV file').setInputFiles({ name: 'tokens.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.waitForFunction(() => document.getElementById('csv').value.includes('E2E-IMP-1'));
  await page.getByRole('button', { name: 'Check the file' }).click();
  await page.waitForLoadState();
  const report = await page.locator('#report').innerText();
  check('the check reports the bad line by number and column', report.includes('3') && report.includes('blocked') && report.includes('New drivers: Pierre Curie'), report);
  await w.shot(page, 'import-check');
  await page.getByRole('button', { name: /^Import 1 token / }).click();
  await page.waitForLoadState();
  check('the import is done', (await page.locator('#report-h').innerText()) === 'Imported');
  await page.goto(`${w.base}/portal/tokens?q=e2e-imp`);
  const listed = await page.locator('table').innerText();
  check('the imported token is listed, the rejected one is not', listed.includes('E2E-IMP-1') && !listed.includes('E2E-IMP-2'), listed);
  await page.getByRole('button', { name: 'Block E2E-IMP-1' }).click();
  await page.waitForLoadState();
  check('a token is blocked from the list', (await page.locator('table').innerText()).includes('blocked'));
  await w.shot(page, 'tokens');

  // Access rules of a station: limited to the group, on weekdays; then the check explains.
  const station = `E2E-ACC-${Date.now() % 100000}`;
  await w.joule('station', 'register', station, '--operator', 'Acme', '--activate');
  await page.goto(`${w.base}/portal/stations/${station}`);
  await page.getByRole('link', { name: 'Access rules and available times' }).click();
  await page.waitForLoadState();
  check('the group list is hidden while the station is public', !(await page.getByLabel('Neighbours', { exact: true }).isVisible()));
  await page.getByLabel(/Limited: /).check();
  await page.getByLabel('Neighbours', { exact: true }).check();
  await page.getByLabel('Available times').fill('mon-fri 07:00-19:00');
  await page.getByRole('button', { name: 'Save access rules' }).click();
  await page.waitForLoadState();
  check('the access rules are saved', (await page.locator('.flash').innerText()).includes('Access rules saved'));
  await page.getByLabel('Id tag').fill('E2E-CARD-7');
  await page.getByLabel('When (local time; empty: now)').fill('2026-11-23T08:00');
  await page.getByRole('button', { name: 'Check' }).click();
  await page.waitForLoadState();
  const yes = await page.locator('#check-result').innerText();
  await page.getByLabel('When (local time; empty: now)').fill('2026-11-22T08:00');
  await page.getByRole('button', { name: 'Check' }).click();
  await page.waitForLoadState();
  const no = await page.locator('#check-result').innerText();
  check('a member may charge on Monday morning, not on Sunday', yes.startsWith('Allowed') && no.startsWith('Refused'), `${yes} / ${no}`);
  await w.shot(page, 'access');

  // The default configuration, in the settings.
  await page.goto(`${w.base}/portal/settings`);
  await page.getByLabel('New key 1', { exact: true }).fill('HeartbeatInterval');
  await page.getByLabel('Value of new key 1').fill('600');
  await page.getByRole('button', { name: 'Save default configuration' }).click();
  await page.waitForLoadState();
  check('a default configuration key is saved', (await page.getByLabel('Value of HeartbeatInterval').inputValue()) === '600');
  await page.context().close();
}

// --- owners' sessions and energy ---
async function ownerSessionsScenario(w) {
  // The owner's own station: requested by the owner, approved by staff (through the API: the forms are
  // another scenario's), then a session played by ocpp-rpc.
  const id = 'E2E-OWN-2';
  const request = await w.api(w.owner, 'POST', '/api/v1/activation-requests', {
    customer_number: 'C-89',
    charge_points: [{ number: 'EVC-89', station_id: id, connector_count: 1 }],
    installation_type: 'home',
    address: { street: 'Seestrasse', house_number: '7', postal_code: '8002', city: 'Zürich', country: 'CH' },
    network: 'lan',
  });
  await w.api(w.staff, 'POST', `/api/v1/activation-requests/${request.id}/review`, {});
  await w.api(w.staff, 'POST', `/api/v1/activation-requests/${request.id}/approve`, {});
  const cp = w.station(id);
  await within(WAIT, 'the station to connect', cp.connect());
  await cp.call('BootNotification', { chargePointVendor: 'E2E', chargePointModel: 'Owner-1' });
  // 40 minutes ago to now, 1000 -> 8500 Wh: 7.50 kWh.
  const started = new Date(Date.now() - 40 * 60_000).toISOString();
  const start = await cp.call('StartTransaction', { connectorId: 1, idTag: 'OWNERS-GUEST-4711', meterStart: 1000, timestamp: started });
  await cp.call('StopTransaction', { transactionId: start.transactionId, meterStop: 8500, timestamp: now(), reason: 'EVDisconnected' });

  const page = await w.page({ acceptDownloads: true });
  await w.login(page, w.owner);
  await page.goto(`${w.base}/owner`);
  const month = await page.getByLabel('Month').inputValue();
  check('the owner\'s page picks the current month', month === now().slice(0, 7), month);
  const row = await page.locator('tr', { has: page.getByRole('rowheader', { name: id }) }).innerText().catch(() => '');
  check('the owner sees their station\'s energy for the month', row.includes('7.50'), row);
  const session = await page.locator('tr', { hasText: '••••4711' }).innerText().catch(() => '');
  check('the owner sees the session with its kWh and the card masked', session.includes(id) && session.includes('7.50') &&
    !(await page.content()).includes('OWNERS-GUEST-4711'), session);
  await w.shot(page, 'owner-energy');
  const [download] = await Promise.all([page.waitForEvent('download'),
    page.locator('tr', { has: page.getByRole('rowheader', { name: id }) }).getByRole('link', { name: /CSV for/ }).click()]);
  const lines = readFileSync(await download.path(), 'utf8').trim().split(/\r?\n/);
  check('the owner downloads the station\'s 15-minute CSV for the month',
    lines[0] === 'station_id,connector_id,interval_start,interval_end,energy_wh,quality' && lines.length > 96 * 28 &&
    lines.slice(1).every((l) => l.startsWith(`${id},`)), `${lines.length} lines: ${lines.slice(0, 2).join(' | ')}`);
  await page.context().close();
  await cp.close({ force: true });
}

const scenarios = [
  ['log in and out', loginScenario],
  ['a station comes online live', stationOnlineScenario],
  ['approve an activation', activationScenario],
  ['edit a tariff and preview it', tariffScenario],
  ['a driver starts and stops a session from the connector page', driverScenario],
  ['download both CSVs', csvScenario],
  ['an installer claims, pinpoints and tests a station on a phone', installerScenario],
  ['an owner requests activation', ownerScenario],
  ['operator settings and API tokens', settingsScenario],
  ['drivers, tokens, import, access rules and default configuration', peopleScenario],
  ['an owner sees their sessions and energy and downloads the 15-minute CSV', ownerSessionsScenario],
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
