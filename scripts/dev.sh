#!/usr/bin/env bash
# Installs the tools, builds both halves, migrates and seeds local D1 with the demo shop,
# and serves Stock Sentry at http://127.0.0.1:8787 under local `wrangler dev`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
PORT=${PORT:-8787}
scripts/setup.sh
scripts/build.sh
scripts/seed.sh
mkdir -p .wrangler
FAKE=$(scripts/start-fake-shopify.sh "http://127.0.0.1:$PORT" .wrangler/fake-shopify.log)
trap 'kill $FAKE 2>/dev/null || true' EXIT
echo
echo "  Stock Sentry, demo shop Demo Outfitters:"
echo "    in the (fake) Shopify admin: http://127.0.0.1:8788/admin/demo-outfitters.myshopify.com/apps/stock-sentry"
echo "    in a plain browser tab:      http://127.0.0.1:$PORT/auth?shop=demo-outfitters.myshopify.com"
echo "  Fire a cron locally: curl 'http://127.0.0.1:$PORT/__scheduled?cron=0+2+*+*+*'"
echo "  The fake Shopify's log: .wrangler/fake-shopify.log"
echo
NODE_OPTIONS=--max-old-space-size=8192 wrangler dev --local --ip 127.0.0.1 --port "$PORT" --test-scheduled
