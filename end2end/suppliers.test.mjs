// Settings → Suppliers and the reorder list on suppliers' terms (issue 19), in Debian's
// headless Chromium against local wrangler dev: a supplier per vendor appears by itself,
// a bad email is refused at its field, a catalogue with a wrong header or bad lines changes
// nothing and says which lines, a good one regroups the reorder list by supplier with
// suggestions rounded to case packs and raised to the minimum order value, and the
// catalogue downloads as it was imported.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, DEMO, get, serverFn, d1, ensureSynced, launchBrowser, signedInContext, until } from './helpers.mjs';

const HEADER = 'supplier,sku,supplier_sku,unit_cost,moq,case_pack';
const NEW_SUPPLIER = 'Nordic Wholesale Co';
let shopId;
let browser;
let context;
let target; // a line the reorder list suggests: { sku, suggested, vendor }
let edited; // the supplier whose details the test changes, as it was

before(async () => {
  await ensureSynced(DEMO);
  [{ id: shopId }] = await d1(`SELECT id FROM shops WHERE domain = '${DEMO}'`);
  browser = await launchBrowser();
  context = await signedInContext(browser);
  const r = await serverFn('reorder', {});
  assert.equal(r.status, 200, r.text);
  const order = r.json.orders.find((o) => o.lines.some((l) => l.sku));
  const line = order.lines.find((l) => l.sku);
  target = { sku: line.sku, suggested: line.suggested_qty, vendor: order.supplier };
});

after(async () => {
  // Leave the shop as the other files expect it: no catalogue, vendors' own suppliers.
  await serverFn('suppliers/catalogue/import', { csv: `${HEADER}\n` });
  if (edited) {
    await serverFn('suppliers/save', {
      id: String(edited.id), 'supplier[name]': edited.name, 'supplier[email]': edited.email, 'supplier[phone]': edited.phone,
      'supplier[currency]': edited.currency ?? '', 'supplier[min_order]': '', 'supplier[notes]': edited.notes,
    });
  }
  await d1(`DELETE FROM suppliers WHERE shop_id = ${shopId} AND name = '${NEW_SUPPLIER}'`);
  await browser?.close();
});

/** Submits a plain form (these pages render on the server) and waits for the page it comes back to. */
async function submit(page, button) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.getByRole('button', { name: button }).click()]);
  await page.waitForSelector('.app[data-hydrated="true"]', { timeout: 20000 });
}

async function suppliers(shop = DEMO) {
  const r = await serverFn('suppliers', {}, { shop });
  assert.equal(r.status, 200, r.text);
  return r.json;
}

test('every vendor has a supplier of its own name without the merchant lifting a finger', async () => {
  const vendors = (await d1(`SELECT DISTINCT vendor FROM products WHERE shop_id = ${shopId} AND vendor <> ''`)).map((r) => r.vendor);
  assert.ok(vendors.length >= 2);
  const page = await suppliers();
  for (const v of vendors) {
    const s = page.suppliers.find((x) => x.vendors.split(', ').includes(v));
    assert.ok(s, `a supplier for ${v}`);
    assert.equal(s.name, v);
  }
  // Reading twice creates nothing more.
  assert.equal((await suppliers()).suppliers.length, page.suppliers.length);
});

test('a bad email is refused at its field and nothing is saved; a good one is saved', async () => {
  const page = await suppliers();
  edited = page.suppliers.find((s) => s.name === target.vendor) ?? page.suppliers[0];
  const tab = await context.newPage();
  const errors = [];
  tab.on('pageerror', (e) => errors.push(e.message));
  await tab.goto(`${BASE}/app/settings/suppliers`);
  await tab.waitForSelector('.app[data-hydrated="true"]', { timeout: 20000 });
  await tab.getByRole('link', { name: `Edit ${edited.name}` }).click();
  await tab.waitForURL(`**/app/settings/suppliers?edit=${edited.id}`);
  const email = tab.getByLabel('Email for purchase orders');
  await email.fill('orders at supplier');
  await submit(tab, 'Save supplier');
  await tab.locator('#supplier-email-error').filter({ hasText: /email address/ }).waitFor({ timeout: 10000 });
  assert.equal(await tab.getByLabel('Email for purchase orders').getAttribute('aria-invalid'), 'true');
  const [stored] = await d1(`SELECT email FROM suppliers WHERE id = ${edited.id}`);
  assert.equal(stored.email, edited.email, 'nothing saved');

  await tab.getByLabel('Email for purchase orders').fill('orders@supplier.example');
  await tab.getByLabel('Phone').fill('+1 555 0100');
  await submit(tab, 'Save supplier');
  const [saved] = await d1(`SELECT email, phone FROM suppliers WHERE id = ${edited.id}`);
  assert.deepEqual(saved, { email: 'orders@supplier.example', phone: '+1 555 0100' });
  // The list shows it once read again.
  await until('the list to show the email', async () => (await tab.locator('table').innerText()).includes('orders@supplier.example'));
  assert.deepEqual(errors, []);
  await tab.close();
});

test("another shop's supplier cannot be changed through this shop", async () => {
  // A shop of someone else's, with a supplier of its own.
  const probe = 'isolation-probe.myshopify.com';
  // An id of its own: autoincrement could take the id of a shop that lives on another shard.
  await d1(`INSERT INTO shops (id, domain, name) VALUES (990000000002, '${probe}', 'Probe')`);
  const [{ id: otherShop }] = await d1(`SELECT id FROM shops WHERE domain = '${probe}'`);
  await d1(`INSERT INTO suppliers (shop_id, name, updated_at) VALUES (${otherShop}, 'Theirs', '2026-12-01T00:00:00Z')`);
  const [{ id: theirs }] = await d1(`SELECT id FROM suppliers WHERE shop_id = ${otherShop}`);
  try {
    const r = await serverFn('suppliers/save', { id: String(theirs), 'supplier[name]': 'Hijacked', 'supplier[email]': '', 'supplier[phone]': '', 'supplier[currency]': '', 'supplier[min_order]': '', 'supplier[notes]': '' });
    assert.equal(r.status, 404, r.text);
    const [row] = await d1(`SELECT name FROM suppliers WHERE id = ${theirs}`);
    assert.equal(row.name, 'Theirs');
    assert.ok(!(await suppliers()).suppliers.some((s) => s.id === theirs), 'not listed for this shop');
  } finally {
    await d1(`DELETE FROM suppliers WHERE shop_id = ${otherShop}`);
    await d1(`DELETE FROM shops WHERE id = ${otherShop}`);
  }
});

test('a catalogue with a wrong header, or any bad line, is refused whole with its line numbers', async () => {
  const before = (await d1(`SELECT COUNT(*) AS n FROM supplier_items WHERE shop_id = ${shopId}`))[0].n;
  const wrong = await serverFn('suppliers/catalogue/import', { csv: `vendor,sku,cost\n${NEW_SUPPLIER},${target.sku},2.50\n` });
  assert.equal(wrong.status, 422, wrong.text);
  assert.match(wrong.text, new RegExp(`Expected: ${HEADER}`));

  const tab = await context.newPage();
  await tab.goto(`${BASE}/app/settings/suppliers`);
  await tab.waitForSelector('.app[data-hydrated="true"]', { timeout: 20000 });
  const csv = [HEADER, `${NEW_SUPPLIER},${target.sku},NW-1,2.50,0,6`, `${NEW_SUPPLIER},NO-SUCH-SKU,NW-2,1.00,1,1`, `${NEW_SUPPLIER},${target.sku}-x,NW-3,abc,1,0`].join('\n');
  await tab.getByLabel('Import a catalogue').fill(csv);
  await submit(tab, 'Import the catalogue');
  const list = tab.locator('#catalogue-errors li');
  await list.first().waitFor({ timeout: 10000 });
  const problems = await list.allInnerTexts();
  assert.match(problems[0], /^Line 2: The minimum order quantity must be at least 1\./);
  assert.match(problems[1], /^Line 4: Unit cost "abc" is not an amount/);
  assert.ok(await tab.getByRole('alert').filter({ hasText: 'nothing changed' }).count());
  assert.equal((await d1(`SELECT COUNT(*) AS n FROM supplier_items WHERE shop_id = ${shopId}`))[0].n, before, 'nothing stored');
  // A SKU the shop does not have is found once the rows parse.
  const unknown = await serverFn('suppliers/catalogue/import', { csv: [HEADER, `${NEW_SUPPLIER},${target.sku},NW-1,2.50,1,6`, `${NEW_SUPPLIER},NO-SUCH-SKU,NW-2,1.00,1,1`].join('\n') });
  assert.equal(unknown.status, 422);
  assert.match(unknown.text, /Line 3: No variant of the shop has SKU NO-SUCH-SKU/);
  assert.equal((await d1(`SELECT COUNT(*) AS n FROM supplier_items WHERE shop_id = ${shopId}`))[0].n, before, 'still nothing stored');
  await tab.close();
});

test('an imported catalogue regroups the reorder list by supplier, rounded to its case pack and raised to its minimum order', async () => {
  const casePack = target.suggested + 5;
  const csv = `${HEADER}\n"${NEW_SUPPLIER}",${target.sku},NW-${target.sku},2.50,1,${casePack}\n`;
  const r = await serverFn('suppliers/catalogue/import', { csv });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, { lines: 1, suppliers: 1 });

  let list = (await serverFn('reorder', {})).json;
  let order = list.orders.find((o) => o.supplier === NEW_SUPPLIER);
  assert.ok(order, 'the variant is ordered from its catalogue supplier now');
  let line = order.lines.find((l) => l.sku === target.sku);
  assert.equal(line.suggested_qty, target.suggested, 'the engine suggests as before');
  assert.equal(line.order_qty, casePack, 'one case');
  assert.equal(line.rounding, `suggested ${target.suggested} → ${casePack}, case of ${casePack}`);
  assert.equal(line.unit_cost_cents, 250);
  assert.ok(!list.orders.some((o) => o.supplier !== NEW_SUPPLIER && o.lines.some((l) => l.sku === target.sku)), 'not under its vendor any more');

  // The page says so, and the purchase order carries the supplier's SKU.
  const page = await get('/app/reorder');
  assert.ok(page.text.includes(`suggested ${target.suggested} → ${casePack}, case of ${casePack}`));
  assert.ok(list.csv.split('\r\n').some((row) => row.startsWith(`${NEW_SUPPLIER},${target.sku},NW-${target.sku},`) && row.includes(`,${casePack},2.50`)));

  // A minimum order of three cases: two more cases, and the page says why.
  const [supplier] = await d1(`SELECT id FROM suppliers WHERE shop_id = ${shopId} AND name = '${NEW_SUPPLIER}'`);
  const minimum = (3 * casePack * 250) / 100;
  const saved = await serverFn('suppliers/save', { id: String(supplier.id), 'supplier[name]': NEW_SUPPLIER, 'supplier[email]': '', 'supplier[phone]': '', 'supplier[currency]': '', 'supplier[min_order]': minimum.toFixed(2), 'supplier[notes]': '' });
  assert.equal(saved.status, 200, saved.text);
  list = (await serverFn('reorder', {})).json;
  order = list.orders.find((o) => o.supplier === NEW_SUPPLIER);
  line = order.lines.find((l) => l.sku === target.sku);
  assert.equal(line.order_qty, 3 * casePack);
  assert.equal(order.topped_up_cases, 2);
  assert.ok(order.total_cost_cents >= order.min_order_cents);
  assert.match(line.rounding, /to reach the supplier's minimum order/);
  assert.match((await get('/app/reorder')).text, /2 cases added to reach it/);

  // The catalogue downloads as imported.
  const tab = await context.newPage();
  await tab.goto(`${BASE}/app/settings/suppliers`);
  const href = await tab.getByRole('link', { name: 'Download the catalogue (CSV)' }).getAttribute('href');
  const text = decodeURIComponent(href.slice(href.indexOf(',') + 1));
  assert.equal(text, `${HEADER}\r\n${NEW_SUPPLIER},${target.sku},NW-${target.sku},2.50,1,${casePack}\r\n`);
  await tab.close();
});

test('the variant page sets where the variant, or its whole product, is ordered from; a case pack of 0 is refused at its field', async () => {
  const [{ variant_id: variantId }] = await d1(`SELECT id AS variant_id FROM variants WHERE shop_id = ${shopId} AND sku = '${target.sku}'`);
  const [{ id: supplierId }] = await d1(`SELECT id FROM suppliers WHERE shop_id = ${shopId} AND name = '${NEW_SUPPLIER}'`);
  const tab = await context.newPage();
  const errors = [];
  tab.on('pageerror', (e) => errors.push(e.message));
  await tab.goto(`${BASE}/app/variants/${variantId}`);
  await tab.waitForSelector('.app[data-hydrated="true"]', { timeout: 20000 });
  const from = tab.getByLabel('Ordered from');
  assert.equal(await from.inputValue(), String(supplierId), 'the catalogue line imported above');
  await tab.getByLabel('Case pack').fill('0');
  await submit(tab, 'Save supplier terms');
  await tab.locator('#item-case_pack-error').filter({ hasText: 'The case pack must be at least 1.' }).waitFor({ timeout: 10000 });
  assert.notEqual((await d1(`SELECT case_pack FROM supplier_items WHERE shop_id = ${shopId} AND variant_id = ${variantId}`))[0].case_pack, 0);
  await tab.getByLabel('Case pack').fill('6');
  await tab.getByLabel('Supplier SKU').fill('NW-VARIANT');
  await submit(tab, 'Save supplier terms');
  const [item] = await d1(`SELECT supplier_id, supplier_sku, case_pack FROM supplier_items WHERE shop_id = ${shopId} AND variant_id = ${variantId}`);
  assert.deepEqual(item, { supplier_id: supplierId, supplier_sku: 'NW-VARIANT', case_pack: 6 });
  // The whole product to that supplier: its other variants follow, this one keeps its terms.
  const siblings = `SELECT w.id FROM variants w JOIN variants v ON v.shop_id = w.shop_id AND v.product_id = w.product_id WHERE v.shop_id = ${shopId} AND v.id = ${variantId} AND w.id != ${variantId}`;
  const [{ n: others }] = await d1(`SELECT COUNT(*) AS n FROM (${siblings})`);
  await tab.getByLabel('Order every variant of this product from this supplier').check();
  await submit(tab, 'Save supplier terms');
  const moved = await d1(`SELECT variant_id, supplier_id, case_pack FROM supplier_items WHERE shop_id = ${shopId} AND variant_id IN (${siblings})`);
  assert.equal(moved.length, others);
  assert.ok(moved.every((m) => m.supplier_id === supplierId && m.case_pack === 1), JSON.stringify(moved));
  assert.equal((await d1(`SELECT case_pack FROM supplier_items WHERE shop_id = ${shopId} AND variant_id = ${variantId}`))[0].case_pack, 6);
  // Back to the vendor's supplier, for the whole product: every catalogue line of it goes.
  await tab.getByLabel('Ordered from').selectOption('');
  await tab.getByLabel('Order every variant of this product from this supplier').check();
  await submit(tab, 'Save supplier terms');
  await until('the lines removed', async () => (await d1(`SELECT COUNT(*) AS n FROM supplier_items WHERE shop_id = ${shopId} AND (variant_id = ${variantId} OR variant_id IN (${siblings}))`))[0].n === 0);
  assert.deepEqual(errors, []);
  await tab.close();
});
