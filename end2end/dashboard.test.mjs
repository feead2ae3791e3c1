// End-to-end in Debian's headless Chromium: the dashboard's filters, search and pages (in
// the URL, before and after hydration), and the one-click actions on alerts — acknowledge,
// snooze, resolve — which show at once, survive a reload and can be undone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { BASE, DEMO, get, serverFn, formPostWithoutJs, ensureSynced, until, launchBrowser, signedInContext, hydratedPage as openHydrated } from './helpers.mjs';

const ARTIFACTS = new URL('./artifacts/', import.meta.url).pathname;
const KIND_LABELS = { out_of_stock: 'Out of stock', reorder_now: 'Reorder now', low_stock: 'Low stock', overstock: 'Overstock', dead_stock: 'Dead stock', stock_gap: 'Stock gap' };
let browser;
let context; // a plain browser tab, signed in through OAuth
const touched = new Set(); // alerts this file changed, put back to open afterwards

/** The alert ids and states of the default list, from the server function. */
async function snapshot() {
  const r = await serverFn('dashboard');
  return r.json?.rows?.map((row) => `${row.id}:${row.state.state}`).join(',');
}

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await launchBrowser();
  context = await signedInContext(browser);
  await ensureSynced(DEMO);
  // The recalculation that follows the import fills the list; wait until it stops moving.
  let last;
  await until('a settled alert list', async () => {
    const now = await snapshot();
    const settled = now && now === last;
    last = now;
    return settled;
  }, { timeoutMs: 90000, everyMs: 1500 });
});

after(async () => {
  for (const id of touched) await serverFn('undo_alert_action', { id, state: 'open' });
  await browser?.close();
});

const hydratedPage = (path) => openHydrated(context, path);

/** What the merchant sees in each visible row of the list. */
async function visibleRows(page) {
  return page.locator('.alert-table tbody tr:not([hidden])').evaluateAll((trs) => trs.map((tr) => ({
    id: Number(tr.dataset.alertId),
    product: tr.querySelector('th').innerText,
    alert: tr.querySelector('.badge').innerText,
    status: tr.querySelector('.status').innerText,
    href: tr.querySelector('a.product').getAttribute('href'),
  })));
}

const row = (page, id) => page.locator(`.alert-table tr[data-alert-id="${id}"]`);

/** A kind and a product word that together match a few alerts (from the shop's own data). */
async function kindAndWord() {
  for (const kind of ['low_stock', 'reorder_now', 'overstock', 'out_of_stock', 'dead_stock']) {
    for (const word of ['hoodie', 't-shirt', 'cap', 'socks', 'beanie', 'backpack']) {
      const r = await serverFn('dashboard', { kind, q: word });
      if (r.json.total > 0 && r.json.total < 50) return { kind, word, total: r.json.total };
    }
  }
  throw new Error('no kind and word with alerts in the demo shop');
}

test('filters and search narrow the list, live in the URL and work before hydration', async () => {
  const { kind, word, total } = await kindAndWord();
  const { page, errors } = await hydratedPage('/app');
  const before = await visibleRows(page);
  assert.equal(before.length, 50, 'a full first page by default');
  await page.evaluate(() => { window.__sameDocument = true; });

  await page.getByLabel('Alert', { exact: true }).selectOption(kind);
  await page.getByLabel('Search', { exact: true }).fill(word);
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await page.waitForURL((u) => u.searchParams.get('kind') === kind && u.searchParams.get('q') === word);
  await page.getByText(new RegExp(`^${total} alerts? match`)).waitFor();
  const rows = await visibleRows(page);
  assert.equal(rows.length, total);
  for (const r of rows) {
    assert.equal(r.alert, KIND_LABELS[kind]);
    assert.match(r.product.toLowerCase(), new RegExp(word.replace('-', '\\-')), `${r.product} matches “${word}”`);
    assert.match(r.href, /^\/app\/variants\/\d+\?location=\d+$/);
  }
  assert.equal(await page.evaluate(() => window.__sameDocument), true, 'no full page load after hydration');
  // Focus follows the new results, for keyboard and screen-reader users.
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'results-summary');

  // The URL alone brings the same list back, with the form filled in.
  await page.reload();
  await page.waitForSelector('.app[data-hydrated="true"]');
  assert.deepEqual((await visibleRows(page)).map((r) => r.id), rows.map((r) => r.id));
  assert.equal(await page.getByLabel('Alert', { exact: true }).inputValue(), kind);
  assert.equal(await page.getByLabel('Search', { exact: true }).inputValue(), word);

  // Nothing matches: say so, and offer the way back.
  await page.getByLabel('Search', { exact: true }).fill('no-such-product-zz');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await page.getByText('No alerts match these filters.').waitFor();
  await page.locator('.empty').getByRole('link', { name: 'Clear filters' }).click();
  await page.waitForURL(`${BASE}/app`);
  await page.getByText(/alerts match · page 1 of \d+/).waitFor();
  assert.equal((await visibleRows(page)).length, 50);

  // Each product opens the variant's own page, at the alert's location.
  const link = page.locator('.alert-table tbody tr:not([hidden]) a.product').first();
  const [title, href] = [await link.innerText(), await link.getAttribute('href')];
  await link.click();
  await page.waitForURL(BASE + href);
  await page.getByRole('heading', { level: 1, name: title }).waitFor();
  assert.deepEqual(errors, []);
  await page.close();

  // Before (or without) the wasm, the same URL renders the same rows on the server.
  const { text } = await get(`/app?kind=${kind}&q=${encodeURIComponent(word)}`);
  const ids = [...text.matchAll(/data-alert-id="(\d+)"/g)].map((m) => Number(m[1]));
  assert.deepEqual(ids, rows.map((r) => r.id));
});

test('the list pages through every alert, 50 at a time, with the total shown', async () => {
  const { page } = await hydratedPage('/app');
  const summary = await page.locator('#results-summary').innerText();
  const [, total, pages] = summary.replace(/,/g, '').match(/(\d+) alerts match · page 1 of (\d+)/);
  assert.equal(Number(pages), Math.ceil(Number(total) / 50));
  assert.ok(Number(pages) >= 2, `the demo shop has more than one page (${total} alerts)`);
  const first = (await visibleRows(page)).map((r) => r.id);
  await page.getByRole('navigation', { name: 'Alert pages' }).getByRole('link', { name: 'Next' }).click();
  await page.waitForURL((u) => u.searchParams.get('page') === '2');
  await page.getByText(new RegExp(`page 2 of ${pages}`)).waitFor();
  const second = (await visibleRows(page)).map((r) => r.id);
  assert.equal(second.length, Math.min(50, Number(total) - 50));
  assert.equal(second.filter((id) => first.includes(id)).length, 0, 'page 2 repeats nothing from page 1');
  await page.close();
});

test('acknowledge and snooze show at once, survive a reload, and resolve can be undone', async () => {
  const { page, errors } = await hydratedPage('/app');
  const open = (await visibleRows(page)).filter((r) => r.status === 'Open');
  assert.ok(open.length >= 3);
  const [acked, snoozed, resolved] = open;
  [acked, snoozed, resolved].forEach((r) => touched.add(r.id));

  // Acknowledge: the row stays, its status says so at once.
  await row(page, acked.id).getByRole('button', { name: /^Acknowledge/ }).click();
  await row(page, acked.id).locator('.status', { hasText: 'Acknowledged' }).waitFor();
  await page.getByText('Alert acknowledged.').waitFor();

  // Snooze for a week: the row leaves the default list at once.
  await row(page, snoozed.id).locator('summary').click();
  await row(page, snoozed.id).getByRole('button', { name: /^1 week/ }).click();
  await row(page, snoozed.id).waitFor({ state: 'hidden' });
  await page.getByText(/^Alert snoozed until /).waitFor();
  await page.screenshot({ path: `${ARTIFACTS}dashboard-actions.png` });

  await page.reload();
  await page.waitForSelector('.app[data-hydrated="true"]');
  assert.equal(await row(page, acked.id).locator('.status').innerText(), 'Acknowledged');
  assert.equal(await row(page, snoozed.id).count(), 0, 'a snoozed alert is not in the default list');
  await page.getByLabel('Status', { exact: true }).selectOption('snoozed');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await page.waitForURL((u) => u.searchParams.get('state') === 'snoozed');
  await row(page, snoozed.id).waitFor();
  assert.match(await row(page, snoozed.id).locator('.status').innerText(), /^Snoozed until [A-Z][a-z]{2} \d{1,2}$/);
  await page.getByRole('link', { name: 'Clear filters' }).first().click();
  await page.waitForURL(`${BASE}/app`);
  await row(page, resolved.id).waitFor();

  // Resolve by keyboard, then Undo by keyboard: the toast takes focus, Tab reaches Undo.
  await row(page, resolved.id).getByRole('button', { name: /^Resolve/ }).focus();
  await page.keyboard.press('Enter');
  await row(page, resolved.id).waitFor({ state: 'hidden' });
  await page.getByText('Alert resolved — it reopens if the condition is still true at the next check.').waitFor();
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Undo');
  await page.keyboard.press('Enter');
  await page.getByText('Undone. The alert is back as it was: Open.').waitFor();
  await row(page, resolved.id).waitFor({ state: 'visible' });
  assert.equal(await row(page, resolved.id).locator('.status').innerText(), 'Open');

  // The undo reached the server: after a reload the alert is still there, open.
  await page.reload();
  await page.waitForSelector('.app[data-hydrated="true"]');
  assert.equal(await row(page, resolved.id).locator('.status').innerText(), 'Open');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the snooze menu offers a date once the page is hydrated, and snoozes until it', async () => {
  const { page, errors } = await hydratedPage('/app');
  const [target] = (await visibleRows(page)).filter((r) => r.status === 'Open');
  touched.add(target.id);
  // The date field is rendered when the menu first opens (fifty of them would double the
  // page); the day and week buttons are in the server's HTML.
  assert.equal(await row(page, target.id).locator('input[type="date"]').count(), 0);
  await row(page, target.id).locator('summary').click();
  const date = row(page, target.id).getByLabel('Until');
  await date.waitFor();
  const min = await date.getAttribute('min');
  const until = new Date(Date.parse(`${min}T00:00:00Z`) + 2 * 86400000).toISOString().slice(0, 10);
  await date.fill(until);
  await row(page, target.id).getByRole('button', { name: 'Snooze', exact: true }).click();
  await row(page, target.id).waitFor({ state: 'hidden' });
  await page.getByText(/^Alert snoozed until /).waitFor();
  const { json } = await serverFn('dashboard', { state: 'snoozed' });
  assert.equal(json.rows.find((r) => r.id === target.id)?.state.until, until);
  assert.deepEqual(errors, []);
  await page.close();
});

test('actions refuse what they must: an alert that is not the shop\'s, a past date, an unknown action', async () => {
  const { json } = await serverFn('dashboard');
  const id = json.rows[0].id;
  // Every write is scoped to the session's shop (`WHERE shop_id = ? AND id = ?`): an id the
  // shop does not own is simply not found.
  const missing = await serverFn('alert_action', { id: 987654321, action: 'resolve' });
  assert.equal(missing.status, 404, missing.text);
  const past = await serverFn('alert_action', { id, action: 'snooze_until', until: '2000-01-01' });
  assert.equal(past.status, 422);
  assert.equal(past.json.Invalid[0].message, 'Choose a date after today.');
  const unknown = await serverFn('alert_action', { id, action: 'delete' });
  assert.equal(unknown.status, 422);
  const after = await serverFn('dashboard');
  assert.equal(after.json.rows[0].id, id, 'nothing changed');
  assert.equal(after.json.rows[0].state.state, json.rows[0].state.state);
});

test('without JavaScript an action is a plain form post that returns to the list', async () => {
  const { json } = await serverFn('dashboard');
  const target = json.rows.find((r) => r.state.state === 'open');
  touched.add(target.id);
  const back = `${BASE}/app?kind=${target.kind}`;
  // What the browser sends for the row's form before the wasm has loaded.
  const res = await formPostWithoutJs('alert_action', { id: String(target.id), action: 'acknowledge' }, back);
  assert.ok([302, 303].includes(res.status), `status ${res.status}`);
  assert.equal(res.headers.get('location'), back);
  const { text } = await get(`/app?kind=${target.kind}`);
  const tr = text.match(new RegExp(`<tr data-alert-id="${target.id}"[^]*?</tr>`))?.[0] ?? '';
  assert.match(tr, /class="status status-acknowledged">(<!--[^>]*-->)?Acknowledged/);
});

test('a refused "Sync now" says why instead of doing nothing', async () => {
  // A tab whose session ends while the dashboard is open (signed out elsewhere, expired).
  const tab = await signedInContext(browser);
  const { page, errors } = await openHydrated(tab, '/app');
  await tab.clearCookies();
  await page.getByRole('button', { name: 'Sync now' }).click();
  await page.getByRole('alert').filter({ hasText: 'Your session has expired. Reload Stock Sentry from your Shopify admin.' }).waitFor();
  assert.deepEqual(errors, []);
  await tab.close();
});

test('without JavaScript a refused action returns to the list and says why', async () => {
  const { json } = await serverFn('dashboard');
  const target = json.rows.find((r) => r.state.state === 'open');
  const back = `${BASE}/app?kind=${target.kind}`;
  // "Snooze until" with a past date, as a plain form post (the fields the row's date form
  // sends; before the wasm has loaded, a browser can post this only by hand).
  const res = await formPostWithoutJs('alert_action', { id: String(target.id), action: 'snooze_until', until: '2000-01-01' }, back);
  assert.ok([302, 303].includes(res.status), `status ${res.status}`);
  const location = new URL(res.headers.get('location'), BASE);
  assert.equal(location.pathname, '/app');
  const { text } = await get(location.pathname + location.search);
  assert.match(text, /class="toast toast-critical"[^]{0,200}<p class="toast-message">(<!--[^>]*-->)?Choose a date after today\./);
  const tr = text.match(new RegExp(`<tr data-alert-id="${target.id}"[^]*?</tr>`))?.[0] ?? '';
  assert.match(tr, /class="status status-open">(<!--[^>]*-->)?Open/, 'nothing changed');
});
