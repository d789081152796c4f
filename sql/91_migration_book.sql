-- Migration bookkeeping: dbopt_migration_status(), dbopt_migration_verify(files), and schema
-- drift detection (dbopt_drift_detection, the event triggers, dbopt_acknowledge_drift).
-- History rows are written here as the runner writes them, with fixed times.
SET client_min_messages = warning;
\set SHOW_CONTEXT never

-- Nothing in the history yet; drift detection is off after CREATE EXTENSION.
SELECT count(*) AS history_rows FROM dbopt_migration_status();
SELECT * FROM dbopt_migration_verify('[]');
SELECT dbopt_drift_detection() AS drift_detection_on;
SELECT evtname, evtevent, evtenabled FROM pg_event_trigger WHERE evtname LIKE 'dbopt%' ORDER BY 1;

INSERT INTO migration_history (version, name, kind, checksum, up_sql, down_sql, status,
                               statements_total, statements_done, applied_at, duration_ms, error)
VALUES ('1', 'baseline', 'baseline', NULL, NULL, NULL, 'baseline', 0, 0, '2026-01-01 00:00:00+00', NULL, NULL),
       ('1.9', 'add_invoice', 'transactional', 'c19', 'CREATE TABLE ...', 'DROP TABLE ...', 'applied', 1, 1, '2026-01-02 00:00:00+00', 12.5, NULL),
       ('1.10', 'add_total', 'transactional', 'c110', 'ALTER TABLE ...', 'ALTER TABLE ...', 'applied', 1, 1, '2026-01-03 00:00:00+00', 3, NULL),
       ('2', 'drop_legacy', 'transactional', 'c2', 'DROP TABLE ...', 'CREATE TABLE ...', 'applied', 1, 1, '2026-01-04 00:00:00+00', 4, NULL),
       ('3', 'index_total', 'non_transactional', 'c3', 'CREATE INDEX CONCURRENTLY ...', 'DROP INDEX ...', 'running', 3, 1, '2026-01-05 00:00:00+00', NULL, NULL),
       ('4', 'bad_cast', 'transactional', 'c4', 'ALTER TABLE ...', 'ALTER TABLE ...', 'failed', 2, 0, '2026-01-06 00:00:00+00', 8, 'column "x" cannot be cast automatically to type integer'),
       ('5', 'tried', 'transactional', 'c5', 'CREATE VIEW ...', 'DROP VIEW ...', 'rolled_back', 1, 1, '2026-01-07 00:00:00+00', 2, NULL);

-- Version order, number by number: 1.9 before 1.10.
SELECT version, name, kind, status, applied_at AT TIME ZONE 'UTC' AS applied_at_utc, applied_by = current_user AS by_me,
       duration_ms, statements_done, statements_total, error, backup
  FROM dbopt_migration_status();

-- Files and history agree on 1.9, 3 and 4 (3 is still running, 4 failed: both reported); the
-- baseline covers 0.5 and 1; 5 was rolled back and is pending again; 6 is new; 1.5 is lower
-- than the newest applied; 1.10 (its file spells it 01.10) was edited; the file of 2 is gone.
SELECT check_id, version, name, message, fix, detail
  FROM dbopt_migration_verify('[
    {"version": "0.5", "name": "old", "checksum": "x"},
    {"version": "1", "name": "baseline", "checksum": null},
    {"version": "1.5", "name": "late_fix", "checksum": "c15"},
    {"version": "1.9", "name": "add_invoice", "checksum": "c19"},
    {"version": "01.10", "name": "add_total", "checksum": "c110-edited"},
    {"version": "3", "name": "index_total", "checksum": "c3"},
    {"version": "4", "name": "bad_cast", "checksum": "c4"},
    {"version": "5", "name": "tried"},
    {"version": "6", "name": "add_customer", "checksum": "c6"}
  ]');
-- Without files: only what the history says by itself.
SELECT check_id, version FROM dbopt_migration_verify();

-- Bad input: clear errors with a SQLSTATE and a hint.
\set VERBOSITY default
SELECT * FROM dbopt_migration_verify(NULL);
SELECT * FROM dbopt_migration_verify('{"version": "1"}');
SELECT * FROM dbopt_migration_verify('["1"]');
SELECT * FROM dbopt_migration_verify('[{"name": "no_version"}]');
SELECT * FROM dbopt_migration_verify('[{"version": 1}]');
SELECT * FROM dbopt_migration_verify('[{"version": "1.x"}]');
SELECT * FROM dbopt_migration_verify('[{"version": ""}]');
SELECT * FROM dbopt_migration_verify('[{"version": "1", "checksum": 42}]');
SELECT * FROM dbopt_migration_verify('[{"version": "010"}, {"version": "10"}]');
SELECT dbopt_drift_detection(NULL);
SELECT dbopt_acknowledge_drift(NULL);
\set VERBOSITY terse
SELECT sqlstate_of($$SELECT * FROM dbopt_migration_verify(NULL)$$);
SELECT sqlstate_of($$SELECT * FROM dbopt_migration_verify('[{"version": "1.x"}]')$$);

-- Drift detection off: DDL is not recorded.
CREATE TABLE mb_before (id integer);
SELECT count(*) AS recorded FROM schema_change;

-- On: DDL outside a migration is recorded, one row per object, grouped per statement by verify.
SELECT dbopt_drift_detection(true) AS drift_detection_on;
SELECT evtname, evtenabled FROM pg_event_trigger WHERE evtname LIKE 'dbopt%' ORDER BY 1;
CREATE TABLE mb_drift (id serial PRIMARY KEY, note text);
ALTER TABLE mb_drift ADD COLUMN total numeric;
CREATE INDEX mb_drift_total_idx ON mb_drift (total);
DROP TABLE mb_before;
-- Not recorded: DDL while the runner's setting is on (transaction-local, as the runner sets it).
BEGIN;
SELECT set_config('dbopt_migrate.version', '6', true) IS NOT NULL AS in_migration;
CREATE TABLE mb_migrated (id integer);
ALTER TABLE mb_drift ADD COLUMN migrated boolean;
COMMIT;
-- ... and session-level around autocommit statements, until reset.
SELECT set_config('dbopt_migrate.version', '6', false) IS NOT NULL AS in_migration;
CREATE INDEX mb_migrated_id_idx ON mb_migrated (id);
SELECT set_config('dbopt_migrate.version', '', false) = '' AS migration_over;
-- Not recorded: temporary objects, and dbopt's own objects.
CREATE TEMP TABLE mb_temp (id integer);
CREATE INDEX mb_temp_id_idx ON mb_temp (id);
DROP TABLE mb_temp;
COMMENT ON TABLE migration_history IS 'dbopt migrate: one row per migration version, with the SQL applied and its state';
-- Recorded under a hostile search_path: a look-alike table and function earlier on the path
-- change nothing.
CREATE SCHEMA mb_evil;
CREATE TABLE mb_evil.schema_change (command_tag text, object_type text, object_identity text, statement text);
CREATE FUNCTION mb_evil.current_query() RETURNS text LANGUAGE sql AS $$ SELECT 'evil' $$;
SET search_path = mb_evil, public;
COMMENT ON TABLE public.mb_drift IS 'drifted';
RESET search_path;
SELECT count(*) AS evil_rows FROM mb_evil.schema_change;
-- A rolled-back DDL leaves no row.
BEGIN;
CREATE TABLE mb_rolled_back (id integer);
ROLLBACK;

SELECT command_tag, object_type, object_identity, statement, by_user = current_user AS by_me,
       application_name, acknowledged_at IS NULL AS unsettled
  FROM schema_change ORDER BY change_id;

-- verify reports each unsettled statement once, after the file differences.
SELECT check_id, version,
       regexp_replace(message, '\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC', '<time>') AS message,
       regexp_replace(fix, '''[^'']*''\)', '''<time>'')') AS fix,
       detail -> 'statement' AS statement, jsonb_array_length(detail -> 'change_ids') AS changes,
       detail -> 'changes' -> 0 AS first_change
  FROM dbopt_migration_verify('[{"version": "1.9", "name": "add_invoice", "checksum": "c19"},
                                {"version": "1.10", "name": "add_total", "checksum": "c110"},
                                {"version": "2", "name": "drop_legacy", "checksum": "c2"}]')
 WHERE check_id = 'schema_drift';

-- Settling: up to a moment, then the rest; settled rows stay, verify stops reporting them.
SELECT dbopt_acknowledge_drift(before => '2000-01-01') AS settled_before_2000;
SELECT dbopt_acknowledge_drift() AS settled;
SELECT dbopt_acknowledge_drift() AS settled_again;
SELECT count(*) AS rows_kept, count(*) FILTER (WHERE acknowledged_by = current_user) AS settled_by_me
  FROM schema_change;
SELECT check_id FROM dbopt_migration_verify() WHERE check_id = 'schema_drift';

-- Off again: nothing recorded.
SELECT dbopt_drift_detection(false) AS drift_detection_on;
CREATE TABLE mb_after (id integer);
SELECT count(*) FILTER (WHERE acknowledged_at IS NULL) AS unsettled FROM schema_change;

-- A role without grants: clear permission errors naming the GRANT, not a crash; its own DDL is
-- still recorded (PUBLIC may insert the trigger's columns, nothing else); a trigger that
-- cannot record warns and lets the DDL through.
CREATE ROLE regress_mb_dev;
CREATE SCHEMA mb_dev AUTHORIZATION regress_mb_dev;
SELECT dbopt_drift_detection(true) AS drift_detection_on;
SET ROLE regress_mb_dev;
\set VERBOSITY default
SELECT * FROM dbopt_migration_status();
SELECT * FROM dbopt_migration_verify('[]');
SELECT dbopt_acknowledge_drift();
SELECT dbopt_drift_detection(false);
SELECT count(*) FROM schema_change;
INSERT INTO schema_change (command_tag, by_user) VALUES ('CREATE TABLE', 'postgres');
\set VERBOSITY terse
SELECT dbopt_drift_detection() AS drift_detection_on;
CREATE TABLE mb_dev.t (id integer);
RESET ROLE;
SELECT command_tag, object_identity, by_user FROM schema_change WHERE acknowledged_at IS NULL ORDER BY change_id;
REVOKE INSERT (statement) ON schema_change FROM PUBLIC;
SET ROLE regress_mb_dev;
SET client_min_messages = warning;
CREATE TABLE mb_dev.u (id integer);
RESET ROLE;
GRANT INSERT (statement) ON schema_change TO PUBLIC;
SELECT to_regclass('mb_dev.u') IS NOT NULL AS ddl_went_through;
-- Reading can be granted.
GRANT SELECT ON migration_history, schema_change TO regress_mb_dev;
SET ROLE regress_mb_dev;
SELECT count(*) AS history_rows FROM dbopt_migration_status();
-- The role's CREATE TABLE, and the privilege changes made above (they change the schema too).
SELECT regexp_replace(message, ' at \d.*', '') AS drift
  FROM dbopt_migration_verify() WHERE check_id = 'schema_drift';
RESET ROLE;

-- Clean up.
SELECT dbopt_drift_detection(false) AS drift_detection_on;
DROP SCHEMA mb_dev CASCADE;
DROP SCHEMA mb_evil CASCADE;
DROP TABLE mb_drift, mb_migrated, mb_after;
REVOKE ALL ON migration_history, schema_change FROM regress_mb_dev;
DROP ROLE regress_mb_dev;
DELETE FROM schema_change;
DELETE FROM migration_history;
RESET client_min_messages;
