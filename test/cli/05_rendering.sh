#!/usr/bin/env bash
# The CLI end to end on findings with awkward content, independent of which checks exist:
# a stand-in dbopt_health() (same signature, SQL body) in a throwaway database returns
# crafted findings: quotes, newlines, non-ASCII text, nested evidence, a partitioned-table
# recipe of several statements, and a hostile message. Its findings disappear when the
# objects they ask for exist, so the sql script's round trip is checked too.
source "$(dirname "$0")/helpers.bash"
DB=cli_rendering
fresh_db $DB with_extension
psql -X -q -v ON_ERROR_STOP=1 -d $DB >/dev/null <<'SQL'
CREATE TABLE customers (id bigint PRIMARY KEY);
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers);
CREATE TABLE events (id bigint, order_id bigint REFERENCES orders, at date NOT NULL)
  PARTITION BY RANGE (at);
CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE TABLE "Audit Log" (at timestamptz, what text);
CREATE OR REPLACE FUNCTION dbopt_health(schema_name name DEFAULT NULL,
                                        include_data boolean DEFAULT false)
RETURNS TABLE (check_id text, severity text, object_type text, object_name text,
               message text, detail jsonb, remediation text[], revert text[])
LANGUAGE sql AS $f$
  SELECT 'fk_unindexed', 'warning', 'foreign key', 'public.orders.orders_customer_id_fkey',
         'foreign key orders_customer_id_fkey on public.orders has no index; every delete on '
         'public.customers scans public.orders',
         '{"rows": 1000, "columns": ["customer_id"], "note": "K\u00e4ufer \"VIP\" \\ 5\u20ac"}'::jsonb,
         ARRAY['CREATE INDEX CONCURRENTLY orders_customer_id_idx ON public.orders (customer_id)'],
         ARRAY['DROP INDEX CONCURRENTLY public.orders_customer_id_idx']
  WHERE to_regclass('public.orders_customer_id_idx') IS NULL
  UNION ALL
  SELECT 'fk_unindexed', 'info', 'foreign key', 'public.events.events_order_id_fkey',
         'partitioned: index every partition', NULL,
         ARRAY['CREATE INDEX events_order_id_idx ON ONLY public.events (order_id);',
               'CREATE INDEX CONCURRENTLY events_2025_order_id_idx ON public.events_2025 (order_id);',
               'ALTER INDEX public.events_order_id_idx ATTACH PARTITION public.events_2025_order_id_idx;',
               'CREATE INDEX CONCURRENTLY events_2026_order_id_idx ON public.events_2026 (order_id);',
               'ALTER INDEX public.events_order_id_idx ATTACH PARTITION public.events_2026_order_id_idx;'],
         ARRAY['DROP INDEX public.events_order_id_idx;']
  WHERE to_regclass('public.events_order_id_idx') IS NULL
  UNION ALL
  SELECT 'table_no_primary_key', 'critical', 'table', 'public."Audit Log"',
         E'table "Audit Log" has no primary key\nDROP TABLE customers; -- must stay a comment',
         '{}', '{}', '{}'
$f$;
SQL

# text: groups in severity order, statements whole, lines wrapped to COLUMNS
run "$DBOPT" health -d $DB
expect_status 1 "text:"
expect_out 'dbopt health: 3 findings in database "cli_rendering" (1 critical, 1 warning, 1 info)' "text:"
expect_true "text: groups in order critical, warning, info" \
  test "$(grep -E '^(CRITICAL|WARNING|INFO) ' <<<"$out" | tr '\n' ' ')" = "CRITICAL (1) WARNING (1) INFO (1) "
expect_out "  1  table_no_primary_key" "text:"
expect_out "  2  CREATE INDEX CONCURRENTLY orders_customer_id_idx ON public.orders (customer_id);" "text:"
expect_out "  3  CREATE INDEX events_order_id_idx ON ONLY public.events (order_id);" "text:"
expect_out "     ALTER INDEX public.events_order_id_idx ATTACH PARTITION public.events_2026_order_id_idx;" "text:"
COLUMNS=70 run "$DBOPT" health -d $DB
expect_true "text: table lines fit in COLUMNS=70" \
  test "$(grep -vE '^ +([0-9]+ +)?(CREATE|ALTER) ' <<<"$out" | awk 'length($0) > 70' | wc -l)" = 0

# json: server text and evidence come through exactly
run "$DBOPT" health -d $DB -F json
expect_status 1 "json:"
expect_true "json: exact values" python3 -c '
import json, sys
f = json.loads(sys.argv[1])
assert len(f) == 3, len(f)
assert [x["severity"] for x in f] == ["critical", "warning", "info"]
f = [f[1], f[2], f[0]]  # the order of the stand-in
assert f[0]["detail"] == {"rows": 1000, "columns": ["customer_id"], "note": "K\u00e4ufer \"VIP\" \\ 5\u20ac"}, f[0]["detail"]
assert f[1]["detail"] is None and len(f[1]["remediation"]) == 5
assert f[2]["object_name"] == "public.\"Audit Log\""
assert f[2]["message"].startswith("table \"Audit Log\" has no primary key\nDROP TABLE")
assert f[2]["remediation"] == [] and f[2]["revert"] == []' "$out"

# --min-severity: only critical left, still exit 1; nothing at all: exit 0 elsewhere
run "$DBOPT" health -d $DB -F json --min-severity=critical
expect_true "--min-severity critical: one finding" test "$(json_rows <<<"$out" | wc -l)" = 1

# sql: the script runs with psql -f (CONCURRENTLY outside any transaction) and fixes what it can
run "$DBOPT" health -d $DB -F sql
expect_out "-- 3. [info] fk_unindexed on public.events.events_order_id_fkey: partitioned: index every partition" "sql:"
expect_out "-- revert: DROP INDEX CONCURRENTLY public.orders_customer_id_idx;" "sql:"
expect_out '-- 1. [critical] table_no_primary_key on public."Audit Log": table "Audit Log" has no primary key DROP TABLE customers; -- must stay a comment' "sql:"
cp "$SCRATCH/out" "$SCRATCH/fix.sql"
run psql -X -v ON_ERROR_STOP=1 -d $DB -f "$SCRATCH/fix.sql"
expect_status 0 "psql -f of the script:"
expect_true "the hostile message stayed a comment" test "$(sql $DB "SELECT to_regclass('customers') IS NOT NULL")" = t
expect_true "all five indexes exist and are valid" \
  test "$(sql $DB "SELECT count(*) FROM pg_index WHERE indisvalid AND indexrelid::regclass::text LIKE '%order_id_idx' OR indexrelid::regclass::text = 'orders_customer_id_idx'")" = 4
run "$DBOPT" health -d $DB -F json
expect_true "after the script only the finding without statements is left" \
  test "$(json_rows <<<"$out")" = $'table_no_primary_key\tpublic."Audit Log"\t0'

psql -X -q -d postgres -c "DROP DATABASE $DB"
finish
