-- The history tables (docs/operations.md "History storage"): five parents list-partitioned by
-- slot into 32 partitions each, every partition and the query texts and id sequence registered
-- for pg_dump, closed to PUBLIC; dbopt_snapshot() and dbopt_purge() are not PUBLIC's either,
-- pin their search_path and are not SECURITY DEFINER.
BEGIN;
SELECT plan(19);

SELECT is(
  (SELECT array_agg(c.relname::text ORDER BY c.relname) FROM pg_class c
     JOIN pg_partitioned_table pt ON pt.partrelid = c.oid
     JOIN pg_depend d ON d.objid = c.oid AND d.deptype = 'e'
     JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'dbopt'
    WHERE pt.partstrat = 'l' AND pt.partnatts = 1
      AND (SELECT attname FROM pg_attribute WHERE attrelid = c.oid AND attnum = pt.partattrs[0]) = 'slot'),
  ARRAY['snapshot', 'snapshot_finding', 'snapshot_index', 'snapshot_query', 'snapshot_relation'],
  'five history tables of the extension, list-partitioned by slot');

-- Each parent has exactly the partitions <parent>_0 .. _31, partition k holding slot k.
SELECT is(
  (SELECT count(*)::int FROM pg_inherits i
     JOIN pg_class p ON p.oid = i.inhparent JOIN pg_class c ON c.oid = i.inhrelid
    WHERE p.relname IN ('snapshot', 'snapshot_query', 'snapshot_relation', 'snapshot_index', 'snapshot_finding')
      AND p.relnamespace = c.relnamespace
      AND c.relname = p.relname || '_' || substring(pg_get_expr(c.relpartbound, c.oid) FROM 'IN \(''(\d+)''\)')
      AND substring(pg_get_expr(c.relpartbound, c.oid) FROM 'IN \(''(\d+)''\)')::int BETWEEN 0 AND 31),
  160, '32 partitions per history table, named after the slot they hold');
SELECT is(
  (SELECT count(*)::int FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent
    WHERE p.relname IN ('snapshot', 'snapshot_query', 'snapshot_relation', 'snapshot_index', 'snapshot_finding')),
  160, 'no other partitions');

-- Registered for pg_dump: every partition (leaf tables hold the rows), the texts, the sequence.
SELECT is(
  (SELECT count(*)::int FROM pg_extension e, unnest(e.extconfig) r JOIN pg_class c ON c.oid = r
    WHERE e.extname = 'dbopt' AND c.relname ~ '^snapshot(_query|_relation|_index|_finding)?_\d+$'),
  160, 'every partition is in pg_extension.extconfig');
SELECT ok(
  ARRAY['snapshot_query_text', 'snapshot_query_latest', 'snapshot_id_seq']::name[] <@
  (SELECT array_agg(c.relname) FROM pg_extension e, unnest(e.extconfig) r JOIN pg_class c ON c.oid = r
    WHERE e.extname = 'dbopt'),
  'snapshot_query_text, snapshot_query_latest and snapshot_id_seq are in pg_extension.extconfig');
SELECT is(
  (SELECT count(*)::int FROM pg_class c WHERE c.relname ~ '^snapshot(_query|_relation|_index|_finding)?_\d+$'
      AND c.relkind = 'r'
      AND NOT EXISTS (SELECT FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid
                       WHERE d.objid = c.oid AND d.deptype = 'e' AND e.extname = 'dbopt')),
  0, 'every partition is an extension member');

-- Closed to PUBLIC: parents, partitions, texts, sequence.
SELECT is(
  (SELECT array_agg(c.relname::text ORDER BY c.relname) FROM pg_class c
    WHERE (c.relname ~ '^snapshot(_query|_relation|_index|_finding)?(_\d+)?$'
           OR c.relname IN ('snapshot_query_text', 'snapshot_query_latest', 'snapshot_id_seq'))
      AND c.relnamespace = (SELECT relnamespace FROM pg_class WHERE oid = 'snapshot'::regclass)
      AND (has_table_privilege('public', c.oid, 'SELECT') OR has_table_privilege('public', c.oid, 'INSERT')
           OR has_table_privilege('public', c.oid, 'UPDATE') OR has_table_privilege('public', c.oid, 'DELETE')
           OR has_table_privilege('public', c.oid, 'TRUNCATE'))),
  NULL::text[], 'PUBLIC has no privilege on any history table, partition, the texts or the bases');

-- The bases of the next deltas: one row per store entry, not partitioned (outside the ring),
-- room for HOT updates.
SELECT is(
  (SELECT array_agg(a.attname::text ORDER BY a.attnum) FROM pg_attribute a
     JOIN pg_index i ON i.indrelid = a.attrelid AND a.attnum = ANY (i.indkey)
    WHERE i.indrelid = 'snapshot_query_latest'::regclass AND i.indisprimary),
  ARRAY['userid', 'dbid', 'toplevel', 'queryid', 'origin'],
  'snapshot_query_latest: one row per store entry (userid, dbid, toplevel, queryid, origin)');
SELECT ok(
  (SELECT c.relkind = 'r' AND c.reloptions @> ARRAY['fillfactor=50'] FROM pg_class c
    WHERE c.oid = 'snapshot_query_latest'::regclass),
  'snapshot_query_latest is a plain table with fillfactor 50');
SELECT ok(NOT has_sequence_privilege('public', 'snapshot_id_seq', 'USAGE')
          AND NOT has_sequence_privilege('public', 'snapshot_id_seq', 'UPDATE'),
          'PUBLIC cannot use snapshot_id_seq');

-- The functions.
SELECT has_function('dbopt_snapshot', ARRAY['boolean'], 'dbopt_snapshot(boolean) exists');
SELECT has_function('dbopt_purge', ARRAY['interval'], 'dbopt_purge(interval) exists');
SELECT function_returns('dbopt_snapshot', ARRAY['boolean'], 'setof record', 'dbopt_snapshot returns rows');
SELECT is(
  (SELECT pg_get_function_result(p.oid) FROM pg_proc p WHERE p.proname = 'dbopt_snapshot'),
  'TABLE(snapshot_id bigint, taken_at timestamp with time zone, skipped boolean, queries integer, relations integer, indexes integer, findings integer, resets text[], duration_ms double precision)',
  'dbopt_snapshot columns as agreed');
SELECT is(
  (SELECT pg_get_function_result(p.oid) FROM pg_proc p WHERE p.proname = 'dbopt_purge'),
  'TABLE(snapshots_removed bigint, slots_truncated integer)', 'dbopt_purge columns as agreed');
SELECT is(
  (SELECT array_agg(pg_get_function_arguments(p.oid) ORDER BY p.proname) FROM pg_proc p
    WHERE p.proname IN ('dbopt_snapshot', 'dbopt_purge')),
  ARRAY['older_than interval DEFAULT ''30 days''::interval', 'health boolean DEFAULT false'],
  'defaults: older_than 30 days, health false');
SELECT ok(
  (SELECT bool_and(NOT has_function_privilege('public', p.oid, 'EXECUTE')) FROM pg_proc p
    WHERE p.proname IN ('dbopt_snapshot', 'dbopt_purge')),
  'PUBLIC may not execute dbopt_snapshot or dbopt_purge');
SELECT ok(
  (SELECT bool_and(NOT p.prosecdef) FROM pg_proc p WHERE p.proname IN ('dbopt_snapshot', 'dbopt_purge')),
  'neither is SECURITY DEFINER');
SELECT ok(
  (SELECT bool_and(p.proconfig @> ARRAY['search_path=pg_catalog, pg_temp']) FROM pg_proc p
    WHERE p.proname IN ('dbopt_snapshot', 'dbopt_purge')),
  'both pin search_path');

SELECT * FROM finish();
ROLLBACK;
