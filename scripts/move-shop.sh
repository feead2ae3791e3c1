#!/usr/bin/env bash
# Moves one shop's data to another shard (issue 20): export, import, switch, delete, with
# its webhooks and jobs waiting meanwhile (they apply on the new shard after the switch).
# Usage: scripts/move-shop.sh DOMAIN TO_SHARD [--step begin|copy|switch|finish|abort|all]
#          [--settle SECS] [--persist-to DIR | --remote] [--env NAME]
#   TO_SHARD is a binding from scripts/shards.sh (e.g. SHARD_2). --step all (the default)
#   runs begin, copy, switch and finish; each step can run on its own and again.
#   --settle: how long to wait for the Worker's directory caches (DIRECTORY_CACHE_SECS,
#   30 unless set) after marking and after switching: 35 by default.
# A move stopped before `switch` leaves the shop whole on its old shard (still readable;
# its writes wait): run it again, or `--step abort`. See scripts/move-shop.mjs.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
exec node scripts/move-shop.mjs "$@"
