-- Deep OFFSET pagination (issue 5, detector 2): executions whose top Limit node skipped at
-- least dbopt.offset_min_rows rows, counted per captured query with the runtime OFFSET
-- (constants and bound parameters alike); the keyset rewrite and the index its ORDER BY needs.
SELECT dbopt_reset();
SHOW dbopt.offset_min_rows;
CREATE TABLE op_post (id int PRIMARY KEY, author_id int NOT NULL, created_at timestamptz NOT NULL,
                      title text);
INSERT INTO op_post
  SELECT i, i % 2, timestamptz '2026-01-01' + i * interval '1 minute', 'post ' || i
    FROM generate_series(1, 5000) i;
ANALYZE op_post;
-- 1. Constants: two deep pages and one shallow page of one query shape (one entry).
SELECT id FROM op_post WHERE author_id = 1 ORDER BY created_at DESC LIMIT 10 OFFSET 1500 \g /dev/null
SELECT id FROM op_post WHERE author_id = 1 ORDER BY created_at DESC LIMIT 10 OFFSET 2000 \g /dev/null
SELECT id FROM op_post WHERE author_id = 1 ORDER BY created_at DESC LIMIT 10 OFFSET 20 \g /dev/null
-- An OFFSET past the end: every row read is thrown away (2500 of author 0, not 9000).
SELECT id FROM op_post WHERE author_id = 0 ORDER BY created_at DESC LIMIT 10 OFFSET 9000 \g /dev/null
-- 2. Bound parameters: PREPARE/EXECUTE, one deep page and one shallow one.
PREPARE op_page(int, int) AS SELECT id, title FROM op_post ORDER BY id LIMIT $1 OFFSET $2;
EXECUTE op_page(10, 3000) \g /dev/null
EXECUTE op_page(10, 5) \g /dev/null
DEALLOCATE op_page;
-- Look-alike: small offsets only, and an OFFSET under the top node (not the query's paging).
SELECT id FROM op_post ORDER BY title LIMIT 10 OFFSET 999 \g /dev/null
SELECT count(*) FROM (SELECT id FROM op_post ORDER BY id OFFSET 4000) s;
-- A title ordering: no unique key (the primary key breaks ties), NULLs allowed.
SELECT title FROM op_post ORDER BY title LIMIT 10 OFFSET 1200 \g /dev/null
-- A cursor's query is not captured (its DECLARE is a utility statement): not listed.
BEGIN;
DECLARE op_cursor CURSOR FOR SELECT author_id FROM op_post ORDER BY id OFFSET 1200;
FETCH 5 FROM op_cursor \g /dev/null
CLOSE op_cursor;
COMMIT;
SELECT query, calls, deep_offset_calls, mean_offset, max_offset, skipped_rows,
       deep_offset_time >= 0 AS timed, toplevel, check_id, severity, object_type,
       object_name = queryid::text AS names_query
  FROM dbopt_offset_pagination() ORDER BY query;
-- Query ids depend on OIDs and times on the machine: masked.
SELECT query, regexp_replace(regexp_replace(message, '^query -?[0-9]+', 'query <id>'),
                             '[0-9]+\.[0-9] ms', '<t> ms') AS message,
       remediation, revert
  FROM dbopt_offset_pagination() ORDER BY query;
SELECT query, detail - 'queryid' - 'total_time_ms' - 'deep_offset_time_ms' AS detail
  FROM dbopt_offset_pagination() ORDER BY query;
-- The index the keyset query needs, once created, is named as already there.
CREATE INDEX op_post_author_created ON op_post (author_id, created_at, id);
SELECT message ~ 'the index public.op_post_author_created already serves this order' AS served,
       remediation[2] IS NULL AS only_the_rewrite, revert
  FROM dbopt_offset_pagination() WHERE query LIKE '%author_id%';
-- The threshold: raised, a deep page no longer counts.
SET dbopt.offset_min_rows = 100000;
SELECT id FROM op_post WHERE author_id = 1 ORDER BY created_at DESC LIMIT 10 OFFSET 2000 \g /dev/null
RESET dbopt.offset_min_rows;
SELECT calls, deep_offset_calls FROM dbopt_offset_pagination() WHERE query LIKE '%author_id%';
-- min_calls: queries with at least that many deep executions.
SELECT count(*) FROM dbopt_offset_pagination(min_calls => 2);
-- Every detector's rows in the common shape.
SELECT check_id, count(*) FROM dbopt_antipatterns()
 WHERE check_id = 'offset_pagination' GROUP BY check_id;
-- Bad settings and arguments.
SELECT sqlstate_of('SET dbopt.offset_min_rows = 0');
SELECT sqlstate_of('SET dbopt.offset_min_rows = ''many''');
SELECT sqlstate_of('SET dbopt.offset_min_rows = -5');
SELECT sqlstate_of('SELECT * FROM dbopt_offset_pagination(NULL)');
SELECT sqlstate_of('SELECT * FROM dbopt_offset_pagination(0)');
DROP TABLE op_post;
SELECT dbopt_reset();
