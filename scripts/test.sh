#!/usr/bin/env bash
# Runs every test: style checks and native unit tests, then the built Worker under local
# `wrangler dev` (fresh local D1/KV/Queues, demo shop seeded) with the backup round trip and
# the integration and end-to-end tests (scripts/e2e.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
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

echo "[test] integration and end-to-end tests (scripts/e2e.sh: parallel groups, a stack each)"
status=0
scripts/e2e.sh "$STATE" || status=$?
took "integration and end-to-end tests"
exit $status
