// Shards (issue 20): shop data spread over the local D1 databases wrangler.toml's SHARDS
// names, with a directory in the first. A new shop lands on the lightest shard; every query
// for a shop reaches its shard only; a failing shard answers 503 to its own shops while the
// others' keep working; a shop the directory does not know is an unknown shop; a shop moves
// to another shard (scripts/move-shop.sh) with its webhooks following it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { BASE, DEMO, OTHER, SHARDS, get, serverFn, webhook, d1, d1At, kv, until, ensureSynced } from './helpers.mjs';

let demo;
let other;

/** A shop's directory entry. */
async function placed(domain) {
  const [row] = await d1At('DB', `SELECT shop_id, shard FROM shop_directory WHERE domain = '${domain}'`);
  return row;
}

before(async () => {
  await ensureSynced(DEMO);
  await ensureSynced(OTHER);
  demo = await placed(DEMO);
  other = await placed(OTHER);
});

after(async () => {
  if (other) kv('delete', `fault:shard:${other.shard}`);
});

test('local development runs four shards, and a new shop lands on the lightest, not beside the demo', async () => {
  assert.ok(SHARDS.length >= 4, `SHARDS: ${SHARDS.join(',')}`);
  assert.equal(demo.shard, 0, 'the seeded demo shop is on the first shard');
  assert.notEqual(other.shard, demo.shard, 'the second shop was placed on another, emptier shard');
  // Its rows are on its shard and nowhere else; the directory counts its size.
  for (const [i, binding] of SHARDS.entries()) {
    const [{ n }] = await d1At(binding, `SELECT COUNT(*) AS n FROM variants WHERE shop_id = ${other.shop_id}`);
    if (i === other.shard) assert.ok(n > 0, `${binding} holds its variants`);
    else assert.equal(n, 0, `${binding} holds none of them`);
  }
  const [{ variants }] = await d1At('DB', `SELECT variants FROM shop_directory WHERE shop_id = ${other.shop_id}`);
  assert.ok(variants > 0, 'its size is recorded for the next placement');
});

test('each shop sees its own data through its shard', async () => {
  const mine = await serverFn('dashboard', {}, { shop: OTHER });
  assert.equal(mine.status, 200, mine.text);
  assert.equal(mine.json.shop_domain, OTHER);
  const demoPage = await serverFn('dashboard', {}, { shop: DEMO });
  assert.equal(demoPage.json.shop_domain, DEMO);
  // Every alert a shop is shown is about a variant its own shard holds for it.
  for (const [page, shop] of [[mine, other], [demoPage, demo]]) {
    assert.ok(page.json.rows.length > 0, 'the shop has alerts to show');
    const own = new Set((await d1At(SHARDS[shop.shard], `SELECT id FROM variants WHERE shop_id = ${shop.shop_id}`)).map((v) => v.id));
    const stray = page.json.rows.filter((r) => !own.has(r.risk.position.variant_id));
    assert.deepEqual(stray, [], 'no alert of another shop shows');
  }
});

test("a failing shard answers 503 to its own shops, the others' keep working, and its webhooks wait", async () => {
  kv('put', `fault:shard:${other.shard}`, 'down', '--ttl', '600');
  try {
    await until('the shard to read as failing', async () => (await serverFn('dashboard', {}, { shop: OTHER })).status === 503, { timeoutMs: 15000 });
    const down = await serverFn('dashboard', {}, { shop: OTHER });
    assert.equal(down.status, 503);
    assert.ok(down.headers.get('retry-after'), 'told when to try again');
    const page = await get('/app', { shop: DEMO });
    assert.equal(page.res.status, 200, 'a shop on another shard is not touched');
    assert.equal((await serverFn('dashboard', {}, { shop: DEMO })).status, 200);
    // A webhook for the failing shard's shop is acknowledged to Shopify and waits in the queue.
    const [level] = await d1(`SELECT v.inventory_item_id AS item, l.location_id AS loc, l.variant_id AS variant
      FROM inventory_levels l JOIN variants v ON v.shop_id = l.shop_id AND v.id = l.variant_id WHERE l.shop_id = ${other.shop_id} LIMIT 1`);
    const id = randomUUID();
    const hook = await webhook('inventory_levels/update', { inventory_item_id: level.item, location_id: level.loc, available: 4321, updated_at: new Date().toISOString() }, { shop: OTHER, id });
    assert.equal(hook.status, 200);
    await new Promise((r) => setTimeout(r, 3000));
    const [{ n: early }] = await d1(`SELECT COUNT(*) AS n FROM webhook_events WHERE shop_id = ${other.shop_id} AND webhook_id = '${id}'`);
    assert.equal(early, 0, 'not applied while its shard fails');
    kv('delete', `fault:shard:${other.shard}`);
    await until('the webhook to apply once the shard is back', async () => {
      const [{ n }] = await d1(`SELECT COUNT(*) AS n FROM webhook_events WHERE shop_id = ${other.shop_id} AND webhook_id = '${id}'`);
      return n === 1;
    }, { timeoutMs: 90000, everyMs: 1500 });
    const [now] = await d1(`SELECT available FROM inventory_levels WHERE shop_id = ${other.shop_id} AND variant_id = ${level.variant} AND location_id = ${level.loc}`);
    assert.equal(now.available, 4321, 'applied, once, after the wait');
    assert.equal((await serverFn('dashboard', {}, { shop: OTHER })).status, 200);
  } finally {
    kv('delete', `fault:shard:${other.shard}`);
  }
});

test('a shop the directory does not know gets what an unknown shop gets', async () => {
  // Rows of a shop on the first shard, but no directory entry: a plain-tab session for it.
  const probe = 'directory-probe.myshopify.com';
  await d1(`INSERT INTO shops (id, domain, name) VALUES (990000000003, '${probe}', 'Probe')`);
  try {
    const session = randomBytes(16).toString('hex');
    kv('put', `session:${session}`, probe, '--ttl', '600');
    const r = await serverFn('dashboard', {}, { shop: null, headers: { cookie: `ss_session=${session}` } });
    assert.equal(r.status, 401, r.text);
    const page = await get('/app', { shop: null, headers: { cookie: `ss_session=${session}` } });
    assert.notEqual(page.res.status, 200, 'no page for it');
    assert.doesNotMatch(page.text, /Probe/);
  } finally {
    await d1(`DELETE FROM shops WHERE domain = '${probe}'`);
  }
  assert.ok(BASE);
});

/** scripts/move-shop.sh on this run's state; the stack's directory cache is 2 s (e2e.sh). */
function move(domain, to, step) {
  return execFileSync('scripts/move-shop.sh', [domain, to, '--step', step, '--settle', '3', '--persist-to', process.env.D1_STATE], {
    cwd: new URL('..', import.meta.url).pathname, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Counts of a shop's rows in the tables a merchant's pages read, on one shard. */
async function footprint(binding, shopId) {
  const [row] = await d1At(binding, `SELECT (SELECT COUNT(*) FROM shops WHERE id = ${shopId}) AS shops,
    (SELECT COUNT(*) FROM variants WHERE shop_id = ${shopId}) AS variants,
    (SELECT COUNT(*) FROM daily_sales WHERE shop_id = ${shopId}) AS sales,
    (SELECT COUNT(*) FROM alerts WHERE shop_id = ${shopId}) AS alerts,
    (SELECT COUNT(*) FROM suppliers WHERE shop_id = ${shopId}) AS suppliers`);
  return row;
}

test('a shop moves to another shard: pages read the old copy meanwhile, its webhook waits and follows, nothing stays behind', async () => {
  const from = (await placed(OTHER)).shard;
  const to = [...SHARDS.keys()].find((k) => k !== from && k !== demo.shard);
  const before = await footprint(SHARDS[from], other.shop_id);
  assert.ok(before.variants > 0 && before.sales > 0);
  const dashboardBefore = await serverFn('dashboard', {}, { shop: OTHER });
  assert.equal(dashboardBefore.status, 200);

  move(OTHER, SHARDS[to], 'begin');
  // While it moves: its pages still render from the old shard; what may write waits.
  const page = await get('/app', { shop: OTHER });
  assert.equal(page.res.status, 200, 'readable on its old shard');
  const busy = await serverFn('dashboard', {}, { shop: OTHER });
  assert.equal(busy.status, 503, busy.text);
  assert.ok(busy.headers.get('retry-after'), 'told when to try again');
  assert.match(busy.text, /being moved/);
  assert.equal((await serverFn('dashboard', {}, { shop: DEMO })).status, 200, 'other shops are not touched');
  const [level] = await d1At(SHARDS[from], `SELECT v.inventory_item_id AS item, l.location_id AS loc, l.variant_id AS variant
    FROM inventory_levels l JOIN variants v ON v.shop_id = l.shop_id AND v.id = l.variant_id WHERE l.shop_id = ${other.shop_id} LIMIT 1`);
  const id = randomUUID();
  const hook = await webhook('inventory_levels/update', { inventory_item_id: level.item, location_id: level.loc, available: 6543, updated_at: new Date().toISOString() }, { shop: OTHER, id });
  assert.equal(hook.status, 200, 'Shopify is answered at once');
  await new Promise((r) => setTimeout(r, 3000));
  const [{ n: early }] = await d1At(SHARDS[from], `SELECT COUNT(*) AS n FROM webhook_events WHERE webhook_id = '${id}'`);
  assert.equal(early, 0, 'not applied to the copy that is about to be left');

  move(OTHER, SHARDS[to], 'copy');
  move(OTHER, SHARDS[to], 'switch');
  move(OTHER, SHARDS[to], 'finish');
  assert.equal((await placed(OTHER)).shard, to, 'the directory names the new shard');
  // Every row arrived (alerts aside: the waiting webhook may open or close one meanwhile).
  const { alerts: _a, ...after } = await footprint(SHARDS[to], other.shop_id);
  const { alerts: _b, ...expected } = before;
  assert.deepEqual(after, expected, 'every row arrived');
  assert.deepEqual(await footprint(SHARDS[from], other.shop_id), { shops: 0, variants: 0, sales: 0, alerts: 0, suppliers: 0 }, 'the old copy is gone');
  await until('the waiting webhook to apply on the new shard', async () => {
    const [row] = await d1At(SHARDS[to], `SELECT available FROM inventory_levels WHERE shop_id = ${other.shop_id} AND variant_id = ${level.variant} AND location_id = ${level.loc}`);
    return row?.available === 6543;
  }, { timeoutMs: 90000, everyMs: 1500 });
  const [{ n }] = await d1At(SHARDS[to], `SELECT COUNT(*) AS n FROM webhook_events WHERE webhook_id = '${id}'`);
  assert.equal(n, 1, 'applied once');
  const dashboard = await serverFn('dashboard', {}, { shop: OTHER });
  assert.equal(dashboard.status, 200, dashboard.text);
  assert.equal(dashboard.json.shop_domain, OTHER);
  assert.ok(dashboard.json.rows.length > 0, 'its alerts, from the new shard');
  other = await placed(OTHER);
});

test('a move abandoned halfway leaves the shop whole on its old shard', async () => {
  const from = (await placed(OTHER)).shard;
  const to = [...SHARDS.keys()].find((k) => k !== from && k !== demo.shard);
  const before = await footprint(SHARDS[from], other.shop_id);
  move(OTHER, SHARDS[to], 'begin');
  move(OTHER, SHARDS[to], 'copy');
  // Stopped here (no switch): the shop reads from its old shard, which still has everything.
  assert.equal((await placed(OTHER)).shard, from);
  assert.equal((await get('/app', { shop: OTHER })).res.status, 200);
  // A second move cannot start while this one is open.
  const other2 = [...SHARDS.keys()].find((k) => k !== from && k !== to);
  assert.throws(() => move(OTHER, SHARDS[other2], 'begin'), (e) => /being moved/.test(String(e.stderr)));
  const out = move(OTHER, SHARDS[to], 'abort');
  assert.match(out, /stays on/);
  assert.deepEqual(await footprint(SHARDS[from], other.shop_id), before, 'nothing lost on the old shard');
  assert.equal((await footprint(SHARDS[to], other.shop_id)).shops, 0, 'the partial copy is gone');
  await until('writes to be taken again', async () => (await serverFn('dashboard', {}, { shop: OTHER })).status === 200, { timeoutMs: 15000 });
});

test("a move renumbers what the new shard's other shops already number, and what refers to it follows", async () => {
  const from = (await placed(OTHER)).shard;
  const to = [...SHARDS.keys()].find((k) => k !== from && k !== demo.shard);
  const now = new Date().toISOString();
  const shop = other.shop_id;
  // OTHER gets a supplier, a purchase order from it with a line, and a supplier-level override.
  const [{ id: sid }] = await d1At(SHARDS[from], `SELECT COALESCE(MAX(id), 0) + 1 AS id FROM suppliers`);
  const [{ id: po }] = await d1At(SHARDS[from], `SELECT COALESCE(MAX(id), 0) + 1 AS id FROM purchase_orders`);
  await d1At(SHARDS[from], `INSERT INTO suppliers (id, shop_id, name, updated_at) VALUES (${sid}, ${shop}, 'Move Probe Supplier', '${now}');
    INSERT INTO purchase_orders (id, shop_id, number, supplier_id, supplier_name, location_id, location_name, currency, created_at)
      VALUES (${po}, ${shop}, 9901, ${sid}, 'Move Probe Supplier', 1, 'Main', 'USD', '${now}');
    INSERT INTO purchase_order_lines (shop_id, order_id, variant_id, title, quantity) VALUES (${shop}, ${po}, 1, 'Probe line', 3);
    INSERT INTO overrides (shop_id, scope, key, lead_time_days, updated_at) VALUES (${shop}, 'supplier', '${sid}', 33, '${now}')`);
  // Another shop on the new shard already uses both numbers.
  const probe = 990000000004;
  await d1At(SHARDS[to], `INSERT INTO shops (id, domain, name) VALUES (${probe}, 'move-probe.myshopify.com', 'Probe');
    INSERT INTO suppliers (id, shop_id, name, updated_at) VALUES (${sid}, ${probe}, 'Theirs', '${now}');
    INSERT INTO purchase_orders (id, shop_id, number, supplier_id, supplier_name, location_id, location_name, currency, created_at)
      VALUES (${po}, ${probe}, 1, ${sid}, 'Theirs', 1, 'Main', 'USD', '${now}')`);
  try {
    for (const step of ['begin', 'copy', 'switch', 'finish']) move(OTHER, SHARDS[to], step);
    const [mine] = await d1At(SHARDS[to], `SELECT id FROM suppliers WHERE shop_id = ${shop} AND name = 'Move Probe Supplier'`);
    assert.ok(mine && mine.id !== sid, `renumbered (was ${sid}, now ${mine?.id})`);
    const [order] = await d1At(SHARDS[to], `SELECT id, supplier_id FROM purchase_orders WHERE shop_id = ${shop} AND number = 9901`);
    assert.notEqual(order.id, po, 'the purchase order too');
    assert.equal(order.supplier_id, mine.id, 'the order names its supplier by the new number');
    const [line] = await d1At(SHARDS[to], `SELECT order_id FROM purchase_order_lines WHERE shop_id = ${shop} AND title = 'Probe line'`);
    assert.equal(line.order_id, order.id, 'its line follows the order');
    const [rule] = await d1At(SHARDS[to], `SELECT key FROM overrides WHERE shop_id = ${shop} AND scope = 'supplier' AND lead_time_days = 33`);
    assert.equal(rule.key, String(mine.id), 'the supplier-level override follows the supplier');
    const theirs = await d1At(SHARDS[to], `SELECT s.name AS supplier, o.supplier_id AS ordered FROM suppliers s JOIN purchase_orders o ON o.id = ${po} WHERE s.id = ${sid}`);
    assert.deepEqual(theirs, [{ supplier: 'Theirs', ordered: sid }], "the other shop's rows are untouched");
  } finally {
    await d1At(SHARDS[to], `DELETE FROM purchase_orders WHERE shop_id = ${probe}; DELETE FROM suppliers WHERE shop_id = ${probe}; DELETE FROM shops WHERE id = ${probe}`);
    const at = (await placed(OTHER)).shard;
    await d1At(SHARDS[at], `DELETE FROM overrides WHERE shop_id = ${shop} AND scope = 'supplier' AND lead_time_days = 33;
      DELETE FROM purchase_orders WHERE shop_id = ${shop} AND number = 9901;
      DELETE FROM suppliers WHERE shop_id = ${shop} AND name = 'Move Probe Supplier'`);
  }
  other = await placed(OTHER);
});
