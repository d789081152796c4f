#!/usr/bin/env bash
# dbopt report: (a) an empty database gives a valid report that says there is no history and
# how to start it; (b) with history (dbopt_snapshot() when this dbopt has it, else history rows
# written directly) the charts have data points. Both are rendered in headless Chromium: the
# DOM has the sections and the SVG charts with their points, and a screenshot is a real PNG
# with the charts' colors in it (kept under build/test-artifacts/report/). Markdown, --since,
# usage errors (exit 2), a missing extension or an unwritable file (exit 3), and sources that
# are missing or not readable (shown as not available; the report is still written).
source "$(dirname "$0")/helpers.bash"
source "$(dirname "$0")/../../scripts/lib.sh"
DB=cli_report
ARTIFACTS=$DBOPT_ROOT/build/test-artifacts/report
rm -rf "$ARTIFACTS"
mkdir -p "$ARTIFACTS" "$SCRATCH/home"
PNGCHECK=$(dirname "$0")/png_colors.py

has_function() { [[ $(sql "$1" "SELECT count(*) FROM pg_proc WHERE proname = '$2'") != 0 ]]; }

# chromium ARGS... URL: headless, no sandbox (root needs it), a private HOME, bounded in time;
# its D-Bus and GPU warnings go to a log.
chromium_run() {
  HOME=$SCRATCH/home timeout 120 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
    --no-first-run --disable-extensions "$@" 2>>"$SCRATCH/chromium.log"
}

# Lines "ID POINTS BARS [empty]" for every chart in the DOM on stdin.
charts() {
  python3 -c '
import re, sys
dom = sys.stdin.read()
for m in re.finditer(r"<svg\b([^>]*)>(.*?)</svg>", dom, re.S):
    ident = re.search(r"\bid=\"([^\"]+)\"", m.group(1))
    body = m.group(2)
    print(ident.group(1) if ident else "?", body.count("class=\"point\""), body.count("class=\"bar\""),
          "empty" if "chart empty" in m.group(1) else "")'
}
chart_points() { awk -v id="$2" '$1 == id { print $2 + $3 }' <<<"$1"; }

if ! command -v chromium >/dev/null; then
  echo "not ok: chromium is not installed (scripts/lib.sh PACKAGES installs it)"
  exit 1
fi

# (a) An empty database: no history, no workload.
fresh_db $DB with_extension
run "$DBOPT" report -d $DB -o "$ARTIFACTS/empty.html"
expect_status 0 "empty:"
expect_out "dbopt report: wrote $ARTIFACTS/empty.html" "empty:"
html=$(cat "$ARTIFACTS/empty.html")
grep -q 'id="no-history"' <<<"$html" && ok || fail "empty: the no-history callout"
grep -qF 'SELECT * FROM dbopt_schedule();' <<<"$html" && ok || fail "empty: how to start the history"
grep -qiE '<script|<link|src="http|url\(' <<<"$html" && fail "empty: nothing external, no script" || ok
dom=$(chromium_run --dump-dom "file://$ARTIFACTS/empty.html")
status=$?
expect_status 0 "empty: chromium --dump-dom"
for id in history workload top-queries findings finding-changes index-usage seq-scans unused-indexes; do
  grep -q "<section id=\"$id\"" <<<"$dom" && ok || fail "empty: section $id rendered"
done
list=$(charts <<<"$dom")
[[ -n $(awk '$1 == "chart-findings"' <<<"$list") ]] && ok || fail "empty: the findings chart rendered: $list"

run "$DBOPT" report -d $DB --format markdown
expect_status 0 "empty markdown:"
expect_out "# dbopt report: database cli\\_report" "empty markdown:"
expect_out "**No history yet.**" "empty markdown:"
expect_out "## Findings by severity" "empty markdown:"

# Usage and errors.
run "$DBOPT" report -d $DB --since "the day before"
expect_status 2 "bad --since:"
expect_err "invalid value \"the day before\" for --since" "bad --since:"
run "$DBOPT" report -d $DB --format pdf
expect_status 2 "bad --format:"
run "$DBOPT" report -d $DB -o "$SCRATCH/no/such/dir/r.html"
expect_status 3 "unwritable file:"
expect_err "could not write \"$SCRATCH/no/such/dir/r.html\"" "unwritable file:"
fresh_db cli_report_none
run "$DBOPT" report -d cli_report_none
expect_status 3 "no extension:"
expect_err "the dbopt extension is not installed" "no extension:"
run "$DBOPT" report -d $DB --since 2026-01-01 -F markdown
expect_status 0 "--since a date:"
expect_out "window since 2026-01-01 00:00 UTC" "--since a date:"

# A source that is missing (an older dbopt) or not readable: not available, with the reason.
fresh_db cli_report_old with_extension
sql cli_report_old "ALTER EXTENSION dbopt DROP FUNCTION dbopt_antipatterns(); DROP FUNCTION dbopt_antipatterns()"
run "$DBOPT" report -d cli_report_old -F markdown
expect_status 0 "missing function:"
expect_out "dbopt\\_antipatterns() not available: dbopt\\_antipatterns() is not in this database's dbopt extension" "missing function:"
psql -X -q -d postgres -c "SET client_min_messages = warning" -c "DROP ROLE IF EXISTS cli_report_reader" \
  -c "CREATE ROLE cli_report_reader LOGIN" >/dev/null
run "$DBOPT" report -d $DB -U cli_report_reader -F html
expect_status 0 "not readable:"
expect_out "Not available: permission denied for table snapshot" "not readable:"

# (b) History: a workload, snapshots around it, an index built in between.
psql -X -q -v ON_ERROR_STOP=1 -d $DB >/dev/null <<'SQL'
CREATE TABLE report_orders (id int PRIMARY KEY, customer_id int NOT NULL, note text);
INSERT INTO report_orders SELECT g, g % 500 + 1, 'note ' || g FROM generate_series(1, 20000) g;
CREATE TABLE report_customers (id int PRIMARY KEY, name text);
INSERT INTO report_customers SELECT g, 'c' || g FROM generate_series(1, 500) g;
ALTER TABLE report_orders ADD FOREIGN KEY (customer_id) REFERENCES report_customers;
ANALYZE;
SQL
workload() {
  PGOPTIONS='-c dbopt.track=all' psql -X -q -v ON_ERROR_STOP=1 -d $DB -o /dev/null <<'SQL'
SELECT count(*) FROM report_orders WHERE customer_id = 7;
SELECT count(*) FROM report_orders WHERE customer_id = 8;
SELECT * FROM report_orders WHERE id = 42;
SELECT name FROM report_customers WHERE id = 3;
SELECT count(*) FROM report_orders WHERE note LIKE '%7<&>|%';
SQL
}
if has_function $DB dbopt_snapshot; then
  echo "# history from dbopt_snapshot()"
  workload
  sql $DB "SELECT skipped FROM dbopt_snapshot(health => true)" >/dev/null
  workload; workload
  sql $DB "SELECT skipped FROM dbopt_snapshot()" >/dev/null
  sql $DB "CREATE INDEX report_orders_customer_id_idx ON report_orders (customer_id)"
  workload; workload; workload
  sql $DB "SELECT skipped FROM dbopt_snapshot()" >/dev/null
else
  echo "# dbopt_snapshot() is not in this dbopt yet: history rows written directly"
  workload
  sql $DB "CREATE INDEX report_orders_customer_id_idx ON report_orders (customer_id)"
  psql -X -q -v ON_ERROR_STOP=1 -d $DB >/dev/null <<'SQL'
CREATE TEMP TABLE s AS
SELECT n, nextval('snapshot_id_seq') AS id, now() - (3 - n) * interval '15 minutes' AS t
  FROM generate_series(1, 3) n;
ALTER TABLE s ADD COLUMN slot smallint;
UPDATE s SET slot = (floor(extract(epoch FROM t) / 86400)::bigint % 32)::smallint;
INSERT INTO snapshot (snapshot_id, slot, taken_at, sources, previous_id, queries, relations, indexes, findings)
SELECT id, slot, t, '{counters,antipatterns,health}', lag(id) OVER (ORDER BY n), 2, 2, 3, 1 FROM s;
INSERT INTO snapshot_query_text (dbid, queryid, query)
SELECT d.oid, q.queryid, q.query FROM pg_database d,
  (VALUES (101, 'SELECT count(*) FROM report_orders WHERE customer_id = $1'),
          (102, 'SELECT * FROM report_orders WHERE note LIKE $1 AND x < 1 | 2')) q(queryid, query)
 WHERE d.datname = current_database();
INSERT INTO snapshot_query (snapshot_id, slot, userid, dbid, toplevel, queryid, origin, calls,
                            total_exec_time, rows, calls_delta, exec_time_delta, rows_delta)
SELECT s.id, s.slot, 10, d.oid, true, q.queryid, 'client', 10 * s.n, q.ms * s.n, s.n, 10, q.ms / s.n, 1
  FROM s, pg_database d, (VALUES (101, 40.0), (102, 25.0)) q(queryid, ms)
 WHERE d.datname = current_database();
INSERT INTO snapshot_index (snapshot_id, slot, indexrelid, index_name, relation, idx_scan, size_bytes, idx_scan_delta)
SELECT s.id, s.slot, i.indexrelid, i.indexrelid::regclass::text, i.indrelid::regclass::text, 5 * s.n,
       pg_relation_size(i.indexrelid), CASE WHEN s.n > 1 THEN 5 * s.n END
  FROM s, pg_index i WHERE i.indrelid IN ('report_orders'::regclass, 'report_customers'::regclass);
INSERT INTO snapshot_finding (snapshot_id, slot, source, check_id, severity, object_type, object_name, message)
SELECT id, slot, 'health', 'fk_unindexed', 'warning', 'constraint', 'public.report_orders.fk',
       'foreign key without index <&> | pipes' FROM s WHERE n < 3
UNION ALL
SELECT id, slot, 'health', 'table_no_primary_key', 'info', 'table', 'public.t', 'no key' FROM s;
SQL
fi

run "$DBOPT" report -d $DB -o "$ARTIFACTS/history.html"
expect_status 0 "history:"
html=$(cat "$ARTIFACTS/history.html")
grep -q 'id="no-history"' <<<"$html" && fail "history: no callout once there is history" || ok
dom=$(chromium_run --dump-dom "file://$ARTIFACTS/history.html")
status=$?
expect_status 0 "history: chromium --dump-dom"
list=$(charts <<<"$dom")
echo "$list" | sed 's/^/# chart /'
(($(chart_points "$list" chart-index-usage) + 0 > 0)) && ok || fail "history: index usage points: $list"
(($(chart_points "$list" chart-findings) + 0 > 0)) && ok || fail "history: findings bars: $list"
for fn_chart in dbopt_workload_trend:chart-workload-total dbopt_query_trend:chart-top-queries; do
  if has_function $DB "${fn_chart%%:*}"; then
    (($(chart_points "$list" "${fn_chart#*:}") + 0 > 0)) && ok || fail "history: ${fn_chart#*:} points: $list"
  else
    grep -q "Not available: ${fn_chart%%:*}() is not in this database" <<<"$dom" && ok ||
      fail "history: ${fn_chart%%:*} missing is said"
  fi
done
grep -q "report_orders_customer_id_idx" <<<"$dom" && ok || fail "history: the new index is in the usage chart"
grep -q '<script' <<<"$dom" && fail "history: no script in the rendered DOM" || ok

shot=$ARTIFACTS/history.png
rm -f "$shot"
chromium_run --screenshot="$shot" --window-size=1280,2000 "file://$ARTIFACTS/history.html" >/dev/null
status=$?
expect_status 0 "history: chromium --screenshot"
if [[ -s $shot ]]; then
  # Width, height, distinct colors, and the pixels of the palette's first color (the first line
  # of each line chart).
  pixels=$(python3 "$PNGCHECK" "$shot" '#0072B2')
  read -r width height colors <<<"$(head -1 <<<"$pixels")"
  blue=$(awk 'NR == 2 { print $2 }' <<<"$pixels")
  echo "# screenshot $shot: ${width}x$height, $colors colors, $blue pixels of #0072B2, $(stat -c %s "$shot") bytes"
  [[ $width == 1280 && $height == 2000 ]] && ok || fail "history: screenshot size ${width}x$height"
  ((colors > 50)) && ok || fail "history: the screenshot has $colors colors only"
  ((blue > 100)) && ok || fail "history: the charts' lines are painted ($blue pixels of #0072B2)"
else
  fail "history: no screenshot written (chromium log: $(tail -3 "$SCRATCH/chromium.log"))"
fi

run "$DBOPT" report -d $DB -o "$ARTIFACTS/history.md"
expect_status 0 "history markdown:"
md=$(cat "$ARTIFACTS/history.md")
grep -q '^## Index usage over time' <<<"$md" && ok || fail "history markdown: index usage"
grep -q 'report\\_orders\\_customer\\_id\\_idx' <<<"$md" && ok || fail "history markdown: the index, escaped"
echo "# report artifacts: $ARTIFACTS (screenshot: $shot)"
finish
