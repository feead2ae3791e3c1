#!/usr/bin/env bash
# Round-trip test of scripts/backup.sh and scripts/restore.sh on real local state:
# seed → backup → change D1 and KV → restore → the data equals the backup again; and a
# backup from another schema version is refused with nothing overwritten.
# Usage: scripts/backup-roundtrip.sh [STATE_DIR]   (default: a fresh dir, migrated and seeded)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
WORK=$(mktemp -d /tmp/stock-sentry-backup-test.XXXXXX)
STATE=${1:-}
if [ -z "$STATE" ]; then
  STATE="$WORK/state"
  scripts/seed.sh --persist-to "$STATE" >/dev/null
fi
at=(--persist-to "$STATE")
fail() { echo "[backup test] FAIL: $*" >&2; exit 1; }
sql() { wrangler d1 execute DB --local "${at[@]}" --command "$1" >/dev/null 2>"$WORK/err" || { cat "$WORK/err" >&2; fail "SQL: $1"; }; }
kvput() { wrangler kv key put --binding KV --local "${at[@]}" "$@" >/dev/null 2>&1 || fail "kv put $*"; }
same() { # BACKUP_A BACKUP_B: identical D1 dump and KV contents
  cmp -s "$1/d1.sql" "$2/d1.sql" && cmp -s "$1/kv.json" "$2/kv.json"
}

kvput "session:0123456789abcdef0123456789abcdef" "demo-outfitters.myshopify.com"
kvput "webhook:roundtrip-1" "1" --ttl 3600
scripts/backup.sh "${at[@]}" "$WORK/backup" | tail -1
rows=$(node -p 'require(process.argv[1]).d1_rows' "$WORK/backup/manifest.json")
[ "$rows" -gt 1000 ] || fail "the backup holds only $rows rows; the seeded demo shop has tens of thousands"
grep -q '"key": "session:0123456789abcdef0123456789abcdef"' "$WORK/backup/kv.json" || fail "KV key missing from the backup"

echo "[backup test] changing data"
sql "DELETE FROM daily_sales WHERE day < (SELECT MAX(day) FROM daily_sales)"
sql "UPDATE settings SET low_stock_days = 30, digest_recipients = 'ops@example.com'"
sql "INSERT INTO support_requests (name, email, message, created_at) VALUES ('Ana', 'ana@example.com', 'after the backup', '2026-01-01T00:00:00Z')"
wrangler kv key delete --binding KV --local "${at[@]}" "session:0123456789abcdef0123456789abcdef" >/dev/null 2>&1
kvput "rl:vote:1.2.3.4:1" "3" --ttl 600
scripts/backup.sh "${at[@]}" "$WORK/changed" >/dev/null
same "$WORK/backup" "$WORK/changed" && fail "the changes did not change the export (the comparison would prove nothing)"

echo "[backup test] restoring"
scripts/restore.sh "${at[@]}" "$WORK/backup" | tail -1
scripts/backup.sh "${at[@]}" "$WORK/restored" >/dev/null
cmp "$WORK/backup/d1.sql" "$WORK/restored/d1.sql" || { diff "$WORK/backup/d1.sql" "$WORK/restored/d1.sql" | head -20; fail "D1 differs from the backup after restore"; }
cmp "$WORK/backup/kv.json" "$WORK/restored/kv.json" || { diff "$WORK/backup/kv.json" "$WORK/restored/kv.json"; fail "KV differs from the backup after restore"; }
echo "[backup test] restored data equals the backup"

echo "[backup test] a backup of another schema version is refused"
cp -r "$WORK/backup" "$WORK/other-version"
echo "0004_from_the_future.sql" >"$WORK/other-version/schema_version"
sql "INSERT INTO support_requests (name, email, message, created_at) VALUES ('Bo', 'bo@example.com', 'must survive a refused restore', '2026-01-02T00:00:00Z')"
scripts/backup.sh "${at[@]}" "$WORK/before-refusal" >/dev/null
if scripts/restore.sh "${at[@]}" "$WORK/other-version" 2>"$WORK/refusal.txt"; then fail "restore accepted another schema version"; fi
grep -q "refused: the backup is schema version 0004_from_the_future.sql but the database is at" "$WORK/refusal.txt" \
  || { cat "$WORK/refusal.txt"; fail "no clear refusal message"; }
scripts/backup.sh "${at[@]}" "$WORK/after-refusal" >/dev/null
same "$WORK/before-refusal" "$WORK/after-refusal" || fail "a refused restore changed data"
ls -d "$WORK"/other-version.before-restore-* >/dev/null 2>&1 && fail "a refused restore still wrote a safety copy"
echo "[backup test] ok (work dir $WORK)"
