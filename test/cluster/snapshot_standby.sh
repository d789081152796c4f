#!/usr/bin/env bash
# History snapshots where they cannot or can only partly be taken (docs/operations.md
# "Snapshots and retention"): on a hot standby dbopt_snapshot() and dbopt_purge() fail with
# 25006 and a hint; without dbopt in shared_preload_libraries a snapshot keeps the table and
# index statistics (and health findings), says so in a notice, and stores no query counters.
# Run by scripts/test.sh (suite "cluster"); DBOPT_CLUSTER_PORT picks the primary's port, the
# standby's is 8 above it.
set -uo pipefail
source "$(dirname "$0")/../../scripts/lib.sh"
PORT=${DBOPT_CLUSTER_PORT:-55499}
REPLICA_PORT=$((PORT + 8))
DIR=$(mktemp -d /tmp/dbopt-snapshot.XXXXXX)
chmod 755 "$DIR"
PRIMARY=$DIR/primary
STANDBY=$DIR/standby
cleanup() {
  stop_cluster "$STANDBY"
  stop_cluster "$PRIMARY"
  rm -rf "$DIR"
}
trap cleanup EXIT
failures=0

p() { psql -X -q -At -h "$PRIMARY" -p "$PORT" -U postgres -d postgres -c "$1" 2>&1; }
s() { psql -X -q -At -h "$STANDBY" -p "$REPLICA_PORT" -U postgres -d postgres -v VERBOSITY=verbose -c "$1" 2>&1; }
pgctl() { as_cluster_user "$PG_BIN/pg_ctl" -D "$1/data" -l "$1/server.log" -w "${@:2}" >/dev/null; }
fail_with_logs() {
  echo "not ok - $1"
  tail -n 30 "$PRIMARY/server.log" "$STANDBY/server.log" 2>/dev/null
  exit 1
}

start_cluster "$PRIMARY" "$PORT" || fail_with_logs "primary did not start"
p "CREATE EXTENSION dbopt" >/dev/null
p "CREATE TABLE snap_s (id int PRIMARY KEY, v int); INSERT INTO snap_s SELECT i, i FROM generate_series(1, 100) i" >/dev/null
check "a snapshot on the primary" f "$(p "SELECT skipped FROM dbopt_snapshot()")"
check "... with counters" "{counters,statistics,antipatterns}" "$(p "SELECT sources FROM snapshot")"

start_standby "$PRIMARY" "$PORT" "$STANDBY" "$REPLICA_PORT" || fail_with_logs "standby did not start"
check "the standby is in recovery" t "$(s "SELECT pg_is_in_recovery()")"
out=$(s "SELECT * FROM dbopt_snapshot()")
check "dbopt_snapshot() on a standby: 25006" 1 "$(grep -c 'ERROR:  25006: dbopt_snapshot() cannot run on a hot standby' <<<"$out")"
check "... with a hint" 1 "$(grep -c 'HINT:  Take snapshots on the primary' <<<"$out")"
out=$(s "SELECT * FROM dbopt_purge()")
check "dbopt_purge() on a standby: 25006" 1 "$(grep -c 'ERROR:  25006: dbopt_purge() cannot run on a hot standby' <<<"$out")"
check "the standby's history is the primary's, untouched" 1 "$(s "SELECT count(*) FROM snapshot")"
pgctl "$STANDBY" stop -m fast

# Without the preload: statistics only, a notice says what is missing.
echo "shared_preload_libraries = ''" | as_cluster_user tee -a "$PRIMARY/data/postgresql.conf" >/dev/null
pgctl "$PRIMARY" restart -m fast || fail_with_logs "primary did not restart"
out=$(p "SELECT skipped, queries, relations > 0, indexes > 0, resets FROM dbopt_snapshot()")
check "without the preload: a snapshot of what is available" "f|0|t|t|{}" "$(tail -n 1 <<<"$out")"
check "... with a notice saying what is missing" 1 \
  "$(grep -c "NOTICE:  dbopt is not in shared_preload_libraries: this snapshot holds table and index statistics, without the capture store's query counters and anti-pattern findings" <<<"$out")"
check "... sources: statistics only; no query rows; captured scans unknown" "{statistics}|0|t" \
  "$(p "SELECT s.sources, (SELECT count(*) FROM snapshot_query q WHERE q.snapshot_id = s.snapshot_id),
               (SELECT bool_and(r.captured_seq_scans IS NULL AND r.captured_index_scans IS NULL)
                  FROM snapshot_relation r WHERE r.snapshot_id = s.snapshot_id)
          FROM snapshot s ORDER BY snapshot_id DESC LIMIT 1")"
check "... the table's deltas are against the first snapshot" "0|f" \
  "$(p "SELECT seq_tup_read_delta, counters_reset FROM snapshot_relation WHERE relation = 'public.snap_s' AND snapshot_id = (SELECT max(snapshot_id) FROM snapshot)")"
check "health => true without the preload" "{statistics,health}" \
  "$(p "SELECT skipped FROM dbopt_snapshot(health => true)" >/dev/null; p "SELECT sources FROM snapshot ORDER BY snapshot_id DESC LIMIT 1")"
check "dbopt_purge() without the preload" "3|1" "$(p "SELECT snapshots_removed, slots_truncated FROM dbopt_purge('0')")"

exit $((failures > 0))
