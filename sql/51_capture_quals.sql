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
-- join filter), the outer side's restriction compared to a constant.
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
DROP TABLE quals_t;
