-- Multi-step writes without a transaction (issue 5, detector 4): two autocommit writes of one
-- session to tables related by a foreign key are flagged, in either direction; writes in one
-- transaction block, one function call or one statement (a data-modifying WITH) are not, nor
-- are unrelated tables, a chain through a third table, or writes further apart than the
-- window. Each scenario runs in its own session (a new session starts a new run of writes).
-- A loaded test machine may pause a client between statements: a long window keeps the
-- flagged scenarios independent of that; the "too far apart" one shortens it.
ALTER SYSTEM SET dbopt.multi_step_write_max_gap = '60s';
SELECT pg_reload_conf();
SELECT pg_sleep(1);
\c
SHOW dbopt.multi_step_write_max_gap;
SELECT dbopt_reset();
CREATE TABLE msw_order (id int PRIMARY KEY, customer text);
CREATE TABLE msw_item (id int PRIMARY KEY, order_id int NOT NULL REFERENCES msw_order, sku text);
CREATE TABLE msw_note (id int PRIMARY KEY, item_id int REFERENCES msw_item, body text);
CREATE TABLE msw_log (n int);
CREATE FUNCTION msw_place_order(o int) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO msw_order VALUES (o, 'function');
  INSERT INTO msw_item VALUES (o, o, 'f1');
END $$;
CREATE FUNCTION msw_new_order(o int) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  UPDATE msw_order SET customer = 'two calls' WHERE id = o;
END $$;
CREATE FUNCTION msw_add_item(i int, o int) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  UPDATE msw_item SET sku = 'two calls' WHERE id = i AND order_id = o;
END $$;
\c
-- 1. Flagged: an order, then its items, each statement its own transaction; reads in between
-- do not matter, and the second item is the same pair again within one order (one occurrence).
INSERT INTO msw_order VALUES (1, 'autocommit');
SELECT count(*) FROM msw_order WHERE id = 1;
INSERT INTO msw_item VALUES (1, 1, 'a');
INSERT INTO msw_item VALUES (2, 1, 'b');
\c
-- 2. Flagged, the other direction: the items deleted, then their order.
DELETE FROM msw_item WHERE order_id = 1;
DELETE FROM msw_order WHERE id = 1;
\c
-- 3. Not flagged: the same in one transaction block.
BEGIN;
INSERT INTO msw_order VALUES (2, 'block');
INSERT INTO msw_item VALUES (3, 2, 'c');
COMMIT;
\c
-- Nor two statements sent in one query string (one implicit transaction).
INSERT INTO msw_order VALUES (10, 'one string') \; INSERT INTO msw_item VALUES (10, 10, 'c');
\c
-- 4. Not flagged: unrelated tables; a chain through a third table (an order, then a note on
-- one of its items: no foreign key between those two); the same table twice.
UPDATE msw_order SET customer = 'unrelated' WHERE id = 2;
INSERT INTO msw_log VALUES (1);
\c
UPDATE msw_order SET customer = 'chain' WHERE id = 2;
INSERT INTO msw_note VALUES (1, 3, 'chain');
\c
UPDATE msw_item SET sku = 'd' WHERE id = 3;
UPDATE msw_item SET sku = 'e' WHERE order_id = 2;
\c
-- 5. Not flagged: a single write.
INSERT INTO msw_order VALUES (3, 'single');
\c
-- 6. Not flagged: one PL/pgSQL call writing both tables (one transaction), twice.
SELECT msw_place_order(4);
SELECT msw_place_order(5);
\c
-- 7. Not flagged: one statement with a data-modifying WITH, twice.
WITH o AS (INSERT INTO msw_order VALUES (6, 'cte') RETURNING id)
INSERT INTO msw_item SELECT id, id, 'g' FROM o;
WITH o AS (INSERT INTO msw_order VALUES (7, 'cte') RETURNING id)
INSERT INTO msw_item SELECT id, id, 'g' FROM o;
\c
-- 8. Flagged: two function calls in autocommit, one write each (nested statements).
SELECT msw_new_order(4);
SELECT msw_add_item(4, 4);
\c
-- The pairs found: scenarios 1, 2 and 8.
SELECT check_id, severity, object_type, first_query, first_toplevel, first_table,
       second_query, second_toplevel, second_table, constraint_name, constraint_table,
       occurrences, remediation, revert, object_name = first_queryid::text AS object_is_first,
       max_gap >= mean_gap AND mean_gap >= 0 AS gaps_consistent,
       first_seen <= last_seen AS seen_in_order
  FROM dbopt_unsafe_multi_step_writes()
 WHERE first_table LIKE '%msw_%'
 ORDER BY first_toplevel DESC, first_query;
-- (query ids depend on table OIDs, gaps on the machine: masked)
SELECT regexp_replace(regexp_replace(message, 'query -?[0-9]+', 'query Q', 'g'),
                      '\([0-9.]+ ms apart on average, at most [0-9.]+ ms\)', '(gaps)') AS message,
       detail - 'mean_gap_ms' - 'max_gap_ms' - 'first_queryid' - 'second_queryid' AS detail
  FROM dbopt_unsafe_multi_step_writes()
 WHERE first_table LIKE '%msw_%'
 ORDER BY first_toplevel DESC, first_query;
-- dbopt_antipatterns(): the same findings in the common shape.
SELECT a.check_id, a.severity, a.object_type, a.remediation
  FROM dbopt_antipatterns() a
  JOIN dbopt_unsafe_multi_step_writes() w ON w.object_name = a.object_name AND w.message = a.message
 WHERE w.first_table LIKE '%msw_%'
 ORDER BY w.first_toplevel DESC, w.first_query;
-- The same pair again adds an occurrence; min_occurrences filters.
INSERT INTO msw_order VALUES (8, 'again');
INSERT INTO msw_item VALUES (8, 8, 'h');
SELECT first_query, second_query, occurrences
  FROM dbopt_unsafe_multi_step_writes(min_occurrences => 2) WHERE first_table LIKE '%msw_%';
-- Another user sees the counters, not the texts, and gets no statements to run.
CREATE ROLE msw_reader;
SET ROLE msw_reader;
SELECT first_query, second_query, first_table, constraint_name, occurrences, remediation
  FROM dbopt_unsafe_multi_step_writes(min_occurrences => 2) WHERE first_table LIKE '%msw_%';
RESET ROLE;
DROP ROLE msw_reader;
-- 9. Not flagged: writes further apart than dbopt.multi_step_write_max_gap.
ALTER SYSTEM SET dbopt.multi_step_write_max_gap = '100ms';
SELECT pg_reload_conf();
SELECT pg_sleep(1);
\c
SHOW dbopt.multi_step_write_max_gap;
INSERT INTO msw_order VALUES (9, 'slow');
SELECT pg_sleep(0.3);
UPDATE msw_item SET sku = 'slow' WHERE order_id = 9;
SELECT count(*) AS captured FROM dbopt_queries
 WHERE query = 'UPDATE msw_item SET sku = $1 WHERE order_id = $2';
SELECT first_query, second_query, occurrences
  FROM dbopt_unsafe_multi_step_writes() WHERE first_table LIKE '%msw_%' ORDER BY first_query;
-- Bad arguments and settings.
SELECT * FROM dbopt_unsafe_multi_step_writes(min_occurrences => 0);
SELECT * FROM dbopt_unsafe_multi_step_writes(min_occurrences => NULL);
SET dbopt.multi_step_write_max_gap = '2s';
ALTER SYSTEM SET dbopt.multi_step_write_max_gap = 0;
ALTER SYSTEM SET dbopt.multi_step_write_max_gap = '2 hours';
ALTER SYSTEM SET dbopt.multi_step_write_max_gap = 'soon';
-- dbopt_reset() forgets the pairs too.
SELECT dbopt_reset();
SELECT count(*) FROM dbopt_unsafe_multi_step_writes() WHERE first_table LIKE '%msw_%';
DROP FUNCTION msw_place_order(int), msw_new_order(int), msw_add_item(int, int);
DROP TABLE msw_log, msw_note, msw_item, msw_order;
ALTER SYSTEM RESET dbopt.multi_step_write_max_gap;
SELECT pg_reload_conf();
SELECT pg_sleep(1);
\c
SHOW dbopt.multi_step_write_max_gap;
