// Settings beyond the thresholds, in Debian's headless Chromium against local wrangler dev:
// which alert kinds and locations to watch and the time zone — each asserted by what the
// merchant then sees and what D1 keeps. Lead times and levels per vendor, supplier, product
// or variant are in levels.test.mjs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, DEMO, DEFAULT_SETTINGS, get, serverFn, formPostWithoutJs, d1, until, ensureSynced, launchBrowser, signedInContext, hydratedPage as openHydrated } from './helpers.mjs';

let browser;
let context;
let shopId;

const LIVE = "state IN ('open', 'acknowledged', 'snoozed')";
const ALL_KINDS = ['out_of_stock', 'reorder_now', 'low_stock', 'overstock', 'dead_stock', 'stock_gap'];

/** Watches everything again (the state the other tests expect). */
async function watchEverything() {
  const locations = await d1(`SELECT id FROM locations WHERE shop_id = ${shopId}`);
  const fields = { 'watch[time_zone]': '' };
  for (const k of ALL_KINDS) fields[`watch[kinds][${k}]`] = 'on';
  for (const l of locations) fields[`watch[locations][id${l.id}]`] = 'on';
  const r = await serverFn('settings/watch/save', fields);
  assert.equal(r.status, 200, r.text);
}

before(async () => {
  await ensureSynced(DEMO);
  shopId = (await d1(`SELECT id FROM shops WHERE domain = '${DEMO}'`))[0].id;
  browser = await launchBrowser();
  context = await signedInContext(browser);
});

after(async () => {
  await watchEverything().catch(() => {});
  await browser?.close();
});

const hydratedPage = (path) => openHydrated(context, path);

test('unchecked alert kinds and locations lose their alerts, and nothing is saved when every kind is unchecked', async () => {
  const [loc] = await d1(`SELECT l.id, l.name FROM locations l WHERE l.shop_id = ${shopId} AND EXISTS (SELECT 1 FROM alerts a WHERE a.shop_id = l.shop_id AND a.location_id = l.id AND a.${LIVE} AND a.kind != 'overstock') ORDER BY l.id LIMIT 1`);
  assert.ok(loc, 'a location with live alerts');
  const overstock = await d1(`SELECT COUNT(*) AS n FROM alerts WHERE shop_id = ${shopId} AND kind = 'overstock' AND ${LIVE}`);
  assert.ok(overstock[0].n > 0, 'the demo shop has overstock alerts');

  const { page, errors } = await hydratedPage('/app/settings');
  const form = page.locator('#watch-form');
  // Every kind unchecked: refused at the field, nothing saved.
  for (const label of ['Out of stock', 'Reorder now', 'Low stock', 'Overstock', 'Dead stock', 'Stock gap']) {
    await form.getByLabel(label, { exact: true }).uncheck();
  }
  await form.getByRole('button', { name: 'Save what to watch' }).click();
  await form.locator('#kinds-error').getByText('Choose at least one kind of alert').waitFor();
  assert.equal((await serverFn('settings')).json.watch.input.kinds.overstock, 'on', 'nothing saved');

  // All but Overstock, and not the chosen location; keyboard for one of them.
  for (const label of ['Out of stock', 'Reorder now', 'Low stock', 'Dead stock', 'Stock gap']) {
    await form.getByLabel(label, { exact: true }).check();
  }
  await form.getByLabel(loc.name, { exact: true }).focus();
  await page.keyboard.press('Space');
  assert.equal(await form.getByLabel(loc.name, { exact: true }).isChecked(), false);
  await form.getByRole('button', { name: 'Save what to watch' }).click();
  await page.getByText('Saved. Alerts are being recalculated now.').waitFor();

  await until('overstock and the location\'s alerts resolved', async () => {
    const r = await d1(`SELECT COUNT(*) AS n FROM alerts WHERE shop_id = ${shopId} AND ${LIVE} AND (kind = 'overstock' OR location_id = ${loc.id})`);
    return r[0].n === 0;
  }, { timeoutMs: 90000, everyMs: 1000 });
  const still = await d1(`SELECT COUNT(*) AS n FROM alerts WHERE shop_id = ${shopId} AND ${LIVE}`);
  assert.ok(still[0].n > 0, 'the other kinds and locations keep their alerts');

  // The choice survives a reload, and the dashboard no longer lists the location's alerts.
  await page.reload();
  await page.waitForSelector('.app[data-hydrated="true"]');
  assert.equal(await page.locator('#watch-form').getByLabel('Overstock', { exact: true }).isChecked(), false);
  assert.equal(await page.locator('#watch-form').getByLabel(loc.name, { exact: true }).isChecked(), false);
  assert.deepEqual(errors, []);
  await page.close();

  // Watching again brings them back at the recalculation.
  await watchEverything();
  await until('overstock alerts back', async () => {
    const r = await d1(`SELECT COUNT(*) AS n FROM alerts WHERE shop_id = ${shopId} AND kind = 'overstock' AND ${LIVE}`);
    return r[0].n > 0;
  }, { timeoutMs: 90000, everyMs: 1000 });
});

test('the time zone is a city from a list, with today\'s offset, and kept; a name not on the list is refused', async () => {
  const { page, errors } = await hydratedPage('/app/settings');
  const zone = page.getByLabel("Time zone for quiet hours and the digest's day");
  // New York's offset as of today: −05:00 in winter, −04:00 in summer.
  const offset = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', timeZoneName: 'longOffset' })
    .formatToParts(new Date()).find((p) => p.type === 'timeZoneName').value.replace('GMT', 'UTC').replace('-', '−');
  assert.equal(await zone.locator('option[value="America/New_York"]').innerText(), `America/New York (${offset})`);
  await zone.selectOption('America/New_York');
  await page.getByRole('button', { name: 'Save what to watch' }).click();
  await page.getByText('Saved. Alerts are being recalculated now.').waitFor();
  assert.equal((await serverFn('settings')).json.watch.input.time_zone, 'America/New_York');
  assert.equal((await d1(`SELECT time_zone FROM settings WHERE shop_id = ${shopId}`))[0].time_zone, 'America/New_York');
  await page.close();
  const forged = await serverFn('settings/watch/save', { 'watch[kinds][low_stock]': 'on', 'watch[time_zone]': 'Mars/Olympus_Mons' });
  assert.equal(forged.status, 422, forged.text);
  assert.equal((await serverFn('settings')).json.watch.input.time_zone, 'America/New_York', 'nothing saved');
  assert.deepEqual(errors, []);
  await watchEverything();
});

test('without JavaScript a refused save returns to the settings page with the message at its field', async () => {
  await serverFn('save_settings', DEFAULT_SETTINGS);
  const back = `${BASE}/app/settings`;
  // What the browser posts for the thresholds form before the wasm has loaded.
  const res = await formPostWithoutJs('save_settings', { ...DEFAULT_SETTINGS, low_stock_days: '0' }, back);
  assert.ok([302, 303].includes(res.status), `status ${res.status}`);
  const location = new URL(res.headers.get('location'), BASE);
  assert.equal(location.pathname, '/app/settings');
  const { text } = await get(location.pathname + location.search);
  assert.match(text, /Please correct the highlighted fields\. Nothing was saved\./);
  assert.match(text, /id="low_stock_days-error"[^>]*>[^]{0,200}Enter a number of days from 1 to 365\./);
  assert.equal((await serverFn('settings')).json.settings.low_stock_days, 14, 'nothing saved');
});
