// Stock on its way in Shopify, with its date (issue 19): a transfer shipped to a location
// with an arrival day reaches the app through the sync (inventoryTransfers and their
// shipments, API 2026-10) and feeds the stock-gap alert; one to a location the shop does not
// have is skipped. It runs a full sync, so it comes after the files that assume none does.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO, get, serverFn, fake, webhook, d1, ensureSynced, syncNow, until, csvRows } from './helpers.mjs';

let shopId;

before(async () => {
  await ensureSynced(DEMO);
  [{ id: shopId }] = await d1(`SELECT id FROM shops WHERE domain = '${DEMO}'`);
});

test("a Shopify transfer shipped with an arrival date feeds the stock gap too; one to an unknown location is skipped", async () => {
  // A line in stock that sells.
  const list = (await serverFn('reorder', {})).json;
  const line = list.orders.flatMap((o) => o.lines).find((l) => l.on_hand > 0 && l.suggested_qty > 2);
  assert.ok(line);
  const arrives = new Date(Date.now() + 35 * 864e5);
  arrives.setUTCHours(15, 0, 0, 0);
  const day = arrives.toISOString().slice(0, 10);
  await fake('/_fake/transfer', { shop: DEMO, variant_id: line.variant_id, location_id: line.location_id, quantity: 40, arrives_at: arrives.toISOString() });
  await fake('/_fake/transfer', { shop: DEMO, variant_id: line.variant_id, location_id: 999999, quantity: 5, arrives_at: arrives.toISOString() });
  await syncNow(shopId);
  const stored = await d1(`SELECT location_id, arrives_on, units FROM shopify_incoming WHERE shop_id = ${shopId} AND variant_id = ${line.variant_id}`);
  assert.deepEqual(stored, [{ location_id: line.location_id, arrives_on: day, units: 40 }], 'the unknown location is left out');
  const gap = await until('the stock gap from the Shopify shipment', async () => (await d1(`SELECT explanation FROM alerts WHERE shop_id = ${shopId}
    AND variant_id = ${line.variant_id} AND location_id = ${line.location_id} AND kind = 'stock_gap' AND state != 'resolved'`))[0], { timeoutMs: 90000, everyMs: 1500 });
  assert.equal(JSON.parse(gap.explanation).arrival.date, day);
});

test('stock another location can spare is suggested as a transfer before ordering, and downloads as a CSV', async () => {
  // A line due to reorder whose variant is also stocked at another location.
  const list = (await serverFn('reorder', {})).json;
  const levels = await d1(`SELECT il.variant_id, il.location_id, il.available, v.inventory_item_id, l.name FROM inventory_levels il
    JOIN variants v ON v.shop_id = il.shop_id AND v.id = il.variant_id
    JOIN locations l ON l.shop_id = il.shop_id AND l.id = il.location_id AND l.active = 1 AND l.watched = 1
    WHERE il.shop_id = ${shopId}`);
  const line = list.orders.flatMap((o) => o.lines).find((l) => l.suggested_qty > 1
    && levels.some((x) => x.variant_id === l.variant_id && x.location_id !== l.location_id));
  assert.ok(line, 'a reorder line with a second location');
  const source = levels.find((x) => x.variant_id === line.variant_id && x.location_id !== line.location_id);
  const setLevel = async (available) => {
    const r = await webhook('inventory_levels/update', {
      inventory_item_id: source.inventory_item_id, location_id: source.location_id, available, updated_at: new Date().toISOString(),
      admin_graphql_api_id: `gid://shopify/InventoryLevel/${source.location_id}?inventory_item_id=${source.inventory_item_id}`,
    });
    assert.equal(r.status, 200);
    await until(`${available} on hand at ${source.name}`, async () => (await d1(`SELECT available FROM inventory_levels WHERE shop_id = ${shopId}
      AND variant_id = ${source.variant_id} AND location_id = ${source.location_id}`))[0]?.available === available || undefined);
  };
  const csvOf = (html) => {
    const href = html.match(/href="(data:text\/csv;charset=utf-8,[^"]*)"/)?.[1];
    if (!href) return [];
    const text = decodeURIComponent(href.replace('data:text/csv;charset=utf-8,', '').replaceAll('&amp;', '&'));
    const [head, ...rows] = csvRows(text);
    return rows.map((r) => Object.fromEntries(head.map((h, i) => [h, r[i]])));
  };
  try {
    // Plenty on the other location's shelf: it sends what the store would order, and keeps its own level.
    await setLevel(5000);
    const page = await get('/app/transfers');
    assert.equal(page.res.status, 200);
    assert.match(page.text, /Transfers before orders/);
    const moves = csvOf(page.text).filter((m) => m.sku === line.sku && m.to_location === line.location_name);
    assert.equal(moves.length, 1, JSON.stringify(moves));
    const [m] = moves;
    assert.equal(m.from_location, source.name);
    assert.equal(Number(m.quantity), line.suggested_qty, "the destination gets the engine's own order quantity");
    assert.equal(Number(m.from_on_hand), 5000);
    assert.ok(5000 - Number(m.quantity) >= Number(m.from_keeps) && Number(m.from_keeps) >= 0, 'the source keeps its own level');
    assert.match(page.text, /download="transfers-\d{4}-\d{2}-\d{2}\.csv"/);
    // Nothing on its shelf: nothing to send from there.
    await setLevel(0);
    const after = csvOf((await get('/app/transfers')).text);
    assert.ok(!after.some((x) => x.sku === line.sku && x.from_location === source.name), 'an empty location sends nothing');
  } finally {
    await setLevel(source.available);
  }
});
