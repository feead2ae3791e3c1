// Every page at desktop (1280×900) and phone (375×800) width in Debian's headless Chromium:
// each hydrates without script errors and never scrolls sideways. With SCREENSHOTS=1 it
// also writes docs/screenshots/<page>-desktop.png and <page>-phone.png (committed, for the
// README and reviews); without, it takes none, to keep the test run short.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { BASE, FAKE, DEMO, d1, ensureSynced } from './helpers.mjs';

const OUT = new URL('../docs/screenshots/', import.meta.url).pathname;
const WRITE = process.env.SCREENSHOTS === '1';
const VIEWPORTS = { desktop: { width: 1280, height: 900 }, phone: { width: 375, height: 800 } };
let browser;
let context; // a plain browser tab, signed in through OAuth
let variantPath;

before(async () => {
  if (WRITE) mkdirSync(OUT, { recursive: true });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${BASE}/auth?shop=${DEMO}`);
  await page.waitForURL(`${BASE}/app?**`);
  await page.close();
  await ensureSynced(DEMO);
  const [a] = await d1(`SELECT a.variant_id, a.location_id FROM alerts a JOIN shops s ON s.id = a.shop_id
    WHERE s.domain = '${DEMO}' AND a.state = 'open' ORDER BY a.urgency DESC LIMIT 1`);
  variantPath = `/app/variants/${a.variant_id}?location=${a.location_id}`;
});

after(async () => { await browser?.close(); });

async function shoot(page, name, size) {
  if (WRITE) await page.screenshot({ path: `${OUT}${name}-${size}.png`, fullPage: true });
}

const PAGES = [
  ['dashboard', () => '/app', 200],
  ['variant', () => variantPath, 200],
  ['reorder', () => '/app/reorder', 200],
  ['rollups', () => '/app/rollups', 200],
  ['transfers', () => '/app/transfers', 200],
  ['settings', () => '/app/settings', 200],
  ['suppliers', () => '/app/settings/suppliers', 200],
  ['levels', () => '/app/settings/levels', 200],
  ['channels', () => '/app/settings/channels', 200],
  ['purchase-orders', () => '/app/purchase-orders', 200],
  ['help', () => '/help', 200],
  ['help-article', () => '/help/getting-started', 200],
  ['not-found', () => '/app/no-such-page', 404],
];

for (const [name, path, status] of PAGES) {
  test(`${name}: hydrates and fits desktop and phone widths`, async () => {
    for (const [size, viewport] of Object.entries(VIEWPORTS)) {
      const page = await context.newPage();
      await page.setViewportSize(viewport);
      const errors = [];
      page.on('pageerror', (e) => errors.push(e.message));
      const res = await page.goto(BASE + path());
      assert.equal(res.status(), status, `${path()} answers ${status}`);
      await page.waitForSelector('.app[data-hydrated="true"]', { timeout: 20000 });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `${name} at ${size} width scrolls sideways by ${overflow} px`);
      assert.deepEqual(errors, [], `${name} at ${size}: no script errors`);
      await shoot(page, name, size);
      await page.close();
    }
  });
}

test('embedded: the app inside the Shopify admin at desktop and phone widths', async () => {
  for (const [size, viewport] of Object.entries(VIEWPORTS)) {
    const page = await browser.newPage({ viewport });
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${FAKE}/admin/${DEMO}/apps/stock-sentry`);
    const frame = page.frameLocator('iframe');
    await frame.locator('.app[data-hydrated="true"]').waitFor({ timeout: 20000 });
    await frame.getByRole('heading', { name: 'Dashboard' }).waitFor();
    const overflow = await frame.locator('html').evaluate((el) => el.scrollWidth - el.clientWidth);
    assert.ok(overflow <= 1, `the framed app at ${size} width scrolls sideways by ${overflow} px`);
    assert.deepEqual(errors, []);
    await shoot(page, 'embedded', size);
    await page.close();
  }
});
