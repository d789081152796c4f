#!/usr/bin/env bash
# The index advisor on the demo workload (not run in CI): loads the demo shop (demo/, with
# `-v scale=N`: N times the orders, order lines, events... of scripts/demo.sh's database),
# runs its application traffic (demo/workload.sql) once so dbopt captures it, then, --reps
# times interleaved:
#   before: the workload's wall time without the advisor's indexes
#   apply:  the first time `dbopt advise --apply` (the CLI builds and records the indexes),
#           later the same statements again from dbopt's applied_index table; ANALYZE
#   after:  the workload's wall time with them; then their revert statements
# demo/restore.sql puts back the rows the workload deletes before every run, so every run
# checks the same foreign keys. Prints every run, the medians and the saving, and the
# heaviest statements of the last run before and after (dbopt top).
#
# Usage: test/bench/advisor_demo.sh [--scale N] [--reps N] [--port N] [--keep]
#   --scale N  demo data scale (default 10: about 3.7 million rows)
#   --reps N   interleaved before/after repetitions (default 5)
#   --port N   port of the benchmark cluster (default 55443)
#   --keep     leave the cluster running in /tmp/advisor-demo-PORT (stop with pg_ctl)
# PG_CONFIG selects the PostgreSQL installation (dbopt and its CLI must be installed there).
set -euo pipefail
source "$(dirname "$0")/../../scripts/lib.sh"

scale=10 reps=5 port=55443 keep=false
while (($#)); do
  case $1 in
    --scale) scale=${2:?}; shift ;;
    --reps) reps=${2:?}; shift ;;
    --port) port=${2:?}; shift ;;
    --keep) keep=true ;;
    -h | --help) sed -n '2,/^# PG_CONFIG/p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
[[ $scale =~ ^[1-9][0-9]*$ && $reps =~ ^[1-9][0-9]*$ && $port =~ ^[0-9]+$ ]] ||
  { echo "--scale, --reps and --port take numbers" >&2; exit 2; }
DBOPT_CLI=$PG_BIN/dbopt
[[ -x $DBOPT_CLI ]] || DBOPT_CLI=$DBOPT_ROOT/build/dbopt

WORK=/tmp/advisor-demo-$port
stop_cluster "$WORK" || true
rm -rf "$WORK"
start_cluster "$WORK" "$port" "shared_buffers = '256MB'" "max_parallel_maintenance_workers = 0"
$keep || trap 'stop_cluster "$WORK"; rm -rf "$WORK"' EXIT
export PGHOST=$WORK PGPORT=$port PGUSER=postgres PGDATABASE=shop
psql_q() { "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }
DEMO=$DBOPT_ROOT/demo

log "loading the demo shop at scale $scale"
t0=$SECONDS
psql_q -d postgres -c "CREATE DATABASE shop"
PGOPTIONS="-c dbopt.track=none" psql_q -v scale="$scale" -f "$DEMO/schema.sql" -f "$DEMO/data.sql"
psql_q -f "$DEMO/invalid_index.sql" 2>/dev/null || true
psql_q -c "VACUUM ANALYZE" -c "CREATE EXTENSION dbopt"
psql_q -At -c "SELECT format('%s rows, %s, loaded in %s s', sum(c.reltuples)::bigint,
                 pg_size_pretty(pg_database_size(current_database())), $SECONDS - $t0)
               FROM pg_class c WHERE c.relnamespace = 'shop'::regnamespace AND c.relkind = 'r'"


log "warm-up run (dbopt captures the workload)"
echo "warm-up: $(demo_workload_ms) ms"

statements() { # remediation | revert: every applied index's statements, in order
  local order=$([[ $1 == revert ]] && echo DESC || echo ASC)
  psql_q -At -c "SELECT s FROM applied_index a, unnest(a.$1) WITH ORDINALITY u(s, n)
                 ORDER BY a.apply_id $order, u.n"
}
run_each() { while IFS= read -r statement; do psql_q -c "$statement"; done; }

befores=() afters=()
for rep in $(seq "$reps"); do
  log "repetition $rep of $reps"
  psql_q -c "SELECT dbopt_reset()" >/dev/null
  before=$(demo_workload_ms)
  [[ $rep == "$reps" ]] && "$DBOPT_CLI" top --limit 8 --color never >"$WORK/top-before.txt"
  if [[ $rep == 1 ]]; then
    start=$(date +%s%N)
    # Exit 0: every recommendation built; the recommendations and outcomes to the log.
    "$DBOPT_CLI" advise --apply --color never >"$WORK/advise.txt"
    echo "dbopt advise --apply: $((($(date +%s%N) - start) / 1000000)) ms"
    cat "$WORK/advise.txt"
  else
    statements remediation | run_each
  fi
  psql_q -c "ANALYZE"
  psql_q -c "SELECT dbopt_reset()" >/dev/null
  after=$(demo_workload_ms)
  [[ $rep == "$reps" ]] && "$DBOPT_CLI" top --limit 8 --color never >"$WORK/top-after.txt"
  statements revert | run_each
  echo "before $before ms, after $after ms"
  befores+=("$before")
  afters+=("$after")
done

median() { printf '%s\n' "$@" | sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
mb=$(median "${befores[@]}")
ma=$(median "${afters[@]}")
log "heaviest statements of the last run before the indexes"
cat "$WORK/top-before.txt"
log "heaviest statements of the last run with the indexes"
cat "$WORK/top-after.txt"
log "result (scale $scale, $reps repetitions)"
echo "before: ${befores[*]} ms (median $mb)"
echo "after:  ${afters[*]} ms (median $ma)"
awk -v b="$mb" -v a="$ma" 'BEGIN {printf "total time on the demo workload: %.1f%% less (%.1fx faster)\n", 100 * (1 - a / b), b / a}'
