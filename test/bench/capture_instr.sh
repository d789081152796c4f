#!/usr/bin/env bash
# Capture overhead in CPU instructions per statement (issue 3), deterministic: runs the
# shared tool instr_overhead.sh (callgrind on a single-user backend) for no preload,
# pg_stat_statements, pg_stat_statements + pg_qualstats (sample_rate 1), dbopt at its
# defaults and dbopt with dbopt.sample_rate = 1, over two workloads of pgbench-style
# primary-key lookups: the simple protocol (each statement parsed, planned, executed) and
# prepared statements (PREPARE once, then EXECUTE q(n) per line). Not part of CI.
#
# Usage: test/bench/capture_instr.sh [-n STATEMENTS] [--simple-only | --prepared-only]
#   PG_CONFIG (as for scripts/test.sh) selects the PostgreSQL whose binaries and dbopt.so are
#   measured; pg_qualstats must be installed there for its row (else that row fails).
#   INSTR_OVERHEAD: path of instr_overhead.sh (default: ../shared/tools next to the repo).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
tool=${INSTR_OVERHEAD:-$root/../shared/tools/instr_overhead.sh}
[[ -x $tool || -f $tool ]] || { echo "instr_overhead.sh not found at $tool (set INSTR_OVERHEAD)" >&2; exit 2; }
n=2000 protocols="simple prepared"
while (($#)); do
  case $1 in
    -n) n=${2:?}; shift ;;
    --simple-only) protocols=simple ;;
    --prepared-only) protocols=prepared ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
[[ $n =~ ^[1-9][0-9]*$ ]] || { echo "-n takes a positive number" >&2; exit 2; }
bindir=$("${PG_CONFIG:-pg_config}" --bindir)
export PATH=$bindir:$PATH

work=$(mktemp -d /tmp/dbopt-instr.XXXXXX)
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT
{
  echo "PREPARE q(int) AS SELECT abalance FROM pgbench_accounts WHERE aid = \$1;"
  for ((i = 1; i <= n; i++)); do echo "EXECUTE q($(((i * 7919) % 100000 + 1)));"; done
} >"$work/prepared.sql"
chmod 644 "$work/prepared.sql"

configs=(base= pgss=pg_stat_statements
  "pgss+qualstats=pg_stat_statements,pg_qualstats;-c pg_qualstats.sample_rate=1"
  dbopt=dbopt "dbopt_sample1=dbopt;-c dbopt.sample_rate=1")
echo "PostgreSQL: $bindir; load average $(cut -d' ' -f1-3 /proc/loadavg)"
for protocol in $protocols; do
  echo "== $protocol protocol, $n statements"
  if [[ $protocol == simple ]]; then
    bash "$tool" -n "$n" "${configs[@]}"
  else
    bash "$tool" -f "$work/prepared.sql" "${configs[@]}"
  fi
done
