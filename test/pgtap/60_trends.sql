-- The issue-7 trend functions keep the shared contract (HELPERS "Shared contract for issue 7",
-- docs/operations.md "Outcomes and trends") that dbopt report reads: names, arguments,
-- result columns; none is SECURITY DEFINER, so the history stays closed to PUBLIC.
BEGIN;
SELECT plan(10);

CREATE TEMP TABLE contract (name text, args text, result text);
INSERT INTO contract VALUES
  ('dbopt_recommendation_outcomes',
   'improved_below double precision DEFAULT 0.8, regressed_above double precision DEFAULT 1.25, min_calls bigint DEFAULT 10',
   'TABLE(apply_id bigint, index_name text, applied_at timestamp with time zone, queryid bigint, query text, calls_before bigint, mean_ms_before double precision, calls_after bigint, mean_ms_after double precision, promised_ratio double precision, realized_ratio double precision, index_scans_since bigint, status text)'),
  ('dbopt_query_trend',
   'queryid bigint DEFAULT NULL::bigint, since timestamp with time zone DEFAULT (now() - ''7 days''::interval), top integer DEFAULT 10',
   'TABLE(queryid bigint, query text, snapshot_id bigint, taken_at timestamp with time zone, calls bigint, mean_ms double precision, total_ms double precision)'),
  ('dbopt_seq_scan_growth',
   'since timestamp with time zone DEFAULT (now() - ''7 days''::interval)',
   'TABLE(relation text, seq_scans_before_rate double precision, seq_scans_recent_rate double precision, seq_tup_read_recent bigint, growth double precision)'),
  ('dbopt_unused_since',
   'since timestamp with time zone DEFAULT (now() - ''7 days''::interval)',
   'TABLE(index_name text, relation text, last_used timestamp with time zone, scans_before bigint, size_bytes bigint)'),
  ('dbopt_finding_changes',
   'since timestamp with time zone DEFAULT (now() - ''1 day''::interval)',
   'TABLE(change text, source text, check_id text, severity text, object_type text, object_name text, message text, first_seen timestamp with time zone, last_seen timestamp with time zone)'),
  ('dbopt_workload_trend',
   'since timestamp with time zone DEFAULT (now() - ''7 days''::interval)',
   'TABLE(snapshot_id bigint, taken_at timestamp with time zone, calls bigint, total_ms double precision)');

SELECT set_eq(
  $$SELECT p.proname::text, pg_get_function_arguments(p.oid), pg_get_function_result(p.oid)
      FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid AND d.deptype = 'e'
      JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'dbopt'
     WHERE p.proname IN (SELECT name FROM contract)$$,
  $$SELECT * FROM contract$$,
  'the six trend functions have the contract''s arguments and columns');
SELECT is(
  (SELECT count(*)::int FROM pg_proc p JOIN contract c ON c.name = p.proname
    WHERE p.prosecdef OR p.provolatile <> 's'),
  0, 'all STABLE, none SECURITY DEFINER');
-- Empty history: every function answers with no rows.
TRUNCATE snapshot, snapshot_query, snapshot_relation, snapshot_index, snapshot_finding;
SELECT is_empty('SELECT * FROM dbopt_query_trend()', 'query trend: empty history, no rows');
SELECT is_empty('SELECT * FROM dbopt_seq_scan_growth()', 'seq scan growth: empty history, no rows');
SELECT is_empty('SELECT * FROM dbopt_unused_since()', 'unused since: empty history, no rows');
SELECT is_empty('SELECT * FROM dbopt_finding_changes()', 'finding changes: empty history, no rows');
SELECT is_empty('SELECT * FROM dbopt_workload_trend()', 'workload trend: empty history, no rows');
SELECT throws_ok('SELECT * FROM dbopt_query_trend(since => NULL)', '22004', 'since must not be NULL',
                 'a NULL since is refused');

-- dbopt_unused_since() and dbopt_health()'s index_unused agree on what may be dropped: every
-- index of schema trend_keep was scanned two days ago and not since (and, new, has no scans
-- in the statistics, which is what dbopt_health() reads).
CREATE SCHEMA trend_keep;
CREATE TABLE trend_keep.parent (id int PRIMARY KEY, code int, u int CONSTRAINT parent_u_key UNIQUE);
CREATE UNIQUE INDEX parent_code_key ON trend_keep.parent (code);
CREATE TABLE trend_keep.child (id int NOT NULL, parent_id int REFERENCES trend_keep.parent,
                               note text, during tstzrange, EXCLUDE USING gist (during WITH &&));
CREATE INDEX child_parent_id_idx ON trend_keep.child (parent_id);
CREATE INDEX child_note_idx ON trend_keep.child (note);
CREATE UNIQUE INDEX child_id_key ON trend_keep.child (id);
ALTER TABLE trend_keep.child REPLICA IDENTITY USING INDEX child_id_key;
CREATE TABLE trend_keep.p (k int, v int) PARTITION BY RANGE (k);
CREATE TABLE trend_keep.p1 PARTITION OF trend_keep.p FOR VALUES FROM (0) TO (10);
CREATE TABLE trend_keep.p2 PARTITION OF trend_keep.p FOR VALUES FROM (10) TO (20);
CREATE INDEX p_v_idx ON trend_keep.p (v);
INSERT INTO snapshot (snapshot_id, slot, taken_at, sources, previous_id)
SELECT id, (floor(extract(epoch FROM at) / 86400)::bigint % 32)::smallint, at, '{counters}', prev
  FROM (VALUES (8001, now() - interval '2 days', NULL::bigint),
               (8002, now() - interval '1 hour', 8001)) v(id, at, prev);
INSERT INTO snapshot_index (snapshot_id, slot, indexrelid, index_name, relation, idx_scan,
                            idx_scan_delta, size_bytes)
SELECT s.snapshot_id, s.slot, i.indexrelid, format('%I.%I', i.schemaname, i.indexrelname),
       format('%I.%I', i.schemaname, i.relname), 5, CASE WHEN s.snapshot_id = 8001 THEN 5 ELSE 0 END,
       8192
  FROM pg_stat_user_indexes i CROSS JOIN snapshot s
 WHERE i.schemaname = 'trend_keep';
SELECT set_eq(
  $$SELECT index_name FROM dbopt_unused_since(now() - interval '1 day')
     WHERE index_name LIKE 'trend_keep.%'$$,
  $$SELECT object_name FROM dbopt_health(schema_name => 'trend_keep')
     WHERE check_id = 'index_unused'$$,
  'unused since lists what dbopt_health() reports as index_unused, no constraint or FK lookup index');
SELECT set_eq(
  $$SELECT index_name FROM dbopt_unused_since(now() - interval '1 day')
     WHERE index_name LIKE 'trend_keep.%'$$,
  ARRAY['trend_keep.child_note_idx', 'trend_keep.p_v_idx'],
  'those are the plain index and the partitioned one (once, for its partitions)');

SELECT * FROM finish();
ROLLBACK;
