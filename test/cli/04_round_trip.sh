#!/usr/bin/env bash
# Round trip on the real checks: `dbopt health --format sql` applied with `psql -f` fixes
# every finding that came with statements, and `dbopt health` no longer reports them;
# findings that need a decision (no statement) stay.
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

expect_true "fk_unindexed: four before the script" test "$(grep -c '^fk_unindexed' <<<"$before")" = 4
expect_true "fk_unindexed: gone after the script" test "$(grep -c '^fk_unindexed' <<<"$after")" = 0
expect_true "fk_unindexed: the script created indexes (one per leaf and the partitioned parent)" \
  test "$(sql $DB "SELECT count(*) FROM pg_index")" = $((indexes_before + 6))
expect_true "fk_unindexed: every index is valid" \
  test "$(sql $DB "SELECT count(*) FROM pg_index WHERE NOT indisvalid")" = 0
expect_true "fk_unindexed: dbopt_check_fk_coverage() agrees: all covered" \
  test "$(sql $DB "SELECT count(*) FROM dbopt_check_fk_coverage() WHERE status <> 'covered'")" = 0
expect_true "table_no_primary_key: tags had a statement, and is fixed" \
  test "$(grep -c $'^table_no_primary_key\tpublic.tags\t1$' <<<"$before")" = 1
expect_true "table_no_primary_key: tags has its primary key" \
  test "$(sql $DB "SELECT count(*) FROM pg_constraint WHERE conrelid = 'tags'::regclass AND contype = 'p'")" = 1
expect_true "table_no_primary_key: the tables needing a decision are still reported" \
  test "$(grep '^table_no_primary_key' <<<"$after" | cut -f2 | tr '\n' ' ')" = "public.audit_log public.events "

# Running the fresh script again has nothing left to fix for those findings.
run "$DBOPT" health -d $DB -F sql
grep -v -e '^--' -e '^$' "$SCRATCH/fix.sql" >"$SCRATCH/first_statements"
expect_true "second script: none of the first script's statements again" \
  test "$(grep -v '^--' <<<"$out" | grep -cFx -f "$SCRATCH/first_statements")" = 0

psql -X -q -d postgres -c "DROP DATABASE $DB"
finish
