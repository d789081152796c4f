#!/usr/bin/env bash
# dbopt migrate under concurrency and crashes, on a real server: two runners started together
# (one applies, one gives up naming the holder, one waits; nothing applied twice); a runner
# killed with SIGKILL in the middle of a non-transactional migration (the lock goes with it,
# a rerun resumes and finishes); a failing CREATE UNIQUE INDEX CONCURRENTLY (the invalid index
# is dropped, the fixed rerun resumes); a runner polling for the lock does not hold up a
# concurrent index build.
source "$(dirname "$0")/helpers.bash"
DB=cli_migrate_lock
fresh_db $DB with_extension
M=$SCRATCH/migrations
mkdir -p "$M"
history() { sql $DB "SELECT string_agg(version || ':' || status, ' ' ORDER BY version) FROM migration_history"; }
lock_holders() { sql $DB "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = 100 AND objid = 1651470452 AND objsubid = 1"; }
collect() { # pid name: waits for a runner started in the background with output in $SCRATCH/name.*
  wait "$1"
  status=$?
  out=$(cat "$SCRATCH/$2.out")
  err=$(cat "$SCRATCH/$2.err")
}
wait_for_query() { # pattern: until a dbopt migrate session runs it (10 s at most)
  for _ in $(seq 100); do
    [[ $(sql $DB "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'dbopt migrate' AND state = 'active' AND query LIKE '$1'") == 1 ]] && return 0
    sleep 0.1
  done
  return 1
}

# Two runners (three) at once.
cat >"$M/1_slow.sql" <<'SQL'
-- dbopt:up
CREATE TABLE counter (n int);
INSERT INTO counter VALUES (1);
SELECT pg_sleep(1.5);
-- dbopt:down
DROP TABLE counter;
SQL
"$DBOPT" migrate up -d $DB --dir "$M" >"$SCRATCH/a.out" 2>"$SCRATCH/a.err" &
a=$!
expect_true "runner A runs the migration" wait_for_query '%pg_sleep(1.5)%'
"$DBOPT" migrate up -d $DB --dir "$M" --lock-wait 30 >"$SCRATCH/c.out" 2>"$SCRATCH/c.err" &
c=$!
run "$DBOPT" migrate up -d $DB --dir "$M" --lock-wait 0
expect_status 3 "runner B, no wait:"
expect_err "the migration lock of database \"$DB\" is held by pid" "runner B names the holder:"
expect_err 'application_name "dbopt migrate"' "runner B names the holder:"
expect_err "pg_sleep(1.5)" "runner B says what the holder runs:"
wait $a
expect_true "runner A applied it" test $? = 0
collect $c c
expect_status 0 "runner C, waiting:"
expect_err "waiting for the migration lock, held by pid" "runner C:"
expect_out "nothing to do" "runner C found it applied:"
expect_true "applied once" test "$(sql $DB "SELECT count(*) FROM counter")/$(sql $DB "SELECT count(*) FROM migration_event WHERE event = 'apply'")" = "1/1"
expect_true "no lock left" test "$(lock_holders)" = 0

# SIGKILL in the middle of a non-transactional migration.
cat >"$M/2_long.sql" <<'SQL'
-- dbopt:up
CREATE TABLE big (id int, v int);
INSERT INTO big SELECT g, g FROM generate_series(1, 1000) g;
CREATE INDEX CONCURRENTLY big_v_idx ON big (v);
SELECT pg_sleep(coalesce(nullif(current_setting('dbopt_test.sleep', true), ''), '0')::float8);
CREATE INDEX CONCURRENTLY big_id_idx ON big (id);
-- dbopt:down
DROP INDEX CONCURRENTLY IF EXISTS big_id_idx;
DROP TABLE big;
SQL
PGOPTIONS="-c dbopt_test.sleep=60" "$DBOPT" migrate up -d $DB --dir "$M" >"$SCRATCH/k.out" 2>"$SCRATCH/k.err" &
k=$!
expect_true "the runner reaches the long statement" wait_for_query '%pg_sleep(coalesce%'
kill -KILL $k
wait $k 2>/dev/null
gone=false
for _ in $(seq 50); do [[ $(lock_holders) == 0 ]] && gone=true && break; sleep 0.1; done
expect_true "killed runner: the lock is gone within 5 s" $gone
expect_true "killed runner: history says running, 3 statements done" test \
  "$(sql $DB "SELECT status || ' ' || statements_done || '/' || statements_total FROM migration_history WHERE version = '2'")" = "running 3/5"
run "$DBOPT" migrate up -d $DB --dir "$M"
expect_status 0 "rerun after the kill:"
expect_out "resumed after statement 3 of 5" "rerun after the kill:"
expect_true "rerun: finished once" test \
  "$(sql $DB "SELECT count(*) FROM big")/$(sql $DB "SELECT count(*) FROM pg_index WHERE indrelid = 'big'::regclass AND indisvalid")/$(history)" = "1000/2/1:applied 2:applied"
expect_true "rerun: a resume event" test "$(sql $DB "SELECT count(*) FROM migration_event WHERE event = 'resume' AND version = '2'")" = 1

# A concurrent unique index build that fails on duplicates: the invalid index is dropped.
cat >"$M/3_unique.sql" <<'SQL'
-- dbopt:up
CREATE TABLE dup (v int);
INSERT INTO dup VALUES (1), (1), (2);
CREATE UNIQUE INDEX CONCURRENTLY dup_v_key ON dup (v);
-- dbopt:down
DROP TABLE dup;
SQL
run "$DBOPT" migrate up -d $DB --dir "$M"
expect_status 3 "failing concurrent build:"
expect_err "3_unique.sql:4: could not create unique index" "failing concurrent build:"
expect_err "dropping invalid index dup_v_key" "failing concurrent build:"
expect_true "failing build: no index left" test -z "$(sql $DB "SELECT to_regclass('dup_v_key')")"
expect_true "failing build: a cleanup event, history failed at 2/3" test \
  "$(sql $DB "SELECT count(*) FROM migration_event WHERE event = 'cleanup' AND detail ->> 'index' = 'dup_v_key'")/$(sql $DB "SELECT status || ' ' || statements_done FROM migration_history WHERE version = '3'")" = "1/failed 2"
sql $DB "DELETE FROM dup WHERE ctid = (SELECT max(ctid) FROM dup WHERE v = 1)" >/dev/null
run "$DBOPT" migrate up -d $DB --dir "$M"
expect_status 0 "fixed data, rerun:"
expect_out "resumed after statement 2 of 3" "fixed data, rerun:"
expect_true "rerun: the index is valid, the rows were not inserted twice" test \
  "$(sql $DB "SELECT indisvalid FROM pg_index WHERE indexrelid = 'dup_v_key'::regclass")/$(sql $DB "SELECT count(*) FROM dup")" = "t/2"

# A runner polling for the lock does not hold up the holder's concurrent index build.
cat >"$M/4_slow_index.sql" <<'SQL'
-- dbopt:up
CREATE FUNCTION slow_id(i int) RETURNS int IMMUTABLE LANGUAGE plpgsql
AS $$ BEGIN PERFORM pg_sleep(0.01); RETURN i; END $$;
CREATE TABLE s (id int);
INSERT INTO s SELECT generate_series(1, 150);
CREATE INDEX CONCURRENTLY s_slow_idx ON s (slow_id(id));
-- dbopt:down
DROP TABLE s;
DROP FUNCTION slow_id(int);
SQL
"$DBOPT" migrate up -d $DB --dir "$M" >"$SCRATCH/a.out" 2>"$SCRATCH/a.err" &
a=$!
expect_true "runner A builds the index" wait_for_query 'CREATE INDEX CONCURRENTLY s_slow_idx%'
"$DBOPT" migrate up -d $DB --dir "$M" --lock-wait 60 >"$SCRATCH/b.out" 2>"$SCRATCH/b.err" &
b=$!
started=$SECONDS
wait $a
expect_true "the build finished while runner B polled" test $? = 0
expect_true "... within 20 s" test $((SECONDS - started)) -le 20
collect $b b
expect_status 0 "runner B after the build:"
expect_err "waiting for the migration lock" "runner B:"
expect_err "got the migration lock after" "runner B waited for the build, polling:"
expect_out "nothing to do" "runner B:"
expect_true "the index is valid" test "$(sql $DB "SELECT indisvalid FROM pg_index WHERE indexrelid = 's_slow_idx'::regclass")" = t

# Ctrl-C: the running statement is cancelled, the migration rolled back and recorded failed,
# the lock released.
cat >"$M/5_sleepy.sql" <<'SQL'
-- dbopt:up
CREATE TABLE sleepy (id int);
SELECT pg_sleep(30);
-- dbopt:down
DROP TABLE sleepy;
SQL
"$DBOPT" migrate up -d $DB --dir "$M" >"$SCRATCH/i.out" 2>"$SCRATCH/i.err" &
i=$!
expect_true "the runner sleeps" wait_for_query 'SELECT pg_sleep(30)'
started=$SECONDS
kill -INT $i
collect $i i
expect_status 3 "Ctrl-C:"
expect_err "5_sleepy.sql:3: canceling statement due to user request" "Ctrl-C:"
expect_true "Ctrl-C: ended within 5 s" test $((SECONDS - started)) -le 5
expect_true "Ctrl-C: rolled back, recorded failed, lock released" test \
  "$(sql $DB "SELECT to_regclass('sleepy') IS NULL")/$(sql $DB "SELECT status FROM migration_history WHERE version = '5'")/$(lock_holders)" = "t/failed/0"

rm "$M/5_sleepy.sql"

# Down of a non-transactional migration (a concurrent drop in its down section).
run "$DBOPT" migrate down -d $DB --dir "$M" --to 1
expect_status 0 "down --to 1:"
expect_true "down --to 1: three reverted" test "$(history)" = "1:applied 2:rolled_back 3:rolled_back 4:rolled_back 5:failed"
expect_true "down --to 1: their tables are gone" test "$(sql $DB "SELECT count(*) FROM pg_class WHERE relname IN ('big', 'dup', 's')")" = 0

psql -X -q -d postgres -c "DROP DATABASE $DB"
finish
