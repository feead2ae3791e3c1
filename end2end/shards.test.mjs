// Shards (issue 20): shop data spread over the local D1 databases wrangler.toml's SHARDS
// names, with a directory in the first. A new shop lands on the lightest shard; every query
// for a shop reaches its shard only; a failing shard answers 503 to its own shops while the
// others' keep working; a shop the directory does not know is an unknown shop.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
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
