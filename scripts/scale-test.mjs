// One phase of scripts/scale-test.sh against a running stack: the demo shop's dashboard SSR
// and webhook latency, one request at a time (what one merchant feels), after a warm-up.
// Env: BASE_URL, FAKE_URL, D1_STATE, PHASE (a label), SCALE_OUT (JSON results appended),
// REQUESTS (default 150).
import { appendFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { BASE, DEMO, sessionToken, webhook, d1, ensureSynced } from '../end2end/helpers.mjs';

const REQUESTS = Number(process.env.REQUESTS ?? 150);

function percentile(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

async function timed(fn) {
  const t0 = performance.now();
  const res = await fn();
  const ms = performance.now() - t0;
  if (res.status !== 200) throw new Error(`answered ${res.status}`);
  return ms;
}

// Installed and synced first, so both phases measure the same settled shop.
await ensureSynced(DEMO);
const token = await sessionToken(DEMO); // valid for a minute: fetched again below
const [level] = await d1(`SELECT v.inventory_item_id AS item, l.location_id AS loc FROM inventory_levels l
  JOIN variants v ON v.shop_id = l.shop_id AND v.id = l.variant_id JOIN shops s ON s.id = l.shop_id
  WHERE s.domain = '${DEMO}' AND v.inventory_item_id IS NOT NULL LIMIT 1`);

const dashboard = [];
let bytes = 0;
let tok = token;
let tokAt = Date.now();
for (let i = 0; i < REQUESTS + 10; i++) {
  if (Date.now() - tokAt > 40000) {
    tok = await sessionToken(DEMO);
    tokAt = Date.now();
  }
  let body = '';
  const ms = await timed(async () => {
    const res = await fetch(`${BASE}/app`, { headers: { authorization: `Bearer ${tok}` } });
    body = await res.text();
    return res;
  });
  bytes = body.length;
  if (i >= 10) dashboard.push(ms); // the first ten warm the isolate
}

const hooks = [];
for (let i = 0; i < REQUESTS + 10; i++) {
  const payload = { inventory_item_id: level.item, location_id: level.loc, available: 100 + (i % 7), updated_at: new Date(Date.now() - 20000000 + i * 1000).toISOString() };
  const ms = await timed(() => webhook('inventory_levels/update', payload, { id: randomUUID() }));
  if (i >= 10) hooks.push(ms);
}

const result = {
  phase: process.env.PHASE ?? 'run',
  dashboard_p50_ms: +percentile(dashboard, 50).toFixed(2),
  dashboard_p95_ms: +percentile(dashboard, 95).toFixed(2),
  dashboard_html_bytes: bytes,
  webhook_p50_ms: +percentile(hooks, 50).toFixed(2),
  webhook_p95_ms: +percentile(hooks, 95).toFixed(2),
  requests: REQUESTS,
};
console.log(JSON.stringify(result));
if (process.env.SCALE_OUT) appendFileSync(process.env.SCALE_OUT, JSON.stringify(result) + '\n');
