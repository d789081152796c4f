#!/usr/bin/env bash
# Catalog benchmark of dbopt_health(): a database with 10,000 tables, 50,000 indexes and 20,000
# foreign keys (test/bench/health_catalog.sql), then SELECT count(*) FROM dbopt_health() timed
# in fresh connections (the first call in a new backend: cold caches) and in one warm
# connection, several runs each, with every run's time and the medians.
#
# Usage: test/bench/health_catalog.sh [OPTIONS]
#   --runs N         timed runs per mode (default 5)
#   --tables N       tables to generate (default 10000; indexes x5, foreign keys x2)
#   --query SQL      statement to time (default: SELECT count(*) FROM dbopt_health())
#   --keep-db        keep the cluster and its database in DIR (default /tmp/dbopt-bench-PORT)
#                    and reuse them on the next --keep-db run: generate once, then compare
#                    builds (install, rerun: the cluster is restarted, so the new dbopt.so is
#                    loaded, and the extension is re-created)
#   --dir DIR        directory of the kept cluster (implies --keep-db)
#   --regenerate     with --keep-db: drop the kept cluster and generate again
#   --server         use the running server named by PGHOST/PGPORT/PGUSER instead of starting
#                    one (creates database dbopt_bench there unless it exists; needs dbopt
#                    installed and a superuser)
#   --profile        also run the query once with pg_stat_statements.track = all and print the
#                    statements it ran through SPI, slowest first (where the time goes)
#   --install        install packages, build and install first, like scripts/test.sh
#   --port N         port of the benchmark cluster (default $DBOPT_TEST_PORT or 55439)
# PG_CONFIG selects the PostgreSQL installation, as for scripts/test.sh.
set -euo pipefail
source "$(dirname "$0")/../../scripts/lib.sh"

runs=5 tables=10000 keep=false regenerate=false server=false install=false profile=false dir=""
port=${DBOPT_TEST_PORT:-55439}
query="SELECT count(*) FROM dbopt_health()"
while (($#)); do
  case $1 in
    --runs) runs=${2:?}; shift ;;
    --tables) tables=${2:?}; shift ;;
    --query) query=${2:?}; shift ;;
    --keep-db) keep=true ;;
    --dir) dir=${2:?}; keep=true; shift ;;
    --regenerate) regenerate=true ;;
    --server) server=true ;;
    --install) install=true ;;
    --profile) profile=true ;;
    --port) port=${2:?}; shift ;;
    -h | --help) sed -n '2,/^# PG_CONFIG/p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
[[ $runs =~ ^[1-9][0-9]*$ && $tables =~ ^[1-9][0-9]*$ && $port =~ ^[0-9]+$ ]] ||
  { echo "--runs, --tables and --port take positive numbers" >&2; exit 2; }

if $install; then
  ensure_packages
  build_and_install
fi

DB=dbopt_bench
PSQL=("$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1)
WORK=""
cluster_up=false
if ! $server; then
  if $keep; then
    WORK=${dir:-/tmp/dbopt-bench-$port}
  else
    WORK=$(mktemp -d /tmp/dbopt-bench.XXXXXX)
  fi
  export PGHOST=$WORK PGPORT=$port PGUSER=postgres
fi

cleanup() {
  # A kept cluster is shut down cleanly (no crash recovery at the next start).
  if $cluster_up && $keep; then
    as_cluster_user "$PG_BIN/pg_ctl" -D "$WORK/data" -m fast -w stop >/dev/null 2>&1 || stop_cluster "$WORK"
  elif $cluster_up; then
    stop_cluster "$WORK"
  fi
  if ! $server && ! $keep && [[ -n $WORK ]]; then rm -rf "$WORK"; fi
}
trap cleanup EXIT

if ! $server; then
  if $keep && $regenerate && [[ -d $WORK ]]; then
    stop_cluster "$WORK"
    rm -rf "$WORK"
  fi
  if [[ -f $WORK/data/PG_VERSION ]]; then
    log "reusing the kept cluster in $WORK (port $port)"
    stop_cluster "$WORK" # left running by an interrupted run
    as_cluster_user "$PG_BIN/pg_ctl" -D "$WORK/data" -l "$WORK/server.log" -w start \
      -o "-p $port -c shared_preload_libraries=dbopt,pg_stat_statements" >/dev/null ||
      { tail -n 30 "$WORK/server.log"; exit 1; }
  else
    log "starting a cluster in $WORK (port $port)"
    mkdir -p "$WORK" && chmod 755 "$WORK"
    # shared_buffers large enough to hold the catalogs of 60,000 relations.
    # pg_stat_statements is there for --profile (its default track = top costs nothing here).
    start_cluster "$WORK" "$port" "shared_buffers = 512MB" "autovacuum = off" \
      "shared_preload_libraries = 'dbopt,pg_stat_statements'" ||
      { tail -n 30 "$WORK/server.log"; exit 1; }
  fi
  cluster_up=true
fi

generated=$("${PSQL[@]}" -d postgres -At -c "SELECT count(*) FROM pg_database WHERE datname = '$DB'")
if [[ $generated == 0 ]]; then
  log "generating $tables tables (test/bench/health_catalog.sql)"
  "${PSQL[@]}" -d postgres -c "CREATE DATABASE $DB"
  t0=$SECONDS
  "${PSQL[@]}" -d $DB -v tables="$tables" -v schemas=10 -f "$DBOPT_ROOT/test/bench/health_catalog.sql"
  # Let the catalogs settle: vacuum them once so every run reads the same pages.
  "${PSQL[@]}" -d $DB -c "VACUUM (ANALYZE) pg_catalog.pg_class, pg_catalog.pg_index, pg_catalog.pg_constraint, pg_catalog.pg_attribute, pg_catalog.pg_depend"
  echo "generated in $((SECONDS - t0)) s"
  "${PSQL[@]}" -d postgres -c "COMMENT ON DATABASE $DB IS 'tables=$tables'"
elif [[ $("${PSQL[@]}" -d postgres -At -c "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = '$DB'") != "tables=$tables" ]]; then
  echo "note: the kept database was not generated with --tables $tables; use --regenerate to rebuild it" >&2
fi
# Re-create the extension so a reused database gets the installed build's SQL definitions.
"${PSQL[@]}" -d $DB -c "SET client_min_messages = warning" -c "DROP EXTENSION IF EXISTS dbopt" -c "CREATE EXTENSION dbopt"

"${PSQL[@]}" -d $DB -At -F ' ' -c "
  SELECT format('database %s: %s tables (%s partitioned, %s partitions), %s indexes, %s foreign keys (%s pg_constraint rows)',
    current_database(),
    count(*) FILTER (WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition),
    count(*) FILTER (WHERE c.relkind = 'p'),
    count(*) FILTER (WHERE c.relispartition AND c.relkind = 'r'),
    count(*) FILTER (WHERE c.relkind IN ('i', 'I')),
    (SELECT count(*) FROM pg_constraint k WHERE k.contype = 'f' AND k.conparentid = 0
        AND k.connamespace::regnamespace::text LIKE 'bench\_%'),
    (SELECT count(*) FROM pg_constraint k WHERE k.contype = 'f'
        AND k.connamespace::regnamespace::text LIKE 'bench\_%'))
  FROM pg_class c WHERE c.relnamespace::regnamespace::text LIKE 'bench\_%'"
echo "query: $query"
"${PSQL[@]}" -d $DB -At -c "SELECT 'result: ' || ($query)::text" 2>/dev/null | head -1 || true

# psql's \timing prints "Time: 123.456 ms" (plus "(mm:ss.fff)" past a second).
times_of() { awk '/^Time: /{print $2}'; }
median() { sort -n | awk '{v[NR] = $1} END {if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

log "fresh connection: $runs runs (a new backend each: empty caches)"
fresh=()
for ((r = 1; r <= runs; r++)); do
  ms=$("${PSQL[@]}" -d $DB -o /dev/null -c '\timing on' -c "$query" | times_of)
  fresh+=("$ms")
  printf 'run %d: %s ms\n' "$r" "$ms"
done

log "warm connection: 1 warm-up call, then $runs runs in the same backend"
script=$({ echo '\timing on'; for ((r = 0; r <= runs; r++)); do echo "$query;"; done; })
mapfile -t all < <("${PSQL[@]}" -d $DB -o /dev/null <<<"$script" | times_of)
printf 'warm-up: %s ms\n' "${all[0]}"
warm=("${all[@]:1}")
for ((r = 1; r <= runs; r++)); do printf 'run %d: %s ms\n' "$r" "${warm[r - 1]}"; done

log "medians of $runs runs"
printf 'fresh connection: %s ms\n' "$(printf '%s\n' "${fresh[@]}" | median)"
printf 'warm connection:  %s ms\n' "$(printf '%s\n' "${warm[@]}" | median)"
if $profile; then
  log "profile: the statements one call runs (pg_stat_statements.track = all)"
  "${PSQL[@]}" -d $DB -o /dev/null -c "SET client_min_messages = warning" \
    -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" -c "SET pg_stat_statements.track = 'all'" -c "SELECT pg_stat_statements_reset()" -c "$query" &&
    "${PSQL[@]}" -d $DB -P footer=off -c "
      SELECT round(total_exec_time) AS ms, rows,
             left(regexp_replace(query, '\s+', ' ', 'g'), 110) AS statement
      FROM pg_stat_statements
      WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
        AND query !~* 'pg_stat_statements_reset'
      ORDER BY total_exec_time DESC LIMIT 12" ||
    echo "(needs pg_stat_statements in shared_preload_libraries)"
fi
if $keep; then echo "kept in $WORK: rerun with --keep-db${dir:+ --dir $dir} to reuse it, --regenerate to rebuild"; fi
