#!/usr/bin/env bash
# Workload anti-pattern detectors on a labelled workload (issue 5): several concurrent clients
# replay application traffic as ORMs send it (Rails, Django, SQLAlchemy and Hibernate statement
# shapes; prepared statements and `$1` binds over the extended protocol, values inlined by the
# client, autocommit and transaction per request, SAVEPOINTs), PL/pgSQL loops, and look-alikes
# of every anti-pattern (antipatterns_workload.py); then every detector that exists
# (dbopt_n_plus_one, dbopt_offset_pagination, dbopt_text_search,
# dbopt_unsafe_multi_step_writes, dbopt_large_results) is scored against the ground truth in
# antipatterns_truth.tsv (antipatterns_score.py): precision and recall per detector, every
# false positive and false negative. Not part of CI.
#
# Usage: test/bench/antipatterns_workload.sh [--clients N] [--requests N] [--seed N]
#        [--port N] [--keep DIR]
#   dbopt must be installed in the PostgreSQL that PG_CONFIG selects (as for scripts/test.sh);
#   needs psycopg 3 for Debian's python3 (apt-get install python3-psycopg).
set -euo pipefail
source "$(dirname "$0")/../../scripts/lib.sh"
BENCH=$(cd "$(dirname "$0")" && pwd)
PYTHON=/usr/bin/python3  # Debian's, where python3-psycopg installs

clients=6 requests=80 seed=1 port=${DBOPT_TEST_PORT:-55462} keep=""
while (($#)); do
  case $1 in
    --clients) clients=${2:?}; shift ;;
    --requests) requests=${2:?}; shift ;;
    --seed) seed=${2:?}; shift ;;
    --port) port=${2:?}; shift ;;
    --keep) keep=${2:?}; shift ;;
    -h | --help) sed -n '2,/^#   needs psycopg/p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
for v in "$clients" "$requests" "$seed" "$port"; do
  [[ $v =~ ^[0-9]+$ ]] || { echo "--clients, --requests, --seed and --port take numbers" >&2; exit 2; }
done
"$PYTHON" -c 'import psycopg' 2>/dev/null ||
  { echo "needs psycopg 3 for $PYTHON: apt-get install python3-psycopg" >&2; exit 2; }

WORK=$(mktemp -d /tmp/dbopt-antipatterns.XXXXXX)
chmod 755 "$WORK"
export PGHOST=$WORK PGPORT=$port PGUSER=postgres PGDATABASE=postgres
cleanup() {
  stop_cluster "$WORK"
  [[ -n $keep ]] && { mkdir -p "$keep" && cp "$WORK"/*.tsv "$WORK"/*.txt "$keep"/ 2>/dev/null || true; }
  rm -rf "$WORK"
}
trap cleanup EXIT

log "cluster in $WORK (port $port); $clients clients x $requests requests, seed $seed"
start_cluster "$WORK" "$port" || { tail -n 30 "$WORK/server.log"; exit 1; }
"$PYTHON" "$BENCH/antipatterns_workload.py" setup >"$WORK/setup.sql"
"$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -c "CREATE EXTENSION dbopt" -f "$WORK/setup.sql" >/dev/null
"$PG_BIN/psql" -X -q -c "SELECT dbopt_reset()" >/dev/null
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
start=$(date +%s)
"$PYTHON" "$BENCH/antipatterns_workload.py" run "$WORK" --clients "$clients" \
  --requests "$requests" --seed "$seed"
echo "workload ran in $(($(date +%s) - start)) s (load average $(cut -d' ' -f1-3 /proc/loadavg))"
"$PG_BIN/psql" -X -At -F ' ' -c "SELECT * FROM dbopt_n_plus_one_info()" >"$WORK/info.txt"
echo "N+1 detector: lost_events, dropped_loops, dropped_shapes = $(cat "$WORK/info.txt")"
echo "workload at commit $(git -C "$BENCH" rev-parse --short HEAD 2>/dev/null || echo unknown) (the extension: the one PG_CONFIG selects)"
"$PYTHON" "$BENCH/antipatterns_score.py" "$BENCH/antipatterns_truth.tsv" "$WORK/injected.tsv" \
  --summary "$WORK/summary.tsv" | tee "$WORK/score.txt"
