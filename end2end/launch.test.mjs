// New products (issue 17, item 5): a variant created days ago gets a launch forecast
// borrowed from its product's other variants or its product type, raises the alert its
// stock calls for, and the variant page says where the pace came from. Driven by signed
// products/create and inventory_levels/update webhooks, as Shopify sends them.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO, get, d1, until, ensureSynced, webhook } from './helpers.mjs';

let shopId;
const WAREHOUSE = 70000000001;

before(async () => {
  await ensureSynced(DEMO);
  shopId = (await d1(`SELECT id FROM shops WHERE domain = '${DEMO}'`))[0].id;
  // The stored forecasts a recalculation of a few variants borrows from.
  await until('stored forecasts', async () => (await d1(`SELECT 1 FROM forecasts WHERE shop_id = ${shopId} LIMIT 1`)).length > 0, { timeoutMs: 120000, everyMs: 1000 });
});

function product(id, variants, { type = 'Cap', createdDaysAgo = 3 } = {}) {
  const created = new Date(Date.now() - createdDaysAgo * 86400000).toISOString();
  const now = new Date().toISOString();
  return {
    id, admin_graphql_api_id: `gid://shopify/Product/${id}`, title: `Launch Test ${id}`, vendor: 'Summit Supply',
    product_type: type, status: 'active', created_at: created, updated_at: now,
    variants: variants.map((v) => ({
      id: v.id, admin_graphql_api_id: `gid://shopify/ProductVariant/${v.id}`, product_id: id, title: v.title, sku: `LT-${v.id}`,
      price: '24.99', inventory_item_id: v.item, inventory_quantity: v.available, created_at: v.created ?? created, updated_at: now,
    })),
  };
}

async function stock(item, available) {
  const r = await webhook('inventory_levels/update', { inventory_item_id: item, location_id: WAREHOUSE, available, updated_at: new Date().toISOString(), admin_graphql_api_id: `gid://shopify/InventoryLevel/1?inventory_item_id=${item}` });
  assert.equal(r.status, 200);
}

test('a product created three days ago borrows its type\'s pace, raises a reorder alert and says so on its page', async () => {
  const [caps] = await d1(`SELECT COUNT(*) AS n FROM variants v JOIN products p ON p.shop_id = v.shop_id AND p.id = v.product_id
                           JOIN inventory_levels il ON il.shop_id = v.shop_id AND il.variant_id = v.id AND il.location_id = ${WAREHOUSE}
                           WHERE v.shop_id = ${shopId} AND p.product_type = 'Cap'`);
  assert.ok(caps.n >= 3, 'the demo has caps at the warehouse to borrow from');
  const p = product(8100000000001, [{ id: 45100000000001, item: 46100000000001, title: 'Black', available: 2 }]);
  assert.equal((await webhook('products/create', p)).status, 200);
  await until('product stored', async () => (await d1(`SELECT created_at FROM variants WHERE shop_id = ${shopId} AND id = 45100000000001 AND created_at IS NOT NULL`)).length > 0);
  await stock(46100000000001, 2);

  // Two units of a cap that sells like the shop's other caps: reorder now, from its launch forecast.
  const alert = await until('launch alert', async () => {
    const r = await d1(`SELECT explanation FROM alerts WHERE shop_id = ${shopId} AND variant_id = 45100000000001 AND kind = 'reorder_now' AND state = 'open'`);
    return r[0];
  }, { timeoutMs: 60000, everyMs: 1000 });
  const e = JSON.parse(alert.explanation);
  assert.equal(e.method, 'launch');
  assert.equal(e.launch.source, 'product_type');
  assert.ok(e.launch.peers >= 3 && e.launch.peer_daily > 0 && e.velocity > 0, alert.explanation);
  assert.ok(e.history_days <= 4, `history begins at the variant's creation (${e.history_days} days)`);

  const page = await get(`/app/variants/45100000000001?location=${WAREHOUSE}`);
  assert.equal(page.res.status, 200);
  assert.match(page.text, /Launch forecast/);
  assert.match(page.text, /class="launch-basis"[^>]*>It is new: \d+ days? of its own sales \(0 sold\); the rest of its first two weeks is counted at the pace of the median of \d+ variants of this product type/);
});

test('a new variant of an established product borrows its siblings\' pace', async () => {
  const [sib] = await d1(`SELECT v.product_id FROM variants v JOIN inventory_levels il ON il.shop_id = v.shop_id AND il.variant_id = v.id AND il.location_id = ${WAREHOUSE}
                          JOIN products p ON p.shop_id = v.shop_id AND p.id = v.product_id
                          WHERE v.shop_id = ${shopId} AND p.product_type = 'T-Shirt' AND v.id < 45100000000000 LIMIT 1`);
  const siblings = await d1(`SELECT id, title, inventory_item_id FROM variants WHERE shop_id = ${shopId} AND product_id = ${sib.product_id}`);
  const p = product(sib.product_id, [
    ...siblings.map((v) => ({ id: v.id, item: v.inventory_item_id, title: v.title, available: 10, created: '2025-01-05T10:00:00Z' })),
    { id: 45100000000002, item: 46100000000002, title: 'XXXL', available: 40, created: new Date(Date.now() - 86400000).toISOString() },
  ], { type: 'T-Shirt', createdDaysAgo: 600 });
  assert.equal((await webhook('products/update', p)).status, 200);
  await until('variant stored', async () => (await d1(`SELECT 1 FROM variants WHERE shop_id = ${shopId} AND id = 45100000000002`)).length > 0);
  await stock(46100000000002, 40);
  const page = await until('launch page', async () => {
    const r = await get(`/app/variants/45100000000002?location=${WAREHOUSE}`);
    return r.res.status === 200 && /class="launch-basis"/.test(r.text) ? r.text : undefined;
  }, { timeoutMs: 60000, everyMs: 1000 });
  assert.match(page, /at the pace of \d+ other variants? of this product at this location/);
});
