#!/usr/bin/env bash
# dbopt top: an empty store, then queries run with full sampling show up ranked, with their
# seq and index scans under them; json agrees with dbopt_queries; --order-by, --limit,
# --all-users, nested statements, the width; usage errors exit 2; a missing extension and a
# server without the preload exit 3 with the server's message.
source "$(dirname "$0")/helpers.bash"
source "$(dirname "$0")/../../scripts/lib.sh"
DB=cli_top
OTHER=cli_top_other
fresh_db $DB
# In a quoted schema that is not on the search_path: dbopt top must qualify every call.
sql $DB "CREATE SCHEMA \"Top Tools\"; CREATE EXTENSION dbopt SCHEMA \"Top Tools\""
capture_sql() { sql $DB "SELECT $1 FROM \"Top Tools\".dbopt_queries q, pg_database d WHERE q.dbid = d.oid AND d.datname = '$DB' $2"; }

# Nothing captured yet in this new database (utility statements are not captured).
echo "# dbopt.sample_rate = $(sql $DB "SHOW dbopt.sample_rate"), dbopt.track = $(sql $DB "SHOW dbopt.track")"
run "$DBOPT" top -d $DB
expect_status 0 "empty store:"
expect_out "dbopt top: no queries captured yet in database \"$DB\" for user postgres" "empty store:"
run "$DBOPT" top -d $DB --format json
expect_status 0 "empty store, json:"
expect_true "empty store: json has no queries" python3 -c '
import json, sys
r = json.loads(sys.argv[1]); assert r["queries"] == [] and r["queries_in_scope"] == 0, r' "$out"

psql -X -q -v ON_ERROR_STOP=1 -d $DB >/dev/null <<SQL
CREATE TABLE top_orders (id int PRIMARY KEY, customer_id int NOT NULL, note text);
INSERT INTO top_orders SELECT g, g % 100, 'note ' || g FROM generate_series(1, 10000) g;
ANALYZE top_orders;
SET client_min_messages = warning;
DROP ROLE IF EXISTS $OTHER;
CREATE ROLE $OTHER LOGIN;
GRANT SELECT ON top_orders TO $OTHER;
SQL

# The workload, every execution sampled (the GUC is superuser-settable: PGOPTIONS works for
# the test's superuser).
expect_true "PGOPTIONS sets dbopt.sample_rate for a session" \
  test "$(PGOPTIONS='-c dbopt.sample_rate=1' sql $DB "SHOW dbopt.sample_rate")" = 1
workload() { PGOPTIONS='-c dbopt.sample_rate=1 -c dbopt.track=all' psql -X -q -v ON_ERROR_STOP=1 -d $DB "$@" >/dev/null; }
for i in 1 2 3 4 5 6; do workload -c "SELECT count(*) FROM top_orders WHERE note = 'note $i'"; done
for i in 1 2; do workload -c "SELECT * FROM top_orders WHERE id = $i"; done
workload -c "SELECT o.id, p.note
   FROM top_orders o
   JOIN top_orders p ON p.id = o.customer_id
  WHERE o.note = 'note 77' AND o.customer_id > 0 AND p.note IS NOT NULL AND o.id < 1000000"
workload -c "UPDATE top_orders SET note = note WHERE id BETWEEN 1 AND 500"
workload -c "DO \$\$ BEGIN PERFORM count(*) FROM top_orders WHERE id = 42; END \$\$"
psql -X -q -U $OTHER -d $DB -c "SELECT count(*) FROM top_orders WHERE id < 10" >/dev/null

SEQ='SELECT count(*) FROM top_orders WHERE note = $1'
IDX='SELECT * FROM top_orders WHERE id = $1'
JOIN='SELECT o.id, p.note FROM top_orders o JOIN top_orders p ON p.id = o.customer_id WHERE o.note = $1 AND o.customer_id > $2 AND p.note IS NOT NULL AND o.id < $3'
run "$DBOPT" top -d $DB
expect_status 0 "text:"
expect_out "dbopt top: " "text:"
expect_out "queries in database \"$DB\" for user postgres by total time" "text:"
expect_out "  #  " "text: header"
expect_out "queryid  calls  total ms  mean ms" "text: header"
expect_out "$SEQ" "text:"
expect_out "$IDX" "text:"
# The access path line right under each query: its scan kind.
block() { # query text: its line and the access path lines under it (indented 5 or more)
  awk -v q="$1" 'substr($0, length($0) - length(q) + 1) == q {on = 1; print; next}
                 on && /^     / {print; next} {on = 0}' <<<"$out"
}
expect_true "text: the seq query shows a Seq Scan on public.top_orders with 9999 rows removed" \
  grep -qE '^ +1 +1 +9999 +1  Seq Scan on public\.top_orders$' <<<"$(block "$SEQ")"
expect_true "text: the primary key lookup shows an Index Scan using top_orders_pkey" \
  grep -qE '^ +1 +1 +0 +1  Index Scan using top_orders_pkey on public\.top_orders$' <<<"$(block "$IDX")"
expect_true "text: the seq query has 6 calls" grep -qE '^ +[0-9]+ +-?[0-9]+ +6 ' <<<"$(block "$SEQ")"
expect_true "text: the join shows both of its scans" \
  test "$(block "$JOIN" | grep -c 'Scan.* on public\.top_orders$')" = 2
expect_out "$JOIN" "text: a multi-line query text on one line:"
expect_out "(nested) " "text: a PL/pgSQL statement (dbopt.track = all) is marked:"
expect_no_out "count(*) FROM top_orders WHERE id < " "text: another user's query is not shown by default:"
expect_no_out "dbopt cli" "text: dbopt's own statements are left out:"
expect_no_out "dbopt_queries" "text: dbopt's own statements are left out:"
expect_true "text: no color when not on a terminal" test "$(grep -c $'\033' <<<"$out")" = 0

# json: parses; figures agree with dbopt_queries; access paths as above.
run "$DBOPT" top -d $DB -F json --limit 50
expect_status 0 "json:"
json=$out
expect_true "json: the queries and their access paths" python3 - "$json" "$SEQ" "$IDX" <<'PY'
import json, sys
report, seq, idx = json.loads(sys.argv[1]), sys.argv[2], sys.argv[3]
assert report["user"] == "postgres" and report["order_by"] == "total_time", report
queries = {q["query"]: q for q in report["queries"]}
s = queries[seq]
assert s["calls"] == 6 and s["sampled_calls"] == 6 and s["toplevel"], s
assert [(p["relation"], p["scan_kind"], p["index_name"], p["rows_removed_by_filter"], p["actual_rows"])
        for p in s["access_paths"]] == [("public.top_orders", "seq", None, 9999, 1)], s
i = queries[idx]
assert [(p["scan_kind"], p["index_name"], p["est_rows"]) for p in i["access_paths"]] == \
    [("index", "public.top_orders_pkey", 1)], i
assert any(not q["toplevel"] for q in report["queries"]), "no nested statement"
times = [q["total_time_ms"] for q in report["queries"]]
assert times == sorted(times, reverse=True), times
assert [q["rank"] for q in report["queries"]] == list(range(1, len(times) + 1))
assert abs(sum(q["share_percent"] for q in report["queries"]) - 100) < 0.01
assert all(isinstance(q["queryid"], str) for q in report["queries"])
PY
expect_true "json: calls and queryids are those of dbopt_queries" test \
  "$(python3 -c 'import json,sys
for q in json.loads(sys.argv[1])["queries"]: print(q["queryid"], q["calls"], q["rows"])' "$json" | sort)" = \
  "$(capture_sql "queryid, calls, rows" "AND q.userid = 'postgres'::regrole AND q.calls > 0 AND strpos(q.query, '/* dbopt' || ' cli */') = 0" | tr '|' ' ' | sort)"

# --order-by and --limit
for order in calls rows mean_time; do
  run "$DBOPT" top -d $DB -F json --order-by $order
  key=$order; [[ $order == mean_time ]] && key=mean_time_ms
  expect_true "--order-by $order: ranked by $key" python3 -c '
import json, sys
values = [q[sys.argv[2]] for q in json.loads(sys.argv[1])["queries"]]
assert values and values == sorted(values, reverse=True), values' "$out" "$key"
done
run "$DBOPT" top -d $DB --order-by calls --limit 1
expect_status 0 "--order-by calls --limit 1:"
expect_out "dbopt top: 1 of " "--limit 1:"
expect_out "by calls" "--order-by calls:"
expect_out "$SEQ" "--order-by calls: the six-times query first"
expect_no_out "$IDX" "--limit 1:"

# --all-users: the other role's query too, with a user column.
run "$DBOPT" top -d $DB --all-users --limit 50
expect_status 0 "--all-users:"
expect_out "queries in database \"$DB\" by total time" "--all-users:"
expect_true "--all-users: the other user's query, with its name" \
  grep -qE "  $OTHER +SELECT count\(\*\) FROM top_orders WHERE id < \\\$1$" <<<"$out"

# The width: COLUMNS cuts query texts and access paths, never more than that.
COLUMNS=90 run "$DBOPT" top -d $DB
expect_true "COLUMNS=90: every line fits" python3 -c '
import sys
assert all(len(line) <= 90 for line in sys.argv[1].splitlines())' "$out"
expect_out "…" "COLUMNS=90: the long join query is cut:"

# Usage errors: exit 2, nothing on stdout.
for args in "--order-by speed" "--order-by=" "--limit 0" "--limit=x" "--format sql" "--schema x"; do
  run "$DBOPT" top -d $DB $args
  expect_status 2 "top $args:"
  [[ -z $out ]] && ok || fail "top $args: stdout should be empty"
done
run "$DBOPT" top --order-by speed
expect_err 'invalid value "speed" for --order-by (expected total_time, mean_time, calls or rows)' "bad --order-by:"
expect_err 'Try "dbopt help top"' "bad --order-by:"
run "$DBOPT" help top
expect_status 0 "help top:"
expect_out "dbopt top [OPTIONS] [CONNINFO]" "help top:"

# No extension in the database: exit 3 and say so.
fresh_db cli_top_noext
run "$DBOPT" top -d cli_top_noext
expect_status 3 "no extension:"
expect_err "the dbopt extension is not installed in database \"cli_top_noext\"" "no extension:"
[[ -z $out ]] && ok || fail "no extension: stdout should be empty"

# A server without the preload: the extension exists, its capture functions refuse.
NOPRELOAD=$(mktemp -d /tmp/dbopt-cli-nopreload.XXXXXX)
chmod 755 "$NOPRELOAD"
trap 'stop_cluster "$NOPRELOAD"; rm -rf "$SCRATCH" "$NOPRELOAD"' EXIT
if start_cluster "$NOPRELOAD" "$PGPORT" "shared_preload_libraries = ''"; then
  PGHOST=$NOPRELOAD sql postgres "CREATE EXTENSION dbopt"
  PGHOST=$NOPRELOAD run "$DBOPT" top -d postgres
  expect_status 3 "not preloaded:"
  expect_err "dbopt: error: dbopt must be loaded via shared_preload_libraries" "not preloaded:"
  expect_err "HINT:  Add dbopt to shared_preload_libraries" "not preloaded:"
  [[ -z $out ]] && ok || fail "not preloaded: stdout should be empty"
else
  fail "could not start a cluster without the preload: $(tail -5 "$NOPRELOAD/server.log")"
fi

psql -X -q -d postgres -c "DROP DATABASE $DB" -c "DROP DATABASE cli_top_noext" -c "DROP ROLE $OTHER"
finish
