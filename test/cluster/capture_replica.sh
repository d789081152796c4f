#!/usr/bin/env bash
# Capture on a real hot standby, and the workload carried to the primary: a primary and a
# streaming standby (pg_basebackup -R) both preload dbopt; a query runs only on the standby,
# against a table created on the primary after the base backup; the standby captures it
# (read-only: no WAL), keeps it across a clean restart (pg_stat/dbopt.stat is written
# locally), exports it (dbopt_export_workload), and the primary imports it under an origin
# label, access paths included.
# Run by scripts/test.sh (suite "cluster"); DBOPT_CLUSTER_PORT picks the primary's port,
# DBOPT_REPLICA_PORT the standby's (default: 9 above it).
set -uo pipefail
source "$(dirname "$0")/../../scripts/lib.sh"
PORT=${DBOPT_CLUSTER_PORT:-55499}
REPLICA_PORT=${DBOPT_REPLICA_PORT:-$((PORT + 9))}
DIR=$(mktemp -d /tmp/dbopt-replica.XXXXXX)
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
QUERY='SELECT id FROM replica_s WHERE v = $1'

p() { psql -X -q -At -h "$PRIMARY" -p "$PORT" -U postgres -d postgres -c "$1" 2>&1; }
s() { psql -X -q -At -h "$STANDBY" -p "$REPLICA_PORT" -U postgres -d postgres -c "$1" 2>&1; }
standby_ctl() {
  as_cluster_user "$PG_BIN/pg_ctl" -D "$STANDBY/data" -l "$STANDBY/server.log" -w "$@" >/dev/null
}
fail_with_logs() {
  echo "not ok - $1"
  tail -n 30 "$PRIMARY/server.log" "$STANDBY/server.log" 2>/dev/null
  exit 1
}

start_cluster "$PRIMARY" "$PORT" || fail_with_logs "primary did not start"
p "CREATE EXTENSION dbopt" >/dev/null

# The standby: a base backup with standby.signal and primary_conninfo (-R).
start_standby "$PRIMARY" "$PORT" "$STANDBY" "$REPLICA_PORT" || fail_with_logs "standby did not start"
check "the standby is in recovery" t "$(s "SELECT pg_is_in_recovery()")"
check "the standby streams from the primary" 1 \
  "$(p "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")"

# A table created on the primary after the base backup: it reaches the standby by streaming.
p "CREATE TABLE replica_s (id int PRIMARY KEY, v int)" >/dev/null
p "INSERT INTO replica_s SELECT i, i % 50 FROM generate_series(1, 5000) i" >/dev/null
p "CREATE INDEX replica_s_v_idx ON replica_s (v)" >/dev/null
p "ANALYZE replica_s" >/dev/null
lsn=$(p "SELECT pg_current_wal_lsn()")
replayed=f
for _ in $(seq 1 200); do
  replayed=$(s "SELECT coalesce(pg_last_wal_replay_lsn() >= '$lsn', false)")
  [[ $replayed == t ]] && break
  sleep 0.1
done
check "the standby replayed the primary's changes" t "$replayed"

# Queries on the standby only, every execution sampled.
for v in 3 4 5; do
  PGOPTIONS="-c dbopt.sample_rate=1" s "SELECT id FROM replica_s WHERE v = $v" >/dev/null
done
check "the standby captured the query" "local|3|300" \
  "$(s "SELECT origin, calls, rows FROM dbopt_queries WHERE query = '$QUERY'")"
check "with its access path" "public.replica_s|public.replica_s_v_idx|3" \
  "$(s "SELECT a.relation, a.index_name, a.samples FROM dbopt_access_paths a
          JOIN dbopt_queries q USING (userid, dbid, toplevel, queryid, origin)
         WHERE q.query = '$QUERY'")"
check "the primary never ran it" 0 "$(p "SELECT count(*) FROM dbopt_queries WHERE query = '$QUERY'")"

# A clean restart of the standby keeps its store (written to its own pg_stat/ at shutdown).
standby_ctl restart -m fast || fail_with_logs "standby did not restart"
check "the standby's store survives a clean restart" 3 \
  "$(s "SELECT calls FROM dbopt_queries WHERE query = '$QUERY'")"
grep -q "dbopt: loaded [0-9]* saved query entries" "$STANDBY/server.log"
check "the standby logged loading its saved store" 0 $?

# Export on the standby, import on the primary.
s "SELECT dbopt_export_workload()" >"$DIR/workload.json"
check "the export names the standby's query" 1 \
  "$(s "SELECT count(*) FROM jsonb_array_elements(dbopt_export_workload()->'entries') e
         WHERE e->>'query' = '$QUERY' AND e->>'database' = 'postgres'")"
import() { # origin (an SQL literal); the document goes in as a psql variable
  printf "SELECT dbopt_import_workload(:'doc'::jsonb, %s) > 0;\n" "$1" |
    psql -X -q -At -h "$PRIMARY" -p "$PORT" -U postgres -d postgres \
      -v doc="$(cat "$DIR/workload.json")" 2>&1
}
check "the primary imports the standby's workload" t "$(import "'standby1'")"
check "the query shows on the primary under its origin" "standby1|3|300" \
  "$(p "SELECT origin, calls, rows FROM dbopt_queries WHERE query = '$QUERY'")"
check "with its access path on the primary" "standby1|public.replica_s|public.replica_s_v_idx" \
  "$(p "SELECT q.origin, a.relation, a.index_name FROM dbopt_access_paths a
          JOIN dbopt_queries q USING (userid, dbid, toplevel, queryid, origin)
         WHERE q.query = '$QUERY'")"
check "with its qual shape (column v, equality to a constant)" "v|equality|constant" \
  "$(p "SELECT a.quals->0->>'column', a.quals->0->>'op', a.quals->0->>'compared_to'
          FROM dbopt_access_paths a JOIN dbopt_queries q USING (userid, dbid, toplevel, queryid, origin)
         WHERE q.query = '$QUERY' AND q.origin = 'standby1'")"
check "without an origin, the standby's label (host:port) names it" t "$(import NULL)"
check "the label is the standby's" "$(hostname):$REPLICA_PORT" \
  "$(p "SELECT origin FROM dbopt_queries WHERE query = '$QUERY' AND origin <> 'standby1'")"

check "no dbopt error or warning in the standby's log" 0 \
  "$(grep -cE '(ERROR|WARNING|PANIC).*dbopt|dbopt.*(ERROR|WARNING)' "$STANDBY/server.log")"

echo "capture_replica: $failures failed"
((failures == 0))
