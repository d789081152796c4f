-- The issue-7 trend functions keep the shared contract (HELPERS "Shared contract for issue 7",
-- docs/operations.md "Outcomes and trends") that dbopt report reads: names, arguments,
-- result columns; none is SECURITY DEFINER, so the history stays closed to PUBLIC.
BEGIN;
SELECT plan(8);

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

SELECT * FROM finish();
ROLLBACK;
