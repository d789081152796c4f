#!/usr/bin/env bash
# Resuming a migration whose ALTER TABLE ... DETACH PARTITION ... CONCURRENTLY was interrupted.
# The statement runs in two transactions of its own: killed after it and before its progress
# commit, the partition is detached already (counted done, not run again: it would fail "is not
# a partition"); killed while it waits between its two transactions, the detach is left pending
# (pg_inherits.inhdetachpending) and running it again fails "already pending detach": the
# resumed run completes it with DETACH PARTITION ... FINALIZE instead.
source "$(dirname "$0")/helpers.bash"
DB=cli_migrate_detach
fresh_db $DB with_extension
M=$SCRATCH/migrations
mkdir -p "$M"
row() { sql $DB "SELECT status || ' ' || statements_done || '/' || statements_total FROM migration_history WHERE version = '$1'"; }
attached() { sql $DB "SELECT coalesce(string_agg(i.inhrelid::regclass::text || ':' || i.inhdetachpending, ' ' ORDER BY i.inhrelid::regclass::text), 'none') FROM pg_inherits i WHERE i.inhparent = 'reading'::regclass"; }

cat >"$M/1_reading.sql" <<'SQL'
-- dbopt:up
CREATE TABLE reading (id int, k int) PARTITION BY RANGE (k);
CREATE TABLE reading_1 PARTITION OF reading FOR VALUES FROM (0) TO (10);
CREATE TABLE reading_2 PARTITION OF reading FOR VALUES FROM (10) TO (20);
CREATE TABLE reading_3 PARTITION OF reading FOR VALUES FROM (20) TO (30);
INSERT INTO reading SELECT g, g % 30 FROM generate_series(1, 300) g;
ALTER TABLE reading DETACH PARTITION reading_1 CONCURRENTLY;
-- dbopt:down
ALTER TABLE reading ATTACH PARTITION reading_1 FOR VALUES FROM (0) TO (10);
SQL
run "$DBOPT" migrate up -d $DB --dir "$M"
expect_status 0 "up:"
expect_true "up: reading_1 detached, the row applied" test "$(attached)/$(row 1)" = "reading_2:false reading_3:false/applied 6/6"

# Killed after the detach and before its progress commit: simulated by setting the history
# back one statement after the complete run.
sql $DB "UPDATE migration_history SET status = 'running', statements_done = 5 WHERE version = '1'"
run "$DBOPT" migrate up -d $DB --dir "$M"
expect_status 0 "resume after a detach whose progress was lost:"
expect_err "statement 6/6 (line 7) took effect before the earlier run stopped (partition reading_1 is no longer attached to reading): counted done" "resume, detached:"
expect_out "statement 6 found done: partition reading_1 is no longer attached to reading" "resume, detached: the report says so"
expect_true "resume, detached: nothing else detached, the row applied" test "$(attached)/$(row 1)" = "reading_2:false reading_3:false/applied 6/6"
# Still attached (the kill came before the detach ran): it runs as written.
sql $DB "ALTER TABLE reading ATTACH PARTITION reading_1 FOR VALUES FROM (0) TO (10); UPDATE migration_history SET status = 'failed', statements_done = 5 WHERE version = '1'"
run "$DBOPT" migrate up -d $DB --dir "$M"
expect_status 0 "resume before the detach ran:"
expect_true "resume before the detach ran: detached by the rerun, applied" test "$(attached)/$(row 1)" = "reading_2:false reading_3:false/applied 6/6"
run "$DBOPT" migrate verify -d $DB --dir "$M"
expect_status 0 "verify after the resumes:"

# Killed between the detach's two transactions: a reader of the parent keeps the second one
# waiting; the runner is killed there (SIGKILL, and its backend ended with it).
cat >"$M/2_detach_reading_2.sql" <<'SQL'
-- dbopt:up
ALTER TABLE reading DETACH PARTITION reading_2 CONCURRENTLY;
ALTER TABLE reading_2 ADD COLUMN archived boolean NOT NULL DEFAULT true;
-- dbopt:down
ALTER TABLE reading_2 DROP COLUMN archived;
ALTER TABLE reading ATTACH PARTITION reading_2 FOR VALUES FROM (10) TO (20);
SQL
psql -X -q -d $DB -c "SET application_name = 'reading reader'" -c "BEGIN" -c "SELECT count(*) FROM reading" -c "SELECT pg_sleep(60)" >/dev/null 2>&1 &
reader=$!
for _ in $(seq 100); do
  [[ $(sql $DB "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'reading reader' AND query LIKE '%pg_sleep%'") == 1 ]] && break
  sleep 0.1
done
"$DBOPT" migrate up -d $DB --dir "$M" >"$SCRATCH/k.out" 2>"$SCRATCH/k.err" &
runner=$!
pending=false
for _ in $(seq 100); do
  [[ $(attached) == *"reading_2:true"* ]] && pending=true && break
  sleep 0.1
done
expect_true "the detach waits for the reader, pending" $pending
runner_pid=$(sql $DB "SELECT pid FROM pg_stat_activity WHERE application_name = 'dbopt migrate'")
kill -KILL $runner
wait $runner 2>/dev/null
[[ -n $runner_pid ]] && sql $DB "SELECT pg_terminate_backend($runner_pid)" >/dev/null
sql $DB "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'reading reader'" >/dev/null
wait $reader 2>/dev/null
gone=false
for _ in $(seq 50); do
  [[ $(sql $DB "SELECT count(*) FROM pg_stat_activity WHERE application_name IN ('dbopt migrate', 'reading reader')") == 0 ]] && gone=true && break
  sleep 0.1
done
expect_true "killed runner and reader: both sessions gone" $gone
expect_true "killed runner: the detach left pending, history says running, 0 done" test \
  "$(attached)/$(row 2)" = "reading_2:true reading_3:false/running 0/2"
# Running the statement again fails (what the resumed run must not do).
run psql -X -q -d $DB -c "ALTER TABLE reading DETACH PARTITION reading_2 CONCURRENTLY"
expect_err "already pending detach" "the statement again, by hand:"
run "$DBOPT" migrate up -d $DB --dir "$M" --format json
expect_status 0 "resume after a kill in the middle of the detach:"
expect_err "statement 1/2 (line 2) got part-way before the earlier run stopped (the detach of partition reading_2 from reading is pending): completing it with ALTER TABLE reading DETACH PARTITION reading_2 FINALIZE" "resume, pending:"
expect_true "resume, pending: the report's note" python3 -c '
import json,sys; m=json.loads(sys.argv[1])["migrations"]
sys.exit(0 if [(x["version"], x["status"], x["note"]) for x in m] == [("2", "applied", "statement 1 completed: the detach of partition reading_2 from reading is pending, ran ALTER TABLE reading DETACH PARTITION reading_2 FINALIZE")] else 1)' "$out"
expect_true "resume, pending: detached for good, the next statement ran, applied" test \
  "$(attached)/$(sql $DB "SELECT count(*) FROM reading_2 WHERE archived")/$(row 2)" = "reading_3:false/100/applied 2/2"
expect_true "resume, pending: one apply event, no failure" test \
  "$(sql $DB "SELECT string_agg(event, ' ' ORDER BY event) FROM migration_event WHERE version = '2'")" = "apply"
# The revert puts both partitions back.
run "$DBOPT" migrate down -d $DB --dir "$M" --steps 2
expect_status 0 "down:"
expect_true "down: all three attached again" test "$(attached)" = "reading_1:false reading_2:false reading_3:false"

psql -X -q -d postgres -c "DROP DATABASE $DB"
finish
