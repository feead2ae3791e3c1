#!/usr/bin/env bash
# Scale test (issue 20), loopback only and bounded: the demo shop's dashboard SSR and webhook
# latency with it alone, and with SHOPS small and BIG large (20,000-variant) generated shops
# spread over the local shards, measured in turns (alone, among many, alone, among many) on
# two copies of the same synced demo shop, so the machine's drift falls on both sides; then
# the nightly recalculation of every shop, with the D1 rows each shop's run read and wrote
# (D1's result meta, logged per job) and how long a large shop's took, and the D1 bytes a
# variant-year takes. docs/scale.md turns the figures into a cost per shop per month.
# Usage: scripts/build.sh first, then scripts/scale-test.sh
#   Env: SHOPS (1000), FLEET_PRODUCTS (3), FLEET_DAYS (60), BIG (2), BIG_PRODUCTS (5300,
#   about 20,000 variants), BIG_DAYS (365), REQUESTS (150 per measurement).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
[ -f server/build/index.js ] || { echo "[scale] no built Worker: run scripts/build.sh first" >&2; exit 1; }
SHOPS=${SHOPS:-1000}
free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
PORT=$(free_port); FAKE_PORT=$(free_port); INSPECT=$(free_port)
WORK=$(mktemp -d /tmp/stock-sentry-scale.XXXXXX)
STATE="$WORK/state"
OUT="$WORK/results.jsonl"
scripts/seed.sh --persist-to "$STATE" >/dev/null
FAKE=$(FAKE_PORT=$FAKE_PORT scripts/start-fake-shopify.sh "http://127.0.0.1:$PORT" "$WORK/fake-shopify.log")
WRANGLER=""
start_worker() { start_worker_on "$STATE"; }
start_worker_on() { # STATE_DIR
  NODE_OPTIONS=--max-old-space-size=8192 setsid wrangler dev --local --ip 127.0.0.1 --port "$PORT" --inspector-port "$INSPECT" \
    --persist-to "$1" --test-scheduled \
    --var "APP_URL:http://127.0.0.1:$PORT" --var "FEATURE_RATE_LIMIT:false" \
    --var "SHOPIFY_SHOP_BASE:http://127.0.0.1:$FAKE_PORT/shops/{shop}" \
    --var "SHOPIFY_ADMIN_ORIGIN:http://127.0.0.1:$FAKE_PORT" \
    --var "APP_BRIDGE_URL:http://127.0.0.1:$FAKE_PORT/app-bridge.js" \
    --show-interactive-dev-session=false >>"$WORK/wrangler.log" 2>&1 &
  WRANGLER=$!
  for _ in $(seq 1 120); do
    curl -sf -o /dev/null "http://127.0.0.1:$PORT/help" && return 0
    kill -0 "$WRANGLER" 2>/dev/null || { tail -40 "$WORK/wrangler.log"; exit 1; }
    sleep 0.5
  done
  echo "[scale] wrangler dev did not start" >&2; exit 1
}
stop_worker() { [ -n "$WRANGLER" ] && { kill -- -"$WRANGLER" 2>/dev/null || true; wait "$WRANGLER" 2>/dev/null || true; }; WRANGLER=""; }
cleanup() { stop_worker; kill "$FAKE" 2>/dev/null || true; }
trap cleanup EXIT
measure() { # PHASE
  BASE_URL="http://127.0.0.1:$PORT" FAKE_URL="http://127.0.0.1:$FAKE_PORT" D1_STATE="$STATE" PHASE="$1" SCALE_OUT="$OUT" \
    node scripts/scale-test.mjs
}

BIG=${BIG:-2}
TOTAL=$((SHOPS + BIG + 1))
echo "[scale] the demo shop alone: install and sync (state $WORK)"
start_worker
measure "warm-up"
stop_worker
# The same synced demo shop twice: alone in ALONE, among the fleet in STATE.
ALONE="$WORK/alone"
cp -a "$STATE" "$ALONE"

echo "[scale] generating $SHOPS small and $BIG large shops over the shards"
mapfile -t SHARD_NAMES < <(scripts/shards.sh)
target/debug/fake-shopify fleet-sql --shops "$SHOPS" --shards "${#SHARD_NAMES[@]}" --products "${FLEET_PRODUCTS:-3}" \
  --days "${FLEET_DAYS:-60}" --big "$BIG" --big-products "${BIG_PRODUCTS:-5300}" --big-days "${BIG_DAYS:-365}" \
  --end "$(date -u +%F)" --out-dir "$WORK/fleet" | tee "$WORK/sizes.txt"
t0=$(date +%s)
for k in "${!SHARD_NAMES[@]}"; do
  NODE_OPTIONS=--max-old-space-size=8192 wrangler d1 execute "${SHARD_NAMES[$k]}" --local --persist-to "$STATE" \
    --file "$WORK/fleet/shard-$k.sql" >"$WORK/load.log" 2>&1 || { tail -20 "$WORK/load.log"; exit 1; }
  rm -f "$WORK/fleet/shard-$k.sql"
done
wrangler d1 execute DB --local --persist-to "$STATE" --file "$WORK/fleet/directory.sql" >"$WORK/load.log" 2>&1 || { tail -20 "$WORK/load.log"; exit 1; }
echo "[scale] loaded in $(( $(date +%s) - t0 )) s"

for round in 1 2; do
  echo "[scale] round $round: the demo shop alone, then among $TOTAL"
  start_worker_on "$ALONE"
  measure "1 shop"
  stop_worker
  start_worker_on "$STATE"
  measure "$TOTAL shops"
  [ "$round" = 2 ] || stop_worker
done

echo "[scale] the nightly run (cron 0 2 * * *) over every shop"
before=$(grep -c '"event":"job_rows"' "$WORK/wrangler.log" || true)
recalcs() { tail -n +1 "$WORK/wrangler.log" | grep '"event":"job_rows"' | tail -n +"$((before + 1))" | grep -c '"kind":"recalculate"' || true; }
curl -sf -o /dev/null "http://127.0.0.1:$PORT/__scheduled?cron=0+2+*+*+*"
# Fanned out one job per shop; done when every shop's recalculation is logged (the demo
# shop's comes at the end of its nightly sync), at most 30 minutes.
for _ in $(seq 1 1800); do
  [ "$(recalcs)" -ge "$TOTAL" ] && break
  sleep 1
done
stop_worker

node - "$WORK/wrangler.log" "$before" "$OUT" "$STATE" "$TOTAL" "$WORK/sizes.txt" <<'JS'
const fs = require('fs');
const [log, before, out, state, total, sizesFile] = process.argv.slice(2);
const lines = fs.readFileSync(log, 'utf8').split('\n').filter((l) => l.includes('"event":"job_rows"')).slice(Number(before));
const jobs = lines.map((l) => JSON.parse(l.slice(l.indexOf('{'))));
const recalcs = jobs.filter((j) => j.kind === 'recalculate');
const sum = (xs, k) => xs.reduce((a, j) => a + (j[k] ?? 0), 0);
const fleet = recalcs.filter((j) => String(j.shop_id).startsWith('61'));
const big = recalcs.filter((j) => String(j.shop_id).startsWith('62'));
const results = fs.readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
// Each side's figure: the mean of its rounds' p50s (the rounds alternate, so drift cancels).
const side = (phase) => results.filter((r) => r.phase === phase);
const mean = (xs, k) => xs.reduce((a, r) => a + r[k], 0) / xs.length;
const one = side('1 shop');
const many = side(`${total} shops`);
const line = (label, k) => {
  const a = mean(one, k);
  const b = mean(many, k);
  const rounds = one.map((r, i) => `${r[k]}/${many[i][k]}`).join(', ');
  console.log(`  ${label} ${a.toFixed(2)} ms with 1 shop, ${b.toFixed(2)} ms with ${total}: ratio ${(b / a).toFixed(2)} (goal <= 1.2; rounds ${rounds})`);
};
// D1 bytes: every shard's SQLite file (what D1 bills as storage), per variant-year of history.
const dir = `${state}/v3/d1/miniflare-D1DatabaseObject`;
const bytes = fs.readdirSync(dir).filter((f) => f.endsWith('.sqlite') && f !== 'metadata.sqlite')
  .reduce((a, f) => a + fs.statSync(`${dir}/${f}`).size + (fs.existsSync(`${dir}/${f}-wal`) ? fs.statSync(`${dir}/${f}-wal`).size : 0), 0);
console.log('');
console.log('[scale] results (loopback, local workerd, one request at a time)');
line('dashboard SSR p50:', 'dashboard_p50_ms');
line('webhook p50:      ', 'webhook_p50_ms');
console.log(`  dashboard HTML: ${many[0].dashboard_html_bytes} bytes`);
console.log(`  nightly recalculation: ${recalcs.length} shops; small shop mean ${(sum(fleet, 'rows_read') / Math.max(1, fleet.length)).toFixed(0)} rows read, ${(sum(fleet, 'rows_written') / Math.max(1, fleet.length)).toFixed(0)} written, ${(sum(fleet, 'ms') / Math.max(1, fleet.length)).toFixed(0)} ms`);
const sizes = fs.existsSync(sizesFile) ? fs.readFileSync(sizesFile, 'utf8') : '';
for (const j of big) {
  const i = Number(String(j.shop_id).slice(-2));
  const size = sizes.match(new RegExp(`big-${String(i).padStart(2, '0')}[^:]*: (\\d+) variants, (\\d+) sales rows`));
  console.log(`  large shop ${j.shop_id}${size ? ` (${size[1]} variants, ${size[2]} sales rows)` : ''}: nightly recalculation ${(j.ms / 1000).toFixed(2)} s in workerd (goal < 5 s), ${j.rows_read} rows read, ${j.rows_written} written`);
}
// The demo shop's whole nightly: its sync (catalogue, three days of orders) and recalculation.
const demo = jobs.filter((j) => String(j.shop_id) === '60000000042');
console.log(`  demo shop (528 variants, 1,097 stock levels) nightly sync + recalculation: ${demo.length} jobs, ${sum(demo, 'rows_read')} rows read, ${sum(demo, 'rows_written')} written`);
// Webhooks: every phase's batches (each logs its rows), per webhook applied.
const batches = fs.readFileSync(log, 'utf8').split('\n').filter((l) => l.includes('"event":"webhook_batch_rows"')).map((l) => JSON.parse(l.slice(l.indexOf('{'))));
const hooksApplied = results.reduce((a, r) => a + r.requests + 10, 0); // every phase's, warm-up too
console.log(`  webhooks: ${sum(batches, 'rows_read')} rows read, ${sum(batches, 'rows_written')} written over ${hooksApplied} inventory webhooks (${(sum(batches, 'rows_written') / hooksApplied).toFixed(1)} written each)`);
console.log(`  D1 on disk, all shards: ${(bytes / 1e6).toFixed(1)} MB`);
JS
echo "[scale] logs and results in $WORK"
