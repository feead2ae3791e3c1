// The purchasing loop in Debian's headless Chromium against local wrangler dev (issue 19):
// suggestion → purchase order created from the reorder list → draft edited → PDF → sent by
// email with the PDF and CSV attached (the dev outbox) → on its way (the reorder list stops
// suggesting it) → received in parts, more than ordered flagged → done. And what is refused:
// a step out of order, a negative quantity, another shop's order.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { BASE, DEMO, serverFn, d1, ensureSynced, launchBrowser, signedInContext, until } from './helpers.mjs';

const ARTIFACTS = new URL('./artifacts/', import.meta.url).pathname;
const HEADER = 'supplier,sku,supplier_sku,unit_cost,moq,case_pack';
const SUPPLIER = 'Loop Supplier Ltd';
const EMAIL = 'orders@loop-supplier.example';
// Forty days on: the demo line runs out well before.
const EXPECTED = new Date(Date.now() + 40 * 864e5).toISOString().slice(0, 10);
let shopId;
let browser;
let context;
let target; // { sku, suggested, location_id }
let orderId;
let poNumber;

/** Submits a plain form (these pages render on the server) and waits for the page it comes back to. */
async function submit(page, button) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.getByRole('button', { name: button }).click()]);
  await page.waitForSelector('.app[data-hydrated="true"]', { timeout: 20000 });
}

const lineOf = (list, sku) => list.orders.flatMap((o) => o.lines.map((l) => ({ ...l, supplier: o.supplier }))).find((l) => l.sku === sku);

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  await ensureSynced(DEMO);
  [{ id: shopId }] = await d1(`SELECT id FROM shops WHERE domain = '${DEMO}'`);
  const list = (await serverFn('reorder', {})).json;
  // A line still in stock (a gap needs stock that runs out later), selling a few a week.
  const line = list.orders.flatMap((o) => o.lines).find((l) => l.sku && l.suggested_qty > 2 && l.on_hand > 0);
  assert.ok(line, 'the demo shop has a line to reorder');
  target = { sku: line.sku, suggested: line.suggested_qty, location_id: line.location_id, variant_id: line.variant_id };
  const imported = await serverFn('suppliers/catalogue/import', { csv: `${HEADER}\n${SUPPLIER},${target.sku},LS-${target.sku},3.00,1,1\n` });
  assert.equal(imported.status, 200, imported.text);
  const [{ id }] = await d1(`SELECT id FROM suppliers WHERE shop_id = ${shopId} AND name = '${SUPPLIER}'`);
  const saved = await serverFn('suppliers/save', { id: String(id), 'supplier[name]': SUPPLIER, 'supplier[email]': EMAIL, 'supplier[phone]': '', 'supplier[currency]': '', 'supplier[min_order]': '', 'supplier[notes]': '' });
  assert.equal(saved.status, 200, saved.text);
  browser = await launchBrowser();
  context = await signedInContext(browser, { acceptDownloads: true });
});

after(async () => {
  await d1(`DELETE FROM purchase_order_lines WHERE shop_id = ${shopId}`);
  await d1(`DELETE FROM purchase_orders WHERE shop_id = ${shopId}`);
  await serverFn('suppliers/catalogue/import', { csv: `${HEADER}\n` });
  await d1(`DELETE FROM suppliers WHERE shop_id = ${shopId} AND name = '${SUPPLIER}'`);
  await browser?.close();
});

test('a purchase order is created from the reorder list, edited as a draft, and its PDF is a real document', async () => {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${BASE}/app/reorder`);
  await page.waitForSelector('.app[data-hydrated="true"]', { timeout: 20000 });
  const section = page.getByRole('region', { name: `Order from ${SUPPLIER}` }).or(page.locator(`section[aria-label="Order from ${SUPPLIER}"]`));
  await section.getByRole('button', { name: `Create purchase order for ${SUPPLIER}` }).click();
  const link = section.getByRole('status').getByRole('link');
  await link.first().waitFor({ timeout: 15000 });
  poNumber = (await link.first().innerText()).split(' ')[0];
  assert.match(poNumber, /^PO-\d{4,}$/);
  await link.first().click();
  await page.waitForURL(/\/app\/purchase-orders\/\d+$/);
  orderId = Number(page.url().split('/').pop());
  await page.waitForSelector('.app[data-hydrated="true"]', { timeout: 20000 });
  assert.match(await page.locator('h1').innerText(), new RegExp(`${poNumber} · ${SUPPLIER}\\s+draft`));
  const qty = page.getByLabel(/^Quantity of /);
  assert.equal(await qty.inputValue(), String(target.suggested), 'the suggestion, as the supplier sells it');

  // A negative quantity is refused by its field; nothing saved.
  await qty.fill('-2');
  await submit(page, 'Save draft');
  await page.locator(`#qty-${(await d1(`SELECT variant_id FROM purchase_order_lines WHERE order_id = ${orderId}`))[0].variant_id}-error`).filter({ hasText: /negative/ }).waitFor({ timeout: 10000 });
  assert.equal((await d1(`SELECT quantity FROM purchase_order_lines WHERE order_id = ${orderId}`))[0].quantity, target.suggested);

  await page.getByLabel(/^Quantity of /).fill(String(target.suggested + 1));
  await page.getByLabel('Expected delivery').fill(EXPECTED);
  await page.getByLabel('Notes for the supplier').fill('Please deliver before noon.');
  await submit(page, 'Save draft');
  const [row] = await d1(`SELECT o.expected_on, o.notes, l.quantity FROM purchase_orders o JOIN purchase_order_lines l ON l.order_id = o.id WHERE o.id = ${orderId}`);
  assert.deepEqual(row, { expected_on: EXPECTED, notes: 'Please deliver before noon.', quantity: target.suggested + 1 });

  // The PDF: a real document with the number, the supplier's SKU, the quantity and the date.
  const href = await page.getByRole('link', { name: 'Download PDF' }).getAttribute('href');
  const pdf = Buffer.from(href.slice(href.indexOf(',') + 1), 'base64');
  assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
  writeFileSync(`${ARTIFACTS}${poNumber}.pdf`, pdf);
  const text = execFileSync('pdftotext', ['-layout', `${ARTIFACTS}${poNumber}.pdf`, '-'], { encoding: 'utf8' });
  assert.match(text, new RegExp(`Purchase order ${poNumber}`));
  assert.match(text, new RegExp(`LS-${target.sku}`));
  assert.match(text, new RegExp(`Expected delivery\\s+${EXPECTED}`));
  assert.match(text, new RegExp(`\\b${target.suggested + 1}\\s+3\\.00`));
  await page.screenshot({ path: `${ARTIFACTS}purchase-order-draft.png`, fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();
});

const liveGap = async () => (await d1(`SELECT explanation FROM alerts WHERE shop_id = ${shopId} AND variant_id = ${target.variant_id}
  AND location_id = ${target.location_id} AND kind = 'stock_gap' AND state != 'resolved'`))[0];

test('sending emails the supplier the PDF and CSV; the stock on its way leaves the reorder list and, landing too late, raises a stock gap', async () => {
  const before = lineOf((await serverFn('reorder', {})).json, target.sku);
  assert.ok(before, 'suggested before the order is sent');
  const page = await context.newPage();
  await page.goto(`${BASE}/app/purchase-orders/${orderId}`);
  await page.waitForSelector('.app[data-hydrated="true"]', { timeout: 20000 });
  assert.match(await page.locator('#send-form').innerText(), new RegExp(`emails it to ${EMAIL}`));
  await submit(page, 'Send to supplier');
  await until('the order to be sent', async () => (await page.locator('h1').innerText()).includes('sent'));
  const [mail] = await d1(`SELECT recipients, subject, text, attachments FROM outbox WHERE shop_id = ${shopId} AND tag = 'purchase_order' ORDER BY id DESC LIMIT 1`);
  assert.deepEqual(JSON.parse(mail.recipients), [EMAIL]);
  assert.match(mail.subject, new RegExp(`^Purchase order ${poNumber} from `));
  assert.match(mail.text, new RegExp(`Expected delivery: ${EXPECTED}`));
  const files = JSON.parse(mail.attachments);
  assert.deepEqual(files.map((f) => f.filename), [`${poNumber}-loop-supplier-ltd.pdf`, `${poNumber}-loop-supplier-ltd.csv`]);
  assert.equal(Buffer.from(files[0].base64, 'base64').subarray(0, 5).toString(), '%PDF-');
  const csv = Buffer.from(files[1].base64, 'base64').toString('utf8').split('\r\n');
  assert.equal(csv[0], 'po_number,supplier_sku,sku,description,quantity,unit_cost,line_total,currency');
  assert.match(csv[1], new RegExp(`^${poNumber},LS-${target.sku},${target.sku},.*,${target.suggested + 1},3\\.00,`));
  // The dev outbox shows the message with its attachments.
  await page.goto(`${BASE}/dev/outbox`);
  await page.getByRole('link', { name: `${poNumber}-loop-supplier-ltd.pdf` }).first().waitFor({ timeout: 10000 });

  // On its way: counted as incoming, so not suggested again.
  const after = lineOf((await serverFn('reorder', {})).json, target.sku);
  assert.ok(!after || after.location_id !== target.location_id || after.incoming >= before.incoming + target.suggested + 1,
    'the ordered units count as incoming');
  assert.ok(!after || after.suggested_qty < before.suggested_qty, 'the line is not suggested again in full');
  // Sending twice is refused with the reason; nothing mailed again.
  const again = await serverFn('purchase_orders/send', { id: String(orderId) });
  assert.equal(again.status, 409);
  assert.match(again.text, /Only a draft can be sent \(this order is sent\)/);
  assert.equal((await d1(`SELECT COUNT(*) AS n FROM outbox WHERE shop_id = ${shopId} AND tag = 'purchase_order'`))[0].n, 1);

  // The delivery lands in forty days; the stock on hand runs out before: a stock gap.
  const gap = JSON.parse((await until('the stock gap alert', liveGap, { timeoutMs: 60000, everyMs: 1000 })).explanation);
  assert.equal(gap.arrival.date, EXPECTED);
  assert.ok(gap.stock_gap.from < EXPECTED && gap.stock_gap.units_short > 0 && gap.stock_gap.lost_revenue_cents > 0, JSON.stringify(gap.stock_gap));
  await page.goto(`${BASE}/app?kind=stock_gap`);
  await page.getByText(/Runs out .* before the delivery · .* at stake/).first().waitFor({ timeout: 10000 });
  await page.screenshot({ path: `${ARTIFACTS}dashboard-stock-gap.png`, fullPage: true });
  await page.close();
});

test('receiving in parts: partially received, then received with the extra units flagged', async () => {
  const page = await context.newPage();
  await page.goto(`${BASE}/app/purchase-orders/${orderId}`);
  await page.waitForSelector('.app[data-hydrated="true"]', { timeout: 20000 });
  const arrived = page.getByLabel(/^Units of .* that arrived now$/);
  await arrived.fill('1');
  await submit(page, 'Record what arrived');
  await until('partially received', async () => (await page.locator('h1').innerText()).includes('partially received'));
  // The rest, and two more than ordered.
  await arrived.fill(String(target.suggested + 2));
  await submit(page, 'Record what arrived');
  await until('received', async () => /received$/.test((await page.locator('h1').innerText()).trim()) && !(await page.locator('h1').innerText()).includes('partially'));
  await page.getByText(/More arrived than was ordered: .*\(\d+ of \d+\)/).waitFor({ timeout: 10000 });
  const [line] = await d1(`SELECT quantity, received FROM purchase_order_lines WHERE order_id = ${orderId}`);
  assert.deepEqual(line, { quantity: target.suggested + 1, received: target.suggested + 3 });
  // Nothing is awaited any more: the stock gap resolves.
  await until('the stock gap to resolve', async () => !(await liveGap()), { timeoutMs: 60000, everyMs: 1000 });
  // Received is final: neither cancelled nor received again.
  const cancel = await serverFn('purchase_orders/cancel', { id: String(orderId) });
  assert.equal(cancel.status, 409);
  assert.match(cancel.text, /A received order cannot be cancelled/);
  // The list shows it.
  await page.goto(`${BASE}/app/purchase-orders`);
  assert.match(await page.getByRole('row', { name: new RegExp(poNumber) }).innerText(), /received/);
  await page.close();
});

test('a supplier without an email: the order is marked sent for the merchant to send the PDF', async () => {
  const list = (await serverFn('reorder', {})).json;
  const order = list.orders.find((o) => o.supplier !== SUPPLIER && o.supplier_id !== null && o.lines.length);
  assert.ok(order);
  await d1(`UPDATE suppliers SET email = '' WHERE id = ${order.supplier_id}`);
  const created = await serverFn('purchase_orders/create', { supplier: order.supplier });
  assert.equal(created.status, 200, created.text);
  const id = created.json.orders[0].id;
  const mails = (await d1(`SELECT COUNT(*) AS n FROM outbox WHERE shop_id = ${shopId} AND tag = 'purchase_order'`))[0].n;
  const sent = await serverFn('purchase_orders/send', { id: String(id) });
  assert.equal(sent.status, 200, sent.text);
  assert.equal(sent.json.head.status, 'sent');
  assert.equal((await d1(`SELECT COUNT(*) AS n FROM outbox WHERE shop_id = ${shopId} AND tag = 'purchase_order'`))[0].n, mails, 'nothing emailed');
  assert.ok(sent.json.pdf_base64.length > 100, 'the PDF is there to download');
});

test("another shop's purchase order is not found through this shop", async () => {
  const probe = 'po-probe.myshopify.com';
  // An id of its own: autoincrement could take the id of a shop that lives on another shard.
  await d1(`INSERT INTO shops (id, domain, name) VALUES (990000000001, '${probe}', 'Probe')`);
  const [{ id: other }] = await d1(`SELECT id FROM shops WHERE domain = '${probe}'`);
  await d1(`INSERT INTO purchase_orders (shop_id, number, supplier_name, location_id, location_name, currency, created_at) VALUES (${other}, 1, 'Theirs', 1, 'There', 'USD', '2026-12-01T00:00:00Z')`);
  const [{ id }] = await d1(`SELECT id FROM purchase_orders WHERE shop_id = ${other}`);
  try {
    for (const fn of ['purchase_orders/get', 'purchase_orders/send', 'purchase_orders/cancel']) {
      const r = await serverFn(fn, { id: String(id) });
      assert.equal(r.status, 404, `${fn}: ${r.text}`);
    }
    assert.equal((await d1(`SELECT status FROM purchase_orders WHERE id = ${id}`))[0].status, 'draft');
  } finally {
    await d1(`DELETE FROM purchase_orders WHERE shop_id = ${other}`);
    await d1(`DELETE FROM shops WHERE id = ${other}`);
  }
});
