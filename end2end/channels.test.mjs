// Alert channels (issue 21, item 4): a merchant connects Slack, a signed webhook and Shopify
// Flow in Settings; an alert opened by a webhook reaches each, Slack as one message, the
// webhook signed, Flow as the "Stock alert opened" trigger (the fake checks its payload
// against extensions/stock-alert-opened); quiet hours hold a delivery; an endpoint answering
// 500 is retried with backoff and then paused, the merchant emailed, while Slack goes on;
// resuming sends what waited. Slack and the webhook endpoint are the fake's recording receivers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { DEMO, FAKE, BASE, get, serverFn, fake, webhook, d1, ensureSynced, until, formPostWithoutJs, launchBrowser, signedInContext } from './helpers.mjs';

let shopId;
let zone;
const run = Date.now().toString(36);
const SLACK = `https://hooks.slack.com/services/T0TEST${run.toUpperCase()}/B0TEST/XsecretX${run}`;
const HOOK = `hook-${run}`;
const changed = []; // [level, available] to put back
let savedRecipients;

const receiver = async (name) => (await fake(`/_fake/receivers/${name}`)).requests;
const configure = (name, status) => fake(`/_fake/receivers/${name}/config`, { status, retry_after: null });
const channel = (kind) => d1(`SELECT * FROM alert_channels WHERE shop_id = ${shopId} AND kind = '${kind}'`).then((r) => r[0]);
const save = (kind, fields) => serverFn('settings/channels/save', { kind, ...fields });
const kinds = (...ks) => Object.fromEntries(ks.map((k) => [`channel[kinds][${k}]`, 'on']));

before(async () => {
  await ensureSynced(DEMO);
  [{ id: shopId, timezone: zone }] = await d1(`SELECT id, timezone FROM shops WHERE domain = '${DEMO}'`);
  [{ digest_recipients: savedRecipients }] = await d1(`SELECT digest_recipients FROM settings WHERE shop_id = ${shopId}`);
  await d1(`UPDATE settings SET digest_recipients = 'ops@example.com' WHERE shop_id = ${shopId}`);
});

after(async () => {
  for (const kind of ['slack', 'webhook', 'flow']) await save(kind, {});
  for (const [level, available] of changed.reverse()) await setLevel(level, available);
  await d1(`UPDATE settings SET digest_recipients = '${savedRecipients.replaceAll("'", "''")}' WHERE shop_id = ${shopId}`);
});

/** A variant in stock that sells, with no live out-of-stock alert at its location. */
async function sellingLevel(exclude = []) {
  const rows = await d1(`SELECT il.variant_id, il.location_id, il.available, v.inventory_item_id, v.product_id, p.title, l.name
    FROM inventory_levels il JOIN variants v ON v.shop_id = il.shop_id AND v.id = il.variant_id
    JOIN products p ON p.shop_id = v.shop_id AND p.id = v.product_id
    JOIN locations l ON l.shop_id = il.shop_id AND l.id = il.location_id AND l.active = 1 AND l.watched = 1
    JOIN forecasts f ON f.shop_id = il.shop_id AND f.variant_id = il.variant_id AND f.location_id = il.location_id
    WHERE il.shop_id = ${shopId} AND il.available > 5 AND f.velocity > 0.2 AND v.tracked = 1
      AND f.day = (SELECT MAX(day) FROM forecasts WHERE shop_id = ${shopId})
      AND NOT EXISTS (SELECT 1 FROM alerts a WHERE a.shop_id = il.shop_id AND a.variant_id = il.variant_id AND a.state != 'resolved'
                      AND a.kind = 'out_of_stock')
    ORDER BY il.variant_id LIMIT 20`);
  const level = rows.find((r) => !exclude.includes(r.variant_id));
  assert.ok(level, 'a selling variant in stock');
  return level;
}

async function setLevel(level, available) {
  const r = await webhook('inventory_levels/update', {
    inventory_item_id: level.inventory_item_id, location_id: level.location_id, available, updated_at: new Date().toISOString(),
    admin_graphql_api_id: `gid://shopify/InventoryLevel/${level.location_id}?inventory_item_id=${level.inventory_item_id}`,
  });
  assert.equal(r.status, 200);
}

/** Sells `level` out; returns the out-of-stock alert that opens. */
async function sellOut(level) {
  changed.push([level, level.available]);
  await setLevel(level, 0);
  return until(`the out-of-stock alert of ${level.title}`, async () => (await d1(`SELECT id FROM alerts WHERE shop_id = ${shopId}
    AND variant_id = ${level.variant_id} AND location_id = ${level.location_id} AND kind = 'out_of_stock' AND state = 'open'`))[0], { timeoutMs: 60000, everyMs: 500 });
}

const deliveries = (alertId) => d1(`SELECT c.kind, d.state, d.attempts, d.last_status, d.due_at FROM channel_deliveries d
  JOIN alert_channels c ON c.id = d.channel_id WHERE d.shop_id = ${shopId} AND d.alert_id = ${alertId} ORDER BY c.kind`);

test('a merchant connects Slack in Settings; a URL that is not a Slack webhook is refused at its field', async () => {
  const browser = await launchBrowser();
  try {
    const context = await signedInContext(browser);
    const page = await context.newPage();
    await page.goto(`${BASE}/app/settings`);
    await page.getByRole('link', { name: /Alert channels/ }).click();
    await page.waitForURL(`${BASE}/app/settings/channels**`);
    await page.getByRole('heading', { name: 'Slack', level: 2 }).waitFor();
    const form = page.locator('#slack-form');
    await form.getByLabel('Send alerts to Slack').check();
    await form.getByLabel('Slack incoming-webhook URL').fill('https://app.slack.com/client/T0/C0');
    await form.getByRole('button', { name: 'Save Slack' }).click();
    await page.locator('#slack-url-error').filter({ hasText: 'hooks.slack.com/services' }).waitFor();
    assert.equal(await page.locator('#webhook-url-error').textContent(), '', "the other channels' fields say nothing");
    assert.equal((await channel('slack'))?.enabled ?? 0, 0, 'nothing saved');

    const again = page.locator('#slack-form');
    await again.getByLabel('Send alerts to Slack').check();
    await again.getByLabel('Slack incoming-webhook URL').fill(SLACK);
    await again.getByRole('button', { name: 'Save Slack' }).click();
    await until('Slack saved', async () => (await channel('slack'))?.enabled === 1);
    const saved = await channel('slack');
    assert.equal(saved.url, SLACK);
    assert.equal(saved.alert_kinds, 'out_of_stock,reorder_now', 'the kinds that cost sales, by default');
    await context.close();
  } finally {
    await browser.close();
  }
  // A webhook must be https (loopback is let through only in development) and needs a kind.
  const refused = await save('webhook', { 'channel[enabled]': 'on', 'channel[url]': 'ftp://example.com/x' });
  assert.equal(refused.status, 422);
  assert.match(refused.text, /webhook:webhook_url/);
  assert.match(refused.text, /webhook:kinds/);
});

test('an opened alert reaches Slack in one message, the webhook signed, and Flow once quiet hours end', async () => {
  await configure(HOOK, 200);
  const hookUrl = `${FAKE}/_fake/receiver/${HOOK}`;
  assert.equal((await save('webhook', { 'channel[enabled]': 'on', 'channel[url]': hookUrl, ...kinds('out_of_stock') })).status, 200);
  // Flow is quiet now (this hour and the next, in the shop's zone).
  const hour = Number(new Intl.DateTimeFormat('en-GB', { hour: 'numeric', hourCycle: 'h23', timeZone: zone || 'UTC' }).format(new Date()));
  const quiet = { 'channel[quiet_hours_start]': String(hour), 'channel[quiet_hours_end]': String((hour + 2) % 24) };
  assert.equal((await save('flow', { 'channel[enabled]': 'on', ...kinds('out_of_stock'), ...quiet })).status, 200);
  await fake(`/_fake/flow-triggers?shop=${DEMO}`).catch(() => null);
  const flowBefore = (await fake(`/_fake/flow-triggers?shop=${DEMO}`)).triggers.length;

  const level = await sellingLevel();
  const alert = await sellOut(level);
  const slack = await until('the Slack message', async () => (await receiver('slack')).find((r) => r.path.includes(`XsecretX${run}`) && r.body.includes(level.title)), { timeoutMs: 30000 });
  const message = JSON.parse(slack.body);
  assert.match(message.text, /^Out of stock: /);
  assert.ok(message.blocks.some((b) => b.text.text.includes(`/app/variants/${level.variant_id}?location=${level.location_id}`)), 'it links to the variant');

  const hooked = await until('the webhook', async () => (await receiver(HOOK)).find((r) => r.body.includes(`"alert_id":${alert.id}`)), { timeoutMs: 30000 });
  const { secret } = await channel('webhook');
  const [, t, v1] = hooked.headers['stock-sentry-signature'].match(/^t=(\d+),v1=([0-9a-f]{64})$/);
  assert.equal(createHmac('sha256', secret).update(`${t}.${hooked.body}`).digest('hex'), v1, 'signed with the secret shown in Settings');
  assert.ok(Math.abs(Date.now() / 1000 - Number(t)) < 120, 'with the time of sending');
  const body = JSON.parse(hooked.body);
  assert.equal(body.event, 'alerts.opened');
  assert.equal(body.shop, DEMO);
  assert.equal(body.alerts.find((a) => a.alert_id === alert.id).on_hand, 0);

  // Flow waits for the quiet hours to end, and the log says so.
  const held = await until('Flow held', async () => (await deliveries(alert.id)).find((d) => d.kind === 'flow' && d.due_at > new Date().toISOString()));
  assert.equal(held.attempts, 0);
  assert.equal((await fake(`/_fake/flow-triggers?shop=${DEMO}`)).triggers.length, flowBefore, 'nothing sent to Flow in quiet hours');
  const page = await get('/app/settings/channels');
  assert.match(page.text, /Waiting until/);
  // Quiet hours removed: the held alert goes.
  assert.equal((await save('flow', { 'channel[enabled]': 'on', ...kinds('out_of_stock') })).status, 200);
  const trigger = await until('the Flow trigger', async () => (await fake(`/_fake/flow-triggers?shop=${DEMO}`)).triggers.slice(flowBefore)
    .find((x) => x.payload.product_id === level.product_id), { timeoutMs: 30000 });
  assert.equal(trigger.handle, 'stock-alert-opened');
  assert.equal(trigger.payload['Alert kind'], 'Out of stock');
  assert.equal(trigger.payload.Location, level.name);
  assert.equal(trigger.payload['On hand'], 0);
  await until('all three delivered', async () => (await deliveries(alert.id)).every((d) => d.state === 'delivered') || undefined);
  assert.deepEqual((await deliveries(alert.id)).map((d) => d.kind), ['flow', 'slack', 'webhook']);
});

test('an endpoint answering 500 is retried with backoff, then paused and the merchant emailed, while Slack goes on; resuming sends what waited', async () => {
  await configure(HOOK, 500);
  const mailsBefore = (await d1(`SELECT COUNT(*) AS n FROM outbox WHERE shop_id = ${shopId} AND tag = 'channel_paused'`))[0].n;
  const first = await d1(`SELECT variant_id FROM alerts WHERE shop_id = ${shopId} AND kind = 'out_of_stock' AND state = 'open'`);
  const level = await sellingLevel(first.map((r) => r.variant_id));
  const alert = await sellOut(level);
  await until('Slack told, the webhook failing', async () => {
    const d = await deliveries(alert.id);
    return d.find((x) => x.kind === 'slack')?.state === 'delivered' && d.find((x) => x.kind === 'webhook')?.attempts >= 1 || undefined;
  }, { timeoutMs: 30000 });
  const paused = await until('the webhook paused', async () => {
    const c = await channel('webhook');
    return c.paused_at ? c : undefined;
  }, { timeoutMs: 150000, everyMs: 1000 });
  assert.match(paused.paused_reason, /last 5 attempts failed: the endpoint answered 500/);
  const [w] = (await deliveries(alert.id)).filter((d) => d.kind === 'webhook');
  assert.equal(w.attempts, 5, 'five attempts, then it stops');
  assert.equal(w.state, 'failed');
  assert.equal(w.last_status, 500);
  const tries = (await receiver(HOOK)).filter((r) => r.body.includes(`"alert_id":${alert.id}`)).map((r) => Date.parse(r.received_at));
  assert.equal(tries.length, 5);
  const gaps = tries.slice(1).map((t, i) => t - tries[i]);
  assert.ok(gaps[3] > gaps[0], `the waits grow (${gaps.join(', ')} ms)`);
  const [mail] = await until('the email', async () => {
    const rows = await d1(`SELECT subject, recipients, text FROM outbox WHERE shop_id = ${shopId} AND tag = 'channel_paused' ORDER BY id DESC`);
    return rows.length > mailsBefore ? rows : undefined;
  });
  assert.match(mail.subject, /^Webhook alerts paused/);
  assert.match(mail.recipients, /ops@example\.com/);
  // The page says so, with a way to resume.
  const page = await get('/app/settings/channels');
  assert.match(page.text, /Paused: The last 5 attempts failed/);
  assert.match(page.text, /Resume Webhook/);

  // A third alert while paused waits; the endpoint fixed and the channel resumed, it goes.
  const third = await sellOut(await sellingLevel([...first.map((r) => r.variant_id), level.variant_id]));
  await until("the third alert's Slack message", async () => (await deliveries(third.id)).find((d) => d.kind === 'slack')?.state === 'delivered' || undefined, { timeoutMs: 30000 });
  assert.equal((await deliveries(third.id)).find((d) => d.kind === 'webhook')?.attempts ?? 0, 0, 'a paused channel is not tried');
  await configure(HOOK, 200);
  const res = await formPostWithoutJs('settings/channels/resume', { kind: 'webhook' }, `${BASE}/app/settings/channels`);
  assert.ok([302, 303].includes(res.status), `a form post comes back to the page (${res.status})`);
  await until('the held alert delivered', async () => (await deliveries(third.id)).find((d) => d.kind === 'webhook')?.state === 'delivered' || undefined, { timeoutMs: 30000 });
  assert.equal((await channel('webhook')).paused_at, null);
  const log = (await get('/app/settings/channels')).text;
  assert.match(log, /id="delivery-log"/);
  assert.match(log, /Delivered/);
  assert.match(log, /500: internal_error/);
});
