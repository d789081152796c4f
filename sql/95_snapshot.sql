-- History snapshots (docs/operations.md "Snapshots and retention"): dbopt_snapshot() on an empty
-- history, deltas against the previous snapshot, only the queries that moved written (deltas
-- against each query's latest row), resets between snapshots (dbopt_reset(), pg_stat_reset(),
-- an entry captured again) recorded and never negative, a failing health run, query texts
-- hidden from the caller, retention by dbopt_purge() and the ring's rotation. Old snapshots are simulated by rows written into the history directly (there is
-- no way to take a snapshot "as of" another time). No timings are shown.
SET dbopt.sample_rate = 1;
\set SHOW_CONTEXT never
CREATE SCHEMA snap95;
CREATE TABLE snap95.t (id int PRIMARY KEY, grp int);
INSERT INTO snap95.t SELECT i, i % 10 FROM generate_series(1, 1000) i;
SELECT pg_stat_force_next_flush();
CREATE INDEX t_grp ON snap95.t (grp);
ANALYZE snap95.t;
-- The slot a snapshot taken now goes to, and the statements' counters in the history.
CREATE FUNCTION pg_temp.today_slot() RETURNS smallint LANGUAGE sql
  AS $$ SELECT (floor(extract(epoch FROM clock_timestamp()) / 86400)::bigint % 32)::smallint $$;
CREATE VIEW snap95.queries AS
  SELECT s.snapshot_id, t.query, s.calls, s.calls_delta, s.rows, s.rows_delta,
         s.exec_time_delta >= 0 AS time_delta_ok, s.counters_reset
    FROM snapshot_query s JOIN snapshot_query_text t USING (dbid, queryid)
   WHERE t.query LIKE '%snap95.t%' AND t.query NOT LIKE '%snapshot%' AND s.toplevel;

-- Bad inputs.
SELECT sqlstate_of('SELECT * FROM dbopt_snapshot(NULL)');
SELECT sqlstate_of('SELECT * FROM dbopt_purge(NULL)');
SELECT sqlstate_of($$SELECT * FROM dbopt_purge('-1 day')$$);
SELECT sqlstate_of($$SELECT * FROM dbopt_purge('32 days')$$);
-- Not granted to PUBLIC.
SELECT p.proname, has_function_privilege('public', p.oid, 'EXECUTE') AS public_execute
  FROM pg_proc p WHERE p.proname IN ('dbopt_snapshot', 'dbopt_purge') ORDER BY 1;

-- An empty history: nothing to purge.
SELECT (SELECT count(*) FROM snapshot) AS snapshots, (SELECT count(*) FROM snapshot_query) AS query_rows;
SELECT * FROM dbopt_purge();

-- The first snapshot: every delta is the value itself.
SELECT dbopt_reset();
SELECT count(*) FROM snap95.t WHERE grp = 1;
SELECT count(*) FROM snap95.t WHERE grp = 2;
SELECT id FROM snap95.t WHERE id = 7;
SELECT pg_stat_force_next_flush();
SELECT snapshot_id IS NOT NULL AS has_id, taken_at <= clock_timestamp() AS taken, skipped,
       queries > 0 AS queries, relations > 0 AS relations, indexes > 0 AS indexes,
       findings >= 0 AS findings, resets, duration_ms >= 0 AS timed
  FROM dbopt_snapshot();
SELECT slot = pg_temp.today_slot() AS today_slot, previous_id, sources, resets,
       capture_since = (SELECT since FROM dbopt_capture_info()) AS capture_since,
       stats_reset IS NOT DISTINCT FROM (SELECT stats_reset FROM pg_stat_database
                                          WHERE datname = current_database()) AS stats_reset,
       queries = (SELECT count(*) FROM snapshot_query q WHERE q.snapshot_id = s.snapshot_id) AS queries_counted
  FROM snapshot s;
SELECT query, calls, calls_delta, rows, rows_delta, time_delta_ok, counters_reset
  FROM snap95.queries ORDER BY query;
SELECT relation, seq_scan, seq_scan_delta, seq_tup_read, seq_tup_read_delta, idx_scan,
       idx_scan_delta, n_live_tup, n_tup_ins, captured_seq_scans, captured_index_scans,
       counters_reset
  FROM snapshot_relation WHERE relation = 'snap95.t';
SELECT index_name, relation, idx_scan, idx_scan_delta, size_bytes = pg_relation_size(index_name::regclass) AS size,
       counters_reset
  FROM snapshot_index WHERE relation = 'snap95.t' ORDER BY index_name;
-- The query texts are stored once.
SELECT count(*) = count(DISTINCT (dbid, queryid)) AS texts_once FROM snapshot_query_text;

-- The second snapshot: deltas since the first. Only queries that moved are written: the
-- id = $1 query did not run again, so it has no row (no row: no change).
SELECT count(*) FROM snap95.t WHERE grp = 1;
SELECT count(*) FROM snap95.t WHERE grp = 3;
SELECT count(*) FROM snap95.t WHERE grp = 4;
SELECT pg_stat_force_next_flush();
SELECT skipped, resets FROM dbopt_snapshot();
SELECT previous_id = (SELECT min(snapshot_id) FROM snapshot) AS previous_is_first, resets
  FROM snapshot WHERE snapshot_id = (SELECT max(snapshot_id) FROM snapshot);
SELECT query, calls, calls_delta, rows, rows_delta, time_delta_ok, counters_reset
  FROM snap95.queries WHERE snapshot_id = (SELECT max(snapshot_id) FROM snapshot) ORDER BY query;
SELECT seq_scan, seq_scan_delta, seq_tup_read, seq_tup_read_delta, idx_scan, idx_scan_delta,
       captured_seq_scans, captured_index_scans, counters_reset
  FROM snapshot_relation WHERE relation = 'snap95.t' ORDER BY snapshot_id;
SELECT count(*) AS text_rows_for_t FROM snapshot_query_text WHERE query LIKE '%snap95.t WHERE grp%';

-- A snapshot with none of them run writes no row of them. The idle query's next run is
-- counted against its own latest row, the first snapshot's (two snapshots back), not against
-- the previous snapshot.
SELECT skipped FROM dbopt_snapshot();
SELECT count(*) AS rows_of_t FROM snap95.queries
 WHERE snapshot_id = (SELECT max(snapshot_id) FROM snapshot);
SELECT id FROM snap95.t WHERE id = 8;
SELECT skipped FROM dbopt_snapshot();
SELECT query, calls, calls_delta, rows, rows_delta, time_delta_ok, counters_reset
  FROM snap95.queries WHERE snapshot_id = (SELECT max(snapshot_id) FROM snapshot) ORDER BY query;
-- Per query, the deltas of its rows add up to its counters: nothing lost, nothing twice.
SELECT query, count(*) AS rows_written, sum(calls_delta) AS calls_deltas, max(calls) AS calls,
       sum(rows_delta) AS rows_deltas, max(rows) AS rows
  FROM snap95.queries GROUP BY query ORDER BY query;
-- The base of each query's next deltas: its latest row, whichever snapshot wrote it.
SELECT t.query, b.calls, b.snapshot_id = (SELECT max(q.snapshot_id) FROM snap95.queries q
                                          WHERE q.query = t.query) AS latest_row,
       b.first_seen IS NOT NULL AS has_first_seen,
       b.capture_since = (SELECT since FROM dbopt_capture_info()) AS capture_since
  FROM snapshot_query_latest b JOIN snapshot_query_text t USING (dbid, queryid)
 WHERE t.query LIKE '%snap95.t%' AND t.query NOT LIKE '%snapshot%' AND b.toplevel
 ORDER BY t.query;
-- An entry that is not the one of its base (evicted from the store and captured again: a
-- new first_seen; simulated here by changing the base) counts from zero, even though its
-- counters are above the base's.
UPDATE snapshot_query_latest b SET first_seen = b.first_seen - interval '1 hour'
  FROM snapshot_query_text t
 WHERE t.dbid = b.dbid AND t.queryid = b.queryid AND t.query LIKE 'SELECT id FROM snap95.t%';
SELECT id FROM snap95.t WHERE id = 9;
SELECT skipped FROM dbopt_snapshot();
SELECT query, calls, calls_delta, rows, rows_delta, time_delta_ok, counters_reset
  FROM snap95.queries WHERE snapshot_id = (SELECT max(snapshot_id) FROM snapshot) ORDER BY query;

-- dbopt_reset() between snapshots: the store's reset is recorded, every counter that was
-- there before counts from zero; no delta is negative.
SELECT dbopt_reset();
SELECT count(*) FROM snap95.t WHERE grp = 1;
SELECT skipped, resets FROM dbopt_snapshot();
SELECT query, calls, calls_delta, rows, rows_delta, time_delta_ok, counters_reset
  FROM snap95.queries WHERE snapshot_id = (SELECT max(snapshot_id) FROM snapshot) ORDER BY query;
-- The bases of entries that left the store (the id = $1 query) are dropped.
SELECT t.query, b.calls
  FROM snapshot_query_latest b JOIN snapshot_query_text t USING (dbid, queryid)
 WHERE t.query LIKE '%snap95.t%' AND t.query NOT LIKE '%snapshot%' AND b.toplevel
 ORDER BY t.query;

-- pg_stat_reset() between snapshots: the statistics' reset is recorded, the table and index
-- counters count from zero.
SELECT count(*) FROM snap95.t WHERE grp = 1;
SELECT pg_stat_force_next_flush();
SELECT pg_stat_reset();
SELECT count(*) FROM snap95.t;
SELECT pg_stat_force_next_flush();
SELECT skipped, resets FROM dbopt_snapshot();
SELECT seq_scan, seq_scan_delta, seq_tup_read, seq_tup_read_delta, idx_scan, idx_scan_delta,
       counters_reset
  FROM snapshot_relation WHERE relation = 'snap95.t'
   AND snapshot_id = (SELECT max(snapshot_id) FROM snapshot);
SELECT index_name, idx_scan, idx_scan_delta, counters_reset
  FROM snapshot_index WHERE relation = 'snap95.t'
   AND snapshot_id = (SELECT max(snapshot_id) FROM snapshot) ORDER BY index_name;
SELECT query, calls_delta, counters_reset
  FROM snap95.queries WHERE snapshot_id = (SELECT max(snapshot_id) FROM snapshot) ORDER BY query;
-- Nothing negative anywhere in the history.
SELECT (SELECT count(*) FROM snapshot_query
         WHERE calls_delta < 0 OR exec_time_delta < 0 OR rows_delta < 0) AS negative_query_deltas,
       (SELECT count(*) FROM snapshot_relation
         WHERE seq_scan_delta < 0 OR seq_tup_read_delta < 0 OR idx_scan_delta < 0) AS negative_relation_deltas,
       (SELECT count(*) FROM snapshot_index WHERE idx_scan_delta < 0) AS negative_index_deltas;

-- With health => true the health findings are stored too.
CREATE TABLE snap95.parent (id int PRIMARY KEY);
CREATE TABLE snap95.child (id int PRIMARY KEY, parent_id int REFERENCES snap95.parent);
SELECT skipped, findings > 0 AS has_findings FROM dbopt_snapshot(health => true);
SELECT s.sources, f.source, f.check_id, f.severity, f.object_name
  FROM snapshot s JOIN snapshot_finding f USING (snapshot_id, slot)
 WHERE s.snapshot_id = (SELECT max(snapshot_id) FROM snapshot) AND f.object_name LIKE 'snap95.%'
   AND f.check_id = 'fk_unindexed'
 ORDER BY f.check_id, f.object_name;
SELECT f.source, count(*) > 0 AS some
  FROM snapshot_finding f WHERE f.snapshot_id = (SELECT max(snapshot_id) FROM snapshot)
 GROUP BY f.source ORDER BY 1;
SELECT health_error FROM snapshot WHERE snapshot_id = (SELECT max(snapshot_id) FROM snapshot);

-- A role that may take snapshots but whose health run fails (here: EXECUTE on dbopt_health()
-- revoked from PUBLIC, a permission problem): the snapshot is stored with everything else,
-- a WARNING says why, snapshot.health_error keeps the error, and 'health' is not among its
-- sources (readers comparing health findings skip it). The role reads only its own query
-- texts (no pg_read_all_stats): a text of another user's query is never stored, and the next
-- snapshot does not read the store's texts again for it (track_functions counts the reads:
-- dbopt_queries(false) for the counters, dbopt_queries(true) for texts).
CREATE ROLE regress_snap95_ops;
DO $grant$
DECLARE r regclass;
BEGIN
    FOR r IN SELECT c.oid::regclass FROM pg_class c JOIN pg_depend d ON d.objid = c.oid AND d.deptype = 'e'
              JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'dbopt'
             WHERE c.relname LIKE 'snapshot%' AND c.relkind IN ('r', 'p') LOOP
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON %s TO regress_snap95_ops', r);
    END LOOP;
END $grant$;
GRANT USAGE ON SEQUENCE snapshot_id_seq TO regress_snap95_ops;
GRANT EXECUTE ON FUNCTION dbopt_snapshot(boolean) TO regress_snap95_ops;
GRANT USAGE ON SCHEMA snap95 TO regress_snap95_ops;
GRANT SELECT ON snap95.t TO regress_snap95_ops;
REVOKE EXECUTE ON FUNCTION dbopt_health(name, boolean) FROM PUBLIC;
SET track_functions = 'all';
-- store_reads: calls of dbopt_queries() since :reads_before (flushed statistics).
CREATE FUNCTION pg_temp.store_reads() RETURNS bigint LANGUAGE sql
  AS $$ SELECT coalesce(pg_stat_get_function_calls('dbopt_queries(boolean)'::regprocedure), 0) $$;
-- A query of this (superuser) role the history has no text of yet, and one of the ops role.
SELECT grp FROM snap95.t WHERE id = 11;
SELECT pg_stat_force_next_flush();
SELECT pg_temp.store_reads() AS reads_before \gset
BEGIN;
SET LOCAL ROLE regress_snap95_ops;
SELECT id, grp FROM snap95.t WHERE id = 12;
SELECT skipped, queries > 0 AS queries, findings >= 0 AS findings FROM dbopt_snapshot(health => true);
COMMIT;
SELECT pg_stat_force_next_flush();
SELECT pg_temp.store_reads() - :reads_before AS store_reads;
GRANT EXECUTE ON FUNCTION dbopt_health(name, boolean) TO PUBLIC;
SELECT sources, health_error, findings = (SELECT count(*) FROM snapshot_finding f
                                           WHERE f.snapshot_id = s.snapshot_id) AS findings_counted
  FROM snapshot s WHERE snapshot_id = (SELECT max(snapshot_id) FROM snapshot);
SELECT count(*) AS health_findings FROM snapshot_finding
 WHERE snapshot_id = (SELECT max(snapshot_id) FROM snapshot) AND source = 'health';
-- Both queries' counters are written; only the ops role's own text is stored.
SELECT q.userid = 'regress_snap95_ops'::regrole AS ops_role, t.query
  FROM snapshot_query q LEFT JOIN snapshot_query_text t USING (dbid, queryid)
 WHERE q.snapshot_id = (SELECT max(snapshot_id) FROM snapshot)
   AND q.queryid IN (SELECT x.queryid FROM dbopt_queries x
                      WHERE x.query IN ('SELECT grp FROM snap95.t WHERE id = $1',
                                        'SELECT id, grp FROM snap95.t WHERE id = $1'))
 ORDER BY 1;
SELECT count(*) AS hidden_texts FROM snapshot_query_text
 WHERE query = '<insufficient privilege>' OR query IS NULL;
-- The ops role's next snapshots: the hidden text is not looked for again. (The first reads
-- texts for the statements of its own that ran after the previous snapshot's text step;
-- the second, with nothing new the role may read, reads the store once: counters only.)
BEGIN;
SET LOCAL ROLE regress_snap95_ops;
SELECT skipped FROM dbopt_snapshot();
COMMIT;
SELECT pg_stat_force_next_flush();
SELECT pg_temp.store_reads() AS reads_before \gset
BEGIN;
SET LOCAL ROLE regress_snap95_ops;
SELECT skipped FROM dbopt_snapshot();
COMMIT;
SELECT pg_stat_force_next_flush();
SELECT pg_temp.store_reads() - :reads_before AS store_reads;
SELECT count(*) AS hidden_texts FROM snapshot_query_text
 WHERE query = '<insufficient privilege>' OR query IS NULL;
-- A snapshot by a role that may read the text stores it, once.
SELECT pg_temp.store_reads() AS reads_before \gset
SELECT skipped FROM dbopt_snapshot();
SELECT pg_stat_force_next_flush();
SELECT pg_temp.store_reads() - :reads_before AS store_reads;
SELECT count(*) AS texts FROM snapshot_query_text WHERE query = 'SELECT grp FROM snap95.t WHERE id = $1';
RESET track_functions;
DROP OWNED BY regress_snap95_ops;
DROP ROLE regress_snap95_ops;

-- Retention. Simulated old snapshots: 40 days ago (another slot), 10 days ago (another slot),
-- each with a query row whose text nothing else refers to.
INSERT INTO snapshot (snapshot_id, slot, taken_at, sources)
SELECT nextval('snapshot_id_seq'), (floor(extract(epoch FROM at) / 86400)::bigint % 32)::smallint, at,
       '{counters}'
  FROM (VALUES (now() - interval '40 days'), (now() - interval '10 days')) v(at);
INSERT INTO snapshot_query (snapshot_id, slot, userid, dbid, toplevel, queryid, origin, calls,
                            total_exec_time, rows, calls_delta, exec_time_delta, rows_delta)
SELECT s.snapshot_id, s.slot, 10, d.oid, true, -95000 - s.snapshot_id, 'simulated', 1, 1, 1, 1, 1, 1
  FROM snapshot s, pg_database d
 WHERE d.datname = current_database() AND s.taken_at < now() - interval '9 days';
INSERT INTO snapshot_query_text (dbid, queryid, query)
SELECT dbid, queryid, 'SELECT old' FROM snapshot_query WHERE origin = 'simulated';
SELECT count(*) AS snapshots, count(DISTINCT slot) AS slots FROM snapshot;
-- Whole slots whose newest snapshot is older than the cutoff; today's stays.
SELECT * FROM dbopt_purge();
SELECT count(*) AS old_texts FROM snapshot_query_text WHERE query = 'SELECT old';
SELECT * FROM dbopt_purge('30 days');
SELECT * FROM dbopt_purge('5 days');
SELECT count(*) AS old_texts FROM snapshot_query_text WHERE query = 'SELECT old';
-- Purging old slots keeps the queries' bases (and their texts) while snapshots are left.
SELECT count(*) > 0 AS bases_kept,
       bool_and(EXISTS (SELECT FROM snapshot_query_text t
                         WHERE t.dbid = b.dbid AND t.queryid = b.queryid)) AS texts_kept
  FROM snapshot_query_latest b
 WHERE b.userid = (SELECT oid FROM pg_roles WHERE rolname = current_user);
SELECT count(*) AS snapshots, bool_and(slot = pg_temp.today_slot()) AS all_today FROM snapshot;

-- The ring comes round: today's slot holds snapshots of 32 days ago (simulated by moving
-- today's back), so the next snapshot empties the slot in all five tables first; it has no
-- previous snapshot then, and its deltas are the values.
UPDATE snapshot SET taken_at = taken_at - interval '32 days';
SELECT skipped, resets FROM dbopt_snapshot();
SELECT count(*) AS snapshots, bool_and(previous_id IS NULL) AS no_previous,
       bool_and(taken_at > now() - interval '1 day') AS today
  FROM snapshot;
SELECT (SELECT count(DISTINCT snapshot_id) FROM snapshot_query) AS query_snapshots,
       (SELECT count(DISTINCT snapshot_id) FROM snapshot_relation) AS relation_snapshots,
       (SELECT count(DISTINCT snapshot_id) FROM snapshot_index) AS index_snapshots,
       (SELECT count(DISTINCT snapshot_id) FROM snapshot_finding
         WHERE snapshot_id <> (SELECT snapshot_id FROM snapshot)) AS old_finding_snapshots,
       (SELECT count(*) FROM snapshot_query_latest
         WHERE snapshot_id <> (SELECT snapshot_id FROM snapshot)) AS old_bases;
SELECT count(*) AS rows_with_delta_not_value FROM snapshot_query WHERE calls_delta <> calls;
-- dbopt_purge('0') empties everything, texts and bases included.
SELECT snapshots_removed, slots_truncated FROM dbopt_purge('0');
SELECT (SELECT count(*) FROM snapshot) AS snapshots, (SELECT count(*) FROM snapshot_query_text) AS texts,
       (SELECT count(*) FROM snapshot_query_latest) AS bases;

DROP SCHEMA snap95 CASCADE;
RESET dbopt.sample_rate;
