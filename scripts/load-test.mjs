// The load phases of scripts/load-test.sh, with autocannon (package.json devDependencies).
// Env: BASE_URL, FAKE_URL, SHOP, API_SECRET, LEVELS (JSON [[inventory_item_id, location_id], …]),
// DURATION (s, ≤ 15), CONNECTIONS (SSR; the others use half). Prints one table and writes
// JSON results to LOAD_OUT if set. Exits non-zero if any phase saw errors or non-2xx answers.
// Ends with issue 20's request-path goals, each beside its figure: dashboard SSR throughput
// as a share of the static-asset baseline's (same run), the dashboard's p50 with one
// connection (what one merchant waits), and the dashboard's HTML bytes.
import autocannon from 'autocannon';
import { createHmac, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';

const BASE = process.env.BASE_URL;
const FAKE = process.env.FAKE_URL;
const SHOP = process.env.SHOP ?? 'demo-outfitters.myshopify.com';
const SECRET = process.env.API_SECRET;
const LEVELS = JSON.parse(process.env.LEVELS ?? '[]');
const DURATION = Math.min(Number(process.env.DURATION ?? 10), 15);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 32);
for (const [k, v] of Object.entries({ BASE, FAKE, SECRET })) if (!v) throw new Error(`${k} is not set`);
for (const u of [BASE, FAKE]) {
  const host = new URL(u).hostname;
  if (host !== '127.0.0.1' && host !== 'localhost') throw new Error(`refusing to load-test a non-loopback host: ${u}`);
}
if (LEVELS.length === 0) throw new Error('LEVELS is empty: no inventory levels to send webhooks for');

// Session tokens live 60 s: refresh every 30 s; every request reads the current one.
let token = '';
async function refreshToken() {
  const res = await fetch(`${FAKE}/_fake/session-token?shop=${SHOP}`);
  if (!res.ok) throw new Error(`session token: ${res.status}`);
  token = (await res.json()).token;
}
await refreshToken();
const refresher = setInterval(() => refreshToken().catch((e) => console.error(e.message)), 30_000);

// Warm up: the first request of a wrangler dev session is slow, and the first session token
// for a shop installs it (token exchange with the fake). Not measured.
for (const path of ['/help', '/app']) {
  const res = await fetch(BASE + path, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`warm-up ${path}: ${res.status} ${(await res.text()).slice(0, 200)}`);
}

let n = 0;
function webhookRequest(req) {
  const [item, location] = LEVELS[n++ % LEVELS.length];
  const body = JSON.stringify({
    inventory_item_id: item,
    location_id: location,
    available: (n * 7) % 50,
    updated_at: new Date().toISOString().replace('Z', '+00:00'),
    admin_graphql_api_id: `gid://shopify/InventoryLevel/${location}?inventory_item_id=${item}`,
  });
  req.body = body;
  req.headers = {
    ...req.headers,
    'content-type': 'application/json',
    'x-shopify-topic': 'inventory_levels/update',
    'x-shopify-hmac-sha256': createHmac('sha256', SECRET).update(body).digest('base64'),
    'x-shopify-shop-domain': SHOP,
    'x-shopify-webhook-id': randomUUID(),
    'x-shopify-api-version': '2026-10',
    'x-shopify-triggered-at': new Date().toISOString(),
  };
  return req;
}
const withToken = (req) => {
  req.headers = { ...req.headers, authorization: `Bearer ${token}` };
  return req;
};

const phases = [
  // The harness's own ceiling: a static asset, answered by wrangler dev's asset server
  // without running the Worker. No Worker route can be faster than this on this machine.
  { name: 'baseline: static asset (GET /pkg/stock_sentry.css)', connections: CONNECTIONS, requests: [{ method: 'GET', path: '/pkg/stock_sentry.css' }] },
  { name: 'dashboard SSR (GET /app)', connections: CONNECTIONS, requests: [{ method: 'GET', path: '/app', setupRequest: withToken }] },
  { name: 'dashboard SSR, one connection (GET /app)', connections: 1, requests: [{ method: 'GET', path: '/app', setupRequest: withToken }] },
  {
    name: 'server fn (POST /api/settings)',
    connections: Math.max(1, CONNECTIONS / 2),
    requests: [{ method: 'POST', path: '/api/settings', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body: '', setupRequest: withToken }],
  },
  { name: 'help article (GET /help/how-alerts-work)', connections: Math.max(1, CONNECTIONS / 2), requests: [{ method: 'GET', path: '/help/how-alerts-work' }] },
  { name: 'webhook (POST /webhooks/inventory_levels/update)', connections: Math.max(1, CONNECTIONS / 2), requests: [{ method: 'POST', path: '/webhooks/inventory_levels/update', setupRequest: webhookRequest }] },
];

// autocannon's summary has p90 and p97.5 but no p95: percentiles come from every
// response time of the phase instead.
const pct = (sorted, q) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((q / 100) * sorted.length) - 1)] : NaN);
const results = [];
let failed = false;
for (const p of phases) {
  const times = [];
  const instance = autocannon({ url: BASE, duration: DURATION, connections: p.connections, requests: p.requests, timeout: 30 });
  instance.on('response', (_client, _status, _bytes, ms) => times.push(ms));
  const r = await instance;
  times.sort((a, b) => a - b);
  const bad = r.errors + r.timeouts + r.non2xx;
  failed ||= bad > 0 || r.requests.total === 0;
  results.push({
    phase: p.name,
    conns: p.connections,
    requests: r.requests.total,
    'req/s': Math.round((r.requests.total / r.duration) * 10) / 10,
    'p50 ms': Math.round(pct(times, 50) * 10) / 10,
    'p95 ms': Math.round(pct(times, 95)),
    'p99 ms': Math.round(pct(times, 99)),
    'bad (non-2xx, errors, timeouts)': bad,
  });
  console.error(`[load] ${p.name}: ${r.requests.total} requests, ${bad} bad`);
}
// The dashboard's HTML as the phases received it (the seeded shop's first page of alerts).
const page = await fetch(`${BASE}/app`, { headers: { authorization: `Bearer ${token}` } });
const htmlBytes = Buffer.byteLength(await page.text());
clearInterval(refresher);
console.table(results);

// Issue 20, "Request-path cost": each figure beside its goal.
const phase = (name) => results.find((r) => r.phase === name);
const baseline = phase(phases[0].name);
const ssr = phase(phases[1].name);
const single = phase(phases[2].name);
const share = (100 * ssr['req/s']) / baseline['req/s'];
const goals = [
  { goal: 'dashboard SSR throughput, % of the static-asset baseline', measured: `${share.toFixed(1)} % (${ssr['req/s']} / ${baseline['req/s']} req/s)`, target: '>= 25 %', met: share >= 25 },
  { goal: 'dashboard p50, one connection', measured: `${single['p50 ms']} ms`, target: '<= 15 ms', met: single['p50 ms'] <= 15 },
  { goal: 'dashboard HTML (50 alerts a page)', measured: `${htmlBytes} bytes`, target: '<= 61440 bytes (60 KB)', met: htmlBytes <= 61440 },
];
console.table(goals.map((g) => ({ ...g, met: g.met ? 'yes' : 'NO' })));
if (process.env.LOAD_OUT) writeFileSync(process.env.LOAD_OUT, JSON.stringify({ phases: results, goals: goals.map((g) => ({ ...g })), dashboard_html_bytes: htmlBytes }, null, 2) + '\n');
process.exit(failed ? 1 : 0);
