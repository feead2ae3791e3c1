// The Shopify integration against the fake Shopify: install (OAuth and token exchange),
// sessions, webhooks (authenticity, malformed, duplicates, order, bursts, compliance) and
// the sync through bulk exports, with faults injected.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { before } from 'node:test';
import {
  BASE, FAKE, DEMO, OTHER, API_KEY, get, serverFn, fake, fakeLong, webhook, d1, kv, until, forgeToken, ensureSynced, launchBrowser,
} from './helpers.mjs';

const syncDone = ensureSynced;

// The demo shop is installed (token exchange) and synced before anything else touches it.
before(async () => {
  await ensureSynced(DEMO);
});

async function shopId(domain) {
  const rows = await d1(`SELECT id FROM shops WHERE domain = '${domain}'`);
  return rows[0]?.id;
}

test('OAuth installs a shop, keeps its token sealed, and signs the merchant in', async () => {
  const jar = [];
  const follow = async (url) => {
    const res = await fetch(url, { redirect: 'manual', headers: { cookie: jar.join('; ') } });
    for (const c of res.headers.getSetCookie()) jar.push(c.split(';')[0]);
    return res;
  };
  const begin = await follow(`${BASE}/auth?shop=${OTHER}`);
  assert.equal(begin.status, 302);
  const consent = new URL(begin.headers.get('location'));
  assert.equal(consent.searchParams.get('client_id'), API_KEY);
  const approved = await fetch(consent, { redirect: 'manual' });
  const callback = approved.headers.get('location');
  assert.match(callback, /\/auth\/callback\?code=/);
  // The same callback with a tampered shop is refused.
  const tampered = await follow(callback.replace(`shop=${OTHER}`, `shop=${DEMO}`));
  assert.equal(tampered.status, 401);
  const done = await follow(callback);
  assert.equal(done.status, 302, await done.text());
  assert.match(done.headers.get('location'), /^\/app\?shop=alpine-threads/);
  // Replaying the callback (state already used) is refused.
  assert.equal((await follow(callback)).status, 401);
  // The session cookie now proves the shop.
  const dash = await fetch(`${BASE}/api/dashboard`, { method: 'POST', headers: { cookie: jar.join('; '), accept: 'application/json' } });
  assert.equal(dash.status, 200);
  assert.equal((await dash.json()).shop_name, 'Alpine Threads');
  const [row] = await d1(`SELECT access_token FROM shops WHERE domain = '${OTHER}'`);
  assert.match(row.access_token, /^v1:/);
  assert.doesNotMatch(row.access_token, /shpat|shpca/);
});

test('the first visit after an install shows the import, then the alerts, without a reload', async () => {
  // A real first visit, whatever ran before in this stack: the merchant uninstalls and the
  // shop's data is erased (shop/redact), then the app is opened from the admin again (Shopify's
  // managed install: the page's session token is exchanged for a token, and the install queues
  // a full import before the page renders).
  const id = await shopId(OTHER);
  await fake('/_fake/uninstall', { shop: OTHER });
  await until('uninstall applied', async () => (await d1(`SELECT uninstalled_at FROM shops WHERE id = ${id}`))[0]?.uninstalled_at || undefined);
  await fake('/_fake/webhook', { shop: OTHER, topic: 'shop/redact' });
  await until('shop erased', async () => (await d1(`SELECT COUNT(*) AS n FROM shops WHERE id = ${id}`))[0].n === 0);
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    let loads = 0;
    page.on('framenavigated', (f) => { if (f !== page.mainFrame()) loads += 1; });
    await page.goto(`${FAKE}/admin/${OTHER}/apps/stock-sentry`);
    const frame = page.frameLocator('iframe');
    // The progress shows from the first view (not "not imported yet"), and stays once hydrated.
    await frame.locator('.banner.sync progress').first().waitFor({ timeout: 30000 });
    assert.equal(await frame.getByText('has not been imported yet').count(), 0);
    await frame.locator('.app[data-hydrated="true"]').waitFor({ timeout: 30000 });
    const loadsBefore = loads;
    // Then the alerts arrive in the same page: no reload, no navigation.
    await frame.locator('.alert-table tbody tr:not([hidden])').first().waitFor({ timeout: 180000 });
    await frame.locator('.banner.sync').first().waitFor({ state: 'detached', timeout: 30000 });
    await frame.getByText(/Synced with Shopify/).waitFor();
    assert.equal(loads, loadsBefore, 'the frame did not navigate');
    assert.deepEqual(errors, []);
    const [{ uninstalled_at: after }] = await d1(`SELECT uninstalled_at FROM shops WHERE id = ${id}`);
    assert.equal(after, null, 'the visit installed the shop again');
  } finally {
    await browser.close();
  }
});

test('the install imports the catalogue and a year of orders through bulk exports', async () => {
  const runs = await syncDone(OTHER);
  assert.ok(runs.find((r) => r.kind === 'catalog').objects_done > 1000);
  assert.ok(runs.find((r) => r.kind === 'orders').objects_done > 10000);
  const id = await shopId(OTHER);
  const [{ n: variants }] = await d1(`SELECT COUNT(*) AS n FROM variants WHERE shop_id = ${id}`);
  const [{ n: days }] = await d1(`SELECT COUNT(DISTINCT day) AS n FROM daily_sales WHERE shop_id = ${id}`);
  assert.ok(variants >= 500, `${variants} variants`);
  assert.ok(days >= 360, `${days} days of sales`);
  // The recalculation the import queues fills the dashboard.
  const dash = await until('alerts for the imported shop', async () => {
    const d = await serverFn('dashboard', {}, { shop: OTHER });
    return d.json?.rows?.length > 0 ? d : undefined;
  }, { timeoutMs: 60000 });
  assert.equal(dash.json.shop_name, 'Alpine Threads');
});

test('every request is scoped to the shop its session proves', async () => {
  const mine = await serverFn('dashboard', { shop: DEMO, shop_domain: DEMO }, { shop: OTHER });
  assert.equal(mine.json.shop_domain, OTHER);
  const page = await get(`/app?shop=${DEMO}`, { shop: OTHER });
  assert.match(page.text, /Alpine Threads/);
  assert.doesNotMatch(page.text, /Demo Outfitters/);
});

test('missing, forged, expired and foreign session tokens are refused', async () => {
  assert.equal((await serverFn('dashboard', {}, { shop: null })).status, 401);
  const now = Math.floor(Date.now() / 1000);
  const claims = { iss: `https://${DEMO}/admin`, dest: `https://${DEMO}`, aud: API_KEY, sub: '1', exp: now + 60, nbf: now, iat: now, jti: 'x', sid: 'y' };
  const bearer = (t) => ({ headers: { authorization: `Bearer ${t}` }, shop: null });
  assert.equal((await serverFn('dashboard', {}, bearer(forgeToken(claims)))).status, 200);
  assert.equal((await serverFn('dashboard', {}, bearer(forgeToken(claims, 'not-the-secret')))).status, 401);
  assert.equal((await serverFn('dashboard', {}, bearer(forgeToken({ ...claims, exp: now - 120, nbf: now - 180 })))).status, 401);
  assert.equal((await serverFn('dashboard', {}, bearer(forgeToken({ ...claims, aud: 'another-app' })))).status, 401);
  assert.equal((await serverFn('dashboard', {}, bearer(forgeToken({ ...claims, dest: 'https://evil.example.com' })))).status, 401);
  assert.equal((await serverFn('dashboard', {}, bearer('not.a.jwt'))).status, 401);
  const page = await get('/app', { shop: null });
  assert.equal(page.res.status, 401);
  assert.match(page.text, /Log in/);
});

test('a forged webhook gets 401, a malformed one 400, and neither changes anything', async () => {
  const id = await shopId(DEMO);
  const [{ n: before }] = await d1(`SELECT COUNT(*) AS n FROM webhook_events WHERE shop_id = ${id}`);
  const forged = await webhook('inventory_levels/update', { inventory_item_id: 1, location_id: 1, available: 5, updated_at: new Date().toISOString() }, { secret: 'wrong' });
  assert.equal(forged.status, 401);
  const malformed = await webhook('inventory_levels/update', null, { raw: '{"inventory_item_id": "oops"' });
  assert.equal(malformed.status, 400);
  const wrongShape = await webhook('orders/create', { id: 'not-a-number' });
  assert.equal(wrongShape.status, 400);
  const unknownTopic = await webhook('carts/update', { id: 1 });
  assert.equal(unknownTopic.status, 400);
  await new Promise((r) => setTimeout(r, 1500));
  const [{ n: after }] = await d1(`SELECT COUNT(*) AS n FROM webhook_events WHERE shop_id = ${id}`);
  assert.equal(after, before);
});

test('inventory webhooks apply once, and an older update never overwrites a newer one', async () => {
  const id = await shopId(DEMO);
  const [level] = await d1(`SELECT v.inventory_item_id AS item, l.location_id AS loc, l.variant_id AS variant
    FROM inventory_levels l JOIN variants v ON v.shop_id = l.shop_id AND v.id = l.variant_id WHERE l.shop_id = ${id} LIMIT 1`);
  const at = (s) => new Date(Date.now() + s * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
  // Both over three hours in the past, so later tests' updates of this level still win —
  // the burst below backdates its events by up to 10,001 s.
  const newer = { inventory_item_id: level.item, location_id: level.loc, available: 77, updated_at: at(-12000) };
  const older = { ...newer, available: 3, updated_at: at(-12300) };
  const webhookId = crypto.randomUUID();
  assert.equal((await webhook('inventory_levels/update', newer, { id: webhookId })).status, 200);
  assert.equal((await webhook('inventory_levels/update', newer, { id: webhookId })).status, 200);
  assert.equal((await webhook('inventory_levels/update', older)).status, 200);
  await until('levels applied', async () => {
    const [{ n }] = await d1(`SELECT COUNT(*) AS n FROM webhook_events WHERE webhook_id = '${webhookId}'`);
    return n === 1;
  });
  await new Promise((r) => setTimeout(r, 1500));
  const [now] = await d1(`SELECT available FROM inventory_levels WHERE shop_id = ${id} AND variant_id = ${level.variant} AND location_id = ${level.loc}`);
  assert.equal(now.available, 77);
});

test('a burst of 10,000 webhooks with 10% duplicates, shuffled and concurrent, ends in exactly the right state', async () => {
  const id = await shopId(DEMO);
  const [{ n: ordersBefore }] = await d1(`SELECT COUNT(*) AS n FROM orders_seen WHERE shop_id = ${id}`);
  const unitsSold = async () => (await d1(`SELECT COALESCE(SUM(units_sold), 0) AS n FROM daily_sales WHERE shop_id = ${id}`))[0].n;
  const unitsBefore = await unitsSold();
  const [{ n: eventsBefore }] = await d1(`SELECT COUNT(*) AS n FROM webhook_events WHERE shop_id = ${id}`);
  const started = Date.now();
  const burst = await fakeLong('/_fake/burst', { shop: DEMO, count: 10000, duplicate_percent: 10, seed: 7, parallel: 8 });
  const sentSecs = (Date.now() - started) / 1000;
  const exp = burst.expected;
  assert.ok(exp.duplicates >= 900, `${exp.duplicates} duplicates`);
  assert.ok(burst.sent.every((d) => d.status === 200), 'every delivery acknowledged');
  const ids = [...new Set(burst.sent.map((d) => d.webhook_id))];
  assert.equal(ids.length, exp.unique_webhooks);
  // Counted by shop (10,000 ids do not fit a command line); nothing else sends to the
  // demo shop while this test runs. Equal, not at least: each applied exactly once.
  const applied = async () => (await d1(`SELECT COUNT(*) AS n FROM webhook_events WHERE shop_id = ${id}`))[0].n - eventsBefore;
  await until('burst applied', async () => (await applied()) >= exp.unique_webhooks, { timeoutMs: 900000, everyMs: 5000 });
  await new Promise((r) => setTimeout(r, 3000));
  assert.equal(await applied(), exp.unique_webhooks, 'each webhook applied once');
  const retried = burst.sent.filter((d) => d.attempts > 1).length;
  console.log(`# burst: ${burst.sent.length} deliveries in ${sentSecs.toFixed(1)} s (${(burst.sent.length / sentSecs).toFixed(0)}/s, ${retried} retried after a 503), all applied after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const [{ n: ordersAfter }] = await d1(`SELECT COUNT(*) AS n FROM orders_seen WHERE shop_id = ${id}`);
  assert.equal(ordersAfter - ordersBefore, exp.orders_created.length);
  // Each order counted once: units sold grew by exactly the units ordered.
  const ordered = exp.orders_created.reduce((sum, o) => sum + o.quantity, 0);
  assert.equal((await unitsSold()) - unitsBefore, ordered);
  const levels = await d1(`SELECT variant_id, location_id, available FROM inventory_levels WHERE shop_id = ${id}`);
  const actual = new Map(levels.map((l) => [`${l.variant_id}:${l.location_id}`, l.available]));
  for (const l of exp.levels) {
    assert.equal(actual.get(`${l.variant_id}:${l.location_id}`), l.available, `level ${l.variant_id}@${l.location_id}`);
  }
});

test('the sync survives 429s, 5xx and throttling from Shopify', async () => {
  // Two failures in a row: the third attempt of the same call succeeds. Then a THROTTLED.
  await fake('/_fake/faults', { shop: OTHER, kind: '429', count: 1, retry_after_secs: 1 });
  await fake('/_fake/faults', { shop: OTHER, kind: '503', count: 1 });
  const started = await serverFn('sync/start', {}, { shop: OTHER });
  assert.equal(started.status, 200, started.text);
  await until('a new sync to start', async () => {
    const r = await serverFn('sync/status', {}, { shop: OTHER });
    return r.json.some((x) => x.status === 'running');
  }, { timeoutMs: 60000 });
  await fake('/_fake/faults', { shop: OTHER, kind: 'throttled', count: 1 });
  await syncDone(OTHER);
  const faults = await fake(`/_fake/faults?shop=${OTHER}`);
  assert.equal((faults.faults ?? faults).length ?? 0, 0, 'every injected fault was consumed');
});

/** Starts a sync of `shop` and waits until it has run to the end. */
async function syncAgain(shop) {
  assert.equal((await serverFn('sync/start', {}, { shop })).status, 200);
  await until('a new sync to start', async () => (await serverFn('sync/status', {}, { shop })).json.some((x) => x.status === 'running'), { timeoutMs: 60000 });
  await syncDone(shop);
}

test('a sync reads locations through the KV API cache, fresh for five minutes', async () => {
  const id = await shopId(OTHER);
  // From an empty cache (an earlier test's sync may have filled it minutes ago).
  for (const k of JSON.parse(kv('list', '--prefix', `api:${OTHER}:`))) kv('delete', k.name);
  await syncAgain(OTHER);
  const keys = JSON.parse(kv('list', '--prefix', `api:${OTHER}:`));
  assert.equal(keys.length, 1, 'one cached read: the locations page');
  const ttl = keys[0].expiration - Date.now() / 1000;
  assert.ok(ttl > 200 && ttl <= 301, `expires in about five minutes (${ttl.toFixed(0)} s)`);
  const cached = JSON.parse(kv('get', keys[0].name));
  const names = (await d1(`SELECT name FROM locations WHERE shop_id = ${id} ORDER BY name`)).map((l) => l.name);
  assert.deepEqual(cached.locations.nodes.map((l) => l.name).sort(), names);
  // The next sync within five minutes takes them from the cache, not from Shopify: a name
  // changed in the cache is the name D1 gets.
  cached.locations.nodes[0].name = 'Cached Location';
  kv('put', keys[0].name, JSON.stringify(cached), '--ttl', '300');
  await syncAgain(OTHER);
  assert.equal((await d1(`SELECT COUNT(*) AS n FROM locations WHERE shop_id = ${id} AND name = 'Cached Location'`))[0].n, 1);
  // Forgotten, the next sync asks Shopify again.
  kv('delete', keys[0].name);
  await syncAgain(OTHER);
  assert.deepEqual((await d1(`SELECT name FROM locations WHERE shop_id = ${id} ORDER BY name`)).map((l) => l.name), names);
});

test('a Shopify outage during a sync is retried, then shown as failed; the data stays', async () => {
  const id = await shopId(OTHER);
  const [{ n: before }] = await d1(`SELECT COUNT(*) AS n FROM variants WHERE shop_id = ${id}`);
  // More failures than three attempts can absorb.
  await fake('/_fake/faults', { shop: OTHER, kind: '503', count: 6 });
  assert.equal((await serverFn('sync/start', {}, { shop: OTHER })).status, 200);
  const failed = await until('the sync to fail', async () => {
    const r = await serverFn('sync/status', {}, { shop: OTHER });
    return r.json.find((x) => x.status === 'failed');
  }, { timeoutMs: 60000 });
  assert.match(failed.error, /Shopify did not answer: .*503/);
  const page = await get('/app', { shop: OTHER });
  assert.match(page.text, /The import of products and inventory stopped/);
  assert.match(page.text, /Try again/);
  const [{ n: after }] = await d1(`SELECT COUNT(*) AS n FROM variants WHERE shop_id = ${id}`);
  assert.equal(after, before);
  await fetch(`${FAKE}/_fake/faults?shop=${OTHER}`, { method: 'DELETE' });
});

test('a shop domain that is not *.myshopify.com is refused with 400', async () => {
  for (const shop of ['evil.example.com', 'demo.myshopify.com.evil.com', '']) {
    const res = await fetch(`${BASE}/auth?shop=${encodeURIComponent(shop)}`, { redirect: 'manual' });
    assert.equal(res.status, 400, shop);
  }
  const hook = await webhook('orders/create', { id: 1, line_items: [] }, { shop: 'evil.example.com' });
  assert.equal(hook.status, 400);
});

test('shop/redact erases every row of the shop; compliance requests are acknowledged', async () => {
  for (const topic of ['customers/data_request', 'customers/redact']) {
    await fake('/_fake/webhook', { shop: OTHER, topic });
  }
  const id = await shopId(OTHER);
  // An import is running when the merchant uninstalls, and the shop is erased after.
  const [{ last }] = await d1(`SELECT COALESCE(MAX(id), 0) AS last FROM sync_runs WHERE shop_id = ${id}`);
  assert.equal((await serverFn('sync/start', {}, { shop: OTHER })).status, 200);
  await until('the orders import running', async () =>
    ((await d1(`SELECT 1 AS x FROM sync_runs WHERE shop_id = ${id} AND id > ${last} AND kind = 'orders' AND status = 'running'`)).length ? true : undefined),
  { timeoutMs: 120000, everyMs: 500 });
  await fake('/_fake/uninstall', { shop: OTHER });
  // The token is dropped at once (Shopify has revoked it); the data waits for shop/redact.
  await until('uninstall applied', async () => {
    const [row] = await d1(`SELECT uninstalled_at, access_token FROM shops WHERE id = ${id}`);
    return row?.uninstalled_at && row.access_token === null;
  });
  const [{ n: kept }] = await d1(`SELECT COUNT(*) AS n FROM variants WHERE shop_id = ${id}`);
  assert.ok(kept > 0);
  // Its imports' staged rows carry the run, not the shop: they go with the runs.
  const runs = (await d1(`SELECT id FROM sync_runs WHERE shop_id = ${id}`)).map((r) => r.id);
  const running = await d1(`SELECT COUNT(*) AS n FROM sync_runs WHERE shop_id = ${id} AND status IN ('queued', 'running')`);
  assert.equal(running[0].n, 0, 'uninstall stops a running import');
  // A cached API read of the shop, and a large webhook body still waiting for the consumer,
  // go with its data, not when they expire.
  kv('put', `api:${OTHER}:redact-probe`, '{}', '--ttl', '300');
  kv('put', `webhook-body:${OTHER}:redact-probe`, '{"id":1}', '--ttl', '300');
  await fake('/_fake/webhook', { shop: OTHER, topic: 'shop/redact' });
  const tables = ['daily_sales', 'inventory_levels', 'variants', 'products', 'locations', 'alerts', 'orders_seen', 'refunds_seen', 'sync_runs', 'webhook_events', 'settings'];
  await until('shop erased', async () => (await d1(`SELECT COUNT(*) AS n FROM shops WHERE id = ${id}`))[0].n === 0);
  // Steps of the stopped import that were under way finish without writing anything back.
  await new Promise((r) => setTimeout(r, 8000));
  for (const t of tables) {
    const [{ n }] = await d1(`SELECT COUNT(*) AS n FROM ${t} WHERE shop_id = ${id}`);
    assert.equal(n, 0, `${t} still holds rows of the erased shop`);
  }
  if (runs.length) {
    const [{ n: staged }] = await d1(`SELECT COUNT(*) AS n FROM import_sales WHERE run_id IN (${runs.join(',')})`);
    assert.equal(staged, 0, 'staged import rows erased');
  }
  await until('cached API reads erased', async () => JSON.parse(kv('list', '--prefix', `api:${OTHER}:`)).length === 0);
  assert.deepEqual(JSON.parse(kv('list', '--prefix', `webhook-body:${OTHER}:`)), [], 'waiting webhook bodies erased');
  const demo = await shopId(DEMO);
  const [{ n: untouched }] = await d1(`SELECT COUNT(*) AS n FROM variants WHERE shop_id = ${demo}`);
  assert.ok(untouched > 0, 'the other shop keeps its data');
});
