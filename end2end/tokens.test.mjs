// Expiring offline access tokens against the fake Shopify, which issues and judges them as
// Shopify documents (fake-shopify/src/tokens.rs): a token that expires in the middle of a
// sync, a refresh whose answer is lost, a refresh answered 503, a revoked refresh token,
// concurrent refreshes, and a legacy non-expiring token before and after the 2027-01-01
// cut-off. The fake's token clock and lifetimes are moved for the test and reset after.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { DEMO, serverFn, fake, d1, kv, until, ensureSynced } from './helpers.mjs';


const SHOP = DEMO;
let shopId;

const policy = (p) => fake('/_fake/tokens', p);
const stats = async () => (await fake(`/_fake/tokens?shop=${SHOP}`)).stats;
const tokenRow = async () =>
  (await d1(`SELECT access_token, refresh_token, token_expires_at, refresh_expires_at, token_version, needs_signin_at FROM shops WHERE id = ${shopId}`))[0];

/** The newest sync run id of the shop. */
async function lastRun() {
  return (await d1(`SELECT COALESCE(MAX(id), 0) AS last FROM sync_runs WHERE shop_id = ${shopId}`))[0].last;
}

/** Waits for the runs after `last` to end (at least `want` done, or one failed); returns them. */
async function runsAfter(last, want = 2) {
  return until('the sync to end', async () => {
    const runs = await d1(`SELECT kind, status, error FROM sync_runs WHERE shop_id = ${shopId} AND id > ${last} ORDER BY id`);
    if (runs.some((r) => r.status === 'failed')) return runs;
    return runs.filter((r) => r.status === 'done').length >= want && runs.every((r) => r.status === 'done') ? runs : undefined;
  }, { timeoutMs: 240000, everyMs: 1500 });
}

/** "Sync now" (as the embedded app, or in a plain tab with `cookie`); waits for its runs. */
async function syncOnce(headers = {}) {
  const last = await lastRun();
  const started = await startSync(headers);
  assert.equal(started.status, 200, started.text);
  return runsAfter(last);
}

async function startSync(headers = {}) {
  return serverFn('sync/start', {}, Object.keys(headers).length ? { shop: null, headers } : { shop: SHOP });
}

/** A plain-tab session for the shop (as OAuth leaves one): no session token, so no token exchange. */
function plainTab() {
  const id = randomBytes(16).toString('hex');
  kv('put', `session:${id}`, SHOP, '--ttl', '3600');
  return { cookie: `ss_session=${id}` };
}

/** Waits until no refresh has happened for a few seconds (steps of an earlier sync may
 * still be finishing), so a count taken after it belongs to the test alone. */
async function settled() {
  let last = await stats();
  for (let i = 0; i < 15; i++) {
    await new Promise((r) => setTimeout(r, 2000));
    const now = await stats();
    if (now.refreshes === last.refreshes && now.repeated_refreshes === last.repeated_refreshes) return now;
    last = now;
  }
  return last;
}

/** Runs after `last`: none, or one that failed saying the merchant must reconnect. */
async function stoppedForSignIn(last) {
  const runs = await d1(`SELECT status, error FROM sync_runs WHERE shop_id = ${shopId} AND id > ${last}`);
  for (const r of runs) {
    assert.equal(r.status, 'failed', JSON.stringify(runs));
    assert.match(r.error, /Open Stock Sentry from your Shopify admin to reconnect/);
  }
}

async function needsSignIn() {
  return until('the shop to wait for sign-in', async () => ((await tokenRow()).needs_signin_at ? true : undefined), { timeoutMs: 60000, everyMs: 1000 });
}

/** Expires the stored access token in the fake's eyes: its clock jumps two hours on, past
 * the hour a token lives (the app's clock stays, so it learns of it from a 401). */
let clockOffset = 0;
async function expireStoredToken() {
  clockOffset += 7200;
  await policy({ clock_offset_secs: clockOffset });
}

before(async () => {
  await ensureSynced(SHOP);
  [{ id: shopId }] = await d1(`SELECT id FROM shops WHERE domain = '${SHOP}'`);
});

after(async () => {
  await policy({ reset: true });
  // Leave the shop with a good token for the tests after these: an embedded visit signs in.
  await d1(`UPDATE shops SET needs_signin_at = CURRENT_TIMESTAMP WHERE id = ${shopId} AND (token_expires_at IS NULL OR needs_signin_at IS NOT NULL)`);
  const status = await serverFn('sync/status', {}, { shop: SHOP });
  // A test that failed half-way may have left a failed run as the newest: sync once more,
  // so its failure stays its own and the files after start from a synced shop.
  if ((status.json ?? []).some((r) => r.status !== 'done')) await syncOnce();
});

test('installs store an expiring token: access and refresh token sealed, with their expiries', async () => {
  const row = await tokenRow();
  assert.match(row.access_token, /^v1:/);
  assert.match(row.refresh_token, /^v1:/);
  assert.doesNotMatch(row.refresh_token, /shprt_/);
  const now = Date.now() / 1000;
  assert.ok(row.token_expires_at > now && row.token_expires_at <= now + 3600 + 5, `access expiry ${row.token_expires_at}`);
  assert.ok(row.refresh_expires_at > now + 80 * 86400, `refresh expiry ${row.refresh_expires_at}`);
  assert.equal(row.needs_signin_at, null);
});

test('concurrent work refreshes once: one token survives and every caller proceeds', async () => {
  await policy({ access_ttl_secs: 3600 });
  await settled();
  await expireStoredToken();
  const before = await settled();
  const { token_version: v0 } = await tokenRow();
  const last = await lastRun();
  // Two syncs at once (five bulk exports may run at once since API 2026-01): both start
  // with an expired token.
  const started = await Promise.all([startSync(), startSync()]);
  for (const r of started) assert.equal(r.status, 200, r.text);
  const runs = await runsAfter(last, 4);
  assert.ok(runs.every((r) => r.status === 'done'), JSON.stringify(runs));
  const after = await stats();
  assert.ok(after.refreshes > before.refreshes, 'the expired token was refreshed');
  // (The replaced refresh token stays usable at Shopify until its successor is first used:
  // the grace rule, so the fake may count two usable ones here.)
  // One renewal stored for both callers: the token's version moved on once.
  const row = await tokenRow();
  assert.equal(row.token_version, v0 + 1);
  assert.equal(row.needs_signin_at, null);
});

test('a refresh whose answer is lost is recovered with the same refresh token', async () => {
  await settled();
  await expireStoredToken();
  const before = await settled();
  await fake('/_fake/token-faults', { shop: SHOP, kind: 'lose_response' });
  const runs = await syncOnce();
  assert.ok(runs.every((r) => r.status === 'done'), JSON.stringify(runs));
  const after = await stats();
  assert.equal(after.refreshes - before.refreshes, 1);
  assert.equal(after.repeated_refreshes - before.repeated_refreshes, 1, 'the retry was answered with the pair the lost answer carried');
});

test('a refresh answered 503 keeps the stored refresh token and succeeds later', async () => {
  await expireStoredToken();
  const stored = await tokenRow();
  // Three 503s: every attempt of one refresh (it retries with backoff) fails.
  await fake('/_fake/token-faults', { shop: SHOP, kind: '503', count: 3 });
  const failed = await syncOnce();
  assert.ok(failed.some((r) => r.status === 'failed'), JSON.stringify(failed));
  const row = await tokenRow();
  assert.equal(row.refresh_token, stored.refresh_token, 'refresh token kept');
  assert.equal(row.needs_signin_at, null, 'a 503 is not a sign-in problem');
  const runs = await syncOnce();
  assert.ok(runs.every((r) => r.status === 'done'), JSON.stringify(runs));
});

// After the tests that count refreshes: its six-second tokens leave steps renewing for a while.
test('a token that expires in the middle of a bulk sync is refreshed and the sync finishes', async () => {
  // Every token from here lives 6 s, so the sync's steps outlive several of them.
  await policy({ access_ttl_secs: 6 });
  await expireStoredToken();
  const before = await stats();
  const runs = await syncOnce();
  assert.deepEqual(runs.map((r) => r.status), ['done', 'done'], JSON.stringify(runs));
  const after = await stats();
  assert.ok(after.refreshes - before.refreshes >= 2, `refreshes: ${before.refreshes} -> ${after.refreshes}`);
  const row = await tokenRow();
  assert.equal(row.needs_signin_at, null);
  await policy({ access_ttl_secs: 3600 });
});

test('a revoked refresh token marks the shop for sign-in once, and the next embedded visit recovers', async () => {
  await fake('/_fake/tokens/revoke', { shop: SHOP });
  await expireStoredToken();
  const last = await lastRun();
  assert.equal((await startSync(plainTab())).status, 200);
  await needsSignIn();
  // The sync stopped: no run, or one that says the merchant must reconnect.
  await stoppedForSignIn(last);
  // The plain tab cannot start work for it now; the embedded visit runs token exchange.
  assert.equal((await startSync(plainTab())).status, 401);
  const visit = await serverFn('dashboard', {}, { shop: SHOP });
  assert.equal(visit.status, 200, visit.text);
  const back = await tokenRow();
  assert.equal(back.needs_signin_at, null);
  assert.match(back.refresh_token, /^v1:/);
  const again = await syncOnce();
  assert.ok(again.every((r) => r.status === 'done'), JSON.stringify(again));
});

/** Stores a non-expiring token, as an app version before expiring tokens did. */
async function storeLegacyToken() {
  clockOffset = 0;
  await policy({ reset: true, ignore_expiring: true });
  await d1(`UPDATE shops SET needs_signin_at = CURRENT_TIMESTAMP WHERE id = ${shopId}`);
  assert.equal((await serverFn('dashboard', {}, { shop: SHOP })).status, 200);
  const legacy = await tokenRow();
  assert.equal(legacy.token_expires_at, null, 'stored a non-expiring token');
  assert.equal(legacy.refresh_token, null);
}

test('a legacy non-expiring token is migrated in the background before the cut-off', async () => {
  await storeLegacyToken();
  await policy({ ignore_expiring: false });
  const before = await stats();
  const runs = await syncOnce(plainTab());
  assert.ok(runs.every((r) => r.status === 'done'), JSON.stringify(runs));
  assert.equal((await stats()).migrations - before.migrations, 1);
  const migrated = await tokenRow();
  assert.notEqual(migrated.token_expires_at, null);
  assert.match(migrated.refresh_token, /^v1:/);
  assert.equal((await stats()).non_expiring_tokens, 0, 'Shopify revoked the old token');
});

test('past the cut-off a stored non-expiring token is refused, then recovered by token exchange on the next visit', async () => {
  await storeLegacyToken();
  // 1 January 2027 has come.
  await policy({ ignore_expiring: false, non_expiring_cutoff: new Date(Date.now() - 1000).toISOString() });
  const last = await lastRun();
  assert.equal((await startSync(plainTab())).status, 200);
  await needsSignIn();
  await stoppedForSignIn(last);
  assert.equal((await serverFn('dashboard', {}, { shop: SHOP })).status, 200);
  const recovered = await tokenRow();
  assert.equal(recovered.needs_signin_at, null);
  assert.notEqual(recovered.token_expires_at, null, 'an expiring token now');
  const again = await syncOnce();
  assert.ok(again.every((r) => r.status === 'done'), JSON.stringify(again));
});
