#!/usr/bin/env bash
# dbopt migrate new and from-findings: new writes VERSION_NAME.sql with both sections into a
# folder it creates, later versions than every file, never overwrites, checks the name;
# from-findings writes the health findings' remediations (an unindexed foreign key, a
# redundant index) as one migration whose up section fixes them and whose down section puts
# them back; nothing to fix writes nothing.
source "$(dirname "$0")/helpers.bash"
DIR=$SCRATCH/db/migrations

# new: the folder is created, the path printed, the file has both markers.
run "$DBOPT" migrate new add_invoice --dir "$DIR"
expect_status 0 "new:"
first=$out
expect_true "new: VERSION_NAME.sql in the folder" grep -qE "^$DIR/[0-9]{14}_add_invoice\.sql$" <<<"$first"
expect_true "new: the file has the up marker" grep -qx -- "-- dbopt:up" "$first"
expect_true "new: the file has the down marker" grep -qx -- "-- dbopt:down" "$first"
# A file from the future: the next version is later still.
touch "$DIR/30000101000000_future.sql"
printf -- '-- dbopt:up\n-- dbopt:down\n' >"$DIR/30000101000000_future.sql"
run "$DBOPT" migrate new second -F json --dir "$DIR"
expect_status 0 "new json:"
expect_out "\"path\": \"$DIR/30000101000001_second.sql\"" "new after a future version:"
expect_out "\"version\": \"30000101000001\"" "new json:"
# Bad names and arguments: exit 2, nothing written.
count_before=$(ls "$DIR" | wc -l)
for bad in Add_Invoice add-invoice "add invoice" ""; do
  run "$DBOPT" migrate new "$bad" --dir "$DIR"
  expect_status 2 "new \"$bad\":"
  expect_err "invalid migration name" "new \"$bad\":"
  expect_err "lower-case letters, digits and underscores" "new \"$bad\":"
done
run "$DBOPT" migrate new --dir "$DIR"
expect_status 2 "new without a name:"
expect_err "dbopt migrate new needs a NAME" "new without a name:"
run "$DBOPT" migrate new a b --dir "$DIR"
expect_status 2 "new with two names:"
expect_true "nothing written by the refused calls" test "$(ls "$DIR" | wc -l)" = "$count_before"
# A folder that cannot be created.
run "$DBOPT" migrate new x --dir /proc/dbopt-no/such
expect_status 3 "new into an impossible folder:"
expect_err "cannot create the folder" "new into an impossible folder:"

# from-findings against a server.
DB=cli_migrate_files
fresh_db $DB with_extension
psql -X -q -v ON_ERROR_STOP=1 -d $DB >/dev/null <<'SQL'
CREATE TABLE ff_customers (id bigint PRIMARY KEY, email text NOT NULL);
CREATE TABLE ff_orders (id bigint PRIMARY KEY,
                        customer_id bigint NOT NULL REFERENCES ff_customers, status text);
CREATE INDEX ff_orders_status_idx ON ff_orders (status);
CREATE INDEX ff_orders_status_id_idx ON ff_orders (status, id);  -- makes the one above redundant
INSERT INTO ff_customers SELECT g, 'c' || g FROM generate_series(1, 50) g;
INSERT INTO ff_orders SELECT g, 1 + g % 50, 'new' FROM generate_series(1, 500) g;
ANALYZE;
SQL
indexes() { sql $DB "SELECT string_agg(indexrelid::regclass::text || ':' || indisvalid, ',' ORDER BY indexrelid::regclass::text) FROM pg_index WHERE indrelid = 'ff_orders'::regclass"; }
before=$(indexes)
echo "# before: $before"
expect_true "the fixture has both sins" test "$(sql $DB "SELECT string_agg(DISTINCT check_id, ',' ORDER BY check_id) FROM dbopt_health() WHERE check_id IN ('fk_unindexed', 'index_redundant')")" = "fk_unindexed,index_redundant"
FF=$SCRATCH/ff
run "$DBOPT" migrate from-findings -d $DB --dir "$FF" --checks fk_unindexed,index_redundant
expect_status 0 "from-findings:"
file=$out
expect_true "from-findings: VERSION_dbopt_remediations.sql" grep -qE "^$FF/[0-9]{14}_dbopt_remediations\.sql$" <<<"$file"
expect_err "2 fixes written" "from-findings:"
cat "$file" | sed 's/^/#   /'
up=$(sed -n '/^-- dbopt:up$/,/^-- dbopt:down$/p' "$file")
down=$(sed -n '/^-- dbopt:down$/,$p' "$file")
expect_true "up: the FK index is built" grep -q "CREATE INDEX CONCURRENTLY .*ff_orders.*(customer_id)" <<<"$up"
expect_true "up: the redundant index is dropped" grep -q "DROP INDEX CONCURRENTLY .*ff_orders_status_idx" <<<"$up"
expect_true "up: the build comes before the drop" test \
  "$(grep -n 'CREATE INDEX' <<<"$up" | head -1 | cut -d: -f1)" -lt "$(grep -n 'DROP INDEX' <<<"$up" | head -1 | cut -d: -f1)"
expect_true "down: the redundant index is rebuilt first" test \
  "$(grep -n 'CREATE INDEX' <<<"$down" | head -1 | cut -d: -f1)" -lt "$(grep -n 'DROP INDEX' <<<"$down" | head -1 | cut -d: -f1)"
expect_true "the header names both fixes" grep -q "fk_unindexed on public.ff_orders" "$file"

# Apply the sections as the runner would (each statement on its own, in autocommit).
apply_section() { # marker
  sed -n "/^-- dbopt:$1\$/,/^-- dbopt:/p" "$file" | grep -v '^-- dbopt:' |
    psql -X -q -v ON_ERROR_STOP=1 -d $DB >/dev/null 2>"$SCRATCH/psql.err"
}
left_to_fix() { sql $DB "SELECT count(*) FROM dbopt_health() WHERE check_id IN ('fk_unindexed', 'index_redundant')"; }
if ! "$DBOPT" migrate up -d $DB --dir "$SCRATCH/none" 2>&1 | grep -q "not available in this build"; then
  echo "# applying with dbopt migrate up / down"
  run "$DBOPT" migrate up -d $DB --dir "$FF"
  expect_status 0 "migrate up of the written file:"
  after=$(indexes)
  left=$(left_to_fix)
  run "$DBOPT" migrate down -d $DB --dir "$FF"
  expect_status 0 "migrate down of the written file:"
else
  echo "# dbopt migrate up is not built yet: applying the sections with psql"
  expect_true "psql runs the up section" apply_section up
  after=$(indexes)
  left=$(left_to_fix)
  expect_true "psql runs the down section" apply_section down
fi
echo "# after up: $after"
expect_true "after up: the FK index exists and is valid" grep -q "customer_id_idx:true" <<<"$after"
expect_true "after up: the redundant index is gone" test "$(grep -c 'ff_orders_status_idx:' <<<"$after")" = 0
expect_true "after up: nothing left to fix" test "$left" = 0
expect_true "after down: both findings are back" test "$(left_to_fix)" = 2
expect_true "after down: the indexes are as before" test "$(indexes)" = "$before"

# Nothing to fix: no file, exit 0.
run "$DBOPT" migrate from-findings -d $DB --dir "$SCRATCH/empty" --checks no_such_check
expect_status 0 "nothing to fix:"
expect_out "nothing to fix in database \"$DB\": no file written" "nothing to fix:"
expect_true "nothing to fix: no folder, no file" test ! -e "$SCRATCH/empty"
run "$DBOPT" migrate from-findings -d $DB --dir "$SCRATCH/empty" --min-severity critical -F json
expect_status 0 "nothing critical:"
expect_out '"path": null' "nothing critical (json):"
# A name, json output.
run "$DBOPT" migrate from-findings fix_fks -d $DB --dir "$FF" --checks fk_unindexed -F json
expect_status 0 "from-findings NAME -F json:"
expect_out "_fix_fks.sql\"" "from-findings NAME:"
expect_out '"fixes": 1' "from-findings NAME:"
# --advise: the advisor's index for a captured workload (nothing captured: nothing to write).
run "$DBOPT" migrate from-findings -d $DB --dir "$SCRATCH/adv" --advise --no-health
expect_status 0 "--advise with no workload:"
expect_out "nothing to fix" "--advise with no workload:"
PGOPTIONS='-c dbopt.track=none' psql -X -q -v ON_ERROR_STOP=1 -d $DB >/dev/null <<'SQL'
CREATE TABLE ff_events (id int PRIMARY KEY, kind int NOT NULL, note text NOT NULL)
  WITH (autovacuum_enabled = off);
INSERT INTO ff_events SELECT g, g % 2000, 'note ' || g FROM generate_series(1, 40000) g;
ANALYZE ff_events;
SQL
for i in 1 2 3 4 5 6; do
  PGOPTIONS='-c dbopt.sample_rate=1' psql -X -q -d $DB -c "SELECT * FROM ff_events WHERE kind = $i" >/dev/null
done
run "$DBOPT" migrate from-findings advised -d $DB --dir "$SCRATCH/adv" --advise --no-health
expect_status 0 "--advise --no-health:"
expect_err "1 fix written" "--advise --no-health:"
expect_true "--advise: the advisor's index in the up section" grep -q "^CREATE INDEX CONCURRENTLY IF NOT EXISTS ff_events_kind_idx ON public.ff_events" "$out"
expect_true "--advise: its revert in the down section" grep -q "^DROP INDEX CONCURRENTLY IF EXISTS public.ff_events_kind_idx;" "$out"
expect_true "--advise --no-health: no health finding" test "$(grep -c 'fk_unindexed' "$out")" = 0

# Bad arguments.
run "$DBOPT" migrate from-findings -d $DB --checks 'fk unindexed'
expect_status 2 "bad --checks:"
expect_err "invalid check id" "bad --checks:"
run "$DBOPT" migrate from-findings -d $DB --min-severity loud
expect_status 2 "bad --min-severity:"
run "$DBOPT" migrate from-findings -d $DB --no-health
expect_status 2 "--no-health alone:"
run "$DBOPT" migrate from-findings Bad-Name -d $DB
expect_status 2 "bad name:"
run "$DBOPT" migrate new x --checks fk_unindexed
expect_status 2 "--checks is from-findings' option:"
expect_err "is not valid for \"dbopt migrate new\"" "--checks on new:"
# No extension: a clear error.
fresh_db ${DB}_bare
run "$DBOPT" migrate from-findings -d ${DB}_bare --dir "$SCRATCH/bare"
expect_status 3 "without the extension:"
expect_err "CREATE EXTENSION dbopt" "without the extension:"
finish
