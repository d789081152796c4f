-- dbopt_schedule() / dbopt_unschedule() without pg_cron (this cluster does not preload it;
-- test/cluster/schedule_cron.sh covers pg_cron): a NOTICE with the crontab lines to use
-- instead, rows saying nothing was scheduled, no error. Who may call them, and bad input.
\set SHOW_CONTEXT never
SELECT current_setting('cron.database_name', true) IS NULL AS no_pg_cron;
SELECT job_name, schedule, database, jobid, action FROM dbopt_schedule();
-- Custom schedules, a retention, another database.
SELECT job_name, schedule, database, action
  FROM dbopt_schedule(dbname => 'postgres', snapshot_schedule => '*/5 * * * *',
                      retention => '14 days');
-- Each job's command: the call, schema-qualified; nothing on a standby; once dbopt is
-- dropped, in the cron database, it removes its own job.
SET client_min_messages = warning;
SELECT job_name, command FROM dbopt_schedule() WHERE job_name = 'dbopt-purge';
RESET client_min_messages;
SELECT * FROM dbopt_unschedule();
SELECT dbopt_shell_quote('it''s 100%'), dbopt_shell_quote('');

-- Bad input: clear errors.
SELECT * FROM dbopt_schedule(health_schedule => NULL);
SELECT sqlstate_of($$SELECT * FROM dbopt_schedule(dbname => 'no_such_db')$$);

-- The jobs run as the role that scheduled them: closed to PUBLIC, and a role that could not
-- write the history, or not log in, is refused.
CREATE ROLE regress_sched_login LOGIN;
CREATE ROLE regress_sched_group NOLOGIN;
SET ROLE regress_sched_login;
SELECT sqlstate_of('SELECT * FROM dbopt_schedule()');
SELECT sqlstate_of('SELECT * FROM dbopt_unschedule()');
RESET ROLE;
GRANT EXECUTE ON FUNCTION dbopt_schedule(text, text, text, text, interval)
  TO regress_sched_login, regress_sched_group;
SET ROLE regress_sched_login;
SELECT * FROM dbopt_schedule();
RESET ROLE;
GRANT INSERT ON snapshot TO regress_sched_group;
SET ROLE regress_sched_group;
SELECT * FROM dbopt_schedule();
RESET ROLE;
REVOKE ALL ON snapshot FROM regress_sched_group;
REVOKE ALL ON FUNCTION dbopt_schedule(text, text, text, text, interval)
  FROM regress_sched_login, regress_sched_group;
DROP ROLE regress_sched_login, regress_sched_group;
