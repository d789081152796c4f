-- A table locked by another transaction is skipped with a NOTICE, not waited for; the other
-- tables are still checked. The other transaction is a dblink session.
CREATE EXTENSION IF NOT EXISTS dblink;
CREATE SCHEMA dt_locked;
CREATE TABLE dt_locked.busy (a integer);
CREATE TABLE dt_locked.calm (a integer);
INSERT INTO dt_locked.busy VALUES (1);
INSERT INTO dt_locked.calm VALUES (1);
SELECT dblink_connect('other', format('host=%s port=%s dbname=%s user=%s',
                                      current_setting('unix_socket_directories'),
                                      current_setting('port'), current_database(), current_user));
SELECT dblink_exec('other', 'BEGIN');
SELECT dblink_exec('other', 'LOCK TABLE dt_locked.busy IN ACCESS EXCLUSIVE MODE');
SET statement_timeout = '20s';  -- a wait would fail the test instead of hanging it
SELECT check_id, object_name FROM dbopt_health(schema_name => 'dt_locked', include_data => true)
 WHERE check_id = 'column_missing_not_null' ORDER BY 2;
RESET statement_timeout;
SELECT dblink_exec('other', 'ROLLBACK');
SELECT dblink_disconnect('other');
SELECT check_id, object_name FROM dbopt_health(schema_name => 'dt_locked', include_data => true)
 WHERE check_id = 'column_missing_not_null' ORDER BY 2;
SET client_min_messages = warning;
DROP SCHEMA dt_locked CASCADE;
RESET client_min_messages;
DROP EXTENSION dblink;
