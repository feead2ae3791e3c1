# Shared by scripts/backup.sh and scripts/restore.sh (sourced, not run): where the data
# lives (local state dir, or --remote) and small wrappers over wrangler for it.
# Parses: [--persist-to DIR] [--remote] [--env NAME] [--shard BINDING], leaving the rest in
# ARGS. A shard (scripts/shards.sh lists them) is backed up and restored on its own; KV,
# which no shard owns, goes with the first (DB).

PERSIST=""; REMOTE=0; ENV_NAME=""; SHARD=DB; ARGS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --persist-to) PERSIST=${2:?--persist-to needs a directory}; shift 2 ;;
    --remote) REMOTE=1; shift ;;
    --env) ENV_NAME=${2:?--env needs a name}; shift 2 ;;
    --shard) SHARD=${2:?--shard needs a binding}; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    -*) echo "unknown option $1" >&2; usage >&2; exit 2 ;;
    *) ARGS+=("$1"); shift ;;
  esac
done
[ "$REMOTE" = 1 ] && [ -n "$PERSIST" ] && { echo "--remote and --persist-to exclude each other" >&2; exit 2; }

WHERE=(); ENVFLAG=()
[ -n "$ENV_NAME" ] && ENVFLAG=(--env "$ENV_NAME")
if [ "$REMOTE" = 1 ]; then WHERE=(--remote); else
  WHERE=(--local)
  [ -n "$PERSIST" ] && WHERE+=(--persist-to "$PERSIST")
fi
OPS_TMP=$(mktemp -d /tmp/stock-sentry-ops.XXXXXX)
trap 'rm -rf "$OPS_TMP"' EXIT

# wrangler's JSON output of one D1 query: the rows of its first result.
d1_query() { # SQL
  wrangler d1 execute "$SHARD" "${WHERE[@]}" "${ENVFLAG[@]}" --json --command "$1" 2>"$OPS_TMP/err" \
    | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const r=JSON.parse(s);process.stdout.write(JSON.stringify(r[0].results))})' \
    || { cat "$OPS_TMP/err" >&2; return 1; }
}

# The highest migration applied to the database ("" when none is).
schema_version() {
  { d1_query "SELECT name FROM d1_migrations ORDER BY name DESC LIMIT 1" 2>/dev/null || echo '[]'; } \
    | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const r=s?JSON.parse(s):[];process.stdout.write(r.length?r[0].name:"")})'
}

# `wrangler d1 export --local` has no --persist-to: point a throwaway config dir's
# .wrangler/state at the state dir instead (local state is found next to the config).
d1_export() { # OUT_FILE
  if [ "$REMOTE" = 1 ] || [ -z "$PERSIST" ]; then
    wrangler d1 export "$SHARD" "${WHERE[@]}" "${ENVFLAG[@]}" --output "$1" >"$OPS_TMP/export.log" 2>&1 \
      || { cat "$OPS_TMP/export.log" >&2; return 1; }
    return
  fi
  local cfg="$OPS_TMP/cfg"
  mkdir -p "$cfg/.wrangler"
  cp wrangler.toml "$cfg/wrangler.toml"
  ln -s "$PWD/migrations" "$cfg/migrations"
  ln -s "$(cd "$PERSIST" && pwd)" "$cfg/.wrangler/state"
  wrangler d1 export "$SHARD" --local "${ENVFLAG[@]}" --config "$cfg/wrangler.toml" --output "$1" >"$OPS_TMP/export.log" 2>&1 \
    || { cat "$OPS_TMP/export.log" >&2; return 1; }
}

kv() { wrangler kv "$@" --binding KV "${WHERE[@]}" "${ENVFLAG[@]}"; }

# Every KV key with its value (base64) and expiry, in `wrangler kv bulk put` format.
kv_dump() { # OUT_FILE
  kv key list >"$OPS_TMP/keys.json" 2>"$OPS_TMP/err" || { cat "$OPS_TMP/err" >&2; return 1; }
  node -e 'for (const k of JSON.parse(require("fs").readFileSync(process.argv[1]))) console.log(Buffer.from(k.name).toString("base64"))' \
    "$OPS_TMP/keys.json" >"$OPS_TMP/keys.b64"
  mkdir -p "$OPS_TMP/values"
  local i=0
  while read -r b64; do
    kv key get "$(printf %s "$b64" | base64 -d)" >"$OPS_TMP/values/$i" 2>"$OPS_TMP/err" || { cat "$OPS_TMP/err" >&2; return 1; }
    i=$((i + 1))
  done <"$OPS_TMP/keys.b64"
  node -e '
    const fs = require("fs");
    const [keys, dir, out] = process.argv.slice(1);
    const list = JSON.parse(fs.readFileSync(keys));
    const pairs = list.map((k, i) => {
      const p = { key: k.name, value: fs.readFileSync(dir + "/" + i).toString("base64"), base64: true };
      if (k.expiration) p.expiration = k.expiration;
      if (k.metadata) p.metadata = k.metadata;
      return p;
    });
    pairs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    fs.writeFileSync(out, JSON.stringify(pairs, null, 1) + "\n");
  ' "$OPS_TMP/keys.json" "$OPS_TMP/values" "$1"
}
