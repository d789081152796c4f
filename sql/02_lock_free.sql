-- The catalog checks never wait for a table lock: dbopt_health() must finish while another
-- session holds ACCESS EXCLUSIVE on a table with partial and expression indexes (deparsing
-- them with pg_get_indexdef()/pg_get_expr() would queue behind that lock).
CREATE EXTENSION dblink;
CREATE SCHEMA lockfree;
CREATE TABLE lockfree.parent (id int PRIMARY KEY);
CREATE TABLE lockfree.child (
  id int PRIMARY KEY,
  parent_id int REFERENCES lockfree.parent,
  note text);
CREATE INDEX child_note_lower ON lockfree.child (lower(note));
CREATE INDEX child_parent_partial ON lockfree.child (parent_id) WHERE note IS NOT NULL;
SELECT dblink_connect('locker', format('host=%s port=%s dbname=%s user=%s',
  split_part(current_setting('unix_socket_directories'), ',', 1), current_setting('port'),
  current_database(), current_user));
SELECT dblink_exec('locker', 'BEGIN');
SELECT dblink_exec('locker', 'LOCK TABLE lockfree.child IN ACCESS EXCLUSIVE MODE');
SET lock_timeout = '3s';
-- Finishes (no lock timeout), whatever it finds.
SELECT 'finished' AS health FROM (SELECT count(*) FROM dbopt_health('lockfree')) AS report;
SELECT 'finished' AS health_all FROM (SELECT count(*) FROM dbopt_health()) AS report;
-- No lock of ours is left behind on the locked table.
SELECT count(*) AS our_locks FROM pg_locks
 WHERE pid = pg_backend_pid() AND relation = 'lockfree.child'::regclass;
RESET lock_timeout;
SELECT dblink_exec('locker', 'ROLLBACK');
SELECT dblink_disconnect('locker');
DROP SCHEMA lockfree CASCADE;
DROP EXTENSION dblink;
