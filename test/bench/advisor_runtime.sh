#!/usr/bin/env bash
# Runtime of the index advisor (not run in CI). Starts a throwaway cluster with dbopt
# preloaded, generates the workloads of advisor_runtime_gen.py (fixed seeds), runs each
# workload's queries once so that dbopt captures them (with replayable samples), and asks
# dbopt_recommendation_summary() for advice with algorithm dbopt and extend at three storage
# budgets (no limit, medium, small; max_indexes => NULL), --runs times interleaved:
#   (a) analytic: 20 analytic queries (joins, aggregates, range filters, ORDER BY LIMIT) over
#       four tables of 100k-1M rows (--scale 1)
#   (b) wide: 1,000 distinct query shapes over 100 tables of 2k-50k rows (--wide-queries)
#   (c) small: --small-seeds instances of two tables and four queries each, where
#       algorithm => 'exhaustive' is computable: dbopt's weighted cost vs the optimum
# Budgets: medium = 10% and small = 1% of the workload's heap size ((c): 50% and 20% of the
# bytes the unlimited optimum uses). Reports per workload, budget and algorithm the median
# elapsed_ms, planner_calls (deterministic), improvement_pct and candidates.
#
# Usage: test/bench/advisor_runtime.sh [--port N] [--runs N] [--scale F] [--wide-queries N]
#                                      [--small-seeds N] [--only analytic|wide|small]... [--keep]
#   --port N          port of the benchmark cluster (default 55440)
#   --runs N          runs of every configuration (default 3; medians reported)
#   --timeout S       statement_timeout of one advisor call in seconds (default 600)
#   --budgets "L..."  budgets of (a) and (b) among none medium small (default all three)
#   --keep            leave the cluster running in /tmp/advisor-runtime-PORT
# PG_CONFIG selects the PostgreSQL installation (dbopt must be installed there).
set -euo pipefail
source "$(dirname "$0")/../../scripts/lib.sh"
BENCH=$(cd "$(dirname "$0")" && pwd)

port=55440 runs=3 scale=1 wide_queries=1000 small_seeds=10 keep=false timeout=600
only=() budgets="none medium small"
while (($#)); do
  case $1 in
    --port) port=${2:?}; shift ;;
    --runs) runs=${2:?}; shift ;;
    --scale) scale=${2:?}; shift ;;
    --wide-queries) wide_queries=${2:?}; shift ;;
    --small-seeds) small_seeds=${2:?}; shift ;;
    --timeout) timeout=${2:?}; shift ;;
    --only) only+=("${2:?}"); shift ;;
    --budgets) budgets=${2:?}; shift ;;
    --keep) keep=true ;;
    -h | --help) sed -n '2,/^# PG_CONFIG/p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
((${#only[@]})) || only=(analytic wide small)
wants() { [[ " ${only[*]} " == *" $1 "* ]]; }

WORK=/tmp/advisor-runtime-$port
stop_cluster "$WORK" || true
rm -rf "$WORK"
start_cluster "$WORK" "$port" "max_locks_per_transaction = 1024" "dbopt.text_memory = '64MB'" \
  "shared_buffers = '256MB'" "max_parallel_workers_per_gather = 0"
$keep || trap 'stop_cluster "$WORK"; rm -rf "$WORK"' EXIT
GEN=$WORK/gen
mkdir -p "$GEN"
export PGOPTIONS="-c client_min_messages=warning"
psql_db() { "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$WORK" -p "$port" -U postgres -d "$@"; }
psql_db postgres -c "CREATE EXTENSION dbopt"

dbs=()
if wants analytic; then python3 "$BENCH/advisor_runtime_gen.py" analytic "$scale" "$GEN"; dbs+=(analytic); fi
if wants wide; then python3 "$BENCH/advisor_runtime_gen.py" wide "$wide_queries" "$GEN"; dbs+=(wide); fi
if wants small; then
  for seed in $(seq 1 "$small_seeds"); do
    python3 "$BENCH/advisor_runtime_gen.py" small "$seed" "$GEN"
    dbs+=("small$seed")
  done
fi

log "generating data: ${dbs[*]}"
for db in "${dbs[@]}"; do
  psql_db postgres -c "CREATE DATABASE $db"
  psql_db "$db" -c "CREATE EXTENSION dbopt" -f "$GEN/${db}_schema.sql" >/dev/null
done
log "running the workloads (captured by dbopt)"
psql_db postgres -c "SELECT dbopt_reset()" >/dev/null
for db in "${dbs[@]}"; do
  psql_db "$db" -f "$GEN/${db}_queries.sql" >/dev/null
done

psql_db postgres -c "CREATE TABLE results (workload text, budget_label text, budget text,
  algorithm text, run int, queries int, candidates int, recommendations int,
  cost_before float8, cost_after float8, improvement_pct float8, bytes_used bigint,
  planner_calls bigint, elapsed_ms float8)"

# advise DB LABEL BUDGET ALGORITHM RUN: one dbopt_recommendation_summary() call into results
# (no benefit floor: the search itself is measured, against the exhaustive optimum too).
advise() {
  local db=$1 label=$2 budget=$3 algorithm=$4 run=$5 row
  local budget_sql=NULL
  [[ $budget != none ]] && budget_sql="'$budget'"
  if row=$(psql_db "$db" -At -F ',' -c "SET statement_timeout = '${timeout}s'" -c "
      SELECT queries, candidates, recommendations, cost_before, cost_after, improvement_pct,
             bytes_used, planner_calls, elapsed_ms
        FROM dbopt_recommendation_summary(budget => $budget_sql, max_indexes => NULL,
                                          algorithm => '$algorithm',
                                          min_benefit_per_size => 0)" 2>"$WORK/advise.err"); then
    row=$(tail -n 1 <<<"$row")
  else
    echo "  $db $label $algorithm: $(head -n 1 "$WORK/advise.err")" >&2
    row=",,,,,,,,"
  fi
  psql_db postgres -c "INSERT INTO results VALUES ('$db', '$label', '$budget', '$algorithm',
    $run, $(sed 's/,,/,NULL,/g; s/,,/,NULL,/g; s/^,/NULL,/; s/,$/,NULL/' <<<"$row"))"
}

heap_budget() { # DB PERCENT -> bytes of PERCENT% of the workload's heap
  psql_db "$1" -At -c "SELECT (sum(pg_relation_size(c.oid)) * $2 / 100)::bigint
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')"
}

for db in analytic wide; do
  wants "$db" || continue
  medium=$(heap_budget "$db" 10) small=$(heap_budget "$db" 1)
  log "$db: budgets none, medium $medium B, small $small B; $runs runs"
  for run in $(seq 1 "$runs"); do
    for label in $budgets; do
      budget=none
      [[ $label == medium ]] && budget=$medium
      [[ $label == small ]] && budget=$small
      for algorithm in dbopt extend; do advise "$db" "$label" "$budget" "$algorithm" "$run"; done
    done
  done
done

if wants small; then
  log "small instances: dbopt and extend vs exhaustive"
  for seed in $(seq 1 "$small_seeds"); do
    db=small$seed
    advise "$db" none none exhaustive 1
    used=$(psql_db postgres -At -c "SELECT bytes_used FROM results WHERE workload = '$db'
                                     AND algorithm = 'exhaustive' AND budget_label = 'none'")
    [[ -n $used ]] || continue
    for label in none medium small; do
      budget=none
      [[ $label == medium ]] && budget=$((used / 2))
      [[ $label == small ]] && budget=$((used / 5))
      [[ $budget == 0 ]] && continue
      [[ $label != none ]] && advise "$db" "$label" "$budget" exhaustive 1
      for algorithm in dbopt extend; do advise "$db" "$label" "$budget" "$algorithm" 1; done
    done
  done
fi

log "results (medians over runs)"
psql_db postgres -P pager=off <<'SQL'
SELECT workload, budget_label AS budget, algorithm, count(*) AS runs, min(queries) AS queries,
       min(candidates) AS candidates, min(recommendations) AS recs,
       percentile_disc(0.5) WITHIN GROUP (ORDER BY elapsed_ms) AS median_ms,
       min(planner_calls) AS planner_calls, max(planner_calls) AS max_calls,
       min(improvement_pct) AS improvement_pct, round(min(cost_after)::numeric, 1) AS cost_after
  FROM results
 WHERE workload NOT LIKE 'small%'
 GROUP BY 1, 2, 3
 ORDER BY 1, array_position(ARRAY['none', 'medium', 'small'], budget_label), 3;

SELECT d.workload, d.budget_label AS budget, o.candidates, o.cost_after AS optimum,
       d.cost_after AS dbopt, round((100 * (d.cost_after / o.cost_after - 1))::numeric, 3) AS dbopt_gap_pct,
       e.cost_after AS extend, round((100 * (e.cost_after / o.cost_after - 1))::numeric, 3) AS extend_gap_pct,
       d.planner_calls AS dbopt_calls, o.planner_calls AS exhaustive_calls
  FROM results d
  JOIN results o ON o.workload = d.workload AND o.budget_label = d.budget_label AND o.algorithm = 'exhaustive'
  JOIN results e ON e.workload = d.workload AND e.budget_label = d.budget_label AND e.algorithm = 'extend'
 WHERE d.algorithm = 'dbopt' AND d.workload LIKE 'small%'
 ORDER BY length(d.workload), d.workload, array_position(ARRAY['none', 'medium', 'small'], d.budget_label);

SELECT count(*) AS small_comparisons,
       round(max(100 * (d.cost_after / o.cost_after - 1))::numeric, 3) AS dbopt_worst_gap_pct,
       round(avg(100 * (d.cost_after / o.cost_after - 1))::numeric, 3) AS dbopt_mean_gap_pct,
       count(*) FILTER (WHERE d.cost_after > e.cost_after * (1 + 1e-9)) AS dbopt_worse_than_extend
  FROM results d
  JOIN results o ON o.workload = d.workload AND o.budget_label = d.budget_label AND o.algorithm = 'exhaustive'
  JOIN results e ON e.workload = d.workload AND e.budget_label = d.budget_label AND e.algorithm = 'extend'
 WHERE d.algorithm = 'dbopt' AND d.workload LIKE 'small%';
SQL
psql_db postgres -At -c "COPY results TO STDOUT WITH (FORMAT csv, HEADER)" >"$WORK/../advisor-runtime-$port.csv"
echo "raw results: /tmp/advisor-runtime-$port.csv"
