#!/usr/bin/env bash
# Backs up Stock Sentry's data into OUT_DIR:
#   d1.sql          `wrangler d1 export` of the DB binding (schema and rows)
#   schema_version  the highest migration applied (restore.sh refuses any other version)
#   migrations.txt  every migration applied, in order
#   kv.json         every KV key with its value (base64) and expiry, `wrangler kv bulk put`
#                   format (with the first shard, DB, only: KV belongs to no shard)
#   manifest.json   when, from where, row and key counts
# Usage: scripts/backup.sh [--persist-to DIR | --remote] [--env staging|production] [--shard BINDING] OUT_DIR
#   default: the local state of `wrangler dev` (.wrangler/state), shard DB. One shard a run:
#   for s in $(scripts/shards.sh); do scripts/backup.sh --shard "$s" "backups/$s"; done
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
usage() { sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; }
source scripts/ops-common.sh
[ ${#ARGS[@]} -eq 1 ] || { usage >&2; exit 2; }
OUT=${ARGS[0]}
mkdir -p "$OUT"
[ -z "$(ls -A "$OUT")" ] || { echo "[backup] $OUT is not empty; choose a new directory" >&2; exit 1; }

version=$(schema_version)
[ -n "$version" ] || { echo "[backup] the database has no applied migrations: nothing to back up" >&2; exit 1; }
echo "[backup] schema version $version"
d1_query "SELECT name FROM d1_migrations ORDER BY id" \
  | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>JSON.parse(s).forEach(r=>console.log(r.name)))' >"$OUT/migrations.txt"
echo "[backup] exporting D1"
d1_export "$OUT/d1.sql"
if [ "$SHARD" = DB ]; then
  echo "[backup] reading KV"
  kv_dump "$OUT/kv.json"
else
  echo "[]" >"$OUT/kv.json"
fi
printf '%s\n' "$version" >"$OUT/schema_version"
node -e '
  const fs = require("fs");
  const [out, version, source] = process.argv.slice(1);
  const sql = fs.readFileSync(out + "/d1.sql", "utf8");
  const rows = (sql.match(/^INSERT INTO /gm) || []).length;
  const keys = JSON.parse(fs.readFileSync(out + "/kv.json")).length;
  fs.writeFileSync(out + "/manifest.json", JSON.stringify({ created_at: new Date().toISOString(), source, schema_version: version, d1_rows: rows, kv_keys: keys }, null, 2) + "\n");
  console.log(`[backup] done: ${rows} rows, ${keys} KV keys in ${out}`);
' "$OUT" "$version" "$( [ "$REMOTE" = 1 ] && echo "remote${ENV_NAME:+ ($ENV_NAME)}" || echo "local ${PERSIST:-.wrangler/state}"), shard $SHARD"
