#!/usr/bin/env bash
# The README's first command: installs what is missing, builds and installs dbopt, starts a
# throwaway cluster as an unprivileged user, loads a demo shop database with the usual schema
# mistakes (demo/), runs a little workload, prints dbopt's findings, then the index advisor's
# recommendations for that workload, applies them (dbopt advise --apply) and times the
# workload before and after, with a history snapshot around each timed run; ends by writing
# `dbopt report` (build/demo-report.html) and printing its path.
# Usage: scripts/demo.sh [--keep] [--fix] [--no-install] [--port N]
set -euo pipefail
source "$(dirname "$0")/lib.sh"

usage() {
  cat <<USAGE
usage: $0 [--keep] [--fix] [--no-install] [--port N]
  --keep        leave the cluster running and print how to connect to it
  --fix         apply every remediation statement, then show the report again
  --no-install  do not install packages, build or install (use what is installed)
  --port N      port of the throwaway cluster (default 55433)
USAGE
}

keep=false fix=false install=true port=${DBOPT_DEMO_PORT:-55433}
while (($#)); do
  case $1 in
    --keep) keep=true ;;
    --fix) fix=true ;;
    --no-install) install=false ;;
    --port) port=${2:?--port needs a number}; shift ;;
    --port=*) port=${1#--port=} ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
  shift
done
[[ $port =~ ^[0-9]+$ ]] || { echo "--port takes a number, not \"$port\"" >&2; exit 2; }

started=$SECONDS
if $install; then
  ensure_packages
  build_and_install
fi

WORK=$(mktemp -d /tmp/dbopt-demo.XXXXXX)
chmod 755 "$WORK"
DB=shop
export PGHOST=$WORK PGPORT=$port PGUSER=postgres PGDATABASE=$DB
cluster_up=false
DBOPT_CLI=""

cleanup() {
  local status=$?
  if $cluster_up && ! $keep; then
    stop_cluster "$WORK"
    rm -rf "$WORK"
  elif ! $cluster_up; then
    rm -rf "$WORK"
  fi
  if $keep && $cluster_up; then
    local stop="$PG_BIN/pg_ctl -D $WORK/data stop && rm -rf $WORK"
    [[ $(id -u) == 0 ]] && stop="runuser -u postgres -- $PG_BIN/pg_ctl -D $WORK/data stop && rm -rf $WORK"
    cat <<KEEP

The demo cluster is still running (--keep). Connect with:
  $PG_BIN/psql -h $WORK -p $port -U postgres $DB
  ${DBOPT_CLI:-dbopt} health --include-data 'host=$WORK port=$port user=postgres dbname=$DB'
Stop and remove it with:
  $stop
KEEP
  fi
  exit $status
}
trap cleanup EXIT

psql_q() { "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }

log "starting a throwaway cluster in $WORK (port $port, OS user $(cluster_user))"
if ! start_cluster "$WORK" "$port"; then
  cat "$WORK/server.log" 2>/dev/null
  exit 1
fi
cluster_up=true

log "creating the demo database \"$DB\" (demo/schema.sql, demo/data.sql)"
psql_q -d postgres -c "CREATE DATABASE $DB"
t0=$SECONDS
# The bulk load is not the application's traffic: dbopt does not capture it (the advisor
# would count its rows as writes every new index must keep up with).
PGOPTIONS="-c dbopt.track=none" psql_q -f "$DBOPT_ROOT/demo/schema.sql" -f "$DBOPT_ROOT/demo/data.sql"
echo "demo/invalid_index.sql (expected to fail and leave an invalid index behind):"
if psql_q -f "$DBOPT_ROOT/demo/invalid_index.sql" 2>&1 | sed 's/^/  /'; then :; fi
psql_q -c "VACUUM ANALYZE"
psql_q -At -c "SELECT format('%s tables, %s indexes, %s rows, %s', count(*) FILTER (WHERE c.relkind IN ('r', 'p')),
                 count(*) FILTER (WHERE c.relkind IN ('i', 'I')), sum(c.reltuples) FILTER (WHERE c.relkind = 'r')::bigint,
                 pg_size_pretty(pg_database_size(current_database())))
               FROM pg_class c WHERE c.relnamespace = 'shop'::regnamespace"
echo "loaded in $((SECONDS - t0)) s"

log "running a small workload (demo/workload.sql) so that statistics exist"
psql_q -o /dev/null -f "$DBOPT_ROOT/demo/workload.sql"
psql_q -c "CREATE EXTENSION dbopt"
# History for `dbopt report` at the end: a snapshot before and after each timed workload run
# (dbopt_snapshot(), docs/operations.md), so its charts have an interval before and after the
# advisor's indexes.
snapshot() { # [health]
  psql_q -At -c "SELECT 1 FROM pg_proc WHERE proname = 'dbopt_snapshot'" | grep -q 1 || return 0
  psql_q -o /dev/null -c "SELECT dbopt_snapshot(health => ${1:-false})"
}
snapshot true
workload_before=$(demo_workload_ms)  # timed again: the first run also warmed the caches
snapshot

# The dbopt CLI when it has the health command, else the same function through psql.
for candidate in "$PG_BIN/dbopt" "$(command -v dbopt || true)" "$DBOPT_ROOT/build/dbopt"; do
  if [[ -n $candidate && -x $candidate ]] && "$candidate" health --help >/dev/null 2>&1; then
    DBOPT_CLI=$candidate
    break
  fi
done

report() {
  if [[ -n $DBOPT_CLI ]]; then
    log "dbopt health --include-data"
    # Exit status 1 means "findings reported", which is what a demo is for.
    local status=0
    # dbopt's own statements are not the application's workload (the advisor comes next).
    PGOPTIONS="-c dbopt.track=none" "$DBOPT_CLI" health --include-data || status=$?
    ((status <= 1))
    return
  fi
  log "SELECT * FROM dbopt_health(include_data => true)"
  psql_q -P footer=off <<'SQL'
SELECT severity, check_id, object_name, message
FROM dbopt_health(include_data => true);
SELECT count(*) AS findings,
       count(*) FILTER (WHERE severity = 'critical') AS critical,
       count(*) FILTER (WHERE severity = 'warning') AS warning,
       count(*) FILTER (WHERE severity = 'info') AS info,
       coalesce(sum(cardinality(remediation)), 0) AS remediation_statements
FROM dbopt_health(include_data => true);
SQL
}

report

# The index advisor on the captured workload: recommendations, then built and recorded.
advise() {
  if [[ -n $DBOPT_CLI ]] && "$DBOPT_CLI" advise --help >/dev/null 2>&1; then
    log "dbopt advise --apply"
    local status=0
    "$DBOPT_CLI" advise --apply || status=$?
    ((status == 0)) || echo "(dbopt advise --apply exited with status $status)"
    return
  fi
  log "SELECT * FROM dbopt_recommend_indexes(), then each remediation statement"
  psql_q -P footer=off -c "SELECT rank, index_name, kind, pg_size_pretty(estimated_bytes) AS size,
                                  round(benefit) AS benefit, jsonb_array_length(queries) AS queries
                             FROM dbopt_recommend_indexes()"
  psql_q -At -c "SELECT s FROM dbopt_recommend_indexes() r, unnest(r.remediation) s" |
    while IFS= read -r statement; do echo "  $statement"; psql_q -c "$statement"; done
}
advise
psql_q -c "ANALYZE"
workload_after=$(demo_workload_ms)
snapshot true
log "the demo workload before and after the advisor's indexes"
awk -v b="$workload_before" -v a="$workload_after" 'BEGIN {
  printf "%d ms before, %d ms after: %.0f%% less (one run each; test/bench/advisor_demo.sh measures properly)\n",
         b, a, (b > 0 ? 100 * (1 - a / b) : 0) }'

if $fix; then
  log "--fix: running every remediation statement, one at a time, in autocommit"
  fix_sql=$WORK/fix.sql
  if [[ -n $DBOPT_CLI ]]; then
    "$DBOPT_CLI" health --include-data --format=sql >"$fix_sql" || (($? <= 1))
  else
    psql_q -At -o "$fix_sql" -c "SELECT s || ';' FROM dbopt_health(include_data => true) h,
                                   unnest(h.remediation) WITH ORDINALITY AS r(s, n)"
  fi
  grep -v -e '^--' -e '^$' "$fix_sql" | sed 's/^/  /'
  # One statement failing (for instance a drop already done by an earlier one) does not stop
  # the others; errors are shown.
  "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=0 -o /dev/null -f "$fix_sql" 2>&1 | sed 's/^/  /' || true
  psql_q -c "VACUUM ANALYZE"
  report
fi

# The history as a page: one self-contained HTML file (and Markdown for a ticket), kept in
# build/ after the cluster is gone.
if [[ -n $DBOPT_CLI ]] && "$DBOPT_CLI" report --help >/dev/null 2>&1; then
  log "dbopt report"
  mkdir -p "$DBOPT_ROOT/build"
  report_file=$DBOPT_ROOT/build/demo-report.html
  PGOPTIONS="-c dbopt.track=none" "$DBOPT_CLI" report -o "$report_file"
  PGOPTIONS="-c dbopt.track=none" "$DBOPT_CLI" report -o "${report_file%.html}.md"
fi

echo
echo "demo finished in $((SECONDS - started)) s"
[[ -n ${report_file:-} ]] && echo "report: file://$report_file (open it in a browser; Markdown: ${report_file%.html}.md)"
true
