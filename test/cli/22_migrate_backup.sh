#!/usr/bin/env bash
# Backups before a data-destroying migration (src/cli/migrate/backup.hpp), through the test
# driver until `dbopt migrate up --backup` calls it: exactly the tables the up section destroys
# data in, unqualified names resolved through the search_path, a table created earlier in the
# same migration skipped, partitions included; a dump that restores with the printed command;
# no dump when nothing is destroyed; a failing pg_dump is a clear error and leaves no file.
source "$(dirname "$0")/helpers.bash"
DRIVER=$(dirname "$DBOPT")/dbopt_backup_driver
DB=cli_migrate_backup
fresh_db $DB
CONN="dbname=$DB"
psql -X -q -v ON_ERROR_STOP=1 -d $DB >/dev/null <<'SQL'
CREATE SCHEMA app;
CREATE TABLE app.ledger (id int PRIMARY KEY, amount numeric NOT NULL, note text);
INSERT INTO app.ledger SELECT g, g * 1.5, 'row ' || g FROM generate_series(1, 1000) g;
CREATE TABLE app.keep (id int);
INSERT INTO app.keep VALUES (1);
CREATE TABLE "Mixed Case" (id int);
INSERT INTO "Mixed Case" VALUES (7), (8);
CREATE TABLE app.events (id int, at date) PARTITION BY RANGE (at);
CREATE TABLE app.events_2026 PARTITION OF app.events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
INSERT INTO app.events VALUES (1, '2026-05-01');
ALTER DATABASE cli_migrate_backup SET search_path = app, public;
SQL
M=$SCRATCH/m
mkdir -p "$M"
cat >"$M/20261201170000_drop_ledger.sql" <<'SQL'
-- dbopt:up
CREATE TABLE scratch (id int);
INSERT INTO scratch VALUES (1);
DELETE FROM scratch;                      -- created above: not dumped
ALTER TABLE ledger DROP COLUMN note;      -- unqualified: app.ledger through the search_path
DROP TABLE ledger;
TRUNCATE "Mixed Case", app.events;
UPDATE keep SET id = 2 WHERE id = 1;      -- has a WHERE: not destroying
DROP TABLE IF EXISTS no_such_table;       -- does not exist: nothing to dump
-- dbopt:down
SQL
run "$DRIVER" "$CONN" "$SCRATCH/backups" "$M/20261201170000_drop_ledger.sql"
expect_status 0 "backup:"
dump=$(sed -n 's/^path: //p' <<<"$out")
restore=$(sed -n 's/^restore: //p' <<<"$out")
echo "# $out"
expect_true "the dump is FOLDER/VERSION_NAME-<UTC>.dump" grep -qE "^$SCRATCH/backups/20261201170000_drop_ledger-[0-9]{8}T[0-9]{6}Z\.dump$" <<<"$dump"
expect_true "the dump file exists" test -s "$dump"
expect_true "exactly the destroyed tables (partitions too), qualified" test \
  "$(grep '^table: ' <<<"$out" | LC_ALL=C sort | tr '\n' ' ')" = 'table: app.events table: app.events_2026 table: app.ledger table: public."Mixed Case" '
expect_true "the restore command is pg_restore of the dump" grep -qE "pg_restore --dbname=.*dbname=.?$DB.* --single-transaction --exit-on-error .*\.dump" <<<"$restore"
listed=$(pg_restore -l "$dump" | grep ' TABLE DATA ')
expect_true "the archive holds the rows of those tables only" test "$(wc -l <<<"$listed")" = 3
for t in "app ledger" "app events_2026" "public Mixed Case"; do
  expect_true "the archive holds the rows of $t" grep -q " TABLE DATA $t " <<<"$listed"
done

# The migration runs (as the runner would), then the printed command brings the rows back.
sed -n '/^-- dbopt:up$/,/^-- dbopt:down$/p' "$M/20261201170000_drop_ledger.sql" | grep -v '^-- dbopt:' |
  psql -X -q -v ON_ERROR_STOP=1 -d $DB >/dev/null 2>&1
expect_true "the migration dropped the table" test -z "$(sql $DB "SELECT to_regclass('app.ledger')")"
# The truncated tables still exist: restore the dropped table from the archive (its -t), the
# way docs/migrations.md describes for a partial restore, then the whole archive into a copy.
run bash -c "$restore -t ledger"
expect_status 0 "restore with the printed command (-t ledger):"
expect_true "the rows are back" test "$(sql $DB "SELECT count(*) || ':' || sum(amount) || ':' || count(note) FROM app.ledger")" = "1000:750750.0:1000"
fresh_db ${DB}_copy
sql ${DB}_copy "CREATE SCHEMA app"  # pg_dump -t dumps tables, not their schema
copy=${restore/dbname=$DB /dbname=${DB}_copy }
expect_true "the command names the database: it can be pointed at a copy" test "$copy" != "$restore"
run bash -c "$copy"
expect_status 0 "the printed command restores the whole archive into an empty database:"
expect_true "every table is in the copy" test "$(sql ${DB}_copy "SELECT (SELECT count(*) FROM app.ledger) || ',' || (SELECT count(*) FROM \"Mixed Case\") || ',' || (SELECT count(*) FROM app.events)")" = "1000,2,1"

# Nothing destroyed (only a table created by the migration itself): no dump.
cat >"$M/20261201170100_harmless.sql" <<'SQL'
-- dbopt:up
CREATE TABLE app.tmp (id int);
DROP TABLE tmp;
ALTER TABLE keep ADD COLUMN c int;
-- dbopt:down
DROP TABLE keep;
SQL
run "$DRIVER" "$CONN" "$SCRATCH/backups2" "$M/20261201170100_harmless.sql"
expect_status 0 "nothing to dump:"
expect_true "nothing to dump: no path" test -z "$out"
expect_true "nothing to dump: no folder" test ! -e "$SCRATCH/backups2"

# pg_dump fails (the role may not read the table): a clear error, no file left.
sql $DB "CREATE ROLE backup_nobody LOGIN; GRANT USAGE ON SCHEMA app TO backup_nobody"
run "$DRIVER" "$CONN user=backup_nobody" "$SCRATCH/backups3" "$M/20261201170000_drop_ledger.sql"
expect_status 3 "pg_dump without rights:"
expect_err "pg_dump failed for the backup of 20261201170000_drop_ledger" "pg_dump without rights:"
expect_err "permission denied" "pg_dump without rights:"
expect_err "nothing of the migration was run" "pg_dump without rights:"
expect_true "no partial dump left" test -z "$(ls "$SCRATCH/backups3" 2>/dev/null)"
# A folder that cannot be written.
run "$DRIVER" "$CONN" /proc/no-such/folder "$M/20261201170000_drop_ledger.sql"
expect_status 3 "unwritable folder:"
expect_err "cannot create the folder" "unwritable folder:"
sql $DB "DROP OWNED BY backup_nobody; DROP ROLE backup_nobody" >/dev/null
finish
