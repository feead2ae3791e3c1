// The reorder page in Debian's headless Chromium: the server's HTML already holds every
// line and a purchase order (CSV) of the suggested quantities; after hydration the
// merchant edits quantities, the totals and the downloads follow, a line set to 0 leaves
// the CSV, and an entry that is not a quantity is refused next to its field.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { BASE, DEMO, get, serverFn, ensureSynced, until, launchBrowser, signedInContext } from './helpers.mjs';

const ARTIFACTS = new URL('./artifacts/', import.meta.url).pathname;
const HEADER = 'supplier,sku,supplier_sku,product,variant,location,on_hand,incoming,order_qty,unit_cost';
const QTY = 8; // the quantity column
const LOCATION = 5;
let browser;
let context; // a plain browser tab, signed in through OAuth

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  await ensureSynced(DEMO);
  browser = await launchBrowser();
  context = await signedInContext(browser, { acceptDownloads: true });
});

after(async () => {
  await browser?.close();
});

/** RFC 4180 rows (CRLF line ends, quoted fields with doubled quotes), header included. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; } else if (c === '\r' && text[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i++; } else field += c;
  }
  return rows;
}

const decodeHref = (href) => decodeURIComponent(href.slice(href.indexOf(',') + 1));

/** Downloads what the link points at, by keyboard, and returns the file's text. */
async function download(page, link) {
  const [file] = await Promise.all([page.waitForEvent('download'), (async () => {
    await link.focus();
    await page.keyboard.press('Enter');
  })()]);
  assert.equal(await file.failure(), null);
  assert.match(file.suggestedFilename(), /^reorder(-[a-z0-9-]+)?\.csv$/);
  return readFileSync(await file.path(), 'utf8');
}

/** Cents as the page shows them, without the currency sign: 123456 → "1,234.56". */
const amount = (cents) => `${Math.floor(cents / 100).toLocaleString('en-US')}.${String(cents % 100).padStart(2, '0')}`;

test('before hydration the page lists every line with its suggested quantity and the suggested purchase order', async () => {
  const { res, text } = await get('/app/reorder');
  assert.equal(res.status, 200);
  const hrefs = [...text.matchAll(/href="(data:text\/csv;charset=utf-8,[^"]*)"/g)].map((m) => decodeHref(m[1]));
  assert.ok(hrefs.length >= 2, 'the whole order and one per supplier');
  const [all, ...perVendor] = hrefs.map(parseCsv);
  assert.equal(all[0].join(','), HEADER);
  // The per-supplier purchase orders together are the whole one.
  assert.deepEqual(perVendor.flatMap((rows) => rows.slice(1)), all.slice(1));
  const inputs = [...text.matchAll(/<input[^>]*class="qty-input"[^>]*>/g)].map((m) => m[0]);
  assert.equal(inputs.length, all.length - 1, 'one quantity field per CSV line');
  inputs.forEach((input, i) => {
    assert.match(input, new RegExp(`value="${all[i + 1][QTY]}"`), 'prefilled with the suggested quantity');
    assert.match(input, /min="0"/);
  });
});

test('edited quantities reach the totals and the CSV; 0 leaves a line out; a non-number is refused', async () => {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${BASE}/app/reorder`);
  await page.waitForSelector('.app[data-hydrated="true"]', { timeout: 20000 });
  const link = page.getByRole('link', { name: 'Download purchase order (CSV)' });
  const inputs = page.locator('input.qty-input');

  // Unedited, the download is the suggestion, its data rows in the page's order.
  const suggested = parseCsv(await download(page, link));
  assert.equal(suggested[0].join(','), HEADER);
  const rows = suggested.slice(1);
  assert.equal(await inputs.count(), rows.length);
  assert.ok(rows.length >= 2, 'the demo shop has at least two lines to reorder');
  const [first, second] = rows;

  // Each field's accessible name says which line it orders.
  const firstInput = inputs.nth(0);
  const name = await firstInput.evaluate((el) => el.labels[0].textContent);
  assert.ok(name.startsWith('Order quantity for ') && name.endsWith(`(${first[1]}) at ${first[LOCATION]}`), name);
  assert.equal(await page.getByRole('spinbutton', { name, exact: true }).count(), 1);
  assert.equal(await firstInput.inputValue(), first[QTY]);

  const section = page.locator('section.section').first();
  const headingBefore = await section.locator('h2').innerText();
  await firstInput.fill('777');
  await inputs.nth(1).fill('0');
  await until('the link to follow the edits', async () => decodeHref(await link.getAttribute('href')).includes(',777,'));

  const edited = parseCsv(await download(page, link)).slice(1);
  assert.deepEqual(edited, [[...first.slice(0, QTY), '777', first[QTY + 1]], ...rows.slice(2)],
    'the first line carries 777, the zeroed line is gone, the rest as suggested');
  assert.ok(!edited.some((r) => r[1] === second[1] && r[LOCATION] === second[LOCATION] && r[0] === second[0]), 'no row for the zeroed line');
  // The line total and the vendor's total follow (the suggested quantity stays shown).
  const row = firstInput.locator('xpath=ancestor::tr');
  const unitCents = Math.round(Number(first[QTY + 1]) * 100);
  assert.ok((await row.innerText()).includes(amount(777 * unitCents)), 'line total at 777');
  assert.ok((await row.innerText()).includes(first[QTY]), 'the suggestion stays visible');
  if (unitCents > 0) assert.notEqual(await section.locator('h2').innerText(), headingBefore);
  // The vendor's own purchase order follows too.
  const vendorCsv = parseCsv(decodeHref(await section.getByRole('link', { name: /^Download the order from / }).getAttribute('href')));
  assert.deepEqual(vendorCsv[1], edited[0]);

  // Not a number ("777e" is what a number field cannot read): a message by the field,
  // and the CSV keeps 777.
  await firstInput.press('End');
  await firstInput.press('e');
  const message = page.locator(`#${await firstInput.getAttribute('aria-describedby')}`);
  await message.filter({ hasText: /whole number/ }).waitFor({ timeout: 5000 });
  assert.equal(await firstInput.getAttribute('aria-invalid'), 'true');
  assert.equal(parseCsv(await download(page, link))[1][QTY], '777');
  await firstInput.fill('-3');
  await message.filter({ hasText: /cannot be negative/ }).waitFor({ timeout: 5000 });
  assert.equal(parseCsv(decodeHref(await link.getAttribute('href')))[1][QTY], '777');
  // A valid entry again clears the message.
  await firstInput.fill('12');
  await until('the message to clear', async () => (await message.innerText()) === '');
  assert.equal(await firstInput.getAttribute('aria-invalid'), null);
  assert.equal(parseCsv(decodeHref(await link.getAttribute('href')))[1][QTY], '12');

  await page.screenshot({ path: `${ARTIFACTS}reorder-edited.png`, fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();
});

test('each line covers its own variant\'s days unless the page names one number for all', async () => {
  const list = async (query = '') => {
    const { res, text } = await get(`/app/reorder${query}`);
    assert.equal(res.status, 200);
    const [, href] = text.match(/href="(data:text\/csv;charset=utf-8,[^"]*)"/);
    const ids = [...text.matchAll(/<input[^>]*id="qty-(\d+)-(\d+)"/g)].map((m) => ({ variant: m[1], location: m[2] }));
    const rows = parseCsv(decodeHref(href)).slice(1).map((r, i) => ({ ...ids[i], sku: r[1], qty: Number(r[QTY]) }));
    return { text, rows };
  };
  const key = (r) => `${r.variant}@${r.location}`;
  const own = await list();
  assert.ok(own.text.includes('download="reorder.csv"'), 'no page-wide number: the file says none');
  const year = await list('?cover=365');
  assert.ok(year.text.includes('download="reorder-365-days.csv"'));
  assert.ok(own.rows.length >= 2 && own.rows.every((r) => r.variant));
  for (const r of own.rows) {
    const y = year.rows.find((x) => key(x) === key(r));
    assert.ok(y && y.qty >= r.qty, `a year of cover orders at least as much for ${r.sku}`);
  }
  // One variant set to cover a year (its levels): its line orders for a year, the others
  // keep their own days.
  const [target] = own.rows;
  const save = (days) => serverFn('overrides/save', { target: `variant:${target.variant}`, 'o[target_cover_days]': days });
  assert.equal((await save('365')).status, 200);
  try {
    const after = await list();
    const mine = after.rows.filter((r) => r.variant === target.variant);
    assert.ok(mine.length >= 1);
    for (const r of mine) assert.equal(r.qty, year.rows.find((x) => key(x) === key(r)).qty, `${r.sku} covers a year`);
    for (const r of after.rows.filter((x) => x.variant !== target.variant)) {
      assert.equal(r.qty, own.rows.find((x) => key(x) === key(r)).qty, `${r.sku} keeps its own cover`);
    }
  } finally {
    assert.equal((await save('')).status, 200);
  }
  assert.deepEqual((await list()).rows, own.rows, 'the override removed, the list is as before');
});
