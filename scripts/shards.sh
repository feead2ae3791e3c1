#!/usr/bin/env bash
# Prints the shard bindings (SHARDS in wrangler.toml, for --env NAME if given), one a line,
# in shard order: DB first. Sourced by the scripts that visit every shard.
# Usage: scripts/shards.sh [--env NAME]
set -euo pipefail
cd "$(dirname "$0")/.."
env_name=""
[ "${1:-}" = "--env" ] && env_name=${2:?--env needs a name}
python3 - "$env_name" <<'PY'
import sys, tomllib
cfg = tomllib.load(open("wrangler.toml", "rb"))
env = sys.argv[1]
vars_ = cfg["env"][env]["vars"] if env else cfg["vars"]
names = [n.strip() for n in vars_.get("SHARDS", "DB").split(",") if n.strip()] or ["DB"]
print("\n".join(names))
PY
