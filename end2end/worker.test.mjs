// Integration tests against the real Worker under local `wrangler dev` (workerd, local D1,
// KV and Queues), seeded with the demo shop. Started by scripts/test.sh.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, FAKE, get, serverFn, until, ensureSynced, DEFAULT_SETTINGS } from './helpers.mjs';

before(async () => {
  await ensureSynced();
  // The first recalculation follows the import.
  await until('first alerts', async () => (await serverFn('dashboard')).json?.rows?.length > 0, { timeoutMs: 60000 });
});

// Requests act for the demo shop with a session token from the fake admin, unless a
// test says otherwise.

test('the dashboard is server-rendered from D1 with risks ranked by urgency', async () => {
  const { res, text } = await get('/app');
  assert.equal(res.status, 200);
  assert.match(text, /<h1>Dashboard<\/h1>/);
  assert.match(text, /Demo Outfitters/);
  // Every card, with a count.
  for (const label of ['Out of stock', 'Reorder now', 'Low stock', 'Overstock', 'Dead stock']) {
    assert.match(text, new RegExp(`class="card-label"[^>]*>${label}(?:<!>)?</span>[\\s\\S]{0,40}?class="card-count"[^>]*>\\d+(?:<!>)?</span>`));
  }
  // Hydration markers may stand between the label and the count.
  const outCount = Number(text.match(/Out of stock(?:<!>)?<\/span>[\s\S]{0,40}?class="card-count"[^>]*>(\d+)/)[1]);
  assert.ok(outCount > 0, 'the demo shop has stockouts');
  // The table opens with what is out of stock, ordered by money lost per day.
  const badges = [...text.matchAll(/class="badge badge-(\w+)">/g)].map((m) => m[1]);
  assert.ok(badges.length > 10, `rows rendered: ${badges.length}`);
  assert.equal(badges[0], 'critical');
  const losses = [...text.matchAll(/Losing \$([\d,]+\.\d\d) a day/g)].map((m) => Number(m[1].replaceAll(',', '')));
  assert.deepEqual(losses, [...losses].sort((a, b) => b - a));
  // The wasm is referenced and served by static assets.
  assert.match(text, /\/pkg\/stock_sentry\.js/);
  const wasm = await fetch(`${BASE}/pkg/stock_sentry_bg.wasm`);
  assert.equal(wasm.status, 200);
  assert.equal(wasm.headers.get('content-type'), 'application/wasm');
});

test('embedded pages may be framed only by the shop and the Shopify admin', async () => {
  const { res } = await get('/app?shop=acme-store.myshopify.com', { shop: null });
  // Locally the (fake) admin is the fake Shopify's origin; in production admin.shopify.com.
  assert.equal(res.headers.get('content-security-policy'), `frame-ancestors https://acme-store.myshopify.com ${FAKE};`);
  const forged = await get('/app?shop=evil.example.com', { shop: null });
  assert.equal(
    forged.res.headers.get('content-security-policy'),
    `frame-ancestors ${FAKE};`,
  );
});

test('settings round-trip through a server function to D1 and back into the page', async () => {
  const saved = await serverFn('save_settings', { ...DEFAULT_SETTINGS, low_stock_days: '23', lead_time_days: '11' });
  assert.equal(saved.status, 200, saved.text);
  assert.equal(saved.json.low_stock_days, 23);
  const read = await serverFn('settings');
  assert.equal(read.status, 200);
  assert.equal(read.json.settings.lead_time_days, 11);
  const page = await get('/app/settings');
  assert.match(page.text, /id="low_stock_days" name="low_stock_days"[^>]*value="23"/);
  await serverFn('save_settings', DEFAULT_SETTINGS);
});

test('bad settings get a message at the field and nothing is saved', async () => {
  await serverFn('save_settings', DEFAULT_SETTINGS);
  const bad = await serverFn('save_settings', { ...DEFAULT_SETTINGS, low_stock_days: 'ten', lead_time_days: '900', overstock_days: '20' });
  assert.equal(bad.status, 422);
  const fields = Object.fromEntries(bad.json.Invalid.map((e) => [e.field, e.message]));
  assert.equal(fields.low_stock_days, 'Enter a whole number of days, like 14.');
  assert.equal(fields.lead_time_days, 'Enter a number of days from 0 to 180.');
  const read = await serverFn('settings');
  assert.equal(read.json.settings.low_stock_days, 14);
  assert.equal(read.json.settings.lead_time_days, 7);
  assert.equal(read.json.settings.overstock_days, 180);
});

test('changing thresholds changes what the dashboard flags', async () => {
  const count = (html, label) => Number(html.match(new RegExp(`${label}(?:<!>)?</span>[\\s\\S]{0,40}?class="card-count"[^>]*>(\\d+)`))[1]);
  await serverFn('save_settings', DEFAULT_SETTINGS);
  const before = count((await get('/app')).text, 'Overstock');
  await serverFn('save_settings', { ...DEFAULT_SETTINGS, overstock_days: '60' });
  // Saving settings recalculates at once (through the jobs queue).
  const after = await until('recalculation with the new threshold', async () => {
    const n = count((await get('/app')).text, 'Overstock');
    return n > before ? n : undefined;
  });
  await serverFn('save_settings', DEFAULT_SETTINGS);
  assert.ok(after > before, `overstock at 60 days (${after}) should exceed overstock at 180 days (${before})`);
});

test('help articles render from the Markdown in the repository', async () => {
  const index = await get('/help');
  assert.equal(index.res.status, 200);
  for (const title of ['Getting started', 'How alerts work', 'Settings reference']) assert.match(index.text, new RegExp(title));
  const article = await get('/help/how-alerts-work');
  assert.equal(article.res.status, 200);
  assert.match(article.text, /<h2>Days of cover<\/h2>/);
  assert.match(article.text, /<table>/);
  assert.match(article.text, /min read/);
});

test('unknown routes and articles are real 404 pages', async () => {
  for (const path of ['/no/such/page', '/help/no-such-article']) {
    const { res, text } = await get(path);
    assert.equal(res.status, 404, path);
    assert.match(text, /Page not found/);
    assert.match(text, /href="\/help"/);
  }
});

test('help pages are kept in the edge cache per deploy; app pages and 404s never are', async () => {
  // A URL no earlier request used, so the first answer is rendered by the app.
  const path = `/help/how-alerts-work?probe=${crypto.randomUUID()}`;
  const first = await get(path, { shop: null });
  assert.equal(first.res.status, 200);
  assert.equal(first.res.headers.get('x-edge-cache'), 'miss');
  const second = await get(path, { shop: null });
  assert.equal(second.res.status, 200);
  assert.equal(second.res.headers.get('x-edge-cache'), 'hit');
  assert.equal(second.text, first.text);
  assert.match(second.res.headers.get('cache-control'), /public, max-age=300, s-maxage=3600/);
  assert.match(second.res.headers.get('content-security-policy') ?? '', /frame-ancestors/);
  for (const [p, shop] of [['/app', undefined], ['/help/no-such-article', null]]) {
    for (let i = 0; i < 2; i++) {
      const r = await get(p, { shop });
      assert.equal(r.res.headers.get('x-edge-cache'), null, `${p} is never served from the edge cache`);
    }
  }
});

test('an unknown server function is refused, not a crash', async () => {
  const r = await serverFn('no_such_function');
  assert.ok(r.status >= 400 && r.status < 500, `status ${r.status}`);
  const alive = await get('/help');
  assert.equal(alive.res.status, 200);
});

const SCHEDULE = {
  '0 2 * * *': 'recalculate_alerts',
  '0 * * * *': 'send_digests',
  '0 3 * * SUN': 'refit_seasonality',
  '0 4 * * SUN': 'cleanup',
};

async function jobRuns() {
  const r = await serverFn('jobs/recent');
  assert.equal(r.status, 200, r.text);
  return r.json;
}

test('each cron trigger records a job run that the queue consumer completes', async () => {
  for (const [cron, job] of Object.entries(SCHEDULE)) {
    const fired = await fetch(`${BASE}/__scheduled?cron=${encodeURIComponent(cron).replaceAll('%20', '+')}`);
    assert.equal(fired.status, 200, `firing ${cron}`);
    // The jobs queue may still be busy with earlier tests' syncs and recalculations.
    const run = await until(`${job} to be consumed`, async () =>
      (await jobRuns()).find((r) => r.job === job && r.status === 'done'),
    { timeoutMs: 120000, everyMs: 1000 });
    assert.ok(run.slot.startsWith(`${job}@`));
    assert.ok(run.finished_at);
  }
});

test('a cron delivered twice for the same minute runs once', async () => {
  const minute = () => new Date().toISOString().slice(0, 16);
  let start;
  let end;
  let runs;
  // Retry if the two firings straddle a minute boundary.
  for (let attempt = 0; attempt < 3; attempt++) {
    start = minute();
    await fetch(`${BASE}/__scheduled?cron=0+*+*+*+*`);
    await fetch(`${BASE}/__scheduled?cron=0+*+*+*+*`);
    end = minute();
    if (start === end) {
      runs = await until('digest run', async () => {
        const all = (await jobRuns()).filter((r) => r.slot === `send_digests@${start}Z`);
        return all.length ? all : undefined;
      });
      break;
    }
  }
  assert.ok(runs, 'could not fire twice within one minute');
  await new Promise((r) => setTimeout(r, 1000));
  const again = (await jobRuns()).filter((r) => r.slot === `send_digests@${start}Z`);
  assert.equal(again.length, 1);
});

test('the health endpoint proves D1, KV and the queue binding answer', async () => {
  const { res, text } = await get('/healthz');
  assert.equal(res.status, 200, text);
  assert.deepEqual(JSON.parse(text), { ok: true, d1: 'ok', kv: 'ok', queue: 'ok' });
});

test('the reorder list groups what to order by supplier and downloads as a CSV purchase order', async () => {
  const r = await serverFn('reorder', {});
  assert.equal(r.status, 200, r.text);
  assert.ok(r.json.orders.length > 0, 'the demo shop has something to reorder');
  const suppliers = r.json.orders.map((o) => o.supplier);
  assert.deepEqual(suppliers, [...suppliers].sort());
  for (const o of r.json.orders) {
    assert.ok(o.lines.every((l) => l.suggested_qty > 0));
  }
  const lines = r.json.csv.trim().split('\r\n');
  assert.equal(lines[0], 'supplier,sku,supplier_sku,product,variant,location,on_hand,incoming,order_qty,unit_cost');
  assert.equal(lines.length - 1, r.json.orders.reduce((n, o) => n + o.lines.length, 0));
  // More days of cover, more to order.
  const longer = await serverFn('reorder', { cover_days: '90' });
  const units = (x) => x.orders.flatMap((o) => o.lines).reduce((n, l) => n + l.suggested_qty, 0);
  assert.ok(units(longer.json) > units(r.json));
  const page = await get('/app/reorder');
  assert.equal(page.res.status, 200);
  assert.match(page.text, /Download purchase order \(CSV\)/);
  assert.match(page.text, /href="data:text\/csv;charset=utf-8,supplier%2Csku/);
});
