// Stock on its way in Shopify, with its date (issue 19): a transfer shipped to a location
// with an arrival day reaches the app through the sync (inventoryTransfers and their
// shipments, API 2026-10) and feeds the stock-gap alert; one to a location the shop does not
// have is skipped. It runs a full sync, so it comes after the files that assume none does.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO, serverFn, fake, d1, ensureSynced, until } from './helpers.mjs';

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
  const [{ last }] = await d1(`SELECT COALESCE(MAX(id), 0) AS last FROM sync_runs WHERE shop_id = ${shopId}`);
  assert.equal((await serverFn('sync/start', {})).status, 200);
  await until('the sync to finish', async () => {
    const runs = await d1(`SELECT status FROM sync_runs WHERE shop_id = ${shopId} AND id > ${last}`);
    if (runs.some((r) => r.status === 'failed')) throw new Error('sync failed');
    return runs.length === 2 && runs.every((r) => r.status === 'done');
  }, { timeoutMs: 240000, everyMs: 2000 });
  const stored = await d1(`SELECT location_id, arrives_on, units FROM shopify_incoming WHERE shop_id = ${shopId} AND variant_id = ${line.variant_id}`);
  assert.deepEqual(stored, [{ location_id: line.location_id, arrives_on: day, units: 40 }], 'the unknown location is left out');
  const gap = await until('the stock gap from the Shopify shipment', async () => (await d1(`SELECT explanation FROM alerts WHERE shop_id = ${shopId}
    AND variant_id = ${line.variant_id} AND location_id = ${line.location_id} AND kind = 'stock_gap' AND state != 'resolved'`))[0], { timeoutMs: 90000, everyMs: 1500 });
  assert.equal(JSON.parse(gap.explanation).arrival.date, day);
});
