// Settings → Levels and the variant page's levels (issue 19): lead times, minimum stock and
// thresholds per vendor, supplier, product or variant, in Debian's headless Chromium against
// local wrangler dev. Each is asserted by what the merchant then sees (the value in use and
// where it comes from, the alerts it opens) and what D1 keeps; a bad value or CSV line is
// refused with nothing saved.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO, serverFn, d1, until, ensureSynced, launchBrowser, signedInContext, hydratedPage as openHydrated } from './helpers.mjs';

const HEADER = 'scope,key,lead_time_days,lead_time_sd_days,target_cover_days,min_stock,low_stock_days,overstock_days,dead_stock_days';
const LIVE = "state IN ('open', 'acknowledged', 'snoozed')";
let shopId;
let browser;
let context;

before(async () => {
  await ensureSynced(DEMO);
  [{ id: shopId }] = await d1(`SELECT id FROM shops WHERE domain = '${DEMO}'`);
  browser = await launchBrowser();
  context = await signedInContext(browser);
});

after(async () => {
  // Leave the shop as the other files expect it: no overrides, alerts recalculated without them
  // (saving an empty override queues a recalculation of the whole shop).
  await d1(`DELETE FROM overrides WHERE shop_id = ${shopId}`).catch(() => {});
  const [p] = await d1(`SELECT vendor FROM products WHERE shop_id = ${shopId} AND vendor != '' LIMIT 1`);
  if (p) await serverFn('overrides/save', { target: `vendor:${p.vendor}`, 'o[min_stock]': '' }).catch(() => {});
  await browser?.close();
});

const hydratedPage = (path) => openHydrated(context, path);
const stored = async () => (await d1(`SELECT COUNT(*) AS n FROM overrides WHERE shop_id = ${shopId}`))[0].n;

/** Submits a plain form (these parts render on the server) and waits for the page it comes back to. */
async function submit(page, form, button) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), form.getByRole('button', { name: button }).click()]);
  await page.waitForSelector('.app[data-hydrated="true"]', { timeout: 20000 });
}

/** The "Levels in use" row of `label` on a variant page: [value, set by]. */
async function inUse(page, label) {
  const row = page.locator('table.levels-in-use tr', { has: page.locator('th', { hasText: label }) });
  return [await row.locator('td').nth(0).innerText(), await row.locator('td').nth(1).innerText()];
}

test('a vendor\'s levels reach its variants, a variant\'s own beat them, the variant page says where each comes from, and both can be removed', async () => {
  // A variant that can alert (tracked, active, not a gift card) at a watched location.
  const [v] = await d1(`SELECT il.variant_id, il.location_id, p.vendor FROM inventory_levels il
    JOIN variants v ON v.shop_id = il.shop_id AND v.id = il.variant_id JOIN products p ON p.shop_id = v.shop_id AND p.id = v.product_id
    JOIN locations l ON l.shop_id = il.shop_id AND l.id = il.location_id AND l.active = 1 AND l.watched = 1
    WHERE il.shop_id = ${shopId} AND p.vendor != '' AND p.status = 'active' AND p.gift_card = 0 AND v.tracked = 1 AND il.available < 100
    ORDER BY il.variant_id LIMIT 1`);
  assert.ok(v, 'a variant with a vendor that can alert');

  const { page, errors } = await hydratedPage('/app/settings/levels');
  let form = page.locator('#override-form');
  await form.getByLabel('Applies to').selectOption(`vendor:${v.vendor}`);
  await form.getByLabel('Lead time (days)').fill('abc');
  await submit(page, form, 'Save levels');
  form = page.locator('#override-form');
  await form.getByText('Enter whole days from 0 to 180').waitFor();
  assert.equal(await stored(), 0, 'nothing saved');
  await form.getByLabel('Applies to').selectOption(`vendor:${v.vendor}`);
  await form.getByLabel('Lead time (days)').fill('45');
  await form.getByLabel('Minimum stock (units)').fill('5000');
  await submit(page, form, 'Save levels');
  const row = page.locator('table.overrides tr', { hasText: v.vendor });
  await row.getByRole('cell', { name: '45', exact: true }).waitFor();
  await row.getByRole('cell', { name: '5000', exact: true }).waitFor();
  await page.close();

  // The variant page computes with the vendor's 45 days and says where the numbers come from.
  const vp = await hydratedPage(`/app/variants/${v.variant_id}?location=${v.location_id}`);
  const leadTime = () => vp.page.locator('dl.facts div').filter({ has: vp.page.locator('dt', { hasText: /^Lead time$/ }) }).locator('dd');
  assert.equal(await leadTime().innerText(), '45 days');
  assert.deepEqual(await inUse(vp.page, 'Minimum stock'), ['5000', `Vendor ${v.vendor}`]);
  assert.deepEqual(await inUse(vp.page, 'Low stock below'), ['14', 'Shop settings']);
  // The floor reaches the alerts: the variant must be reordered, up to at least 5000.
  await until('a reorder-now alert at the minimum stock', async () => {
    const [a] = await d1(`SELECT json_extract(explanation, '$.thresholds.min_stock') AS m, json_extract(explanation, '$.reorder_point') AS rp FROM alerts WHERE shop_id = ${shopId} AND variant_id = ${v.variant_id} AND location_id = ${v.location_id} AND kind = 'reorder_now' AND ${LIVE}`);
    return a?.m === 5000 && a.rp >= 5000;
  }, { timeoutMs: 60000 });

  // Its own lead time beats the vendor's; a bad value on the product is refused at its field.
  let own = vp.page.locator('#variant-levels-form');
  await own.getByLabel('Lead time (days)').fill('3');
  await submit(vp.page, own, 'Save for this variant');
  assert.equal(await leadTime().innerText(), '3 days');
  assert.deepEqual(await inUse(vp.page, 'Lead time'), ['3', 'This variant']);
  assert.equal(await vp.page.locator('#variant-levels-form').getByLabel('Lead time (days)').inputValue(), '3');
  await vp.page.locator('details.product-levels summary').click();
  const product = vp.page.locator('#product-levels-form');
  await product.getByLabel('Low stock below (days of cover)').fill('many');
  await submit(vp.page, product, 'Save for the product');
  await vp.page.locator('details.product-levels summary').click();
  await vp.page.locator('#product-levels-form').getByText('Enter whole days from 1 to 365').waitFor();
  assert.equal(await stored(), 2, 'the product\'s refused, the two others kept');
  assert.deepEqual(vp.errors, []);
  await vp.page.close();

  // Both listed in Settings → Levels; removing them (by keyboard) restores the shop's.
  const again = await hydratedPage('/app/settings/levels');
  await again.page.locator('table.overrides tr', { hasText: 'variant:' }).waitFor();
  for (;;) {
    const remove = again.page.getByRole('button', { name: /^Remove the levels of/ });
    if ((await remove.count()) === 0) break;
    await remove.first().focus();
    await Promise.all([again.page.waitForNavigation({ waitUntil: 'load' }), again.page.keyboard.press('Enter')]);
  }
  await again.page.getByText('No overrides: every variant uses the shop\'s settings.').waitFor();
  assert.equal(await stored(), 0);
  assert.deepEqual(errors, []);
  assert.deepEqual(again.errors, []);
  await again.page.close();
  await until('the floor\'s alert resolved', async () => {
    const [a] = await d1(`SELECT json_extract(explanation, '$.thresholds.min_stock') AS m FROM alerts WHERE shop_id = ${shopId} AND variant_id = ${v.variant_id} AND location_id = ${v.location_id} AND kind = 'reorder_now' AND ${LIVE}`);
    return !a || a.m === 0;
  }, { timeoutMs: 60000 });
});

test('a low-stock threshold set for one variant opens its alert, and removing it resolves the alert', async () => {
  const [v] = await d1(`SELECT f.variant_id, f.location_id, f.days_of_cover FROM forecasts f
    WHERE f.shop_id = ${shopId} AND f.day = (SELECT MAX(day) FROM forecasts WHERE shop_id = ${shopId})
      AND f.days_of_cover BETWEEN 30 AND 300 AND f.on_hand > 0
      AND NOT EXISTS (SELECT 1 FROM alerts a WHERE a.shop_id = f.shop_id AND a.variant_id = f.variant_id AND a.location_id = f.location_id AND a.kind = 'low_stock' AND a.${LIVE})
    ORDER BY f.variant_id LIMIT 1`);
  assert.ok(v, 'a variant with between 30 and 300 days of cover and no low-stock alert');
  const low = async () => (await d1(`SELECT json_extract(explanation, '$.thresholds.low_stock_days') AS t FROM alerts WHERE shop_id = ${shopId} AND variant_id = ${v.variant_id} AND location_id = ${v.location_id} AND kind = 'low_stock' AND ${LIVE}`))[0];
  const r = await serverFn('overrides/save', { target: `variant:${v.variant_id}`, 'o[low_stock_days]': '365', 'o[overstock_days]': '730' });
  assert.equal(r.status, 200, r.text);
  await until('a low-stock alert under the variant\'s own 365 days', async () => (await low())?.t === 365, { timeoutMs: 60000 });
  const off = await serverFn('overrides/save', { target: `variant:${v.variant_id}`, 'o[low_stock_days]': '' });
  assert.equal(off.status, 200, off.text);
  await until('the alert resolved under the shop\'s 14 days', async () => (await low()) === undefined, { timeoutMs: 60000 });
  assert.equal(await stored(), 0);
});

test('overrides import from CSV whole or not at all, and download as they were stored', async () => {
  const [p] = await d1(`SELECT p.id, p.vendor, v.sku FROM products p JOIN variants v ON v.shop_id = p.shop_id AND v.product_id = p.id WHERE p.shop_id = ${shopId} AND p.vendor != '' AND v.sku != '' AND (SELECT COUNT(*) FROM variants w WHERE w.shop_id = p.shop_id AND w.sku = v.sku) = 1 ORDER BY p.id LIMIT 1`);
  // Opening the page gives each vendor its supplier, if no sync has yet.
  const { page, errors } = await hydratedPage('/app/settings/levels');
  const [s] = await d1(`SELECT name FROM suppliers WHERE shop_id = ${shopId} ORDER BY id LIMIT 1`);
  assert.ok(s, 'a supplier');

  // A wrong header: refused whole, the expected one shown.
  let form = page.locator('#levels-csv-form');
  await form.getByLabel('Import overrides').fill('scope,key,lead_time\nvendor,x,3\n');
  await submit(page, form, 'Import overrides');
  await page.locator('#levels-csv-errors').getByText(`Expected: ${HEADER}`).waitFor();

  // Bad lines: every one reported with its number, nothing stored.
  const bad = [HEADER, `vendor,No Such Vendor Ltd,10,,,,,,`, `product,${p.id},ten,,,,,,`, `variant,NO-SUCH-SKU,,,,2,,,`, `variant,${p.sku},,,,,60,30,`].join('\n');
  form = page.locator('#levels-csv-form');
  await form.getByLabel('Import overrides').fill(bad);
  await submit(page, form, 'Import overrides');
  const list = page.locator('#levels-csv-errors');
  await list.getByText('Line 3: lead_time_days:').waitFor();
  assert.match(await list.innerText(), /Line 5: overstock_days: Overstock must be above the low-stock threshold\./);
  assert.equal(await stored(), 0, 'nothing stored');
  // Lines that parse but name what the shop lacks are refused too, after the parsing ones are fixed.
  form = page.locator('#levels-csv-form');
  await form.getByLabel('Import overrides').fill([HEADER, `vendor,No Such Vendor Ltd,10,,,,,,`, `variant,NO-SUCH-SKU,,,,2,,,`].join('\n'));
  await submit(page, form, 'Import overrides');
  await list.getByText('Line 2: vendor No Such Vendor Ltd: No product of the shop has this vendor.').waitFor();
  await list.getByText('Line 3: variant NO-SUCH-SKU: No variant of the shop has this SKU.').waitFor();
  assert.equal(await stored(), 0, 'nothing stored');

  // A good file: one row per level.
  const good = [HEADER, `vendor,"${p.vendor}",21,2,,,,,`, `supplier,${s.name},14,1.5,,,,,`, `product,${p.id},,,,3,,,`, `variant,${p.sku},,,45,,10,90,60`].join('\r\n');
  form = page.locator('#levels-csv-form');
  await form.getByLabel('Import overrides').fill(good);
  await submit(page, form, 'Import overrides');
  // A plain form comes back to the page, which lists what was stored.
  assert.equal(await page.locator('#levels-csv-errors li').count(), 0);
  assert.equal(await page.locator('table.overrides tbody tr').count(), 4);
  const rows = await d1(`SELECT scope, key, lead_time_days AS lt, lead_time_sd_days AS sd, min_stock AS ms, dead_stock_days AS dd FROM overrides WHERE shop_id = ${shopId} ORDER BY scope`);
  const [{ id: supplierId }] = await d1(`SELECT id FROM suppliers WHERE shop_id = ${shopId} AND name = '${s.name.replace(/'/g, "''")}'`);
  assert.deepEqual(rows.map((r) => [r.scope, r.key]), [['product', String(p.id)], ['supplier', String(supplierId)], ['variant', (await d1(`SELECT id FROM variants WHERE shop_id = ${shopId} AND sku = '${p.sku}'`))[0].id.toString()], ['vendor', p.vendor]]);
  assert.deepEqual(rows.find((r) => r.scope === 'supplier'), { scope: 'supplier', key: String(supplierId), lt: 14, sd: 1.5, ms: null, dd: null });

  // The download holds what was stored, in the import's own format.
  const href = await page.getByRole('link', { name: 'Download the overrides (CSV)' }).getAttribute('href');
  const csv = decodeURIComponent(href.replace(/^data:text\/csv;charset=utf-8,/, ''));
  const lines = csv.trim().split(/\r\n/);
  assert.equal(lines[0], HEADER);
  assert.ok(lines.includes(`supplier,${s.name.includes(',') ? `"${s.name}"` : s.name},14,1.5,,,,,`), csv);
  assert.ok(lines.includes(`variant,${p.sku},,,45,,10,90,60`), csv);

  // A row with every value empty removes that override; the others stay.
  form = page.locator('#levels-csv-form');
  await form.getByLabel('Import overrides').fill(`${HEADER}\nproduct,${p.id},,,,,,,\n`);
  await submit(page, form, 'Import overrides');
  assert.equal(await page.locator('table.overrides tbody tr').count(), 3);
  assert.equal(await page.locator('table.overrides tr', { hasText: 'product:' }).count(), 0);
  assert.equal(await stored(), 3);
  assert.deepEqual(errors, []);
  await page.close();
  await d1(`DELETE FROM overrides WHERE shop_id = ${shopId}`);
});

test('levels for something that is not the shop\'s are refused, and nothing is stored', async () => {
  const r = await serverFn('overrides/save', { target: 'variant:999999999', 'o[lead_time_days]': '10' });
  assert.equal(r.status, 404, r.text);
  const other = await d1(`SELECT s.id FROM suppliers s JOIN shops sh ON sh.id = s.shop_id WHERE sh.domain != '${DEMO}' LIMIT 1`);
  if (other.length) {
    const foreign = await serverFn('overrides/save', { target: `supplier:${other[0].id}`, 'o[lead_time_days]': '10' });
    assert.equal(foreign.status, 404, foreign.text);
  }
  const bad = await serverFn('overrides/save', { target: 'warehouse:1', 'o[lead_time_days]': '10' });
  assert.equal(bad.status, 422, bad.text);
  assert.equal(await stored(), 0);
});
