#!/usr/bin/env bash
# Load test of the built Worker under local `wrangler dev` (loopback only), with the fake
# Shopify: p50/p95/p99 latency and throughput for dashboard SSR (32 connections, then one; session
# tokens refreshed), a server function (POST /api/settings), a help article and signed
# inventory_levels/update webhooks (unique X-Shopify-Webhook-Id each). Each phase runs
# DURATION seconds (default 10, at most 15).
# Usage: scripts/build.sh first, then scripts/load-test.sh [--persist-to DIR]
#   default: a fresh state dir, migrated and seeded with the demo shop. Env: DURATION, CONNECTIONS.
# Rate limiting is off for the run: one shop's 600 requests a minute would otherwise turn
# the measurement into a test of the budget (ops.test.mjs tests the limiter).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
STATE=""
[ "${1:-}" = "--persist-to" ] && STATE=${2:?--persist-to needs a directory}
[ -f server/build/index.js ] || { echo "[load] no built Worker: run scripts/build.sh first" >&2; exit 1; }
[ -x node_modules/.bin/autocannon ] || { echo "[load] autocannon missing: run scripts/setup.sh (npm ci)" >&2; exit 1; }
free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
PORT=$(free_port); FAKE_PORT=$(free_port); INSPECT=$(free_port)
WORK=$(mktemp -d /tmp/stock-sentry-load.XXXXXX)
if [ -z "$STATE" ]; then
  STATE="$WORK/state"
  scripts/seed.sh --persist-to "$STATE" >/dev/null
fi
LEVELS=$(wrangler d1 execute DB --local --persist-to "$STATE" --json --command \
  "SELECT v.inventory_item_id AS i, l.location_id AS l FROM inventory_levels l JOIN variants v ON v.shop_id = l.shop_id AND v.id = l.variant_id
   JOIN shops s ON s.id = l.shop_id WHERE s.domain = 'demo-outfitters.myshopify.com' AND v.inventory_item_id IS NOT NULL LIMIT 500" 2>/dev/null \
  | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.stringify(JSON.parse(s)[0].results.map(r=>[r.i,r.l]))))')

echo "[load] fake Shopify on :$FAKE_PORT, wrangler dev on :$PORT (state $STATE, logs in $WORK)"
FAKE=$(FAKE_PORT=$FAKE_PORT scripts/start-fake-shopify.sh "http://127.0.0.1:$PORT" "$WORK/fake-shopify.log")
wrangler dev --local --ip 127.0.0.1 --port "$PORT" --inspector-port "$INSPECT" --persist-to "$STATE" \
  --var "APP_URL:http://127.0.0.1:$PORT" \
  --var "FEATURE_RATE_LIMIT:false" \
  --var "SHOPIFY_SHOP_BASE:http://127.0.0.1:$FAKE_PORT/shops/{shop}" \
  --var "APP_BRIDGE_URL:http://127.0.0.1:$FAKE_PORT/app-bridge.js" \
  --show-interactive-dev-session=false >"$WORK/wrangler.log" 2>&1 &
WRANGLER=$!
cleanup() { kill "$WRANGLER" "$FAKE" 2>/dev/null || true; wait "$WRANGLER" 2>/dev/null || true; }
trap cleanup EXIT
for _ in $(seq 1 120); do
  curl -sf -o /dev/null "http://127.0.0.1:$PORT/help" && break
  kill -0 "$WRANGLER" 2>/dev/null || { cat "$WORK/wrangler.log"; exit 1; }
  sleep 0.5
done

BASE_URL="http://127.0.0.1:$PORT" FAKE_URL="http://127.0.0.1:$FAKE_PORT" LEVELS="$LEVELS" \
  API_SECRET="$(sed -n 's/^SHOPIFY_API_SECRET=//p' .dev.vars)" LOAD_OUT="$WORK/results.json" \
  node scripts/load-test.mjs || { echo "[load] some requests failed; wrangler log: $WORK/wrangler.log" >&2; exit 1; }
echo "[load] results: $WORK/results.json"
