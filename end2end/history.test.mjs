// Orders older than 60 days need Shopify's approval of the protected `read_all_orders`
// scope. Without it the fake Shopify, like Shopify, returns the last 60 days only: the
// import still finishes, and the dashboard says how much history the shop has.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { OTHER, serverFn, fake, d1, until, ensureSynced } from './helpers.mjs';

after(async () => {
  await fake('/_fake/scopes', { shop: OTHER, read_all_orders: true });
});

async function ordersRuns(shopId) {
  return d1(`SELECT id, status, objects_done FROM sync_runs WHERE shop_id = ${shopId} AND kind = 'orders' ORDER BY id`);
}

test('without read_all_orders the import brings 60 days of orders and finishes; the dashboard says how much history there is', async () => {
  await ensureSynced(OTHER);
  const [{ id: shopId }] = await d1(`SELECT id FROM shops WHERE domain = '${OTHER}'`);
  const full = (await ordersRuns(shopId)).filter((r) => r.status === 'done').at(-1);
  assert.ok(full, 'a full import ran');
  await fake('/_fake/scopes', { shop: OTHER, read_all_orders: false });
  const started = await serverFn('sync/start', {}, { shop: OTHER });
  assert.equal(started.status, 200, started.text);
  const run = await until('the 60-day import', async () => {
    const r = (await ordersRuns(shopId)).filter((x) => x.id > full.id).at(-1);
    return r && (r.status === 'done' || r.status === 'failed') ? r : undefined;
  }, { timeoutMs: 180000, everyMs: 1500 });
  assert.equal(run.status, 'done');
  assert.ok(run.objects_done > 0 && run.objects_done < full.objects_done * 0.3, `${run.objects_done} of ${full.objects_done} records`);
  const views = (await serverFn('sync/status', {}, { shop: OTHER })).json;
  const orders = views.find((v) => v.kind === 'orders');
  assert.ok(orders.history_days >= 60, JSON.stringify(orders));
  const page = await serverFn('dashboard', {}, { shop: OTHER });
  assert.equal(page.json.sync.find((v) => v.kind === 'orders').history_days, orders.history_days);
});
