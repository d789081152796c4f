#!/usr/bin/env bash
# dbopt migrate up checks the files against the history before it applies anything: an
# applied file that changed and a pending file below the newest applied version are refused
# (exit 2, nothing applied), until repair accepts the change or --allow-out-of-order is given.
# Resuming after a kill between an autocommit statement and its progress commit: the statement
# at statements_done already took effect (a valid index of that name exists) and is counted
# done instead of failing "already exists"; an invalid one is dropped and rebuilt.
source "$(dirname "$0")/helpers.bash"
DB=cli_migrate_guard
fresh_db $DB with_extension
M=$SCRATCH/migrations
mkdir -p "$M"
history() { sql $DB "SELECT string_agg(version || ':' || status, ' ' ORDER BY version) FROM migration_history"; }

cat >"$M/1_create_item.sql" <<'SQL'
-- dbopt:up
CREATE TABLE item (id int PRIMARY KEY, name text);
-- dbopt:down
DROP TABLE item;
SQL
cat >"$M/3_add_price.sql" <<'SQL'
-- dbopt:up
ALTER TABLE item ADD COLUMN price numeric DEFAULT 0;
-- dbopt:down
ALTER TABLE item DROP COLUMN price;
SQL
run "$DBOPT" migrate up -d $DB --dir "$M"
expect_status 0 "up:"
expect_true "up: both applied" test "$(history)" = "1:applied 3:applied"

# An applied file edited for real (a constant), and a new pending file: nothing runs.
cp "$M/3_add_price.sql" "$SCRATCH/3.orig"
sed -i 's/DEFAULT 0/DEFAULT 1/' "$M/3_add_price.sql"
cat >"$M/4_add_note.sql" <<'SQL'
-- dbopt:up
ALTER TABLE item ADD COLUMN note text;
-- dbopt:down
ALTER TABLE item DROP COLUMN note;
SQL
events_before=$(sql $DB "SELECT count(*) FROM migration_event")
run "$DBOPT" migrate up -d $DB --dir "$M"
expect_status 2 "changed applied file:"
expect_err "the migration files disagree with the history of database \"$DB\"; nothing was applied" "changed applied file:"
expect_err "checksum_changed: 3_add_price was changed after it was applied" "changed applied file:"
expect_err "HINT:  restore the file as applied" "changed applied file: the way out"
expect_err "dbopt migrate repair" "changed applied file: the way out"
expect_true "changed applied file: 4 not applied, nothing recorded" test \
  "$(history)/$(sql $DB "SELECT count(*) FROM migration_event")/$(sql $DB "SELECT count(*) FROM pg_attribute WHERE attrelid = 'item'::regclass AND attname = 'note'")" = "1:applied 3:applied/$events_before/0"
run "$DBOPT" migrate up -d $DB --dir "$M" --dry-run
expect_status 2 "changed applied file, dry run:"
# Re-formatting is no change: the original, re-indented and re-commented, is accepted.
{ echo '-- dbopt:up'; echo '-- reformatted'; echo 'alter table item'; echo '   add column price NUMERIC default 0 ;'; echo '-- dbopt:down'; echo 'ALTER TABLE item DROP COLUMN price;'; } >"$M/3_add_price.sql"
run "$DBOPT" migrate up -d $DB --dir "$M" --to 3
expect_status 0 "reformatted applied file:"
expect_out "nothing to do" "reformatted applied file:"
# repair accepts the real edit; up goes on.
sed -i 's/default 0/default 1/' "$M/3_add_price.sql"
run "$DBOPT" migrate repair -d $DB --dir "$M"
expect_status 0 "repair:"
expect_out "checksum realigned" "repair:"
run "$DBOPT" migrate up -d $DB --dir "$M"
expect_status 0 "up after repair:"
expect_true "up after repair: 4 applied" test "$(history)" = "1:applied 3:applied 4:applied"

# A pending file below the newest applied version: refused, unless --allow-out-of-order.
cat >"$M/2_add_sku.sql" <<'SQL'
-- dbopt:up
ALTER TABLE item ADD COLUMN sku text;
-- dbopt:down
ALTER TABLE item DROP COLUMN sku;
SQL
cat >"$M/5_add_stock.sql" <<'SQL'
-- dbopt:up
ALTER TABLE item ADD COLUMN stock int;
-- dbopt:down
ALTER TABLE item DROP COLUMN stock;
SQL
run "$DBOPT" migrate up -d $DB --dir "$M"
expect_status 2 "out of order:"
expect_err "out_of_order: 2_add_sku is not applied, and 4 (newer) is" "out of order:"
expect_err "dbopt migrate up --allow-out-of-order" "out of order: the way out"
expect_true "out of order: nothing applied (not even 5)" test "$(history)" = "1:applied 3:applied 4:applied"
run "$DBOPT" migrate up -d $DB --dir "$M" --to 1
expect_status 0 "out of order, but not in this run (--to 1):"
run "$DBOPT" migrate up -d $DB --dir "$M" --allow-out-of-order --format json
expect_status 0 "--allow-out-of-order:"
expect_true "--allow-out-of-order: 2 then 5 applied" python3 -c '
import json,sys; r=json.loads(sys.argv[1])
sys.exit(0 if [(m["version"], m["status"]) for m in r["migrations"]] == [("2", "applied"), ("5", "applied")] else 1)' "$out"
expect_true "--allow-out-of-order: history" test "$(history)" = "1:applied 2:applied 3:applied 4:applied 5:applied"
run "$DBOPT" migrate verify -d $DB --dir "$M"
expect_status 0 "verify after all:"

# Killed after a concurrent build and before its progress commit: simulated by setting the
# history back one statement after a complete run (the index of statement 3 exists and is
# valid, statement 4's does not).
cat >"$M/6_indexes.sql" <<'SQL'
-- dbopt:up
CREATE TABLE big (id int, v int);
INSERT INTO big SELECT g, g FROM generate_series(1, 100) g;
CREATE INDEX CONCURRENTLY big_v_idx ON big (v);
CREATE INDEX CONCURRENTLY big_id_idx ON big (id);
-- dbopt:down
DROP INDEX CONCURRENTLY big_id_idx;
DROP INDEX CONCURRENTLY big_v_idx;
DROP TABLE big;
SQL
run "$DBOPT" migrate up -d $DB --dir "$M"
expect_status 0 "indexes:"
valid_indexes() { sql $DB "SELECT string_agg(c.relname || ':' || i.indisvalid, ' ' ORDER BY c.relname) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = 'big'::regclass"; }
row6() { sql $DB "SELECT status || ' ' || statements_done || '/' || statements_total FROM migration_history WHERE version = '6'"; }
sql $DB "DROP INDEX big_id_idx; UPDATE migration_history SET status = 'running', statements_done = 2 WHERE version = '6'"
run "$DBOPT" migrate up -d $DB --dir "$M"
expect_status 0 "resume after a build whose progress was lost:"
expect_err "statement 3/4 (line 4) took effect before the earlier run stopped (index big_v_idx exists on big and is valid): counted done" "resume:"
expect_out "statement 3 found done" "resume: the report says so"
expect_true "resume: both indexes valid, the row applied" test "$(valid_indexes)/$(row6)" = "big_id_idx:true big_v_idx:true/applied 4/4"
# The same, but the build left its index invalid: dropped and built again.
sql $DB "DROP INDEX big_id_idx; UPDATE pg_index SET indisvalid = false WHERE indexrelid = 'big_v_idx'::regclass;
  UPDATE migration_history SET status = 'running', statements_done = 2 WHERE version = '6'"
run "$DBOPT" migrate up -d $DB --dir "$M"
expect_status 0 "resume after a build that left an invalid index:"
expect_err "dropping invalid index big_v_idx" "resume, invalid index:"
expect_true "resume, invalid index: rebuilt valid, the row applied" test "$(valid_indexes)/$(row6)" = "big_id_idx:true big_v_idx:true/applied 4/4"
# Killed after the first statement (a concurrent build) and before any progress was recorded.
cat >"$M/7_item_name.sql" <<'SQL'
-- dbopt:up
CREATE INDEX CONCURRENTLY item_name_idx ON item (name);
ALTER TABLE item ADD COLUMN tag text;
-- dbopt:down
ALTER TABLE item DROP COLUMN tag;
DROP INDEX CONCURRENTLY item_name_idx;
SQL
run "$DBOPT" migrate up -d $DB --dir "$M"
expect_status 0 "first statement concurrent:"
sql $DB "ALTER TABLE item DROP COLUMN tag; UPDATE migration_history SET status = 'running', statements_done = 0 WHERE version = '7'"
run "$DBOPT" migrate up -d $DB --dir "$M"
expect_status 0 "resume at the first statement:"
expect_err "statement 1/2 (line 2) took effect before the earlier run stopped" "resume at the first statement:"
expect_true "resume at the first statement: tag added, applied" test \
  "$(sql $DB "SELECT count(*) FROM pg_attribute WHERE attrelid = 'item'::regclass AND attname = 'tag'")/$(sql $DB "SELECT status FROM migration_history WHERE version = '7'")" = "1/applied"
# A revert in steps killed after its last statement (a concurrent drop) and before the
# bookkeeping: status and verify say so; down resumes and counts the drop done.
sql $DB "ALTER TABLE item DROP COLUMN tag; DROP INDEX item_name_idx; UPDATE migration_history SET down_statements_done = 1 WHERE version = '7'"
run "$DBOPT" migrate status -d $DB --dir "$M"
expect_out "revert: 1 down statements done: reverting, or interrupted" "status of an interrupted revert:"
run "$DBOPT" migrate verify -d $DB --dir "$M" --format json
expect_status 1 "verify of an interrupted revert:"
expect_true "verify of an interrupted revert: one running row for 7" python3 -c '
import json,sys; p=json.loads(sys.argv[1])["problems"]
sys.exit(0 if [(x["check_id"], x["version"], x["message"]) for x in p] == [("running", "7", "7_item_name is being reverted or its revert was interrupted (1 down statements done)")] else 1)' "$out"
run "$DBOPT" migrate down -d $DB --dir "$M"
expect_status 0 "down resumes the revert:"
expect_err "resuming: 1 done before" "down resumes the revert:"
expect_err "statement 2/2 (line 6) took effect before the earlier run stopped (index item_name_idx is gone): counted done" "down resumes the revert:"
expect_out "resumed after statement 1 of 2" "down resumes the revert:"
expect_true "down resumes the revert: rolled back, no progress left" test \
  "$(sql $DB "SELECT status || ' ' || coalesce(down_statements_done::text, 'null') FROM migration_history WHERE version = '7'")" = "rolled_back null"
run "$DBOPT" migrate up -d $DB --dir "$M"
expect_status 0 "up after the revert:"
# A revert in steps that fails part-way resumes at the failed statement.
sql $DB "CREATE TABLE keep_tag (id int)"
cat >"$M/9_tag_idx.sql" <<'SQL'
-- dbopt:up
CREATE INDEX CONCURRENTLY item_tag_idx ON item (tag);
-- dbopt:down
DROP INDEX CONCURRENTLY item_tag_idx;
DROP TABLE keep_tag;
SQL
run "$DBOPT" migrate up -d $DB --dir "$M"
expect_status 0 "9:"
psql -X -q -d $DB -c "BEGIN" -c "LOCK keep_tag IN ACCESS SHARE MODE" -c "SELECT pg_sleep(6)" >/dev/null 2>&1 &
locker=$!
for _ in $(seq 50); do
  [[ $(sql $DB "SELECT count(*) FROM pg_locks WHERE relation = 'keep_tag'::regclass AND mode = 'AccessShareLock' AND granted") == 1 ]] && break
  sleep 0.1
done
PGOPTIONS="-c lock_timeout=1s" run "$DBOPT" migrate down -d $DB --dir "$M"
expect_status 3 "revert blocked at its second statement:"
expect_err "dbopt migrate down resumes at the failed statement" "revert blocked:"
expect_true "revert blocked: 1 down statement done, still applied" test \
  "$(sql $DB "SELECT status || ' ' || down_statements_done FROM migration_history WHERE version = '9'")" = "applied 1"
wait $locker
run "$DBOPT" migrate down -d $DB --dir "$M"
expect_status 0 "revert resumed:"
expect_out "resumed after statement 1 of 2" "revert resumed:"
expect_true "revert resumed: rolled back, table gone" test \
  "$(sql $DB "SELECT status FROM migration_history WHERE version = '9'")/$(sql $DB "SELECT to_regclass('keep_tag') IS NULL")" = "rolled_back/t"
rm "$M/9_tag_idx.sql"
sql $DB "DELETE FROM migration_history WHERE version = '9'"

# A fresh migration does not take an existing index of the same name for its own.
cat >"$M/8_dup_name.sql" <<'SQL'
-- dbopt:up
CREATE INDEX CONCURRENTLY item_name_idx ON item (id);
-- dbopt:down
SELECT 1;
SQL
run "$DBOPT" migrate up -d $DB --dir "$M"
expect_status 3 "fresh migration, name taken:"
expect_err 'relation "item_name_idx" already exists' "fresh migration, name taken:"
rm "$M/8_dup_name.sql"
sql $DB "DELETE FROM migration_history WHERE version = '8'"

psql -X -q -d postgres -c "DROP DATABASE $DB"
finish
