// Operations under faults, against local wrangler dev: a queue consumer that crashes in the
// middle of a batch after applying a message (redelivered, applied once), a poison message
// that lands in the dead-letter queue where the operator script shows it, and the per-shop
// API budget (429 with Retry-After, other shops and Shopify's webhooks unaffected).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { DEMO, OTHER, serverFn, webhook, d1, kv, until, ensureSynced } from './helpers.mjs';

const ROOT = new URL('..', import.meta.url).pathname;
let shopId;
let line; // a variant and location of the demo shop to sell

/** Marks a webhook id for the consumer's fault injection (app/src/server/faults.rs). */
function injectFault(webhookId, fault) {
  kv('put', `fault:${webhookId}`, fault);
}

let nextOrder = Date.now() * 10;
function order(quantity) {
  const id = nextOrder++;
  const now = new Date().toISOString();
  return {
    id,
    admin_graphql_api_id: `gid://shopify/Order/${id}`,
    name: `#F${id % 100000}`,
    created_at: now,
    updated_at: now,
    cancelled_at: null,
    location_id: line.location_id,
    currency: 'USD',
    line_items: [{ id: id + 1, variant_id: line.variant_id, product_id: null, sku: null, quantity, price: '10.00' }],
    fulfillments: [],
    refunds: [],
  };
}

async function unitsToday() {
  const day = new Date().toISOString().slice(0, 10);
  const r = await d1(`SELECT COALESCE(SUM(units_sold), 0) AS n FROM daily_sales WHERE shop_id = ${shopId}
    AND variant_id = ${line.variant_id} AND location_id = ${line.location_id} AND day = '${day}'`);
  return r[0].n;
}

async function applied(ids) {
  const list = ids.map((i) => `'${i}'`).join(',');
  return (await d1(`SELECT COUNT(*) AS n FROM webhook_events WHERE webhook_id IN (${list})`))[0].n;
}

before(async () => {
  await ensureSynced(DEMO);
  shopId = (await d1(`SELECT id FROM shops WHERE domain = '${DEMO}'`))[0].id;
  [line] = await d1(`SELECT il.variant_id, il.location_id FROM inventory_levels il JOIN locations l ON l.shop_id = il.shop_id AND l.id = il.location_id
    WHERE il.shop_id = ${shopId} ORDER BY il.variant_id LIMIT 1`);
});

test('a consumer crashing mid-batch after applying a message: redelivered, applied exactly once', async () => {
  const before = await unitsToday();
  const ids = Array.from({ length: 12 }, () => crypto.randomUUID());
  injectFault(ids[5], 'crash-after-apply');
  injectFault(ids[8], 'fail-once');
  const sent = await Promise.all(ids.map((id, i) => webhook('orders/create', order(i === 5 ? 7 : 1), { id })));
  assert.ok(sent.every((s) => s.status === 200), 'every delivery acknowledged at once');
  await until('all 12 orders applied', async () => (await applied(ids)) === 12, { timeoutMs: 90000, everyMs: 1000 });
  // Give a redelivery of the crashed batch time to (wrongly) apply again.
  await new Promise((r) => setTimeout(r, 3000));
  assert.equal(await unitsToday() - before, 7 + 11, 'each order counted once, the crashed one included');
  assert.equal(await applied(ids), 12);
});

test('a poison message ends in the dead-letter queue, applies nothing, and the operator sees it', async () => {
  const before = await unitsToday();
  const id = crypto.randomUUID();
  injectFault(id, 'fail');
  const r = await webhook('orders/create', order(5), { id });
  assert.equal(r.status, 200, 'Shopify is answered at once; the failure is ours to handle');
  const dead = await until('the dead letter', async () => {
    const rows = await d1(`SELECT id, queue, body FROM dead_letters WHERE body LIKE '%${id}%'`);
    return rows[0];
  }, { timeoutMs: 120000, everyMs: 1000 });
  assert.match(dead.queue, /^stock-sentry-events.*-dlq$/);
  assert.equal(await unitsToday(), before, 'nothing of the poison message was applied');
  assert.equal(await applied([id]), 0);
  const listing = execFileSync(`${ROOT}scripts/dead-letters.sh`, process.env.D1_STATE ? ['--persist-to', process.env.D1_STATE] : [], { cwd: ROOT, encoding: 'utf8' });
  assert.match(listing, new RegExp(`#${dead.id} .*stock-sentry-events.*-dlq`));
  assert.ok(listing.includes(id), 'the operator sees the webhook id');
  kv('delete', `fault:${id}`);
});

test('an order too large for a queue message is applied whole, exactly once', async () => {
  const before = await unitsToday();
  const big = order(1);
  // 1,500 line items, as a wholesale order can have: several times a queue message's 128 KB.
  big.line_items = Array.from({ length: 1500 }, (_, i) => ({
    id: big.id * 10 + i, admin_graphql_api_id: `gid://shopify/LineItem/${big.id * 10 + i}`, variant_id: line.variant_id,
    product_id: null, sku: null, quantity: 1, price: '10.00', title: 'Trail running shirt, organic cotton', properties: [],
  }));
  assert.ok(JSON.stringify(big).length > 200_000);
  const id = crypto.randomUUID();
  const r = await webhook('orders/create', big, { id });
  assert.equal(r.status, 200, r.text);
  // Its body waits in KV under the shop's prefix (shop/redact erases it with the rest).
  assert.equal(JSON.parse(kv('get', `webhook-body:${DEMO}:${id}`)).id, big.id);
  await until('the large order applied', async () => (await applied([id])) === 1, { timeoutMs: 90000, everyMs: 1000 });
  await until('its 1,500 units counted', async () => (await unitsToday()) - before === 1500, { timeoutMs: 30000, everyMs: 1000 });
  // Shopify delivering it again changes nothing.
  assert.equal((await webhook('orders/create', big, { id })).status, 200);
  await new Promise((res) => setTimeout(res, 3000));
  assert.equal(await unitsToday() - before, 1500);
});

test('a webhook over 2 MB: forged is 401, signed is applied once through KV, and the Worker keeps serving', async () => {
  const before = await unitsToday();
  const big = order(2);
  // Shopify's payloads carry much more than the fields we read; 3 MB of it here.
  big.note = 'x'.repeat(3 * 1024 * 1024);
  const forged = await webhook('orders/create', big, { secret: 'not-the-secret' });
  assert.equal(forged.status, 401, forged.text);
  // The next request, small and unrelated, is served as usual.
  assert.equal((await serverFn('sync/status', {}, { shop: DEMO })).status, 200);
  const id = crypto.randomUUID();
  const signed = await webhook('orders/create', big, { id });
  assert.equal(signed.status, 200, signed.text);
  await until('the 3 MB order applied', async () => (await applied([id])) === 1, { timeoutMs: 90000, everyMs: 1000 });
  await until('its units counted', async () => (await unitsToday()) - before === 2, { timeoutMs: 30000, everyMs: 1000 });
  assert.equal((await webhook('orders/nonsense', { id: 1 })).status, 400, 'an unknown topic is refused');
});

test('server functions are budgeted per shop: 429 with Retry-After, other shops and webhooks unaffected', async () => {
  // The local budget is 600 calls a minute per shop (wrangler.toml API_LIMITER).
  let limited;
  for (let round = 0; round < 30 && !limited; round++) {
    const replies = await Promise.all(Array.from({ length: 40 }, () => serverFn('sync/status', {}, { shop: OTHER })));
    limited = replies.find((r) => r.status === 429);
    assert.ok(replies.every((r) => r.status === 200 || r.status === 429), replies.map((r) => r.status).join(','));
  }
  assert.ok(limited, 'the budget ran out');
  assert.equal(limited.headers.get('retry-after'), '60');
  // Another shop is served; Shopify's webhooks for the limited shop are still taken.
  assert.equal((await serverFn('sync/status', {}, { shop: DEMO })).status, 200);
  const hook = await webhook('orders/create', order(1), { shop: OTHER });
  assert.equal(hook.status, 200);
  // Leave the budget refilled for whatever runs next.
  await until('the budget to refill', async () => (await serverFn('sync/status', {}, { shop: OTHER })).status === 200, { timeoutMs: 90000, everyMs: 5000 });
});
