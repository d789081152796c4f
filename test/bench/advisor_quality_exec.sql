-- Execution part of test/bench/advisor_quality.sh: builds each advisor's set at budget :budget
-- for real (plain CREATE INDEX, then VACUUM ANALYZE), runs the workload :reps times (each
-- statement once per repetition), drops the set; the no-index run comes first and last.
SET search_path = public, pg_catalog;
SET pg_qualstats.enabled = off;
SET statement_timeout = '30min';
SET client_min_messages = warning;
DROP TABLE IF EXISTS aq.timings, aq.built;
CREATE TABLE aq.timings (advisor text, rep integer, n integer, ms float8);
CREATE TABLE aq.built (advisor text, indexes integer, bytes bigint, build_s float8);
CREATE OR REPLACE FUNCTION aq.time_workload(advisor text, rep integer) RETURNS void LANGUAGE plpgsql AS $$
DECLARE w record; t0 timestamptz;
BEGIN
  FOR w IN SELECT * FROM aq.workload ORDER BY n LOOP
    t0 := clock_timestamp();
    EXECUTE w.query;
    INSERT INTO aq.timings VALUES (advisor, rep, w.n, 1000 * extract(epoch FROM clock_timestamp() - t0));
  END LOOP;
END $$;
SELECT coalesce(nullif(:'budget', 'none'), 'unlimited') AS exec_label \gset

\set advisor none
\ir advisor_quality_exec_one.sql
\set advisor dbopt
\ir advisor_quality_exec_one.sql
\set advisor extend
\ir advisor_quality_exec_one.sql
\set advisor qualstats
\ir advisor_quality_exec_one.sql
\set advisor every_col
\ir advisor_quality_exec_one.sql
\set advisor none
\ir advisor_quality_exec_one.sql

\pset footer off
\echo actual time (budget :exec_label): calls x median ms per statement, summed
WITH med AS (SELECT advisor, n, percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS ms
               FROM aq.timings GROUP BY advisor, n),
     tot AS (SELECT advisor, sum(w.calls * ms) AS weighted, sum(ms) AS once
               FROM med JOIN aq.workload w USING (n) GROUP BY advisor)
SELECT t.advisor, b.indexes, pg_size_pretty(b.bytes) AS real_size, round(b.build_s::numeric, 1) AS build_s,
       round((t.weighted / 1000)::numeric, 1) AS weighted_s,
       round((100 * (1 - t.weighted / n.weighted))::numeric, 1) AS "weighted %",
       round((t.once / 1000)::numeric, 1) AS each_once_s,
       round((100 * (1 - t.once / n.once))::numeric, 1) AS "each once %"
  FROM tot t CROSS JOIN (SELECT * FROM tot WHERE advisor = 'none') AS n
  LEFT JOIN (SELECT advisor, max(indexes) AS indexes, max(bytes) AS bytes, max(build_s) AS build_s
               FROM aq.built GROUP BY advisor) AS b ON b.advisor = t.advisor
 ORDER BY array_position(ARRAY['none', 'dbopt', 'extend', 'qualstats', 'every_col'], t.advisor);

\echo per statement: median ms
SELECT n, max(w.calls) AS calls,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) FILTER (WHERE advisor = 'none')::numeric, 1) AS none,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) FILTER (WHERE advisor = 'dbopt')::numeric, 1) AS dbopt,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) FILTER (WHERE advisor = 'extend')::numeric, 1) AS extend,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) FILTER (WHERE advisor = 'qualstats')::numeric, 1) AS qualstats,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) FILTER (WHERE advisor = 'every_col')::numeric, 1) AS every_col
  FROM aq.timings JOIN aq.workload w USING (n) GROUP BY n ORDER BY n;
