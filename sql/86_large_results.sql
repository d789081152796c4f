-- Unbounded result sets (issue 5, detector 5): top-level SELECTs with no LIMIT that returned
-- more than dbopt.large_result_rows rows, read in one go. Look-alikes are not counted: a
-- LIMIT, a cursor read with FETCH, COPY, CREATE TABLE AS, INSERT ... SELECT, nested
-- statements and dbopt's own catalog reads.
SELECT dbopt_reset();
SHOW dbopt.large_result_rows;
SET dbopt.large_result_rows = 1000;
CREATE TABLE lr_event (id int PRIMARY KEY, ts timestamptz NOT NULL, kind text);
INSERT INTO lr_event
  SELECT i, timestamptz '2026-01-01' + i * interval '1 second', 'k' || i % 7
    FROM generate_series(1, 3000) i;
ANALYZE lr_event;
-- Flagged: the whole table, ordered and not.
SELECT * FROM lr_event ORDER BY ts \g /dev/null
SELECT * FROM lr_event ORDER BY ts \g /dev/null
SELECT id, kind FROM lr_event \g /dev/null
-- Look-alikes.
SELECT * FROM lr_event ORDER BY ts LIMIT 2000 \g /dev/null
SELECT * FROM lr_event ORDER BY ts FETCH FIRST 2500 ROWS ONLY \g /dev/null
SELECT * FROM lr_event WHERE id <= 500 \g /dev/null
BEGIN;
DECLARE lr_cursor CURSOR FOR SELECT kind FROM lr_event ORDER BY id;
FETCH 2000 FROM lr_cursor \g /dev/null
FETCH 2000 FROM lr_cursor \g /dev/null
CLOSE lr_cursor;
COMMIT;
COPY (SELECT kind, ts FROM lr_event) TO '/dev/null';
CREATE TABLE lr_copy AS SELECT id, ts FROM lr_event;
INSERT INTO lr_copy SELECT id, ts FROM lr_event;
CREATE FUNCTION lr_count() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE n bigint := 0; r record;
BEGIN
  FOR r IN SELECT ts FROM lr_event LOOP n := n + 1; END LOOP;
  RETURN n;
END $$;
SELECT lr_count();
-- dbopt's own catalog reads (thousands of rows) run while the detectors run: not counted.
SELECT count(*) >= 0 FROM dbopt_offset_pagination();
SELECT query, calls, large_result_calls, mean_rows, max_rows, large_result_time >= 0 AS timed,
       toplevel, check_id, severity, object_type, object_name = queryid::text AS names_query
  FROM dbopt_large_results() ORDER BY query;
-- Query ids depend on OIDs and times on the machine: masked.
SELECT query, regexp_replace(regexp_replace(message, '^query -?[0-9]+', 'query <id>'),
                             '[0-9]+\.[0-9] ms', '<t> ms') AS message,
       remediation, revert
  FROM dbopt_large_results() ORDER BY query;
SELECT query, detail - 'queryid' - 'total_time_ms' - 'large_result_time_ms' AS detail
  FROM dbopt_large_results() ORDER BY query;
SELECT count(*) FROM dbopt_large_results(min_calls => 2);
SELECT check_id, count(*) FROM dbopt_antipatterns()
 WHERE check_id = 'large_result' GROUP BY check_id;
-- Bad settings and arguments.
SELECT sqlstate_of('SET dbopt.large_result_rows = 0');
SELECT sqlstate_of('SET dbopt.large_result_rows = ''lots''');
SELECT sqlstate_of('SELECT * FROM dbopt_large_results(NULL)');
SELECT sqlstate_of('SELECT * FROM dbopt_large_results(-1)');
RESET dbopt.large_result_rows;
DROP FUNCTION lr_count();
DROP TABLE lr_event, lr_copy;
SELECT dbopt_reset();
