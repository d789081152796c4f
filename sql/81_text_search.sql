-- Slow text search (issue 5, detector 3): leading-wildcard LIKE/ILIKE/regex and full-text
-- matches evaluated row by row. Each proposed GIN index is verified with the what-if engine;
-- a case-sensitive prefix pattern is left to the index advisor (a B-tree matter); a pattern
-- without trigrams is reported as too short; an existing trigram index is respected.
-- The inspection queries below use no LIKE of their own (they would be captured too).
SET client_min_messages = warning;  -- whatever earlier tests left on pg_trgm goes too
DROP EXTENSION IF EXISTS pg_trgm CASCADE;
RESET client_min_messages;
SET dbopt.sample_rate = 1;
CREATE TABLE ts_people (id int PRIMARY KEY, name text, email text);
INSERT INTO ts_people
  SELECT i, 'user ' || i || ' ' || md5(i::text), 'mail' || i || '@example.com'
    FROM generate_series(1, 20000) i;
CREATE TABLE ts_docs (id int PRIMARY KEY, body text);
INSERT INTO ts_docs
  SELECT i, 'note ' || i || ' about ' || CASE WHEN i % 1000 = 0 THEN 'databases' ELSE 'cooking' END
    FROM generate_series(1, 20000) i;
CREATE TABLE ts_small (id int PRIMARY KEY, name text);
INSERT INTO ts_small SELECT i, 'small ' || i FROM generate_series(1, 10) i;
ANALYZE ts_people, ts_docs, ts_small;
CREATE VIEW ts_found AS
  SELECT detail->>'reason' AS reason, relation, column_name, operator, pattern, calls,
         rows_removed_by_filter AS removed, verified, severity, remediation, revert
    FROM dbopt_text_search();
SELECT dbopt_reset();
-- The workload. md5('4242') starts with 'f6f6ef'; md5('77') with '28dd2c'.
SELECT id FROM ts_people WHERE name LIKE '%f6f6ef%';
SELECT id FROM ts_people WHERE email ILIKE '%MAIL4242@%';
SELECT id FROM ts_people WHERE name ~ '28dd2c';
-- A LIMIT the 12 matching rows never reach: the planner expects a sequential scan to stop
-- early, but it read the whole table; the index is verified on the search alone.
SELECT id FROM ts_people WHERE name ILIKE '%373f%' LIMIT 13;
-- Case-sensitive prefix: a B-tree (text_pattern_ops) matter, left to the advisor.
SELECT count(*) FROM ts_people WHERE name LIKE 'user 4242 %';
-- Too short for trigrams ('%ab%': no three word characters in a row, no padded word).
SELECT count(*) FROM ts_people WHERE email LIKE '%ab%';
SELECT count(*) FROM ts_people WHERE name ~* 'f6';
-- A prepared statement: the pattern is built from the parameter, folded in the custom plan.
PREPARE ts_search(text) AS SELECT id FROM ts_people WHERE name ILIKE '%' || $1 || '%';
EXECUTE ts_search('c1f83a');
DEALLOCATE ts_search;
-- Full text: the expression with its configuration can be indexed, to_tsvector(body) cannot.
SELECT count(*) FROM ts_docs WHERE to_tsvector('english', body) @@ to_tsquery('english', 'database');
SELECT count(*) FROM ts_docs WHERE to_tsvector(body) @@ to_tsquery('english', 'database');
-- A small table: the planner reads it whole with or without an index, and a pattern too
-- short for it is not worth a finding below min_rows (10,000 by default).
SELECT id FROM ts_small WHERE name LIKE '%mall 7%';
SELECT count(*) FROM ts_small WHERE name LIKE '%7%';

-- 1. pg_trgm is not installed: the trigram indexes cannot be verified (the full-text index
-- can: it needs no extension).
SELECT reason, relation, column_name, operator, pattern, calls, removed, verified, severity,
       remediation, revert
  FROM ts_found ORDER BY relation, column_name, operator, pattern;
SELECT detail->>'proposed_index' AS proposed, message ~ 'unverified: pg_trgm is not installed' AS says
  FROM dbopt_text_search() WHERE detail->>'reason' = 'pg_trgm_missing' ORDER BY 1;
-- min_rows => 5: the small table's unverified findings too.
SELECT detail->>'reason' AS reason, column_name, pattern
  FROM dbopt_text_search(min_rows => 5) WHERE relation = 'public.ts_small' ORDER BY pattern;

-- 2. With pg_trgm: verified trigram indexes, the cost before and after.
CREATE EXTENSION pg_trgm;
SELECT reason, relation, column_name, operator, pattern, verified, severity, remediation, revert
  FROM ts_found ORDER BY relation, column_name, operator, pattern;
SELECT column_name, operator, cost_after < cost_before AS cheaper,
       regexp_replace(message, '-?[0-9]+(\.[0-9]+)?', 'N', 'g') AS message
  FROM dbopt_text_search() WHERE verified AND pattern <> '%373f%' ORDER BY column_name, operator;
-- The LIMIT query (on the query or on the search alone: the hypothetical GIN index's size is
-- estimated from a random sample, and the query's two plans are close).
SELECT verified, cost_after < cost_before AS cheaper FROM dbopt_text_search() WHERE pattern = '%373f%';
SELECT column_name,
       regexp_replace(regexp_replace(message, '^query -?[0-9]+', 'query N'),
                      '[0-9]+(\.[0-9]+)? (ms|call)', 'N \2', 'g') AS message
  FROM dbopt_text_search() WHERE NOT verified ORDER BY column_name, operator;
SELECT detail - 'queryid' - 'total_time_ms' - 'cost_before' - 'cost_after' AS detail
  FROM dbopt_text_search() WHERE column_name = 'email' ORDER BY detail->>'operator';
SELECT min_calls_2 FROM (SELECT count(*) AS min_calls_2 FROM dbopt_text_search(min_calls => 2)) s;
-- The proposed DDL runs (autocommit) and its revert drops it again.
SELECT remediation[1] AS create_statement, revert[1] AS drop_statement
  FROM dbopt_text_search() WHERE column_name = 'email' AND verified \gset
:create_statement;
SELECT indexrelid::regclass FROM pg_index WHERE indrelid = 'ts_people'::regclass ORDER BY 1;
:drop_statement;
SELECT indexrelid::regclass FROM pg_index WHERE indrelid = 'ts_people'::regclass ORDER BY 1;

-- 3. An existing trigram index that the plan uses: that column's findings go away (the other
-- columns' stay).
CREATE INDEX ts_people_name_trgm ON ts_people USING gin (name gin_trgm_ops);
SELECT reason, column_name, operator, pattern FROM ts_found ORDER BY column_name, operator, pattern;
DROP INDEX ts_people_name_trgm;

-- 4. Through dbopt_antipatterns(), in the common shape.
SELECT check_id, severity, object_name, count(*) FROM dbopt_antipatterns()
 WHERE check_id = 'slow_text_search' GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;

-- 5. A query not captured is not examined: after a reset, nothing.
SELECT dbopt_reset();
SELECT count(*) FROM dbopt_text_search();
SET dbopt.track = none;
SELECT id FROM ts_people WHERE name LIKE '%f6f6ef%';
RESET dbopt.track;
SELECT count(*) FROM dbopt_text_search();
-- Without a sample (dbopt.track_constants = off), the query is not re-planned.
SET dbopt.track_constants = off;
SELECT id FROM ts_people WHERE name LIKE '%28dd2c%';
RESET dbopt.track_constants;
SELECT count(*) FROM dbopt_text_search();
-- A table dropped since capture: the query cannot be planned again, and is skipped.
CREATE TABLE ts_gone (id int, name text);
INSERT INTO ts_gone SELECT i, md5(i::text) FROM generate_series(1, 5000) i;
SELECT count(*) FROM ts_gone WHERE name LIKE '%ab%';
DROP TABLE ts_gone;
SELECT count(*) FROM dbopt_text_search();

-- 6. Bad parameters.
SELECT sqlstate_of('SELECT * FROM dbopt_text_search(NULL)');
SELECT sqlstate_of('SELECT * FROM dbopt_text_search(0)');
SELECT sqlstate_of('SELECT * FROM dbopt_text_search(min_calls => -5)');
SELECT sqlstate_of('SELECT * FROM dbopt_text_search(min_rows => NULL)');
SELECT sqlstate_of('SELECT * FROM dbopt_text_search(min_rows => -1)');

RESET dbopt.sample_rate;
DROP VIEW ts_found;
DROP TABLE ts_people, ts_docs, ts_small;
