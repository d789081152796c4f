-- dbopt_health() arguments with the data checks: NULL include_data, unknown schema, and the
-- data checks locking only what they read.
SELECT sqlstate_of($$SELECT * FROM dbopt_health(include_data => NULL)$$);
SELECT sqlstate_of($$SELECT * FROM dbopt_health(schema_name => 'no_such_schema', include_data => true)$$);
SELECT * FROM dbopt_health(include_data => NULL);
-- An empty schema: nothing to sample, nothing reported.
CREATE SCHEMA dt_empty;
SELECT count(*) FROM dbopt_health(schema_name => 'dt_empty', include_data => true);
-- Locks: each probe's AccessShareLock is released when the probe ends (its subtransaction
-- is rolled back), so none is left in the caller's transaction, however many tables.
CREATE SCHEMA dt_lock;
CREATE TABLE dt_lock.a (x integer);
CREATE TABLE dt_lock.b (x integer NOT NULL);
INSERT INTO dt_lock.a VALUES (1);
INSERT INTO dt_lock.b VALUES (1);
BEGIN;
SELECT count(*) FROM dbopt_health(schema_name => 'dt_lock', include_data => true)
 WHERE check_id = 'column_missing_not_null';
SELECT c.relname, l.mode FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
 WHERE l.pid = pg_backend_pid() AND c.relnamespace = 'dt_lock'::regnamespace ORDER BY 1, 2;
COMMIT;
