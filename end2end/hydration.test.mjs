// End-to-end in Debian's headless Chromium (driven by playwright-core, never a downloaded
// browser): the page hydrates, a setting changed in the browser is saved and survives a reload.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { BASE, FAKE, DEMO, serverFn, ensureSynced, DEFAULT_SETTINGS, launchBrowser, signedInContext } from './helpers.mjs';

const ARTIFACTS = new URL('./artifacts/', import.meta.url).pathname;
let browser;
let context; // a plain browser tab, signed in through OAuth

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await launchBrowser();
  await serverFn('save_settings', DEFAULT_SETTINGS);
  // Outside the admin, a merchant signs in with OAuth: the fake Shopify approves at once.
  context = await signedInContext(browser);
  await ensureSynced(DEMO);
});

after(async () => {
  await browser?.close();
  await serverFn('save_settings', DEFAULT_SETTINGS);
});

async function hydratedPage(path, viewport = { width: 1280, height: 900 }) {
  const page = await context.newPage();
  await page.setViewportSize(viewport);
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(BASE + path);
  await page.waitForSelector('.app[data-hydrated="true"]', { timeout: 20000 });
  return { page, errors };
}

test('the dashboard hydrates without errors', async () => {
  const { page, errors } = await hydratedPage('/app');
  assert.ok(await page.locator('.card-out_of_stock .card-count').isVisible());
  await page.screenshot({ path: `${ARTIFACTS}dashboard.png`, fullPage: false });
  // Client-side navigation after hydration: no full reload.
  await page.evaluate(() => { window.__sameDocument = true; });
  await page.getByRole('link', { name: 'Help' }).click();
  await page.waitForURL('**/help');
  await page.getByRole('heading', { name: 'Help center' }).waitFor();
  assert.equal(await page.evaluate(() => window.__sameDocument), true);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a setting changed in the browser is validated live, saved, and persists', async () => {
  const { page, errors } = await hydratedPage('/app/settings');
  const lead = page.getByLabel('Supplier lead time (days)');
  // Live validation only works once the wasm runs: this proves hydration.
  await lead.fill('abc');
  await page.getByText('Enter a whole number of days, like 14.').waitFor();
  assert.equal(await lead.getAttribute('aria-invalid'), 'true');
  await lead.fill('12');
  await page.getByText('Enter a whole number of days, like 14.').waitFor({ state: 'detached' });
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByText('Settings saved.').waitFor();
  await page.screenshot({ path: `${ARTIFACTS}settings.png` });
  await page.reload();
  await page.waitForSelector('.app[data-hydrated="true"]');
  assert.equal(await page.getByLabel('Supplier lead time (days)').inputValue(), '12');
  assert.deepEqual(errors, []);
  await page.close();
});

test('an out-of-range value saved from the browser is refused at the field', async () => {
  const { page } = await hydratedPage('/app/settings');
  // Bypass the live check to exercise the server's: set the value without input events.
  await page.getByLabel('Low stock when cover falls below (days)').evaluate((el) => { el.value = '0'; });
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByText('Please correct the highlighted fields. Nothing was saved.').waitFor();
  await page.getByText('Enter a number of days from 1 to 365.').waitFor();
  const read = await serverFn('settings');
  assert.equal(read.json.settings.low_stock_days, 14);
  await page.close();
});

test('digest recipients are set in Settings: an invalid address is refused at the field, a valid one saved', async () => {
  const { page, errors } = await hydratedPage('/app/settings');
  const to = page.getByLabel('Send the digest to');
  await to.fill('buyer@example.com, nobody-at-example');
  await page.getByRole('button', { name: 'Save digest settings' }).click();
  await page.locator('#digest_recipients-error').getByText('is not an email address').waitFor();
  assert.equal(await to.getAttribute('aria-invalid'), 'true');
  assert.equal((await serverFn('settings')).json.digest.digest_recipients, '', 'nothing saved');
  await to.fill('buyer@example.com');
  await page.getByRole('button', { name: 'Save digest settings' }).click();
  await page.getByText('Digest settings saved.').waitFor();
  assert.equal((await serverFn('settings')).json.digest.digest_recipients, 'buyer@example.com');
  await serverFn('settings/digest/save', { digest_recipients: '', quiet_hours_start: '', quiet_hours_end: '' });
  assert.deepEqual(errors, []);
  await page.close();
});

test('the app works at phone width and by keyboard', async () => {
  const { page } = await hydratedPage('/app', { width: 375, height: 800 });
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => document.activeElement?.textContent);
  assert.equal(focused, 'Skip to content');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
  assert.equal(overflow, false, 'no horizontal scroll of the page at 375 px');
  await page.screenshot({ path: `${ARTIFACTS}dashboard-phone.png` });
  await page.close();
});

test('inside the Shopify admin the app gets session tokens from App Bridge', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${FAKE}/admin/${DEMO}/apps/stock-sentry`);
  const frame = page.frameLocator('iframe');
  await frame.locator('.app[data-hydrated="true"]').waitFor({ timeout: 20000 });
  await frame.getByRole('heading', { name: 'Dashboard' }).waitFor();
  // A server function from inside the iframe: no cookie, only the session token.
  await frame.getByRole('link', { name: 'Settings' }).click();
  const lead = frame.getByLabel('Supplier lead time (days)');
  await lead.fill('9');
  await frame.getByRole('button', { name: 'Save', exact: true }).click();
  await frame.getByText('Settings saved.').waitFor();
  assert.equal((await serverFn('settings')).json.settings.lead_time_days, 9);
  await page.screenshot({ path: `${ARTIFACTS}embedded.png` });
  assert.deepEqual(errors, []);
  await page.close();
});

test('without a session the app asks the merchant to sign in, not a blank page', async () => {
  const page = await browser.newPage();
  await page.goto(`${BASE}/app`);
  await page.getByText('Your session has expired. Reload Stock Sentry from your Shopify admin.').waitFor();
  await page.getByLabel('Or log in with your shop domain').fill(DEMO);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(`${BASE}/app?**`);
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  await page.close();
});
