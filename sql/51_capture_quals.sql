-- Qual shapes per scanned relation (dbopt_access_paths.quals): the column, the kind of
-- comparison and what it is compared to, read from the plan's restriction and index quals
-- once per new plan shape, whether or not the execution was sampled.
SET dbopt.sample_rate = 0;
SELECT dbopt_reset();
CREATE TABLE quals_t (id int PRIMARY KEY, name text, tags int[], doc jsonb, body tsvector,
                      parent int, created date);
INSERT INTO quals_t SELECT i, 'n' || i, ARRAY[i % 5], jsonb_build_object('k', i % 3),
                           to_tsvector('simple', 'word' || i), NULLIF(i % 7, 0),
                           date '2026-01-01' + i % 300
  FROM generate_series(1, 3000) i;
ANALYZE quals_t;
SELECT count(*) FROM quals_t WHERE id = 5;
SELECT count(*) FROM quals_t WHERE created >= '2026-03-01' AND created < '2026-04-01';
SELECT count(*) FROM quals_t WHERE id IN (1, 2, 3);
SELECT count(*) FROM quals_t WHERE name LIKE 'n1%';
SELECT count(*) FROM quals_t WHERE name LIKE '%99';
SELECT count(*) FROM quals_t WHERE name ILIKE '_1';
SELECT count(*) FROM quals_t WHERE name ~ '^n12';
SELECT count(*) FROM quals_t WHERE name ~* 'N3$';
SELECT count(*) FROM quals_t WHERE parent IS NULL;
SELECT count(*) FROM quals_t WHERE parent IS NOT NULL AND parent <> 3;
SELECT count(*) FROM quals_t WHERE body @@ to_tsquery('simple', 'word7');
SELECT count(*) FROM quals_t WHERE doc @> '{"k": 1}' OR tags @> ARRAY[2] OR doc ? 'x';
PREPARE quals_p(text) AS SELECT count(*) FROM quals_t WHERE name LIKE $1;
EXECUTE quals_p('%x');
DEALLOCATE quals_p;
-- A join: the inner side's column compared to the outer side's (nested loop parameter or
-- join filter), the outer side's restriction compared to a constant and its join column
-- compared to the inner side's.
SET enable_hashjoin = off;
SET enable_mergejoin = off;
SELECT count(*) FROM quals_t a JOIN quals_t b ON b.id = a.parent WHERE a.id < 20;
RESET enable_hashjoin;
RESET enable_mergejoin;
SELECT q.query, a.scan_kind, a.quals
  FROM dbopt_access_paths a JOIN dbopt_queries q USING (userid, dbid, toplevel, queryid)
 WHERE q.query LIKE '%FROM quals_t%' AND q.query NOT LIKE '%dbopt_access_paths%'
 ORDER BY q.query, a.scan_kind, a.quals::text;
-- The same query with another constant reuses the recorded shape (no new analysis).
SELECT count(*) FROM quals_t WHERE name LIKE 'n2%';
SELECT q.calls, a.plan_calls, a.quals
  FROM dbopt_access_paths a JOIN dbopt_queries q USING (userid, dbid, toplevel, queryid)
 WHERE q.query = 'SELECT count(*) FROM quals_t WHERE name LIKE $1';
-- ... but a sampled execution reads its pattern: one with a leading wildcard sets the flag
-- (the strongest seen wins: a later 'n3%' does not clear it). The record is updated, not
-- duplicated.
SET dbopt.sample_rate = 1;
SELECT count(*) FROM quals_t WHERE name LIKE '%5';
SELECT count(*) FROM quals_t WHERE name LIKE 'n3%';
SET dbopt.sample_rate = 0;
SELECT q.calls, a.plan_calls, a.samples, a.quals
  FROM dbopt_access_paths a JOIN dbopt_queries q USING (userid, dbid, toplevel, queryid)
 WHERE q.query = 'SELECT count(*) FROM quals_t WHERE name LIKE $1';
-- A generic plan compares to a parameter: its bound value is read when the plan shape is
-- learned ('^n1': no leading wildcard), and again on sampled executions ('7$': one).
SET plan_cache_mode = force_generic_plan;
PREPARE quals_g(text) AS SELECT count(*) FROM quals_t WHERE name ~ $1;
EXECUTE quals_g('^n1');
EXECUTE quals_g('7$');
SELECT a.plan_calls, a.samples, a.quals
  FROM dbopt_access_paths a JOIN dbopt_queries q USING (userid, dbid, toplevel, queryid)
 WHERE q.query LIKE 'PREPARE quals_g%';
SET dbopt.sample_rate = 1;
EXECUTE quals_g('7$');
SET dbopt.sample_rate = 0;
SELECT a.plan_calls, a.samples, a.quals
  FROM dbopt_access_paths a JOIN dbopt_queries q USING (userid, dbid, toplevel, queryid)
 WHERE q.query LIKE 'PREPARE quals_g%';
DEALLOCATE quals_g;
RESET plan_cache_mode;
-- Join conditions, whatever the join method: the columns of hash and merge join clauses, of
-- join filters and of nested-loop parameters are recorded on the relation they come from,
-- compared to `outer` (through sorts, hashes, materializations and the Append of a
-- partitioned table).
CREATE TABLE quals_o (id int PRIMARY KEY, ref int, label text);
INSERT INTO quals_o SELECT i, i % 3000 + 1, 'l' || i FROM generate_series(1, 5000) i;
CREATE TABLE quals_pt (k int, v int) PARTITION BY RANGE (k);
CREATE TABLE quals_pt_1 PARTITION OF quals_pt FOR VALUES FROM (0) TO (2500);
CREATE TABLE quals_pt_2 PARTITION OF quals_pt FOR VALUES FROM (2500) TO (5001);
INSERT INTO quals_pt SELECT i, i FROM generate_series(0, 5000) i;
ANALYZE quals_o, quals_pt;
SET enable_nestloop = off;
SET enable_mergejoin = off;
-- Hash join: a hash clause (o.ref = t.id) and a join filter (o.id > t.parent).
EXPLAIN (COSTS OFF) SELECT count(*) FROM quals_t t JOIN quals_o o ON o.ref = t.id AND o.id > t.parent;
SELECT count(*) FROM quals_t t JOIN quals_o o ON o.ref = t.id AND o.id > t.parent;
-- Hash join over a partitioned table: each partition scanned gets the join column.
EXPLAIN (COSTS OFF) SELECT count(p.v) FROM quals_pt p JOIN quals_o o ON p.k = o.id;
SELECT count(p.v) FROM quals_pt p JOIN quals_o o ON p.k = o.id;
RESET enable_mergejoin;
SET enable_hashjoin = off;
-- Merge join: merge clause (o.ref = t.id) below sorts.
EXPLAIN (COSTS OFF) SELECT count(o.label) FROM quals_t t JOIN quals_o o ON o.ref = t.id;
SELECT count(o.label) FROM quals_t t JOIN quals_o o ON o.ref = t.id;
RESET enable_nestloop;
SET enable_mergejoin = off;
SET enable_indexscan = off;
SET enable_indexonlyscan = off;
SET enable_bitmapscan = off;
-- Nested loop whose condition is not pushed into the inner scan (no index allowed): a join
-- filter on both relations.
EXPLAIN (COSTS OFF) SELECT count(t.name) FROM quals_t t JOIN quals_o o ON o.ref = t.id WHERE t.id < 20;
SELECT count(t.name) FROM quals_t t JOIN quals_o o ON o.ref = t.id WHERE t.id < 20;
RESET enable_indexscan;
RESET enable_indexonlyscan;
RESET enable_bitmapscan;
-- Parameterized nested loop: the inner index scan compares o.id to the outer value; the
-- outer side's column (t.parent) is listed with the operator of that comparison.
EXPLAIN (COSTS OFF)
SELECT count(o.ref) FROM quals_t t JOIN quals_o o ON o.id = t.parent WHERE t.id < 20;
SELECT count(o.ref) FROM quals_t t JOIN quals_o o ON o.id = t.parent WHERE t.id < 20;
RESET enable_hashjoin;
RESET enable_mergejoin;
SELECT q.query, a.relation, a.scan_kind, a.quals
  FROM dbopt_access_paths a JOIN dbopt_queries q USING (userid, dbid, toplevel, queryid)
 WHERE q.query LIKE '%JOIN quals_o%' AND q.query NOT LIKE '%dbopt_access_paths%'
 ORDER BY q.query, a.relation::text, a.scan_kind;
-- ORDER BY and GROUP BY keys that are table columns, on the relation they belong to
-- (expressions and output-column aliases of non-columns are left out).
SELECT id FROM quals_t ORDER BY created DESC, name LIMIT 3;
SELECT parent, count(*) FROM quals_t GROUP BY parent ORDER BY parent NULLS FIRST LIMIT 2;
SELECT a.id FROM quals_t a JOIN quals_t b ON b.id = a.parent
 WHERE a.id < 5 ORDER BY b.name, lower(a.name);
SELECT q.query, a.scan_kind, a.sort_keys, a.group_keys
  FROM dbopt_access_paths a JOIN dbopt_queries q USING (userid, dbid, toplevel, queryid)
 WHERE q.query LIKE '%quals_t%ORDER BY%' AND q.query NOT LIKE '%dbopt_access_paths%'
 ORDER BY q.query, a.scan_kind;
RESET dbopt.sample_rate;
DROP TABLE quals_t, quals_o, quals_pt;
