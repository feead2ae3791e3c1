// Accessibility in Debian's headless Chromium: axe-core (npm, pinned) runs inside each
// hydrated page and the test fails on any violation a screen-reader or low-vision user
// would hit hard (impact "serious" or "critical"). Every violation is printed, with the
// elements it names, so a failure says what to fix.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { BASE, DEMO, d1, ensureSynced } from './helpers.mjs';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const BLOCKING = new Set(['serious', 'critical']);
let browser;
let context; // a plain browser tab, signed in through OAuth

before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${BASE}/auth?shop=${DEMO}`);
  await page.waitForURL(`${BASE}/app?**`);
  await page.close();
  await ensureSynced(DEMO);
});

after(async () => { await browser?.close(); });

/**
 * Runs axe on the hydrated page at `path` (after `act`, if given); returns the violations,
 * printed, and says how many checks axe could not decide (contrast over images and the like).
 */
async function audit(path, { status = 200, viewport, ctx = context, act } = {}) {
  const page = await ctx.newPage();
  try {
    if (viewport) await page.setViewportSize(viewport);
    const res = await page.goto(BASE + path);
    assert.equal(res.status(), status, `${path} answers ${status}`);
    await page.waitForSelector('.app[data-hydrated="true"]', { timeout: 20000 });
    if (act) await act(page);
    await page.addScriptTag({ path: AXE });
    const { violations, incomplete, passes } = await page.evaluate(() => window.axe.run(document));
    console.log(`# ${path}: ${passes.length} rules pass, ${violations.length} fail, ${incomplete.length} need review`);
    for (const v of violations) {
      console.log(`# ${path}: [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})`);
      for (const n of v.nodes) console.log(`#     ${n.target.join(' ')}  ${n.failureSummary.replace(/\s+/g, ' ')}`);
    }
    return violations;
  } finally {
    await page.close();
  }
}

async function assertAccessible(path, opts) {
  const blocking = (await audit(path, opts)).filter((v) => BLOCKING.has(v.impact));
  assert.deepEqual(blocking.map((v) => `${v.id} (${v.nodes.length} elements)`), [],
    `${path}: serious or critical accessibility violations`);
}

test('the dashboard has no serious accessibility violations', () => assertAccessible('/app'));

test('the dashboard at phone width has no serious accessibility violations', () =>
  assertAccessible('/app', { viewport: { width: 375, height: 800 } }));

test('the reorder list has no serious accessibility violations', () => assertAccessible('/app/reorder'));

test('the roll-ups, transfers and alert channels have no serious accessibility violations', async () => {
  await assertAccessible('/app/rollups?by=supplier');
  await assertAccessible('/app/transfers');
  await assertAccessible('/app/settings/channels');
});

test('a variant page has no serious accessibility violations', async () => {
  const [a] = await d1(`SELECT a.variant_id, a.location_id FROM alerts a JOIN shops s ON s.id = a.shop_id
    WHERE s.domain = '${DEMO}' AND a.state = 'open' ORDER BY a.urgency DESC LIMIT 1`);
  assert.ok(a, 'the demo shop has an open alert');
  await assertAccessible(`/app/variants/${a.variant_id}?location=${a.location_id}`);
});

test('settings have no serious accessibility violations, with a field in error too', async () => {
  await assertAccessible('/app/settings');
  await assertAccessible('/app/settings', {
    act: async (page) => {
      await page.getByLabel('Supplier lead time (days)').fill('abc');
      await page.getByText('Enter a whole number of days, like 14.').waitFor();
    },
  });
});

test('suppliers and purchase orders have no serious accessibility violations', async () => {
  await assertAccessible('/app/settings/suppliers');
  const [s] = await d1(`SELECT su.id FROM suppliers su JOIN shops s ON s.id = su.shop_id WHERE s.domain = '${DEMO}' LIMIT 1`);
  await assertAccessible(`/app/settings/suppliers?edit=${s.id}`);
  await assertAccessible('/app/purchase-orders');
});

test('levels and lead times have no serious accessibility violations, with an override listed', async () => {
  await assertAccessible('/app/settings/levels');
  const [{ id: shopId }] = await d1(`SELECT id FROM shops WHERE domain = '${DEMO}'`);
  const [p] = await d1(`SELECT vendor FROM products WHERE shop_id = ${shopId} AND vendor != '' LIMIT 1`);
  await d1(`INSERT INTO overrides (shop_id, scope, key, lead_time_days, min_stock, updated_at) VALUES (${shopId}, 'vendor', '${p.vendor.replace(/'/g, "''")}', 12, 4, '2026-01-01T00:00:00Z')`);
  try {
    await assertAccessible(`/app/settings/levels?edit=${encodeURIComponent(`vendor:${p.vendor}`)}`);
  } finally {
    await d1(`DELETE FROM overrides WHERE shop_id = ${shopId}`);
  }
});

test('the help center has no serious accessibility violations', async () => {
  const slug = 'getting-started';
  assert.ok(existsSync(new URL(`../help/${slug}.md`, import.meta.url)), `help/${slug}.md exists`);
  await assertAccessible('/help');
  await assertAccessible(`/help/${slug}`);
});

test('the 404 page has no serious accessibility violations', () =>
  assertAccessible('/app/no-such-page', { status: 404 }));

test('the sign-in prompt (no session) has no serious accessibility violations', async () => {
  const anonymous = await browser.newContext();
  try {
    await assertAccessible('/app', { ctx: anonymous, status: 401 });
  } finally {
    await anonymous.close();
  }
});
