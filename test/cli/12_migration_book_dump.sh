#!/usr/bin/env bash
# Safety of the migration bookkeeping: a pg_dump round trip keeps the history, the events, the
# recorded schema drift and both sequences' positions (the restore runs CREATE EXTENSION and
# then loads the config-dumped rows); drift detection comes back off (event triggers are not
# dumped); DROP EXTENSION with drift detection on drops its triggers cleanly.
source "$(dirname "$0")/helpers.bash"
DB=cli_migdump
RESTORED=cli_migdump_restored
S='"Mig Dump"'  # the extension's schema: quoted, not on the search_path
fresh_db $DB
fresh_db $RESTORED
sql $DB "CREATE SCHEMA $S; CREATE EXTENSION dbopt SCHEMA $S"

psql -X -q -v ON_ERROR_STOP=1 -d $DB >/dev/null <<SQL
INSERT INTO $S.migration_history (version, name, kind, checksum, up_sql, down_sql, status,
                                  statements_total, statements_done, duration_ms, error, backup)
VALUES ('1', 'create_invoice', 'transactional', 'c1', 'CREATE TABLE invoice (id int);', 'DROP TABLE invoice;', 'applied', 1, 1, 4.5, NULL, NULL),
       ('1.10', 'drop_legacy', 'transactional', 'c110', 'DROP TABLE legacy;', 'CREATE TABLE legacy ();', 'applied', 1, 1, 2, NULL, '/backups/1.10'),
       ('2', 'index_total', 'non_transactional', 'c2', 'CREATE INDEX CONCURRENTLY ...;', 'DROP INDEX ...;', 'failed', 2, 1, 9, 'deadlock detected', NULL);
INSERT INTO $S.migration_event (event, version, detail)
VALUES ('apply', '1', '{"duration_ms": 4.5}'), ('apply', '1.10', NULL), ('fail', '2', '{"error": "deadlock detected"}');
-- Gaps in the sequences: the restored positions must be the sequences', not max(id).
SELECT nextval(pg_get_serial_sequence('$S.migration_event', 'event_id')) FROM generate_series(1, 5);
SELECT $S.dbopt_drift_detection(true);
CREATE TABLE drifted (id int PRIMARY KEY);
SELECT nextval(pg_get_serial_sequence('$S.schema_change', 'change_id')) FROM generate_series(1, 3);
SQL
sql $DB "SELECT $S.dbopt_acknowledge_drift()" >/dev/null
sql $DB "ALTER TABLE drifted ADD COLUMN note text"  # one change left unsettled

rows() { # db: the bookkeeping rows, one line
  sql $1 "SELECT (SELECT string_agg(concat_ws(':', version, name, kind, status, checksum, up_sql, down_sql, statements_done, statements_total, duration_ms, error, backup, applied_by, applied_at), ',' ORDER BY version) FROM $S.migration_history)
    || '|' || (SELECT string_agg(concat_ws(':', event_id, event, version, detail, by_user, occurred_at), ',' ORDER BY event_id) FROM $S.migration_event)
    || '|' || (SELECT string_agg(concat_ws(':', change_id, command_tag, object_type, object_identity, statement, by_user, application_name, transaction_id, occurred_at, acknowledged_at IS NULL, acknowledged_by), ',' ORDER BY change_id) FROM $S.schema_change)"
}
before=$(rows $DB)
event_next=$(sql $DB "SELECT last_value + 1 FROM $S.migration_event_event_id_seq")
change_next=$(sql $DB "SELECT last_value + 1 FROM $S.schema_change_change_id_seq")
expect_true "the database has history, events and drift rows" \
  test "$(sql $DB "SELECT (SELECT count(*) FROM $S.migration_history) || ' ' || (SELECT count(*) FROM $S.migration_event) || ' ' || (SELECT count(*) FROM $S.schema_change)")" = "3 3 3"

for format in custom plain; do
  dump_restore $format $DB $RESTORED
  after=$(rows $RESTORED)
  expect_true "$format restore: every bookkeeping row and column is the same" test "$before" = "$after"
  expect_true "$format restore: the extension was created by the restore, in its schema" \
    test "$(sql $RESTORED "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'dbopt'")" = "Mig Dump"
  expect_true "$format restore: the event id sequence continues at $event_next" \
    test "$(sql $RESTORED "INSERT INTO $S.migration_event (event) VALUES ('repair') RETURNING event_id")" = "$event_next"
  expect_true "$format restore: the change id sequence continues at $change_next" \
    test "$(sql $RESTORED "INSERT INTO $S.schema_change (command_tag) VALUES ('COMMENT') RETURNING change_id")" = "$change_next"
  expect_true "$format restore: drift detection is off (event triggers are not dumped)" \
    test "$(sql $RESTORED "SELECT $S.dbopt_drift_detection()")" = f
  expect_true "$format restore: verify still reports the unsettled change" \
    test "$(sql $RESTORED "SELECT count(*) FROM $S.dbopt_migration_verify() WHERE check_id = 'schema_drift' AND message LIKE 'ALTER TABLE public.drifted %'")" = 1
  expect_true "$format restore: the history's constraints hold (a key, five checks)" \
    test "$(sql $RESTORED "SELECT count(*) FROM pg_constraint WHERE conrelid = '$S.migration_history'::regclass")" = 6
done

# DROP EXTENSION with drift detection on drops its triggers and records nothing anywhere.
run psql -X -q -v ON_ERROR_STOP=1 -d $DB -c "DROP EXTENSION dbopt"
expect_status 0 "DROP EXTENSION with drift detection on:"
expect_true "no event trigger left" test "$(sql $DB "SELECT count(*) FROM pg_event_trigger")" = 0
run psql -X -q -v ON_ERROR_STOP=1 -d $DB -c "CREATE TABLE after_drop (id int)"
expect_status 0 "DDL after DROP EXTENSION:"

psql -X -q -d postgres -c "DROP DATABASE $DB" -c "DROP DATABASE $RESTORED"
finish
