#!/usr/bin/env bash
# Runs every test: native unit tests, then the built Worker under local `wrangler dev`
# (fresh local D1/KV/Queues, demo shop seeded) with integration and end-to-end tests.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
PORT=${TEST_PORT:-8799}
STATE=$(mktemp -d /tmp/stock-sentry-test.XXXXXX)

# Each stage's time, for the README's build times and CI's log.
T0=$(date +%s); LAST=$T0
took() { local now; now=$(date +%s); echo "[test] $1 took $((now - LAST)) s (total $((now - T0)) s)"; LAST=$now; }

scripts/setup.sh
took "setup"

echo "[test] style and structure: rustfmt, clippy (native and both wasm halves), module cycles, schema snapshot"
cargo fmt --all -- --check
cargo clippy --all-targets -- -D warnings
cargo clippy -p server -p frontend --target wasm32-unknown-unknown --release -- -D warnings
python3 scripts/check-module-cycles.py
python3 scripts/schema.py --check
took "style and structure checks"

echo "[test] native unit tests"
cargo test
took "native unit tests"

scripts/build.sh
took "build"
scripts/seed.sh --persist-to "$STATE"
took "seed"
echo "[test] backup and restore round trip"
# One command a line: in an `a && b && c` list, set -e does not stop on a failing `b`.
cp -r "$STATE" "$STATE.bk"
scripts/backup-roundtrip.sh "$STATE.bk"
rm -rf "$STATE.bk"
took "backup round trip"

echo "[test] starting the fake Shopify and wrangler dev on :$PORT (state in $STATE)"
FAKE=$(FAKE_PORT=8788 scripts/start-fake-shopify.sh "http://127.0.0.1:$PORT" "$STATE/fake-shopify.log")
# setsid: wrangler, its workerd children and the fake get their own process group, so
# cleanup stops all of them. Node's default heap is too small for long runs of wrangler dev.
NODE_OPTIONS=--max-old-space-size=8192 setsid wrangler dev --local --ip 127.0.0.1 --port "$PORT" --persist-to "$STATE" --test-scheduled \
  --var "APP_URL:http://127.0.0.1:$PORT" \
  --show-interactive-dev-session=false >"$STATE/wrangler.log" 2>&1 &
WRANGLER=$!
cleanup() { kill -- -"$WRANGLER" 2>/dev/null || true; kill "$FAKE" 2>/dev/null || true; wait "$WRANGLER" 2>/dev/null || true; }
trap cleanup EXIT
for _ in $(seq 1 120); do
  curl -sf -o /dev/null "http://127.0.0.1:$PORT/help" && break
  kill -0 "$WRANGLER" 2>/dev/null || { cat "$STATE/wrangler.log"; exit 1; }
  sleep 0.5
done

echo "[test] integration and end-to-end tests"
status=0
BASE_URL="http://127.0.0.1:$PORT" FAKE_URL="http://127.0.0.1:8788" D1_STATE="$STATE" node --test --test-concurrency=1 end2end/*.test.mjs || status=$?
took "integration and end-to-end tests"
if [ $status -ne 0 ]; then echo "[test] wrangler log:"; tail -40 "$STATE/wrangler.log"; fi
exit $status
