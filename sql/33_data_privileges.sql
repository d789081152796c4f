-- Data checks run with the caller's privileges: a table the caller cannot SELECT (or reads
-- through row-level security) is skipped with a NOTICE, never an error, and yields nothing.
CREATE SCHEMA dt_priv;
CREATE TABLE dt_priv.users (id integer PRIMARY KEY);
CREATE TABLE dt_priv.secret_orders (user_id integer, note text);
CREATE TABLE dt_priv.open_orders (user_id integer, note text);
CREATE TABLE dt_priv.rls_orders (user_id integer, note text);
INSERT INTO dt_priv.users SELECT g FROM generate_series(1, 5) g;
INSERT INTO dt_priv.secret_orders VALUES (1, 'a'), (2, 'b');
INSERT INTO dt_priv.open_orders VALUES (1, 'a'), (2, 'b');
INSERT INTO dt_priv.rls_orders VALUES (1, 'a'), (2, 'b');
ALTER TABLE dt_priv.rls_orders ENABLE ROW LEVEL SECURITY;
CREATE POLICY only_one ON dt_priv.rls_orders USING (user_id = 1);
ANALYZE dt_priv.users, dt_priv.secret_orders, dt_priv.open_orders, dt_priv.rls_orders;
CREATE ROLE regress_dt_reader LOGIN;
GRANT USAGE ON SCHEMA dt_priv TO regress_dt_reader;
GRANT SELECT ON dt_priv.users, dt_priv.open_orders, dt_priv.rls_orders TO regress_dt_reader;

-- The owner sees every finding.
SELECT check_id, object_name FROM dbopt_health(schema_name => 'dt_priv', include_data => true)
 WHERE check_id IN ('fk_implied', 'column_missing_not_null', 'column_redundant_copy')
 ORDER BY 1, 2;
BEGIN;
SET LOCAL ROLE regress_dt_reader;
SELECT check_id, object_name FROM dbopt_health(schema_name => 'dt_priv', include_data => true)
 WHERE check_id IN ('fk_implied', 'column_missing_not_null', 'column_redundant_copy')
 ORDER BY 1, 2;
-- No lock was taken on the table the role cannot read.
SELECT count(*) FROM pg_locks
 WHERE relation = 'dt_priv.secret_orders'::regclass AND pid = pg_backend_pid();
COMMIT;
-- Without SELECT on the referenced table the implied FK cannot be confirmed either.
RESET ROLE;
REVOKE SELECT ON dt_priv.users FROM regress_dt_reader;
SET ROLE regress_dt_reader;
SELECT check_id, object_name FROM dbopt_health(schema_name => 'dt_priv', include_data => true)
 WHERE check_id IN ('fk_implied', 'column_missing_not_null', 'column_redundant_copy')
 ORDER BY 1, 2;
RESET ROLE;
SET client_min_messages = warning;
DROP SCHEMA dt_priv CASCADE;
RESET client_min_messages;
DROP ROLE regress_dt_reader;
