// Digest emails end to end on the built Worker (MAIL_TRANSPORT unset = capture): the
// settings server functions, the digest job run through /api/dev/send_digests, and what
// lands in D1's outbox.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO, d1, get, serverFn } from './helpers.mjs';

const [{ id: SHOP }] = await d1(`SELECT id FROM shops WHERE domain = '${DEMO}'`);
const [{ variant_id: VARIANT, location_id: LOCATION, title: PRODUCT }] = await d1(
  `SELECT l.variant_id, l.location_id, p.title FROM inventory_levels l
   JOIN variants v ON v.shop_id = l.shop_id AND v.id = l.variant_id
   JOIN products p ON p.shop_id = v.shop_id AND p.id = v.product_id
   WHERE l.shop_id = ${SHOP} ORDER BY l.variant_id, l.location_id LIMIT 1`,
);
const outboxCount = async () => (await d1(`SELECT COUNT(*) AS n FROM outbox WHERE shop_id = ${SHOP} AND tag = 'digest'`))[0].n;

after(async () => {
  await d1(`UPDATE settings SET digest_frequency = 'daily', digest_recipients = '', quiet_hours_start = NULL, quiet_hours_end = NULL WHERE shop_id = ${SHOP}`);
  await d1(`DELETE FROM alerts WHERE shop_id = ${SHOP} AND variant_id = ${VARIANT} AND location_id = ${LOCATION} AND kind = 'out_of_stock'`);
});

test('digest recipients: an invalid address is refused at its field, nothing saved; valid ones are saved', async () => {
  const bad = await serverFn('settings/digest/save', { digest_recipients: 'ops@example.com, not-an-address', quiet_hours_start: '', quiet_hours_end: '' });
  assert.equal(bad.status, 422);
  assert.match(bad.text, /digest_recipients/);
  assert.match(bad.text, /“not-an-address” is not an email address/);
  assert.equal((await serverFn('settings')).json.digest.digest_recipients, '');

  const quiet = await serverFn('settings/digest/save', { digest_recipients: 'ops@example.com', quiet_hours_start: '22', quiet_hours_end: '' });
  assert.equal(quiet.status, 422);
  assert.match(quiet.text, /quiet_hours/);

  const ok = await serverFn('settings/digest/save', { digest_recipients: 'ops@example.com; Buyer@Example.com, ops@example.com', quiet_hours_start: '', quiet_hours_end: '' });
  assert.equal(ok.status, 200, ok.text);
  assert.equal((await serverFn('settings')).json.digest.digest_recipients, 'ops@example.com, Buyer@Example.com');
});

test('an hourly digest mails a new alert once per window, and not in quiet hours', async () => {
  await d1(`UPDATE settings SET digest_frequency = 'hourly', digest_recipients = 'ops@example.com, buyer@example.com' WHERE shop_id = ${SHOP}`);
  await d1(`DELETE FROM digest_log WHERE shop_id = ${SHOP}`);
  await d1(`DELETE FROM alerts WHERE shop_id = ${SHOP} AND variant_id = ${VARIANT} AND location_id = ${LOCATION} AND kind = 'out_of_stock'`);
  const now = new Date().toISOString();
  // Above every other alert, so it leads its section whatever else the last recalculation
  // opened this hour (a digest lists the 25 most urgent of each kind).
  const [{ u: URGENCY }] = await d1(`SELECT CAST(COALESCE(MAX(urgency), 0) AS INTEGER) + 1 AS u FROM alerts WHERE shop_id = ${SHOP}`);
  await d1(`INSERT INTO alerts (shop_id, variant_id, location_id, kind, state, urgency, explanation, opened_at, updated_at)
            VALUES (${SHOP}, ${VARIANT}, ${LOCATION}, 'out_of_stock', 'open', ${URGENCY},
                    '{"days_of_cover":0,"lost_revenue_per_day_cents":4250,"depletion_date":null}', '${now}', '${now}')`);
  const before = await outboxCount();

  // Quiet hours around the current hour and the next (the demo shop is at UTC+0): held back,
  // even when the hour turns between setting them and sending.
  const hour = new Date().getUTCHours();
  await d1(`UPDATE settings SET quiet_hours_start = ${hour}, quiet_hours_end = ${(hour + 2) % 24} WHERE shop_id = ${SHOP}`);
  const quiet = await serverFn('dev/send_digests');
  assert.equal(quiet.status, 200, quiet.text);
  assert.equal(await outboxCount(), before, 'a digest was sent during quiet hours');

  await d1(`UPDATE settings SET quiet_hours_start = NULL, quiet_hours_end = NULL WHERE shop_id = ${SHOP}`);
  const first = await serverFn('dev/send_digests');
  assert.equal(first.status, 200, first.text);
  assert.ok(first.json >= 1, `sent ${first.text}`);
  const [mail] = await d1(`SELECT recipients, subject, html, text FROM outbox WHERE shop_id = ${SHOP} AND tag = 'digest' ORDER BY id DESC LIMIT 1`);
  assert.equal(await outboxCount(), before + 1);
  assert.deepEqual(JSON.parse(mail.recipients), ['ops@example.com', 'buyer@example.com']);
  assert.match(mail.subject, /^Stock Sentry: \d+ out of stock.* at Demo Outfitters$/);
  assert.ok(mail.html.includes(`/app/variants/${VARIANT}?location=${LOCATION}`), 'no link to the variant');
  assert.ok(mail.text.includes(PRODUCT), 'product name missing from the text part');
  assert.match(mail.text, /losing about \$42\.50\/day · new/);
  const [alert] = await d1(`SELECT reported_urgency FROM alerts WHERE shop_id = ${SHOP} AND variant_id = ${VARIANT} AND location_id = ${LOCATION} AND kind = 'out_of_stock' AND state = 'open'`);
  assert.equal(alert.reported_urgency, URGENCY);

  // The same job again (a cron delivered twice): nothing more is sent.
  const again = await serverFn('dev/send_digests');
  assert.equal(again.status, 200, again.text);
  assert.equal(await outboxCount(), before + 1, 'the same window was mailed twice');
  const log = await d1(`SELECT window_key, alerts, recipients FROM digest_log WHERE shop_id = ${SHOP}`);
  assert.equal(log.length, 1);
  assert.equal(log[0].recipients, 2);

  // The developer's outbox page shows it.
  const page = await get('/dev/outbox');
  assert.equal(page.res.status, 200);
  assert.ok(page.text.includes(mail.subject.replace(/&/g, '&amp;')), 'outbox page lacks the subject');
});
