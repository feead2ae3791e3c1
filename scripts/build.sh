#!/usr/bin/env bash
# Builds both halves, offline, with the pinned tools from scripts/setup.sh:
#   site/pkg/      the browser half (hydrate wasm, JS glue, CSS), served by Workers Static Assets
#   server/build/  the Worker bundle (SSR, server functions, cron, queue consumer)
# Prints each wasm's size, raw and gzipped.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
NAME=stock_sentry
PROFILE_FLAGS=(--release)

start=$(date +%s)
echo "[build] browser half"
# A target dir of its own, so the hydrate and ssr feature sets do not rebuild each other.
cargo build -p frontend --lib "${PROFILE_FLAGS[@]}" --target wasm32-unknown-unknown --target-dir target/front
mkdir -p site/pkg
wasm-bindgen --target web --no-typescript --out-dir target/front/bindgen --out-name "$NAME" \
  target/front/wasm32-unknown-unknown/release/frontend.wasm
wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  target/front/bindgen/${NAME}_bg.wasm -o site/pkg/${NAME}_bg.wasm
cp target/front/bindgen/$NAME.js site/pkg/$NAME.js
cp style/main.css site/pkg/$NAME.css
cp -r public/. site/

echo "[build] server half"
(cd server && worker-build --release)

size() { printf '  %-34s %9d bytes raw, %8d gzipped\n' "$1" "$(wc -c <"$1")" "$(gzip -9 -c "$1" | wc -c)"; }
echo "[build] done in $(( $(date +%s) - start )) s"
size site/pkg/${NAME}_bg.wasm
size site/pkg/$NAME.js
for w in server/build/*.wasm server/build/worker/*.wasm; do [ -f "$w" ] && size "$w"; done
exit 0
