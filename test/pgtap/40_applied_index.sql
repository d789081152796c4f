-- The tables dbopt advise --apply writes: shape, the extension's own (pg_dump keeps their
-- rows), closed to PUBLIC, baseline rows go with their index, an empty remediation refused.
BEGIN;
SELECT plan(16);

SELECT has_table('applied_index', 'applied_index exists');
SELECT has_table('applied_index_baseline', 'applied_index_baseline exists');
SELECT columns_are('applied_index',
  ARRAY['apply_id', 'index_name', 'table_name', 'kind', 'remediation', 'revert', 'estimated_bytes',
        'actual_bytes', 'estimated_benefit', 'write_overhead', 'algorithm', 'build_ms',
        'applied_at', 'applied_by'], 'applied_index columns');
SELECT columns_are('applied_index_baseline',
  ARRAY['apply_id', 'queryid', 'query', 'calls', 'total_time_ms', 'mean_time_ms', 'cost_before',
        'cost_after', 'captured_at'], 'applied_index_baseline columns');
SELECT col_type_is('applied_index', 'remediation', 'text[]', 'remediation is text[]');
SELECT col_is_pk('applied_index_baseline', ARRAY['apply_id', 'queryid'], 'one baseline row per query');
SELECT fk_ok('applied_index_baseline', 'apply_id', 'applied_index', 'apply_id');

SELECT ok(
  ARRAY['applied_index', 'applied_index_apply_id_seq', 'applied_index_baseline']::name[] <@
  (SELECT array_agg(c.relname) FROM pg_extension e, unnest(e.extconfig) r JOIN pg_class c ON c.oid = r
    WHERE e.extname = 'dbopt'),
  'pg_dump keeps the rows (pg_extension_config_dump)');
SELECT ok(NOT has_table_privilege('public', 'applied_index', 'SELECT')
          AND NOT has_table_privilege('public', 'applied_index', 'INSERT'),
          'PUBLIC can neither read nor write applied_index');
SELECT ok(NOT has_table_privilege('public', 'applied_index_baseline', 'SELECT')
          AND NOT has_table_privilege('public', 'applied_index_baseline', 'INSERT'),
          'PUBLIC can neither read nor write applied_index_baseline');
SELECT ok(NOT has_sequence_privilege('public', 'applied_index_apply_id_seq', 'USAGE'),
          'PUBLIC cannot use the identity sequence');

-- What the CLI writes, in one statement; defaults fill who and when.
WITH a AS (
  INSERT INTO applied_index (index_name, table_name, kind, remediation, revert, estimated_bytes,
                             actual_bytes, estimated_benefit, write_overhead, algorithm, build_ms)
  VALUES ('public.t_a_idx', 'public.t', 'single',
          ARRAY['CREATE INDEX CONCURRENTLY IF NOT EXISTS t_a_idx ON public.t USING btree (a)'],
          ARRAY['DROP INDEX CONCURRENTLY IF EXISTS public.t_a_idx'], 8192, 16384, 120.5, 0, 'dbopt', 12.5)
  RETURNING apply_id)
INSERT INTO applied_index_baseline (apply_id, queryid, query, calls, total_time_ms, mean_time_ms,
                                    cost_before, cost_after, captured_at)
SELECT a.apply_id, q, 'SELECT * FROM t WHERE a = $1', 10, 50, 5, 100, 8, now()
  FROM a, unnest(ARRAY[-42, 42]) q;
SELECT is((SELECT count(*)::int FROM applied_index_baseline), 2, 'baseline rows written');
SELECT is((SELECT applied_by::text FROM applied_index), current_user::text, 'applied_by defaults to the user');
SELECT throws_ok(
  $$INSERT INTO applied_index (index_name, table_name, kind, remediation, revert, algorithm, build_ms)
    VALUES ('i', 't', 'single', '{}', '{}', 'dbopt', 0)$$,
  '23514', NULL, 'an empty remediation is refused');
SELECT throws_ok(
  $$INSERT INTO applied_index_baseline (apply_id, queryid, captured_at) VALUES (-1, 1, now())$$,
  '23503', NULL, 'a baseline row needs its index row');
DELETE FROM applied_index;
SELECT is((SELECT count(*)::int FROM applied_index_baseline), 0, 'baseline rows go with their index');

SELECT * FROM finish();
ROLLBACK;
