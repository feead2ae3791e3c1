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
echo
echo "  Stock Sentry (demo shop: Demo Outfitters) → http://127.0.0.1:$PORT/app"
echo "  Fire a cron locally: curl 'http://127.0.0.1:$PORT/__scheduled?cron=0+2+*+*+*'"
echo
exec wrangler dev --local --ip 127.0.0.1 --port "$PORT" --test-scheduled
