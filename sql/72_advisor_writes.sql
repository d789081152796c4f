-- Write cost of dbopt_recommend_indexes_for(): no capture, so the tables' statistics counters
-- (n_tup_ins, n_tup_upd, n_tup_hot_upd, n_tup_del) per read of the table; 'auto' only for
-- tables read at least 1,000 times since the reset (below that the counters are the load).
-- Deletes are charged: the dead entries VACUUM must remove from each new index.
SET dbopt.sample_rate = 0;
CREATE SCHEMA advw;
CREATE TABLE advw.busy (id int PRIMARY KEY, grp int NOT NULL, note text);
CREATE TABLE advw.loaded (id int PRIMARY KEY, grp int NOT NULL, note text);
SELECT pg_stat_force_next_flush();
SELECT pg_stat_reset();
INSERT INTO advw.busy SELECT i, i % 100, 'n' FROM generate_series(1, 4000) i;
INSERT INTO advw.loaded SELECT i, i % 100, 'n' FROM generate_series(1, 4000) i;
ANALYZE advw.busy, advw.loaded;
-- Steady traffic on busy: 1,200 reads, updates and deletes.
DO $$
BEGIN
  FOR i IN 1..1200 LOOP
    PERFORM note FROM advw.busy WHERE id = i;
  END LOOP;
END $$;
UPDATE advw.busy SET note = 'm' WHERE id <= 400;
DELETE FROM advw.busy WHERE id > 3600;
SELECT pg_stat_force_next_flush();
SELECT relname, n_tup_ins, n_tup_upd, n_tup_del, seq_scan + idx_scan >= 1200 AS busy
  FROM pg_stat_user_tables WHERE schemaname = 'advw' ORDER BY relname;

-- The same recommendation each way; the write overhead follows the counters.
CREATE FUNCTION advw.overhead(query text, writes text)
RETURNS TABLE(index_name text, write_overhead double precision) LANGUAGE sql AS $$
  SELECT index_name, write_overhead FROM dbopt_recommend_indexes_for(ARRAY[query], writes => writes)
$$;
SELECT w.writes, o.index_name, o.write_overhead > 0 AS charged
  FROM unnest(ARRAY['none', 'auto', 'statistics']) AS w(writes),
       LATERAL advw.overhead('SELECT * FROM advw.busy WHERE grp = 7', w.writes) o
 ORDER BY 1;
SELECT (SELECT write_overhead FROM advw.overhead('SELECT * FROM advw.busy WHERE grp = 7', 'auto')) =
       (SELECT write_overhead FROM advw.overhead('SELECT * FROM advw.busy WHERE grp = 7', 'statistics'))
       AS auto_uses_counters;
-- Loaded and read rarely: 'auto' charges nothing; 'statistics' charges the whole load per
-- read, and the index is no longer worth it.
SELECT w.writes, o.index_name, o.write_overhead > 0 AS charged
  FROM unnest(ARRAY['none', 'auto', 'statistics']) AS w(writes),
       LATERAL advw.overhead('SELECT * FROM advw.loaded WHERE grp = 7', w.writes) o
 ORDER BY 1;
-- Bad values.
\set VERBOSITY default
SELECT * FROM dbopt_recommend_indexes_for(ARRAY['SELECT 1'], writes => 'sometimes');
SELECT * FROM dbopt_recommend_indexes_for(ARRAY['SELECT 1'], writes => NULL);
\set VERBOSITY terse
RESET dbopt.sample_rate;
DROP SCHEMA advw CASCADE;
