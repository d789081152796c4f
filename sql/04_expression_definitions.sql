-- Definitions of expression and partial indexes are deparsed from the stored trees
-- (pg_index.indexprs, indpred) with the columns named from the catalog rows: the table is
-- neither opened nor locked, and the text must read exactly as pg_get_indexdef() prints it.
-- Every index below is unused, so index_unused shows its definition.
CREATE SCHEMA exprs;
CREATE TABLE exprs.t (
  gone int, a int, b text, c int, "Note" text, "user" text, d date, tsv tsvector,
  ok boolean);
ALTER TABLE exprs.t DROP COLUMN gone;  -- columns keep their numbers: a is 2
CREATE FUNCTION exprs.weight(exprs.t) RETURNS int IMMUTABLE LANGUAGE sql AS 'SELECT 1';
CREATE INDEX e_function ON exprs.t (lower(b));
CREATE INDEX e_operator ON exprs.t ((a + c));
CREATE INDEX e_cast ON exprs.t ((b::varchar(10)));
CREATE INDEX e_coalesce ON exprs.t (coalesce(a, 0));
CREATE INDEX e_collate ON exprs.t (lower(b) COLLATE "C");
CREATE INDEX e_opclass ON exprs.t (lower("Note") text_pattern_ops DESC NULLS LAST);
CREATE INDEX e_mixed ON exprs.t (a, upper("user"), c) INCLUDE (b);
CREATE INDEX e_whole_row ON exprs.t (exprs.weight(t));
CREATE INDEX e_sql_syntax ON exprs.t (EXTRACT(year FROM d));
CREATE INDEX e_constant ON exprs.t ((b || 'it''s'));
CREATE INDEX e_hash ON exprs.t USING hash (lower(b));
CREATE INDEX e_case ON exprs.t ((CASE WHEN a > 0 THEN 'pos' ELSE 'neg' END));
CREATE INDEX p_simple ON exprs.t (a) WHERE c > 0;
CREATE INDEX p_and_or ON exprs.t (a) WHERE (c > 0 AND b IS NOT NULL) OR "Note" IN ('x', 'y');
CREATE INDEX p_like ON exprs.t (b) WHERE b LIKE 'abc%' AND NOT ok;
CREATE INDEX p_expression ON exprs.t (lower(b)) WHERE "user" <> 'it''s';
CREATE INDEX p_case ON exprs.t (a) WHERE CASE WHEN c > 0 THEN true ELSE ok END;
CREATE INDEX o_options ON exprs.t USING gist (tsv tsvector_ops (siglen = 100));
CREATE TABLE exprs.parted (id int, at date, note text) PARTITION BY RANGE (at);
CREATE TABLE exprs.parted_2026 PARTITION OF exprs.parted
  FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE INDEX parted_expr ON exprs.parted (lower(note)) WHERE id > 0;
SELECT object_name,
       detail->>'definition' = pg_get_indexdef(object_name::regclass) AS same_as_pg,
       detail->>'definition' AS definition
  FROM dbopt_health('exprs')
 WHERE check_id = 'index_unused'
 ORDER BY object_name;

-- With the table locked by another session, they are still written in full, except the two
-- with a CASE, which pg_get_indexdef lays out on several lines, and the one with operator
-- class options (o_options): those are left to pg_get_indexdef, which would wait for the
-- lock, so their evidence says why the definition is missing.
CREATE EXTENSION dblink;
SELECT dblink_connect('locker', format('host=%s port=%s dbname=%s user=%s',
  split_part(current_setting('unix_socket_directories'), ',', 1), current_setting('port'),
  current_database(), current_user));
SELECT dblink_exec('locker', 'BEGIN');
SELECT dblink_exec('locker', 'LOCK TABLE exprs.t IN ACCESS EXCLUSIVE MODE');
SET lock_timeout = '3s';
SELECT object_name, detail->>'definition' LIKE '/* definition of index % unavailable%' AS unavailable
  FROM dbopt_health('exprs')
 WHERE check_id = 'index_unused'
 ORDER BY object_name;
RESET lock_timeout;
SELECT dblink_exec('locker', 'ROLLBACK');
SELECT dblink_disconnect('locker');
DROP EXTENSION dblink;
DROP SCHEMA exprs CASCADE;
