#!/usr/bin/env bash
# Quality of the index advisor on a decision-support workload (not run in CI). Generates the
# star schema of advisor_quality.sql (~1 GB at --scale 1) and the 22 weighted statements of
# advisor_quality_workload.sql, captures the workload (each statement as often as its calls),
# then at several storage budgets compares
#   dbopt      dbopt_recommend_indexes(budget, max_indexes => NULL)
#   extend     the same with algorithm => 'extend' (Schlosser et al.)
#   qualstats  pg_qualstats_index_advisor() after one run of every statement with pg_qualstats
#              preloaded (sample_rate 1), its list kept in its own order, each index taken
#              while it still fits the budget (skipped otherwise)
#   every_col  one single-column B-tree on every column pg_qualstats saw in a filter or join
#              condition (not already the leading column of an index), taken most-called
#              first (the calls of the statements naming the column), then smallest first,
#              each while it fits the budget
# all under one cost model: dbopt's what-if engine (dbopt_whatif), sum over the statements of
# calls x planner cost with the set's indexes, sizes from dbopt_hypothetical_index_size.
# Then creates each set for real at --exec-budget (VACUUM ANALYZE after), runs the workload
# --reps times (each statement once per repetition; between sets the indexes are dropped, and
# the no-index run is repeated at the end) and reports calls x median time.
#
# Usage: test/bench/advisor_quality.sh [--scale N] [--port N] [--keep-db] [--reps N]
#                                      [--exec-budget SIZE] [--no-exec]
#   --scale N          size factor, decimals allowed (default 1: 842 MB, 1.5 M orders, ~6 M
#                      order lines; 1.2: about 1 GB)
#   --port N           port of the benchmark cluster (default 55450)
#   --keep-db          keep the cluster in /tmp/advisor-bench-PORT (stopped) and reuse it on the
#                      next run with --keep-db (no generation; the scale must match)
#   --reps N           repetitions of the timed workload per index set (default 3)
#   --exec-budget SIZE budget of the sets really built and timed (default 500MB; 'none' = no limit)
#   --no-exec          cost model only, no real indexes, no timings
#   --exec-only        with --keep-db: time the sets of the previous run (no capture, no advice)
# PG_CONFIG selects the PostgreSQL installation (dbopt must be installed there; pg_qualstats
# too for the qualstats and every_col baselines). The cluster runs under nice -n 10.
set -euo pipefail
source "$(dirname "$0")/../../scripts/lib.sh"
BENCH=$(cd "$(dirname "$0")" && pwd)

scale=1 port=55450 keep=false reps=3 exec_budget=500MB exec=true advise=true
while (($#)); do
  case $1 in
    --scale) scale=${2:?}; shift ;;
    --port) port=${2:?}; shift ;;
    --keep-db) keep=true ;;
    --reps) reps=${2:?}; shift ;;
    --exec-budget) exec_budget=${2:?}; shift ;;
    --no-exec) exec=false ;;
    --exec-only) advise=false ;;
    -h | --help) sed -n '2,/^# PG_CONFIG/p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
[[ $scale =~ ^[0-9]+(\.[0-9]+)?$ && ! $scale =~ ^0+(\.0*)?$ && $port =~ ^[0-9]+$ &&
  $reps =~ ^[1-9][0-9]*$ ]] ||
  { echo "--scale, --port and --reps take positive numbers" >&2; exit 2; }
renice -n 10 -p $$ >/dev/null # the cluster started below inherits it

qualstats=false
[[ -f $("$PG_CONFIG" --sharedir)/extension/pg_qualstats.control ]] && qualstats=true
preload=dbopt
$qualstats && preload=dbopt,pg_qualstats

WORK=/tmp/advisor-bench-$port
stop_cluster "$WORK" || true
fresh=true
if $keep && [[ -f $WORK/scale && $(cat "$WORK/scale") == "$scale" ]]; then
  fresh=false
  as_cluster_user "$PG_BIN/pg_ctl" -D "$WORK/data" -l "$WORK/server.log" -w start >/dev/null
else
  rm -rf "$WORK"
  start_cluster "$WORK" "$port" "shared_preload_libraries = '$preload'" "shared_buffers = '512MB'" \
    "work_mem = '64MB'" "maintenance_work_mem = '512MB'" "max_parallel_workers_per_gather = 0" \
    "max_parallel_maintenance_workers = 0" "jit = off" "max_wal_size = '4GB'" \
    "pg_qualstats.sample_rate = 1"
fi
if $keep; then
  trap 'as_cluster_user "$PG_BIN/pg_ctl" -D "$WORK/data" -m fast stop >/dev/null 2>&1 || true' EXIT
else
  trap 'stop_cluster "$WORK"; rm -rf "$WORK"' EXIT
fi
# Statements of this script are not workload: capture stays off except while capturing.
PSQL=(env PGOPTIONS="-c dbopt.track=none" "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$WORK" -p "$port" -U postgres -d postgres)

if $fresh; then
  "${PSQL[@]}" -c "CREATE EXTENSION dbopt; CREATE EXTENSION pg_trgm;"
  $qualstats && "${PSQL[@]}" -c "CREATE EXTENSION pg_qualstats;"
  log "generating data (scale $scale)"
  start=$(date +%s)
  "${PSQL[@]}" -v scale="$scale" -f "$BENCH/advisor_quality.sql"
  echo "generation took $(($(date +%s) - start)) s"
  echo "$scale" >"$WORK/scale"
fi
"${PSQL[@]}" -c "\\dt+ ds.*" -c "SELECT pg_size_pretty(sum(pg_total_relation_size(c.oid))) AS ds_total
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE nspname = 'ds' AND relkind = 'r'"
if $advise || $fresh; then
"${PSQL[@]}" -f "$BENCH/advisor_quality_workload.sql"

# Capture: each statement as often as its calls, in PL/pgSQL (nested entries, one per
# statement): a cursor opened and closed goes through the executor (capture records a call
# and the statement's sample) without reading a row. pg_qualstats needs real executions: one
# run of every statement from psql, not captured by dbopt.
workload_sum=$(md5sum <"$BENCH/advisor_quality_workload.sql" | cut -c1-32)
entries=$("${PSQL[@]}" -At -c "SELECT count(*) FROM dbopt_queries WHERE origin = 'local'")
if ! $fresh && [[ $entries -gt 0 && -f $WORK/captured && $(cat "$WORK/captured") == "$workload_sum" ]]; then
  log "reusing the captured workload ($entries entries) and pg_qualstats' quals"
else
log "capturing the workload (cursors; pg_qualstats: one real run of every statement)"
"${PSQL[@]}" -c "SELECT dbopt_reset()"
$qualstats && "${PSQL[@]}" -c "SELECT pg_qualstats_reset()"
"${PSQL[@]}" -At -c "SELECT query || ';' FROM aq.workload ORDER BY n" >"$WORK/run_once.sql"
"${PSQL[@]}" -At -c "SELECT E'DO \$aq\$ DECLARE c refcursor; BEGIN\n' ||
         string_agg(format('FOR i IN 1 .. %s LOOP OPEN c FOR EXECUTE %L; CLOSE c; END LOOP;', calls, query), E'\n' ORDER BY n) ||
         E'\nEND \$aq\$;' FROM aq.workload" >"$WORK/capture.sql"
start=$(date +%s)
env PGOPTIONS="-c dbopt.track=none" "$PG_BIN/psql" -X -q -o /dev/null -v ON_ERROR_STOP=1 -h "$WORK" \
  -p "$port" -U postgres -d postgres -f "$WORK/run_once.sql"
echo "one run of every statement took $(($(date +%s) - start)) s"
env PGOPTIONS="-c dbopt.track=all -c pg_qualstats.enabled=off" "$PG_BIN/psql" -X -q -o /dev/null \
  -v ON_ERROR_STOP=1 -h "$WORK" -p "$port" -U postgres -d postgres -f "$WORK/capture.sql"
"${PSQL[@]}" -c "SELECT (SELECT count(*) FROM aq.workload) AS statements, (SELECT sum(calls) FROM aq.workload) AS calls,
         count(*) AS captured_entries, sum(calls) AS captured_calls,
         count(*) FILTER (WHERE NOT toplevel) AS nested_entries
    FROM dbopt_queries WHERE origin = 'local'"
# pg_qualstats keeps its quals in memory only: saved for reruns with --keep-db.
"${PSQL[@]}" -c "SET client_min_messages = warning; DROP SCHEMA IF EXISTS aqs CASCADE; CREATE SCHEMA aqs;
  CREATE TABLE aqs.quals (lrelid oid, lattnum smallint, rrelid oid, rattnum smallint);
  CREATE TABLE aqs.advice (advice json);"
if $qualstats; then
  "${PSQL[@]}" -c "INSERT INTO aqs.quals SELECT lrelid, lattnum, rrelid, rattnum FROM pg_qualstats();
    INSERT INTO aqs.advice SELECT pg_qualstats_index_advisor();"
fi
echo "$workload_sum" >"$WORK/captured"
fi

log "advising"
"${PSQL[@]}" -v qualstats="$qualstats" -f "$BENCH/advisor_quality_eval.sql"
fi

if $exec; then
  log "timing the workload with each set really built (budget $exec_budget, $reps repetitions)"
  "${PSQL[@]}" -v reps="$reps" -v budget="$exec_budget" -f "$BENCH/advisor_quality_exec.sql"
fi
