-- N+1 loops (issue 5, detector 1): a client loop in autocommit, a PL/pgSQL loop and two
-- lookups of one shape per row are found with their source query and the batched rewrite;
-- look-alikes (repeats returning many rows, a single lookup, batches with no source,
-- repeated inserts of many rows, a batch right after an unrelated list) are not; a write
-- loop (an INSERT per row) is listed with include_writes. Scenarios are
-- separated by explicit transactions, which end the detector's autocommit window.
-- A loaded test machine may pause a client for a while between statements: a long window
-- (loops take new query shapes for a tenth of it) keeps the scenarios independent of that.
ALTER SYSTEM SET dbopt.n_plus_one_max_gap = '60s';
SELECT pg_reload_conf();
SELECT pg_sleep(1);
\c
SHOW dbopt.n_plus_one_max_gap;
SELECT dbopt_reset();
CREATE TABLE np1_author (id int PRIMARY KEY, name text);
CREATE TABLE np1_post (id int PRIMARY KEY, author_id int REFERENCES np1_author, title text,
                       editor_id int REFERENCES np1_author);
CREATE TABLE np1_rate (code text PRIMARY KEY, rate numeric);
CREATE TABLE np1_like (post_id int REFERENCES np1_post);
CREATE TABLE np1_customer (id int PRIMARY KEY, name text);
CREATE TABLE np1_invoice (id int PRIMARY KEY, customer_id int);
INSERT INTO np1_customer SELECT i, 'customer ' || i FROM generate_series(1, 9) i;
INSERT INTO np1_invoice SELECT i, i + 2 FROM generate_series(1, 5) i;
INSERT INTO np1_rate SELECT 'c' || i, i FROM generate_series(1, 9) i;
CREATE TABLE np1_comment (id int PRIMARY KEY, post_id int REFERENCES np1_post, body text);
CREATE TABLE np1_log (n int);
INSERT INTO np1_author SELECT i, 'author ' || i FROM generate_series(1, 20) i;
INSERT INTO np1_post SELECT i, i, 'post ' || i, 21 - i FROM generate_series(1, 20) i;
INSERT INTO np1_comment SELECT i, 1 + i % 20, 'c' || i FROM generate_series(1, 400) i;
-- 1. The client loop: the posts, then each post's author, one statement each (autocommit).
SELECT id, author_id FROM np1_post WHERE id <= 6 ORDER BY id;
SELECT name FROM np1_author WHERE id = 1;
SELECT name FROM np1_author WHERE id = 2;
SELECT name FROM np1_author WHERE id = 3;
SELECT name FROM np1_author WHERE id = 4;
SELECT name FROM np1_author WHERE id = 5;
SELECT name FROM np1_author WHERE id = 6;
-- Look-alike: repeats that return many rows (each post's 20 comments) are a join's work, not
-- an N+1 of few-row lookups.
BEGIN;
SELECT id FROM np1_post WHERE id <= 6 ORDER BY id;
SELECT count(*) FROM (SELECT body FROM np1_comment WHERE post_id = 1) c;
SELECT body FROM np1_comment WHERE post_id = 1 ORDER BY id \g /dev/null
SELECT body FROM np1_comment WHERE post_id = 2 ORDER BY id \g /dev/null
SELECT body FROM np1_comment WHERE post_id = 3 ORDER BY id \g /dev/null
SELECT body FROM np1_comment WHERE post_id = 4 ORDER BY id \g /dev/null
SELECT body FROM np1_comment WHERE post_id = 5 ORDER BY id \g /dev/null
SELECT body FROM np1_comment WHERE post_id = 6 ORDER BY id \g /dev/null
COMMIT;
-- Look-alike: a single lookup after a list.
BEGIN;
SELECT id FROM np1_post WHERE id <= 6 ORDER BY id;
SELECT title FROM np1_post WHERE id = 3;
COMMIT;
-- Look-alike: a batch of lookups with no source query, and a batch job repeating an insert
-- of many rows.
BEGIN;
SELECT title FROM np1_post WHERE id = 7;
SELECT title FROM np1_post WHERE id = 8;
SELECT title FROM np1_post WHERE id = 9;
SELECT title FROM np1_post WHERE id = 10;
SELECT title FROM np1_post WHERE id = 11;
SELECT title FROM np1_post WHERE id = 12;
COMMIT;
BEGIN;
SELECT id FROM np1_post WHERE id <= 6 ORDER BY id;
INSERT INTO np1_log SELECT g FROM generate_series(1, 50) g;
INSERT INTO np1_log SELECT g FROM generate_series(1, 50) g;
INSERT INTO np1_log SELECT g FROM generate_series(1, 50) g;
INSERT INTO np1_log SELECT g FROM generate_series(1, 50) g;
INSERT INTO np1_log SELECT g FROM generate_series(1, 50) g;
INSERT INTO np1_log SELECT g FROM generate_series(1, 50) g;
COMMIT;
-- Look-alike: a list, then its pages of a few rows (OFFSET pagination, not a lookup per row).
BEGIN;
SELECT id FROM np1_post WHERE id <= 6 ORDER BY id;
SELECT id FROM np1_comment ORDER BY id LIMIT 3 OFFSET 0;
SELECT id FROM np1_comment ORDER BY id LIMIT 3 OFFSET 3;
SELECT id FROM np1_comment ORDER BY id LIMIT 3 OFFSET 6;
SELECT id FROM np1_comment ORDER BY id LIMIT 3 OFFSET 9;
SELECT id FROM np1_comment ORDER BY id LIMIT 3 OFFSET 12;
SELECT id FROM np1_comment ORDER BY id LIMIT 3 OFFSET 15;
COMMIT;
-- Look-alike: a list of posts, then a batch of as many lookups in a table the posts have no
-- foreign key to (the posts declare theirs): not a lookup per post.
BEGIN;
SELECT id FROM np1_post WHERE id <= 6 ORDER BY id;
SELECT rate FROM np1_rate WHERE code = 'c1';
SELECT rate FROM np1_rate WHERE code = 'c2';
SELECT rate FROM np1_rate WHERE code = 'c3';
SELECT rate FROM np1_rate WHERE code = 'c4';
SELECT rate FROM np1_rate WHERE code = 'c5';
SELECT rate FROM np1_rate WHERE code = 'c6';
COMMIT;
-- 3. Two lookups of one shape per row: each post's author and editor (twice as many repeats
-- as rows; reported because np1_post references np1_author).
BEGIN;
SELECT id, author_id, editor_id FROM np1_post WHERE id <= 5 ORDER BY id;
SELECT name FROM np1_author WHERE id = 1;
SELECT name FROM np1_author WHERE id = 20;
SELECT name FROM np1_author WHERE id = 2;
SELECT name FROM np1_author WHERE id = 19;
SELECT name FROM np1_author WHERE id = 3;
SELECT name FROM np1_author WHERE id = 18;
SELECT name FROM np1_author WHERE id = 4;
SELECT name FROM np1_author WHERE id = 17;
SELECT name FROM np1_author WHERE id = 5;
SELECT name FROM np1_author WHERE id = 16;
COMMIT;
-- 4. A write loop: one INSERT per post (listed with include_writes only). The foreign-key
-- check each insert makes (a nested SELECT ... FOR KEY SHARE on np1_post) is not a loop.
BEGIN;
SELECT id FROM np1_post WHERE id BETWEEN 11 AND 16 ORDER BY id;
INSERT INTO np1_like (post_id) VALUES (11);
INSERT INTO np1_like (post_id) VALUES (12);
INSERT INTO np1_like (post_id) VALUES (13);
INSERT INTO np1_like (post_id) VALUES (14);
INSERT INTO np1_like (post_id) VALUES (15);
INSERT INTO np1_like (post_id) VALUES (16);
COMMIT;
-- The same, each INSERT in a transaction of its own (Rails' create! without an outer
-- transaction): a write loop too.
SELECT id FROM np1_post WHERE id > 14 ORDER BY id;
BEGIN;
INSERT INTO np1_log VALUES (15);
COMMIT;
BEGIN;
INSERT INTO np1_log VALUES (16);
COMMIT;
BEGIN;
INSERT INTO np1_log VALUES (17);
COMMIT;
BEGIN;
INSERT INTO np1_log VALUES (18);
COMMIT;
BEGIN;
INSERT INTO np1_log VALUES (19);
COMMIT;
BEGIN;
INSERT INTO np1_log VALUES (20);
COMMIT;
-- 2. The PL/pgSQL loop: FOR over the posts, one lookup per post (nested statements).
CREATE FUNCTION np1_post_authors(n int) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  r record;
  author text;
  result text := '';
BEGIN
  FOR r IN SELECT id, author_id FROM np1_post WHERE id <= n ORDER BY id LOOP
    SELECT name INTO author FROM np1_author WHERE id = r.author_id;
    result := result || author || ';';
  END LOOP;
  RETURN result;
END $$;
SELECT np1_post_authors(8);
BEGIN;
SELECT 1 AS window_ended;
COMMIT;
-- The loops found: one per scenario, with the source, the repeats and the rewrite.
SELECT check_id, severity, object_type, source_query, source_toplevel, repeated_query,
       repeated_toplevel, occurrences, mean_repeats, max_repeats, mean_source_rows,
       remediation, revert, object_name = repeated_queryid::text AS object_is_repeated,
       total_loop_time >= total_repeat_time AND total_repeat_time >= 0 AS times_consistent,
       first_seen <= last_seen AS seen_in_order
  FROM dbopt_n_plus_one()
 WHERE source_query LIKE '%np1_%' OR repeated_query LIKE '%np1_%'
 ORDER BY source_toplevel DESC, source_query, repeated_query;
-- (query ids depend on table OIDs, times on the machine: masked)
SELECT regexp_replace(regexp_replace(message, 'query -?[0-9]+', 'query Q', 'g'),
                      'taking [0-9.]+ ms', 'taking N ms') AS message,
       detail - 'loop_time_ms' - 'repeat_time_ms' - 'source_queryid' - 'repeated_queryid' AS detail
  FROM dbopt_n_plus_one()
 WHERE repeated_query LIKE '%np1_%'
 ORDER BY source_toplevel DESC, source_query, repeated_query;
-- With include_writes, the write loops too (check_id n_plus_one_writes, no rewrite for an
-- INSERT).
SELECT check_id, severity, source_query, repeated_query, mean_repeats, remediation,
       regexp_replace(regexp_replace(message, 'query -?[0-9]+', 'query Q', 'g'),
                      'taking [0-9.]+ ms', 'taking N ms') AS message,
       detail->'writes' AS writes
  FROM dbopt_n_plus_one(include_writes => true)
 WHERE check_id = 'n_plus_one_writes' AND repeated_query LIKE '%np1_%'
 ORDER BY source_query;
-- dbopt_antipatterns(): the same findings in the common shape, write loops included.
SELECT a.check_id, a.severity, a.object_type, a.remediation
  FROM dbopt_antipatterns() a
  JOIN dbopt_n_plus_one(include_writes => true) n
    ON n.object_name = a.object_name AND n.message = a.message
 WHERE n.repeated_query LIKE '%np1_%'
 ORDER BY n.source_toplevel DESC, n.source_query, n.repeated_query;
-- The same loop again adds an occurrence; min_occurrences filters.
SELECT id, author_id FROM np1_post WHERE id <= 5 ORDER BY id \g /dev/null
SELECT name FROM np1_author WHERE id = 11 \g /dev/null
SELECT name FROM np1_author WHERE id = 12 \g /dev/null
SELECT name FROM np1_author WHERE id = 13 \g /dev/null
SELECT name FROM np1_author WHERE id = 14 \g /dev/null
SELECT name FROM np1_author WHERE id = 15 \g /dev/null
SELECT repeated_query, occurrences, mean_repeats, max_repeats
  FROM dbopt_n_plus_one(min_occurrences => 2) WHERE repeated_query LIKE '%np1_%';
SELECT lost_events, dropped_loops FROM dbopt_n_plus_one_info();
-- Bad arguments and settings.
SELECT * FROM dbopt_n_plus_one(min_occurrences => 0);
SELECT * FROM dbopt_n_plus_one(min_occurrences => NULL);
SELECT * FROM dbopt_n_plus_one(include_writes => NULL);
SET dbopt.n_plus_one_min_repeats = 3;
ALTER SYSTEM SET dbopt.n_plus_one_min_repeats = 1;
ALTER SYSTEM SET dbopt.n_plus_one_max_gap = 0;
ALTER SYSTEM SET dbopt.n_plus_one_max_gap = '2 hours';
ALTER SYSTEM SET dbopt.n_plus_one_max_rows = 'many';
-- 5. A late first lookup: the list, a pause longer than a tenth of max_gap (the application
-- did other work first; here max_gap is 5 s, the pause 1 s), then a lookup per row: a weak
-- loop, reported because np1_post references np1_author; then the same over tables without
-- foreign keys, reported because np1_invoice.customer_id is named after np1_customer.
ALTER SYSTEM SET dbopt.n_plus_one_max_gap = '5s';
SELECT pg_reload_conf();
SELECT pg_sleep(1);
\c
SELECT dbopt_reset();
BEGIN;
SELECT id, author_id FROM np1_post WHERE id BETWEEN 6 AND 11 ORDER BY id;
\! sleep 1
SELECT name FROM np1_author WHERE id = 6;
SELECT name FROM np1_author WHERE id = 7;
SELECT name FROM np1_author WHERE id = 8;
SELECT name FROM np1_author WHERE id = 9;
SELECT name FROM np1_author WHERE id = 10;
SELECT name FROM np1_author WHERE id = 11;
COMMIT;
-- The same in a schema without foreign keys: related by the column name customer_id.
BEGIN;
SELECT id, customer_id FROM np1_invoice ORDER BY id;
\! sleep 1
SELECT name FROM np1_customer WHERE id = 3;
SELECT name FROM np1_customer WHERE id = 4;
SELECT name FROM np1_customer WHERE id = 5;
SELECT name FROM np1_customer WHERE id = 6;
SELECT name FROM np1_customer WHERE id = 7;
COMMIT;
SELECT source_query, repeated_query, occurrences, mean_repeats, detail->'weak_loops' AS weak,
       detail->'tables' AS tables
  FROM dbopt_n_plus_one() WHERE repeated_query LIKE '%np1_%' ORDER BY source_query;
-- dbopt_reset() forgets the loops too, those of windows still open included.
SELECT dbopt_reset();
SELECT count(*) FROM dbopt_n_plus_one() WHERE repeated_query LIKE '%np1_%';
DROP FUNCTION np1_post_authors(int);
DROP TABLE np1_log, np1_like, np1_comment, np1_post, np1_author, np1_rate, np1_invoice,
  np1_customer;
-- Back to the defaults (the loops of this session are forgotten already: its exit adds none).
ALTER SYSTEM RESET dbopt.n_plus_one_max_gap;
SELECT pg_reload_conf();
SELECT pg_sleep(1);
\c
SHOW dbopt.n_plus_one_min_repeats;
SHOW dbopt.n_plus_one_max_gap;
SHOW dbopt.n_plus_one_max_rows;
