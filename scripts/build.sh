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
# `--emit-relocs` (the frontend crate's link only) lets wasm-split move code between modules.
cargo rustc -p frontend --lib "${PROFILE_FLAGS[@]}" --target wasm32-unknown-unknown --target-dir target/front \
  -- -C link-arg=--emit-relocs
# Code splitting, bindings and wasm-opt take about a minute and depend only on the linked
# wasm (and this script): an unchanged wasm keeps last build's output.
FRONT_WASM=target/front/wasm32-unknown-unknown/release/frontend.wasm
stamp=$(cat "$FRONT_WASM" scripts/build.sh | sha256sum | cut -d' ' -f1)
if [ -f target/front/opt.stamp ] && [ "$(cat target/front/opt.stamp)" = "$stamp" ] && [ -f site/pkg/${NAME}_bg.wasm ]; then
  echo "[build] browser wasm unchanged: split, bindings and wasm-opt kept from the last build"
else
  # Code splitting: each page (`lazy_route!` in app/src/app.rs) becomes a module of its own,
  # and code shared by some pages but not all a chunk, fetched the first time it is needed.
  rm -rf target/front/split site/pkg && mkdir -p target/front/split site/pkg
  wasm-split-cli --target web --out-name "$NAME" target/front/wasm32-unknown-unknown/release/frontend.wasm target/front/split
  wasm-bindgen --target web --no-typescript --keep-lld-exports --out-dir target/front/bindgen --out-name "$NAME" \
    target/front/split/$NAME.wasm
  WASM_OPT_FLAGS=(-Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext
    --enable-mutable-globals --enable-reference-types --enable-multivalue)
  wasm-opt "${WASM_OPT_FLAGS[@]}" target/front/bindgen/${NAME}_bg.wasm -o site/pkg/${NAME}_bg.wasm
  # The split modules, two at a time (one per core).
  find target/front/split -name '*.wasm' ! -name "$NAME.wasm" -print0 |
    xargs -0 -P 2 -I{} bash -c 'set -o pipefail; wasm-opt "$@" 2>&1 | { grep -v "unknown name subsection" || true; }' \
      _ "${WASM_OPT_FLAGS[@]}" {} -o {}
  find target/front/split -name '*.wasm' ! -name "$NAME.wasm" -exec cp {} site/pkg/ \;
  cp target/front/split/__wasm_split.js site/pkg/
  cp target/front/bindgen/$NAME.js site/pkg/$NAME.js
  echo "$stamp" > target/front/opt.stamp
fi
cp style/main.css site/pkg/$NAME.css
cp -r public/. site/

echo "[build] server half"
(cd server && worker-build --release)

size() { printf '  %-34s %9d bytes raw, %8d gzipped\n' "$1" "$(wc -c <"$1")" "$(gzip -9 -c "$1" | wc -c)"; }
echo "[build] done in $(( $(date +%s) - start )) s"
node scripts/wasm-sizes.mjs site/pkg "$NAME"
size site/pkg/$NAME.js
for w in server/build/*.wasm server/build/worker/*.wasm; do [ -f "$w" ] && size "$w"; done
exit 0
