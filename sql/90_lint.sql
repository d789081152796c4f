-- dbopt_lint_sql(): the migration linter with the live schema (docs/migrations.md, "Lint
-- rules"). The same statement gets a severity that follows the table's size; the schema's
-- indexes, column types and functions remove findings; the script's own tables are exempt.
CREATE SCHEMA lint;
SET search_path = lint, public;
-- small: 10 rows; medium: 20,000 rows (both analyzed); big: statistics of a 10-million-row
-- table written into pg_class (no rows: autovacuum has nothing to redo); fresh: never analyzed.
CREATE TABLE small_t (id bigint PRIMARY KEY, name varchar(10), total integer, customer_id bigint);
INSERT INTO small_t SELECT g, 'n' || g, g, g FROM generate_series(1, 10) g;
CREATE TABLE medium_t (id bigint PRIMARY KEY, name varchar(10), total integer);
INSERT INTO medium_t SELECT g, 'n' || g, g FROM generate_series(1, 20000) g;
ANALYZE small_t, medium_t;
CREATE TABLE big_t (id bigint PRIMARY KEY, name varchar(10), total integer,
                    customer_id bigint, account_id bigint, note text)
  WITH (autovacuum_enabled = false);
CREATE INDEX big_t_account_id_idx ON big_t (account_id);
UPDATE pg_class SET reltuples = 10000000, relpages = 200000 WHERE oid = 'big_t'::regclass;
CREATE TABLE fresh_t (id bigint);
CREATE TABLE customers (id bigint PRIMARY KEY);
CREATE FUNCTION next_code() RETURNS text LANGUAGE sql VOLATILE AS $$ SELECT 'x' $$;

-- One statement, three sizes: info, warning, error; never analyzed: the default, warning.
SELECT statement_number, line, rule_id, severity, object_name, message
  FROM dbopt_lint_sql($$
SET lock_timeout = '2s';
CREATE INDEX small_name_idx ON small_t (name);
CREATE INDEX medium_name_idx ON medium_t (name);
CREATE INDEX big_name_idx ON big_t (name);
CREATE INDEX fresh_id_idx ON fresh_t (id);
CREATE INDEX CONCURRENTLY big_note_idx ON big_t (note);
$$);

-- SET NOT NULL, a rewriting type change and a volatile default on the small and the big table.
SELECT statement_number, rule_id, severity, object_name, message
  FROM dbopt_lint_sql($$
SET lock_timeout = '2s';
ALTER TABLE small_t ALTER COLUMN name SET NOT NULL;
ALTER TABLE big_t ALTER COLUMN name SET NOT NULL;
ALTER TABLE small_t ALTER COLUMN total TYPE bigint;
ALTER TABLE big_t ALTER COLUMN total TYPE bigint;
ALTER TABLE big_t ADD COLUMN token uuid DEFAULT gen_random_uuid();
ALTER TABLE big_t ADD COLUMN code text DEFAULT next_code();
$$);

-- What the schema or the script already makes safe: nothing reported below except the
-- lock_timeout reminders (binary-coercible type changes, stable and constant defaults, the
-- CHECK ... NOT VALID / VALIDATE / SET NOT NULL pattern).
SELECT statement_number, rule_id, severity, object_name
  FROM dbopt_lint_sql($$
ALTER TABLE big_t ALTER COLUMN name TYPE varchar(20);
ALTER TABLE big_t ALTER COLUMN name TYPE text;
ALTER TABLE big_t ADD COLUMN created timestamptz DEFAULT now();
ALTER TABLE big_t ADD COLUMN flags integer NOT NULL DEFAULT 0;
ALTER TABLE big_t ADD CONSTRAINT big_t_note_not_null CHECK (note IS NOT NULL) NOT VALID;
ALTER TABLE big_t VALIDATE CONSTRAINT big_t_note_not_null;
ALTER TABLE big_t ALTER COLUMN note SET NOT NULL;
$$);

-- Foreign keys: account_id has an index (no finding), customer_id has none.
SELECT statement_number, rule_id, severity, object_name, message
  FROM dbopt_lint_sql($$
SET lock_timeout = '2s';
ALTER TABLE big_t ADD CONSTRAINT big_t_account_fk FOREIGN KEY (account_id) REFERENCES customers NOT VALID;
ALTER TABLE big_t ADD CONSTRAINT big_t_customer_fk FOREIGN KEY (customer_id) REFERENCES customers NOT VALID;
ALTER TABLE big_t ADD CONSTRAINT big_t_customer_fk2 FOREIGN KEY (customer_id) REFERENCES customers;
$$);
SELECT safe_alternative FROM dbopt_lint_sql(
  'ALTER TABLE big_t ADD CONSTRAINT big_t_customer_fk FOREIGN KEY (customer_id) REFERENCES customers')
 WHERE rule_id IN ('foreign-key-without-not-valid', 'foreign-key-without-index');

-- A table created in the same script is empty and unused: only its column types are judged
-- (and its foreign key's index, which the script builds further down).
SELECT statement_number, line, rule_id, severity, object_name
  FROM dbopt_lint_sql($$
CREATE TABLE orders (
  id serial PRIMARY KEY,
  customer_id bigint REFERENCES customers,
  payload json,
  placed_at timestamp,
  country char(2)
);
CREATE INDEX orders_placed_idx ON orders (placed_at);
ALTER TABLE orders ADD COLUMN status text NOT NULL;
ALTER TABLE orders ADD CONSTRAINT orders_total_check CHECK (id > 0);
ALTER TABLE orders RENAME COLUMN status TO state;
CREATE INDEX CONCURRENTLY orders_customer_idx ON orders (customer_id);
$$);

-- Locks and transactions: CONCURRENTLY inside BEGIN ... COMMIT, SET LOCAL, renames and drops.
SELECT statement_number, line, rule_id, severity, object_name
  FROM dbopt_lint_sql($$
BEGIN;
SET LOCAL lock_timeout = '1s';
ALTER TABLE small_t RENAME COLUMN name TO full_name;
CREATE INDEX CONCURRENTLY small_total_idx ON small_t (total);
COMMIT;
ALTER TABLE small_t DROP COLUMN total;
DROP INDEX big_t_account_id_idx;
DROP TABLE fresh_t;
REINDEX TABLE big_t;
ALTER TABLE medium_t ADD CONSTRAINT medium_name_key UNIQUE (name);
$$);
-- The whole script as one transaction (a runner that wraps it).
SELECT statement_number, rule_id, severity
  FROM dbopt_lint_sql('DROP INDEX CONCURRENTLY big_t_account_id_idx', single_transaction => true);
-- Two findings in full: the explanation and the SQL to write instead.
SELECT rule_id, explanation, safe_alternative
  FROM dbopt_lint_sql('ALTER TABLE big_t ALTER COLUMN note SET NOT NULL; CREATE INDEX big_total_idx ON big_t (total)',
                      search_path => 'lint')
 WHERE rule_id <> 'missing-lock-timeout';

-- Names resolve through search_path (argument or the caller's); a table not found keeps the
-- conservative default.
SELECT rule_id, severity, object_name, message
  FROM dbopt_lint_sql('CREATE INDEX ON big_t (total)', search_path => 'public');
SELECT rule_id, severity, object_name
  FROM dbopt_lint_sql('CREATE INDEX ON lint.big_t (total)', search_path => 'public');

-- The script is never executed: the table is still there, and no lock was taken on it.
BEGIN;
SELECT count(*) AS findings FROM dbopt_lint_sql('DROP TABLE small_t; TRUNCATE small_t');
SELECT count(*) AS relation_locks FROM pg_locks
 WHERE locktype = 'relation' AND relation = 'lint.small_t'::regclass;
COMMIT;
SELECT count(*) AS rows_left FROM small_t;

-- A user without USAGE on the schema sees what pg_class shows everyone: the sizes of
-- qualified names; unqualified names do not resolve through a schema it may not use.
CREATE ROLE lint_user;
SET ROLE lint_user;
SELECT rule_id, severity, object_name
  FROM dbopt_lint_sql('CREATE INDEX ON lint.big_t (total); CREATE INDEX ON big_t (total)');
RESET ROLE;
DROP ROLE lint_user;

-- Bad input: NULL, empty and comment-only scripts, syntax errors (with line and column).
SELECT * FROM dbopt_lint_sql(NULL);
SELECT count(*) FROM dbopt_lint_sql('');
SELECT count(*) FROM dbopt_lint_sql(E'  -- nothing here\n/* nor here */  ');
SELECT * FROM dbopt_lint_sql(E'SET lock_timeout = 1000;\nALTER TABLE big_t\n  ADD COLUMNN x int;');
SELECT * FROM dbopt_lint_sql($$SELECT 'unterminated$$);
SELECT sqlstate_of($$SELECT * FROM dbopt_lint_sql('CREATE TABLE (')$$);
SELECT sqlstate_of($$SELECT * FROM dbopt_lint_sql(NULL)$$);
-- A statement the linter has no rule for, and a NULL search_path (the pinned one is kept).
SELECT count(*) FROM dbopt_lint_sql('SELECT 1; VACUUM big_t; COMMENT ON TABLE big_t IS $c$x$c$');
SELECT rule_id, severity FROM dbopt_lint_sql('CREATE INDEX ON big_t (total)', search_path => NULL);

RESET search_path;
DROP SCHEMA lint CASCADE;
