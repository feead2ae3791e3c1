#!/usr/bin/env bash
# Lighthouse (npm, pinned) in Debian's headless Chromium against the built Worker: the
# dashboard (signed in with an App Bridge session token in an Authorization header) and a
# help article. Prints performance score, LCP, CLS and total blocking time for each and
# fails when LCP >= 1 s or CLS >= 0.05. Desktop preset, no throttling: it measures this
# machine, not a phone on 4G (LH_FLAGS="--form-factor=mobile ..." to change that).
# Usage: scripts/build.sh first, then scripts/lighthouse.sh
#   against a running stack: BASE_URL=http://127.0.0.1:8799 FAKE_URL=http://127.0.0.1:8788 scripts/lighthouse.sh
#   otherwise it seeds a fresh state and starts the fake Shopify and wrangler dev on free ports.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
[ -x node_modules/.bin/lighthouse ] || { echo "[lighthouse] missing: run scripts/setup.sh (npm ci)" >&2; exit 1; }
WORK=$(mktemp -d /tmp/stock-sentry-lighthouse.XXXXXX)
SHOP=demo-outfitters.myshopify.com

if [ -n "${BASE_URL:-}" ]; then
  FAKE_URL=${FAKE_URL:-http://127.0.0.1:8788}
else
  [ -f server/build/index.js ] || { echo "[lighthouse] no built Worker: run scripts/build.sh first" >&2; exit 1; }
  free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
  PORT=$(free_port); FAKE_PORT=$(free_port); INSPECT=$(free_port)
  BASE_URL="http://127.0.0.1:$PORT"; FAKE_URL="http://127.0.0.1:$FAKE_PORT"
  scripts/seed.sh --persist-to "$WORK/state" >/dev/null
  echo "[lighthouse] fake Shopify on :$FAKE_PORT, wrangler dev on :$PORT (logs in $WORK)"
  FAKE=$(FAKE_PORT=$FAKE_PORT scripts/start-fake-shopify.sh "$BASE_URL" "$WORK/fake-shopify.log")
  # setsid: wrangler and its workerd children form one process group, stopped together.
  setsid wrangler dev --local --ip 127.0.0.1 --port "$PORT" --inspector-port "$INSPECT" --persist-to "$WORK/state" \
    --var "APP_URL:$BASE_URL" \
    --var "SHOPIFY_SHOP_BASE:$FAKE_URL/shops/{shop}" \
    --var "APP_BRIDGE_URL:$FAKE_URL/app-bridge.js" \
    --show-interactive-dev-session=false >"$WORK/wrangler.log" 2>&1 &
  WRANGLER=$!
  cleanup() { kill -- -"$WRANGLER" 2>/dev/null || true; kill "$FAKE" 2>/dev/null || true; wait "$WRANGLER" 2>/dev/null || true; }
  trap cleanup EXIT
  for _ in $(seq 1 120); do
    curl -sf -o /dev/null "$BASE_URL/help" && break
    kill -0 "$WRANGLER" 2>/dev/null || { cat "$WORK/wrangler.log"; exit 1; }
    sleep 0.5
  done
fi

token() { curl -sf "$FAKE_URL/_fake/session-token?shop=$SHOP" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).token))'; }
# Warm up: the first requests of a wrangler dev session pay for start-up, not for the page.
for _ in 1 2; do
  curl -sf -o /dev/null -H "authorization: Bearer $(token)" "$BASE_URL/app"
  curl -sf -o /dev/null "$BASE_URL/help/getting-started"
done

measure() { # name url [extra-headers json]
  local name=$1 url=$2 headers=${3:-}
  # shellcheck disable=SC2086 # LH_FLAGS is a list of flags
  lighthouse "$url" --quiet --output=json --output-path="$WORK/$name.json" \
    --only-categories=performance --preset=desktop --throttling-method=provided \
    --chrome-flags="--headless=new --no-sandbox --disable-gpu --no-first-run --disable-background-networking --disable-component-update" \
    ${headers:+--extra-headers="$headers"} ${LH_FLAGS:-} >"$WORK/$name.log" 2>&1 \
    || { echo "[lighthouse] $name failed:" >&2; tail -20 "$WORK/$name.log" >&2; exit 1; }
}
DASH_TOKEN=$(token)
# The token must open the dashboard itself, not the sign-in prompt.
curl -sf -H "authorization: Bearer $DASH_TOKEN" "$BASE_URL/app" | grep -q 'card-out_of_stock' \
  || { echo "[lighthouse] the session token does not open the dashboard" >&2; exit 1; }
measure dashboard "$BASE_URL/app" "{\"Authorization\":\"Bearer $DASH_TOKEN\"}"
measure help-article "$BASE_URL/help/getting-started"

node - "$WORK" dashboard help-article <<'EOF'
const [dir, ...names] = process.argv.slice(2);
const fs = require('fs');
let ok = true;
console.log('page            score    LCP (ms)  CLS     TBT (ms)');
for (const name of names) {
  const r = JSON.parse(fs.readFileSync(`${dir}/${name}.json`, 'utf8'));
  if (r.runtimeError) { console.log(`${name}: ${r.runtimeError.message}`); ok = false; continue; }
  const a = (id) => r.audits[id].numericValue;
  const lcp = a('largest-contentful-paint'), cls = a('cumulative-layout-shift'), tbt = a('total-blocking-time');
  const miss = [lcp >= 1000 && 'LCP >= 1 s', cls >= 0.05 && 'CLS >= 0.05'].filter(Boolean);
  if (miss.length) ok = false;
  console.log(`${name.padEnd(15)} ${String(Math.round(r.categories.performance.score * 100)).padStart(5)} ${lcp.toFixed(0).padStart(11)}  ${cls.toFixed(3).padEnd(7)} ${tbt.toFixed(0).padStart(8)}  ${miss.join(', ')}`);
  // The page Lighthouse measured must be the real one, not a sign-in prompt.
  if (r.finalDisplayedUrl !== r.requestedUrl) { console.log(`  redirected to ${r.finalDisplayedUrl}`); ok = false; }
}
console.log(`[lighthouse] reports in ${dir}`);
process.exit(ok ? 0 : 1);
EOF
