#!/usr/bin/env bash
# dbopt_schedule() / dbopt_unschedule() with pg_cron, on a cluster of its own that preloads
# pg_cron (cron.database_name = postgres, background workers, so no TCP connection needed):
# the jobs are registered with the right schedule, command and database, idempotently; a
# second database is scheduled from the cron database (cron.schedule_in_database) and, called
# there, prints the statements to run instead; the jobs' commands fill the history; pg_cron
# itself runs one (an @reboot job, run at the restart: pg_cron 1.4 counts in minutes);
# unscheduling removes them; after DROP EXTENSION each job removes itself at its next run,
# and nothing is left failing; on a hot standby the commands do nothing; before CREATE
# EXTENSION pg_cron a NOTICE gives crontab lines, which take snapshots and do nothing on the
# standby or after DROP EXTENSION; the purge job deletes the run details of dbopt's jobs older
# than the retention, as far as its role may.
# Run by scripts/test.sh (suite "cluster"); DBOPT_CLUSTER_PORT picks the port (and the next one
# for the standby).
set -uo pipefail
source "$(dirname "$0")/../../scripts/lib.sh"
PORT=${DBOPT_CLUSTER_PORT:-55499}
DIR=$(mktemp -d /tmp/dbopt-cron.XXXXXX)
STANDBY=$DIR/standby
chmod 755 "$DIR"
trap 'stop_cluster "$STANDBY"; stop_cluster "$DIR"; rm -rf "$DIR"' EXIT
failures=0

q() { # database, SQL
  psql -X -q -At -h "$DIR" -p "$PORT" -U postgres -d "$1" -v ON_ERROR_STOP=1 -c "$2" 2>&1
}
pgctl() { as_cluster_user "$PG_BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w "$@" >/dev/null; }
jobs() { # the dbopt jobs in cron.job: name|schedule|database|active
  q postgres "SELECT string_agg(jobname || '|' || schedule || '|' || database || '|' || active, ',' ORDER BY jobid)
                FROM cron.job WHERE jobname LIKE 'dbopt-%'"
}
# Runs a job's command as pg_cron would: in its database, as its role.
run_job() { # job name
  local db cmd
  db=$(q postgres "SELECT database FROM cron.job WHERE jobname = '$1'")
  cmd=$(q postgres "SELECT command FROM cron.job WHERE jobname = '$1'")
  q "$db" "$cmd"
}
# Waits (at most 20 s) for pg_cron to finish a run of job $1 after run id $2; prints its status.
wait_run() {
  local status=
  for _ in $(seq 1 80); do
    status=$(q postgres "SELECT status FROM cron.job_run_details WHERE jobid = $1 AND runid > $2
                           AND status IN ('succeeded', 'failed') ORDER BY runid DESC LIMIT 1")
    [[ -n $status ]] && break
    sleep 0.25
  done
  echo "$status"
}

if [[ ! -f $("$PG_CONFIG" --pkglibdir)/pg_cron.so ]]; then
  echo "not ok - pg_cron is not installed in $("$PG_CONFIG" --pkglibdir) (package postgresql-15-cron; scripts/test.sh installs it)"
  exit 1
fi
start_cluster "$DIR" "$PORT" "shared_preload_libraries = 'dbopt,pg_cron'" \
  "cron.database_name = 'postgres'" "cron.use_background_workers = on" \
  "max_worker_processes = 16" ||
  { cat "$DIR/server.log"; exit 1; }
q postgres "CREATE EXTENSION dbopt" >/dev/null
q postgres "CREATE DATABASE app" >/dev/null
q app "CREATE EXTENSION dbopt" >/dev/null

# Until the snapshot functions exist (issue 7 "snap"), stand-ins that record their calls.
for db in postgres app; do
  q "$db" "CREATE TABLE public.cron_calls (call text, at timestamptz DEFAULT now());
    DO \$\$ BEGIN
      IF to_regprocedure('public.dbopt_snapshot(boolean)') IS NULL THEN
        CREATE FUNCTION public.dbopt_snapshot(health boolean DEFAULT false) RETURNS void
          LANGUAGE sql AS 'INSERT INTO public.cron_calls VALUES (''snapshot '' || health)';
      END IF;
      IF to_regprocedure('public.dbopt_purge(interval)') IS NULL THEN
        CREATE FUNCTION public.dbopt_purge(older_than interval DEFAULT '30 days') RETURNS void
          LANGUAGE sql AS 'INSERT INTO public.cron_calls VALUES (''purge '' || older_than)';
      END IF;
    END \$\$" >/dev/null
done
real=$(q postgres "SELECT count(*) FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid
                     AND d.deptype = 'e' WHERE p.proname = 'dbopt_snapshot'")
snapshots() { # database, what (all | health): snapshots taken (or the stand-in's calls)
  local filter=true
  if [[ $real == 1 ]]; then
    [[ $2 == health ]] && filter="'health' = ANY (sources)"
    q "$1" "SELECT count(*) FILTER (WHERE $filter) FROM public.snapshot"
  else
    [[ $2 == health ]] && filter="call = 'snapshot true'"
    q "$1" "SELECT count(*) FILTER (WHERE call LIKE 'snapshot%' AND $filter) FROM public.cron_calls"
  fi
}
# Schedules that never fire (February 30th), so that no run interferes with the counts below.
QUIET="snapshot_schedule => '0 0 30 2 *', health_schedule => '1 0 30 2 *', purge_schedule => '2 0 30 2 *'"

# pg_cron loaded, not yet created: crontab lines instead, guarded like the pg_cron commands.
out=$(q postgres "SELECT string_agg(action, ',') FROM dbopt_schedule()")
[[ $out == *"pg_cron is not created in this database"*"*/15 * * * * psql -X -q -U 'postgres' -d 'postgres' -c 'DO \$dbopt\$ BEGIN IF pg_catalog.pg_is_in_recovery() THEN RETURN; END IF; IF EXISTS (SELECT FROM pg_catalog.pg_extension WHERE extname = '\''dbopt'\'') THEN PERFORM public.dbopt_snapshot(); END IF; END \$dbopt\$'"* ]]
check "before CREATE EXTENSION pg_cron: a NOTICE with the crontab lines" 0 $?
check "before CREATE EXTENSION pg_cron: not scheduled" "not_scheduled,not_scheduled,not_scheduled" "${out##*$'\n'}"
cron_lines=$(grep -E "^[^ ]+ [^ ]+ [^ ]+ [^ ]+ [^ ]+ psql " <<<"$out")
check "three crontab lines" 3 "$(wc -l <<<"$cron_lines")"
# Runs crontab line $1 (1: snapshot, 2: health, 3: purge) as cron would (sh, % unescaped)
# against the server in socket directory $2, port $3; prints its output and exit status.
run_cron_line() {
  local line cmd
  line=$(sed -n "${1}p" <<<"$cron_lines")
  cmd=$(cut -d' ' -f6- <<<"$line")
  cmd=${cmd//\\%/%}
  PGHOST=$2 PGPORT=$3 sh -c "$cmd" 2>&1
  echo "exit $?"
}
all=$(snapshots postgres all)
check "the crontab snapshot line takes a snapshot" "exit 0|$((all + 1))" \
  "$(run_cron_line 1 "$DIR" "$PORT")|$(snapshots postgres all)"
check "the crontab purge line runs" "exit 0" "$(run_cron_line 3 "$DIR" "$PORT")"
q postgres "CREATE EXTENSION pg_cron" >/dev/null

# Scheduling, idempotent by name (the default schedules briefly, then quiet ones).
check "first call creates the three jobs" \
  "dbopt-snapshot|*/15 * * * *|postgres|created,dbopt-health|7 3 * * *|postgres|created,dbopt-purge|37 3 * * *|postgres|created" \
  "$(q postgres "SELECT string_agg(job_name || '|' || schedule || '|' || database || '|' || action, ',')
                   FROM dbopt_schedule()")"
check "cron.job holds them" \
  "dbopt-snapshot|*/15 * * * *|postgres|true,dbopt-health|7 3 * * *|postgres|true,dbopt-purge|37 3 * * *|postgres|true" "$(jobs)"
ids=$(q postgres "SELECT string_agg(jobid::text, ',' ORDER BY jobid) FROM cron.job WHERE jobname LIKE 'dbopt-%'")
check "a second call changes nothing" "unchanged,unchanged,unchanged|$ids" \
  "$(q postgres "SELECT string_agg(action, ',') || '|' || string_agg(jobid::text, ',' ORDER BY jobid) FROM dbopt_schedule()")"
check "new schedules update the jobs in place" "updated,updated,updated|$ids" \
  "$(q postgres "SELECT string_agg(action, ',') || '|' || string_agg(jobid::text, ',' ORDER BY jobid)
                   FROM dbopt_schedule($QUIET)")"
check "the commands call dbopt's functions, schema-qualified, and are returned as registered" "3|3" \
  "$(q postgres "SELECT count(*) FILTER (WHERE j.command LIKE '%PERFORM public.dbopt_snapshot()%'
                                           OR j.command LIKE '%PERFORM public.dbopt_snapshot(health => true)%'
                                           OR j.command LIKE '%PERFORM public.dbopt_purge()%') || '|' ||
                        count(*) FILTER (WHERE j.command = s.command AND j.jobid = s.jobid)
                   FROM cron.job j JOIN dbopt_schedule($QUIET) s ON s.job_name = j.jobname")"
check "a retention updates the purge job only" "unchanged,unchanged,updated" \
  "$(q postgres "SELECT string_agg(action, ',') FROM dbopt_schedule($QUIET, retention => '14 days')")"
check "the purge job got it" t \
  "$(q postgres "SELECT command LIKE '%PERFORM public.dbopt_purge(older_than => ''14 days''::interval)%'
                   FROM cron.job WHERE jobname = 'dbopt-purge'")"
q postgres "SELECT cron.alter_job(jobid, active => false) FROM cron.job WHERE jobname = 'dbopt-health'" >/dev/null
check "a paused job is activated again" "unchanged,updated,unchanged|t" \
  "$(q postgres "SELECT string_agg(action, ',') FROM dbopt_schedule($QUIET, retention => '14 days')")|$(
     q postgres "SELECT active FROM cron.job WHERE jobname = 'dbopt-health'")"

# The commands, run as pg_cron runs them, fill the history.
all=$(snapshots postgres all)
run_job dbopt-snapshot >/dev/null
check "the snapshot command took a snapshot" $((all + 1)) "$(snapshots postgres all)"
health=$(snapshots postgres health)
run_job dbopt-health >/dev/null
check "the health command took a health snapshot" $((health + 1)) "$(snapshots postgres health)"
check "the purge command runs" "" "$(run_job dbopt-purge)"

# The purge job also deletes pg_cron's run details of the role's dbopt jobs older than the
# retention (14 days here), none of another job's, none of another role's.
q postgres "SELECT cron.schedule('other-job', '0 0 30 2 *', 'SELECT 1')" >/dev/null
fake_runs() { # role, job name, ages ...: run details that ended that long ago
  local role=$1 job=$2 age
  shift 2
  for age in "$@"; do
    q postgres "INSERT INTO cron.job_run_details (jobid, database, username, command, status,
                  start_time, end_time)
                SELECT jobid, 'postgres', username, 'x', 'succeeded', now() - interval '$age',
                       now() - interval '$age'
                  FROM cron.job WHERE jobname = '$job' AND username = '$role'" >/dev/null
  done
}
runs() { # the fake run details left: role:job:age in days, sorted
  q postgres "SELECT string_agg(d.username || ':' || j.jobname || ':' ||
                                extract(day FROM now() - d.end_time + interval '1 hour'),
                                ',' ORDER BY d.username, j.jobname, d.end_time)
                FROM cron.job_run_details d JOIN cron.job j USING (jobid) WHERE d.command = 'x'"
}
fake_runs postgres dbopt-snapshot '40 days' '20 days' '1 day'
fake_runs postgres dbopt-purge '20 days'
fake_runs postgres other-job '40 days'
run_job dbopt-purge >/dev/null
check "the purge job deleted its jobs' run details older than the retention" \
  "postgres:dbopt-snapshot:1,postgres:other-job:40" "$(runs)"
# A role that is not a superuser: row security lets it delete its own runs only; without the
# DELETE privilege the purge still succeeds and deletes nothing.
q postgres "CREATE ROLE cron_user LOGIN; GRANT USAGE ON SCHEMA cron TO cron_user;
  GRANT SELECT, INSERT, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA public TO cron_user;
  GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO cron_user;
  GRANT EXECUTE ON FUNCTION dbopt_schedule(text, text, text, text, interval),
                            dbopt_unschedule(text), dbopt_purge(interval) TO cron_user" >/dev/null
check "a non-superuser schedules its own jobs" "created,created,created" \
  "$(q postgres "SET ROLE cron_user; SELECT string_agg(action, ',') FROM dbopt_schedule($QUIET)")"
fake_runs cron_user dbopt-health '40 days' '10 days'
fake_runs postgres dbopt-health '40 days'
user_purge=$(q postgres "SELECT command FROM cron.job WHERE jobname = 'dbopt-purge' AND username = 'cron_user'")
check "the non-superuser's purge job runs" "" "$(q postgres "SET ROLE cron_user; $user_purge")"
check "... and deleted its own old run details only (default retention, 30 days)" \
  "cron_user:dbopt-health:10,postgres:dbopt-health:40,postgres:dbopt-snapshot:1,postgres:other-job:40" "$(runs)"
q postgres "REVOKE DELETE ON cron.job_run_details FROM PUBLIC" >/dev/null
fake_runs cron_user dbopt-health '50 days'
check "without DELETE on cron.job_run_details the purge job still succeeds" "" \
  "$(q postgres "SET ROLE cron_user; $user_purge")"
check "... and deletes nothing" \
  "cron_user:dbopt-health:50,cron_user:dbopt-health:10,postgres:dbopt-health:40,postgres:dbopt-snapshot:1,postgres:other-job:40" "$(runs)"
q postgres "GRANT DELETE ON cron.job_run_details TO PUBLIC" >/dev/null
q postgres "SET ROLE cron_user; SELECT count(*) FROM dbopt_unschedule()" >/dev/null
q postgres "SELECT cron.unschedule('other-job'); DELETE FROM cron.job_run_details WHERE command = 'x';
            DROP OWNED BY cron_user; DROP ROLE cron_user" >/dev/null
check "the non-superuser's jobs are gone" 3 "$(q postgres "SELECT count(*) FROM cron.job")"

# Another database, scheduled from the cron database.
check "another database: jobs named after it, run there" \
  "dbopt-snapshot@app|app|created,dbopt-health@app|app|created,dbopt-purge@app|app|created" \
  "$(q postgres "SELECT string_agg(job_name || '|' || database || '|' || action, ',')
                   FROM dbopt_schedule(dbname => 'app', $QUIET)")"
check "cron.job: in database app" "3" \
  "$(q postgres "SELECT count(*) FROM cron.job WHERE jobname LIKE 'dbopt-%@app' AND database = 'app'")"
all=$(snapshots app all)
run_job dbopt-snapshot@app >/dev/null
check "the app job's command took a snapshot in app" $((all + 1)) "$(snapshots app all)"
# Called in app itself: nothing reachable, the statements to run in the cron database.
out=$(q app "SELECT string_agg(action, ',') FROM dbopt_schedule($QUIET)")
check "called in app: to run in the cron database" "run_in_cron_database,run_in_cron_database,run_in_cron_database" \
  "${out##*$'\n'}"
[[ $out == *'pg_cron keeps its jobs in database "postgres"'*"SELECT cron.schedule_in_database('dbopt-snapshot@app', '0 0 30 2 *', "* ]]
check "called in app: a NOTICE with the statements" 0 $?
stmts=$(grep -o "^SELECT cron.schedule_in_database.*;$" <<<"$out")
check "called in app: three statements" 3 "$(wc -l <<<"$stmts")"
q postgres "SELECT cron.unschedule('dbopt-health@app')" >/dev/null
q postgres "$stmts" >/dev/null
check "the printed statements register the same jobs" "unchanged,unchanged,unchanged" \
  "$(q postgres "SELECT string_agg(action, ',') FROM dbopt_schedule(dbname => 'app', $QUIET)")"
out=$(q app "SELECT count(*) FROM dbopt_unschedule()")
[[ $out == *"SELECT cron.unschedule(jobid) FROM cron.job WHERE jobname IN ('dbopt-snapshot@app', 'dbopt-health@app', 'dbopt-purge@app') AND username = CURRENT_USER;"*"0" ]]
check "dbopt_unschedule() in app: the statement to run in the cron database" 0 $?
[[ $(q postgres "SELECT * FROM dbopt_schedule(dbname => 'nope')") == *'ERROR:  database "nope" does not exist'* ]]
check "unknown database: an error" 0 $?

# pg_cron runs a job itself: an @reboot snapshot, run when the server starts.
q postgres "SELECT * FROM dbopt_schedule($QUIET)" >/dev/null
q postgres "SELECT cron.alter_job(jobid, schedule => '@reboot') FROM cron.job WHERE jobname = 'dbopt-snapshot'" >/dev/null
reboot_id=$(q postgres "SELECT jobid FROM cron.job WHERE jobname = 'dbopt-snapshot'")
all=$(snapshots postgres all)
pgctl restart -m fast
check "pg_cron ran the snapshot job" succeeded "$(wait_run "$reboot_id" 0)"
check "... and it took a snapshot" $((all + 1)) "$(snapshots postgres all)"

# Unscheduling.
check "dbopt_unschedule() removes this database's jobs" "dbopt-snapshot,dbopt-health,dbopt-purge" \
  "$(q postgres "SELECT string_agg(job_name, ',') FROM dbopt_unschedule()")"
check "dbopt_unschedule(dbname) removes another's" "dbopt-snapshot@app,dbopt-health@app,dbopt-purge@app" \
  "$(q postgres "SELECT string_agg(job_name, ',') FROM dbopt_unschedule(dbname => 'app')")"
check "no dbopt job left" "" "$(jobs)"
check "dbopt_unschedule() again: nothing" 0 "$(q postgres "SELECT count(*) FROM dbopt_unschedule()")"

# A hot standby: the commands do nothing, dbopt_schedule() refuses.
q postgres "SELECT * FROM dbopt_schedule($QUIET)" >/dev/null
q postgres "SELECT cron.alter_job(jobid, schedule => '@reboot') FROM cron.job WHERE jobname = 'dbopt-snapshot'" >/dev/null
reboot_id=$(q postgres "SELECT jobid FROM cron.job WHERE jobname = 'dbopt-snapshot'")
q postgres "SELECT * FROM dbopt_schedule(dbname => 'app', $QUIET)" >/dev/null
start_standby "$DIR" "$PORT" "$STANDBY" $((PORT + 1)) || { cat "$STANDBY/server.log"; exit 1; }
sq() { psql -X -q -At -h "$STANDBY" -p $((PORT + 1)) -U postgres -d "$1" -v ON_ERROR_STOP=1 -c "$2" 2>&1; }
check "standby: in recovery" t "$(sq postgres "SELECT pg_is_in_recovery()")"
check "standby: the snapshot command does nothing, without error" "" \
  "$(sq postgres "$(q postgres "SELECT command FROM cron.job WHERE jobname = 'dbopt-snapshot'")")"
check "standby: the app job's command too" "" \
  "$(sq app "$(q postgres "SELECT command FROM cron.job WHERE jobname = 'dbopt-purge@app'")")"
check "standby: the crontab lines do nothing, without error" "exit 0|exit 0|exit 0" \
  "$(run_cron_line 1 "$STANDBY" $((PORT + 1)))|$(run_cron_line 2 "$STANDBY" $((PORT + 1)))|$(run_cron_line 3 "$STANDBY" $((PORT + 1)))"
[[ $(sq postgres "SELECT * FROM dbopt_schedule()") == *"cannot schedule dbopt's jobs on a standby"* ]]
check "standby: dbopt_schedule() refuses" 0 $?
stop_cluster "$STANDBY"

# DROP EXTENSION: each job removes itself at its next run and nothing keeps failing. The
# @reboot one is run by pg_cron at the restart, the others' commands by hand.
last_run=$(q postgres "SELECT coalesce(max(runid), 0) FROM cron.job_run_details")
q postgres "DROP EXTENSION dbopt" >/dev/null
q app "DROP EXTENSION dbopt" >/dev/null
pgctl restart -m fast
check "after DROP EXTENSION, pg_cron's run of the job succeeds" succeeded "$(wait_run "$reboot_id" "$last_run")"
check "... and the job removed itself" "" \
  "$(q postgres "SELECT jobid FROM cron.job WHERE jobname = 'dbopt-snapshot'")"
run_job dbopt-health >/dev/null
run_job dbopt-purge >/dev/null
check "the other jobs removed themselves at their run" \
  "dbopt-snapshot@app|0 0 30 2 *|app|true,dbopt-health@app|1 0 30 2 *|app|true,dbopt-purge@app|2 0 30 2 *|app|true" "$(jobs)"
check "in another database the commands do nothing, successfully" "" "$(run_job dbopt-purge@app)"
check "after DROP EXTENSION the crontab lines do nothing, without error" "exit 0|exit 0|exit 0" \
  "$(run_cron_line 1 "$DIR" "$PORT")|$(run_cron_line 2 "$DIR" "$PORT")|$(run_cron_line 3 "$DIR" "$PORT")"
check "no run failed" 0 "$(q postgres "SELECT count(*) FROM cron.job_run_details WHERE status <> 'succeeded'")"

echo "schedule_cron: $failures failed"
((failures == 0))
