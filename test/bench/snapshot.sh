#!/usr/bin/env bash
# Cost of dbopt_snapshot() on a 10,000-query capture store (docs/operations.md "Snapshots and
# retention"; goal: well under a second). A throwaway cluster with dbopt.max_queries = 12000
# gets TABLES tables of 101 columns and QUERIES distinct statements over them (SELECT a0..ak
# FROM bench_j WHERE id = $1, each run once, nested in DO blocks), then ROUNDS interleaved
# rounds time, in one connection each:
#   snapshot     SELECT * FROM dbopt_snapshot()            (steady state: texts already stored)
#   read_store   the store reads it is made of: dbopt_queries(false), dbopt_access_paths(),
#                pg_stat_user_tables/indexes                (the floor)
#   antipatterns SELECT count(*) FROM dbopt_antipatterns() (the detectors' share)
# plus the first snapshot (every text stored) once, and dbopt_snapshot(health => true) once.
# Then the history's growth per snapshot (bytes on disk of every history table, indexes and
# TOAST included, and the query rows written) in three cases: idle (no statement ran since the
# previous snapshot but the bench's own), ~5% of the QUERIES statements run again, all of them
# run again.
# Per statement: wall time (psql's \timing) and the backend's CPU time (user + system, from
# log_statement_stats: less sensitive to a loaded machine). Prints every round and the
# medians and ratios. Not part of CI.
#
# Usage: test/bench/snapshot.sh [--queries N] [--tables N] [--rounds N] [--port N]
# PG_CONFIG selects the PostgreSQL installation (with dbopt installed).
set -euo pipefail
source "$(dirname "$0")/../../scripts/lib.sh"

queries=10000 tables=100 rounds=9 port=${DBOPT_TEST_PORT:-55439}
while (($#)); do
  case $1 in
    --queries) queries=${2:?}; shift ;;
    --tables) tables=${2:?}; shift ;;
    --rounds) rounds=${2:?}; shift ;;
    --port) port=${2:?}; shift ;;
    -h | --help) sed -n '2,/^# PG_CONFIG/p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
dir=$(mktemp -d /tmp/dbopt-bench-snapshot.XXXXXX)
chmod 755 "$dir"
trap 'stop_cluster "$dir"; rm -rf "$dir"' EXIT
start_cluster "$dir" "$port" "dbopt.max_queries = $((queries + queries / 5))" "dbopt.text_memory = 32MB" \
  "shared_buffers = 256MB" || { cat "$dir/server.log"; exit 1; }
q() { "$PG_BIN/psql" -X -q -At -h "$dir" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 "$@"; }

q -c "CREATE EXTENSION dbopt" >/dev/null
q -c "DO \$\$
BEGIN
  FOR j IN 0..$tables - 1 LOOP
    EXECUTE format('CREATE TABLE bench_%s (id int PRIMARY KEY, %s)', j,
                   (SELECT string_agg('a' || c || ' int', ', ') FROM generate_series(0, 100) c));
    EXECUTE format('INSERT INTO bench_%s (id) SELECT generate_series(1, 100)', j);
    EXECUTE format('CREATE INDEX bench_%s_a0 ON bench_%s (a0)', j, j);
  END LOOP;
END \$\$" >/dev/null
q -c "ANALYZE" >/dev/null
q -c "SELECT dbopt_reset()" >/dev/null
# QUERIES distinct statements: table j = n % TABLES, column list a0..a(n / TABLES).
q -c "DO \$\$
BEGIN
  FOR n IN 0..$queries - 1 LOOP
    EXECUTE format('SELECT %s FROM bench_%s WHERE id = 1',
                   (SELECT string_agg('a' || c, ', ') FROM generate_series(0, n / $tables) c),
                   n % $tables);
  END LOOP;
END \$\$" >/dev/null
echo "store: $(q -c "SELECT entries || ' entries, ' || evictions || ' evictions' FROM dbopt_capture_info()"), $(q -c "SELECT count(*) FROM dbopt_access_paths()") access records, $(q -c "SELECT count(*) FROM pg_stat_user_tables") tables, $(q -c "SELECT count(*) FROM pg_stat_user_indexes") indexes"

# measure STATEMENT: "wall_ms cpu_ms" (psql's \timing; the backend's user + system CPU time
# from log_statement_stats).
measure() {
  local out
  out=$(PGOPTIONS="-c log_statement_stats=on -c client_min_messages=log" q -c '\timing on' -c "$1" 2>&1)
  awk '/^Time: / {ms = $2} /s user, .* s system, / && !/total/ {sub(/^!/, ""); cpu = 1000 * ($1 + $4)}
       END {printf "%s %.1f\n", ms, cpu}' <<<"$out"
}
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

read -r w c < <(measure "SELECT queries FROM dbopt_snapshot()")
echo "first snapshot (every text stored): wall $w ms, backend CPU $c ms"

declare -a sw sc rw rc aw ac
store_reads="SELECT (SELECT count(*) FROM dbopt_queries(false)), (SELECT count(*) FROM dbopt_access_paths()), (SELECT count(*) FROM pg_stat_user_tables), (SELECT count(*) FROM pg_stat_user_indexes)"
for ((r = 1; r <= rounds; r++)); do
  read -r w1 c1 < <(measure "SELECT duration_ms FROM dbopt_snapshot()")
  read -r w2 c2 < <(measure "$store_reads")
  read -r w3 c3 < <(measure "SELECT count(*) FROM dbopt_antipatterns()")
  sw+=("$w1") sc+=("$c1") rw+=("$w2") rc+=("$c2") aw+=("$w3") ac+=("$c3")
  printf 'round %d: snapshot %7.1f ms (CPU %6.1f)  read_store %7.1f ms (CPU %6.1f)  antipatterns %7.1f ms (CPU %6.1f)\n' \
    "$r" "$w1" "$c1" "$w2" "$c2" "$w3" "$c3"
done
m_sw=$(median "${sw[@]}") m_sc=$(median "${sc[@]}") m_rw=$(median "${rw[@]}") m_rc=$(median "${rc[@]}")
m_aw=$(median "${aw[@]}") m_ac=$(median "${ac[@]}")
echo "medians over $rounds rounds (wall / backend CPU, ms): snapshot $m_sw / $m_sc, read_store $m_rw / $m_rc, antipatterns $m_aw / $m_ac"
awk -v s="$m_sc" -v r="$m_rc" -v a="$m_ac" -v sw="$m_sw" -v rw="$m_rw" -v aw="$m_aw" \
  'BEGIN {printf "ratios (CPU): snapshot / read_store %.2f, snapshot / (read_store + antipatterns) %.2f; (wall): %.2f, %.2f\n", s / r, s / (r + a), sw / rw, sw / (rw + aw)}'
read -r w c < <(measure "SELECT findings FROM dbopt_snapshot(health => true)")
echo "snapshot with health => true: wall $w ms, backend CPU $c ms"
# Growth of the history per snapshot: bytes of every history table (all forks, indexes, TOAST).
history_bytes="SELECT sum(pg_total_relation_size(c.oid))::bigint FROM pg_class c WHERE c.relname LIKE 'snapshot%' AND c.relkind = 'r'"
rerun() { # MODULUS: run again the statements n with n % MODULUS = 0
  q -c "DO \$\$
BEGIN
  FOR n IN 0..$queries - 1 LOOP
    CONTINUE WHEN n % $1 <> 0;
    EXECUTE format('SELECT %s FROM bench_%s WHERE id = 1',
                   (SELECT string_agg('a' || c, ', ') FROM generate_series(0, n / $tables) c),
                   n % $tables);
  END LOOP;
END \$\$" >/dev/null
}
growth() { # LABEL: bytes and query rows the next snapshot adds
  local before after rows
  before=$(q -c "$history_bytes")
  rows=$(q -c "SELECT queries FROM dbopt_snapshot()")
  after=$(q -c "$history_bytes")
  printf 'growth, %-34s %9d bytes, %6d query rows\n' "$1:" $((after - before)) "$rows"
}
growth "idle"
rerun 20
growth "5% of the statements ran again"
rerun 1
growth "all statements ran again"
echo "history: $(q -c "SELECT count(*) || ' snapshots, ' || (SELECT count(*) FROM snapshot_query) || ' query rows, ' || pg_size_pretty((SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c WHERE c.relname LIKE 'snapshot%' AND c.relkind IN ('r', 'i'))::bigint) FROM snapshot")"
echo "load average during the run: $(cut -d' ' -f1-3 /proc/loadavg)"
