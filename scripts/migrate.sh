#!/usr/bin/env bash
# Applies migrations/ to every shard (scripts/shards.sh), in shard order; stops at the first
# that fails, naming it (the shards before it stay migrated: migrations are applied once).
# Usage: scripts/migrate.sh [--persist-to DIR | --remote] [--env NAME]   (default: local)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
where=(--local); envflag=()
while [ $# -gt 0 ]; do
  case "$1" in
    --persist-to) where=(--local --persist-to "${2:?--persist-to needs a directory}"); shift 2 ;;
    --remote) where=(--remote); shift ;;
    --env) envflag=(--env "${2:?--env needs a name}"); shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
log=$(mktemp /tmp/stock-sentry-migrate.XXXXXX)
for shard in $(scripts/shards.sh "${envflag[@]}"); do
  CI=1 wrangler d1 migrations apply "$shard" "${where[@]}" "${envflag[@]}" >"$log" 2>&1 \
    || { cat "$log"; echo "[migrate] shard $shard failed; the shards after it were not migrated" >&2; exit 1; }
  echo "[migrate] $shard: $(grep -c '✅' "$log" || true) migrations applied"
done
rm -f "$log"
