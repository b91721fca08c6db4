// The world the end-to-end tests run in: the real `joule` binary serving on a free port with its own data
// folder (embedded SQLite), an operator with staff, owner and installer accounts made through the CLI as an
// administrator would, stations played by the independent `ocpp-rpc` client, and a headless Chromium (Debian's
// /usr/bin/chromium driven by playwright-core; never a downloaded browser).

import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium } from 'playwright-core';
import rpc from 'ocpp-rpc';

export const CHROMIUM = process.env.JOULE_E2E_CHROMIUM ?? '/usr/bin/chromium';
export const SHOTS = resolve(new URL('.', import.meta.url).pathname, 'screenshots');

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

/// Rejects after `ms` with a message naming what was awaited.
export function within(ms, what, promise) {
  let timer;
  const timeout = new Promise((_, rej) => {
    timer = setTimeout(() => rej(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export class World {
  static async start(bin) {
    const w = new World();
    w.bin = resolve(bin);
    w.dir = mkdtempSync(join(tmpdir(), 'joule-e2e-'));
    w.port = await freePort();
    w.base = `http://127.0.0.1:${w.port}`;
    w.server = spawn(w.bin, ['--data-dir', w.dir, '--listen', `127.0.0.1:${w.port}`, 'serve'], {
      env: { ...process.env, JOULE_LOG: 'warn', JOULE_DATABASE_URL: '' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    for (let i = 0; ; i++) {
      try {
        const r = await fetch(`${w.base}/health`);
        if (r.ok) break;
      } catch {
        // not listening yet
      }
      if (i > 300) throw new Error(`joule serve did not answer on ${w.base}`);
      await sleep(100);
    }
    const created = await w.joule('operator', 'create', 'Acme');
    const url = created.split('\n').find((l) => l.startsWith('OCPP URL: '));
    w.ocppUrl = url.slice('OCPP URL: '.length).trim().replace(/\/$/, '');
    w.staff = await w.account('staff@acme.test', 'Ada Staff', 'operator-staff');
    w.owner = await w.account('owner@acme.test', 'Otto Owner', 'owner', ['--owner-kind', 'individual', '--approve']);
    w.installer = await w.account('installer@acme.test', 'Ina Installer', 'installer', ['--approve']);
    w.browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    mkdirSync(SHOTS, { recursive: true });
    return w;
  }

  /// Runs a CLI command against the world's data folder; resolves with its stdout.
  joule(...args) {
    return this.jouleIn(undefined, ...args);
  }

  jouleIn(stdin, ...args) {
    return new Promise((res, rej) => {
      const child = execFile(
        this.bin,
        ['--data-dir', this.dir, '--listen', `127.0.0.1:${this.port}`, ...args],
        { timeout: 60_000, env: { ...process.env, JOULE_LOG: 'warn', JOULE_DATABASE_URL: '' } },
        (err, stdout, stderr) => {
          if (err) rej(new Error(`joule ${args.join(' ')} failed: ${err.message}\n${stderr}`));
          else res(stdout);
        },
      );
      if (stdin !== undefined) child.stdin.end(stdin);
      else child.stdin.end();
    });
  }

  /// Makes an account (the password goes through stdin, as the CLI wants it) and returns its credentials.
  async account(email, name, role, extra = []) {
    const password = `pw-${role}-correct-horse`;
    await this.jouleIn(`${password}\n`, 'account', 'create', '--email', email, '--name', name, '--role', role,
      '--operator', 'Acme', ...extra);
    return { email, password, name };
  }

  /// A JSON API call as `who` (logs in through the API first).
  async api(who, method, path, body) {
    if (!who.token) {
      const r = await fetch(`${this.base}/api/v1/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: who.email, password: who.password }),
      });
      if (!r.ok) throw new Error(`API login of ${who.email}: ${r.status} ${await r.text()}`);
      who.token = (await r.json()).token;
    }
    const r = await fetch(`${this.base}${path}`, {
      method,
      headers: { authorization: `Bearer ${who.token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${text}`);
    return text ? JSON.parse(text) : null;
  }

  /// A station played by ocpp-rpc (not our simulator): connects, answers the calls tests care about.
  station(id) {
    const client = new rpc.RPCClient({
      endpoint: this.ocppUrl,
      identity: id,
      protocols: ['ocpp1.6'],
      strictMode: true,
      reconnect: false,
      callTimeoutMs: 10_000,
    });
    client.handle('TriggerMessage', () => ({ status: 'Accepted' }));
    client.handle('GetConfiguration', () => ({ configurationKey: [] }));
    client.handle('ChangeConfiguration', () => ({ status: 'Accepted' }));
    return client;
  }

  /// A fresh browser page (own cookies), optionally phone-sized.
  async page(options = {}) {
    const context = await this.browser.newContext(options);
    return context.newPage();
  }

  async login(page, who) {
    await page.goto(`${this.base}/login`);
    await page.getByLabel('E-mail').fill(who.email);
    await page.getByLabel('Password').fill(who.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForLoadState();
  }

  async shot(page, name) {
    await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  }

  async stop() {
    await this.browser?.close().catch(() => {});
    this.server?.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
