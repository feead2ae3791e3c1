// Moves one shop's data from its shard to another (issue 20), through `wrangler d1 execute`,
// so it works the same on local state and on remote databases. Run by scripts/move-shop.sh;
// read its header for usage. The steps, each safe to run again:
//   begin   mark the shop as moving (shop_directory.moving_to); wait until every isolate's
//           directory cache has seen it. From then on its webhooks and jobs wait (they retry
//           with backoff), server functions answer 503, and pages still read the old shard.
//   copy    delete anything of the shop's already in the new shard (an interrupted copy),
//           copy every row of it there, and check the counts, table by table.
//   switch  point the directory at the new shard and clear the mark; wait out the caches.
//   finish  delete the shop's rows from every shard the directory does not name.
//   abort   before a switch: delete the partial copy and clear the mark; nothing else moved.
//   all     begin, copy, switch, finish.
// A move stopped anywhere before `switch` leaves the shop whole and readable on its old
// shard; run `all` (or the missing steps) again, or `abort`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const USAGE = 'usage: scripts/move-shop.sh DOMAIN TO_SHARD [--step begin|copy|switch|finish|abort|all] [--settle SECS] [--persist-to DIR | --remote] [--env NAME]';
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const v = args[i + 1];
  if (v === undefined || v.startsWith('--')) fail(`${name} needs a value`);
  args.splice(i, 2);
  return v;
};
const flag = (name) => {
  const i = args.indexOf(name);
  if (i >= 0) args.splice(i, 1);
  return i >= 0;
};
function fail(message) {
  console.error(`[move] ${message}`);
  process.exit(2);
}

const step = opt('--step', 'all');
// An isolate trusts a directory answer for DIRECTORY_CACHE_SECS (30 unless set): wait longer.
const settle = Number(opt('--settle', '35'));
const persist = opt('--persist-to', '');
const envName = opt('--env', '');
const remote = flag('--remote');
const [domain, toName] = args;
if (!domain || !toName || args.length > 2) fail(USAGE);
if (!['begin', 'copy', 'switch', 'finish', 'abort', 'all'].includes(step)) fail(USAGE);
if (remote && persist) fail('--remote and --persist-to exclude each other');
if (!/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/.test(domain)) fail(`${domain} is not a *.myshopify.com domain`);

const where = remote ? ['--remote'] : ['--local', ...(persist ? ['--persist-to', persist] : [])];
const envFlag = envName ? ['--env', envName] : [];
const shards = execFileSync('scripts/shards.sh', envName ? ['--env', envName] : [], { encoding: 'utf8' }).trim().split('\n');
const to = shards.indexOf(toName);
if (to < 0) fail(`${toName} is not a shard (SHARDS: ${shards.join(', ')})`);
const work = mkdtempSync(join(tmpdir(), 'stock-sentry-move.'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

/** wrangler, tried again while a running local Worker holds the database (SQLITE_BUSY). */
function wrangler(argv, options) {
  for (let attempt = 1; ; attempt++) {
    try {
      return execFileSync('wrangler', argv, { encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'pipe'], ...options });
    } catch (e) {
      const busy = /SQLITE_BUSY|database is locked/i.test(`${e.stderr}${e.stdout}`);
      if (!busy || attempt >= 8) throw e;
      execFileSync('sleep', [String(0.25 * attempt)]);
    }
  }
}
/** Runs SQL statements on a shard; the rows of each statement's result. */
function query(shard, sql) {
  const out = wrangler(['d1', 'execute', shards[shard], ...where, ...envFlag, '--json', '--command', sql]);
  return JSON.parse(out).map((r) => r.results ?? []);
}
/** Runs a SQL file on a shard (wrangler sends it in one go: the fast path for bulk rows). */
function runFile(shard, sql) {
  const file = join(work, `shard-${shard}.sql`);
  writeFileSync(file, sql);
  wrangler(['d1', 'execute', shards[shard], ...where, ...envFlag, '--yes', '--file', file]);
}
const sleep = (s) => new Promise((r) => setTimeout(r, s * 1000));
const q = (v) => `'${String(v).replaceAll("'", "''")}'`;
function literal(v) {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'NULL';
  if (typeof v === 'string') return q(v);
  fail(`a value the move cannot copy: ${JSON.stringify(v)}`);
}

function entry() {
  const [[row]] = query(0, `SELECT shop_id, shard, moving_to FROM shop_directory WHERE domain = ${q(domain)}`);
  if (!row) fail(`${domain} is not in the shard directory`);
  return row;
}

// Everything of a shop: `shops` by its id, every other table with a shop_id column but the
// directory. Parents first, so foreign keys hold while rows go in (children of these
// reference nothing but them and `shops`).
const PARENTS = ['shops', 'settings', 'locations', 'products', 'variants', 'suppliers', 'purchase_orders', 'alert_channels'];
function tables(shard) {
  const [cols] = query(shard, `SELECT m.name AS t, p.name AS c, p.pk AS pk, p.type AS type FROM sqlite_master m, pragma_table_info(m.name) p
    WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '_cf_%' AND m.name NOT IN ('d1_migrations', 'shop_directory')`);
  const byTable = new Map();
  for (const c of cols) {
    if (!byTable.has(c.t)) byTable.set(c.t, []);
    byTable.get(c.t).push(c);
  }
  const list = [];
  for (const [name, cs] of byTable) {
    const key = name === 'shops' ? 'id' : cs.some((c) => c.c === 'shop_id') ? 'shop_id' : null;
    if (!key) continue;
    const pk = cs.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.c);
    // A single INTEGER primary key is the table's own numbering (SQLite's rowid): another
    // shard may use the same numbers, so colliding ones are renumbered on the way.
    const own = name !== 'shops' && pk.length === 1 && pk[0] === 'id' && /^INTEGER$/i.test(cs.find((c) => c.c === 'id').type);
    list.push({ name, key, columns: cs.map((c) => c.c), order: pk.length ? pk : ['rowid'], own });
  }
  const rank = (t) => (PARENTS.includes(t.name) ? PARENTS.indexOf(t.name) : PARENTS.length);
  return list.sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
}

function deleteAll(shard, shopId, list) {
  const sql = [...list].reverse().map((t) => `DELETE FROM ${t.name} WHERE ${t.key} = ${shopId};`).join('\n');
  runFile(shard, sql);
}

// Reads go in as few wrangler calls as fit (each costs a process start): pages of PAGE rows,
// up to CALL_ROWS rows a call.
const PAGE = 25000;
const CALL_ROWS = 100000;
function readAll(shard, shopId, list) {
  const counts = query(shard, list.map((t) => `SELECT COUNT(*) AS n FROM ${t.name} WHERE ${t.key} = ${shopId}`).join('; '));
  const pages = []; // [table, SQL, rows expected]
  list.forEach((t, i) => {
    const n = counts[i][0].n;
    for (let off = 0; off < n; off += PAGE) {
      pages.push([t.name, `SELECT * FROM ${t.name} WHERE ${t.key} = ${shopId} ORDER BY ${t.order.join(', ')} LIMIT ${PAGE} OFFSET ${off}`, Math.min(PAGE, n - off)]);
    }
  });
  const rows = new Map(list.map((t, i) => [t.name, { want: counts[i][0].n, got: [] }]));
  for (let i = 0; i < pages.length;) {
    let j = i;
    for (let sum = 0; j < pages.length && (j === i || sum + pages[j][2] <= CALL_ROWS); j++) sum += pages[j][2];
    query(shard, pages.slice(i, j).map((p) => p[1]).join('; ')).forEach((r, k) => rows.get(pages[i + k][0]).got.push(...r));
    i = j;
  }
  for (const [name, { want, got }] of rows) if (got.length !== want) fail(`${name}: read ${got.length} rows of ${want}`);
  return new Map([...rows].map(([name, { got }]) => [name, got]));
}

/** New numbers for the rows whose own id the target shard already uses. */
function renumber(target, list, rows) {
  const maps = new Map();
  for (const t of list.filter((x) => x.own)) {
    const ids = rows.get(t.name).map((r) => r.id);
    const map = new Map();
    maps.set(t.name, map);
    if (!ids.length) continue;
    const taken = new Set();
    for (let i = 0; i < ids.length; i += 500) {
      for (const r of query(target, `SELECT id FROM ${t.name} WHERE id IN (${ids.slice(i, i + 500).join(',')})`)[0]) taken.add(r.id);
    }
    if (!taken.size) continue;
    const [[{ top }]] = query(target, `SELECT COALESCE(MAX(id), 0) AS top FROM ${t.name}`);
    let next = Math.max(top, ...ids) + 1;
    for (const id of ids) if (taken.has(id)) map.set(id, next++);
  }
  return maps;
}

function copy(from, target, shopId) {
  const list = tables(from);
  console.log(`[move] copying ${domain} (${shopId}) from ${shards[from]} to ${shards[target]}`);
  deleteAll(target, shopId, list); // an earlier, interrupted copy
  const rows = readAll(from, shopId, list);
  const maps = renumber(target, list, rows);
  const ref = (table, id) => (id === null ? null : maps.get(table)?.get(id) ?? id);
  // Where the renumbered ids are referred to (the foreign keys, and overrides keyed by supplier).
  const fix = {
    purchase_orders: (r) => ({ ...r, supplier_id: ref('suppliers', r.supplier_id) }),
    supplier_items: (r) => ({ ...r, supplier_id: ref('suppliers', r.supplier_id) }),
    supplier_vendors: (r) => ({ ...r, supplier_id: ref('suppliers', r.supplier_id) }),
    purchase_order_lines: (r) => ({ ...r, order_id: ref('purchase_orders', r.order_id) }),
    channel_deliveries: (r) => ({ ...r, channel_id: ref('alert_channels', r.channel_id), alert_id: ref('alerts', r.alert_id) }),
    overrides: (r) => (r.scope === 'supplier' ? { ...r, key: String(ref('suppliers', Number(r.key))) } : r),
  };
  const sql = [];
  for (const t of list) {
    const own = maps.get(t.name);
    const out = rows.get(t.name).map((r) => {
      const fixed = fix[t.name] ? fix[t.name](r) : r;
      return own?.has(fixed.id) ? { ...fixed, id: own.get(fixed.id) } : fixed;
    });
    // Many rows a statement, under D1's 100 KB limit on a statement's length.
    const head = `INSERT INTO ${t.name} (${t.columns.join(', ')}) VALUES `;
    let values = [];
    let bytes = 0;
    const flush = () => {
      if (values.length) sql.push(`${head}${values.join(',\n')};`);
      values = [];
      bytes = 0;
    };
    for (const r of out) {
      const v = `(${t.columns.map((c) => literal(r[c])).join(', ')})`;
      if (bytes + v.length > 60000) flush();
      values.push(v);
      bytes += v.length + 2;
    }
    flush();
  }
  runFile(target, sql.join('\n'));
  const counts = query(target, list.map((t) => `SELECT COUNT(*) AS n FROM ${t.name} WHERE ${t.key} = ${shopId}`).join('; '));
  list.forEach((t, i) => {
    if (counts[i][0].n !== rows.get(t.name).length) fail(`${t.name}: ${counts[i][0].n} rows arrived of ${rows.get(t.name).length}; run the copy again`);
  });
  const total = [...rows.values()].reduce((a, r) => a + r.length, 0);
  const renumbered = [...maps].filter(([, m]) => m.size).map(([t, m]) => `${m.size} ${t}`);
  console.log(`[move] copied ${total} rows in ${list.length} tables${renumbered.length ? `; renumbered ${renumbered.join(', ')}` : ''}`);
}

async function main() {
  const e = entry();
  const shopId = e.shop_id;
  const steps = step === 'all' ? ['begin', 'copy', 'switch', 'finish'] : [step];
  for (const s of steps) {
    const now = entry();
    if (s === 'begin') {
      if (now.shard === to && now.moving_to === null) fail(`${domain} is already on ${toName}`);
      if (now.moving_to !== null && now.moving_to !== to) fail(`${domain} is being moved to ${shards[now.moving_to]}: finish or abort that first`);
      const [running] = query(now.shard, `SELECT COUNT(*) AS n FROM sync_runs WHERE shop_id = ${shopId} AND status IN ('queued', 'running')`);
      if (running[0].n > 0) fail(`${domain} has a sync running: move it once the sync is done`);
      query(0, `UPDATE shop_directory SET moving_to = ${to} WHERE shop_id = ${shopId}`);
      console.log(`[move] ${domain} marked as moving to ${toName}; waiting ${settle} s for every directory cache`);
      await sleep(settle);
    } else if (s === 'copy') {
      if (now.moving_to !== to) fail(`${domain} is not marked as moving to ${toName}: run --step begin first`);
      copy(now.shard, to, shopId);
    } else if (s === 'switch') {
      if (now.moving_to !== to) fail(`${domain} is not marked as moving to ${toName}`);
      query(0, `UPDATE shop_directory SET shard = ${to}, moving_to = NULL WHERE shop_id = ${shopId} AND moving_to = ${to}`);
      console.log(`[move] ${domain} now lives on ${toName}; waiting ${settle} s before the old copy goes`);
      await sleep(settle);
    } else if (s === 'finish') {
      if (now.moving_to !== null) fail(`${domain} is still being moved: switch or abort first`);
      for (let k = 0; k < shards.length; k++) {
        if (k === now.shard) continue;
        const [[{ n }]] = query(k, `SELECT COUNT(*) AS n FROM shops WHERE id = ${shopId}`);
        if (n) {
          deleteAll(k, shopId, tables(k));
          console.log(`[move] deleted ${domain}'s old copy from ${shards[k]}`);
        }
      }
    } else if (s === 'abort') {
      if (now.moving_to === null) fail(`${domain} is not being moved`);
      deleteAll(now.moving_to, shopId, tables(now.moving_to));
      query(0, `UPDATE shop_directory SET moving_to = NULL WHERE shop_id = ${shopId}`);
      console.log(`[move] move of ${domain} abandoned: it stays on ${shards[now.shard]}`);
    }
  }
}

main().catch((e) => {
  console.error(`[move] ${e.stderr?.toString().trim() || e.message}`);
  process.exit(1);
});
