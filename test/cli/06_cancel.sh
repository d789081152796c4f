#!/usr/bin/env bash
# Ctrl-C while dbopt_health() runs cancels the query on the server (as in psql): dbopt exits
# 3 with the server's message, promptly, and the server is not left running the query.
source "$(dirname "$0")/helpers.bash"
DB=cli_cancel
fresh_db $DB with_extension
# A stand-in dbopt_health() (same signature) that takes a minute.
psql -X -q -v ON_ERROR_STOP=1 -d $DB >/dev/null <<'SQL'
CREATE OR REPLACE FUNCTION dbopt_health(schema_name name DEFAULT NULL,
                                        include_data boolean DEFAULT false)
RETURNS TABLE (check_id text, severity text, object_type text, object_name text,
               message text, detail jsonb, remediation text[], revert text[])
LANGUAGE sql AS $f$
  SELECT NULL::text, NULL::text, NULL::text, NULL::text, NULL::text, NULL::jsonb,
         NULL::text[], NULL::text[]
  FROM pg_sleep(60) WHERE random() < 0
$f$;
SQL

"$DBOPT" health -d $DB >"$SCRATCH/out" 2>"$SCRATCH/err" &
pid=$!
running=false
for _ in $(seq 100); do # wait until the query runs (application_name defaults to dbopt)
  [[ $(sql $DB "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'dbopt' AND state = 'active'") == 1 ]] && running=true && break
  sleep 0.1
done
expect_true "the query runs, as application_name dbopt" $running
started=$SECONDS
kill -INT $pid
wait $pid
status=$?
out=$(cat "$SCRATCH/out")
err=$(cat "$SCRATCH/err")
expect_status 3 "Ctrl-C:"
expect_err "canceling statement due to user request" "Ctrl-C:"
expect_true "Ctrl-C: dbopt ended within 5 s" test $((SECONDS - started)) -le 5
expect_true "Ctrl-C: the server is not running the query any more" \
  test "$(sql $DB "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'dbopt' AND state = 'active'")" = 0

psql -X -q -d postgres -c "DROP DATABASE $DB"
finish
