// App Bridge only inside the Shopify admin, as Shopify's templates run an embedded app: the
// help center, OAuth and the plain-tab app never load it; a page load inside the admin
// with a stale session token goes through the bounce page and comes back with a fresh one;
// the app's own fetch with a stale token gets a 401 that asks App Bridge to retry.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, FAKE, DEMO, API_KEY, get, serverFn, forgeToken, ensureSynced, launchBrowser } from './helpers.mjs';


let browser;

before(async () => {
  browser = await launchBrowser();
  await ensureSynced(DEMO);
});

after(async () => {
  await browser?.close();
});

const expiredToken = () => {
  const now = Math.floor(Date.now() / 1000);
  return forgeToken({
    iss: `https://${DEMO}/admin`, dest: `https://${DEMO}`, aud: API_KEY, sub: '1',
    exp: now - 120, nbf: now - 180, iat: now - 180, jti: crypto.randomUUID(), sid: 's',
  });
};

test('App Bridge is served only to pages inside the admin', async () => {
  const help = await get('/help', { shop: null });
  assert.equal(help.res.status, 200);
  assert.doesNotMatch(help.text, /app-bridge\.js/);
  const article = await get('/help/data-sync', { shop: null });
  assert.doesNotMatch(article.text, /app-bridge\.js/);
  // The plain-tab app (a session, no frame) does not load it either.
  const plain = await get('/app', { shop: DEMO });
  assert.equal(plain.res.status, 200);
  assert.doesNotMatch(plain.text, /app-bridge\.js/);
  // A page Shopify frames does, with the API key.
  const framed = await get(`/app?embedded=1&shop=${DEMO}`, { shop: DEMO, headers: { 'sec-fetch-dest': 'iframe' } });
  assert.match(framed.text, /app-bridge\.js/);
  assert.match(framed.text, new RegExp(`<meta name="shopify-api-key" content="${API_KEY}"`));
});

test('/help opened in a top-level tab stays on /help', async () => {
  const page = await browser.newPage();
  await page.goto(`${BASE}/help?shop=${DEMO}&host=x`);
  await page.waitForLoadState('load');
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(new URL(page.url()).pathname, '/help');
  await page.close();
});

test('an embedded URL opened in a top-level tab is sent into the admin by App Bridge', async () => {
  const page = await browser.newPage();
  await page.goto(`${BASE}/auth/session-token?shop=${DEMO}&embedded=1`);
  await page.waitForURL(`${FAKE}/admin/${DEMO}/apps/stock-sentry`, { timeout: 10000 });
  await page.close();
});

test('a page load inside the admin with a stale session token bounces and comes back with a fresh one', async () => {
  const stale = await fetch(`${BASE}/app/settings?embedded=1&shop=${DEMO}&id_token=${expiredToken()}`, { redirect: 'manual' });
  assert.equal(stale.status, 302);
  const to = new URL(stale.headers.get('location'), BASE);
  assert.equal(to.pathname, '/auth/session-token');
  const reload = new URL(to.searchParams.get('shopify-reload'));
  assert.equal(reload.pathname, '/app/settings');
  assert.equal(reload.searchParams.get('id_token'), null);
  // In the admin, App Bridge on the bounce page fetches a token and reloads the page.
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${FAKE}/admin/${DEMO}/apps/stock-sentry`);
  const frame = page.frames().find((f) => f !== page.mainFrame());
  await frame.waitForSelector('.app[data-hydrated="true"]', { timeout: 20000 });
  await frame.goto(`${BASE}/app/settings?embedded=1&shop=${DEMO}&id_token=${expiredToken()}`);
  await frame.waitForURL(/\/app\/settings\?.*id_token=/, { timeout: 15000 });
  await frame.waitForSelector('.app[data-hydrated="true"]', { timeout: 20000 });
  assert.ok(await frame.getByRole('heading', { name: 'Settings' }).first().isVisible());
  assert.deepEqual(errors, []);
  await page.close();
});

test("the app's own fetch with a stale session token gets a 401 asking App Bridge to retry", async () => {
  const r = await serverFn('dashboard', {}, { shop: null, headers: { authorization: `Bearer ${expiredToken()}` } });
  assert.equal(r.status, 401);
  assert.equal(r.headers.get('x-shopify-retry-invalid-session-request'), '1');
  // Without a token at all there is nothing to retry with.
  const none = await serverFn('dashboard', {}, { shop: null });
  assert.equal(none.status, 401);
  assert.equal(none.headers.get('x-shopify-retry-invalid-session-request'), null);
});
