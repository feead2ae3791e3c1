// Bundles and kits (issue 21, item 2): a merchant lists the bundles of another bundle app as
// CSV; a bundle containing itself or another bundle is refused with its line; once stored, the
// bundle raises no alerts of its own, its sales count as its components' demand (times the
// quantity), and a component's alert names the bundle that drives it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO, BASE, get, serverFn, webhook, fake, d1, ensureSynced, syncNow, until, formPostWithoutJs } from './helpers.mjs';

let shopId;
let picked; // { bundle, a, b, kit } levels at one location
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
  const group = Object.values(byLocation).find((g) => new Set(g.map((r) => r.product_id)).size >= 4);
  assert.ok(group, 'three selling variants at one location');
  const distinct = [];
  for (const r of group) if (!distinct.some((d) => d.product_id === r.product_id)) distinct.push(r);
  assert.ok(distinct.length >= 4, 'four products');
  const [bundle, a, b, kit] = distinct;
  picked = { bundle, a, b, kit };
});

after(async () => {
  await importList('bundle_sku,component_sku,quantity\n');
  await fake('/_fake/bundle', { shop: DEMO, bundle_variant_id: picked.kit.variant_id, components: [] });
  await d1(`DELETE FROM bundle_components WHERE shop_id = ${shopId}`);
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

test("a Shopify bundle arrives with the sync: its components are listed, its stock is theirs, and it raises no alerts", async () => {
  const { kit, a, b } = picked;
  // The component back on its shelf (as Shopify has it), so the sync's numbers are Shopify's.
  if (restore) {
    await restore();
    restore = null;
    await until('the component restocked', async () => (await d1(`SELECT available FROM inventory_levels WHERE shop_id = ${shopId}
      AND variant_id = ${a.variant_id} AND location_id = ${a.location_id}`))[0]?.available === a.available || undefined);
  }
  // The merchant makes a fixed bundle in Shopify (two of a, one of b); Shopify derives its stock.
  await fake('/_fake/bundle', { shop: DEMO, bundle_variant_id: kit.variant_id, components: [[a.variant_id, 2], [b.variant_id, 1]] });
  await syncNow(shopId);
  const rows = await d1(`SELECT component_variant_id AS c, quantity AS q, source FROM bundle_components
    WHERE shop_id = ${shopId} AND bundle_variant_id = ${kit.variant_id} ORDER BY component_variant_id`);
  assert.deepEqual(rows.map((r) => [r.c, r.q, r.source]).sort(), [[a.variant_id, 2, 'shopify'], [b.variant_id, 1, 'shopify']].sort());
  const [stock] = await d1(`SELECT available FROM inventory_levels WHERE shop_id = ${shopId} AND variant_id = ${kit.variant_id} AND location_id = ${kit.location_id}`);
  const [ca] = await d1(`SELECT available FROM inventory_levels WHERE shop_id = ${shopId} AND variant_id = ${a.variant_id} AND location_id = ${kit.location_id}`);
  const [cb] = await d1(`SELECT available FROM inventory_levels WHERE shop_id = ${shopId} AND variant_id = ${b.variant_id} AND location_id = ${kit.location_id}`);
  assert.equal(stock.available, Math.min(Math.floor(Math.max(ca.available, 0) / 2), Math.max(cb.available, 0)), "the bundle's stock is what its components make");
  await until("the Shopify bundle's alerts resolved", async () => (await d1(`SELECT COUNT(*) AS n FROM alerts WHERE shop_id = ${shopId}
    AND variant_id = ${kit.variant_id} AND state != 'resolved'`))[0].n === 0 || undefined, { timeoutMs: 60000 });
  const page = await get('/app/settings/bundles');
  assert.match(page.text, /<td>Shopify/, 'listed as Shopify\'s');
  // The manual list may not redefine it.
  const clash = await importList(`bundle_sku,component_sku,quantity\n${kit.sku},${a.sku},1\n`);
  assert.equal(clash.status, 422);
  assert.match(clash.text, new RegExp(`Line 2: ${kit.sku} is a Shopify bundle`));
});
