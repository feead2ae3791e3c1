#!/usr/bin/env bash
# Applies the D1 migrations to every local shard and loads the demo shop into the first
# (DB, which holds the shard directory too; other shops are placed as they install).
# Usage: scripts/seed.sh [--persist-to DIR]   (default: wrangler's .wrangler/state)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
persist=()
[ "${1:-}" = "--persist-to" ] && persist=(--persist-to "$2")

echo "[seed] applying migrations to every shard"
scripts/migrate.sh "${persist[@]}" >/dev/null
mkdir -p seed
# History ends today, so the demo dashboard is current whenever it is seeded.
cargo run -q -p fake-shopify -- seed-sql --seed 42 --end "$(date -u +%F)" --out seed/demo.sql
echo "[seed] loading the demo shop into local D1"
wrangler d1 execute DB --local "${persist[@]}" --file seed/demo.sql >/tmp/stock-sentry-seed.log 2>&1 \
  || { tail -20 /tmp/stock-sentry-seed.log; exit 1; }
echo "[seed] done"
