-- Workload exchange: dbopt_export_workload() writes the store as jsonb (names, not OIDs);
-- dbopt_import_workload() merges such a document under an origin label, kept apart from the
-- entries captured here (origin 'local'); importing the same origin again replaces its
-- entries; bad documents fail whole, with a SQLSTATE and a hint. (A real standby:
-- test/cluster/capture_replica.sh.)
SET dbopt.sample_rate = 1;
SELECT dbopt_reset();
CREATE TABLE workload_t (id int PRIMARY KEY, v int);
INSERT INTO workload_t SELECT i, i % 7 FROM generate_series(1, 500) i;
ANALYZE workload_t;
SELECT count(*) FROM workload_t WHERE v = 3;
SELECT v FROM workload_t WHERE id = 10;
SELECT v FROM workload_t WHERE id = 11;
-- The export: a header, then one object per entry.
CREATE TEMP TABLE doc AS SELECT dbopt_export_workload() AS d;
SELECT d->>'format' AS format, d->'version' AS version,
       d->'source'->>'system_identifier' ~ '^[0-9]+$' AS has_system_identifier,
       d->'source'->>'label' <> '' AS has_label,
       (d->>'exported_at')::timestamptz BETWEEN now() - interval '1 minute' AND now()
         AS exported_at_ok
  FROM doc;
SELECT e->>'database' = current_database() AS db_ok, e->>'role' = current_user AS role_ok,
       e->>'origin' AS origin, e->>'query' AS query, e->'calls' AS calls, e->'rows' AS rows,
       e->'toplevel' AS toplevel, (e->>'last_seen')::timestamptz <= now() AS last_seen_ok
  FROM doc, jsonb_array_elements(d->'entries') e
 WHERE e->>'query' LIKE '%workload_t%' ORDER BY query;
SELECT p->>'relation' AS relation, p->>'scan_kind' AS scan_kind, p->>'index' AS index,
       p->'samples' AS samples, p->'loops' AS loops, p->'actual_rows' AS actual_rows,
       p->'rows_removed_by_filter' AS removed
  FROM doc, jsonb_array_elements(d->'entries') e, jsonb_array_elements(e->'access_paths') p
 WHERE e->>'query' LIKE '%workload_t%' ORDER BY 1, 2;
-- Only this test's two SELECT entries from here on, the seq scan first.
CREATE TEMP TABLE w AS
SELECT jsonb_set(d, '{entries}', (SELECT jsonb_agg(e ORDER BY e->>'query')
                                    FROM jsonb_array_elements(d->'entries') e
                                   WHERE e->>'query' LIKE 'SELECT%workload_t%')) AS d
  FROM doc;
SELECT dbopt_import_workload(d, origin => 'replica1') AS merged FROM w;
SELECT origin, query, calls, rows, sampled_calls FROM dbopt_queries
 WHERE query LIKE '%workload_t%' ORDER BY origin, query;
SELECT q.origin, a.relation, a.scan_kind, a.index_name, a.samples, a.loops, a.actual_rows,
       a.rows_removed_by_filter
  FROM dbopt_access_paths a JOIN dbopt_queries q USING (userid, dbid, toplevel, queryid, origin)
 WHERE q.query LIKE '%workload_t%' ORDER BY q.origin, q.query;
-- Qual shapes travel too (columns by name).
SELECT q.origin, a.scan_kind, a.quals
  FROM dbopt_access_paths a JOIN dbopt_queries q USING (userid, dbid, toplevel, queryid, origin)
 WHERE q.query LIKE 'SELECT%workload_t%' ORDER BY q.origin, a.scan_kind;
-- Importing the same origin again replaces its figures (an export holds running totals).
SELECT v FROM workload_t WHERE id = 12;
SELECT dbopt_import_workload(d, 'replica1') AS merged FROM w;
SELECT origin, sum(calls) AS calls FROM dbopt_queries
 WHERE query LIKE '%workload_t%' GROUP BY origin ORDER BY origin;
-- Without an origin the export's own label names it; re-exported imported entries keep
-- their origin.
SELECT dbopt_import_workload(d) AS merged FROM w;
SELECT count(*) AS under_export_label FROM dbopt_queries, w
 WHERE origin = d->'source'->>'label' AND query LIKE '%workload_t%';
SELECT e->>'origin' AS origin, count(*) FROM jsonb_array_elements(dbopt_export_workload()->'entries') e
 WHERE e->>'query' LIKE '%workload_t%' AND e->>'origin' IN ('local', 'replica1')
 GROUP BY 1 ORDER BY 1;
-- Unknown databases and roles are skipped with a NOTICE. Relations resolve by name (from
-- another cluster) or by OID (from a physical replica: same system identifier); an unknown
-- one loses its access path (NOTICE), not the entry.
SELECT dbopt_import_workload(jsonb_set(d, '{entries,0,database}', '"no_such_db"'), 'replica2')
  AS merged FROM w;
SELECT dbopt_import_workload(jsonb_set(d, '{entries,1,role}', '"no_such_role"'), 'replica2')
  AS merged FROM w;
SELECT dbopt_import_workload(
         jsonb_set(jsonb_set(d, '{entries,0,access_paths,0,relation}', '"public.gone"'),
                   '{source,system_identifier}', '"1"'), 'replica3')
  AS merged FROM w;
SELECT relation, scan_kind, index_name, quals FROM dbopt_access_paths WHERE origin = 'replica3';
-- ORDER BY / GROUP BY keys travel too.
SELECT v, count(*) FROM workload_t WHERE id < 3 GROUP BY v ORDER BY v;
SELECT dbopt_import_workload(
         jsonb_set(x.d, '{entries}', (SELECT jsonb_agg(e) FROM jsonb_array_elements(x.d->'entries') e
                                       WHERE e->>'query' LIKE '%GROUP BY v%')), 'keys') AS merged
  FROM (SELECT dbopt_export_workload() AS d) x;
SELECT q.origin, a.relation, a.sort_keys, a.group_keys
  FROM dbopt_access_paths a JOIN dbopt_queries q USING (userid, dbid, toplevel, queryid, origin)
 WHERE q.query LIKE '%workload_t%GROUP BY v%' ORDER BY q.origin;
-- Bad input: clear errors, nothing imported.
SELECT dbopt_import_workload('{"format": "something else"}');
SELECT dbopt_import_workload(d, origin => 'local') FROM w;
SELECT sqlstate_of($$SELECT dbopt_import_workload(NULL)$$);
SELECT sqlstate_of($$SELECT dbopt_import_workload('[1, 2]')$$);
SELECT sqlstate_of($$SELECT dbopt_import_workload('"text"')$$);
SELECT sqlstate_of($$SELECT dbopt_import_workload('{"format": "dbopt-workload", "version": 9}')$$);
SELECT sqlstate_of($$SELECT dbopt_import_workload('{"format": "dbopt-workload", "version": 1,
  "source": {"label": "x"}, "entries": {}}')$$);
SELECT sqlstate_of(format('SELECT dbopt_import_workload(%L, %L)', d, repeat('x', 64))) FROM w;
SELECT sqlstate_of(format('SELECT dbopt_import_workload(%L, %L)', d, '')) FROM w;
SELECT sqlstate_of(format('SELECT dbopt_import_workload(%L, %L)',
                          jsonb_set(d, '{entries,1,calls}', '-3'), 'half')) FROM w;
SELECT sqlstate_of(format('SELECT dbopt_import_workload(%L, %L)',
                          jsonb_set(d, '{entries,1,access_paths,0,scan_kind}', '"hash"'), 'half'))
  FROM w;
SELECT sqlstate_of(format('SELECT dbopt_import_workload(%L, %L)',
                          jsonb_set(d, '{entries,1,first_seen}', '"yesterday-ish"'), 'half'))
  FROM w;
SELECT sqlstate_of(format('SELECT dbopt_import_workload(%L, %L)',
                          d #- '{source,label}', NULL)) FROM w;
SELECT count(*) AS half_imported FROM dbopt_queries WHERE origin = 'half';
-- Privileges: import is superuser-only; an export shows other users' texts only with
-- pg_read_all_stats, like dbopt_queries.
CREATE ROLE workload_user;
GRANT SELECT ON workload_t TO workload_user;
SET ROLE workload_user;
SELECT count(*) FROM workload_t WHERE v = 1;
SELECT sqlstate_of($$SELECT dbopt_import_workload('{}')$$);
SELECT e->>'role' = current_user AS own, bool_or(e->>'query' IS NOT NULL) AS texts_shown
  FROM jsonb_array_elements(dbopt_export_workload()->'entries') e
 WHERE e->>'role' IN ('workload_user', 'postgres') GROUP BY 1 ORDER BY 1;
RESET ROLE;
-- dbopt_reset() forgets imported entries too.
SELECT dbopt_reset();
SELECT count(*) AS after_reset FROM dbopt_queries WHERE origin <> 'local';
DROP TABLE workload_t;
DROP ROLE workload_user;
