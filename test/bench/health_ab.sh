#!/usr/bin/env bash
# Side-by-side timing of two dbopt.so builds on the benchmark database kept by
# `health_catalog.sh --keep-db`: rounds alternate the builds (A, B, A, B, ...), so both see
# the same machine load. Each turn installs that build's dbopt.so into the PostgreSQL of
# PG_CONFIG (atomically: a renamed file), restarts the kept cluster, opens one throw-away
# connection, then one connection that runs the query twice: the first call is the fresh
# connection's (a new backend: empty relation and catalog caches), the second the warm one.
# Per call: wall time (psql \timing) and the backend's user and system CPU time and minor page
# faults (log_statement_stats). Prints every turn and the medians per build. Leaves build B
# installed and the cluster stopped.
#
# Usage: test/bench/health_ab.sh [OPTIONS] A.so B.so
#   --rounds N       turns per build (default 5)
#   --dir DIR        the kept cluster (default /tmp/dbopt-bench-PORT)
#   --port N         as for health_catalog.sh (default $DBOPT_TEST_PORT or 55439)
#   --query SQL      statement to time (default: SELECT count(*) FROM dbopt_health())
# PG_CONFIG selects the PostgreSQL installation (its lib directory receives the builds).
set -euo pipefail
source "$(dirname "$0")/../../scripts/lib.sh"

rounds=5 port=${DBOPT_TEST_PORT:-55439} dir="" query="SELECT count(*) FROM dbopt_health()"
builds=()
while (($#)); do
  case $1 in
    --rounds) rounds=${2:?}; shift ;;
    --dir) dir=${2:?}; shift ;;
    --port) port=${2:?}; shift ;;
    --query) query=${2:?}; shift ;;
    -h | --help) sed -n '2,/^# PG_CONFIG/p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) builds+=("$1") ;;
  esac
  shift
done
((${#builds[@]} == 2)) && [[ -f ${builds[0]} && -f ${builds[1]} ]] ||
  { echo "give two dbopt.so files (see --help)" >&2; exit 2; }
dir=${dir:-/tmp/dbopt-bench-$port}
[[ -f $dir/data/PG_VERSION ]] || { echo "no kept cluster in $dir: run health_catalog.sh --keep-db first" >&2; exit 1; }
libdir=$("$PG_CONFIG" --pkglibdir)

stop() { as_cluster_user "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true; }
trap stop EXIT
work=$(mktemp -d /tmp/dbopt-ab.XXXXXX)
trap 'stop; rm -rf "$work"' EXIT

# One turn: prints "fresh_ms warm_ms fresh_user fresh_sys fresh_faults warm_user warm_sys warm_faults".
turn() {
  as_root cp "$1" "$libdir/dbopt.so.ab" && as_root mv -f "$libdir/dbopt.so.ab" "$libdir/dbopt.so"
  stop
  as_cluster_user "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w start \
    -o "-p $port -c shared_preload_libraries=dbopt" >/dev/null
  local psql=("$PG_BIN/psql" -X -q -h "$dir" -p "$port" -U postgres -d dbopt_bench)
  "${psql[@]}" -o /dev/null -c "SELECT 1"
  PGOPTIONS="-c log_statement_stats=on -c client_min_messages=log" \
    "${psql[@]}" -o /dev/null -c '\timing on' -c "$query" -c "$query" >"$work/out" 2>&1
  awk '/^Time: / {ms[++t] = $2}
       /s user, .* s system, / && !/total/ {sub(/^!/, ""); user[++u] = $1; sys[u] = $4}
       /page faults\/reclaims/ {sub(/^!/, ""); split($1, f, "/"); faults[++p] = f[2]}
       END {printf "%s %s %s %s %s %s %s %s\n", ms[1], ms[2], user[1], sys[1], faults[1],
            user[2], sys[2], faults[2]}' "$work/out"
}

median() { sort -n | awk '{v[NR] = $1} END {if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

log "$rounds rounds, builds alternated: A=${builds[0]} B=${builds[1]}"
printf '%-5s %-5s %10s %10s %10s %10s %8s %10s %10s %8s\n' round build fresh_ms warm_ms \
  fresh_usr fresh_sys f_faults warm_usr warm_sys w_faults
for ((r = 1; r <= rounds; r++)); do
  for b in 0 1; do
    label=$([[ $b == 0 ]] && echo A || echo B)
    line=$(turn "${builds[b]}")
    echo "$line" >>"$work/$label"
    # shellcheck disable=SC2086
    printf '%-5s %-5s %10s %10s %10s %10s %8s %10s %10s %8s\n' "$r" "$label" $line
  done
done
log "medians of $rounds turns"
for label in A B; do
  cols=()
  for c in 1 2 3 4 5 6 7 8; do cols+=("$(awk -v c=$c '{print $c}' "$work/$label" | median)"); done
  printf '%-5s %-5s %10s %10s %10s %10s %8s %10s %10s %8s\n' median "$label" "${cols[@]}"
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
