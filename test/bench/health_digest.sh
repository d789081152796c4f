#!/usr/bin/env bash
# Output check for speed work on dbopt_health(): the md5 of every row of
# `SELECT * FROM dbopt_health()` and of `SELECT * FROM dbopt_check_fk_coverage()` on the
# benchmark database kept by `health_catalog.sh --keep-db`, whole rows ordered by their text,
# with what changes from call to call masked, then sorted (the statistics' age in the evidence and in the
# messages). Two builds that print the same digests return the same findings byte for byte.
#
# Usage: test/bench/health_digest.sh [--dir DIR] [--port N] [--keep FILE_PREFIX]
#   --dir DIR   the kept cluster (default /tmp/dbopt-bench-PORT); started if it is not running
#               and stopped again afterwards
#   --port N    as for health_catalog.sh (default $DBOPT_TEST_PORT or 55439)
#   --keep P    also write the masked rows to P.health.txt and P.fk.txt (diff two builds)
# PG_CONFIG selects the PostgreSQL installation (its dbopt.so is the one run).
set -euo pipefail
source "$(dirname "$0")/../../scripts/lib.sh"

port=${DBOPT_TEST_PORT:-55439} dir="" keep=""
while (($#)); do
  case $1 in
    --dir) dir=${2:?}; shift ;;
    --port) port=${2:?}; shift ;;
    --keep) keep=${2:?}; shift ;;
    -h | --help) sed -n '2,/^# PG_CONFIG/p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
dir=${dir:-/tmp/dbopt-bench-$port}
[[ -f $dir/data/PG_VERSION ]] || { echo "no kept cluster in $dir: run health_catalog.sh --keep-db first" >&2; exit 1; }

started=false
if ! as_cluster_user "$PG_BIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
  as_cluster_user "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w start \
    -o "-p $port -k $dir -c shared_preload_libraries=dbopt,pg_stat_statements" >/dev/null ||
    { tail -n 30 "$dir/server.log"; exit 1; }
  started=true
fi
work=$(mktemp -d /tmp/dbopt-digest.XXXXXX)
cleanup() {
  rm -rf "$work"
  if $started; then as_cluster_user "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

psql_rows() {
  "$PG_BIN/psql" -X -q -At -v ON_ERROR_STOP=1 -h "$dir" -p "$port" -U postgres -d dbopt_bench \
    -c "$1" | sed -E 's/("+stats_age_seconds"+): [^,}]*/\1: AGE/g;
                       s/\(([0-9]+|less than one) (second|minute|hour|day)s? ago\)/(AGE ago)/g' |
    LC_ALL=C sort
}
psql_rows "SELECT t::text FROM dbopt_health() t ORDER BY 1" >"$work/health.txt"
psql_rows "SELECT t::text FROM dbopt_check_fk_coverage() t ORDER BY 1" >"$work/fk.txt"
if [[ -n $keep ]]; then cp "$work/health.txt" "$keep.health.txt"; cp "$work/fk.txt" "$keep.fk.txt"; fi
printf 'dbopt_health():           %s rows, md5 %s\n' "$(wc -l <"$work/health.txt")" "$(md5sum <"$work/health.txt" | cut -c1-32)"
printf 'dbopt_check_fk_coverage(): %s rows, md5 %s\n' "$(wc -l <"$work/fk.txt")" "$(md5sum <"$work/fk.txt" | cut -c1-32)"
