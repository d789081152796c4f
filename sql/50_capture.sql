-- Query capture: statements are counted per query id under a normalized text ($n for every
-- constant), sampled executions record each relation's access path, nested statements follow
-- dbopt.track, other users' texts are hidden, and dbopt_reset() forgets everything.
SET dbopt.sample_rate = 1;
SELECT dbopt_reset();
CREATE TABLE capture_t (id int PRIMARY KEY, grp int, note text);
INSERT INTO capture_t SELECT i, i % 10, 'n' || i FROM generate_series(1, 2000) i;
ANALYZE capture_t;
SELECT count(*) FROM capture_t WHERE grp = 3;
SELECT count(*) FROM capture_t WHERE grp = 4;
SELECT note FROM capture_t WHERE id = 42;
SELECT note FROM capture_t WHERE id = 43;
SELECT note FROM capture_t WHERE note = 'it''s' AND id > -5;
PREPARE capture_p(int) AS SELECT note FROM capture_t WHERE id = $1;
EXECUTE capture_p(1);
EXECUTE capture_p(2);
-- Two statements in one query string: each gets its own text.
SELECT 'one' AS capture_t1 \; SELECT 2 AS capture_t2, 3.5 AS x;
-- Utility statements (CREATE, ANALYZE, PREPARE) are not entries; EXECUTE counts its statement.
SELECT query, calls, rows, sampled_calls, toplevel
  FROM dbopt_queries WHERE query LIKE '%capture_t%' ORDER BY query;
SELECT query, min_exec_time <= mean_exec_time AND mean_exec_time <= max_exec_time
              AND max_exec_time <= total_exec_time AS times_consistent,
       first_seen <= last_seen AS seen_in_order
  FROM dbopt_queries WHERE query LIKE '%capture_t%' ORDER BY query;
-- Access paths of the sampled executions: a sequential scan with its filter, index scans.
SELECT q.query, a.relation, a.scan_kind, a.index_name, a.plan_calls, a.samples, a.loops,
       a.est_rows, a.actual_rows, a.rows_removed_by_filter
  FROM dbopt_access_paths a JOIN dbopt_queries q USING (userid, dbid, toplevel, queryid)
 WHERE q.query LIKE '%capture_t%' ORDER BY q.query, a.scan_kind;
-- The index-only and bitmap kinds.
CREATE INDEX capture_t_grp_idx ON capture_t (grp);
VACUUM ANALYZE capture_t;
SET enable_seqscan = off;
SET enable_bitmapscan = off;
SELECT count(grp) FROM capture_t WHERE grp = 3;
RESET enable_bitmapscan;
SET enable_indexscan = off;
SET enable_indexonlyscan = off;
SELECT max(note) FROM capture_t WHERE grp = 3;
RESET enable_indexscan;
RESET enable_indexonlyscan;
RESET enable_seqscan;
SELECT q.query, a.relation, a.scan_kind, a.index_name, a.est_rows, a.actual_rows
  FROM dbopt_access_paths a JOIN dbopt_queries q USING (userid, dbid, toplevel, queryid)
 WHERE q.query LIKE '%capture_t WHERE grp%' AND a.index_name IS NOT NULL
 ORDER BY q.query, a.scan_kind;
-- Joins, subqueries and CTEs: one access record per scanned relation; a partitioned table:
-- one per partition scanned.
CREATE TABLE capture_part (k int, v int) PARTITION BY RANGE (k);
CREATE TABLE capture_part_1 PARTITION OF capture_part FOR VALUES FROM (0) TO (1000);
CREATE TABLE capture_part_2 PARTITION OF capture_part FOR VALUES FROM (1000) TO (3000);
INSERT INTO capture_part SELECT i, i FROM generate_series(0, 2999) i;
ANALYZE capture_part;
SELECT count(*) FROM capture_part WHERE v > 10;
SELECT count(*) FROM capture_part WHERE k < 10;
WITH c AS MATERIALIZED (SELECT id FROM capture_t WHERE grp = 2)
SELECT count(*) FROM c JOIN capture_part p ON p.k = c.id
 WHERE p.v IN (SELECT id FROM capture_t WHERE id < 50);
SELECT q.query, a.relation, a.scan_kind, a.index_name, a.actual_rows
  FROM dbopt_access_paths a JOIN dbopt_queries q USING (userid, dbid, toplevel, queryid)
 WHERE q.query LIKE '%capture_part%' ORDER BY q.query, a.relation, a.scan_kind;
-- With sample_rate 0, executions are counted but not sampled; the plan shape of every
-- execution is still recorded (plan_calls), actual rows stay those of the sampled ones.
SET dbopt.sample_rate = 0;
SELECT count(*) FROM capture_t WHERE grp = 5;
SELECT calls, sampled_calls FROM dbopt_queries
 WHERE query = 'SELECT count(*) FROM capture_t WHERE grp = $1';
CREATE TABLE capture_shape (id int PRIMARY KEY, k int, pad text);
INSERT INTO capture_shape SELECT i, CASE WHEN i <= 1900 THEN 1 ELSE i END, 'p'
  FROM generate_series(1, 2000) i;
CREATE INDEX capture_shape_k_idx ON capture_shape (k);
ANALYZE capture_shape;
-- One query, two plans: k = 1 matches 95% of the rows (sequential scan), k = 1950 one row
-- (index scan). Each path counts the executions that used it; nothing was sampled.
SELECT count(pad) FROM capture_shape WHERE k = 1;
SELECT count(pad) FROM capture_shape WHERE k = 1950;
SELECT count(pad) FROM capture_shape WHERE k = 1951;
SELECT count(pad) FROM capture_shape WHERE k = 1;
SELECT count(pad) FROM capture_shape WHERE k = 1952;
SELECT q.query, q.calls, q.sampled_calls, a.relation, a.scan_kind, a.index_name, a.plan_calls,
       a.samples, a.est_rows > 1000 AS many_estimated, a.loops, a.actual_rows
  FROM dbopt_access_paths a JOIN dbopt_queries q USING (userid, dbid, toplevel, queryid)
 WHERE q.query LIKE '%capture_shape%' ORDER BY a.scan_kind;
-- A prepared statement (generic or custom plans) and a join: every relation, every call.
PREPARE capture_shape_p(int) AS
  SELECT count(*) FROM capture_shape s JOIN capture_t t ON t.id = s.id WHERE s.k = $1;
EXECUTE capture_shape_p(1960);
EXECUTE capture_shape_p(1961);
EXECUTE capture_shape_p(1962);
SELECT a.relation, a.scan_kind, a.plan_calls, a.samples, a.actual_rows
  FROM dbopt_access_paths a JOIN dbopt_queries q USING (userid, dbid, toplevel, queryid)
 WHERE q.query LIKE 'PREPARE capture_shape_p%' ORDER BY a.relation, a.scan_kind;
DEALLOCATE capture_shape_p;
RESET dbopt.sample_rate;
-- Nested statements: tracked by default (dbopt.track = all), with their plan shapes; top
-- leaves them out; none records nothing.
SHOW dbopt.track;
DO $$ BEGIN PERFORM count(*) FROM capture_t WHERE grp = 7; END $$;
CREATE FUNCTION capture_f(int) RETURNS bigint LANGUAGE sql
  AS 'SELECT count(*) FROM capture_shape WHERE id = $1';
CREATE FUNCTION capture_loop() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE total bigint := 0;
BEGIN
  FOR i IN 1..5 LOOP total := total + capture_f(i); END LOOP;
  RETURN total;
END $$;
SELECT capture_loop();
SELECT q.query, q.calls, q.toplevel, a.relation, a.scan_kind, a.plan_calls
  FROM dbopt_queries q
  LEFT JOIN dbopt_access_paths a USING (userid, dbid, toplevel, queryid)
 WHERE q.query LIKE '%capture_shape WHERE id%' OR q.query LIKE '%capture_f(i)%'
 ORDER BY q.query;
SET dbopt.track = 'top';
DO $$ BEGIN PERFORM count(*) FROM capture_t WHERE grp = 7; END $$;
SET dbopt.track = 'none';
SELECT count(*) FROM capture_t WHERE grp = 8;
RESET dbopt.track;
SELECT query, calls, toplevel FROM dbopt_queries
 WHERE query LIKE 'SELECT %capture_t WHERE grp%' ORDER BY query, toplevel;
SELECT count(*) AS without_text FROM dbopt_queries(showtext => false) WHERE query IS NOT NULL;
-- A failing statement is not counted (its entry and text exist from parse analysis on).
SELECT count(*) FROM capture_t WHERE grp = 1 / (grp - grp);
SELECT query, calls FROM dbopt_queries WHERE query LIKE '%/ (grp - grp)%';
-- Failing mid-execution, sampled and nested: the function's first statement completes and
-- counts (under the entry of the DO block's nested count above: 1 call before, 3 after); the
-- second fails after 999 rows (division by zero at id = 1000): neither it nor the
-- call is counted, no access path or row of it is recorded half-way. Caught in an EXCEPTION
-- block the same. The nesting level is restored: the next statement counts as top level.
SET dbopt.sample_rate = 1;
CREATE FUNCTION capture_fail(d int) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE n bigint;
BEGIN
  SELECT count(*) INTO n FROM capture_t WHERE grp = 2;
  SELECT sum(100 / (id - d)) INTO n FROM capture_t;
  RETURN n;
END $$;
SELECT capture_fail(1000);
DO $$ BEGIN PERFORM capture_fail(1500); EXCEPTION WHEN division_by_zero THEN NULL; END $$;
SELECT max(id) FROM capture_t WHERE grp = 6;
RESET dbopt.sample_rate;
SELECT q.query, q.toplevel, q.calls, q.rows, q.sampled_calls > 0 AS sampled,
       count(a.relid) AS access_paths, coalesce(sum(a.samples), 0) > 0 AS scans_sampled
  FROM dbopt_queries q LEFT JOIN dbopt_access_paths a USING (userid, dbid, toplevel, queryid)
 WHERE q.query LIKE '%capture_fail%' OR q.query LIKE '%(id - d)%'
    OR (q.query = 'SELECT count(*) FROM capture_t WHERE grp = $1' AND NOT q.toplevel)
    OR q.query LIKE 'SELECT max(id) FROM capture_t%'
 GROUP BY q.query, q.toplevel, q.calls, q.rows, q.sampled_calls
 ORDER BY q.query COLLATE "C", q.toplevel;
DROP FUNCTION capture_fail(int);
-- Other users: own texts visible, everyone else's hidden; dbopt_reset() is superuser-only.
CREATE ROLE capture_user;
GRANT SELECT ON capture_t TO capture_user;
SET ROLE capture_user;
SELECT count(*) FROM capture_t WHERE grp = 9;
SELECT query, calls FROM dbopt_queries
 WHERE userid = current_user::regrole AND query LIKE '%capture_t%';
SELECT DISTINCT query FROM dbopt_queries
 WHERE userid <> current_user::regrole AND query IS NOT NULL;
SELECT sqlstate_of('SELECT dbopt_reset()');
RESET ROLE;
GRANT pg_read_all_stats TO capture_user;
SET ROLE capture_user;
SELECT count(*) FILTER (WHERE query = '<insufficient privilege>') AS hidden_with_read_all_stats,
       count(*) FILTER (WHERE query LIKE '%capture_t%') > 0 AS others_texts_shown
  FROM dbopt_queries WHERE userid <> current_user::regrole;
RESET ROLE;
SELECT count(*) FROM dbopt_queries
 WHERE userid = 'capture_user'::regrole AND query LIKE '%capture_t%';
-- Limit nodes of sampled executions: runtime OFFSET and LIMIT, bound parameters included;
-- the mean OFFSET is over the calls that had one, the mean LIMIT over those with a count.
-- (PostgreSQL 15 gives `LIMIT 5` and `OFFSET 1998` the same query id: one entry.)
SET dbopt.sample_rate = 1;
SELECT id FROM capture_t ORDER BY id LIMIT 2 OFFSET 100;
SELECT id FROM capture_t ORDER BY id LIMIT 3 OFFSET 1000;
SELECT id FROM capture_t ORDER BY id LIMIT 5;
PREPARE capture_page(int, int) AS SELECT id FROM capture_t ORDER BY id LIMIT $1 OFFSET $2;
EXECUTE capture_page(1, 1500);
EXECUTE capture_page(1, 1600);
SELECT id FROM capture_t ORDER BY id OFFSET 1998;
SELECT count(*) FROM (SELECT id FROM capture_t ORDER BY id LIMIT 1 OFFSET 0) s;
DEALLOCATE capture_page;
SET dbopt.sample_rate = 0;
SELECT id FROM capture_t ORDER BY id LIMIT 2 OFFSET 100;
RESET dbopt.sample_rate;
SELECT query, calls, sampled_calls, limit_calls, offset_calls, max_offset, mean_offset,
       mean_limit
  FROM dbopt_queries WHERE query LIKE '%capture_t ORDER BY id%' ORDER BY query;
-- Reset forgets every entry.
SELECT dbopt_reset();
SELECT count(*) AS after_reset FROM dbopt_queries WHERE query LIKE '%capture_t%';
SELECT evictions, dropped_access_records, since <= now() AS since_ok FROM dbopt_capture_info();
DROP TABLE capture_t, capture_part, capture_shape;
DROP FUNCTION capture_loop(), capture_f(int);
DROP ROLE capture_user;
