// Billing with Managed Pricing against the fake Shopify's plan selection page: a shop past
// its trial without a plan is sent to Shopify's plan page from inside the admin, choosing a
// plan there (app_subscriptions/update) opens the app, and development stores are free.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, FAKE, DEMO, OTHER, sessionToken, fake, d1, kv, until, ensureSynced } from './helpers.mjs';

const PLANS = `${FAKE}/store/alpine-threads/charges/stock-sentry/pricing_plans`;

before(async () => {
  await ensureSynced(OTHER);
});

after(async () => {
  await fake('/_fake/billing', { shop: OTHER, partner_development: true, clear: true });
  await d1(`UPDATE shops SET installed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE domain IN ('${OTHER}', '${DEMO}')`);
  for (const shop of [OTHER, DEMO]) {
    try { kv('delete', `billing:${shop}`); } catch { /* not cached */ }
  }
});

/** The app's page load inside the admin, as the admin's iframe makes it. */
async function embedded(shop) {
  const res = await fetch(`${BASE}/app?embedded=1&shop=${shop}&host=x&id_token=${await sessionToken(shop)}`, { headers: { 'sec-fetch-dest': 'iframe' } });
  return { status: res.status, text: await res.text() };
}

/** A shop that installed 30 days ago, with Shopify's answer not cached. */
async function pastTrial(shop) {
  await d1(`UPDATE shops SET installed_at = '2026-01-01T00:00:00.000Z' WHERE domain = '${shop}'`);
  try { kv('delete', `billing:${shop}`); } catch { /* not cached */ }
}

test('past its trial without a plan a shop gets the plan selection page; choosing a plan opens the app', async () => {
  await fake('/_fake/billing', { shop: OTHER, partner_development: false, clear: true });
  await pastTrial(OTHER);
  const gated = await embedded(OTHER);
  assert.equal(gated.status, 200);
  assert.ok(gated.text.includes(PLANS), 'sent to the plan selection page');
  assert.doesNotMatch(gated.text, /data-hydrated/);
  // The merchant chooses a plan on Shopify's page and lands back in the app.
  const chosen = await fetch(`${PLANS}/Growth`, { method: 'POST', redirect: 'manual' });
  assert.equal(chosen.status, 303);
  assert.equal(chosen.headers.get('location'), `/admin/${OTHER}/apps/stock-sentry`);
  await until('the plan recorded', async () => {
    const [row] = await d1(`SELECT plan_name, plan_status FROM shops WHERE domain = '${OTHER}'`);
    return row.plan_status === 'ACTIVE' && row.plan_name === 'Growth' ? row : undefined;
  });
  const open = await embedded(OTHER);
  assert.equal(open.status, 200);
  assert.ok(!open.text.includes(PLANS));
  assert.match(open.text, /data-hydrated/);
});

test('inside the trial, and on a development store, the app opens without a plan', async () => {
  await fake('/_fake/billing', { shop: OTHER, partner_development: false, clear: true });
  await d1(`UPDATE shops SET installed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE domain = '${OTHER}'`);
  try { kv('delete', `billing:${OTHER}`); } catch { /* not cached */ }
  assert.ok(!(await embedded(OTHER)).text.includes(PLANS), 'in the trial');
  await pastTrial(DEMO);
  const dev = await embedded(DEMO);
  assert.equal(dev.status, 200);
  assert.ok(!dev.text.includes('pricing_plans'), 'development stores are free');
});
