-- One index set of advisor_quality_exec.sql: :advisor's set at :exec_label, built, timed
-- :reps times, dropped.
SELECT clock_timestamp() AS t0 \gset
SELECT ddl FROM aq.sets WHERE advisor = :'advisor' AND budget_label = :'exec_label' ORDER BY ord \gexec
SELECT 'VACUUM ANALYZE ' || string_agg(DISTINCT format('%I.%I', nspname, relname), ', ')
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE nspname = 'ds' AND relkind = 'r' \gexec
INSERT INTO aq.built
SELECT :'advisor', count(*), coalesce(sum(pg_relation_size(indexrelid)), 0),
       extract(epoch FROM clock_timestamp() - :'t0'::timestamptz)
  FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE nspname = 'ds' AND NOT indisprimary;
SELECT aq.time_workload(:'advisor', r) FROM generate_series(1, :reps) AS r;
SELECT format('DROP INDEX %I.%I', n.nspname, ic.relname)
  FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class c ON c.oid = i.indrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'ds' AND NOT indisprimary \gexec
