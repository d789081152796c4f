-- dbopt's own statements are not captured, through one mechanism (pg/internal_statement):
-- the depth the SQL-function guard enters. An error inside a what-if planning call (1/0 is
-- folded at plan time) or inside the advisor, caught by a savepoint, a PL/pgSQL EXCEPTION
-- block or the top level, never leaves the depth raised: capture goes on for the session.
SET dbopt.sample_rate = 1;
CREATE SCHEMA wce;
CREATE TABLE wce.t (a integer, b text);
INSERT INTO wce.t SELECT i, 'v' || i FROM generate_series(1, 2000) AS i;
ANALYZE wce.t;
SELECT dbopt_selftest('internal_depth');
-- At the top level.
SELECT * FROM dbopt_whatif('SELECT * FROM wce.t WHERE a = 1/0', ARRAY['CREATE INDEX ON wce.t (a)']);
SELECT dbopt_selftest('internal_depth');
SELECT count(*) AS wce_top FROM wce.t WHERE a = 7;
-- Under a savepoint, the advisor (its statements planned in subtransactions) failing.
BEGIN;
SAVEPOINT s;
SELECT * FROM dbopt_recommend_indexes_for(ARRAY['SELECT * FROM wce.t WHERE a = 1/0']);
ROLLBACK TO SAVEPOINT s;
SELECT dbopt_selftest('internal_depth');
SELECT count(*) AS wce_savepoint FROM wce.t WHERE a = 8;
COMMIT;
-- In a PL/pgSQL EXCEPTION block, then a statement of the same block: nested, captured.
DO $$
DECLARE
  n bigint;
BEGIN
  BEGIN
    PERFORM * FROM dbopt_whatif('SELECT * FROM wce.t WHERE a = 1/0',
                                ARRAY['CREATE INDEX ON wce.t (a)']);
  EXCEPTION WHEN division_by_zero THEN
    RAISE NOTICE 'caught: %', SQLERRM;
  END;
  SELECT count(*) INTO n FROM wce.t WHERE a = 9 AND b IS NOT NULL;
  RAISE NOTICE 'depth after the block: %', dbopt_selftest('internal_depth');
END $$;
-- A bad hypothetical index (rejected before planning) and a good call in one transaction.
BEGIN;
SELECT sqlstate_of($$SELECT * FROM dbopt_whatif('SELECT 1', ARRAY['CREATE INDEX ON wce.nope (a)'])$$);
SELECT indexes_used FROM dbopt_whatif('SELECT * FROM wce.t WHERE a = 10', ARRAY['CREATE INDEX ON wce.t (a)']);
SELECT count(*) AS wce_after_good FROM wce.t WHERE a = 10;
COMMIT;
-- Every workload statement above was captured; none of dbopt's own (the planned statements,
-- the advisor's catalog reads, the index samples).
SELECT query, calls, toplevel FROM dbopt_queries
 WHERE query LIKE '%wce%' AND query NOT LIKE '%dbopt_%' ORDER BY query;
SELECT count(*) AS dbopt_own FROM dbopt_queries
 WHERE query LIKE '%a = $1/$2%' OR query LIKE '%TABLESAMPLE%' OR query LIKE '%pg_catalog.pg_stats%';
RESET dbopt.sample_rate;
DROP SCHEMA wce CASCADE;
