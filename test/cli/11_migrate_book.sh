#!/usr/bin/env bash
# dbopt migrate status and verify against a real server: exit statuses, text and json; a
# missing extension, a missing folder and a role without grants; edits that change tokens
# and edits that do not; schema drift recorded and settled (the pg_dump round trip of the
# same tables is 12_migration_book_dump.sh).
source "$(dirname "$0")/helpers.bash"
DB=cli_migbook
BARE=cli_migbook_bare
ROLE=cli_migbook_reader
S='"Mig Book"'  # the extension's schema: quoted, not on the search_path
M=$SCRATCH/migrations
mkdir -p "$M"
fresh_db $BARE
fresh_db $DB
sql $DB "CREATE SCHEMA $S; CREATE EXTENSION dbopt SCHEMA $S"

cat >"$M/1_create_invoice.sql" <<'SQL'
-- dbopt:up
CREATE TABLE invoice (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, total numeric NOT NULL);
-- dbopt:down
DROP TABLE invoice;
SQL
cat >"$M/1.10_add_note.sql" <<'SQL'
-- dbopt:up
ALTER TABLE invoice ADD COLUMN note text DEFAULT 'none';
-- dbopt:down
ALTER TABLE invoice DROP COLUMN note;
SQL
cat >"$M/1.9_add_due.sql" <<'SQL'
-- dbopt:up
ALTER TABLE invoice ADD COLUMN due date;
-- dbopt:down
ALTER TABLE invoice DROP COLUMN due;
SQL
cp "$M/1.10_add_note.sql" "$SCRATCH/note.orig"

# No extension in the database, no folder: clear errors.
run "$DBOPT" migrate status -d $BARE --dir "$M"
expect_status 3 "no extension:"
expect_err "the dbopt extension is not installed in database \"$BARE\"" "no extension:"
run "$DBOPT" migrate verify -d $DB --dir "$SCRATCH/nowhere"
expect_status 2 "missing folder:"

# Nothing applied: three pending files, in version order (1.9 before 1.10).
run "$DBOPT" migrate verify -d $DB --dir "$M"
expect_status 1 "all pending:"
expect_out "dbopt migrate verify: database \"$DB\", folder \"$M\" (3 files): 3 differences" "all pending:"
expect_out "  pending  1_create_invoice is not applied yet" "all pending:"
expect_out "           fix: dbopt migrate up" "all pending:"
expect_out "schema drift: not recorded (drift detection is off" "all pending:"
expect_true "all pending: 1, 1.9, 1.10 in that order" \
  test "$(grep -o '1[.0-9]*_[a-z_]* is not applied' <<<"$out" | tr '\n' ' ')" = \
  "1_create_invoice is not applied 1.9_add_due is not applied 1.10_add_note is not applied "
run "$DBOPT" migrate verify -d $DB --dir "$M" --format json
expect_status 1 "all pending, json:"
checksums=$(python3 -c '
import json, sys
r = json.loads(sys.argv[1])
assert r["agree"] is False and r["files"] == 3 and r["drift_detection"] is False, r
assert [p["check_id"] for p in r["problems"]] == ["pending"] * 3, r
for p in r["problems"]: print(p["version"], p["detail"]["checksum"])' "$out")
expect_true "json: three pending files with their checksums" test "$(wc -l <<<"$checksums")" = 3
sum_of() { awk -v v="$1" '$1 == v {print $2}' <<<"$checksums"; }

# Apply 1 and 1.9 the way the runner does (schema, then the history row).
apply() { # version name
  sql $DB "BEGIN; SET LOCAL dbopt_migrate.version = '$1';
    $(sed -n '/dbopt:up/,/dbopt:down/p' "$M/$1_$2.sql" | grep -v '^-- dbopt')
    INSERT INTO $S.migration_history (version, name, kind, checksum, up_sql, down_sql, status,
      statements_total, statements_done, duration_ms)
    VALUES ('$1', '$2', 'transactional', '$(sum_of "$1")', 'up', 'down', 'applied', 1, 1, 5);
    INSERT INTO $S.migration_event (event, version) VALUES ('apply', '$1'); COMMIT"
}
apply 1 create_invoice
apply 1.9 add_due
run "$DBOPT" migrate status -d $DB --dir "$M"
expect_status 0 "status:"
expect_out "dbopt migrate status: database \"$DB\", folder \"$M\": 2 applied, 1 pending" "status:"
expect_out "  version  name            state    applied at" "status:"
expect_true "status: rows in version order with their states" \
  test "$(awk 'NR > 3 && NF {print $1, $3}' <<<"$out" | head -3 | tr '\n' ' ')" = "1 applied 1.9 applied 1.10 pending "
expect_no_out $'\033[' "status: no colors when not a terminal"
run "$DBOPT" migrate status -d $DB --dir "$M" --color=always
expect_out $'\033[32mapplied\033[0m' "status --color=always:"
run "$DBOPT" migrate status -d $DB --dir "$M" --format json
expect_status 0 "status json:"
expect_true "status json: states, files and history columns" python3 -c '
import json, sys
r = json.loads(sys.argv[1])
m = r["migrations"]
assert [(x["version"], x["state"], x["file"]) for x in m] == [("1", "applied", True), ("1.9", "applied", True), ("1.10", "pending", True)], m
assert m[0]["kind"] == "transactional" and m[0]["duration_ms"] == 5 and m[0]["applied_at"].endswith("Z"), m[0]
assert m[2]["applied_at"] is None and m[2]["problems"] == ["pending"], m[2]
assert r["schema_drift"] == 0 and r["drift_detection"] is False, r' "$out"

apply 1.10 add_note
run "$DBOPT" migrate verify -d $DB --dir "$M"
expect_status 0 "all applied:"
expect_out "(3 files): files, history and schema agree" "all applied:"

# Re-indenting, re-commenting and re-casing is no change; a constant is.
cat >"$M/1.10_add_note.sql" <<'SQL'
-- dbopt:up
-- the note column, reformatted
alter table invoice
    add column note TEXT default 'none' ;

-- dbopt:down
ALTER TABLE invoice DROP COLUMN note;
SQL
run "$DBOPT" migrate verify -d $DB --dir "$M"
expect_status 0 "reformatted file:"
sed -i "s/'none'/'n\/a'/" "$M/1.10_add_note.sql"
run "$DBOPT" migrate verify -d $DB --dir "$M"
expect_status 1 "edited constant:"
expect_out "  checksum_changed  1.10_add_note was changed after it was applied" "edited constant:"
expect_out "dbopt migrate repair" "edited constant:"
run "$DBOPT" migrate status -d $DB --dir "$M"
expect_out "file changed since it was applied" "status of an edited file:"
cp "$SCRATCH/note.orig" "$M/1.10_add_note.sql"

# A file gone, and a late file below the newest applied.
mv "$M/1.9_add_due.sql" "$SCRATCH/"
cat >"$M/1.5_late.sql" <<'SQL'
-- dbopt:up
CREATE INDEX invoice_total_idx ON invoice (total);
-- dbopt:down
DROP INDEX invoice_total_idx;
SQL
run "$DBOPT" migrate verify -d $DB --dir "$M" --format json
expect_status 1 "missing and late files:"
expect_true "json: out_of_order 1.5, missing_file 1.9" python3 -c '
import json, sys
r = json.loads(sys.argv[1])
assert [(p["check_id"], p["version"]) for p in r["problems"]] == [("out_of_order", "1.5"), ("missing_file", "1.9")], r' "$out"
mv "$SCRATCH/1.9_add_due.sql" "$M/"
rm "$M/1.5_late.sql"

# Schema drift: off by default; on, DDL outside a migration is reported until settled.
sql $DB "CREATE TABLE before_detection (id int)"
sql $DB "SELECT $S.dbopt_drift_detection(true)" >/dev/null
psql -X -q -d $DB -c "CREATE TABLE customer (id int PRIMARY KEY)" \
  -c "ALTER TABLE invoice ADD COLUMN customer_id int" -c "DROP TABLE before_detection"
PGOPTIONS='-c dbopt_migrate.version=2' psql -X -q -d $DB -c "CREATE INDEX invoice_due_idx ON invoice (due)"
run "$DBOPT" migrate verify -d $DB --dir "$M"
expect_status 1 "drift:"
expect_out "3 differences" "drift:"
expect_out "  schema_drift  CREATE TABLE public.customer, CREATE INDEX public.customer_pkey outside a migration by postgres (psql)" "drift:"
expect_out "  schema_drift  ALTER TABLE public.invoice outside a migration by postgres" "drift:"
expect_out "  schema_drift  DROP TABLE public.before_detection outside a migration" "drift:"
expect_no_out "invoice_due_idx" "drift: DDL inside a migration is not reported"
expect_no_out "not recorded" "drift: detection is on"
run "$DBOPT" migrate status -d $DB --dir "$M"
expect_out "schema drift: 3 statements changed the schema outside a migration" "status with drift:"
sql $DB "SELECT $S.dbopt_acknowledge_drift()" >/dev/null
run "$DBOPT" migrate verify -d $DB --dir "$M"
expect_status 0 "drift settled:"

# A role that may connect but not read the history: exit 3 and the GRANT to run.
psql -X -q -d postgres -c "SET client_min_messages = warning" -c "DROP ROLE IF EXISTS $ROLE" -c "CREATE ROLE $ROLE LOGIN"
sql $DB "GRANT USAGE ON SCHEMA $S TO $ROLE"
run "$DBOPT" migrate verify -d $DB -U $ROLE --dir "$M"
expect_status 3 "role without grants:"
expect_err "permission denied to read dbopt's migration bookkeeping (\"Mig Book\".migration_history, \"Mig Book\".schema_change)" "role without grants:"
expect_err "GRANT SELECT ON \"Mig Book\".migration_history, \"Mig Book\".schema_change TO $ROLE;" "role without grants:"
sql $DB "GRANT SELECT ON $S.migration_history, $S.schema_change TO $ROLE"
sql $DB "SELECT $S.dbopt_acknowledge_drift()" >/dev/null  # the GRANTs were recorded
run "$DBOPT" migrate verify -d $DB -U $ROLE --dir "$M"
expect_status 0 "role with the grants:"

psql -X -q -d postgres -c "DROP DATABASE $DB" -c "DROP DATABASE $BARE" -c "DROP ROLE $ROLE"
finish
