#!/usr/bin/env bash
# dbopt migrate lint: offline on files and folders (exit 0 clean or below --fail-on, 1 at or
# above it), migration files' up and down sections labelled, text and json, colors only when
# asked, a file that does not parse (exit 2, file and line on stderr, nothing on stdout for
# that section), a missing file or bad option (exit 2); --online against the test cluster:
# the server's schema-aware findings, and exit 3 without the extension.
source "$(dirname "$0")/helpers.bash"
CORPUS=$(cd "$(dirname "$0")/../lint" && pwd)
cd "$SCRATCH" || exit 1

# A clean file, a file with warnings only, a file with an error.
run "$DBOPT" migrate lint "$CORPUS/02_create_index_concurrently.sql"
expect_status 0 "clean file:"
expect_out "dbopt migrate lint: no findings in 1 file" "clean file:"
run "$DBOPT" migrate lint "$CORPUS/01_create_index.sql"
expect_status 0 "warnings below --fail-on error:"
expect_out "01_create_index.sql:2: warning [index-without-concurrently] CREATE INDEX orders_customer_id_idx" "warning:"
expect_out "  safe alternative:" "warning:"
expect_out "    CREATE INDEX CONCURRENTLY" "warning:"
expect_no_out $'\033[' "not a terminal: no colors:"
run "$DBOPT" migrate lint --fail-on warning "$CORPUS/01_create_index.sql"
expect_status 1 "--fail-on warning:"
run "$DBOPT" migrate lint --fail-on INFO "$CORPUS/01_create_index.sql"
expect_status 1 "--fail-on info:"
run "$DBOPT" migrate lint "$CORPUS/12_not_null_column_without_default.sql"
expect_status 1 "error finding:"
expect_out "error [not-null-column-without-default]" "error finding:"
expect_out "(1 error, 1 warning, 0 info; 1 at or above error)" "error finding:"
run "$DBOPT" migrate lint --color=always "$CORPUS/01_create_index.sql"
expect_out $'\033[1;33mwarning\033[0m' "--color=always:"

# Migration files: sections labelled, lines in the file's numbering.
run "$DBOPT" migrate lint "$CORPUS/48_migration_file.sql"
expect_status 0 "migration file:"
expect_out "48_migration_file.sql:14 (down): warning [drop-index-without-concurrently]" "migration file:"
expect_out "48_migration_file.sql:15 (down): warning [drop-column]" "migration file:"

# A folder: its *.sql files by name; with no argument the --dir folder.
mkdir -p migs/sub
cp "$CORPUS/01_create_index.sql" migs/2_b.sql
cp "$CORPUS/02_create_index_concurrently.sql" migs/1_a.sql
cp "$CORPUS/12_not_null_column_without_default.sql" migs/sub/3_c.sql
echo "not sql" >migs/notes.txt
run "$DBOPT" migrate lint migs
expect_status 0 "folder:"
expect_out "migs/2_b.sql:2: warning" "folder:"
expect_out "2 findings in 2 files" "folder: not recursive, only .sql:"
run "$DBOPT" migrate lint --dir migs/sub
expect_status 1 "--dir:"
expect_out "migs/sub/3_c.sql:2: error" "--dir:"
run "$DBOPT" migrate lint migs/1_a.sql migs/sub
expect_status 1 "file and folder:"
expect_out "2 findings in 2 files" "file and folder:"

# json
run "$DBOPT" migrate lint --format json "$CORPUS/48_migration_file.sql" "$CORPUS/12_not_null_column_without_default.sql"
expect_status 1 "json:"
expect_true "json: findings with file, section, line, rule" python3 -c '
import json, sys
r = json.loads(sys.argv[1])
assert r["mode"] == "offline" and r["fail_on"] == "error" and r["files_checked"] == 2, r
got = [(f["file"].split("/")[-1], f["section"], f["line"], f["rule_id"], f["severity"]) for f in r["findings"]]
assert ("48_migration_file.sql", "down", 14, "drop-index-without-concurrently", "warning") in got, got
assert ("12_not_null_column_without_default.sql", None, 2, "not-null-column-without-default", "error") in got, got
for f in r["findings"]:
    assert f["message"] and f["explanation"], f
assert r["summary"]["error"] == 1 and r["errors"] == [], r' "$out"

# A file that does not parse: exit 2, file and line on stderr; other files still linted.
printf -- '-- dbopt:up\nCREATE TABLE t (id int);\nALTER TABLE t ADD COLUMN;\n-- dbopt:down\nDROP TABLE t;\n' >bad.sql
run "$DBOPT" migrate lint bad.sql "$CORPUS/01_create_index.sql"
expect_status 2 "syntax error:"
expect_err "dbopt: error: bad.sql:3 (up): syntax error at or near \";\"" "syntax error:"
expect_out "01_create_index.sql:2: warning" "syntax error: the other files are linted:"
expect_out "1 section did not parse" "syntax error:"
run "$DBOPT" migrate lint --format json bad.sql
expect_status 2 "syntax error, json:"
expect_true "syntax error, json: errors" python3 -c '
import json, sys
r = json.loads(sys.argv[1])
assert r["errors"] == [{"file": "bad.sql", "section": "up", "line": 3, "message": "syntax error at or near \";\""}], r' "$out"

# Usage errors: exit 2.
run "$DBOPT" migrate lint no_such_file.sql
expect_status 2 "missing file:"
expect_err "cannot read \"no_such_file.sql\"" "missing file:"
run "$DBOPT" migrate lint --fail-on critical "$CORPUS/01_create_index.sql"
expect_status 2 "bad --fail-on:"
expect_err "invalid value \"critical\" for --fail-on" "bad --fail-on:"
run "$DBOPT" migrate lint --format sql "$CORPUS/01_create_index.sql"
expect_status 2 "--format sql:"
run "$DBOPT" migrate lint --dir no_such_folder
expect_status 2 "missing --dir folder:"
# --online: the server's schema-aware rules on the same files.
DB=cli_migrate_lint
fresh_db $DB with_extension
sql $DB "CREATE TABLE lint_customers (id bigint PRIMARY KEY, name varchar(50), email text);
  INSERT INTO lint_customers SELECT g, 'n' || g, g || '@x' FROM generate_series(1, 20) g;
  CREATE TABLE lint_orders (id bigint PRIMARY KEY, customer_id bigint);
  ANALYZE lint_customers; ANALYZE lint_orders;" >/dev/null
cat >online.sql <<'SQL'
-- dbopt:up
SET lock_timeout = '5s';
ALTER TABLE lint_customers ALTER COLUMN name TYPE text;
ALTER TABLE lint_customers ALTER COLUMN id TYPE numeric;
CREATE INDEX lint_customers_email_idx ON lint_customers (email);
ALTER TABLE lint_orders ADD CONSTRAINT lint_orders_customer_id_fkey
  FOREIGN KEY (customer_id) REFERENCES lint_customers (id) NOT VALID;
-- dbopt:down
DROP INDEX lint_customers_email_idx;
SQL
run "$DBOPT" migrate lint online.sql
expect_out "online.sql:3 (up): warning [alter-column-type]" "offline: varchar -> text may rewrite:"
run "$DBOPT" migrate lint --online -d $DB --format json online.sql
expect_status 0 "online:"
expect_true "online: schema-aware findings with the file's lines" python3 -c '
import json, sys
r = json.loads(sys.argv[1])
assert r["mode"] == "online", r
got = {(f["section"], f["line"], f["rule_id"]): f for f in r["findings"]}
# varchar(50) -> text keeps the bytes: no finding; numeric does rewrite (a small table: info).
assert ("up", 3, "alter-column-type") not in got, sorted(got)
assert got[("up", 4, "alter-column-type")]["severity"] == "info", got[("up", 4, "alter-column-type")]
assert got[("up", 5, "index-without-concurrently")]["severity"] == "info", sorted(got)
assert ("up", 6, "foreign-key-without-index") in got, sorted(got)
assert ("down", 9, "drop-index-without-concurrently") in got, sorted(got)
for f in r["findings"]:
    assert f["message"] and f["explanation"], f' "$out"
run "$DBOPT" migrate lint --online -d $DB --fail-on info online.sql
expect_status 1 "online, --fail-on info:"
expect_out "online.sql:5 (up): info [index-without-concurrently]" "online text:"
expect_out "dbopt migrate lint --online: " "online summary:"
# A section the runner runs as one transaction (no statement needs autocommit) is linted as
# one: SET LOCAL lock_timeout lasts to its end. The down section, with DROP INDEX
# CONCURRENTLY, runs statement by statement: there SET LOCAL does nothing.
cat >one_tx.sql <<'SQL'
-- dbopt:up
SET LOCAL lock_timeout = '5s';
ALTER TABLE lint_orders ADD COLUMN note text;
-- dbopt:down
SET LOCAL lock_timeout = '5s';
ALTER TABLE lint_orders DROP COLUMN note;
DROP INDEX CONCURRENTLY lint_customers_email_idx;
SQL
for mode in offline online; do
  args=(--format json)
  [[ $mode == online ]] && args+=(--online -d $DB)
  run "$DBOPT" migrate lint "${args[@]}" one_tx.sql
  expect_true "$mode: a transactional section is linted as one transaction" python3 -c '
import json, sys
r = json.loads(sys.argv[1])
got = {(f["section"], f["line"], f["rule_id"]) for f in r["findings"]}
assert ("up", 3, "missing-lock-timeout") not in got, sorted(got)
assert ("down", 6, "missing-lock-timeout") in got, sorted(got)
assert ("down", 6, "drop-column") in got, sorted(got)' "$out"
done
run "$DBOPT" migrate lint --online -d $DB bad.sql
expect_status 2 "online, syntax error:"
expect_err "bad.sql:3 (up): syntax error" "online, syntax error:"
fresh_db cli_migrate_lint_noext
run "$DBOPT" migrate lint --online -d cli_migrate_lint_noext online.sql
expect_status 3 "online without the extension:"
expect_err "the dbopt extension is not installed" "online without the extension:"

finish
