#!/usr/bin/env bash
# Accuracy of the what-if engine (not run in CI): builds the tables of whatif_accuracy.sql
# (uniform, skewed, duplicate-heavy and text columns; --scale rows in each large table), then for
# every case creates the index hypothetically and for real, one at a time, and reports
#   size:  dbopt's estimate / the real index's pg_relation_size (and HypoPG's, when installed)
#   cost:  planner total cost of the case's query with the hypothetical index (dbopt_whatif) /
#          with the real index (EXPLAIN after CREATE INDEX), and whether both plans use it
# with the median and worst deviation of each ratio.
#
# Usage: test/bench/whatif_accuracy.sh [--scale N] [--port N] [--keep] [--analyze]
#   --scale N   rows of the large tables (default 1000000; docs gets N/5)
#   --port N    port of the benchmark cluster (default 55441)
#   --keep      leave the cluster running in /tmp/whatif-bench-PORT (stop with pg_ctl)
#   --analyze   ANALYZE the table after creating each real index (expression indexes then
#               have statistics of their own, which no hypothetical index has)
# PG_CONFIG selects the PostgreSQL installation (dbopt must be installed there).
set -euo pipefail
source "$(dirname "$0")/../../scripts/lib.sh"

scale=1000000 port=55441 keep=false analyze=false
while (($#)); do
  case $1 in
    --scale) scale=${2:?}; shift ;;
    --port) port=${2:?}; shift ;;
    --keep) keep=true ;;
    --analyze) analyze=true ;;
    -h | --help) sed -n '2,/^# PG_CONFIG/p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
[[ $scale =~ ^[1-9][0-9]*$ && $port =~ ^[0-9]+$ ]] || { echo "--scale and --port take numbers" >&2; exit 2; }

WORK=/tmp/whatif-bench-$port
stop_cluster "$WORK" || true
rm -rf "$WORK"
start_cluster "$WORK" "$port" "maintenance_work_mem = '256MB'" "max_parallel_maintenance_workers = 0"
$keep || trap 'stop_cluster "$WORK"; rm -rf "$WORK"' EXIT
PSQL=("$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$WORK" -p "$port" -U postgres -d postgres)

hypopg=false
if [[ -f $("$PG_CONFIG" --sharedir)/extension/hypopg.control ]]; then hypopg=true; fi
"${PSQL[@]}" -c "CREATE EXTENSION dbopt; CREATE EXTENSION pg_trgm;"
$hypopg && "${PSQL[@]}" -c "CREATE EXTENSION hypopg;"
log "generating data (scale $scale)"
"${PSQL[@]}" -v scale="$scale" -f "$(dirname "$0")/whatif_accuracy.sql"

log "measuring"
"${PSQL[@]}" -v hypopg="$hypopg" -v analyze="$analyze" <<'SQL'
CREATE TABLE wb.results (n int, label text, real_bytes bigint, est_bytes bigint,
                         hypopg_bytes bigint, real_cost float8, whatif_cost float8,
                         real_uses boolean, whatif_uses boolean);
CREATE FUNCTION wb.plan_cost(query text, OUT cost float8, OUT uses boolean) LANGUAGE plpgsql AS $$
DECLARE plan json;
BEGIN
  EXECUTE 'EXPLAIN (FORMAT JSON) ' || query INTO plan;
  cost := (plan -> 0 -> 'Plan' ->> 'Total Cost')::float8;
  uses := plan::text LIKE '%"wb_i"%';
END $$;
CREATE FUNCTION wb.measure(with_hypopg boolean, with_analyze boolean) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE c record; est bigint; hypo bigint; w record; r record; real_size bigint; tbl text;
BEGIN
  FOR c IN SELECT * FROM wb.cases ORDER BY n LOOP
    est := dbopt_hypothetical_index_size(c.ddl);
    hypo := NULL;
    IF with_hypopg AND c.ddl NOT LIKE '%USING gin%' THEN  -- HypoPG has no GIN
      SELECT hypopg_relation_size(indexrelid) INTO hypo FROM hypopg_create_index(c.ddl);
      PERFORM hypopg_reset();
    END IF;
    SELECT cost_after, indexes_used::text LIKE '%<hypothetical>%' AS uses INTO w
      FROM dbopt_whatif(c.query, ARRAY[c.ddl]);
    EXECUTE c.ddl;
    real_size := pg_relation_size('wb.wb_i');
    IF with_analyze THEN
      SELECT indrelid::regclass::text INTO tbl FROM pg_index WHERE indexrelid = 'wb.wb_i'::regclass;
      EXECUTE 'ANALYZE ' || tbl;
    END IF;
    r := wb.plan_cost(c.query);
    DROP INDEX wb.wb_i;
    INSERT INTO wb.results VALUES (c.n, c.label, real_size, est, hypo, r.cost, w.cost_after,
                                   r.uses, w.uses);
  END LOOP;
END $$;
SELECT wb.measure(:'hypopg'::boolean, :'analyze'::boolean);
\pset footer off
SELECT label, pg_size_pretty(real_bytes) AS real_size,
       round(est_bytes::numeric / real_bytes, 3) AS dbopt_size_ratio,
       round(hypopg_bytes::numeric / real_bytes, 3) AS hypopg_size_ratio,
       round(real_cost::numeric, 1) AS real_cost,
       round((whatif_cost / real_cost)::numeric, 4) AS cost_ratio,
       real_uses, whatif_uses
  FROM wb.results ORDER BY n;
SELECT count(*) AS indexes,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY abs(est_bytes::float8 / real_bytes - 1))::numeric, 3)
         AS dbopt_size_median_dev,
       round(max(abs(est_bytes::float8 / real_bytes - 1))::numeric, 3) AS dbopt_size_worst_dev,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY abs(hypopg_bytes::float8 / real_bytes - 1))::numeric, 3)
         AS hypopg_size_median_dev,
       round(max(abs(hypopg_bytes::float8 / real_bytes - 1))::numeric, 3) AS hypopg_size_worst_dev,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY abs(whatif_cost / real_cost - 1))::numeric, 4)
         AS cost_median_dev,
       round(max(abs(whatif_cost / real_cost - 1))::numeric, 4) AS cost_worst_dev,
       count(*) FILTER (WHERE real_uses <> whatif_uses) AS plan_choice_differs
  FROM wb.results;
SQL
