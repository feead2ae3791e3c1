// The variant page, the Sunday seasonal refit and the Sunday retention cleanup, against
// local wrangler dev: what the merchant sees (in Debian's headless Chromium) and what D1
// keeps.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { BASE, DEMO, OTHER, DEFAULT_SETTINGS, get, serverFn, d1, until, ensureSynced, launchBrowser, signedInContext, csvRows } from './helpers.mjs';

const ARTIFACTS = new URL('./artifacts/', import.meta.url).pathname;
let browser;
let context;
let shopId;

async function fire(cron) {
  // Through `get`, which retries a connection the local server dropped.
  const { res } = await get(`/__scheduled?cron=${encodeURIComponent(cron).replaceAll('%20', '+')}`, { shop: null });
  assert.equal(res.status, 200, `firing ${cron}`);
}

/** Fires `cron` in a minute whose slot has not run yet (a second firing in the same minute is a no-op). */
async function fireFresh(cron, job) {
  for (;;) {
    const minute = new Date().toISOString().slice(0, 16);
    const used = await d1(`SELECT 1 FROM job_runs WHERE slot = '${job}@${minute}Z'`);
    if (used.length === 0) {
      await fire(cron);
      // The Worker names the slot by its own clock: a firing at the end of a minute can
      // land in the next one.
      const next = new Date(Date.parse(`${minute}:00Z`) + 60000).toISOString().slice(0, 16);
      const slots = `'${job}@${minute}Z', '${job}@${next}Z'`;
      return until(`${job} run`, async () => (await d1(`SELECT status FROM job_runs WHERE slot IN (${slots}) AND status = 'done'`)).length > 0, { timeoutMs: 120000, everyMs: 1000 });
    }
    await new Promise((r) => setTimeout(r, 2000));
  }
}

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  await ensureSynced(DEMO);
  shopId = (await d1(`SELECT id FROM shops WHERE domain = '${DEMO}'`))[0].id;
  browser = await launchBrowser();
  context = await signedInContext(browser);
});

after(async () => {
  await browser?.close();
});

test('the Sunday refit stores each variant\'s seasonal pattern and the forecasts carry its yearly factor', async () => {
  const before = new Date().toISOString();
  const stocked = async () => new Set((await d1(`SELECT DISTINCT variant_id FROM inventory_levels WHERE shop_id = ${shopId}`)).map((r) => r.variant_id));
  // Webhooks of earlier tests may still add or remove a variant while the refit runs.
  const stockedBefore = await stocked();
  await fireFresh('0 3 * * SUN', 'refit_seasonality');
  const rows = await until('patterns', async () => {
    const r = await d1(`SELECT variant_id, day_of_week, week_of_year, yearly_factor, fitted_at FROM seasonal_patterns WHERE shop_id = ${shopId}`);
    // The shop-wide pattern is written last, in one batch with the removal of stale ones:
    // once it is fresh, every chunk of variants before it is too.
    return r.some((p) => p.variant_id === 0 && p.fitted_at >= before) ? r : undefined;
  }, { timeoutMs: 120000, everyMs: 1000 });
  // One pattern per variant stocked somewhere (a product created by a webhook may have no
  // stock yet), plus the shop-wide one (variant 0).
  const stockedAfter = await stocked();
  const fitted = new Set(rows.map((r) => r.variant_id).filter((v) => v !== 0));
  assert.equal(fitted.size, rows.length - 1, 'one pattern per variant');
  const missing = [...stockedBefore].filter((v) => stockedAfter.has(v) && !fitted.has(v));
  assert.deepEqual(missing, [], 'every variant stocked throughout has a pattern');
  const unknown = [...fitted].filter((v) => !stockedBefore.has(v) && !stockedAfter.has(v));
  assert.deepEqual(unknown, [], 'no pattern for a variant that is not stocked');
  assert.ok(fitted.size > 100, `the demo shop's variants are fitted (${fitted.size})`);
  const shop = rows.find((r) => r.variant_id === 0);
  assert.ok(shop, 'shop-wide pattern');
  const dow = JSON.parse(shop.day_of_week);
  assert.equal(dow.length, 7);
  assert.ok(Math.abs(dow.reduce((a, b) => a + b, 0) / 7 - 1) < 1e-6, 'weekday indices average 1');
  // The import brings 420 days: a year of week-of-year factors and a measured yearly factor.
  assert.equal(JSON.parse(shop.week_of_year).length, 52);
  assert.ok(rows.some((r) => Math.abs(r.yearly_factor - 1) > 0.05), 'some variant has a seasonal yearly factor');
  // Each selling location's long-run demand (mean size, days between demands, mean squared
  // size), where a lumpy seller's nightly forecast starts.
  const runs = await d1(`SELECT sp.variant_id, sp.long_run, (SELECT json_group_array(id) FROM locations l WHERE l.shop_id = sp.shop_id) AS locations
                         FROM seasonal_patterns sp WHERE sp.shop_id = ${shopId} AND sp.long_run IS NOT NULL`);
  assert.ok(runs.length > fitted.size / 2, `most variants have a long run (${runs.length}/${fitted.size})`);
  for (const r of runs) {
    const locations = JSON.parse(r.locations).map(String);
    for (const [loc, [size, adi, sq]] of Object.entries(JSON.parse(r.long_run))) {
      assert.ok(locations.includes(loc), `variant ${r.variant_id}: a long run for one of the shop's locations (${loc})`);
      assert.ok(size >= 1 && adi >= 1 && sq >= size * size - 1e-9, `variant ${r.variant_id}: ${r.long_run}`);
    }
  }
  // The recalculation after the refit wrote today's forecasts with their backtest error.
  const f = await until('forecast rows', async () => {
    const r = await d1(`SELECT COUNT(*) AS n, COUNT(mase) AS scored FROM forecasts WHERE shop_id = ${shopId} AND computed_at >= '${before}'`);
    return r[0].n > 0 ? r[0] : undefined;
  }, { timeoutMs: 60000, everyMs: 1000 });
  assert.ok(f.scored > f.n / 2, `most positions have a forecast error (${f.scored}/${f.n})`);
});

test('the refit classes variants A/B/C by a year of revenue and X/Y/Z by steadiness; each class gets its service level', async () => {
  // The refit above wrote them (before the shop-wide pattern it waited for).
  const classes = await d1(`SELECT abc, xyz, revenue_cents, units, weekly_cv FROM variant_classes WHERE shop_id = ${shopId}`);
  const stocked = await d1(`SELECT COUNT(DISTINCT variant_id) AS n FROM inventory_levels WHERE shop_id = ${shopId}`);
  assert.ok(classes.length >= stocked[0].n - 5, `every stocked variant is classed (${classes.length}/${stocked[0].n})`);
  const total = classes.reduce((a, c) => a + c.revenue_cents, 0);
  const of = (k) => classes.filter((c) => c.abc === k);
  const share = (k) => of(k).reduce((a, c) => a + c.revenue_cents, 0) / total;
  for (const k of ['A', 'B', 'C']) assert.ok(of(k).length > 0, `some variant is ${k}`);
  // A covers 80 % of revenue, by the variants that earn most: none of B earns more than the least of A.
  assert.ok(share('A') >= 0.8 && share('A') < 0.8 + Math.max(...of('A').map((c) => c.revenue_cents)) / total + 1e-9, `A share ${share('A')}`);
  assert.ok(share('A') + share('B') >= 0.95, `A+B share ${share('A') + share('B')}`);
  assert.ok(Math.max(...of('B').map((c) => c.revenue_cents)) <= Math.min(...of('A').map((c) => c.revenue_cents)));
  assert.ok(of('A').length < classes.length / 2, 'the top 80 % of revenue comes from a minority of variants');
  assert.ok(of('C').every((c) => c.revenue_cents <= Math.min(...of('B').map((b) => b.revenue_cents))));
  // XYZ from the weekly coefficient of variation: X ≤ 0.5 < Y ≤ 1 < Z.
  for (const c of classes.filter((c) => c.weekly_cv !== null)) {
    assert.equal(c.xyz, c.weekly_cv <= 0.5 ? 'X' : c.weekly_cv <= 1 ? 'Y' : 'Z');
  }
  assert.ok(new Set(classes.map((c) => c.xyz).filter(Boolean)).size >= 2, 'demand differs in steadiness');

  // The recalculation after the refit aims A at 98 %, B at 95 %, C at 90 % (the defaults).
  const levels = async () => d1(`SELECT vc.abc, json_extract(a.explanation, '$.service_level_pct') AS level, COUNT(*) AS n
    FROM alerts a JOIN variant_classes vc ON vc.shop_id = a.shop_id AND vc.variant_id = a.variant_id
    WHERE a.shop_id = ${shopId} AND a.state != 'resolved' AND a.kind IN ('reorder_now', 'low_stock', 'out_of_stock') GROUP BY 1, 2`);
  const byClass = await until('class service levels in the alerts', async () => {
    const r = await levels();
    return r.some((x) => x.abc === 'A' && x.level === 98) && r.every((x) => x.level === { A: 98, B: 95, C: 90 }[x.abc]) ? r : undefined;
  }, { timeoutMs: 60000, everyMs: 1000 });
  assert.ok(byClass.length >= 2, JSON.stringify(byClass));

  // The merchant changes A's level: the next recalculation uses it; an impossible one is refused at its field.
  const refused = await serverFn('save_settings', { ...DEFAULT_SETTINGS, service_level_a_pct: '100.5' });
  assert.equal(refused.status, 422);
  assert.match(refused.text, /service_level_a_pct/);
  const saved = await serverFn('save_settings', { ...DEFAULT_SETTINGS, service_level_a_pct: '99.5' });
  assert.equal(saved.status, 200, saved.text);
  assert.equal(saved.json.service_level_a_pct, 99.5);
  await until('A at 99.5 %', async () => (await levels()).some((x) => x.abc === 'A' && x.level === 99.5) || undefined, { timeoutMs: 60000, everyMs: 1000 });
  await serverFn('save_settings', DEFAULT_SETTINGS);
  await until('A back at 98 %', async () => (await levels()).every((x) => x.level === { A: 98, B: 95, C: 90 }[x.abc]) || undefined, { timeoutMs: 60000, everyMs: 1000 });

  // The dashboard lists, filters and shows the classes.
  const all = (await serverFn('dashboard', {})).json;
  const onlyA = (await serverFn('dashboard', { abc: 'A' })).json;
  assert.equal(onlyA.filter.abc, 'A');
  assert.ok(onlyA.total > 0 && onlyA.total < all.total, `${onlyA.total} of ${all.total}`);
  assert.ok(onlyA.rows.every((r) => r.class.startsWith('A')), 'every listed alert is class A');
  const steadyA = (await serverFn('dashboard', { abc: 'A', xyz: 'X' })).json;
  assert.ok(steadyA.rows.every((r) => r.class === 'A · X'));
  const page = await context.newPage();
  await page.goto(`${BASE}/app`);
  await page.waitForSelector('.app[data-hydrated="true"]');
  await page.getByLabel('ABC class').selectOption('A');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await page.waitForURL(/abc=A/);
  // The current list stays (marked busy) until the filtered one arrives.
  await page.waitForFunction(() => {
    const cells = [...document.querySelectorAll('.alert-table tbody tr:not([hidden]) td:nth-of-type(5)')];
    return cells.length > 0 && cells.every((c) => c.textContent.startsWith('A'));
  }, null, { timeout: 20000 });
  const cells = await page.locator('.alert-table tbody tr:not([hidden]) td:nth-of-type(5)').allTextContents();
  assert.ok(cells.length > 0 && cells.every((t) => t.startsWith('A')), cells.join(','));

  // The filtered list exports whole (every page, not the 50 shown), from the page's button.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export these alerts (CSV)' }).click(),
  ]);
  assert.match(download.suggestedFilename(), /^alerts-\d{4}-\d{2}-\d{2}\.csv$/);
  const file = csvRows(readFileSync(await download.path(), 'utf8'));
  assert.deepEqual(file[0].slice(0, 7), ['product', 'variant', 'sku', 'location', 'alert', 'status', 'class']);
  assert.equal(file.length - 1, onlyA.total, 'one line per alert of class A, on every page');
  assert.ok(file.slice(1).every((r) => r[6].startsWith('A') && r.length === file[0].length));
  await page.getByText(`(${onlyA.total} rows)`).waitFor();
  await page.close();

  // The forecasts export: one line per stocked position with a forecast, with its classes.
  const rows = csvRows((await serverFn('export', { what: 'forecasts' })).json);
  const [{ n: positions }] = await d1(`SELECT COUNT(*) AS n FROM inventory_levels il WHERE il.shop_id = ${shopId}
    AND EXISTS (SELECT 1 FROM forecasts x WHERE x.shop_id = il.shop_id AND x.variant_id = il.variant_id AND x.location_id = il.location_id)`);
  assert.equal(rows.length - 1, positions);
  assert.equal((await serverFn('export', { what: 'orders' })).status, 422, 'an unknown export is refused');
  const col = (name) => rows[0].indexOf(name);
  assert.ok(rows.slice(1).every((r) => Number.isFinite(Number(r[col('forecast_per_day')])) && ['A', 'B', 'C', ''].includes(r[col('abc')])));
  assert.ok(rows.slice(1).some((r) => r[col('abc')] === 'A'));
});

test('the reorder list shows and narrows by class; roll-ups add up stock, revenue and alerts per vendor, supplier and product type', async () => {
  // The reorder list (after the refit above classed the variants): every line carries its class; abc=A keeps only A.
  const all = (await serverFn('reorder', {})).json;
  const lines = (r) => r.orders.flatMap((o) => o.lines);
  assert.ok(lines(all).some((l) => l.class.startsWith('A')) && lines(all).some((l) => !l.class.startsWith('A')), 'the list mixes classes');
  const onlyA = (await serverFn('reorder', { abc: 'A' })).json;
  assert.equal(onlyA.abc, 'A');
  assert.ok(lines(onlyA).length > 0 && lines(onlyA).every((l) => l.class.startsWith('A')), 'only class A lines');
  assert.equal(lines(onlyA).length, lines(all).filter((l) => l.class.startsWith('A')).length, 'every class A line stays');
  assert.ok(onlyA.orders.every((o) => o.lines.length > 0), 'a supplier with no class A line is left out');

  const page = await context.newPage();
  await page.goto(`${BASE}/app/reorder?abc=A`);
  await page.waitForSelector('.app[data-hydrated="true"]');
  assert.equal(await page.getByLabel('ABC class').inputValue(), 'A');
  const cells = await page.locator('.data-table td.class-cell').allTextContents();
  assert.equal(cells.length, lines(onlyA).length);
  assert.ok(cells.every((c) => c.startsWith('A')), cells.join(','));
  // The purchase order made from the narrowed list holds its lines only.
  const section = onlyA.orders[0];
  const [{ before }] = await d1(`SELECT COALESCE(MAX(id), 0) AS before FROM purchase_orders WHERE shop_id = ${shopId}`);
  await page.getByRole('button', { name: `Create purchase order for ${section.supplier}` }).click();
  await page.getByText('as a draft.').waitFor();
  const made = await d1(`SELECT pl.variant_id FROM purchase_order_lines pl JOIN purchase_orders o ON o.id = pl.order_id
    WHERE o.shop_id = ${shopId} AND o.id > ${before}`);
  assert.equal(made.length, section.lines.length, "the order holds the section's lines");
  const classes = new Map((await d1(`SELECT variant_id, abc FROM variant_classes WHERE shop_id = ${shopId}`)).map((c) => [c.variant_id, c.abc]));
  assert.ok(made.length > 0 && made.every((l) => classes.get(l.variant_id) === 'A'), JSON.stringify(made));

  // Roll-ups: the table by vendor, read from the CSV the page offers (what the merchant downloads).
  const table = async (by) => {
    await page.goto(`${BASE}/app/rollups?by=${by}`);
    const link = page.getByRole('link', { name: 'Download this table (CSV)' });
    assert.match(await link.getAttribute('download'), new RegExp(`^rollups-${by}-\\d{4}-\\d{2}-\\d{2}\\.csv$`));
    const rows = csvRows(decodeURIComponent((await link.getAttribute('href')).replace(/^data:text\/csv;charset=utf-8,/, '')));
    const head = rows[0];
    return rows.slice(1).map((r) => Object.fromEntries(head.map((h, i) => [h, i === 1 || h === 'group' || h === 'currency' ? r[i] : Number(r[i])])));
  };
  const byVendor = await table('vendor');
  const total = byVendor.at(-1);
  assert.equal(total.name, 'All');
  const groups = byVendor.slice(0, -1);
  // What D1 holds, counted independently: the variants that can run out, their stock at watched locations, the live alerts.
  const vendors = await d1(`SELECT p.vendor AS name, COUNT(*) AS variants,
      COALESCE(SUM((SELECT SUM(MAX(il.available, 0)) FROM inventory_levels il JOIN locations l ON l.shop_id = il.shop_id AND l.id = il.location_id
                    WHERE il.shop_id = v.shop_id AND il.variant_id = v.id AND l.active = 1 AND l.watched = 1)), 0) AS on_hand,
      COALESCE(SUM((SELECT revenue_cents FROM variant_classes vc WHERE vc.shop_id = v.shop_id AND vc.variant_id = v.id)), 0) AS revenue_cents
    FROM variants v JOIN products p ON p.shop_id = v.shop_id AND p.id = v.product_id
    WHERE v.shop_id = ${shopId} AND v.tracked = 1 AND p.status IN ('active', 'unlisted') AND p.gift_card = 0 GROUP BY p.vendor`);
  assert.equal(groups.length, vendors.length, 'one row per vendor');
  for (const v of vendors) {
    const g = groups.find((x) => x.name === v.name);
    assert.ok(g, `a row for ${v.name}`);
    assert.equal(g.variants, v.variants, `${v.name} variants`);
    assert.equal(g.on_hand, v.on_hand, `${v.name} on hand`);
    assert.equal(Math.round(g.revenue_364_days * 100), v.revenue_cents, `${v.name} revenue`);
  }
  for (let i = 1; i < groups.length; i++) assert.ok(groups[i - 1].revenue_364_days >= groups[i].revenue_364_days, 'most revenue first');
  const [{ oos, reorder }] = await d1(`SELECT SUM(kind = 'out_of_stock') AS oos, SUM(kind IN ('reorder_now', 'low_stock')) AS reorder
    FROM alerts WHERE shop_id = ${shopId} AND state IN ('open', 'acknowledged')`);
  assert.equal(total.out_of_stock, oos);
  assert.equal(total.to_reorder, reorder);
  assert.ok(total.class_a_variants > 0 && total.class_a_variants === groups.reduce((a, g) => a + g.class_a_variants, 0));

  // Grouped by supplier or product type, the same variants add up to the same totals.
  for (const by of ['supplier', 'product_type']) {
    const rows = await table(by);
    const t = rows.at(-1);
    for (const k of ['variants', 'class_a_variants', 'revenue_364_days', 'on_hand', 'stock_value_at_cost', 'out_of_stock', 'to_reorder', 'overstock_or_dead']) {
      assert.ok(Number.isFinite(t[k]), `${by} ${k} is a number`);
      assert.equal(t[k], total[k], `${by} ${k}`);
    }
    assert.ok(rows.every((r) => r.group === by));
  }
  const types = await d1(`SELECT DISTINCT p.product_type AS t FROM variants v JOIN products p ON p.shop_id = v.shop_id AND p.id = v.product_id
    WHERE v.shop_id = ${shopId} AND v.tracked = 1 AND p.status IN ('active', 'unlisted') AND p.gift_card = 0`);
  assert.equal((await table('product_type')).length - 1, types.length, 'one row per product type');

  // In the browser: the tabs switch the grouping, a vendor's name opens the dashboard filtered to it.
  await page.goto(`${BASE}/app/rollups`);
  await page.waitForSelector('.app[data-hydrated="true"]');
  await page.getByRole('link', { name: 'By product type' }).click();
  await page.waitForURL(/by=product_type/);
  await page.getByRole('columnheader', { name: 'Product type' }).waitFor();
  await page.getByRole('link', { name: 'By vendor' }).click();
  await page.getByRole('columnheader', { name: 'Vendor' }).waitFor();
  const top = groups[0].name;
  await page.getByRole('table').getByRole('link', { name: top, exact: true }).click();
  await page.waitForURL((u) => u.pathname === '/app' && u.searchParams.get('vendor') === top);
  await page.close();
});


test('the variant page explains an alert with server-rendered charts and the forecast error', async () => {
  const [a] = await d1(`SELECT variant_id, location_id FROM alerts WHERE shop_id = ${shopId} AND kind = 'reorder_now' AND state = 'open' ORDER BY urgency DESC LIMIT 1`);
  assert.ok(a, 'the demo shop has a reorder-now alert');
  const path = `/app/variants/${a.variant_id}?location=${a.location_id}`;
  // Before hydration: the charts are already in the server's HTML.
  const ssr = await get(path);
  assert.equal(ssr.res.status, 200);
  assert.match(ssr.text, /<svg[^>]*role="img"/);
  assert.match(ssr.text, /<path d="M[\d.]+ [\d.]+ L[^"]*" class="chart-forecast"/);
  assert.match(ssr.text, /class="chart-bar"/);

  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(BASE + path);
  await page.waitForSelector('.app[data-hydrated="true"]', { timeout: 20000 });
  await page.getByRole('heading', { name: 'Sales and forecast' }).waitFor();
  assert.ok(await page.getByText('Reorder now', { exact: false }).first().isVisible());
  assert.match(await page.locator('.alert-reorder_now').innerText(), /at or below the reorder point of [\d.]+/);
  assert.match(await page.locator('.forecast-error').innerText(), /MASE \d+\.\d\d|Not scored yet/);
  assert.ok(await page.getByRole('img', { name: /Daily sales and forecast/ }).isVisible());
  assert.ok(await page.getByRole('img', { name: /Stock on hand and projection/ }).isVisible());
  await page.screenshot({ path: `${ARTIFACTS}variant.png`, fullPage: true });
  // Another location of the same variant, by keyboard from the location list.
  const others = page.locator('.location-tabs a:not(.current)');
  if ((await others.count()) > 0) {
    await others.first().focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/location=/);
    await page.locator('.location-tabs a.current').waitFor();
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test('a variant of another shop, or none at all, is a 404 — never another shop\'s data', async () => {
  const [theirs] = await d1(`SELECT il.variant_id FROM inventory_levels il JOIN shops s ON s.id = il.shop_id WHERE s.domain = '${OTHER}' LIMIT 1`);
  const ids = [999999999, ...(theirs ? [theirs.variant_id] : [])];
  const mine = new Set((await d1(`SELECT id FROM variants WHERE shop_id = ${shopId}`)).map((r) => r.id));
  for (const id of ids.filter((i) => !mine.has(i))) {
    const r = await serverFn('variant', { variant_id: String(id) });
    assert.equal(r.status, 404, r.text);
  }
});

test('the Sunday cleanup deletes velocity data after 90 days and resolved alerts after 365, and keeps the rest', async () => {
  const day = (back) => new Date(Date.now() - back * 86400000).toISOString().slice(0, 10);
  const [v] = await d1(`SELECT variant_id, location_id FROM inventory_levels WHERE shop_id = ${shopId} LIMIT 1`);
  const row = (d) => `(${shopId}, ${v.variant_id}, ${v.location_id}, '${d}', 1, 1, 1, 1, 1, 1, 'smooth', 'sba', NULL, NULL, 0, '${d}T00:00:00Z')`;
  await d1(`INSERT OR REPLACE INTO forecasts (shop_id, variant_id, location_id, day, velocity, sigma_daily, on_hand, days_of_cover, safety_stock, reorder_point, pattern, method, mase, naive_mase, scored_days, computed_at) VALUES ${row(day(120))}, ${row(day(60))}`);
  const alert = (state, resolved, opened) => `(${shopId}, ${v.variant_id}, 424242, 'dead_stock', '${state}', 0, '{}', '${opened}', '${opened}', ${resolved ? `'${resolved}'` : 'NULL'})`;
  await d1(`DELETE FROM alerts WHERE shop_id = ${shopId} AND location_id = 424242`);
  await d1(`INSERT INTO alerts (shop_id, variant_id, location_id, kind, state, urgency, explanation, opened_at, updated_at, resolved_at) VALUES
    ${alert('resolved', `${day(400)}T10:00:00Z`, `${day(420)}T10:00:00Z`)},
    ${alert('resolved', `${day(100)}T10:00:00Z`, `${day(420)}T10:00:00Z`)},
    ${alert('acknowledged', null, `${day(500)}T10:00:00Z`)}`);
  await fireFresh('0 4 * * SUN', 'cleanup');
  const f = await d1(`SELECT day FROM forecasts WHERE shop_id = ${shopId} AND variant_id = ${v.variant_id} AND location_id = ${v.location_id} AND day IN ('${day(120)}', '${day(60)}')`);
  assert.deepEqual(f.map((r) => r.day), [day(60)]);
  const kept = await d1(`SELECT state, resolved_at FROM alerts WHERE shop_id = ${shopId} AND location_id = 424242 ORDER BY id`);
  assert.deepEqual(kept.map((r) => r.state), ['resolved', 'acknowledged'], 'the old resolved alert went; the recent one and the live one stayed');
  assert.ok((await d1(`SELECT COUNT(*) AS n FROM settings WHERE shop_id = ${shopId}`))[0].n <= 1);
  assert.ok((await d1(`SELECT COUNT(*) AS n FROM daily_sales WHERE shop_id = ${shopId}`))[0].n > 0, 'sales history is kept');
  await d1(`DELETE FROM alerts WHERE shop_id = ${shopId} AND location_id = 424242`);
});
