// End-to-end tests of the web portal (issue 6) in a real headless Chromium against the real `joule` binary and a
// station played by the independent ocpp-rpc client. Each scenario is what a person does in the browser; the
// assertions read what the page shows (by label, role and visible text), never the server's internals.
// Screenshots of the main pages go to tests/e2e/screenshots/ (ignored).
//
// Usage: node e2e.mjs PATH/TO/joule
// Prints "e2e: N passed, M failed" and exits non-zero on any failure.

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
  const refused = await page.getByText(/wrong e-mail or password/i).count();
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

const scenarios = [
  ['log in and out', loginScenario],
  ['a station comes online live', stationOnlineScenario],
  ['approve an activation', activationScenario],
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
