#!/usr/bin/env bash
# Capture overhead under concurrency (issue 3): pgbench throughput with no capture,
# pg_stat_statements alone and dbopt at its defaults, against one throwaway cluster, in
# interleaved rounds. Each round restarts the server once per configuration (the order rotates
# from round to round to spread machine noise) and runs, per configuration: select-only (-S)
# and TPC-B-like, simple and prepared (-M prepared) protocol, at each client count. Reported:
# every run's tps, and per configuration and test the median over rounds of the ratio
# tps(configuration) / tps(no capture) of the same round. Also the server's CPU time per
# transaction (the backends' user + system time, which the postmaster collects as its
# children's when they exit, divided by the transactions pgbench processed) and its median
# ratio to no capture: far less sensitive than tps to what else runs on the machine. Not part
# of CI.
#
# Usage: test/bench/capture_pgbench.sh [OPTIONS]
#   --rounds N       interleaved rounds (default 5)
#   --duration S     seconds per pgbench run (default 10)
#   --clients "A B"  client counts (default "2 16"); pgbench threads = min(clients, 2)
#   --scale N        pgbench -i scale (default 10)
#   --port N         port of the cluster (default $DBOPT_TEST_PORT or 55462)
#   --out FILE       also write the machine-readable summary (TSV) to FILE
#   --interleave rounds|tests
#                    rounds (default): per round, each configuration runs every test in turn
#                    (one server start per configuration and round); tests: per round, each
#                    test runs under every configuration in turn (one server start per run),
#                    so the runs compared are close in time
# dbopt must be installed in the PostgreSQL that PG_CONFIG selects (as for scripts/test.sh);
# pg_stat_statements comes with Debian's postgresql-15.
set -euo pipefail
source "$(dirname "$0")/../../scripts/lib.sh"

rounds=5 duration=10 clients="2 16" scale=10 port=${DBOPT_TEST_PORT:-55462} out="" interleave=rounds
while (($#)); do
  case $1 in
    --rounds) rounds=${2:?}; shift ;;
    --duration) duration=${2:?}; shift ;;
    --clients) clients=${2:?}; shift ;;
    --scale) scale=${2:?}; shift ;;
    --port) port=${2:?}; shift ;;
    --out) out=${2:?}; shift ;;
    --interleave) interleave=${2:?}; shift ;;
    -h | --help) sed -n '2,/^# pg_stat_statements comes/p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
[[ $interleave == rounds || $interleave == tests ]] || { echo "--interleave takes rounds or tests" >&2; exit 2; }
for v in "$rounds" "$duration" "$scale" "$port" $clients; do
  [[ $v =~ ^[1-9][0-9]*$ ]] || { echo "--rounds, --duration, --clients, --scale and --port take positive numbers" >&2; exit 2; }
done

WORK=$(mktemp -d /tmp/dbopt-pgbench.XXXXXX)
chmod 755 "$WORK"
export PGHOST=$WORK PGPORT=$port PGUSER=postgres
cleanup() { stop_cluster "$WORK"; rm -rf "$WORK"; }
trap cleanup EXIT

# Configurations: name and shared_preload_libraries. "none" loads nothing (dbopt.track does
# not apply without the library), "pgss" pg_stat_statements at its defaults (track = top),
# "dbopt" dbopt at its defaults (track = all, sample_rate = 0.1).
configs=(none pgss dbopt)
declare -A preload=([none]="" [pgss]="pg_stat_statements" [dbopt]="dbopt")

start_with() { # config
  as_cluster_user "$PG_BIN/pg_ctl" -D "$WORK/data" -l "$WORK/server.log" -w start \
    -o "-c shared_preload_libraries='${preload[$1]}'" >/dev/null ||
    { tail -n 30 "$WORK/server.log"; exit 1; }
}
stop_clean() { as_cluster_user "$PG_BIN/pg_ctl" -D "$WORK/data" -m fast -w stop >/dev/null; }

log "cluster in $WORK (port $port); pgbench -i -s $scale"
start_cluster "$WORK" "$port" "shared_buffers = 256MB" "max_connections = 60" ||
  { tail -n 30 "$WORK/server.log"; exit 1; }
"$PG_BIN/pgbench" -i -q -s "$scale" postgres >/dev/null 2>"$WORK/init.log" || { cat "$WORK/init.log"; exit 1; }
stop_clean
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

tests=()
for c in $clients; do
  for mode in select tpcb; do
    for proto in simple prepared; do tests+=("$mode/$proto/$c"); done
  done
done

RESULTS=$WORK/results.tsv # round config test tps cpu_us_per_transaction
# CPU time (clock ticks) of the postmaster and of its exited children: the backends.
server_ticks() {
  local pid stat
  pid=$(head -n 1 "$WORK/data/postmaster.pid")
  stat=$(</proc/"$pid"/stat)
  stat=${stat##*) } # fields from 3 on (the command name may hold spaces)
  awk '{print $12 + $13 + $14 + $15}' <<<"$stat"
}
hz=$(getconf CLK_TCK)
# The postmaster's children (exited ones too, until it has collected them).
server_children() { pgrep -c -P "$(head -n 1 "$WORK/data/postmaster.pid")" || true; }
# Waits (at most 10 s) until the postmaster has collected the backends of the last pgbench:
# as many children as before it ($1).
wait_backends() {
  for ((w = 0; w < 100; w++)); do
    (($(server_children) <= $1)) && return
    sleep 0.1
  done
}
: >"$RESULTS"
loads=()
# Starts the server with configuration $1 and checks that it loaded what was asked.
start_checked() {
  start_with "$1"
  actual=$("$PG_BIN/psql" -X -At -d postgres -c "SHOW shared_preload_libraries")
  [[ $actual == "${preload[$1]}" ]] || { echo "server started with '$actual', wanted '${preload[$1]}'" >&2; exit 1; }
}

# Runs test $3 (mode/protocol/clients) of round $1 against the running server of
# configuration $2; records tps and CPU time per transaction, and prints them.
run_test() {
  local mode proto c args children before tps xacts cpu
  IFS=/ read -r mode proto c <<<"$3"
  args=(-n -T "$duration" -c "$c" -j $((c < 2 ? c : 2)) -M "$proto")
  [[ $mode == select ]] && args+=(-S)
  children=$(server_children)
  before=$(server_ticks)
  "$PG_BIN/pgbench" "${args[@]}" postgres >"$WORK/pgbench.out" 2>"$WORK/pgbench.err" || true
  tps=$(awk '/^tps = /{print $3; exit}' "$WORK/pgbench.out")
  xacts=$(awk '/^number of transactions actually processed: /{print $6; exit}' "$WORK/pgbench.out")
  [[ -n $tps && -n $xacts ]] || { echo "pgbench failed ($2 $3):" >&2; cat "$WORK/pgbench.err" >&2; exit 1; }
  wait_backends "$children"
  cpu=$(awk -v t="$(($(server_ticks) - before))" -v hz="$hz" -v n="$xacts" 'BEGIN {printf "%.1f", (n > 0 ? t / hz * 1e6 / n : 0)}')
  printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$tps" "$cpu" >>"$RESULTS"
  printf ' %s=%s/%sus' "$3" "${tps%.*}" "$cpu"
}

# The order of the configurations, rotated by $1.
rotated() {
  local i
  for ((i = 0; i < ${#configs[@]}; i++)); do printf '%s ' "${configs[(i + $1) % ${#configs[@]}]}"; done
}

for ((r = 1; r <= rounds; r++)); do
  log "round $r/$rounds (load $(cut -d' ' -f1 /proc/loadavg))"
  loads+=("$(cut -d' ' -f1 /proc/loadavg)")
  if [[ $interleave == rounds ]]; then
    # Each configuration runs every test, then the next configuration.
    for cfg in $(rotated $((r - 1))); do
      start_checked "$cfg"
      line="$cfg:"
      for t in "${tests[@]}"; do line+=$(run_test "$r" "$cfg" "$t"); done
      echo "$line"
      stop_clean
    done
  else
    # Each test runs under every configuration (one restart each), then the next test: the
    # runs compared are minutes closer in time, so slow changes of the machine's load
    # weigh less.
    for ((k = 0; k < ${#tests[@]}; k++)); do
      t=${tests[k]}
      line="$t:"
      for cfg in $(rotated $((r - 1 + k))); do
        start_checked "$cfg"
        line+=" $cfg$(run_test "$r" "$cfg" "$t")"
        stop_clean
      done
      echo "$line"
    done
  fi
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

# Ratios per round to "none", then medians over rounds; "all@N" pools every test at N clients.
log "median over $rounds rounds of tps(config) / tps(none) in the same round"
summary=$(awk -F'\t' '
  function median(list,   n, a, i, j, t) {
    n = split(list, a, " ")
    for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  { tps[$1, $2, $3] = $4; cpu[$1, $2, $3] = $5; if (!($3 in seen)) { seen[$3] = 1; order[++nt] = $3 }; rounds[$1] = 1; cfgs[$2] = 1 }
  END {
    nc = split("none pgss dbopt", cl, " ")
    for (i = 1; i <= nt; i++) {
      t = order[i]; split(t, parts, "/")
      for (k = 1; k <= nc; k++) {
        c = cl[k]; rl = ""; tl = ""; ul = ""; ql = ""
        for (r in rounds) {
          tl = tl " " tps[r, c, t]; ul = ul " " cpu[r, c, t]
          if (tps[r, "none", t] > 0) { x = tps[r, c, t] / tps[r, "none", t]; rl = rl " " x; pooled[c, parts[3]] = pooled[c, parts[3]] " " x }
          if (cpu[r, "none", t] > 0) { x = cpu[r, c, t] / cpu[r, "none", t]; ql = ql " " x; cpooled[c, parts[3]] = cpooled[c, parts[3]] " " x }
        }
        printf "%s\t%s\t%.1f\t%.3f\t%.1f\t%.3f\n", t, c, median(tl), median(rl), median(ul), median(ql)
        if (!((c, parts[3]) in done)) { done[c, parts[3]] = 1; nclients[parts[3]] = 1 }
      }
    }
    for (n in nclients) for (k = 1; k <= nc; k++) printf "all@%s\t%s\t-\t%.3f\t-\t%.3f\n", n, cl[k], median(pooled[cl[k], n]), median(cpooled[cl[k], n])
  }' "$RESULTS")

printf '%-24s %-6s %12s %8s %14s %10s\n' test config "median tps" ratio "CPU us/xact" "CPU ratio"
while IFS=$'\t' read -r t c tps ratio us cratio; do
  printf '%-24s %-6s %12s %8s %14s %10s\n' "$t" "$c" "$tps" "$ratio" "$us" "$cratio"
done <<<"$summary"

log "summary (machine-readable)"
{
  echo "# capture_pgbench rounds=$rounds duration=$duration clients='$clients' scale=$scale interleave=$interleave loads='${loads[*]}'"
  echo "# test	config	median_tps	median_ratio_to_none	median_cpu_us_per_xact	median_cpu_ratio_to_none"
  echo "$summary"
  echo "# runs: round	config	test	tps	cpu_us_per_xact"
  sed 's/^/# /' "$RESULTS"
} | tee ${out:+"$out"}

# The goal of issue 3: at 16 clients, dbopt no more than 5 points below pg_stat_statements.
for n in $clients; do
  p=$(awk -F'\t' -v k="all@$n" '$1 == k && $2 == "pgss" {print $4}' <<<"$summary")
  d=$(awk -F'\t' -v k="all@$n" '$1 == k && $2 == "dbopt" {print $4}' <<<"$summary")
  verdict=$(awk -v p="$p" -v d="$d" 'BEGIN {printf "%+.1f points vs pg_stat_statements: %s", (d - p) * 100, (d >= p - 0.05 ? "within 5 points" : "MORE than 5 points below")}')
  echo "at $n clients: dbopt $d, pg_stat_statements $p, dbopt $verdict"
  p=$(awk -F'\t' -v k="all@$n" '$1 == k && $2 == "pgss" {print $6}' <<<"$summary")
  d=$(awk -F'\t' -v k="all@$n" '$1 == k && $2 == "dbopt" {print $6}' <<<"$summary")
  echo "at $n clients: server CPU per transaction vs no capture: dbopt $d, pg_stat_statements $p"
done
