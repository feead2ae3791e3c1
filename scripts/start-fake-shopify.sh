#!/usr/bin/env bash
# Starts the local fake Shopify in the background (port $FAKE_PORT, default 8788), with the
# app's API key (wrangler.toml) and secret (.dev.vars), and waits until it answers.
# Prints its PID. Usage: scripts/start-fake-shopify.sh APP_URL LOGFILE
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
APP_URL=$1
LOG=$2
PORT=${FAKE_PORT:-8788}
# The top-level (local) key only: the [env.*] sections further down carry their own.
API_KEY=$(sed -n '/^\[env\./q; s/^SHOPIFY_API_KEY = "\(.*\)"/\1/p' wrangler.toml)
API_SECRET=$(sed -n 's/^SHOPIFY_API_SECRET=//p' .dev.vars)
cargo build -q -p fake-shopify
target/debug/fake-shopify serve --port "$PORT" --app-url "$APP_URL" --app-config shopify.app.toml \
  --api-key "$API_KEY" --api-secret "$API_SECRET" --end "$(date -u +%F)" >"$LOG" 2>&1 &
pid=$!
for _ in $(seq 1 60); do
  curl -sf -o /dev/null "http://127.0.0.1:$PORT/_fake/shops" && { echo "$pid"; exit 0; }
  kill -0 "$pid" 2>/dev/null || { cat "$LOG" >&2; exit 1; }
  sleep 0.5
done
echo "fake Shopify did not start" >&2; exit 1
