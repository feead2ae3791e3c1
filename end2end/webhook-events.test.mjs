// Runs after shopify.test.mjs (file order): its stock changes are stamped now, which would
// be newer than the burst test's backdated level updates.
// The events a real store sends beyond orders and stock levels, from the fake Shopify as
// Shopify sends them: a refund and a cancellation take units back out of the sales history
// (once, whatever the duplicates), and what cannot run out — an untracked item, an archived
// product — stops alerting and its alerts resolve.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO, serverFn, fake, webhook, d1, until, ensureSynced } from './helpers.mjs';

let shopId;

before(async () => {
  await ensureSynced(DEMO);
  [{ id: shopId }] = await d1(`SELECT id FROM shops WHERE domain = '${DEMO}'`);
});

/** Units sold and returned of a variant at a location on every day, summed. */
async function sales(variant, location) {
  const [row] = await d1(`SELECT COALESCE(SUM(units_sold), 0) AS sold, COALESCE(SUM(units_returned), 0) AS returned
                          FROM daily_sales WHERE shop_id = ${shopId} AND variant_id = ${variant} AND location_id = ${location}`);
  return row;
}

test('a refund and a cancellation take the units back out of the sales history, once each', async () => {
  const sale = await fake('/_fake/sale', { shop: DEMO, quantity: 3 });
  const { variant_id: variant, location_id: location } = sale.level;
  const order = sale.order_id;
  await until('the order counted', async () => ((await d1(`SELECT 1 AS x FROM orders_seen WHERE shop_id = ${shopId} AND order_id = ${order}`)).length ? true : undefined));
  const start = await sales(variant, location);

  // One unit back (restocked): it leaves the history.
  const refunded = await fake('/_fake/refund', { shop: DEMO, order_id: order, quantity: 1 });
  assert.ok(refunded.deliveries.every((d) => d.status === 200), JSON.stringify(refunded.deliveries));
  const afterRefund = await until('the refund applied', async () => {
    const s = await sales(variant, location);
    return s.returned === start.returned + 1 ? s : undefined;
  });
  assert.equal(afterRefund.sold, start.sold);

  // The same refund again under another webhook id (as orders/cancelled carries it too) changes nothing.
  const [{ refund_id: refundId }] = await d1(`SELECT refund_id FROM refunds_seen WHERE shop_id = ${shopId} AND order_id = ${order}`);
  const again = await webhook('refunds/create', {
    id: refundId, order_id: order, created_at: new Date().toISOString(),
    refund_line_items: [{ id: 1, quantity: 1, line_item_id: 1, location_id: location, restock_type: 'return', line_item: { id: 1, variant_id: variant } }],
  });
  assert.equal(again.status, 200);

  // Cancelling takes back the other two units (the cancellation's own refund), once.
  const cancelled = await fake('/_fake/cancel', { shop: DEMO, order_id: order });
  assert.deepEqual(cancelled.deliveries.map((d) => d.topic).slice(0, 2), ['orders/cancelled', 'refunds/create']);
  const afterCancel = await until('the cancellation applied', async () => {
    const s = await sales(variant, location);
    return s.returned === start.returned + 3 ? s : undefined;
  });
  assert.equal(afterCancel.sold, start.sold);
  await new Promise((r) => setTimeout(r, 3000));
  assert.deepEqual(await sales(variant, location), afterCancel, 'nothing was applied twice');
  const [{ cancelled: flag }] = await d1(`SELECT cancelled FROM orders_seen WHERE shop_id = ${shopId} AND order_id = ${order}`);
  assert.equal(flag, 1);
});

test('a refund of an order never seen is acknowledged and changes nothing', async () => {
  const returned = async () => (await d1(`SELECT COALESCE(SUM(units_returned), 0) AS n FROM daily_sales WHERE shop_id = ${shopId}`))[0].n;
  const deadLetters = async () => (await d1('SELECT COUNT(*) AS n FROM dead_letters'))[0].n;
  const [before, deadBefore] = [await returned(), await deadLetters()];
  const id = crypto.randomUUID();
  const refund = await webhook('refunds/create', {
    id: 777000001, order_id: 1, created_at: new Date().toISOString(),
    refund_line_items: [{ id: 1, quantity: 5, line_item_id: 1, location_id: null, restock_type: 'return', line_item: { id: 1, variant_id: 1 } }],
  }, { id });
  assert.equal(refund.status, 200);
  await until('the refund acknowledged', async () => ((await d1(`SELECT 1 AS x FROM webhook_events WHERE webhook_id = '${id}'`)).length ? true : undefined));
  assert.equal(await returned(), before);
  assert.equal(await deadLetters(), deadBefore, 'nothing dead-lettered');
});

/** A variant with a live alert, and its product. */
async function alerted(exceptProduct = 0) {
  const rows = await d1(`SELECT a.variant_id, v.product_id, v.inventory_item_id FROM alerts a JOIN variants v ON v.shop_id = a.shop_id AND v.id = a.variant_id
                         WHERE a.shop_id = ${shopId} AND a.state != 'resolved' AND v.product_id != ${exceptProduct} ORDER BY a.urgency DESC LIMIT 1`);
  assert.ok(rows.length, 'the demo shop has live alerts');
  return rows[0];
}

const liveAlerts = async (where) =>
  (await d1(`SELECT COUNT(*) AS n FROM alerts a JOIN variants v ON v.shop_id = a.shop_id AND v.id = a.variant_id
             WHERE a.shop_id = ${shopId} AND a.state != 'resolved' AND ${where}`))[0].n;

test('an untracked item stops alerting and its alerts resolve', async () => {
  const { variant_id: variant } = await alerted();
  const r = await fake('/_fake/track', { shop: DEMO, variant_id: variant, tracked: false });
  assert.equal(r.deliveries[0].status, 200);
  await until('its alerts resolved', async () => ((await liveAlerts(`v.id = ${variant}`)) === 0 ? true : undefined), { timeoutMs: 60000, everyMs: 1000 });
  const [{ tracked }] = await d1(`SELECT tracked FROM variants WHERE shop_id = ${shopId} AND id = ${variant}`);
  assert.equal(tracked, 0);
  await fake('/_fake/track', { shop: DEMO, variant_id: variant, tracked: true });
  await until('tracked again', async () => ((await d1(`SELECT tracked FROM variants WHERE shop_id = ${shopId} AND id = ${variant}`))[0].tracked === 1 ? true : undefined));
});

test('an archived product stops alerting and its alerts resolve; a draft likewise', async () => {
  const { product_id: product } = await alerted();
  const r = await fake('/_fake/product-status', { shop: DEMO, product_id: product, status: 'archived' });
  assert.equal(r.deliveries[0].status, 200);
  await until('its alerts resolved', async () => ((await liveAlerts(`v.product_id = ${product}`)) === 0 ? true : undefined), { timeoutMs: 60000, everyMs: 1000 });
  const [{ status }] = await d1(`SELECT status FROM products WHERE shop_id = ${shopId} AND id = ${product}`);
  assert.equal(status, 'archived');
  const { product_id: other } = await alerted(product);
  await fake('/_fake/product-status', { shop: DEMO, product_id: other, status: 'draft' });
  await until('the draft product is quiet', async () => ((await liveAlerts(`v.product_id = ${other}`)) === 0 ? true : undefined), { timeoutMs: 60000, everyMs: 1000 });
  for (const p of [product, other]) await fake('/_fake/product-status', { shop: DEMO, product_id: p, status: 'active' });
});

test('a deactivated location stops alerting and its alerts resolve', async () => {
  const [row] = await d1(`SELECT a.location_id FROM alerts a JOIN locations l ON l.shop_id = a.shop_id AND l.id = a.location_id
                          WHERE a.shop_id = ${shopId} AND a.state != 'resolved' AND l.id != (SELECT primary_location_id FROM shops WHERE id = ${shopId})
                          GROUP BY a.location_id ORDER BY COUNT(*) DESC LIMIT 1`);
  assert.ok(row, 'a location with live alerts');
  const r = await fake('/_fake/location', { shop: DEMO, location_id: row.location_id, active: false });
  assert.equal(r.deliveries[0].status, 200);
  await until('its alerts resolved', async () => ((await liveAlerts(`a.location_id = ${row.location_id}`)) === 0 ? true : undefined), { timeoutMs: 60000, everyMs: 1000 });
  const [{ active }] = await d1(`SELECT active FROM locations WHERE shop_id = ${shopId} AND id = ${row.location_id}`);
  assert.equal(active, 0);
  await fake('/_fake/location', { shop: DEMO, location_id: row.location_id, active: true });
  await until('active again', async () => ((await d1(`SELECT active FROM locations WHERE shop_id = ${shopId} AND id = ${row.location_id}`))[0].active === 1 ? true : undefined));
});

test('an order edit that removes units takes them out of the sales history, once', async () => {
  const sale = await fake('/_fake/sale', { shop: DEMO, quantity: 4 });
  const { variant_id: variant, location_id: location } = sale.level;
  await until('the order counted', async () => ((await d1(`SELECT 1 AS x FROM orders_seen WHERE shop_id = ${shopId} AND order_id = ${sale.order_id}`)).length ? true : undefined));
  const start = await sales(variant, location);
  const edited = await fake('/_fake/edit', { shop: DEMO, order_id: sale.order_id, quantity: 3 });
  assert.equal(edited.deliveries[0].topic, 'orders/edited');
  assert.equal(edited.deliveries[0].status, 200);
  const after = await until('the edit applied', async () => {
    const s = await sales(variant, location);
    return s.returned === start.returned + 3 ? s : undefined;
  });
  assert.equal(after.sold, start.sold);
});

test('a gift card never alerts: the sync reads isGiftCard and its alerts resolve', async () => {
  const { product_id: product } = await alerted();
  await fake('/_fake/gift-card', { shop: DEMO, product_id: product, gift_card: true });
  const [{ last }] = await d1(`SELECT COALESCE(MAX(id), 0) AS last FROM sync_runs WHERE shop_id = ${shopId}`);
  const started = await serverFn('sync/start', {}, { shop: DEMO });
  assert.equal(started.status, 200, started.text);
  await until('the sync done', async () => {
    const runs = await d1(`SELECT status FROM sync_runs WHERE shop_id = ${shopId} AND id > ${last}`);
    return runs.length === 2 && runs.every((r) => r.status === 'done') ? true : undefined;
  }, { timeoutMs: 240000, everyMs: 2000 });
  const [{ gift_card: flag }] = await d1(`SELECT gift_card FROM products WHERE shop_id = ${shopId} AND id = ${product}`);
  assert.equal(flag, 1);
  await until('its alerts resolved', async () => ((await liveAlerts(`v.product_id = ${product}`)) === 0 ? true : undefined), { timeoutMs: 90000, everyMs: 1500 });
  await fake('/_fake/gift-card', { shop: DEMO, product_id: product, gift_card: false });
});
