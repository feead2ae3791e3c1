#!/usr/bin/env bash
# Runs the integration and end-to-end files (end2end/*.test.mjs) in parallel groups. Each
# group gets its own copy of a seeded state, its own fake Shopify and its own `wrangler dev`,
# so no group sees another's shops, tokens, queues or clock; inside a group the files run one
# at a time, in name order, as they always did.
# Usage: scripts/e2e.sh SEEDED_STATE_DIR [FILE ...]     (default: every end2end/*.test.mjs)
#   E2E_GROUPS   how many groups (default 2; 1 runs everything against one stack)
#   TEST_PORT    the first group's app port (default 8799); its fake Shopify is on FAKE_PORT
#                (default 8788) and its inspector on INSPECT_PORT (default 9229). Group g adds
#                10*g to the ports and g to the inspector's (a second clone on the same
#                machine picks other ports).
# The Worker is already built (scripts/build.sh); the state is migrated and seeded (seed.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
SEEDED=${1:?usage: scripts/e2e.sh SEEDED_STATE_DIR [FILE ...]}
shift
GROUPS_N=${E2E_GROUPS:-2}
PORT0=${TEST_PORT:-8799}
FAKE0=${FAKE_PORT:-8788}
INSPECT0=${INSPECT_PORT:-9229}
FILES=("$@")
[ ${#FILES[@]} -gt 0 ] || FILES=(end2end/*.test.mjs)

# Seconds each file took on its own stack (measured 2026-12-07, warm, 2 cores). They only
# balance the groups: a file not listed counts 30 s, and a wrong figure costs time, not
# correctness.
declare -A WEIGHT=(
  [tokens]=260 [shopify]=330 [webhook-events]=140 [a11y]=110 [billing]=85 [transfers]=60
  [ops]=70 [suppliers]=50 [purchase-orders]=45 [history]=35 [levels]=25 [launch]=60
  [digest]=20 [variant]=20 [settings]=15 [dashboard]=12 [hydration]=10 [worker]=6
  [reorder]=5 [embedded]=5 [screenshots]=60 [shards]=370 [channels]=90 [bundles]=120
)

# Longest first, each to the lightest group; then each group's files back in name order.
declare -a LOAD GROUP_FILES
for ((g = 0; g < GROUPS_N; g++)); do LOAD[g]=0; GROUP_FILES[g]=""; done
while read -r w f; do
  best=0
  for ((g = 1; g < GROUPS_N; g++)); do [ "${LOAD[g]}" -lt "${LOAD[best]}" ] && best=$g; done
  LOAD[best]=$((LOAD[best] + w))
  GROUP_FILES[best]+="$f "
done < <(for f in "${FILES[@]}"; do n=$(basename "$f" .test.mjs); echo "${WEIGHT[$n]:-30} $f"; done | sort -rn)
for ((g = 0; g < GROUPS_N; g++)); do
  GROUP_FILES[g]=$(tr ' ' '\n' <<<"${GROUP_FILES[g]}" | sed '/^$/d' | sort | tr '\n' ' ')
done

PIDS=()
STACKS=()
cleanup() {
  for p in "${STACKS[@]}"; do kill -- -"$p" 2>/dev/null || kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

# Starts group g's fake Shopify and Worker on a copy of the seeded state; prints nothing.
start_stack() {
  local g=$1 state=$2 port=$3 fake_port=$4 fake_url="http://127.0.0.1:$4"
  cp -r "$SEEDED/." "$state"
  FAKE_PID=$(FAKE_PORT=$fake_port scripts/start-fake-shopify.sh "http://127.0.0.1:$port" "$state/fake-shopify.log")
  STACKS+=("$FAKE_PID")
  # setsid: wrangler and its workerd children get their own process group, so cleanup
  # stops all of them. Node's default heap is too small for long runs of wrangler dev.
  NODE_OPTIONS=--max-old-space-size=8192 setsid wrangler dev --local --ip 127.0.0.1 --port "$port" \
    --inspector-port $((INSPECT0 + g)) --persist-to "$state" --test-scheduled \
    --var "APP_URL:http://127.0.0.1:$port" \
    --var "SHOPIFY_SHOP_BASE:$fake_url/shops/{shop}" \
    --var "SHOPIFY_ADMIN_ORIGIN:$fake_url" \
    --var "APP_BRIDGE_URL:$fake_url/app-bridge.js" \
    --var "SLACK_WEBHOOK_BASE:$fake_url/_fake/receiver/slack" \
    --var "DIRECTORY_CACHE_SECS:2" \
    --show-interactive-dev-session=false >"$state/wrangler.log" 2>&1 &
  local wrangler=$!
  STACKS+=("$wrangler")
  for _ in $(seq 1 120); do
    curl -sf -o /dev/null "http://127.0.0.1:$port/help" && return 0
    kill -0 "$wrangler" 2>/dev/null || { cat "$state/wrangler.log"; return 1; }
    sleep 0.5
  done
  echo "[e2e] group $g: wrangler dev did not answer on :$port" >&2
  return 1
}

STATES=()
for ((g = 0; g < GROUPS_N; g++)); do
  [ -n "${GROUP_FILES[g]}" ] || continue
  port=$((PORT0 + 10 * g))
  fake_port=$((FAKE0 + 10 * g))
  state=$(mktemp -d /tmp/stock-sentry-e2e.XXXXXX)
  STATES[g]=$state
  start_stack "$g" "$state" "$port" "$fake_port"
  echo "[e2e] group $g on :$port (fake :$fake_port, state $state, about ${LOAD[g]} s): ${GROUP_FILES[g]}"
  # shellcheck disable=SC2086 # the file list is split on purpose
  (
    BASE_URL="http://127.0.0.1:$port" FAKE_URL="http://127.0.0.1:$fake_port" D1_STATE="$state" \
      node --test --test-concurrency=1 ${GROUP_FILES[g]} 2>&1 | tee "$state/tap.log" | sed -u "s/^/[g$g] /"
    exit "${PIPESTATUS[0]}"
  ) &
  PIDS[g]=$!
done

status=0
FAILED=()
for g in "${!PIDS[@]}"; do
  if wait "${PIDS[g]}"; then
    echo "[e2e] group $g passed"
  else
    status=1
    FAILED+=("$g")
    echo "[e2e] group $g FAILED; its wrangler log ends:"
    tail -40 "${STATES[g]}/wrangler.log"
  fi
done
# Last, where a CI log's tail shows it: each failed test with its error (the runner prints
# them mid-stream, hundreds of lines before the end).
for g in "${FAILED[@]}"; do
  echo "[e2e] group $g's failed tests:"
  awk '/^not ok /{on=1; n=0} on{print "[g'"$g"'] " $0; if (++n >= 30) on=0} /^ok /{on=0}' "${STATES[g]}/tap.log" | grep -v "^\[g$g\] # Subtest" | head -120
done
exit $status
