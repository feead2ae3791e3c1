// Bundles and kits (issue 21, item 2): a merchant lists the bundles of another bundle app as
// CSV; a bundle containing itself or another bundle is refused with its line; once stored, the
// bundle raises no alerts of its own, its sales count as its components' demand (times the
// quantity), and a component's alert names the bundle that drives it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO, BASE, get, serverFn, webhook, d1, ensureSynced, until, formPostWithoutJs } from './helpers.mjs';

let shopId;
let picked; // { bundle, a, b } levels at one location
let restore;

const velocity = async (variantId, locationId) => (await d1(`SELECT velocity FROM forecasts WHERE shop_id = ${shopId}
  AND variant_id = ${variantId} AND location_id = ${locationId} ORDER BY day DESC LIMIT 1`))[0]?.velocity;
const importList = (csv) => serverFn('bundles/import', { csv });
const lastRecalc = async () => (await d1(`SELECT MAX(computed_at) AS t FROM forecasts WHERE shop_id = ${shopId}`))[0].t;

before(async () => {
  await ensureSynced(DEMO);
  [{ id: shopId }] = await d1(`SELECT id FROM shops WHERE domain = '${DEMO}'`);
  // Three selling variants of different products, stocked at one location, each with a SKU of its own.
  const rows = await d1(`SELECT il.variant_id, il.location_id, il.available, v.inventory_item_id, v.sku, v.product_id, p.title, f.velocity
    FROM inventory_levels il JOIN variants v ON v.shop_id = il.shop_id AND v.id = il.variant_id
    JOIN products p ON p.shop_id = v.shop_id AND p.id = v.product_id
    JOIN forecasts f ON f.shop_id = il.shop_id AND f.variant_id = il.variant_id AND f.location_id = il.location_id
    WHERE il.shop_id = ${shopId} AND il.available > 10 AND f.velocity > 0.3 AND v.sku != '' AND v.tracked = 1
      AND f.day = (SELECT MAX(day) FROM forecasts WHERE shop_id = ${shopId})
      AND (SELECT COUNT(*) FROM variants w WHERE w.shop_id = v.shop_id AND w.sku = v.sku) = 1
    ORDER BY il.location_id, f.velocity DESC`);
  const byLocation = Object.groupBy(rows, (r) => r.location_id);
  const group = Object.values(byLocation).find((g) => new Set(g.map((r) => r.product_id)).size >= 3);
  assert.ok(group, 'three selling variants at one location');
  const distinct = [];
  for (const r of group) if (!distinct.some((d) => d.product_id === r.product_id)) distinct.push(r);
  const [bundle, a, b] = distinct;
  picked = { bundle, a, b };
});

after(async () => {
  await importList('bundle_sku,component_sku,quantity\n');
  if (restore) await restore();
});

test('a bundle containing itself, a bundle inside a bundle and an unknown SKU are refused with their lines; nothing is stored', async () => {
  const { bundle, a, b } = picked;
  const self = await importList(`bundle_sku,component_sku,quantity\n${bundle.sku},${bundle.sku},1\n`);
  assert.equal(self.status, 422);
  assert.match(self.text, new RegExp(`Line 2: Bundle ${bundle.sku} contains itself`));
  const nested = await importList(`bundle_sku,component_sku,quantity\n${bundle.sku},${a.sku},1\n${a.sku},${b.sku},1\nNO-SUCH-SKU-X,${b.sku},1\n`);
  assert.equal(nested.status, 422);
  assert.match(nested.text, new RegExp(`Line 2: ${a.sku} is a bundle itself`));
  assert.match(nested.text, /Line 4: No variant of the shop has the SKU NO-SUCH-SKU-X/);
  assert.equal((await d1(`SELECT COUNT(*) AS n FROM bundle_components WHERE shop_id = ${shopId}`))[0].n, 0);
  // Posted from the page without its script, the refusal comes back with every bad line.
  const res = await formPostWithoutJs('bundles/import', { csv: `bundle_sku,component_sku,quantity\n${bundle.sku},${a.sku},0\n` }, `${BASE}/app/settings/bundles`);
  assert.ok([302, 303].includes(res.status), `back to the page (${res.status})`);
  const back = await get(new URL(res.headers.get('location'), BASE).pathname + new URL(res.headers.get('location'), BASE).search);
  assert.match(back.text, /Line 2: Quantity &quot;0&quot; is not a whole number from 1 to 1000|Line 2: Quantity "0" is not a whole number from 1 to 1000/);
});

test("a stored bundle raises no alerts, its sales become its components' demand, and a component's alert names it", async () => {
  const { bundle, a, b } = picked;
  const before = { a: await velocity(a.variant_id, a.location_id), bundle: await velocity(bundle.variant_id, bundle.location_id) };
  const since = await lastRecalc();
  const ok = await importList(`bundle_sku,component_sku,quantity\n${bundle.sku},${a.sku},2\n${bundle.sku},${b.sku},1\n`);
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json, 2);
  await until('the recalculation after the import', async () => (await lastRecalc()) > since || undefined, { timeoutMs: 60000, everyMs: 1000 });
  await until("the bundle's alerts resolved", async () => (await d1(`SELECT COUNT(*) AS n FROM alerts WHERE shop_id = ${shopId}
    AND variant_id = ${bundle.variant_id} AND state != 'resolved'`))[0].n === 0 || undefined, { timeoutMs: 30000 });
  const after = await velocity(a.variant_id, a.location_id);
  assert.ok(after > before.a + before.bundle, `component demand ${before.a.toFixed(2)} → ${after.toFixed(2)} includes twice the bundle's ${before.bundle.toFixed(2)}`);

  // The settings page lists it, and its CSV gives the list back.
  const page = await get('/app/settings/bundles');
  assert.match(page.text, /id="bundles-table"/);
  assert.ok(page.text.includes(bundle.sku) && page.text.includes(a.sku));
  assert.match(page.text, /2 manual lines stored/);
  // The pages say so.
  const bundlePage = await get(`/app/variants/${bundle.variant_id}?location=${bundle.location_id}`);
  assert.match(bundlePage.text, /A bundle of .*raises no alerts of its own/);
  // The component sold out: its alert names the bundle.
  const r = await webhook('inventory_levels/update', {
    inventory_item_id: a.inventory_item_id, location_id: a.location_id, available: 0, updated_at: new Date().toISOString(),
    admin_graphql_api_id: `gid://shopify/InventoryLevel/${a.location_id}?inventory_item_id=${a.inventory_item_id}`,
  });
  assert.equal(r.status, 200);
  restore = () => webhook('inventory_levels/update', {
    inventory_item_id: a.inventory_item_id, location_id: a.location_id, available: a.available, updated_at: new Date().toISOString(),
    admin_graphql_api_id: `gid://shopify/InventoryLevel/${a.location_id}?inventory_item_id=${a.inventory_item_id}`,
  });
  await until('the component out of stock', async () => (await d1(`SELECT id FROM alerts WHERE shop_id = ${shopId} AND variant_id = ${a.variant_id}
    AND location_id = ${a.location_id} AND kind = 'out_of_stock' AND state = 'open'`))[0], { timeoutMs: 60000, everyMs: 500 });
  const componentPage = await get(`/app/variants/${a.variant_id}?location=${a.location_id}`);
  assert.match(componentPage.text, /Sold in bundles too: /);
  assert.match(componentPage.text, /Driven by the bundles [^.]*×2/);
  assert.ok(componentPage.text.includes(bundle.title), 'by its name');
});
