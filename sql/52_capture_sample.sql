-- Replayable samples: each new entry keeps its post-parse-analysis Query (nodeToString), and
-- dbopt_replan() plans it again. A literal query and a PREPARE/EXECUTE one (planned with the
-- parameter values of its execution) replan to the scan kinds they ran with.
SET dbopt.sample_rate = 0;
CREATE TABLE sample_t (id int PRIMARY KEY, note text);
INSERT INTO sample_t SELECT i, 'secret' || i FROM generate_series(1, 5000) i;
ANALYZE sample_t;
SELECT dbopt_reset();
SELECT count(*) FROM sample_t WHERE id = 4242;
SELECT count(*) FROM sample_t WHERE note = 'secret-literal-1';
PREPARE sample_p(int) AS SELECT note FROM sample_t WHERE id = $1;
EXECUTE sample_p(17);
DEALLOCATE sample_p;
-- Captured scans and replanned scans, side by side.
SELECT q.query, a.scan_kind AS captured,
       (SELECT string_agg(r.scan || ' ' || r.relation::text || coalesce(' ' || r.index::text, ''), ', ')
          FROM dbopt_replan(q.queryid) r) AS replanned
  FROM dbopt_queries q JOIN dbopt_access_paths a USING (userid, dbid, toplevel, queryid)
 WHERE q.query LIKE '%FROM sample_t%' AND q.query NOT LIKE '%dbopt_%'
 ORDER BY q.query;
SELECT dropped_samples FROM dbopt_capture_info();
-- A join of five tables of twelve columns keeps its sample too (over 16 kB as text: each
-- join lists the columns of both sides).
CREATE TABLE sample_w (id int PRIMARY KEY, c1 int, c2 int, c3 int, c4 int, c5 int, c6 int,
                       c7 int, c8 int, c9 int, c10 int, c11 int);
INSERT INTO sample_w SELECT i, i, i, i, i, i, i, i, i, i, i, i FROM generate_series(1, 100) i;
ANALYZE sample_w;
SELECT count(*) FROM sample_w a JOIN sample_w b ON b.id = a.c1 JOIN sample_w c ON c.id = b.c2
  JOIN sample_w d ON d.id = c.c3 JOIN sample_w e ON e.id = d.c4 WHERE a.id = 7;
SELECT count(*) AS scans FROM dbopt_replan((SELECT queryid FROM dbopt_queries
                                            WHERE query LIKE '%JOIN sample_w e%' AND query NOT LIKE '%dbopt%'));
SELECT dropped_samples FROM dbopt_capture_info();
-- Parameter values: a statement with $n parameters keeps the values bound at its first
-- execution with its sample. On a skewed column (k = 1 in 95% of the rows) the custom plan of
-- k = 1 reads the table sequentially; generic => true plans without the values (the index,
-- for an average value). Protocol-level parameters (pgbench -M extended / prepared) are
-- checked in test/cluster/capture_restart.sh.
CREATE TABLE sample_s (id int PRIMARY KEY, k int, pad text);
INSERT INTO sample_s SELECT i, CASE WHEN i <= 1900 THEN 1 ELSE i END, 'p'
  FROM generate_series(1, 2000) i;
CREATE INDEX sample_s_k_idx ON sample_s (k);
ANALYZE sample_s;
PREPARE sample_k(int) AS SELECT count(pad) FROM sample_s WHERE k = $1;
EXECUTE sample_k(1);
EXECUTE sample_k(1950);
-- A NULL value: the custom plan folds k = NULL to false (no scan at all).
PREPARE sample_n(int) AS SELECT count(pad) FROM sample_s WHERE k = $1 AND id > 0;
EXECUTE sample_n(NULL);
-- PL/pgSQL variables are parameters too (the nested statement's entry).
CREATE FUNCTION sample_fn(v int) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  n bigint;
  unused text := 'never read';
BEGIN
  SELECT count(pad) INTO n FROM sample_s WHERE k = v;
  RETURN n;
END $$;
SELECT sample_fn(1);
-- ... and so are a SQL function's arguments (its statement has the query id of sample_n's:
-- toplevel => false picks the nested entry, whose value is 1, not NULL).
CREATE FUNCTION sample_sqlfn(int) RETURNS bigint LANGUAGE sql
  AS 'SELECT count(pad) FROM sample_s WHERE k = $1 AND id > 0';
SELECT sample_sqlfn(1);
SELECT q.query, q.toplevel,
       (SELECT coalesce(string_agg(r.scan || coalesce(' ' || r.index::text, ''), ', '), 'no scan')
          FROM dbopt_replan(q.queryid, toplevel => q.toplevel) r) AS custom,
       (SELECT string_agg(r.scan || coalesce(' ' || r.index::text, ''), ', ')
          FROM dbopt_replan(q.queryid, generic => true, toplevel => q.toplevel) r) AS generic
  FROM dbopt_queries q
 WHERE q.query LIKE '%FROM sample_s WHERE k%' AND q.query NOT LIKE '%dbopt_%'
 ORDER BY q.query;
-- Values longer than 16 kB (as stored) are dropped and counted; the sample stays (generic).
SELECT dropped_samples FROM dbopt_capture_info();
PREPARE sample_long(text) AS SELECT count(*) FROM sample_s WHERE pad = $1;
EXECUTE sample_long(repeat('x', 5000));
SELECT dropped_samples FROM dbopt_capture_info();
SELECT r.relation, r.scan FROM dbopt_queries q, dbopt_replan(q.queryid) r
 WHERE q.query LIKE 'PREPARE sample_long%';
-- dbopt.track_constants = off when the statement runs: no values are added (a sample taken
-- while it was on stays without them, so custom and generic plans are the same).
PREPARE sample_off(int) AS SELECT count(pad) FROM sample_s WHERE k = $1 AND pad IS NOT NULL;
SET dbopt.track_constants = off;
EXECUTE sample_off(1);
RESET dbopt.track_constants;
SELECT r.scan, r.index FROM dbopt_queries q, dbopt_replan(q.queryid) r
 WHERE q.query LIKE 'PREPARE sample_off%';
DEALLOCATE sample_k;
DEALLOCATE sample_n;
DEALLOCATE sample_long;
DEALLOCATE sample_off;
-- Bad inputs: clear errors.
\set VERBOSITY default
SELECT * FROM dbopt_replan(NULL);
SELECT * FROM dbopt_replan(1);
SELECT q.queryid IS NOT NULL FROM dbopt_queries q, dbopt_replan(q.queryid, dbid => 1)
 WHERE q.query LIKE '%FROM sample_t WHERE id%' LIMIT 1;
-- Not for other users.
CREATE ROLE sample_reader;
GRANT SELECT ON sample_t TO sample_reader;
SET ROLE sample_reader;
SELECT * FROM dbopt_replan(1);
RESET ROLE;
-- dbopt.track_constants = off: new entries keep no sample, and no literal is stored anywhere.
SET dbopt.track_constants = off;
SELECT dbopt_reset();
SELECT count(*) FROM sample_t WHERE note = 'secret-literal-2';
PREPARE sample_secret(text) AS SELECT count(*) FROM sample_t WHERE note = $1;
EXECUTE sample_secret('secret-literal-3');
DEALLOCATE sample_secret;
SELECT q.query, a.scan_kind
  FROM dbopt_queries q JOIN dbopt_access_paths a USING (userid, dbid, toplevel, queryid)
 WHERE q.query LIKE '%FROM sample_t%' AND q.query NOT LIKE '%dbopt_%'
 ORDER BY q.query COLLATE "C";
SELECT dbopt_export_workload()::text LIKE '%secret-literal%' AS literal_in_export;
SELECT count(*) AS literal_in_queries FROM dbopt_queries WHERE query LIKE '%secret-literal%';
-- dbopt_replan() then reports "no replayable sample" (SQLSTATE 55000), for the literal and
-- the prepared statement alike; the queryid varies.
DO $$
DECLARE e record;
BEGIN
  FOR e IN SELECT queryid FROM dbopt_queries
            WHERE query LIKE '%FROM sample_t WHERE note%' AND query NOT LIKE '%dbopt_%'
            ORDER BY query LOOP
    BEGIN
      PERFORM * FROM dbopt_replan(e.queryid);
    EXCEPTION WHEN OTHERS THEN
      RAISE NOTICE '%: %', SQLSTATE, regexp_replace(SQLERRM, '-?[0-9]+', 'N');
    END;
  END LOOP;
END $$;
RESET dbopt.track_constants;
\set VERBOSITY terse
DROP TABLE sample_t, sample_s, sample_w;
DROP FUNCTION sample_fn(int), sample_sqlfn(int);
DROP ROLE sample_reader;
RESET dbopt.sample_rate;
