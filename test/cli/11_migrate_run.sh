#!/usr/bin/env bash
# dbopt migrate up/down/baseline/repair on a real server: applies in order with history rows,
# a migration failing half-way leaves nothing of itself (history says failed; a rerun after
# the fix applies it), down with --steps and --to (with the down SQL recorded at apply time),
# dry runs (locks and rewrites reported, nothing changed or recorded), bad input (nothing
# applied), baseline and repair. Concurrency and crashes: 12_migrate_lock.sh.
source "$(dirname "$0")/helpers.bash"
DB=cli_migrate_run
fresh_db $DB with_extension
M=$SCRATCH/migrations
mkdir -p "$M"
history() { sql $DB "SELECT string_agg(version || ':' || status, ' ' ORDER BY version) FROM migration_history"; }
events() { sql $DB "SELECT count(*) FROM migration_event WHERE event = '$1'"; }

cat >"$M/1_create_item.sql" <<'SQL'
-- dbopt:up
CREATE TABLE item (id int PRIMARY KEY, name text);
INSERT INTO item VALUES (1, 'a'), (2, 'b');
-- dbopt:down
DROP TABLE item;
SQL
cat >"$M/2_add_price.sql" <<'SQL'
-- dbopt:up
ALTER TABLE item ADD COLUMN price numeric;
-- dbopt:down
ALTER TABLE item DROP COLUMN price;
SQL

run "$DBOPT" migrate up -d $DB --dir "$M"
expect_status 0 "up:"
expect_out "2 migrations applied on database \"$DB\"" "up:"
expect_true "up: both recorded as applied" test "$(history)" = "1:applied 2:applied"
expect_true "up: the up and down SQL, checksum and kind are recorded" test \
  "$(sql $DB "SELECT count(*) FROM migration_history WHERE up_sql LIKE '%ADD COLUMN price%' AND down_sql LIKE '%DROP COLUMN price%' AND checksum <> '' AND kind = 'transactional' AND statements_done = 1 AND duration_ms >= 0")" = 1
expect_true "up: one apply event each" test "$(events apply)" = 2
expect_true "up: the schema changed" test "$(sql $DB "SELECT count(*) FROM item WHERE price IS NULL")" = 2
run "$DBOPT" migrate up -d $DB --dir "$M"
expect_status 0 "up again:"
expect_out "nothing to do" "up again:"

# A migration failing half-way: nothing of it remains, the history says failed.
cat >"$M/3_half.sql" <<'SQL'
-- dbopt:up
CREATE TABLE half (id int);
INSERT INTO half VALUES (1);

INSERT INTO item VALUES (1, 'dup');
-- dbopt:down
DROP TABLE half;
DELETE FROM item WHERE id = 3;
SQL
run "$DBOPT" migrate up -d $DB --dir "$M"
expect_status 3 "half-way:"
expect_err "3_half.sql:5: duplicate key value violates unique constraint" "half-way: the failing statement's file:line and message"
expect_err "DETAIL:  Key (id)=(1) already exists." "half-way: the server's detail"
expect_out "failed" "half-way: the report"
expect_true "half-way: nothing of it remains" test -z "$(sql $DB "SELECT to_regclass('half')")"
expect_true "half-way: history says failed, with the error" test \
  "$(sql $DB "SELECT status || ' ' || (error LIKE '%3_half.sql:5: duplicate key%') FROM migration_history WHERE version = '3'")" = "failed true"
expect_true "half-way: a fail event" test "$(events fail)" = 1
sed -i 's/(1, .dup.)/(3, '"'c'"')/' "$M/3_half.sql"
run "$DBOPT" migrate up -d $DB --dir "$M" --format json
expect_status 0 "rerun after the fix:"
expect_true "rerun: json names the migration applied" python3 -c '
import json,sys; r=json.loads(sys.argv[1]); m=r["migrations"]
sys.exit(0 if r["command"]=="up" and [x["version"] for x in m]==["3"] and m[0]["status"]=="applied" and m[0]["error"] is None else 1)' "$out"
expect_true "rerun: applied" test "$(history)" = "1:applied 2:applied 3:applied"
expect_true "rerun: half exists" test "$(sql $DB "SELECT count(*) FROM half")" = 1

# down: the down SQL recorded when applied wins over an edited file.
sed -i 's/DROP COLUMN price;/DROP COLUMN no_such_column;/' "$M/2_add_price.sql"
run "$DBOPT" migrate down -d $DB --dir "$M" --steps 2
expect_status 0 "down --steps 2:"
expect_out "2 migrations reverted" "down --steps 2:"
expect_true "down --steps 2: the two newest rolled back" test "$(history)" = "1:applied 2:rolled_back 3:rolled_back"
expect_true "down --steps 2: their schema is gone" test \
  "$(sql $DB "SELECT to_regclass('half') IS NULL AND NOT EXISTS (SELECT FROM pg_attribute WHERE attrelid = 'item'::regclass AND attname = 'price')")" = t
expect_true "down: rollback events" test "$(events rollback)" = 2
sed -i 's/DROP COLUMN no_such_column;/DROP COLUMN price;/' "$M/2_add_price.sql"
run "$DBOPT" migrate up -d $DB --dir "$M" --to 2
expect_status 0 "up --to 2:"
expect_true "up --to 2: only up to 2" test "$(history)" = "1:applied 2:applied 3:rolled_back"
run "$DBOPT" migrate down -d $DB --dir "$M" --to 1
expect_status 0 "down --to 1:"
expect_true "down --to 1: 2 reverted" test "$(history)" = "1:applied 2:rolled_back 3:rolled_back"
run "$DBOPT" migrate down -d $DB --dir "$M" --to 7
expect_status 2 "down --to unknown:"
expect_err 'unknown version "7"' "down --to unknown:"
run "$DBOPT" migrate up -d $DB --dir "$M" --to 7
expect_status 2 "up --to unknown:"
expect_err 'unknown version "7"' "up --to unknown:"
expect_true "unknown --to: nothing applied" test "$(history)" = "1:applied 2:rolled_back 3:rolled_back"
run "$DBOPT" migrate up -d $DB --dir "$M"
expect_status 0 "up to the end:"

# Dry run: locks and rewrites reported, statements that need autocommit listed; nothing
# changed, nothing recorded.
cat >"$M/4_widen.sql" <<'SQL'
-- dbopt:up
ALTER TABLE item ALTER COLUMN id TYPE bigint;
CREATE INDEX CONCURRENTLY item_name_idx ON item (name);
-- dbopt:down
DROP INDEX CONCURRENTLY item_name_idx;
ALTER TABLE item ALTER COLUMN id TYPE int;
SQL
events_before=$(sql $DB "SELECT count(*) FROM migration_event")
run "$DBOPT" migrate up -d $DB --dir "$M" --dry-run
expect_status 0 "dry run:"
expect_out "rolled back: nothing changed, nothing recorded" "dry run:"
expect_out "4_widen.sql:2:" "dry run:"
expect_out "lock AccessExclusiveLock on item" "dry run:"
expect_out "rewrote item" "dry run:"
expect_out "4_widen.sql:3: not run (cannot run in a transaction block)" "dry run:"
expect_true "dry run: nothing changed" test \
  "$(sql $DB "SELECT format_type(atttypid, NULL) FROM pg_attribute WHERE attrelid = 'item'::regclass AND attname = 'id'")" = integer
expect_true "dry run: nothing recorded" test "$(history)" = "1:applied 2:applied 3:applied"
expect_true "dry run: no event" test "$(sql $DB "SELECT count(*) FROM migration_event")" = "$events_before"
run "$DBOPT" migrate up -d $DB --dir "$M" --dry-run --format json
expect_status 0 "dry run json:"
expect_true "dry run json: locks and rewrites per statement" python3 -c '
import json,sys; r=json.loads(sys.argv[1]); s=r["migrations"][0]["statements_checked"]
ok = r["dry_run"] and s[0]["ran"] and {"relation":"item","mode":"AccessExclusiveLock"} in s[0]["locks"] and s[0]["rewritten"]==["item"] and not s[1]["ran"]
sys.exit(0 if ok else 1)' "$out"
# A dry run that waits for a lock gives up after lock_timeout (5 s; here 1 s from the session).
psql -X -q -d $DB -c "BEGIN" -c "LOCK item IN ACCESS SHARE MODE" -c "SELECT pg_sleep(9.5)" >/dev/null 2>&1 &
locker=$!
for _ in $(seq 50); do
  [[ $(sql $DB "SELECT count(*) FROM pg_locks WHERE relation = 'item'::regclass AND mode = 'AccessShareLock' AND granted") == 1 ]] && break
  sleep 0.1
done
PGOPTIONS="-c lock_timeout=1s" run "$DBOPT" migrate up -d $DB --dir "$M" --dry-run
expect_status 3 "dry run behind a lock:"
expect_err "canceling statement due to lock timeout" "dry run behind a lock:"
sql $DB "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(9.5)%' AND pid <> pg_backend_pid()" >/dev/null
wait $locker 2>/dev/null
expect_true "dry run behind a lock: nothing recorded" test "$(sql $DB "SELECT count(*) FROM migration_event")" = "$events_before"

# Bad input: nothing applied.
cp "$M/4_widen.sql" "$SCRATCH/keep.sql"
printf -- '-- dbopt:up\nCREATE TABLE oops (;\n-- dbopt:down\nDROP TABLE oops;\n' >"$M/5_bad.sql"
run "$DBOPT" migrate up -d $DB --dir "$M"
expect_status 2 "a file that does not parse:"
expect_err "5_bad.sql" "a file that does not parse:"
printf -- '-- dbopt:up\nCREATE TABLE oops (id int);\n' >"$M/5_bad.sql"
run "$DBOPT" migrate up -d $DB --dir "$M"
expect_status 2 "a missing down section:"
expect_err "5_bad.sql" "a missing down section:"
expect_true "bad input: nothing applied (not even the good 4)" test "$(history)" = "1:applied 2:applied 3:applied"
rm "$M/5_bad.sql"

# Repair: a failed attempt is removed; an edited applied file gets its checksum realigned.
printf -- '-- dbopt:up\nSELECT 1/0;\n-- dbopt:down\nSELECT 1;\n' >"$M/5_div.sql"
run "$DBOPT" migrate up -d $DB --dir "$M"
expect_status 3 "division by zero:"
expect_err "5_div.sql:2: division by zero" "division by zero:"
expect_true "4 applied before 5 failed" test "$(history)" = "1:applied 2:applied 3:applied 4:applied 5:failed"
rm "$M/5_div.sql"
sed -i 's/(2, .b.)/(2, '"'B'"')/' "$M/1_create_item.sql"
run "$DBOPT" migrate repair -d $DB --dir "$M"
expect_status 0 "repair:"
expect_out "removed the failed attempt" "repair:"
expect_out "checksum realigned" "repair:"
expect_true "repair: the failed row is gone" test "$(history)" = "1:applied 2:applied 3:applied 4:applied"
expect_true "repair: events with old and new checksum" test \
  "$(sql $DB "SELECT count(*) FROM migration_event WHERE event = 'repair' AND detail ? 'old_checksum' AND detail ->> 'old_checksum' <> detail ->> 'new_checksum'")" = 1
run "$DBOPT" migrate repair -d $DB --dir "$M"
expect_out "nothing to repair" "repair again:"

# --backup: a dump of the table a destructive migration drops, taken before it runs; its path
# in the history.
printf -- '-- dbopt:up\nDROP TABLE half;\n-- dbopt:down\nCREATE TABLE half (id int);\n' >"$M/6_drop_half.sql"
run "$DBOPT" migrate up -d $DB --dir "$M" --backup "$SCRATCH/backups"
expect_status 0 "up --backup:"
expect_err "to restore it:" "up --backup:"
dump=$(sql $DB "SELECT backup FROM migration_history WHERE version = '6' AND status = 'applied'")
expect_true "up --backup: the dump is in the folder, recorded in the history" test -s "$dump" -a "$(dirname "$dump")" = "$SCRATCH/backups"
rm "$M/6_drop_half.sql"

# Baseline: recorded without running; refused where history exists.
DB2=cli_migrate_baseline
fresh_db $DB2 with_extension
run "$DBOPT" migrate baseline -d $DB2 --dir "$M" --to 2
expect_status 0 "baseline:"
expect_true "baseline: recorded, not run" test \
  "$(sql $DB2 "SELECT string_agg(version || ':' || status || ':' || kind, ' ' ORDER BY version) || ' ' || (to_regclass('item') IS NULL) FROM migration_history")" = "1:baseline:baseline 2:baseline:baseline true"
run "$DBOPT" migrate baseline -d $DB2 --dir "$M" --to 3
expect_status 3 "baseline over history:"
expect_err "the history already has versions up to it" "baseline over history:"
run "$DBOPT" migrate down -d $DB2 --dir "$M" --to 0
expect_status 3 "down into a baseline:"
expect_err "it is a baseline" "down into a baseline:"

psql -X -q -d postgres -c "DROP DATABASE $DB" -c "DROP DATABASE $DB2"
finish
