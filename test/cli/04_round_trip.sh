#!/usr/bin/env bash
# Round trip on the real checks: `dbopt health --format sql` applied with `psql -f` fixes
# every finding that came with statements, and `dbopt health` no longer reports them.
source "$(dirname "$0")/helpers.bash"
DB=cli_round_trip
fresh_db $DB with_extension
psql -X -q -v ON_ERROR_STOP=1 -d $DB -f "$(dirname "$0")/fixture.sql" >/dev/null

run "$DBOPT" health -d $DB -F json
before=$(json_rows <<<"$out")
fixable=$(awk -F'\t' '$3 > 0 {print $1 "\t" $2}' <<<"$before" | sort)
echo "# before: $(grep -c . <<<"$before") findings, $(grep -c . <<<"$fixable") with statements"
indexes_before=$(sql $DB "SELECT count(*) FROM pg_index")

run "$DBOPT" health -d $DB -F sql
cp "$SCRATCH/out" "$SCRATCH/fix.sql"
run psql -X -q -v ON_ERROR_STOP=1 -d $DB -f "$SCRATCH/fix.sql"
expect_status 0 "psql -f of the remediation script:"

run "$DBOPT" health -d $DB -F json
after=$(json_rows <<<"$out" | cut -f1,2 | sort)
still=$(comm -12 <(echo "$fixable") <(echo "$after") | grep .)
expect_true "every finding with statements is gone after the script (left: ${still:-none})" \
  test -z "$still"

# TODO(lead): the checks land during this session; once fk_unindexed is on main, assert it
# unconditionally (the fixture has four unindexed foreign keys).
if grep -q '^fk_unindexed' <<<"$before"; then
  expect_true "fk_unindexed: gone after the script" test "$(grep -c '^fk_unindexed' <<<"$after")" = 0
  expect_true "fk_unindexed: the script created indexes" \
    test "$(sql $DB "SELECT count(*) FROM pg_index")" -gt "$indexes_before"
  expect_true "fk_unindexed: every created index is valid" \
    test "$(sql $DB "SELECT count(*) FROM pg_index WHERE NOT indisvalid")" = 0
else
  echo "# TODO: fk_unindexed not reported yet: round trip of FK indexes not checked"
fi
if ! grep -q '^table_no_primary_key' <<<"$before"; then
  echo "# TODO: table_no_primary_key not reported yet"
fi

# Running the fresh script again has nothing left to fix for those findings.
run "$DBOPT" health -d $DB -F sql
expect_true "second script: no statement for the fixed findings" \
  test "$(grep -v '^--' <<<"$out" | grep -c 'CREATE INDEX')" = 0

psql -X -q -d postgres -c "DROP DATABASE $DB"
finish
