#!/usr/bin/env bash
# Restores a backup made by scripts/backup.sh: D1 becomes exactly the backup's tables and
# rows, KV exactly its keys (those already expired are skipped). The database must be at
# the backup's schema version (its highest applied migration); otherwise nothing is touched.
# Before overwriting, the current data is saved next to the backup (BACKUP_DIR.before-restore-*).
# Usage: scripts/restore.sh [--persist-to DIR | --remote] [--env staging|production] [--shard BINDING] [--yes] BACKUP_DIR
#   --shard: the shard to restore (default DB, the first, which brings KV back too).
#   --remote needs --yes: it overwrites the deployed database.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
usage() { sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; }
YES=0; rest=()
for a in "$@"; do if [ "$a" = "--yes" ]; then YES=1; else rest+=("$a"); fi; done
set -- "${rest[@]}"
source scripts/ops-common.sh
[ ${#ARGS[@]} -eq 1 ] || { usage >&2; exit 2; }
BACKUP=${ARGS[0]%/}
for f in d1.sql kv.json schema_version; do
  [ -f "$BACKUP/$f" ] || { echo "[restore] $BACKUP/$f is missing: not a backup made by scripts/backup.sh" >&2; exit 1; }
done

wanted=$(head -n1 "$BACKUP/schema_version")
current=$(schema_version)
if [ -z "$current" ]; then
  echo "[restore] refused: the target database has no migrations applied. Apply them first" >&2
  echo "          (scripts/migrate.sh) so it is at $wanted. Nothing was changed." >&2
  exit 1
fi
if [ "$wanted" != "$current" ]; then
  echo "[restore] refused: the backup is schema version $wanted but the database is at $current." >&2
  echo "          Restore it into a database at $wanted (or migrate the backup there first). Nothing was changed." >&2
  exit 1
fi
if [ "$REMOTE" = 1 ] && [ "$YES" != 1 ]; then
  echo "[restore] --remote overwrites the deployed database${ENV_NAME:+ ($ENV_NAME)}; add --yes to go ahead" >&2
  exit 1
fi

safety="$BACKUP.before-restore-$(date -u +%Y%m%dT%H%M%SZ)"
echo "[restore] saving the current data to $safety"
opts=("${ENVFLAG[@]}")
if [ "$REMOTE" = 1 ]; then opts+=(--remote); elif [ -n "$PERSIST" ]; then opts+=(--persist-to "$PERSIST"); fi
scripts/backup.sh "${opts[@]}" --shard "$SHARD" "$safety" >/dev/null

echo "[restore] replacing every table with the backup's ($wanted)"
d1_query "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'" >"$OPS_TMP/tables.json"
node -e '
  const fs = require("fs");
  const [tables, dump, out] = process.argv.slice(1);
  // Newest first: a table is dropped before the older ones its foreign keys name (a DROP
  // does an implicit DELETE whose key checks need the parent table to still exist).
  const drops = JSON.parse(fs.readFileSync(tables)).reverse().map(t => `DROP TABLE IF EXISTS "${t.name.replace(/"/g, "\"\"")}";`);
  fs.writeFileSync(out, ["PRAGMA defer_foreign_keys=TRUE;", ...drops, fs.readFileSync(dump, "utf8")].join("\n"));
' "$OPS_TMP/tables.json" "$BACKUP/d1.sql" "$OPS_TMP/restore.sql"
wrangler d1 execute "$SHARD" "${WHERE[@]}" "${ENVFLAG[@]}" --yes --file "$OPS_TMP/restore.sql" >"$OPS_TMP/exec.log" 2>&1 \
  || { cat "$OPS_TMP/exec.log" >&2; echo "[restore] D1 import failed; the data before it is in $safety" >&2; exit 1; }

if [ "$SHARD" != DB ]; then
  after=$(schema_version)
  [ "$after" = "$wanted" ] || { echo "[restore] after the import the schema reads $after, expected $wanted; the data before it is in $safety" >&2; exit 1; }
  echo "[restore] done: shard $SHARD at $after, restored from $BACKUP (KV is restored with DB)"
  exit 0
fi
echo "[restore] replacing KV keys"
kv key list >"$OPS_TMP/now.json"
node -e '
  const fs = require("fs");
  const [now, backup, del, put] = process.argv.slice(1);
  const keep = JSON.parse(fs.readFileSync(backup));
  const soon = Math.floor(Date.now() / 1000) + 90; // KV refuses expiries under 60 s away
  const live = keep.filter(p => !p.expiration || p.expiration > soon);
  if (live.length < keep.length) console.log(`[restore] ${keep.length - live.length} expired KV keys skipped`);
  fs.writeFileSync(del, JSON.stringify(JSON.parse(fs.readFileSync(now)).map(k => k.name)));
  fs.writeFileSync(put, JSON.stringify(live));
' "$OPS_TMP/now.json" "$BACKUP/kv.json" "$OPS_TMP/delete.json" "$OPS_TMP/put.json"
if [ "$(cat "$OPS_TMP/delete.json")" != "[]" ]; then
  kv bulk delete "$OPS_TMP/delete.json" --force >"$OPS_TMP/kv.log" 2>&1 || { cat "$OPS_TMP/kv.log" >&2; exit 1; }
fi
if [ "$(cat "$OPS_TMP/put.json")" != "[]" ]; then
  kv bulk put "$OPS_TMP/put.json" >"$OPS_TMP/kv.log" 2>&1 || { cat "$OPS_TMP/kv.log" >&2; exit 1; }
fi
after=$(schema_version)
[ "$after" = "$wanted" ] || { echo "[restore] after the import the schema reads $after, expected $wanted; the data before it is in $safety" >&2; exit 1; }
echo "[restore] done: database at $after, restored from $BACKUP"
