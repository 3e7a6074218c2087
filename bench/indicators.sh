#!/usr/bin/env bash
# The indicator benchmark: builds a database of N contacts once (with `screening demo seed`,
# or through the library when this build has no `demo seed`), then times the yearly report
# through the library against the same counts in hand-written SQL run by `sqlite3`.
#
#   bench/indicators.sh BUILD_DIR CONTACTS [FOLDER]
#
# FOLDER (default /tmp/screening-indicators-bench-CONTACTS) keeps the database between runs;
# delete it to build a new one. Nothing is written inside the repository.
set -euo pipefail

build=${1:?usage: bench/indicators.sh BUILD_DIR CONTACTS [FOLDER]}
contacts=${2:?usage: bench/indicators.sh BUILD_DIR CONTACTS [FOLDER]}
folder=${3:-/tmp/screening-indicators-bench-$contacts}
cli=$build/clients/cli/screening
bench=$build/bench/indicators_bench
db=$folder/screening.db
key=$folder/audit.key
admin_password="indicators bench admin"

mkdir -p "$folder"
chmod 700 "$folder"
if [[ ! -f $db ]]; then
  if "$cli" demo seed --help >/dev/null 2>&1; then
    export SCREENING_PASSWORD_COST=0 SCREENING_AUDIT_KEY=$key
    printf '%s\n' "$admin_password" |
      "$cli" --db "$db" init --demo --admin admin --password-stdin >/dev/null
    start=$(date +%s)
    printf '%s\n' "$admin_password" |
      "$cli" --db "$db" --user admin demo seed --contacts "$contacts" --password-stdin >&2
    echo "seeded $contacts contacts with 'screening demo seed' in $(( $(date +%s) - start )) s" >&2
  else
    echo "no 'screening demo seed' in this build: seeding through the library" >&2
    "$bench" --db "$db" --audit-key "$key" --seed "$contacts" --runs 1 \
      --user demo.samordnare --password samordnare-demo >/dev/null
  fi
fi
# What the file holds, whoever made it (the database may be kept from an earlier run).
file_contacts=$(sqlite3 -readonly "$db" "SELECT COUNT(*) FROM contacts")
file_assessments=$(sqlite3 -readonly "$db" "SELECT COUNT(*) FROM assessments")
file_bytes=$(stat -c %s "$db")
echo "file: $file_contacts contacts, $file_assessments assessments (all years), $file_bytes bytes" \
  "($((file_bytes / (file_contacts > 0 ? file_contacts : 1))) bytes per contact)"
exec "$bench" --db "$db" --audit-key "$key" --runs "${RUNS:-5}"
