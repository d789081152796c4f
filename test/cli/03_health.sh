#!/usr/bin/env bash
# dbopt health on a fixture database: the three formats agree with dbopt_health() itself,
# exit statuses follow the findings, connection forms, schema filter, colors.
source "$(dirname "$0")/helpers.bash"
DB=cli_health
fresh_db $DB with_extension
psql -X -q -v ON_ERROR_STOP=1 -d $DB -f "$(dirname "$0")/fixture.sql" >/dev/null

total=$(sql $DB "SELECT count(*) FROM dbopt_health()")
critical=$(sql $DB "SELECT count(*) FROM dbopt_health() WHERE severity = 'critical'")
statements=$(sql $DB "SELECT coalesce(sum(cardinality(remediation)), 0) FROM dbopt_health()")
echo "# dbopt_health() reports $total findings ($critical critical, $statements statements)"
expected_status() { (($1 > 0)) && echo 1 || echo 0; }

# The fixture's sins: four unindexed foreign keys (line_items.order_id leads its primary
# key and payments.order_id has an index: those two are covered).
expect_true "dbopt_health() reports exactly the four unindexed foreign keys" test \
  "$(sql $DB "SELECT string_agg(object_name, ' ' ORDER BY object_name) FROM dbopt_health() WHERE check_id = 'fk_unindexed'")" = \
  '"Sales"."Invoices"."Invoices_Customer Id_fkey" public.events.events_order_id_fkey public.orders.orders_customer_id_fkey public.shipments.shipments_order_id_line_fkey'
# Tables without a primary key: audit_log, tags, and the partitioned events.
expect_true "dbopt_health() reports the three tables without a primary key" test \
  "$(sql $DB "SELECT string_agg(object_name, ' ' ORDER BY object_name) FROM dbopt_health() WHERE check_id = 'table_no_primary_key'")" = \
  'public.audit_log public.events public.tags'

# text
run "$DBOPT" health -d $DB
expect_status "$(expected_status "$total")" "text:"
if ((total > 0)); then
  expect_out "dbopt health: $total finding" "text:"
  expect_out "fk_unindexed" "text:"
  expect_out "public.orders.orders_customer_id_fkey" "text:"
  expect_out "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_id_idx ON public.orders (customer_id);" "text:"
  expect_out "table_no_primary_key" "text:"
  expect_out "public.audit_log" "text:"
  expect_out "ALTER TABLE public.tags ADD CONSTRAINT tags_name_key PRIMARY KEY USING INDEX tags_name_key;" "text:"
  ((statements > 0)) && expect_out "fix (run each statement on its own" "text:"
  expect_true "text: CREATE INDEX statements are shown whole" \
    test "$(grep -c 'CREATE INDEX CONCURRENTLY .*;$' <<<"$out")" = \
    "$(sql $DB "SELECT count(*) FROM dbopt_health(), unnest(remediation) s WHERE s LIKE 'CREATE INDEX CONCURRENTLY%'")"
else
  expect_out "dbopt health: no findings in database \"$DB\"" "text:"
fi
expect_true "text: no color when not on a terminal" test "$(grep -c $'\033' <<<"$out")" = 0

# json: one array, as many objects as dbopt_health() rows, detail embedded as JSON
run "$DBOPT" health -d $DB --format json
expect_status "$(expected_status "$total")" "json:"
expect_true "json: parses as one array" json_array <<<"$out"
expect_true "json: $total findings" test "$(json_rows <<<"$out" | wc -l)" = "$total"
expect_true "json: every key of dbopt_health(), detail not a string" python3 -c '
import json, sys
keys = ["check_id", "severity", "object_type", "object_name", "message", "detail",
        "remediation", "revert"]
for f in json.loads(sys.argv[1]):
    assert list(f) == keys, list(f)
    assert f["detail"] is None or isinstance(f["detail"], dict), f["detail"]
    assert f["severity"] in ("critical", "warning", "info")
    assert all(isinstance(s, str) and s for s in f["remediation"] + f["revert"])' "$out"
expect_true "json: same findings as dbopt_health()" test "$(json_rows <<<"$out" | sort)" = \
  "$(sql $DB "SELECT format(E'%s\t%s\t%s', check_id, object_name, coalesce(cardinality(remediation), 0)) FROM dbopt_health()" | sort)"
json_all=$out

# --min-severity filters the output and decides the exit status
run "$DBOPT" health -d $DB --format=json --min-severity critical
expect_status "$(expected_status "$critical")" "--min-severity critical:"
expect_true "--min-severity critical: $critical findings" \
  test "$(json_rows <<<"$out" | wc -l)" = "$critical"

# sql: comments and statements only, each statement terminated, no transaction
run "$DBOPT" health -d $DB -F sql
expect_status "$(expected_status "$total")" "sql:"
expect_out "-- dbopt health: remediation script for database \"$DB\"" "sql:"
code=$(grep -v '^--' <<<"$out" | grep -v '^$')
expect_true "sql: $statements statements, one per ';'-terminated line" \
  test "$(grep -c ';$' <<<"$code")" = "$statements"
expect_true "sql: no transaction wrapper" test "$(grep -ciE '^(BEGIN|COMMIT|START TRANSACTION)' <<<"$code")" = 0
expect_true "sql: a comment per finding" test "$(grep -cE '^-- [0-9]+\. \[' <<<"$out")" = "$total"
if [[ -n $code ]]; then
  expect_true "sql: the script ends with a terminated statement" test "${code: -1}" = ";"
fi

# Connection forms: URI, conninfo, PGDATABASE and -d give the same answer.
for form in "postgresql:///$DB?host=$PGHOST&port=$PGPORT" "dbname=$DB" "-d $DB"; do
  run "$DBOPT" health -F json $form
  expect_true "connection form '$form' gives the same findings" test "$out" = "$json_all"
done
PGDATABASE=$DB run "$DBOPT" health -F json
expect_true "PGDATABASE gives the same findings" test "$out" = "$json_all"

# Schema filter: only that schema's objects; a quoted mixed-case schema name works.
run "$DBOPT" health -d $DB -F json --schema Sales
expect_true "--schema Sales: valid json" json_array <<<"$out"
expect_true "--schema Sales: same findings as dbopt_health(schema_name => 'Sales')" \
  test "$(json_rows <<<"$out" | sort)" = \
  "$(sql $DB "SELECT format(E'%s\t%s\t%s', check_id, object_name, coalesce(cardinality(remediation), 0)) FROM dbopt_health(schema_name => 'Sales')" | sort)"

# Colors: --color=always forces them (even with NO_COLOR), NO_COLOR alone has none.
if ((total > 0)); then
  NO_COLOR=1 run "$DBOPT" health -d $DB --color=always
  expect_true "--color=always colors" grep -q $'\033\\[' <<<"$out"
  NO_COLOR=1 run "$DBOPT" health -d $DB
  expect_true "NO_COLOR: no escapes" test "$(grep -c $'\033' <<<"$out")" = 0
fi

# --include-data runs (data checks may add findings; the format stays valid).
run "$DBOPT" health -d $DB --include-data -F json
expect_true "--include-data: exit 0 or 1 (status $status)" test "$status" -le 1
expect_true "--include-data: valid json" json_array <<<"$out"

# A database with nothing to report: exit 0.
fresh_db cli_clean with_extension
run "$DBOPT" health -d cli_clean
expect_status 0 "clean database:"
expect_out 'dbopt health: no findings in database "cli_clean"' "clean database:"
run "$DBOPT" health -d cli_clean -F json
expect_true "clean database: json is []" test "$out" = "[]"

psql -X -q -d postgres -c "DROP DATABASE cli_clean" -c "DROP DATABASE $DB"
finish
