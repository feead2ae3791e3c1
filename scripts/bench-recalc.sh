#!/usr/bin/env bash
# End-to-end recalculation benchmark in local workerd (wrangler dev, loopback only): a
# generated shop of ~10,000 variants (PRODUCTS products, ≈3.8 variants each, over up to
# three locations, DAYS days of sales) is loaded into a fresh local D1; then the nightly
# cron (recalculation: 3 reads, the engine, the backtest, one batched write of alerts and
# forecast rows) and the Sunday refit (420-day pooled seasonal fit, then a recalculation)
# are fired through the scheduled handler. Prints the Worker's own timings and wall time.
# Usage: scripts/build.sh first, then scripts/bench-recalc.sh
#   Env: PRODUCTS (2650), DAYS (190); BENCH_STATE=DIR keeps the loaded D1 there and reuses it
#   on the next run (loading 80 MB of SQL takes a few minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
[ -f server/build/index.js ] || { echo "[bench] no built Worker: run scripts/build.sh first" >&2; exit 1; }
PRODUCTS=${PRODUCTS:-2650}
DAYS=${DAYS:-190}
DOMAIN=bench-10k.myshopify.com
SHOP_ID=60000000077   # seed 77
free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
PORT=$(free_port); INSPECT=$(free_port)
WORK=$(mktemp -d /tmp/stock-sentry-bench.XXXXXX)
STATE=${BENCH_STATE:-$WORK/state}
q() { wrangler d1 execute DB --local --persist-to "$STATE" --json --command "$1" 2>/dev/null | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.stringify(JSON.parse(s)[0].results[0])))'; }

if [ -n "${BENCH_STATE:-}" ] && [ -d "$BENCH_STATE" ] && q "SELECT COUNT(*) AS n FROM variants WHERE shop_id = $SHOP_ID" | grep -qv '"n":0'; then
  echo "[bench] reusing the shop loaded in $BENCH_STATE"
  # A run per day: today's forecasts and alerts from an earlier run are cleared.
  q "DELETE FROM forecasts WHERE shop_id = $SHOP_ID" >/dev/null; q "DELETE FROM alerts WHERE shop_id = $SHOP_ID" >/dev/null
  q "DELETE FROM seasonal_patterns WHERE shop_id = $SHOP_ID" >/dev/null; q "DELETE FROM job_runs" >/dev/null
else
echo "[bench] generating $PRODUCTS products with $DAYS days of sales"
cargo run -q --release -p fake-shopify -- seed-sql --seed 77 --products "$PRODUCTS" --days "$DAYS" \
  --end "$(date -u -d yesterday +%F)" --domain "$DOMAIN" --out "$WORK/bench.sql"
scripts/migrate.sh --persist-to "$STATE" >"$WORK/migrate.log" 2>&1 || { cat "$WORK/migrate.log"; exit 1; }
t0=$(date +%s)
wrangler d1 execute DB --local --persist-to "$STATE" --file "$WORK/bench.sql" >"$WORK/load.log" 2>&1 || { tail -20 "$WORK/load.log"; exit 1; }
echo "[bench] loaded $(du -h "$WORK/bench.sql" | cut -f1) of SQL into local D1 in $(( $(date +%s) - t0 )) s"
rm -f "$WORK/bench.sql"
fi
echo "[bench] shop: $(q "SELECT (SELECT COUNT(*) FROM variants WHERE shop_id = $SHOP_ID) AS variants, (SELECT COUNT(*) FROM inventory_levels WHERE shop_id = $SHOP_ID) AS positions, (SELECT COUNT(*) FROM daily_sales WHERE shop_id = $SHOP_ID) AS sales_rows")"

wrangler dev --local --ip 127.0.0.1 --port "$PORT" --inspector-port "$INSPECT" --persist-to "$STATE" --test-scheduled \
  --var "APP_URL:http://127.0.0.1:$PORT" --show-interactive-dev-session=false >"$WORK/wrangler.log" 2>&1 &
WRANGLER=$!
cleanup() { kill "$WRANGLER" 2>/dev/null || true; wait "$WRANGLER" 2>/dev/null || true; }
trap cleanup EXIT
for _ in $(seq 1 120); do
  curl -sf -o /dev/null "http://127.0.0.1:$PORT/healthz" && break
  kill -0 "$WRANGLER" 2>/dev/null || { cat "$WORK/wrangler.log"; exit 1; }
  sleep 0.5
done

# Fires a cron and waits for the log line `event` of the bench shop; prints its fields.
fire() {
  local cron=$1 event=$2 before start
  before=$(grep -c "\"event\":\"$event\"" "$WORK/wrangler.log" || true)
  start=$(date +%s%3N)
  curl -sf -o /dev/null "http://127.0.0.1:$PORT/__scheduled?cron=$(node -e 'console.log(encodeURIComponent(process.argv[1]))' "$cron")"
  for _ in $(seq 1 600); do
    if [ "$(grep -c "\"event\":\"$event\"" "$WORK/wrangler.log" || true)" -gt "$before" ]; then
      local line; line=$(grep "\"event\":\"$event\"" "$WORK/wrangler.log" | tail -1)
      echo "  $event: $line"
      echo "  wall time from cron to $event: $(( $(date +%s%3N) - start )) ms (includes queue delivery)"
      return 0
    fi
    grep -q '"event":"job_failed"' "$WORK/wrangler.log" && { grep job_failed "$WORK/wrangler.log" | tail -3; exit 1; }
    sleep 0.5
  done
  echo "[bench] no $event within 5 minutes; log: $WORK/wrangler.log" >&2; exit 1
}
echo "[bench] nightly recalculation (cron 0 2 * * *)"
fire "0 2 * * *" alerts_recalculated
echo "[bench] Sunday refit (cron 0 3 * * SUN), then the recalculation it triggers"
fire "0 3 * * SUN" alerts_recalculated
grep '"event":"seasonality_refitted"' "$WORK/wrangler.log" | tail -1 | sed 's/^/  refit: /'
echo "[bench] forecasts: $(q "SELECT COUNT(*) AS rows, COUNT(mase) AS scored, ROUND(AVG(mase), 3) AS mean_mase, ROUND(AVG(naive_mase), 3) AS mean_naive_mase FROM forecasts WHERE shop_id = $SHOP_ID")"
echo "[bench] logs in $WORK"
