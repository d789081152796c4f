#!/usr/bin/env bash
# dbopt advise: recommendations for a captured workload in text, json and sql, nothing built
# without --apply; --apply builds a valid index and records it with the helped queries'
# calls and mean time; afterwards nothing is left to recommend. A build that fails (a
# statement_timeout while a writer holds the table) and Ctrl-C during a build leave no
# invalid index behind and exit 3. Bad arguments exit 2 with a clear message.
source "$(dirname "$0")/helpers.bash"
DB=cli_advise
fresh_db $DB
# In a quoted schema that is not on the search_path: every call and insert is qualified.
sql $DB "CREATE SCHEMA \"Advice Tools\"; CREATE EXTENSION dbopt SCHEMA \"Advice Tools\""
X='"Advice Tools"'

# The load is not the workload: uncaptured (its 40,000 inserted rows would count as the
# write cost of every index on the table).
PGOPTIONS='-c dbopt.track=none' psql -X -q -v ON_ERROR_STOP=1 -d $DB >/dev/null <<'SQL'
CREATE TABLE adv_orders (id int PRIMARY KEY, customer_id int NOT NULL, note text NOT NULL)
  WITH (autovacuum_enabled = off);
INSERT INTO adv_orders SELECT g, g % 2000, 'note ' || g FROM generate_series(1, 40000) g;
ANALYZE adv_orders;  -- never vacuumed: no all-visible pages, so no covering index either
SQL
workload() {
  for i in 1 2 3 4 5 6; do
    PGOPTIONS='-c dbopt.sample_rate=1' psql -X -q -v ON_ERROR_STOP=1 -d $DB \
      -c "SELECT * FROM adv_orders WHERE customer_id = $i" >/dev/null
  done
}
workload
QUERY='SELECT * FROM adv_orders WHERE customer_id = $1'
QUERYID=$(sql $DB "SELECT queryid FROM $X.dbopt_queries WHERE query = '$QUERY' AND dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) LIMIT 1")
expect_true "the workload query was captured" test -n "$QUERYID"
INDEX=public.adv_orders_customer_id_idx
indexes() { sql $DB "SELECT string_agg(indexrelid::regclass::text || ':' || indisvalid, ',' ORDER BY indexrelid::regclass::text) FROM pg_index WHERE indrelid = 'adv_orders'::regclass"; }

# text: the index, the query it helps, the statement; nothing built; exit 1.
run "$DBOPT" advise -d $DB
expect_status 1 "text:"
expect_out "dbopt advise: 1 index recommended for database \"$DB\" (algorithm dbopt," "text:"
expect_out "weighted workload cost " "text:"
expect_out "$INDEX  public.adv_orders  single" "text:"
expect_out "1  $INDEX helps:" "text:"
expect_true "text: the query, its calls and its costs" grep -qE "^ +$QUERYID +6 +[0-9.]+ +[0-9.]+  SELECT \\* FROM adv_orders WHERE customer_id = \\\$1$" <<<"$out"
expect_out "$QUERY" "text:"
expect_out "1  CREATE INDEX CONCURRENTLY IF NOT EXISTS adv_orders_customer_id_idx ON public.adv_orders USING btree (customer_id);" "text:"
expect_true "text: nothing built without --apply" test "$(indexes)" = "adv_orders_pkey:true"
run "$DBOPT" advise -d $DB --dry-run --budget=10MB --max-indexes 3 --max-columns 2 --algorithm extend --min-calls 6
expect_status 1 "dry run with every advisor option:"
expect_out "(algorithm extend, 1 query advised on)" "dry run:"
expect_out "of a 10 MB budget, at most 3 indexes of 2 columns" "dry run:"
run "$DBOPT" advise -d $DB --min-calls 7
expect_status 0 "--min-calls above every query:"
expect_out "dbopt advise: no index to recommend" "--min-calls 7:"

# json: the same recommendation; queryid as a string.
run "$DBOPT" advise -d $DB -F json
expect_status 1 "json:"
expect_true "json: summary and recommendation" python3 - "$out" "$QUERYID" "$INDEX" <<'PY'
import json, sys
r, queryid, index = json.loads(sys.argv[1]), sys.argv[2], sys.argv[3]
assert r["summary"]["algorithm"] == "dbopt" and r["summary"]["recommendations"] == 1, r["summary"]
assert r["summary"]["cost_after"] < r["summary"]["cost_before"], r["summary"]
assert r["applied"] is False and len(r["recommendations"]) == 1, r
rec = r["recommendations"][0]
assert rec["index_name"] == index and rec["table_name"] == "public.adv_orders", rec
assert rec["kind"] == "single" and rec["estimated_bytes"] > 0 and rec["benefit"] > 0, rec
assert [q["queryid"] for q in rec["queries"]] == [queryid], rec["queries"]
assert rec["queries"][0]["calls"] == 6 and rec["queries"][0]["cost_after"] < rec["queries"][0]["cost_before"]
assert rec["remediation"][0].startswith("CREATE INDEX CONCURRENTLY IF NOT EXISTS"), rec
assert rec["revert"] == ["DROP INDEX CONCURRENTLY IF EXISTS " + index], rec["revert"]
assert "apply" not in rec
PY

# sql: a script psql can run.
run "$DBOPT" advise -d $DB -F sql
expect_status 1 "sql:"
expect_out "-- 1. $INDEX (single) on public.adv_orders: estimated " "sql:"
expect_out "CREATE INDEX CONCURRENTLY IF NOT EXISTS adv_orders_customer_id_idx ON public.adv_orders USING btree (customer_id);" "sql:"
expect_out "-- revert: DROP INDEX CONCURRENTLY IF EXISTS $INDEX;" "sql:"

# Bad arguments: exit 2, the message (the server's for what only it can check), no output.
for args in "--max-indexes 0" "--max-columns=x" "--min-calls -1" "--apply --dry-run" "--apply -F sql" "--format xml" "--budget"; do
  # shellcheck disable=SC2086
  run "$DBOPT" advise -d $DB $args
  expect_status 2 "advise $args:"
  expect_err "dbopt: error: " "advise $args:"
  expect_err "Try \"dbopt help advise\" for more information." "advise $args:"
  expect_true "advise $args: no output" test -z "$out"
done
run "$DBOPT" advise -d $DB --budget "5 parsecs"
expect_status 2 "a budget the server cannot read:"
expect_err "dbopt: error: " "--budget '5 parsecs':"
expect_err "budget" "--budget '5 parsecs':"
expect_err "HINT:  " "--budget '5 parsecs':"
run "$DBOPT" advise -d $DB --algorithm nope
expect_status 2 "an unknown algorithm:"
expect_err "nope" "--algorithm nope:"
expect_true "bad arguments built nothing" test "$(indexes)" = "adv_orders_pkey:true"
fresh_db cli_advise_none
run "$DBOPT" advise -d cli_advise_none
expect_status 3 "no extension:"
expect_err "the dbopt extension is not installed in database \"cli_advise_none\"" "no extension:"
psql -X -q -d postgres -c "DROP DATABASE cli_advise_none"

# A build that fails: a writer holds the table (CREATE INDEX CONCURRENTLY waits for it) and
# statement_timeout ends the wait. The invalid index it leaves is dropped once the writer
# is gone; exit 3; nothing recorded.
blocker() { # seconds: an open transaction that wrote to the table
  psql -X -q -d $DB -c "BEGIN" -c "UPDATE adv_orders SET note = note WHERE id = 1" \
    -c "SELECT pg_sleep($1)" -c "COMMIT" >/dev/null &
  blocker_pid=$!
  for _ in $(seq 50); do
    [[ $(sql $DB "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep%' AND state = 'active'") == 1 ]] && return
    sleep 0.1
  done
}
blocker 4
PGOPTIONS='-c statement_timeout=1500' run "$DBOPT" advise -d $DB --apply
wait $blocker_pid
expect_status 3 "failed build:"
expect_err "[1/1] CREATE INDEX CONCURRENTLY IF NOT EXISTS adv_orders_customer_id_idx" "failed build: progress"
expect_err "[1/1] failed: canceling statement due to statement timeout" "failed build:"
expect_err "dropping invalid index $INDEX" "failed build:"
expect_err "dbopt: error: not every recommended index was built" "failed build:"
expect_out "1  $INDEX: FAILED: canceling statement due to statement timeout; dropped $INDEX" "failed build:"
expect_true "failed build: no invalid index left" test "$(indexes)" = "adv_orders_pkey:true"
expect_true "failed build: nothing recorded" test "$(sql $DB "SELECT count(*) FROM $X.applied_index")" = 0

# Ctrl-C during the build: cancelled, the invalid index dropped, exit 3.
blocker 5
"$DBOPT" advise -d $DB --apply >"$SCRATCH/out" 2>"$SCRATCH/err" &
pid=$!
for _ in $(seq 100); do
  [[ $(sql $DB "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'dbopt' AND query LIKE 'CREATE INDEX CONCURRENTLY%'") == 1 ]] && break
  sleep 0.1
done
sleep 0.3
kill -INT $pid
wait $pid
status=$?
wait $blocker_pid
out=$(cat "$SCRATCH/out")
err=$(cat "$SCRATCH/err")
expect_status 3 "Ctrl-C during the build:"
expect_err "[1/1] cancelled: canceling statement due to user request" "Ctrl-C:"
expect_err "dropping invalid index $INDEX" "Ctrl-C:"
expect_err "dbopt: error: interrupted: not every recommended index was built" "Ctrl-C:"
expect_out "CANCELLED: canceling statement due to user request; dropped $INDEX" "Ctrl-C:"
expect_true "Ctrl-C: no invalid index left" test "$(indexes)" = "adv_orders_pkey:true"

# --apply: the index is built and valid, and recorded with the query's calls and mean time.
CALLS=$(sql $DB "SELECT sum(calls) FROM $X.dbopt_queries WHERE queryid = $QUERYID AND dbid = (SELECT oid FROM pg_database WHERE datname = current_database())")
sql $DB "SELECT $X.dbopt_drift_detection(true)" >/dev/null  # the build is recorded, not drift
run "$DBOPT" advise -d $DB --apply -F json
expect_status 0 "--apply:"
expect_true "--apply: no schema drift recorded" test "$(sql $DB "SELECT count(*) FROM $X.schema_change")" = 0
sql $DB "CREATE TABLE adv_drift_probe (id int)"
expect_true "--apply: while other DDL is" test "$(sql $DB "SELECT count(*) FROM $X.schema_change WHERE object_identity = 'public.adv_drift_probe'")" = 1
sql $DB "SELECT $X.dbopt_drift_detection(false)" >/dev/null
sql $DB "DROP TABLE adv_drift_probe"
expect_err "[1/1] CREATE INDEX CONCURRENTLY IF NOT EXISTS adv_orders_customer_id_idx" "--apply: progress"
expect_err "[1/1] $INDEX is valid (" "--apply: progress"
expect_err "baseline of 1 query recorded (apply_id " "--apply: progress"
expect_true "--apply: the index exists and is valid" test "$(indexes)" = "adv_orders_customer_id_idx:true,adv_orders_pkey:true"
expect_true "--apply: json has the outcome" python3 - "$out" "$INDEX" <<'PY'
import json, sys
r, index = json.loads(sys.argv[1]), sys.argv[2]
assert r["applied"] is True and r["interrupted"] is False, r
a = r["recommendations"][0]["apply"]
assert a["status"] == "created" and a["error"] is None and a["actual_bytes"] > 0, a
assert a["baseline_rows"] == 1 and a["apply_id"] is not None and a["dropped"] == [], a
PY
row=$(sql $DB "SELECT a.index_name, a.table_name, a.kind, cardinality(a.remediation), a.revert[1], a.actual_bytes > 0, a.estimated_benefit > 0, a.algorithm, a.applied_by, a.build_ms >= 0, a.applied_at <= now() FROM $X.applied_index a")
expect_true "--apply: the applied_index row ($row)" test "$row" = "$INDEX|public.adv_orders|single|1|DROP INDEX CONCURRENTLY IF EXISTS $INDEX|t|t|dbopt|postgres|t|t"
row=$(sql $DB "SELECT b.queryid, b.query, b.calls, b.mean_time_ms > 0, abs(b.mean_time_ms - b.total_time_ms / b.calls) < 1e-9, b.cost_after < b.cost_before, b.captured_at <= a.applied_at FROM $X.applied_index_baseline b JOIN $X.applied_index a USING (apply_id)")
expect_true "--apply: the baseline row ($row)" test "$row" = "$QUERYID|$QUERY|$CALLS|t|t|t|t"

# The workload is served now: nothing left to recommend, exit 0; --apply with nothing to do too.
workload
run "$DBOPT" advise -d $DB
expect_status 0 "after --apply:"
expect_out "dbopt advise: no index to recommend" "after --apply:"
run "$DBOPT" advise -d $DB --apply
expect_status 0 "--apply with nothing to do:"

# Only the extension's owner (a superuser here) reads or writes the records.
psql -X -q -d $DB -c "SET client_min_messages = warning" -c "DROP ROLE IF EXISTS cli_advise_reader" \
  -c "CREATE ROLE cli_advise_reader LOGIN" -c "GRANT USAGE ON SCHEMA $X TO cli_advise_reader" >/dev/null
run psql -X -q -U cli_advise_reader -d $DB -c "SELECT count(*) FROM $X.applied_index_baseline"
expect_err "permission denied" "another role reading the baseline:"
psql -X -q -d postgres -c "DROP DATABASE $DB" -c "DROP ROLE cli_advise_reader" >/dev/null
finish
