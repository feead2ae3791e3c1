#!/usr/bin/env bash
# The operator's view of dead letters: queue messages that exhausted their retries and
# were stored by the dead-letter consumer (server/src/dead_letters.rs), newest first.
# Usage: scripts/dead-letters.sh [--persist-to DIR | --remote] [--env NAME] [LIMIT]
#        scripts/dead-letters.sh [...] delete ID      (once replayed or judged safe to drop)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
usage() { sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//'; }
source scripts/ops-common.sh
if [ "${ARGS[0]:-}" = "delete" ]; then
  id=${ARGS[1]:?delete needs an id}
  [[ "$id" =~ ^[0-9]+$ ]] || { echo "id must be a number" >&2; exit 2; }
  d1_query "DELETE FROM dead_letters WHERE id = $id" >/dev/null
  echo "deleted dead letter $id"
  exit 0
fi
limit=${ARGS[0]:-20}
[[ "$limit" =~ ^[0-9]+$ ]] || { echo "LIMIT must be a number" >&2; exit 2; }
# A webhook's shop, topic and id first (its payload can be long), else the message's start.
d1_query "SELECT id, queue, message_id, received_at,
            COALESCE(json_extract(body, '$.shop') || ' ' || json_extract(body, '$.topic') || ' webhook ' || json_extract(body, '$.webhook_id'),
                     substr(body, 1, 300)) AS body
          FROM dead_letters ORDER BY id DESC LIMIT $limit" \
  | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const rows=JSON.parse(s);
      if(!rows.length){console.log("no dead letters");return}
      for(const r of rows) console.log(`#${r.id} ${r.received_at} ${r.queue} ${r.message_id}\n    ${r.body}`)})'
