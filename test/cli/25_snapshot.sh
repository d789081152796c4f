#!/usr/bin/env bash
# History snapshots with two sessions and through pg_dump (docs/operations.md "Snapshots and
# retention"): while one session's snapshot is uncommitted, another dbopt_snapshot() skips at
# once with a notice and a row saying so; the next one after the commit works. A pg_dump round
# trip (custom and plain) keeps every history row and the id sequence's position, and the
# restored database takes snapshots of its own after them.
source "$(dirname "$0")/helpers.bash"
DB=cli_snapshot
RESTORED=cli_snapshot_restored
S='"Snap Shot"'  # the extension's schema: quoted, not on the search_path
fresh_db $DB
sql $DB "CREATE SCHEMA $S; CREATE EXTENSION dbopt SCHEMA $S"
sql $DB "CREATE TABLE snap_t (id int PRIMARY KEY, v int); INSERT INTO snap_t SELECT i, i FROM generate_series(1, 100) i"
for i in 1 2 3; do sql $DB "SELECT v FROM snap_t WHERE id = $i" >/dev/null; done

# Session 1 takes a snapshot in a transaction it keeps open (its input is a FIFO we hold).
mkfifo "$SCRATCH/session1"
psql -X -q -At -v ON_ERROR_STOP=1 -d $DB <"$SCRATCH/session1" >"$SCRATCH/session1.out" 2>&1 &
session1=$!
exec 3>"$SCRATCH/session1"
echo "BEGIN; SELECT skipped FROM $S.dbopt_snapshot();" >&3
held=0
for _ in $(seq 1 100); do  # the advisory lock 431148200053: classid 100, objid 1651470453
  held=$(sql $DB "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = 100 AND objid = 1651470453 AND objsubid = 1 AND granted")
  [[ $held == 1 ]] && break
  sleep 0.1
done
expect_true "session 1 holds the snapshot lock" test "$held" = 1

run psql -X -q -At -v ON_ERROR_STOP=1 -d $DB -c "SELECT skipped, snapshot_id IS NULL, queries IS NULL, taken_at IS NOT NULL FROM $S.dbopt_snapshot()"
expect_status 0 "the second snapshot:"
expect_out "t|t|t|t" "the second snapshot says it skipped:"
expect_err "another dbopt_snapshot() or dbopt_purge() is running in this database: this snapshot is skipped" \
  "the second snapshot's notice:"
expect_true "nothing written by the skipped one (session 1 not committed yet)" \
  test "$(sql $DB "SELECT count(*) FROM $S.snapshot")" = 0

echo "COMMIT;" >&3
exec 3>&-
wait $session1
expect_true "session 1 committed its snapshot" test "$(cat "$SCRATCH/session1.out")" = f
run psql -X -q -At -v ON_ERROR_STOP=1 -d $DB -c "SELECT skipped FROM $S.dbopt_snapshot()"
expect_out "f" "a snapshot after the commit works:"
expect_true "two snapshots, the second's previous is the first" \
  test "$(sql $DB "SELECT count(*), max(previous_id) = min(snapshot_id) FROM $S.snapshot")" = "2|t"

# Health findings too, so every history table has rows to dump.
sql $DB "CREATE TABLE snap_child (id int PRIMARY KEY, t_id int REFERENCES snap_t)"
sql $DB "SELECT skipped FROM $S.dbopt_snapshot(health => true)" >/dev/null

digest() { # db: every history row, one md5 per table
  local t out=""
  for t in snapshot snapshot_query snapshot_relation snapshot_index snapshot_finding snapshot_query_text \
    snapshot_query_latest; do
    out+="$t:$(sql $1 "SELECT count(*) || ':' || md5(coalesce(string_agg(r::text, ',' ORDER BY r::text), '')) FROM $S.$t r") "
  done
  echo "$out"
}
before=$(digest $DB)
next_id=$(sql $DB "SELECT last_value + 1 FROM $S.snapshot_id_seq")
expect_true "every history table has rows" \
  test "$(sql $DB "SELECT (SELECT count(*) FROM $S.snapshot) > 0 AND (SELECT count(*) FROM $S.snapshot_query) > 0
          AND (SELECT count(*) FROM $S.snapshot_relation) > 0 AND (SELECT count(*) FROM $S.snapshot_index) > 0
          AND (SELECT count(*) FROM $S.snapshot_finding) > 0 AND (SELECT count(*) FROM $S.snapshot_query_text) > 0
          AND (SELECT count(*) FROM $S.snapshot_query_latest) > 0")" = t

for format in custom plain; do
  dump_restore $format $DB $RESTORED
  after=$(digest $RESTORED)
  expect_true "$format restore: every history row and column is the same" test "$before" = "$after"
  expect_true "$format restore: the rows are in the same slots' partitions" \
    test "$(sql $RESTORED "SELECT count(*) FROM $S.snapshot s WHERE s.tableoid::regclass::text LIKE '%snapshot\_' || s.slot")" \
    = "$(sql $DB "SELECT count(*) FROM $S.snapshot")"
  run psql -X -q -At -v ON_ERROR_STOP=1 -d $RESTORED -c "SELECT snapshot_id, skipped FROM $S.dbopt_snapshot()"
  expect_out "$next_id|f" "$format restore: the next snapshot continues the id sequence at $next_id:"
  expect_true "$format restore: its deltas are against the last restored snapshot" \
    test "$(sql $RESTORED "SELECT previous_id = $next_id - 1 FROM $S.snapshot WHERE snapshot_id = $next_id")" = t
done

psql -X -q -d postgres -c "DROP DATABASE $DB" -c "DROP DATABASE $RESTORED"
finish
