-- Migration bookkeeping: what CREATE EXTENSION leaves and what an upgrade script must keep
-- (docs/migrations.md "Dumps and upgrades"): the tables are the extension's, registered for
-- pg_dump, with their columns, constraints and privileges; the drift triggers exist,
-- disabled; the functions' signatures and their errors.
BEGIN;
SELECT plan(37);

SELECT has_table('migration_history', 'migration_history exists');
SELECT has_table('migration_event', 'migration_event exists');
SELECT has_table('schema_change', 'schema_change exists');
SELECT columns_are('migration_history',
  ARRAY['version', 'name', 'kind', 'checksum', 'up_sql', 'down_sql', 'status', 'statements_total',
        'statements_done', 'applied_by', 'applied_at', 'duration_ms', 'error', 'backup',
        'down_statements_done'],
  'migration_history columns');
SELECT columns_are('migration_event',
  ARRAY['event_id', 'event', 'version', 'occurred_at', 'by_user', 'detail'],
  'migration_event columns');
SELECT columns_are('schema_change',
  ARRAY['change_id', 'occurred_at', 'by_user', 'application_name', 'transaction_id', 'command_tag',
        'object_type', 'object_identity', 'statement', 'acknowledged_at', 'acknowledged_by'],
  'schema_change columns');
SELECT col_is_pk('migration_history', 'version', 'one history row per version');
SELECT col_is_pk('migration_event', 'event_id', 'events are numbered');
SELECT col_is_pk('schema_change', 'change_id', 'changes are numbered');
SELECT col_type_is('migration_event', 'detail', 'jsonb', 'event detail is jsonb');
SELECT col_type_is('schema_change', 'transaction_id', 'xid8', 'schema_change.transaction_id is xid8');
SELECT is(
  (SELECT array_agg(conname::text ORDER BY conname) FROM pg_constraint
    WHERE conrelid = 'migration_history'::regclass AND contype = 'c'),
  ARRAY['migration_history_down_progress', 'migration_history_kind', 'migration_history_progress',
        'migration_history_status', 'migration_history_version_format'],
  'migration_history CHECK constraints');
SELECT is(
  (SELECT array_agg(conname::text ORDER BY conname) FROM pg_constraint
    WHERE conrelid = 'migration_event'::regclass AND contype = 'c'),
  ARRAY['migration_event_event'], 'migration_event CHECK constraint');

-- Extension members, registered for pg_dump (rows and sequence positions).
SELECT ok(
  ARRAY['migration_history', 'migration_event', 'migration_event_event_id_seq', 'schema_change',
        'schema_change_change_id_seq']::name[] <@
  (SELECT array_agg(c.relname) FROM pg_extension e, unnest(e.extconfig) r JOIN pg_class c ON c.oid = r
    WHERE e.extname = 'dbopt'),
  'the bookkeeping tables and sequences are in pg_extension.extconfig');
SELECT is(
  (SELECT count(*)::int FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid
    WHERE e.extname = 'dbopt' AND d.deptype = 'e' AND d.classid = 'pg_class'::regclass
      AND d.objid IN ('migration_history'::regclass, 'migration_event'::regclass,
                      'schema_change'::regclass)),
  3, 'the bookkeeping tables are extension members');

-- Privileges: closed to PUBLIC, except the columns the drift trigger writes.
SELECT ok(NOT has_table_privilege('public', 'migration_history', 'SELECT')
          AND NOT has_table_privilege('public', 'migration_history', 'INSERT')
          AND NOT has_table_privilege('public', 'migration_history', 'UPDATE'),
          'PUBLIC can neither read nor write migration_history');
SELECT ok(NOT has_table_privilege('public', 'migration_event', 'SELECT')
          AND NOT has_table_privilege('public', 'migration_event', 'INSERT'),
          'PUBLIC can neither read nor write migration_event');
SELECT ok(NOT has_table_privilege('public', 'schema_change', 'SELECT')
          AND NOT has_table_privilege('public', 'schema_change', 'UPDATE')
          AND NOT has_table_privilege('public', 'schema_change', 'DELETE'),
          'PUBLIC can neither read nor change schema_change');
SELECT ok(has_any_column_privilege('public', 'schema_change', 'INSERT')
          AND has_column_privilege('public', 'schema_change', 'statement', 'INSERT')
          AND NOT has_column_privilege('public', 'schema_change', 'by_user', 'INSERT')
          AND NOT has_column_privilege('public', 'schema_change', 'occurred_at', 'INSERT')
          AND NOT has_column_privilege('public', 'schema_change', 'acknowledged_at', 'INSERT'),
          'PUBLIC may insert only the columns the drift trigger supplies');

-- The drift event triggers exist, disabled, on the right events.
SELECT is(
  (SELECT array_agg(evtname || ':' || evtevent || ':' || evtenabled::text ORDER BY evtname)
     FROM pg_event_trigger WHERE evtname LIKE 'dbopt%'),
  ARRAY['dbopt_schema_drift:ddl_command_end:D', 'dbopt_schema_drift_drop:sql_drop:D'],
  'the drift triggers exist and are disabled after CREATE EXTENSION');
SELECT is(dbopt_drift_detection(), false, 'drift detection is off by default');
SELECT is(
  (SELECT count(*)::int FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid
    WHERE e.extname = 'dbopt' AND d.deptype = 'e' AND d.classid = 'pg_event_trigger'::regclass),
  2, 'the drift triggers are extension members');

-- Functions.
SELECT has_function('dbopt_migration_status', 'dbopt_migration_status() exists');
SELECT has_function('dbopt_migration_verify', ARRAY['jsonb'], 'dbopt_migration_verify(jsonb) exists');
SELECT has_function('dbopt_migration_verify', ARRAY[]::text[], 'dbopt_migration_verify() exists');
SELECT has_function('dbopt_acknowledge_drift', ARRAY['timestamp with time zone'], 'dbopt_acknowledge_drift exists');
SELECT has_function('dbopt_drift_detection', ARRAY['boolean'], 'dbopt_drift_detection(boolean) exists');
SELECT is(
  (SELECT array_agg(p.proname || ':' || p.provolatile::text ORDER BY p.proname, p.pronargs) FROM pg_proc p
    WHERE p.proname IN ('dbopt_migration_status', 'dbopt_migration_verify')),
  ARRAY['dbopt_migration_status:s', 'dbopt_migration_verify:s', 'dbopt_migration_verify:s'],
  'status and verify are STABLE (read-only)');
SELECT is(dbopt_version_key('1.10') > dbopt_version_key('1.9'), true, '1.10 sorts after 1.9');
SELECT is(dbopt_version_key('010'), dbopt_version_key('10'), '010 is 10');

SELECT throws_ok($$SELECT * FROM dbopt_migration_verify(NULL)$$, '22004', 'files must not be null',
                 'verify(NULL) raises null_value_not_allowed');
SELECT throws_ok($$SELECT * FROM dbopt_migration_verify('{}')$$, '22023',
                 'files must be a jsonb array, not object', 'verify of an object');
SELECT throws_ok($$SELECT * FROM dbopt_migration_verify('[{"version": "v1"}]')$$, '22023',
                 'files element 1 has an invalid version "v1"', 'verify of a bad version');

-- Writes the runner makes are accepted; bad ones refused by the constraints.
INSERT INTO migration_history (version, name, kind, checksum, status, statements_total, statements_done)
VALUES ('1.2', 'add_invoice', 'transactional', 'abc', 'applied', 1, 1);
SELECT is((SELECT version FROM dbopt_migration_status()), '1.2', 'status shows the history row');
SELECT throws_ok(
  $$INSERT INTO migration_history (version, name, kind, status) VALUES ('v2', 'x', 'transactional', 'applied')$$,
  '23514', NULL, 'a version that is not dot-separated digits is refused');
SELECT throws_ok(
  $$INSERT INTO migration_event (event) VALUES ('deploy')$$, '23514', NULL, 'an unknown event is refused');
SELECT is(
  (SELECT check_id || ':' || version FROM dbopt_migration_verify('[{"version": "1.2", "name": "add_invoice", "checksum": "abd"}]')),
  'checksum_changed:1.2', 'verify sees an edited file');

SELECT * FROM finish();
ROLLBACK;
