// Shared by the integration and end-to-end tests: where the Worker and the fake Shopify
// run, how a test proves a shop (session tokens from the fake admin), and small waits.
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { request as httpRequest } from 'node:http';

export const BASE = process.env.BASE_URL ?? 'http://127.0.0.1:8799';
export const FAKE = process.env.FAKE_URL ?? 'http://127.0.0.1:8788';
export const DEMO = 'demo-outfitters.myshopify.com';
export const OTHER = 'alpine-threads.myshopify.com';
const ROOT = new URL('..', import.meta.url).pathname;

/** The app's secrets, as wrangler dev reads them. */
export const SECRET = readFileSync(`${ROOT}.dev.vars`, 'utf8').match(/^SHOPIFY_API_SECRET=(.*)$/m)[1];
export const API_KEY = readFileSync(`${ROOT}wrangler.toml`, 'utf8').match(/^SHOPIFY_API_KEY = "(.*)"$/m)[1];

/** A fresh App Bridge session token for `shop`, signed by the fake admin. */
export async function sessionToken(shop = DEMO) {
  const res = await fetch(`${FAKE}/_fake/session-token?shop=${shop}`);
  if (!res.ok) throw new Error(`session token: ${res.status}`);
  return (await res.json()).token;
}

/** A session token signed here, with chosen claims (for refusal tests). */
export function forgeToken(claims, secret = SECRET) {
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const head = b64({ alg: 'HS256', typ: 'JWT' });
  const body = b64(claims);
  const sig = createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${sig}`;
}

/**
 * fetch, retried (with a fresh session token) when the connection fails or no answer comes
 * within 45 s: the local workerd occasionally stalls a request while it works through the
 * queues. HTTP answers (any status) are never retried.
 */
async function fetchOnce(url, makeInit) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetch(url, { ...(await makeInit()), signal: AbortSignal.timeout(45000) });
    } catch (e) {
      if (attempt >= 3) throw e;
      console.log(`# retrying ${url} after: ${e.message}`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

async function authHeaders(shop) {
  return shop ? { authorization: `Bearer ${await sessionToken(shop)}` } : {};
}

/** GET a page as `shop` (null: anonymous). */
export async function get(path, { shop = DEMO, headers = {} } = {}) {
  const res = await fetchOnce(BASE + path, async () => ({ redirect: 'manual', headers: { ...(await authHeaders(shop)), ...headers } }));
  return { res, text: await res.text() };
}

/** Posts `fields` to a server function as a browser form does before the wasm has loaded:
 * it accepts HTML and comes from `referer`. The answer (a redirect) is not followed. */
export async function formPostWithoutJs(name, fields, referer, { shop = DEMO } = {}) {
  return fetchOnce(`${BASE}/api/${name}`, async () => ({
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'text/html,application/xhtml+xml',
      referer,
      ...(await authHeaders(shop)),
    },
    body: new URLSearchParams(fields).toString(),
  }));
}

/** Calls a server function the way a browser form does (url-encoded), asking for JSON back. */
export async function serverFn(name, fields = {}, { shop = DEMO, headers = {} } = {}) {
  const res = await fetchOnce(`${BASE}/api/${name}`, async () => ({
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
      ...(await authHeaders(shop)),
      ...headers,
    },
    body: new URLSearchParams(fields).toString(),
  }));
  const text = await res.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: res.status, json, text, headers: res.headers };
}

export async function fake(path, body) {
  const res = await fetch(FAKE + path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`fake ${path}: ${res.status} ${text}`);
  return JSON.parse(text);
}

/**
 * `fake` for calls that run for minutes (a 10,000-webhook burst): node:http without the
 * five-minute header timeout of `fetch`.
 */
export function fakeLong(path, body) {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    const req = httpRequest(FAKE + path, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { text += c; });
      res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(text)) : reject(new Error(`fake ${path}: ${res.statusCode} ${text}`))));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** Posts a webhook signed like Shopify (or not, with `secret`). */
export async function webhook(topic, payload, { shop = DEMO, id = crypto.randomUUID(), secret = SECRET, raw } = {}) {
  const body = raw ?? JSON.stringify(payload);
  const hmac = createHmac('sha256', secret).update(body).digest('base64');
  // Redelivering on a dropped connection is what Shopify does too (same webhook id).
  const res = await fetchOnce(`${BASE}/webhooks/${topic}`, async () => ({
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-shopify-topic': topic,
      'x-shopify-hmac-sha256': hmac,
      'x-shopify-shop-domain': shop,
      'x-shopify-webhook-id': id,
      'x-shopify-api-version': '2026-10',
      'x-shopify-triggered-at': new Date().toISOString(),
    },
    body,
  }));
  return { status: res.status, text: await res.text() };
}

/**
 * Runs `wrangler <args> --local` against the test's state. Local D1 and KV are SQLite files
 * that the running Worker writes too, so a call can find them locked (SQLITE_BUSY): it is
 * retried, waiting in between, before the error is the test's.
 */
export function wranglerLocal(args) {
  const all = [...args, '--local'];
  if (process.env.D1_STATE) all.push('--persist-to', process.env.D1_STATE);
  let last;
  for (let i = 0; i < 20; i++) {
    try {
      return execFileSync(`${ROOT}node_modules/.bin/wrangler`, all, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, WRANGLER_SEND_METRICS: 'false' } });
    } catch (e) {
      last = e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
    }
  }
  throw last;
}

/** The shard bindings, in shard order (wrangler.toml's SHARDS; DB holds the directory). */
export const SHARDS = (readFileSync(`${ROOT}wrangler.toml`, 'utf8').match(/^SHARDS = "(.*)"$/m)?.[1] ?? 'DB').split(',');

function d1On(binding, sql) {
  return JSON.parse(wranglerLocal(['d1', 'execute', binding, '--json', '--command', sql]))[0].results;
}

/** Shop → shard binding, as the directory said a moment ago (a shop erased and installed
 * again may land elsewhere, so an answer is trusted for seconds only). */
const placed = new Map();
function shardOf(sql) {
  const id = sql.match(/\bshop_id\s*=\s*(\d+)/)?.[1] ?? sql.match(/\bshops\b.*\bWHERE\s+(?:\w+\.)?id\s*=\s*(\d+)/s)?.[1];
  const domain = sql.match(/\bdomain\s*=\s*'([^']+)'/)?.[1];
  const key = id ?? domain;
  if (!key) return 'DB';
  const hit = placed.get(key);
  if (hit && Date.now() - hit.at < 5000) return hit.binding;
  const where = id ? `shop_id = ${id}` : `domain = '${domain.replace(/'/g, "''")}'`;
  const [row] = d1On('DB', `SELECT shard FROM shop_directory WHERE ${where}`);
  // A shop the directory does not know (a probe a test wrote by hand) is on the first.
  const binding = SHARDS[row?.shard ?? 0];
  placed.set(key, { binding, at: Date.now() });
  return binding;
}

/**
 * Reads local D1 directly (what a test must check that no page shows), on the shard of the
 * shop the query names (`shop_id = N`, `domain = '…'`), as the app's directory places it;
 * a query naming no shop runs on the first database (the directory, shop-less tables).
 */
export async function d1(sql) {
  return d1On(shardOf(sql), sql);
}

/** Runs `sql` on one shard, by its binding (what a test of the shards themselves reads). */
export async function d1At(binding, sql) {
  return d1On(binding, sql);
}

/** Runs `wrangler kv key …` against local KV (the KV binding); returns its stdout. */
export function kv(...args) {
  return wranglerLocal(['kv', 'key', ...args, '--binding', 'KV']);
}

export async function until(what, fn, { timeoutMs = 30000, everyMs = 300 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    last = await fn();
    if (last) return last;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out waiting for ${what}`);
}

export const DEFAULT_SETTINGS = {
  low_stock_days: '14',
  overstock_days: '180',
  dead_stock_days: '90',
  lead_time_days: '7',
  service_level_pct: '95',
  service_level_a_pct: '98',
  service_level_c_pct: '90',
  digest_frequency: 'daily',
};

/**
 * Installs `shop` if needed (a session token triggers the token exchange) and waits until
 * its first sync has finished, so tests do not race the import.
 */
export async function ensureSynced(shop = DEMO) {
  return until(`${shop} sync`, async () => {
    const r = await serverFn('sync/status', {}, { shop });
    const runs = r.json ?? [];
    if (runs.some((x) => x.status === 'failed')) throw new Error(`sync failed: ${r.text}`);
    return runs.length === 2 && runs.every((x) => x.status === 'done') ? runs : undefined;
  }, { timeoutMs: 180000, everyMs: 1000 });
}

/** A full sync ("Sync now") of the shop `shopId` of `shop`, waited for: its catalogue and orders
 * runs both done (a failed one throws). */
export async function syncNow(shopId, shop = DEMO) {
  const [{ last }] = await d1(`SELECT COALESCE(MAX(id), 0) AS last FROM sync_runs WHERE shop_id = ${shopId}`);
  const started = await serverFn('sync/start', {}, { shop });
  if (started.status !== 200) throw new Error(`sync/start answered ${started.status}: ${started.text}`);
  await until('the sync to finish', async () => {
    const runs = await d1(`SELECT status FROM sync_runs WHERE shop_id = ${shopId} AND id > ${last}`);
    if (runs.some((r) => r.status === 'failed')) throw new Error('sync failed');
    return runs.length === 2 && runs.every((r) => r.status === 'done');
  }, { timeoutMs: 240000, everyMs: 2000 });
}

/** Debian's headless Chromium (never a downloaded browser), without background services. */
export async function launchBrowser() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A plain browser session signed in to `shop` through OAuth (the fake approves at once). */
export async function signedInContext(browser, { shop = DEMO, ...options } = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const page = await context.newPage();
  await page.goto(`${BASE}/auth?shop=${shop}`);
  await page.waitForURL(`${BASE}/app?**`);
  await page.close();
  return context;
}

/** Opens `path` in `context` and waits for hydration; `errors` collects page errors. */
export async function hydratedPage(context, path) {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(BASE + path);
  await page.waitForSelector('.app[data-hydrated="true"]', { timeout: 20000 });
  return { page, errors };
}

/** RFC 4180 rows (quoted fields may hold commas, quotes and line breaks). */
export function csvRows(text) {
  const rows = [];
  let row = [], field = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\r') continue;
    else if (c === '\n') { row.push(field); rows.push(row); row = []; field = ''; }
    else field += c;
  }
  if (field || row.length) { row.push(field); rows.push(row); }
  return rows;
}
