-- Replayable samples: each new entry keeps its post-parse-analysis Query (nodeToString), and
-- dbopt_replan() plans it again. A literal query and a PREPARE/EXECUTE one (planned without
-- parameter values: the generic plan) replan to the scan kinds they ran with.
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
SELECT q.query, a.scan_kind
  FROM dbopt_queries q JOIN dbopt_access_paths a USING (userid, dbid, toplevel, queryid)
 WHERE q.query LIKE '%FROM sample_t%' AND q.query NOT LIKE '%dbopt_%';
SELECT dbopt_export_workload()::text LIKE '%secret-literal%' AS literal_in_export;
SELECT count(*) AS literal_in_queries FROM dbopt_queries WHERE query LIKE '%secret-literal%';
-- dbopt_replan() then reports "no replayable sample" (SQLSTATE 55000); the queryid varies.
DO $$
BEGIN
  PERFORM * FROM dbopt_replan((SELECT queryid FROM dbopt_queries
                                WHERE query LIKE '%FROM sample_t WHERE note%'
                                  AND query NOT LIKE '%dbopt_%'));
EXCEPTION WHEN OTHERS THEN
  RAISE NOTICE '%: %', SQLSTATE, regexp_replace(SQLERRM, '-?[0-9]+', 'N');
END $$;
RESET dbopt.track_constants;
\set VERBOSITY terse
DROP TABLE sample_t;
DROP ROLE sample_reader;
RESET dbopt.sample_rate;
