#!/usr/bin/env bash
# Installs every tool the build and tests need, from crates.io, npm and Debian only,
# at pinned versions. Idempotent: a second run only checks.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

log() { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }

# 1. Rust target (rust-toolchain.toml pins the toolchain; rustup fetches it from its own channel).
rustup target add wasm32-unknown-unknown >/dev/null

# 2. Cargo tools at pinned versions, into a tool root outside the clone so CI can reuse it.
mkdir -p "$TOOLS_ROOT"
install_crate() { # name version bin [cargo install flags...]
  local name=$1 version=$2 bin=$3
  shift 3
  # `cargo install --list` knows every tool's version, also those without `--version`.
  if [ -x "$TOOLS_ROOT/bin/$bin" ] && cargo install --list --root "$TOOLS_ROOT" | grep -qx "$name v$version:"; then
    return
  fi
  log "cargo install $name@$version"
  cargo install "$name@$version" "$@" --root "$TOOLS_ROOT" --force
}
# wasm-bindgen-cli must equal the wasm-bindgen crate in Cargo.lock; --locked fails on this mirror.
install_crate wasm-bindgen-cli "$WASM_BINDGEN_VERSION" wasm-bindgen
install_crate worker-build "$WORKER_BUILD_VERSION" worker-build --locked
# Splits the browser wasm into a module per page (scripts/build.sh); the CLI is behind a feature.
install_crate wasm_split_cli_support "$WASM_SPLIT_VERSION" wasm-split-cli --locked --features build-binary

# 3. npm packages (wrangler + workerd, binaryen's wasm-opt, playwright-core), pinned by package-lock.json.
if [ ! -x node_modules/.bin/wrangler ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "npm ci"
  npm ci --no-audit --no-fund
fi

# 4. Debian's chromium for the end-to-end test (never a browser download), and poppler's
#    pdftotext, which reads the purchase orders' PDFs back in the tests.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
if [ ${#missing[@]} -gt 0 ]; then
  log "apt-get install ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# 5. Local secrets for wrangler dev (never committed).
[ -f .dev.vars ] || { cp .dev.vars.example .dev.vars; log "wrote .dev.vars from .dev.vars.example"; }
log "tools ready"
