# Shared settings for the project's scripts (sourced, not run).
export WASM_BINDGEN_VERSION=0.2.130
export WORKER_BUILD_VERSION=0.8.7
export WASM_SPLIT_VERSION=0.2.4
# Cargo tools live outside the clone so a CI machine (or a second clone) can reuse them.
export TOOLS_ROOT="${STOCK_SENTRY_TOOLS:-$HOME/.cache/stock-sentry/tools}"
export PATH="$TOOLS_ROOT/bin:$PWD/node_modules/.bin:$PATH"
export WRANGLER_SEND_METRICS=false
export WASM_BINDGEN_BIN="$TOOLS_ROOT/bin/wasm-bindgen"
export WASM_OPT_BIN="$PWD/node_modules/.bin/wasm-opt"
