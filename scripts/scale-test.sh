#!/usr/bin/env bash
# Scale test (issue 20), loopback only and bounded: the demo shop's dashboard SSR and webhook
# latency with it alone, then with SHOPS more generated shops spread over the local shards;
# then the nightly recalculation of all of them, with the D1 rows each shop's run read and
# wrote (D1's result meta, logged per job), and the D1 bytes a variant-year takes. The
# figures go into docs/scale.md, which turns them into a cost per shop per month.
# Usage: scripts/build.sh first, then scripts/scale-test.sh
#   Env: SHOPS (1000), FLEET_PRODUCTS (3), FLEET_DAYS (60), REQUESTS (150 per measurement).
#   A 20,000-variant shop's nightly recalculation: PRODUCTS=5300 scripts/bench-recalc.sh.
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
start_worker() {
  NODE_OPTIONS=--max-old-space-size=8192 setsid wrangler dev --local --ip 127.0.0.1 --port "$PORT" --inspector-port "$INSPECT" \
    --persist-to "$STATE" --test-scheduled \
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

echo "[scale] phase 1: the demo shop alone (state $WORK)"
start_worker
measure "1 shop"
stop_worker

echo "[scale] generating $SHOPS shops over the shards"
mapfile -t SHARD_NAMES < <(scripts/shards.sh)
target/debug/fake-shopify fleet-sql --shops "$SHOPS" --shards "${#SHARD_NAMES[@]}" --products "${FLEET_PRODUCTS:-3}" \
  --days "${FLEET_DAYS:-60}" --end "$(date -u +%F)" --out-dir "$WORK/fleet"
t0=$(date +%s)
for k in "${!SHARD_NAMES[@]}"; do
  wrangler d1 execute "${SHARD_NAMES[$k]}" --local --persist-to "$STATE" --file "$WORK/fleet/shard-$k.sql" >"$WORK/load.log" 2>&1 \
    || { tail -20 "$WORK/load.log"; exit 1; }
done
wrangler d1 execute DB --local --persist-to "$STATE" --file "$WORK/fleet/directory.sql" >"$WORK/load.log" 2>&1 || { tail -20 "$WORK/load.log"; exit 1; }
echo "[scale] loaded in $(( $(date +%s) - t0 )) s"

echo "[scale] phase 2: the demo shop among $((SHOPS + 1))"
start_worker
measure "$((SHOPS + 1)) shops"

echo "[scale] the nightly run (cron 0 2 * * *) over every shop"
before=$(grep -c '"event":"job_rows"' "$WORK/wrangler.log" || true)
recalcs() { tail -n +1 "$WORK/wrangler.log" | grep '"event":"job_rows"' | tail -n +"$((before + 1))" | grep -c '"kind":"recalculate"' || true; }
curl -sf -o /dev/null "http://127.0.0.1:$PORT/__scheduled?cron=0+2+*+*+*"
# Fanned out one job per shop; done when every shop's recalculation is logged (the demo
# shop's comes at the end of its nightly sync), at most 15 minutes.
for _ in $(seq 1 900); do
  [ "$(recalcs)" -ge "$((SHOPS + 1))" ] && break
  sleep 1
done
stop_worker

node - "$WORK/wrangler.log" "$before" "$OUT" "$STATE" "$SHOPS" <<'JS'
const fs = require('fs');
const [log, before, out, state, shops] = process.argv.slice(2);
const lines = fs.readFileSync(log, 'utf8').split('\n').filter((l) => l.includes('"event":"job_rows"')).slice(Number(before));
const jobs = lines.map((l) => JSON.parse(l.slice(l.indexOf('{'))));
const recalcs = jobs.filter((j) => j.kind === 'recalculate');
const sum = (xs, k) => xs.reduce((a, j) => a + (j[k] ?? 0), 0);
const fleet = recalcs.filter((j) => String(j.shop_id).startsWith('61'));
const results = fs.readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const [one, many] = results;
// D1 bytes: every shard's SQLite file (what D1 bills as storage), per variant-year of history.
const dir = `${state}/v3/d1/miniflare-D1DatabaseObject`;
const bytes = fs.readdirSync(dir).filter((f) => f.endsWith('.sqlite') && f !== 'metadata.sqlite')
  .reduce((a, f) => a + fs.statSync(`${dir}/${f}`).size + (fs.existsSync(`${dir}/${f}-wal`) ? fs.statSync(`${dir}/${f}-wal`).size : 0), 0);
console.log('');
console.log('[scale] results (loopback, local workerd, one request at a time)');
console.log(`  dashboard SSR p50: ${one.dashboard_p50_ms} ms with 1 shop, ${many.dashboard_p50_ms} ms with ${Number(shops) + 1}: ratio ${(many.dashboard_p50_ms / one.dashboard_p50_ms).toFixed(2)} (goal <= 1.2)`);
console.log(`  webhook p50:       ${one.webhook_p50_ms} ms with 1 shop, ${many.webhook_p50_ms} ms with ${Number(shops) + 1}: ratio ${(many.webhook_p50_ms / one.webhook_p50_ms).toFixed(2)} (goal <= 1.2)`);
console.log(`  dashboard HTML: ${many.dashboard_html_bytes} bytes`);
console.log(`  nightly recalculation: ${recalcs.length} shops; fleet shop mean ${(sum(fleet, 'rows_read') / Math.max(1, fleet.length)).toFixed(0)} rows read, ${(sum(fleet, 'rows_written') / Math.max(1, fleet.length)).toFixed(0)} written, ${(sum(fleet, 'ms') / Math.max(1, fleet.length)).toFixed(0)} ms`);
// The demo shop's whole nightly: its sync (catalogue, three days of orders) and recalculation.
const demo = jobs.filter((j) => String(j.shop_id) === '60000000042');
console.log(`  demo shop (528 variants, 1,097 stock levels) nightly sync + recalculation: ${demo.length} jobs, ${sum(demo, 'rows_read')} rows read, ${sum(demo, 'rows_written')} written`);
// Webhooks: the phase-2 batches (each logs its rows), per webhook applied.
const batches = fs.readFileSync(log, 'utf8').split('\n').filter((l) => l.includes('"event":"webhook_batch_rows"')).map((l) => JSON.parse(l.slice(l.indexOf('{'))));
const hooksApplied = 2 * (Number(results[0].requests) + 10);
console.log(`  webhooks: ${sum(batches, 'rows_read')} rows read, ${sum(batches, 'rows_written')} written over ${hooksApplied} inventory webhooks (${(sum(batches, 'rows_written') / hooksApplied).toFixed(1)} written each)`);
console.log(`  D1 on disk, all shards: ${(bytes / 1e6).toFixed(1)} MB`);
JS
echo "[scale] logs and results in $WORK"
