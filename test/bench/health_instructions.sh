#!/usr/bin/env bash
# Deterministic cost of dbopt_health() on the benchmark database kept by
# `health_catalog.sh --keep-db`: the CPU instructions executed inside the function
# (valgrind --tool=callgrind --toggle-collect=dbopt_health), in single-user mode on that
# cluster (stopped first if it runs). The same build and database give the same count, which
# wall and CPU times on a shared machine do not. Takes about 1.5 minutes.
#
# Usage: test/bench/health_instructions.sh [OPTIONS]
#   --dir DIR        the kept cluster (default /tmp/dbopt-bench-PORT)
#   --port N         as for health_catalog.sh (default $DBOPT_TEST_PORT or 55439)
#   --query SQL      statement to run (default: SELECT count(*) FROM dbopt_health())
#   --top N          also list the N functions with the most inclusive instructions
#   --out FILE       keep the callgrind profile (callgrind_annotate FILE)
# PG_CONFIG selects the PostgreSQL installation (its dbopt.so is the one measured).
set -euo pipefail
source "$(dirname "$0")/../../scripts/lib.sh"

port=${DBOPT_TEST_PORT:-55439} dir="" top=0 out=""
query="SELECT count(*) FROM dbopt_health();"
while (($#)); do
  case $1 in
    --dir) dir=${2:?}; shift ;;
    --port) port=${2:?}; shift ;;
    --query) query="${2:?};"; shift ;;
    --top) top=${2:?}; shift ;;
    --out) out=${2:?}; shift ;;
    -h | --help) sed -n '2,/^# PG_CONFIG/p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
dir=${dir:-/tmp/dbopt-bench-$port}
[[ -f $dir/data/PG_VERSION ]] || { echo "no kept cluster in $dir: run health_catalog.sh --keep-db first" >&2; exit 1; }
command -v valgrind >/dev/null || { echo "needs valgrind (apt-get install valgrind)" >&2; exit 1; }

as_cluster_user "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
work=$(mktemp -d /tmp/dbopt-instr.XXXXXX)
trap 'rm -rf "$work"' EXIT
chmod 777 "$work"
echo "$query" >"$work/query.sql"
chmod 644 "$work/query.sql"
as_cluster_user valgrind --tool=callgrind --toggle-collect=dbopt_health \
  --callgrind-out-file="$work/profile" "$PG_BIN/postgres" --single -D "$dir/data" \
  -c shared_preload_libraries=dbopt dbopt_bench <"$work/query.sql" >"$work/stdout" 2>"$work/stderr" ||
  { tail -n 20 "$work/stderr"; exit 1; }
grep ' = "' "$work/stdout" | head -3 | sed 's/^[[:space:]]*/result: /'
printf 'instructions inside dbopt_health(): %s\n' "$(awk '/Collected/ {print $4}' "$work/stderr")"
if ((top > 0)); then
  callgrind_annotate --inclusive=yes "$work/profile" 2>/dev/null |
    awk '/^-+$/ {n++} n >= 4 && /^ *[0-9,]+ .*\[/ {print}' | grep -v '???:\|libc\.so\|ld-linux' |
    head -n "$top" | cut -c1-160
fi
[[ -z $out ]] || cp "$work/profile" "$out"
