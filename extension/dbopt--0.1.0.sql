\echo Use "CREATE EXTENSION dbopt" to load this file. \quit

-- Every function pins search_path so a hostile search_path cannot redirect the catalog and
-- operator lookups done inside; objects are created in @extschema@. Nothing here is
-- SECURITY DEFINER: each caller sees what PostgreSQL lets it see.

CREATE FUNCTION @extschema@.dbopt_status(
    OUT version text,
    OUT preloaded boolean,
    OUT shared_memory_since timestamptz)
RETURNS SETOF record
LANGUAGE c STRICT VOLATILE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'dbopt_status';
COMMENT ON FUNCTION @extschema@.dbopt_status() IS 'dbopt version and whether it was preloaded';

CREATE FUNCTION @extschema@.dbopt_selftest(scenario text)
RETURNS text
LANGUAGE c CALLED ON NULL INPUT VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'dbopt_selftest';
COMMENT ON FUNCTION @extschema@.dbopt_selftest(text) IS 'exercises dbopt''s error boundary (tests only)';
REVOKE ALL ON FUNCTION @extschema@.dbopt_selftest(text) FROM PUBLIC;

-- Schema health ------------------------------------------------------------------------------

CREATE FUNCTION @extschema@.dbopt_health(
    schema_name name DEFAULT NULL,
    include_data boolean DEFAULT false)
RETURNS TABLE (
    check_id text,
    severity text,
    object_type text,
    object_name text,
    message text,
    detail jsonb,
    remediation text[],
    revert text[])
LANGUAGE c CALLED ON NULL INPUT VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'dbopt_health';
COMMENT ON FUNCTION @extschema@.dbopt_health(name, boolean) IS
  'schema health findings: catalog checks, plus data checks with include_data => true';

-- Foreign-key coverage (issue 2, check 1) ----------------------------------------------------
-- One row per logical foreign key: can its referential-integrity lookup use an index on every
-- leaf partition? Findings of the same check appear in dbopt_health() as fk_unindexed,
-- fk_partially_indexed and fk_index_invalid. Docs: docs/checks/fk_coverage.md.

CREATE FUNCTION @extschema@.dbopt_check_fk_coverage(schema_name name DEFAULT NULL)
RETURNS TABLE (
    table_name text,
    constraint_name text,
    columns text[],
    referenced_table text,
    covering_index text,
    status text,
    table_rows bigint,
    referenced_updates bigint,
    referenced_deletes bigint,
    detail jsonb,
    remediation text[],
    revert text[])
LANGUAGE c CALLED ON NULL INPUT VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'dbopt_check_fk_coverage';
COMMENT ON FUNCTION @extschema@.dbopt_check_fk_coverage(name) IS
  'foreign keys and the index (if any) that serves their referential-integrity lookups';

-- Query capture (src/pg/capture*.cpp, docs/capture.md) -------------------------------------
-- Set-returning functions read the shared store; views of the same names call them with
-- their defaults, so `SELECT * FROM dbopt_queries` and `dbopt_queries(showtext => false)`
-- both work. All of them need dbopt in shared_preload_libraries.

CREATE FUNCTION @extschema@.dbopt_queries(
    showtext boolean DEFAULT true,
    OUT userid oid,
    OUT dbid oid,
    OUT toplevel boolean,
    OUT queryid bigint,
    OUT origin text,
    OUT query text,
    OUT calls bigint,
    OUT total_exec_time double precision,
    OUT min_exec_time double precision,
    OUT max_exec_time double precision,
    OUT mean_exec_time double precision,
    OUT rows bigint,
    OUT sampled_calls bigint,
    OUT first_seen timestamptz,
    OUT last_seen timestamptz,
    OUT limit_calls bigint,
    OUT offset_calls bigint,
    OUT max_offset bigint,
    OUT mean_offset double precision,
    OUT mean_limit double precision)
RETURNS SETOF record
LANGUAGE c STRICT VOLATILE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'dbopt_queries';
COMMENT ON FUNCTION @extschema@.dbopt_queries(boolean) IS
  'captured queries: calls, execution time and rows per (user, database, query id, top level)';

CREATE VIEW @extschema@.dbopt_queries AS SELECT * FROM @extschema@.dbopt_queries(true);
COMMENT ON VIEW @extschema@.dbopt_queries IS 'captured queries (see the function of that name)';
GRANT SELECT ON @extschema@.dbopt_queries TO PUBLIC;

CREATE FUNCTION @extschema@.dbopt_access_paths(
    OUT userid oid,
    OUT dbid oid,
    OUT toplevel boolean,
    OUT queryid bigint,
    OUT origin text,
    OUT relid oid,
    OUT relation text,
    OUT scan_kind text,
    OUT indexrelid oid,
    OUT index_name text,
    OUT plan_calls bigint,
    OUT samples bigint,
    OUT loops double precision,
    OUT est_rows double precision,
    OUT actual_rows double precision,
    OUT rows_removed_by_filter double precision,
    OUT quals jsonb,
    OUT sort_keys jsonb,
    OUT group_keys jsonb)
RETURNS SETOF record
LANGUAGE c STRICT VOLATILE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'dbopt_access_paths';
COMMENT ON FUNCTION @extschema@.dbopt_access_paths() IS
  'per captured query and scanned relation: scan kind, index, executions using it, estimated vs actual rows per loop';

CREATE VIEW @extschema@.dbopt_access_paths AS SELECT * FROM @extschema@.dbopt_access_paths();
COMMENT ON VIEW @extschema@.dbopt_access_paths IS
  'access paths of captured queries (see the function of that name)';
GRANT SELECT ON @extschema@.dbopt_access_paths TO PUBLIC;

CREATE FUNCTION @extschema@.dbopt_reset()
RETURNS void
LANGUAGE c STRICT VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'dbopt_reset';
COMMENT ON FUNCTION @extschema@.dbopt_reset() IS 'forgets every captured query';
REVOKE ALL ON FUNCTION @extschema@.dbopt_reset() FROM PUBLIC;

CREATE FUNCTION @extschema@.dbopt_capture_info(
    OUT entries bigint,
    OUT evictions bigint,
    OUT dropped_access_records bigint,
    OUT dropped_samples bigint,
    OUT since timestamptz)
RETURNS SETOF record
LANGUAGE c STRICT VOLATILE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'dbopt_capture_info';
COMMENT ON FUNCTION @extschema@.dbopt_capture_info() IS
  'capture store state: entries, evictions, access records that found no slot, replayable samples not stored, since when';

-- Replayable samples (src/pg/fn_replan.cpp, src/pg/replan.cpp; docs/capture.md "Replayable
-- samples") ----------------------------------------------------------------------------------

CREATE FUNCTION @extschema@.dbopt_replan(queryid bigint, userid oid DEFAULT NULL,
                                         dbid oid DEFAULT NULL, generic boolean DEFAULT false,
                                         toplevel boolean DEFAULT NULL)
RETURNS TABLE(relation regclass, scan text, index regclass)
LANGUAGE c CALLED ON NULL INPUT VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'dbopt_replan';
COMMENT ON FUNCTION @extschema@.dbopt_replan(bigint, oid, oid, boolean, boolean) IS
  'plans a captured query again from its replayable sample (with its captured parameter values, or generic) and lists the relation scans of the plan (superuser only)';
REVOKE ALL ON FUNCTION @extschema@.dbopt_replan(bigint, oid, oid, boolean, boolean) FROM PUBLIC;

-- Workload exchange (src/pg/fn_workload.cpp, docs/capture.md "Outgrowing one server") ------
-- Export the store of one server (a hot standby, say) as jsonb and merge it into another's,
-- each imported entry labelled with its origin ('local' marks entries captured here).

CREATE FUNCTION @extschema@.dbopt_export_workload()
RETURNS jsonb
LANGUAGE c STRICT VOLATILE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'dbopt_export_workload';
COMMENT ON FUNCTION @extschema@.dbopt_export_workload() IS
  'the capture store as a jsonb document (names, not OIDs) for dbopt_import_workload() elsewhere';

CREATE FUNCTION @extschema@.dbopt_import_workload(workload jsonb, origin text DEFAULT NULL)
RETURNS integer
LANGUAGE c CALLED ON NULL INPUT VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'dbopt_import_workload';
COMMENT ON FUNCTION @extschema@.dbopt_import_workload(jsonb, text) IS
  'merges an exported workload into the capture store under an origin label; returns the entries stored';
REVOKE ALL ON FUNCTION @extschema@.dbopt_import_workload(jsonb, text) FROM PUBLIC;

-- What-if engine: hypothetical indexes (src/pg/whatif/, src/core/whatif/; docs/whatif.md) ----
-- A hypothetical index is given as its CREATE INDEX text (btree, hash, gin). It is never
-- created: dbopt plans statements with it visible to the planner of this backend only, and
-- never executes them. The search_path parameter defaults to the caller's setting (evaluated
-- before the function's pinned search_path applies), so unqualified names resolve as usual.

CREATE FUNCTION @extschema@.dbopt_hypothetical_index(
    index_ddl text,
    search_path text DEFAULT pg_catalog.current_setting('search_path'))
RETURNS TABLE(index_name text, table_name text, access_method text, key_columns text[],
              include_columns text[], partial boolean, is_unique boolean, estimated_bytes bigint,
              estimated_pages bigint, estimated_tuples float8, tree_height integer)
LANGUAGE c CALLED ON NULL INPUT VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'dbopt_hypothetical_index';
COMMENT ON FUNCTION @extschema@.dbopt_hypothetical_index(text, text) IS
  'parses a CREATE INDEX statement as a hypothetical index: its columns and its estimated size after a fresh build';

CREATE FUNCTION @extschema@.dbopt_hypothetical_index_size(
    index_ddl text,
    search_path text DEFAULT pg_catalog.current_setting('search_path'))
RETURNS bigint
LANGUAGE sql CALLED ON NULL INPUT VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$ SELECT estimated_bytes FROM @extschema@.dbopt_hypothetical_index(index_ddl, search_path) $$;
COMMENT ON FUNCTION @extschema@.dbopt_hypothetical_index_size(text, text) IS
  'estimated size in bytes of the index a CREATE INDEX statement would build (nothing is built)';

CREATE FUNCTION @extschema@.dbopt_whatif(
    query text,
    index_ddl text[] DEFAULT '{}',
    search_path text DEFAULT pg_catalog.current_setting('search_path'))
RETURNS TABLE(cost_before float8, cost_after float8, indexes_used text[], plan text)
LANGUAGE c CALLED ON NULL INPUT VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'dbopt_whatif';
COMMENT ON FUNCTION @extschema@.dbopt_whatif(text, text[], text) IS
  'plans a statement without and with hypothetical indexes (never executed): costs, indexes the new plan uses, its EXPLAIN text';

-- Index advisor (src/core/advisor/, src/pg/fn_advisor.cpp, src/pg/advisor_query.cpp;
-- docs/advisor.md) -------------------------------------------------------------------------
-- Candidates from the captured workload (or given statements), chosen workload-wide under a
-- storage budget and/or a count, with costs from the what-if engine. Each recommendation's
-- remediation and revert are arrays of autocommit-runnable statements.

CREATE FUNCTION @extschema@.dbopt_recommend_indexes(
    budget text DEFAULT NULL,
    max_indexes integer DEFAULT 10,
    max_columns integer DEFAULT 3,
    algorithm text DEFAULT 'dbopt',
    min_calls bigint DEFAULT 1,
    queryids bigint[] DEFAULT NULL,
    search_path text DEFAULT pg_catalog.current_setting('search_path'),
    min_benefit_per_size double precision DEFAULT 0.1)
RETURNS TABLE(rank integer, index_name text, table_name text, kind text,
              estimated_bytes bigint, write_overhead double precision,
              benefit double precision, queries jsonb, remediation text[], revert text[])
LANGUAGE c CALLED ON NULL INPUT VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'dbopt_recommend_indexes';
COMMENT ON FUNCTION @extschema@.dbopt_recommend_indexes(text, integer, integer, text, bigint, bigint[], text, double precision) IS
  'indexes that lower the frequency-weighted cost of the captured workload most, within a storage budget and count, write cost included (superuser only)';
REVOKE ALL ON FUNCTION @extschema@.dbopt_recommend_indexes(text, integer, integer, text, bigint, bigint[], text, double precision) FROM PUBLIC;

CREATE FUNCTION @extschema@.dbopt_recommendation_summary(
    budget text DEFAULT NULL,
    max_indexes integer DEFAULT 10,
    max_columns integer DEFAULT 3,
    algorithm text DEFAULT 'dbopt',
    min_calls bigint DEFAULT 1,
    queryids bigint[] DEFAULT NULL,
    search_path text DEFAULT pg_catalog.current_setting('search_path'),
    min_benefit_per_size double precision DEFAULT 0.1)
RETURNS TABLE(algorithm text, queries integer, skipped_queries integer, candidates integer,
              recommendations integer, cost_before double precision,
              cost_after double precision, improvement_pct double precision,
              write_cost double precision, budget_bytes bigint, bytes_used bigint,
              planner_calls bigint, elapsed_ms double precision, below_floor integer)
LANGUAGE c CALLED ON NULL INPUT VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'dbopt_recommendation_summary';
COMMENT ON FUNCTION @extschema@.dbopt_recommendation_summary(text, integer, integer, text, bigint, bigint[], text, double precision) IS
  'the whole workload under dbopt_recommend_indexes() with the same arguments: weighted cost before and after, budget used, planner calls (superuser only)';
REVOKE ALL ON FUNCTION @extschema@.dbopt_recommendation_summary(text, integer, integer, text, bigint, bigint[], text, double precision) FROM PUBLIC;

-- Both of the above from one run of the advisor, as one document: {"summary": {<the columns
-- of dbopt_recommendation_summary()>}, "recommendations": [{<the columns of
-- dbopt_recommend_indexes()>}, ...]} (dbopt advise reads it).
CREATE FUNCTION @extschema@.dbopt_advise(
    budget text DEFAULT NULL,
    max_indexes integer DEFAULT 10,
    max_columns integer DEFAULT 3,
    algorithm text DEFAULT 'dbopt',
    min_calls bigint DEFAULT 1,
    queryids bigint[] DEFAULT NULL,
    search_path text DEFAULT pg_catalog.current_setting('search_path'),
    min_benefit_per_size double precision DEFAULT 0.1)
RETURNS jsonb
LANGUAGE c CALLED ON NULL INPUT VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'dbopt_advise';
COMMENT ON FUNCTION @extschema@.dbopt_advise(text, integer, integer, text, bigint, bigint[], text, double precision) IS
  'dbopt_recommendation_summary() and dbopt_recommend_indexes() from one run of the advisor, as one jsonb document (superuser only)';
REVOKE ALL ON FUNCTION @extschema@.dbopt_advise(text, integer, integer, text, bigint, bigint[], text, double precision) FROM PUBLIC;

CREATE FUNCTION @extschema@.dbopt_recommend_indexes_for(
    queries text[],
    budget text DEFAULT NULL,
    max_indexes integer DEFAULT 10,
    max_columns integer DEFAULT 3,
    algorithm text DEFAULT 'dbopt',
    search_path text DEFAULT pg_catalog.current_setting('search_path'),
    writes text DEFAULT 'auto',
    min_benefit_per_size double precision DEFAULT 0.1)
RETURNS TABLE(rank integer, index_name text, table_name text, kind text,
              estimated_bytes bigint, write_overhead double precision,
              benefit double precision, queries jsonb, remediation text[], revert text[])
LANGUAGE c CALLED ON NULL INPUT VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'dbopt_recommend_indexes_for';
COMMENT ON FUNCTION @extschema@.dbopt_recommend_indexes_for(text[], text, integer, integer, text, text, text, double precision) IS
  'indexes for the given statements (one call each), without capture; writes charged from the tables'' statistics counters per read (writes => auto | statistics | none)';

-- Applied recommendations (dbopt advise --apply: src/cli/advise_apply.cpp; docs/advisor.md) --
-- One row per index the CLI built from a recommendation, and per query the recommendation
-- promised to help, that query's captured calls and time at that moment: the baseline the
-- realized benefit is measured against later (calls and time since = now - baseline). The
-- CLI writes both in one transaction once the index is built and valid. Readable and
-- writable only by the extension's owner and superusers (query texts are pg_stat_statements'
-- normalized texts, and a row claims an index was built); grant SELECT to more roles if
-- wanted. pg_dump keeps the rows (pg_extension_config_dump).

CREATE TABLE @extschema@.applied_index (
    apply_id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    index_name        text NOT NULL,            -- qualified, as in dbopt_recommend_indexes()
    table_name        text NOT NULL,
    kind              text NOT NULL,
    remediation       text[] NOT NULL,          -- the statements run, one each in autocommit
    revert            text[] NOT NULL,          -- the statements that undo them
    estimated_bytes   bigint,
    actual_bytes      bigint,                   -- pg_relation_size() right after the build
    estimated_benefit double precision,         -- dbopt_recommend_indexes().benefit
    write_overhead    double precision,
    algorithm         text NOT NULL,
    build_ms          double precision NOT NULL,
    applied_at        timestamptz NOT NULL DEFAULT pg_catalog.now(),
    applied_by        name NOT NULL DEFAULT CURRENT_USER,
    CONSTRAINT applied_index_remediation_not_empty CHECK (pg_catalog.cardinality(remediation) > 0)
);
COMMENT ON TABLE @extschema@.applied_index IS
  'indexes built by dbopt advise --apply, with the recommendation they came from';

CREATE TABLE @extschema@.applied_index_baseline (
    apply_id      bigint NOT NULL REFERENCES @extschema@.applied_index ON DELETE CASCADE,
    queryid       bigint NOT NULL,
    query         text,
    calls         bigint,            -- captured calls (every user, this database) before the build;
    total_time_ms double precision,  -- NULL when the query is no longer in the capture store
    mean_time_ms  double precision,
    cost_before   double precision,  -- the planner's cost per call without and with the index,
    cost_after    double precision,  -- as the advisor estimated it
    captured_at   timestamptz NOT NULL,
    PRIMARY KEY (apply_id, queryid)
);
COMMENT ON TABLE @extschema@.applied_index_baseline IS
  'per query an applied index was meant to help: its captured calls and mean time when the index was built';

REVOKE ALL ON @extschema@.applied_index, @extschema@.applied_index_baseline FROM PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('@extschema@.applied_index', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.applied_index_apply_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.applied_index_baseline', '');

-- Workload anti-patterns: N+1 loops (src/pg/loops.cpp, src/pg/fn_loops.cpp,
-- src/core/antipatterns/n_plus_one.cpp; docs/antipatterns.md) ----------------------------------

CREATE FUNCTION @extschema@.dbopt_n_plus_one(
    min_occurrences integer DEFAULT 1,
    include_writes boolean DEFAULT false,
    OUT check_id text,
    OUT severity text,
    OUT object_type text,
    OUT object_name text,
    OUT message text,
    OUT detail jsonb,
    OUT remediation text[],
    OUT revert text[],
    OUT userid oid,
    OUT dbid oid,
    OUT source_queryid bigint,
    OUT source_toplevel boolean,
    OUT source_query text,
    OUT repeated_queryid bigint,
    OUT repeated_toplevel boolean,
    OUT repeated_query text,
    OUT occurrences bigint,
    OUT mean_repeats double precision,
    OUT max_repeats bigint,
    OUT mean_source_rows double precision,
    OUT total_loop_time double precision,
    OUT total_repeat_time double precision,
    OUT first_seen timestamptz,
    OUT last_seen timestamptz)
RETURNS SETOF record
LANGUAGE c CALLED ON NULL INPUT VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'dbopt_n_plus_one';
COMMENT ON FUNCTION @extschema@.dbopt_n_plus_one(integer, boolean) IS
  'N+1 loops: a query run once per row of a source query, per (source, repeated) pair, with the batched rewrite (write loops too with include_writes)';

CREATE FUNCTION @extschema@.dbopt_n_plus_one_info(
    OUT lost_events bigint,
    OUT dropped_loops bigint,
    OUT dropped_shapes bigint)
RETURNS SETOF record
LANGUAGE c STRICT VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'dbopt_n_plus_one_info';
COMMENT ON FUNCTION @extschema@.dbopt_n_plus_one_info() IS
  'N+1 detector state: events overwritten before detection read them, loop pairs evicted, statements without a counter';

-- Workload anti-patterns: slow text search (src/pg/fn_text_search.cpp,
-- src/core/antipatterns/text_search.cpp; docs/antipatterns.md) -------------------------------

CREATE FUNCTION @extschema@.dbopt_text_search(
    min_calls bigint DEFAULT 1,
    min_rows bigint DEFAULT 10000,
    OUT check_id text,
    OUT severity text,
    OUT object_type text,
    OUT object_name text,
    OUT message text,
    OUT detail jsonb,
    OUT remediation text[],
    OUT revert text[],
    OUT userid oid,
    OUT queryid bigint,
    OUT toplevel boolean,
    OUT query text,
    OUT relation text,
    OUT column_name text,
    OUT operator text,
    OUT pattern text,
    OUT calls bigint,
    OUT total_time double precision,
    OUT mean_time double precision,
    OUT rows_removed_by_filter double precision,
    OUT verified boolean,
    OUT cost_before double precision,
    OUT cost_after double precision)
RETURNS SETOF record
LANGUAGE c CALLED ON NULL INPUT VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'dbopt_text_search';
COMMENT ON FUNCTION @extschema@.dbopt_text_search(bigint, bigint) IS
  'slow text search: leading-wildcard LIKE/ILIKE/regex and full-text matches evaluated row by row, with the GIN index verified by the what-if engine';

-- Workload anti-patterns: multi-step writes without a transaction (src/pg/write_pairs.cpp,
-- src/pg/fn_write_pairs.cpp, src/core/antipatterns/multi_step_writes.cpp;
-- docs/antipatterns.md) -------------------------------------------------------------------------

CREATE FUNCTION @extschema@.dbopt_unsafe_multi_step_writes(
    min_occurrences integer DEFAULT 1,
    OUT check_id text,
    OUT severity text,
    OUT object_type text,
    OUT object_name text,
    OUT message text,
    OUT detail jsonb,
    OUT remediation text[],
    OUT revert text[],
    OUT userid oid,
    OUT dbid oid,
    OUT first_queryid bigint,
    OUT first_toplevel boolean,
    OUT first_query text,
    OUT first_table text,
    OUT second_queryid bigint,
    OUT second_toplevel boolean,
    OUT second_query text,
    OUT second_table text,
    OUT constraint_name text,
    OUT constraint_table text,
    OUT occurrences bigint,
    OUT mean_gap double precision,
    OUT max_gap double precision,
    OUT first_seen timestamptz,
    OUT last_seen timestamptz)
RETURNS SETOF record
LANGUAGE c CALLED ON NULL INPUT VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'dbopt_unsafe_multi_step_writes';
COMMENT ON FUNCTION @extschema@.dbopt_unsafe_multi_step_writes(integer) IS
  'multi-step writes without a transaction: two autocommit writes of one session to tables related by a foreign key, per (first, second) query pair';

-- Workload anti-patterns: deep OFFSET pagination and unbounded result sets (counted by
-- src/pg/capture.cpp at each execution's end; src/pg/fn_paging.cpp,
-- src/core/antipatterns/offset_pagination.cpp; docs/antipatterns.md) -------------------------

CREATE FUNCTION @extschema@.dbopt_offset_pagination(
    min_calls integer DEFAULT 1,
    OUT check_id text,
    OUT severity text,
    OUT object_type text,
    OUT object_name text,
    OUT message text,
    OUT detail jsonb,
    OUT remediation text[],
    OUT revert text[],
    OUT userid oid,
    OUT dbid oid,
    OUT queryid bigint,
    OUT toplevel boolean,
    OUT query text,
    OUT calls bigint,
    OUT total_exec_time double precision,
    OUT deep_offset_calls bigint,
    OUT mean_offset double precision,
    OUT max_offset bigint,
    OUT skipped_rows double precision,
    OUT deep_offset_time double precision)
RETURNS SETOF record
LANGUAGE c CALLED ON NULL INPUT VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'dbopt_offset_pagination';
COMMENT ON FUNCTION @extschema@.dbopt_offset_pagination(integer) IS
  'queries paging with a deep OFFSET (at least dbopt.offset_min_rows), with the keyset rewrite and the index its ORDER BY needs';

CREATE FUNCTION @extschema@.dbopt_large_results(
    min_calls integer DEFAULT 1,
    OUT check_id text,
    OUT severity text,
    OUT object_type text,
    OUT object_name text,
    OUT message text,
    OUT detail jsonb,
    OUT remediation text[],
    OUT revert text[],
    OUT userid oid,
    OUT dbid oid,
    OUT queryid bigint,
    OUT toplevel boolean,
    OUT query text,
    OUT calls bigint,
    OUT total_exec_time double precision,
    OUT large_result_calls bigint,
    OUT mean_rows double precision,
    OUT max_rows bigint,
    OUT large_result_time double precision)
RETURNS SETOF record
LANGUAGE c CALLED ON NULL INPUT VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'dbopt_large_results';
COMMENT ON FUNCTION @extschema@.dbopt_large_results(integer) IS
  'top-level SELECTs without LIMIT read in one go that returned more than dbopt.large_result_rows rows: page them';

-- All workload anti-patterns in the common finding shape (each detector adds its rows here
-- with UNION ALL).
CREATE FUNCTION @extschema@.dbopt_antipatterns(
    OUT check_id text,
    OUT severity text,
    OUT object_type text,
    OUT object_name text,
    OUT message text,
    OUT detail jsonb,
    OUT remediation text[],
    OUT revert text[])
RETURNS SETOF record
LANGUAGE sql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT check_id, severity, object_type, object_name, message, detail, remediation, revert
    FROM @extschema@.dbopt_n_plus_one(include_writes => true)
  UNION ALL
  SELECT check_id, severity, object_type, object_name, message, detail, remediation, revert
    FROM @extschema@.dbopt_text_search()
  UNION ALL
  SELECT check_id, severity, object_type, object_name, message, detail, remediation, revert
    FROM @extschema@.dbopt_offset_pagination()
  UNION ALL
  SELECT check_id, severity, object_type, object_name, message, detail, remediation, revert
    FROM @extschema@.dbopt_large_results()
  UNION ALL
  SELECT check_id, severity, object_type, object_name, message, detail, remediation, revert
    FROM @extschema@.dbopt_unsafe_multi_step_writes()
$$;
COMMENT ON FUNCTION @extschema@.dbopt_antipatterns() IS
  'workload anti-pattern findings (N+1 loops, slow text search, deep OFFSET pagination, large results, multi-step writes without a transaction) in the common finding shape';

-- Migrations: bookkeeping (issue 6; the runner is `dbopt migrate`, src/cli/migrate/;
-- docs/migrations.md) ------------------------------------------------------------------------
-- One row per migration version the runner has seen, and an append-only log of what happened.
-- A transactional migration's row is written in the same transaction as the migration itself,
-- so both commit or neither does. A migration with statements that cannot run in a transaction
-- block (CREATE INDEX CONCURRENTLY, ...) runs in steps: its row says 'running' with the number
-- of statements done, committed with each step, so a failed or killed run resumes where it
-- stopped. Readable and writable only by the extension's owner and superusers (the rows hold
-- the SQL applied); grant SELECT, INSERT, UPDATE to the role that runs migrations if it is
-- another. pg_dump keeps the rows (pg_extension_config_dump).

CREATE TABLE @extschema@.migration_history (
    version          text PRIMARY KEY,          -- from the file name: digits, dot-separated
    name             text NOT NULL,             -- the file name's description part
    kind             text NOT NULL,
    checksum         text,                      -- of the up section's tokens; NULL: baseline
    up_sql           text,                      -- the up section as applied
    down_sql         text,                      -- the down section as it was when applied
    status           text NOT NULL,
    statements_total integer NOT NULL DEFAULT 0,
    statements_done  integer NOT NULL DEFAULT 0,
    applied_by       name NOT NULL DEFAULT CURRENT_USER,
    applied_at       timestamptz NOT NULL DEFAULT pg_catalog.now(),
    duration_ms      double precision,
    error            text,                      -- the failing statement's error, when failed
    backup           text,                      -- where `up --backup` put the dump, if any
    down_statements_done integer,               -- a revert in steps under way or interrupted:
                                                -- its down statements done; NULL: none
    CONSTRAINT migration_history_version_format
        CHECK (version OPERATOR(pg_catalog.~) '^[0-9]+(\.[0-9]+)*$'),
    CONSTRAINT migration_history_kind
        CHECK (kind IN ('transactional', 'non_transactional', 'baseline')),
    CONSTRAINT migration_history_status
        CHECK (status IN ('applied', 'running', 'failed', 'rolled_back', 'baseline')),
    CONSTRAINT migration_history_progress
        CHECK (statements_done BETWEEN 0 AND statements_total),
    CONSTRAINT migration_history_down_progress
        CHECK (down_statements_done >= 0)
);
COMMENT ON TABLE @extschema@.migration_history IS
  'dbopt migrate: one row per migration version, with the SQL applied and its state';

CREATE TABLE @extschema@.migration_event (
    event_id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event       text NOT NULL,
    version     text,                           -- NULL for events about no one version
    occurred_at timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
    by_user     name NOT NULL DEFAULT CURRENT_USER,
    detail      jsonb,                          -- e.g. {"error": ..., "statement": ..., "dry_run": ...}
    CONSTRAINT migration_event_event
        CHECK (event IN ('apply', 'rollback', 'repair', 'baseline', 'fail', 'resume', 'cleanup'))
);
COMMENT ON TABLE @extschema@.migration_event IS
  'dbopt migrate: append-only log of applies, rollbacks, repairs, baselines and failures';

REVOKE ALL ON @extschema@.migration_history, @extschema@.migration_event FROM PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('@extschema@.migration_history', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.migration_event', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.migration_event_event_id_seq', '');

-- Migrations: status, verify and schema drift (issue 6; src/cli/migrate/migrate_status.cpp,
-- migrate_verify.cpp; docs/migrations.md "Status and verify", "Schema drift") --------------
-- dbopt_migration_status() reads the history; dbopt_migration_verify(files) compares the
-- files the CLI read from the migration folder with it, and reports the schema changes the
-- drift event triggers recorded. Both run with the caller's privileges and say which GRANT
-- is missing. Versions are compared number by number ("1.10" after "1.9", "010" = "10").

-- Schema changes made outside a migration, recorded by the event triggers below while drift
-- detection is on. Rows stay after they are settled (acknowledged_at) as an audit trail.
-- The triggers run as the role that ran the DDL, so PUBLIC may INSERT the columns a trigger
-- supplies, and nothing else: when, who and which application come from the defaults and
-- cannot be forged; reading and settling rows takes a GRANT (docs/migrations.md).
CREATE TABLE @extschema@.schema_change (
    change_id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at      timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
    by_user          name NOT NULL DEFAULT CURRENT_USER,
    application_name text DEFAULT pg_catalog.current_setting('application_name'),
    transaction_id   xid8 DEFAULT pg_catalog.pg_current_xact_id(),  -- groups one statement's rows
    command_tag      text NOT NULL,             -- CREATE TABLE, ALTER TABLE, DROP INDEX, GRANT, ...
    object_type      text,                      -- table, index, table column, ...
    object_identity  text,                      -- qualified; NULL for GRANT and the like
    statement        text,                      -- current_query(): the client's statement text
    acknowledged_at  timestamptz,               -- settled by dbopt_acknowledge_drift()
    acknowledged_by  name
);
COMMENT ON TABLE @extschema@.schema_change IS
  'dbopt migrate: DDL run outside a migration while drift detection was on (dbopt_drift_detection)';
CREATE INDEX schema_change_unsettled ON @extschema@.schema_change (occurred_at)
  WHERE acknowledged_at IS NULL;
REVOKE ALL ON @extschema@.schema_change FROM PUBLIC;
GRANT INSERT (command_tag, object_type, object_identity, statement)
  ON @extschema@.schema_change TO PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('@extschema@.schema_change', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.schema_change_change_id_seq', '');

-- A version's numbers, for ordering and matching ('1.10' -> {1,10}). The CHECK on
-- migration_history and the checks in dbopt_migration_verify keep the input digits only.
CREATE FUNCTION @extschema@.dbopt_version_key(version text)
RETURNS numeric[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$ SELECT pg_catalog.string_to_array(version, '.')::pg_catalog.numeric[] $$;
COMMENT ON FUNCTION @extschema@.dbopt_version_key(text) IS
  'a migration version as numbers, for ordering: ''1.10'' sorts after ''1.9''';

-- The caller may read the tables status and verify read; a clear error with the GRANT when not.
CREATE FUNCTION @extschema@.dbopt_migration_check_access(tables text[])
RETURNS void
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  missing text;
BEGIN
  SELECT string_agg(format('%s.%I', '@extschema@', t), ', ' ORDER BY ord) INTO missing
    FROM unnest(tables) WITH ORDINALITY AS u(t, ord)
   WHERE NOT has_table_privilege(format('%s.%I', '@extschema@', t), 'SELECT');
  IF missing IS NOT NULL THEN
    RAISE EXCEPTION 'permission denied to read dbopt''s migration bookkeeping (%)', missing
      USING ERRCODE = 'insufficient_privilege',
            HINT = format('as the extension''s owner or a superuser: GRANT SELECT ON %s TO %I;',
                          missing, current_user);
  END IF;
END $$;
COMMENT ON FUNCTION @extschema@.dbopt_migration_check_access(text[]) IS
  'raises insufficient_privilege, with the GRANT to run, when the caller cannot read one of the tables';

CREATE FUNCTION @extschema@.dbopt_migration_status(
    OUT version text,
    OUT name text,
    OUT kind text,
    OUT status text,
    OUT applied_at timestamptz,
    OUT applied_by name,
    OUT duration_ms double precision,
    OUT statements_done integer,
    OUT statements_total integer,
    OUT error text,
    OUT backup text)
RETURNS SETOF record
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  PERFORM @extschema@.dbopt_migration_check_access(ARRAY['migration_history']);
  RETURN QUERY
    SELECT h.version, h.name, h.kind, h.status, h.applied_at, h.applied_by, h.duration_ms,
           h.statements_done, h.statements_total, h.error, h.backup
      FROM @extschema@.migration_history h
     ORDER BY @extschema@.dbopt_version_key(h.version), h.version;
END $$;
COMMENT ON FUNCTION @extschema@.dbopt_migration_status() IS
  'one row per migration version in the history, in version order (dbopt migrate status)';

-- files: [{"version": "20261201154500", "name": "add_invoice", "checksum": "..."}, ...], one
-- element per file of the migration folder ("name" and "checksum" may be absent or null: a
-- missing checksum is not compared). One row per difference, in version order, then the
-- schema drift; none when files, history and schema agree.
--   check_id          when                                              fix
--   pending           a file not applied (or rolled back)               dbopt migrate up
--   out_of_order      pending, and lower than the newest applied        renumber it, or up --to
--   checksum_changed  an applied file whose tokens changed              restore it, or repair
--   missing_file      applied, no file                                  restore it from history
--   failed            the run failed (nothing of a transactional one    fix, then up; or repair
--                     is applied; a non-transactional one stopped)
--   running           a run in progress, or one killed mid-way          up resumes it; or repair
--   schema_drift      DDL outside a migration, not yet settled          a migration, then
--                     (one row per client statement)                    dbopt_acknowledge_drift
-- Files at or below the newest baseline are covered by it, not pending.
-- The files argument of dbopt_migration_file_problems and dbopt_migration_verify: raises
-- null_value_not_allowed / invalid_parameter_value with a hint when it is not a list of files.
CREATE FUNCTION @extschema@.dbopt_migration_check_files(files jsonb)
RETURNS void
LANGUAGE plpgsql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  element jsonb;
  ordinal integer := 0;
  duplicate text;
  hint constant text :=
    'pass a jsonb array of {"version": "1.2", "name": "add_invoice", "checksum": "..."} objects, one per migration file (''[]'' for none)';
BEGIN
  IF files IS NULL THEN
    RAISE EXCEPTION 'files must not be null'
      USING ERRCODE = 'null_value_not_allowed', HINT = hint;
  END IF;
  IF jsonb_typeof(files) <> 'array' THEN
    RAISE EXCEPTION 'files must be a jsonb array, not %', jsonb_typeof(files)
      USING ERRCODE = 'invalid_parameter_value', HINT = hint;
  END IF;
  FOR element IN SELECT e FROM jsonb_array_elements(files) AS e LOOP
    ordinal := ordinal + 1;
    IF jsonb_typeof(element) <> 'object' THEN
      RAISE EXCEPTION 'files element % is not an object: %', ordinal, element
        USING ERRCODE = 'invalid_parameter_value', HINT = hint;
    END IF;
    IF jsonb_typeof(element -> 'version') IS DISTINCT FROM 'string' THEN
      RAISE EXCEPTION 'files element % has no version (a string): %', ordinal, element
        USING ERRCODE = 'invalid_parameter_value', HINT = hint;
    END IF;
    IF NOT (element ->> 'version') ~ '^[0-9]+(\.[0-9]+)*$' THEN
      RAISE EXCEPTION 'files element % has an invalid version "%"', ordinal, element ->> 'version'
        USING ERRCODE = 'invalid_parameter_value',
              HINT = 'a version is digits, optionally dot-separated: "20261201154500", "1.2"';
    END IF;
    IF jsonb_typeof(element -> 'name') NOT IN ('string', 'null')
       OR jsonb_typeof(element -> 'checksum') NOT IN ('string', 'null') THEN
      RAISE EXCEPTION 'files element % has a name or checksum that is not a string: %', ordinal, element
        USING ERRCODE = 'invalid_parameter_value', HINT = hint;
    END IF;
  END LOOP;
  SELECT min(f.v) INTO duplicate
    FROM (SELECT e ->> 'version' AS v, @extschema@.dbopt_version_key(e ->> 'version') AS k
            FROM jsonb_array_elements(files) AS e) f
   GROUP BY f.k HAVING count(*) > 1 LIMIT 1;
  IF duplicate IS NOT NULL THEN
    RAISE EXCEPTION 'files list version % more than once', duplicate
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'two migration files may not have the same version ("010" and "10" are the same)';
  END IF;
END $$;
COMMENT ON FUNCTION @extschema@.dbopt_migration_check_files(jsonb) IS
  'raises an error with a hint when files is not a jsonb array of migration files';

-- The differences between the files and the history alone, without schema drift: what
-- dbopt_migration_verify(files) reports first, and what `dbopt migrate up` checks before it
-- applies anything (it refuses checksum_changed, and out_of_order without
-- --allow-out-of-order). Needs SELECT on migration_history only.
CREATE FUNCTION @extschema@.dbopt_migration_file_problems(
    files jsonb,
    OUT check_id text,
    OUT version text,
    OUT name text,
    OUT message text,
    OUT fix text,
    OUT detail jsonb)
RETURNS SETOF record
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  newest_applied text;
  newest_baseline text;
BEGIN
  PERFORM @extschema@.dbopt_migration_check_files(files);
  PERFORM @extschema@.dbopt_migration_check_access(ARRAY['migration_history']);

  SELECT h.version INTO newest_applied FROM @extschema@.migration_history h
   WHERE h.status IN ('applied', 'baseline')
   ORDER BY @extschema@.dbopt_version_key(h.version) DESC, h.version DESC LIMIT 1;
  SELECT h.version INTO newest_baseline FROM @extschema@.migration_history h
   WHERE h.status = 'baseline'
   ORDER BY @extschema@.dbopt_version_key(h.version) DESC, h.version DESC LIMIT 1;

  RETURN QUERY
  WITH f AS (
    SELECT e ->> 'version' AS version, coalesce(e ->> 'name', '') AS name, e ->> 'checksum' AS checksum,
           @extschema@.dbopt_version_key(e ->> 'version') AS k
      FROM jsonb_array_elements(files) AS e
  ), h AS (
    SELECT h.*, @extschema@.dbopt_version_key(h.version) AS k FROM @extschema@.migration_history h
  ), problems AS (
    -- files not applied
    SELECT CASE WHEN newest_applied IS NOT NULL
                     AND f.k < @extschema@.dbopt_version_key(newest_applied) THEN 'out_of_order'
                ELSE 'pending' END AS check_id,
           f.version, f.name, f.k,
           CASE WHEN newest_applied IS NOT NULL AND f.k < @extschema@.dbopt_version_key(newest_applied)
                THEN format('%s_%s is not applied, and %s (newer) is', f.version, f.name, newest_applied)
                WHEN h.status = 'rolled_back'
                THEN format('%s_%s is not applied (rolled back %s)', f.version, f.name,
                            to_char(h.applied_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS "UTC"'))
                ELSE format('%s_%s is not applied yet', f.version, f.name) END AS message,
           CASE WHEN newest_applied IS NOT NULL AND f.k < @extschema@.dbopt_version_key(newest_applied)
                THEN format('give the file a version after %s so that it runs after the others; or, if its place in the order does not matter, apply it: dbopt migrate up --allow-out-of-order',
                            newest_applied)
                ELSE 'dbopt migrate up' END AS fix,
           jsonb_build_object('checksum', f.checksum, 'newest_applied', newest_applied) AS detail
      FROM f LEFT JOIN h ON h.k = f.k
     WHERE (h.version IS NULL OR h.status = 'rolled_back')
       AND (newest_baseline IS NULL OR f.k > @extschema@.dbopt_version_key(newest_baseline))
    UNION ALL
    -- applied files edited since
    SELECT 'checksum_changed', h.version, h.name, h.k,
           format('%s_%s was changed after %s %s (its statements differ, not just whitespace or comments)',
                  h.version, h.name,
                  CASE h.status WHEN 'running' THEN 'its run started' ELSE 'it was applied' END,
                  to_char(h.applied_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS "UTC"')),
           'restore the file as applied (migration_history.up_sql keeps it) and put the change in a new migration; if the edit changes nothing in the database: dbopt migrate repair',
           jsonb_build_object('file_checksum', f.checksum, 'applied_checksum', h.checksum)
      FROM h JOIN f ON f.k = h.k
     WHERE h.status IN ('applied', 'running') AND h.checksum IS NOT NULL AND f.checksum IS NOT NULL
       AND h.checksum <> f.checksum
    UNION ALL
    -- applied, no file
    SELECT 'missing_file', h.version, h.name, h.k,
           format('%s_%s is %s but has no file in the folder', h.version, h.name,
                  CASE h.status WHEN 'running' THEN 'partly applied' ELSE 'applied' END),
           format('restore %s_%s.sql from version control (migration_history.up_sql and down_sql keep its sections)',
                  h.version, h.name),
           jsonb_build_object('applied_checksum', h.checksum)
      FROM h
     WHERE h.status IN ('applied', 'running') AND NOT EXISTS (SELECT 1 FROM f WHERE f.k = h.k)
    UNION ALL
    -- runs to resume or repair
    SELECT h.status, h.version, h.name, h.k,
           CASE h.status
             WHEN 'failed' THEN
               format('%s_%s failed %s: %s', h.version, h.name,
                      to_char(h.applied_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS "UTC"'),
                      coalesce(h.error, 'no error recorded'))
                 || CASE WHEN h.kind = 'non_transactional'
                         THEN format(' (%s of %s statements done)', h.statements_done, h.statements_total)
                         ELSE '' END
             ELSE
               format('%s_%s is running or was interrupted (%s of %s statements done, started %s)',
                      h.version, h.name, h.statements_done, h.statements_total,
                      to_char(h.applied_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS "UTC"'))
           END,
           CASE h.status
             WHEN 'failed' THEN 'fix the cause, then dbopt migrate up (it retries); or dbopt migrate repair to settle the failed run'
             ELSE format('if no runner is active: dbopt migrate up resumes at statement %s of %s; dbopt migrate repair settles it',
                         h.statements_done + 1, h.statements_total)
           END,
           jsonb_build_object('kind', h.kind, 'statements_done', h.statements_done,
                              'statements_total', h.statements_total, 'error', h.error)
      FROM h
     WHERE h.status IN ('failed', 'running')
    UNION ALL
    -- reverts in steps that stopped part-way
    SELECT 'running', h.version, h.name, h.k,
           format('%s_%s is being reverted or its revert was interrupted (%s down statements done)',
                  h.version, h.name, h.down_statements_done),
           'if no runner is active: dbopt migrate down resumes the revert where it stopped (the migration stays recorded as applied until its revert ends)',
           jsonb_build_object('direction', 'down', 'down_statements_done', h.down_statements_done)
      FROM h
     WHERE h.status = 'applied' AND h.down_statements_done IS NOT NULL
  )
  SELECT p.check_id, p.version, p.name, p.message, p.fix, p.detail
    FROM problems p
   ORDER BY p.k, p.version, p.check_id;
END $$;
COMMENT ON FUNCTION @extschema@.dbopt_migration_file_problems(jsonb) IS
  'differences between the migration files and the history, without schema drift (dbopt migrate up checks them)';

CREATE FUNCTION @extschema@.dbopt_migration_verify(
    files jsonb,
    OUT check_id text,
    OUT version text,
    OUT name text,
    OUT message text,
    OUT fix text,
    OUT detail jsonb)
RETURNS SETOF record
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  PERFORM @extschema@.dbopt_migration_check_files(files);
  PERFORM @extschema@.dbopt_migration_check_access(ARRAY['migration_history', 'schema_change']);
  RETURN QUERY SELECT * FROM @extschema@.dbopt_migration_file_problems(files);

  -- Schema drift: every unsettled change, one row per client statement.
  RETURN QUERY
  SELECT 'schema_drift'::text, NULL::text, NULL::text,
         format('%s outside a migration by %s%s at %s',
                string_agg(concat_ws(' ', c.command_tag,
                                     coalesce(c.object_identity, 'on ' || lower(c.object_type))),
                           ', ' ORDER BY c.change_id),
                min(c.by_user),
                CASE WHEN coalesce(min(c.application_name), '') = '' THEN ''
                     ELSE format(' (%s)', min(c.application_name)) END,
                to_char(min(c.occurred_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS "UTC"')),
         format('write it into a migration (dbopt migrate new NAME) or revert it; then settle it: dbopt migrate repair, or SELECT %s.dbopt_acknowledge_drift(%L);',
                '@extschema@', max(c.occurred_at)),
         jsonb_build_object(
           'occurred_at', min(c.occurred_at), 'by_user', min(c.by_user),
           'application_name', min(c.application_name), 'statement', c.statement,
           'change_ids', jsonb_agg(c.change_id ORDER BY c.change_id),
           'changes', jsonb_agg(jsonb_build_object('command_tag', c.command_tag,
                                                   'object_type', c.object_type,
                                                   'object_identity', c.object_identity)
                                ORDER BY c.change_id))
    FROM @extschema@.schema_change c
   WHERE c.acknowledged_at IS NULL
   GROUP BY c.transaction_id, c.statement
   ORDER BY min(c.change_id);
END $$;
COMMENT ON FUNCTION @extschema@.dbopt_migration_verify(jsonb) IS
  'differences between the migration files, the history and the schema (dbopt migrate verify)';

-- Without files: what the history and the drift log say alone (failed and interrupted runs,
-- unsettled drift); the CLI always passes the folder's files.
CREATE FUNCTION @extschema@.dbopt_migration_verify(
    OUT check_id text,
    OUT version text,
    OUT name text,
    OUT message text,
    OUT fix text,
    OUT detail jsonb)
RETURNS SETOF record
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  PERFORM @extschema@.dbopt_migration_check_access(ARRAY['migration_history', 'schema_change']);
  RETURN QUERY SELECT * FROM @extschema@.dbopt_migration_verify(
    coalesce((SELECT jsonb_agg(jsonb_build_object('version', h.version, 'name', h.name,
                                                  'checksum', h.checksum))
                FROM @extschema@.migration_history h WHERE h.status <> 'rolled_back'),
             '[]'::jsonb));
END $$;
COMMENT ON FUNCTION @extschema@.dbopt_migration_verify() IS
  'failed and interrupted migration runs and unsettled schema drift, without comparing files';

-- Settles the drift recorded up to a moment: verify stops reporting it (rows are kept).
CREATE FUNCTION @extschema@.dbopt_acknowledge_drift(before timestamptz DEFAULT pg_catalog.clock_timestamp())
RETURNS bigint
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  settled bigint;
BEGIN
  IF before IS NULL THEN
    RAISE EXCEPTION 'before must not be null'
      USING ERRCODE = 'null_value_not_allowed',
            HINT = 'pass the time up to which recorded changes are settled, or nothing for now';
  END IF;
  IF NOT has_table_privilege('@extschema@.schema_change', 'SELECT')
     OR NOT has_table_privilege('@extschema@.schema_change', 'UPDATE') THEN
    RAISE EXCEPTION 'permission denied to settle dbopt''s recorded schema drift'
      USING ERRCODE = 'insufficient_privilege',
            HINT = format('as the extension''s owner or a superuser: GRANT SELECT, UPDATE ON %s.schema_change TO %I;',
                          '@extschema@', current_user);
  END IF;
  UPDATE @extschema@.schema_change
     SET acknowledged_at = clock_timestamp(), acknowledged_by = current_user
   WHERE acknowledged_at IS NULL AND occurred_at <= before;
  GET DIAGNOSTICS settled = ROW_COUNT;
  RETURN settled;
END $$;
COMMENT ON FUNCTION @extschema@.dbopt_acknowledge_drift(timestamptz) IS
  'settles the schema drift recorded up to before (default: now); returns how many changes it settled';

-- The drift event triggers' function. Records DDL run outside a migration: not while the
-- runner's dbopt_migrate.version is set, not for temporary objects, not for commands run by
-- an extension script (CREATE/ALTER EXTENSION's own), not for dbopt's objects. Never breaks
-- the DDL it watches: any error becomes a WARNING (the DDL goes on, unrecorded).
CREATE FUNCTION @extschema@.dbopt_record_schema_change()
RETURNS event_trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  dbopt_oid oid;
BEGIN
  IF coalesce(current_setting('dbopt_migrate.version', true), '') <> '' THEN
    RETURN;
  END IF;
  BEGIN
    SELECT e.oid INTO dbopt_oid FROM pg_extension e WHERE e.extname = 'dbopt';
    IF TG_EVENT = 'sql_drop' THEN
      INSERT INTO @extschema@.schema_change (command_tag, object_type, object_identity, statement)
      SELECT TG_TAG, d.object_type, d.object_identity, current_query()
        FROM pg_event_trigger_dropped_objects() d
       WHERE d.original AND NOT d.is_temporary
         AND NOT (d.object_type = 'extension' AND d.object_identity = 'dbopt');
    ELSE
      INSERT INTO @extschema@.schema_change (command_tag, object_type, object_identity, statement)
      SELECT c.command_tag, c.object_type, c.object_identity, current_query()
        FROM pg_event_trigger_ddl_commands() c
       WHERE NOT c.in_extension
         AND c.schema_name IS DISTINCT FROM 'pg_temp'
         AND NOT (c.object_type = 'extension' AND c.object_identity = 'dbopt')
         AND NOT EXISTS (SELECT 1 FROM pg_depend dep
                          WHERE dep.classid = c.classid AND dep.objid = c.objid
                            AND dep.deptype = 'e' AND dep.refclassid = 'pg_extension'::regclass
                            AND dep.refobjid = dbopt_oid);
    END IF;
  EXCEPTION WHEN OTHERS THEN
    RAISE WARNING 'dbopt: schema change not recorded for drift detection: %', SQLERRM
      USING HINT = 'the DDL itself went through; see dbopt_drift_detection() in docs/migrations.md';
  END;
END $$;
COMMENT ON FUNCTION @extschema@.dbopt_record_schema_change() IS
  'event trigger function of dbopt''s schema drift detection (dbopt_drift_detection)';

-- Created disabled: drift detection is optional and off until dbopt_drift_detection(true).
-- (Event triggers are not dumped with the extension: after a restore, turn it on again.)
CREATE EVENT TRIGGER dbopt_schema_drift ON ddl_command_end
  EXECUTE FUNCTION @extschema@.dbopt_record_schema_change();
ALTER EVENT TRIGGER dbopt_schema_drift DISABLE;
CREATE EVENT TRIGGER dbopt_schema_drift_drop ON sql_drop
  EXECUTE FUNCTION @extschema@.dbopt_record_schema_change();
ALTER EVENT TRIGGER dbopt_schema_drift_drop DISABLE;

-- Whether drift detection is on (both triggers enabled).
CREATE FUNCTION @extschema@.dbopt_drift_detection()
RETURNS boolean
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT count(*) = 2 FROM pg_catalog.pg_event_trigger
   WHERE evtname IN ('dbopt_schema_drift', 'dbopt_schema_drift_drop') AND evtenabled <> 'D'
$$;
COMMENT ON FUNCTION @extschema@.dbopt_drift_detection() IS
  'whether schema drift detection is on';

-- Turns drift detection on or off (superusers only: event triggers are theirs); returns the
-- new state.
CREATE FUNCTION @extschema@.dbopt_drift_detection(enabled boolean)
RETURNS boolean
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF enabled IS NULL THEN
    RAISE EXCEPTION 'enabled must not be null'
      USING ERRCODE = 'null_value_not_allowed',
            HINT = 'dbopt_drift_detection(true) turns drift detection on, (false) off; dbopt_drift_detection() tells whether it is on';
  END IF;
  IF NOT (SELECT r.rolsuper FROM pg_roles r WHERE r.rolname = current_user) THEN
    RAISE EXCEPTION 'only a superuser can turn dbopt''s drift detection on or off'
      USING ERRCODE = 'insufficient_privilege',
            HINT = 'ask a superuser to run SELECT dbopt_drift_detection(true);';
  END IF;
  IF enabled THEN
    ALTER EVENT TRIGGER dbopt_schema_drift ENABLE;
    ALTER EVENT TRIGGER dbopt_schema_drift_drop ENABLE;
  ELSE
    ALTER EVENT TRIGGER dbopt_schema_drift DISABLE;
    ALTER EVENT TRIGGER dbopt_schema_drift_drop DISABLE;
  END IF;
  RETURN @extschema@.dbopt_drift_detection();
END $$;
COMMENT ON FUNCTION @extschema@.dbopt_drift_detection(boolean) IS
  'turns schema drift detection on or off (superusers only); returns the new state';

-- Migration lint (src/core/migrate/, src/pg/fn_lint.cpp, src/pg/lint_facts.cpp;
-- docs/migrations.md "Lint rules") -----------------------------------------------------------
-- Lints a migration script with the live schema: parsed with the server's own parser, never
-- analysed or executed (no lock is taken on the tables it names). Table sizes, existing
-- indexes, column types and function volatility come from the catalogs every user may read.
-- single_transaction: the script will run as one transaction (CONCURRENTLY fails anywhere,
-- SET LOCAL lasts to the end). search_path defaults to the caller's setting (evaluated before
-- the function's pinned search_path applies), so unqualified names resolve as they will when
-- the script runs.
CREATE FUNCTION @extschema@.dbopt_lint_sql(
    sql text,
    single_transaction boolean DEFAULT false,
    search_path text DEFAULT pg_catalog.current_setting('search_path'),
    OUT statement_number integer,
    OUT line integer,
    OUT rule_id text,
    OUT severity text,
    OUT object_name text,
    OUT message text,
    OUT explanation text,
    OUT safe_alternative text)
RETURNS SETOF record
LANGUAGE c CALLED ON NULL INPUT VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'dbopt_lint_sql';
COMMENT ON FUNCTION @extschema@.dbopt_lint_sql(text, boolean, text) IS
  'lints a migration script against the live schema (never runs it): one row per finding with the rule, severity, explanation and the SQL to write instead';

-- Operations: history (issue 7; docs/operations.md) -----------------------------------------
-- dbopt_snapshot() copies the capture store's per-query counters, per-relation and per-index
-- statistics and the current findings into the tables below, with deltas (a counter that went
-- backwards was reset: the delta is the new value, the row says counters_reset). Query rows
-- are written only for the queries that moved, with deltas against each query's latest row
-- (kept in snapshot_query_latest); table and index rows at every snapshot, with deltas
-- against the previous snapshot. Storage is a ring of 32 daily slots: every table is list-partitioned by
-- slot (UTC day number modulo 32) and a slot is emptied by TRUNCATE when the ring comes round
-- to it or dbopt_purge() expires it, so the hot path only inserts and leaves no dead tuples.
-- pg_extension_config_dump works on leaf tables only and only from this script, hence the
-- partitions are made here. Readable and writable by the extension's owner and superusers
-- (query texts are normalized texts like pg_stat_statements'); grant SELECT to more roles if
-- wanted.

CREATE TABLE @extschema@.snapshot (
    snapshot_id    bigint NOT NULL,
    slot           smallint NOT NULL,
    taken_at       timestamptz NOT NULL,
    sources        text[] NOT NULL,           -- what it holds: counters, antipatterns, health
    previous_id    bigint,                    -- deltas are against this one (NULL: the first)
    capture_since  timestamptz,               -- dbopt_capture_info().since (moves on dbopt_reset)
    stats_reset    timestamptz,               -- pg_stat_database.stats_reset of this database
    resets         text[] NOT NULL DEFAULT '{}', -- resets seen since previous_id: capture, statistics
    queries        integer NOT NULL DEFAULT 0,
    relations      integer NOT NULL DEFAULT 0,
    indexes        integer NOT NULL DEFAULT 0,
    findings       integer NOT NULL DEFAULT 0,
    duration_ms    double precision,
    -- with health => true: the error that stopped dbopt_health() (SQLSTATE: message), the
    -- snapshot holding the rest; NULL when it ran (or was not asked for)
    health_error   text,
    PRIMARY KEY (snapshot_id, slot)
) PARTITION BY LIST (slot);
COMMENT ON TABLE @extschema@.snapshot IS 'dbopt_snapshot(): one row per snapshot taken';

CREATE TABLE @extschema@.snapshot_query (
    snapshot_id       bigint NOT NULL,
    slot              smallint NOT NULL,
    userid            oid NOT NULL,
    dbid              oid NOT NULL,
    toplevel          boolean NOT NULL,
    queryid           bigint NOT NULL,
    origin            text NOT NULL,
    calls             bigint NOT NULL,          -- cumulative, as dbopt_queries() showed them
    total_exec_time   double precision NOT NULL,
    rows              bigint NOT NULL,
    calls_delta       bigint NOT NULL,          -- since the query's previous row
    exec_time_delta   double precision NOT NULL,
    rows_delta        bigint NOT NULL,
    counters_reset    boolean NOT NULL DEFAULT false
) PARTITION BY LIST (slot);
COMMENT ON TABLE @extschema@.snapshot_query IS
  'dbopt_snapshot(): per captured query whose counters moved, counters and deltas since its previous row';

-- Each store entry's latest row in snapshot_query (one row per entry of the capture store
-- that the history has seen): the base of the next snapshot's deltas, and what tells a moved
-- entry from an idle one. A snapshot writes rows only for the query ids that moved, so this
-- base may be days old, kept here because the ring's slots are truncated. Not part of the
-- ring: dbopt_snapshot() upserts the moved entries' rows and deletes those of entries that
-- left the store (a few dead tuples per snapshot; fillfactor leaves room for HOT updates).
CREATE TABLE @extschema@.snapshot_query_latest (
    userid          oid NOT NULL,
    dbid            oid NOT NULL,
    toplevel        boolean NOT NULL,
    queryid         bigint NOT NULL,
    origin          text NOT NULL,
    first_seen      timestamptz,                -- the store entry's (a new entry: a new value)
    capture_since   timestamptz,                -- dbopt_capture_info().since at that row
    calls           bigint NOT NULL,
    total_exec_time double precision NOT NULL,
    rows            bigint NOT NULL,
    snapshot_id     bigint NOT NULL,            -- the row's snapshot
    slot            smallint NOT NULL,
    PRIMARY KEY (userid, dbid, toplevel, queryid, origin)
) WITH (fillfactor = 50);
COMMENT ON TABLE @extschema@.snapshot_query_latest IS
  'dbopt_snapshot(): each captured query''s latest counters in the history, the base of the next deltas';

-- Query texts once per (database, query id), not once per snapshot.
CREATE TABLE @extschema@.snapshot_query_text (
    dbid       oid NOT NULL,
    queryid    bigint NOT NULL,
    query      text,
    first_seen timestamptz NOT NULL DEFAULT pg_catalog.now(),
    PRIMARY KEY (dbid, queryid)
);
COMMENT ON TABLE @extschema@.snapshot_query_text IS 'dbopt_snapshot(): the text of each query in the history';

CREATE TABLE @extschema@.snapshot_relation (
    snapshot_id          bigint NOT NULL,
    slot                 smallint NOT NULL,
    relid                oid NOT NULL,
    relation             text NOT NULL,         -- qualified, quoted as needed
    seq_scan             bigint,                -- pg_stat_user_tables, cumulative
    seq_tup_read         bigint,
    idx_scan             bigint,
    idx_tup_fetch        bigint,
    n_live_tup           bigint,
    n_tup_ins            bigint,
    n_tup_upd            bigint,
    n_tup_del            bigint,
    captured_seq_scans   bigint,                -- capture store: executions with a seq scan of it
    captured_index_scans bigint,                -- ... with an index, index-only or bitmap scan
    seq_scan_delta       bigint,
    seq_tup_read_delta   bigint,
    idx_scan_delta       bigint,
    counters_reset       boolean NOT NULL DEFAULT false
) PARTITION BY LIST (slot);
COMMENT ON TABLE @extschema@.snapshot_relation IS
  'dbopt_snapshot(): per table, scan and row counters and deltas since the previous snapshot';

CREATE TABLE @extschema@.snapshot_index (
    snapshot_id     bigint NOT NULL,
    slot            smallint NOT NULL,
    indexrelid      oid NOT NULL,
    index_name      text NOT NULL,              -- qualified, quoted as needed
    relation        text NOT NULL,
    idx_scan        bigint,                     -- pg_stat_user_indexes, cumulative
    idx_tup_read    bigint,
    idx_tup_fetch   bigint,
    size_bytes      bigint,
    idx_scan_delta  bigint,
    counters_reset  boolean NOT NULL DEFAULT false
) PARTITION BY LIST (slot);
COMMENT ON TABLE @extschema@.snapshot_index IS
  'dbopt_snapshot(): per index, its use and size, and scans since the previous snapshot';

CREATE TABLE @extschema@.snapshot_finding (
    snapshot_id  bigint NOT NULL,
    slot         smallint NOT NULL,
    source       text NOT NULL,                 -- antipatterns | health
    check_id     text NOT NULL,
    severity     text NOT NULL,
    object_type  text,
    object_name  text,
    message      text,
    detail       jsonb
) PARTITION BY LIST (slot);
COMMENT ON TABLE @extschema@.snapshot_finding IS
  'dbopt_snapshot(): the findings current at a snapshot (health ones from full snapshots)';

CREATE SEQUENCE @extschema@.snapshot_id_seq;

DO $ring$
DECLARE
    parent text;
    slot integer;
BEGIN
    FOREACH parent IN ARRAY ARRAY['snapshot', 'snapshot_query', 'snapshot_relation',
                                  'snapshot_index', 'snapshot_finding'] LOOP
        FOR slot IN 0..31 LOOP
            EXECUTE pg_catalog.format('CREATE TABLE %s.%I PARTITION OF %s.%I FOR VALUES IN (%s)',
                                      '@extschema@', parent || '_' || slot,
                                      '@extschema@', parent, slot);
            PERFORM pg_catalog.pg_extension_config_dump(
                pg_catalog.format('%s.%I', '@extschema@', parent || '_' || slot)::pg_catalog.regclass, '');
        END LOOP;
    END LOOP;
END
$ring$;
CREATE INDEX ON @extschema@.snapshot_query (queryid, snapshot_id);
CREATE INDEX ON @extschema@.snapshot_relation (relid, snapshot_id);
CREATE INDEX ON @extschema@.snapshot_index (indexrelid, snapshot_id);

REVOKE ALL ON @extschema@.snapshot, @extschema@.snapshot_query, @extschema@.snapshot_query_text,
    @extschema@.snapshot_relation, @extschema@.snapshot_index, @extschema@.snapshot_finding,
    @extschema@.snapshot_query_latest
    FROM PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('@extschema@.snapshot_query_text', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.snapshot_query_latest', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.snapshot_id_seq', '');

-- Operations: snapshots (issue 7; docs/operations.md "Snapshots and retention") --------------
-- dbopt_snapshot() writes one snapshot of this database into today's slot of the history ring
-- (set-based INSERT ... SELECT; the only UPDATEs and DELETEs are the queries' bases in
-- snapshot_query_latest), dbopt_purge() empties whole slots.
-- Both take the transaction-level advisory lock 431148200053 (the migration runner's key + 1):
-- a second snapshot skips, a purge waits. They write the history tables, so they are not
-- granted to PUBLIC; the extension's owner (or a role given EXECUTE and INSERT, SELECT,
-- TRUNCATE on the tables and their partitions) runs them.

CREATE FUNCTION @extschema@.dbopt_snapshot(
    health boolean DEFAULT false)
RETURNS TABLE (
    snapshot_id bigint,
    taken_at timestamptz,
    skipped boolean,
    queries integer,
    relations integer,
    indexes integer,
    findings integer,
    resets text[],
    duration_ms double precision)
LANGUAGE plpgsql CALLED ON NULL INPUT VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $snapshot$
#variable_conflict use_column
DECLARE
    v_started     timestamptz := pg_catalog.clock_timestamp();
    v_day         bigint := pg_catalog.floor(pg_catalog.date_part('epoch', v_started) / 86400)::bigint;
    v_slot        smallint := (v_day % 32)::smallint;
    v_db          oid := (SELECT d.oid FROM pg_catalog.pg_database d
                           WHERE d.datname = pg_catalog.current_database());
    v_id          bigint;
    v_prev        record;
    v_prev_id     bigint;
    v_prev_slot   smallint;
    v_preloaded   boolean;
    v_since       timestamptz;
    v_stats_reset timestamptz;
    v_capture_reset boolean := false;
    v_stats_reset_seen boolean := false;
    v_resets      text[] := '{}';
    v_sources     text[];
    v_queries     integer := 0;
    v_relations   integer := 0;
    v_indexes     integer := 0;
    v_findings    integer := 0;
    v_rows        integer;
    v_nestloop    text;
    v_see_all     boolean := pg_catalog.pg_has_role('pg_read_all_stats', 'USAGE');
    v_me          oid := (SELECT r.oid FROM pg_catalog.pg_roles r WHERE r.rolname = CURRENT_USER);
    v_need_texts  boolean := false;
    v_health_ok   boolean := false;
    v_health_error text;
    v_error_state text;
    v_error_text  text;
BEGIN
    IF pg_catalog.pg_is_in_recovery() THEN
        RAISE EXCEPTION 'dbopt_snapshot() cannot run on a hot standby'
            USING ERRCODE = '25006',
                  HINT = 'Take snapshots on the primary. To keep a standby''s workload, export '
                         'it there with dbopt_export_workload() and import it on the primary '
                         'with dbopt_import_workload().';
    END IF;
    IF health IS NULL THEN
        RAISE EXCEPTION 'health must not be NULL'
            USING ERRCODE = '22004', HINT = 'Pass true (with the health findings) or false.';
    END IF;
    IF NOT pg_catalog.pg_try_advisory_xact_lock(431148200053) THEN
        RAISE NOTICE 'another dbopt_snapshot() or dbopt_purge() is running in this database: this snapshot is skipped';
        RETURN QUERY SELECT NULL::bigint, v_started, true, NULL::integer, NULL::integer,
                            NULL::integer, NULL::integer, NULL::text[], NULL::double precision;
        RETURN;
    END IF;

    -- Ring rotation: today's slot still holding another day's snapshots (32, 64, ... days
    -- ago) is emptied first, in all five tables.
    IF EXISTS (SELECT FROM @extschema@.snapshot s
                WHERE s.slot = v_slot
                  AND pg_catalog.floor(pg_catalog.date_part('epoch', s.taken_at) / 86400)::bigint <> v_day) THEN
        EXECUTE pg_catalog.format('TRUNCATE %1$s.%2$I, %1$s.%3$I, %1$s.%4$I, %1$s.%5$I, %1$s.%6$I',
                                  '@extschema@', 'snapshot_' || v_slot, 'snapshot_query_' || v_slot,
                                  'snapshot_relation_' || v_slot, 'snapshot_index_' || v_slot,
                                  'snapshot_finding_' || v_slot);
    END IF;

    SELECT s.snapshot_id, s.slot, s.sources, s.capture_since, s.stats_reset INTO v_prev
      FROM @extschema@.snapshot s ORDER BY s.taken_at DESC, s.snapshot_id DESC LIMIT 1;
    v_prev_id := v_prev.snapshot_id;
    v_prev_slot := v_prev.slot;
    -- An empty history (the first snapshot, everything purged or rotated out) starts afresh:
    -- no query has a base, every entry is written with its values as deltas.
    IF v_prev_id IS NULL THEN
        TRUNCATE @extschema@.snapshot_query_latest;
    END IF;

    v_preloaded := coalesce((SELECT st.preloaded FROM @extschema@.dbopt_status() st), false);
    IF v_preloaded THEN
        v_since := (SELECT ci.since FROM @extschema@.dbopt_capture_info() ci);
        v_capture_reset := v_prev_id IS NOT NULL AND 'counters' = ANY (v_prev.sources)
                           AND v_prev.capture_since IS DISTINCT FROM v_since;
    ELSE
        RAISE NOTICE 'dbopt is not in shared_preload_libraries: this snapshot holds table and index statistics%, without the capture store''s query counters and anti-pattern findings',
            CASE WHEN health THEN ' and health findings' ELSE '' END;
    END IF;
    v_stats_reset := (SELECT d.stats_reset FROM pg_catalog.pg_stat_database d WHERE d.datid = v_db);
    v_stats_reset_seen := v_prev_id IS NOT NULL AND v_prev.stats_reset IS DISTINCT FROM v_stats_reset;
    IF v_capture_reset THEN v_resets := v_resets || 'capture'::text; END IF;
    IF v_stats_reset_seen THEN v_resets := v_resets || 'statistics'::text; END IF;

    v_id := pg_catalog.nextval('@extschema@.snapshot_id_seq');

    -- The joins below match whole sets (this store, these tables, these indexes) with the
    -- previous snapshot's rows: hash joins. Estimates cannot be trusted to say so (the store's
    -- functions estimate a few rows, a slot's partitions are new every day), and a nested
    -- loop over 10,000 rows on each side is quadratic; so nested loops are off for these
    -- statements only, and back as they were before the findings' functions run.
    v_nestloop := pg_catalog.current_setting('enable_nestloop');
    PERFORM pg_catalog.set_config('enable_nestloop', 'off', true);

    -- Per query (this database's entries), against each entry's latest row (the base in
    -- snapshot_query_latest, whatever snapshot wrote it): only the query ids of which some
    -- entry moved are written, every entry of such a query id (a reader summing a query over
    -- users at one snapshot sees all of them), so an absent row means "no change since the
    -- query's previous row". An entry counts from zero (delta = value, counters_reset) when
    -- it is not the one of its base (first_seen changed: evicted and captured again), the
    -- store was reset since (capture_since changed) or a counter went backwards; an entry
    -- without a base is new (delta = value). Bases of entries that left the store, or of
    -- another database (a restored dump), are dropped. The texts the caller could read but
    -- the history lacks are noted for the step after.
    IF v_preloaded THEN
        WITH cur AS MATERIALIZED (
            SELECT q.userid, q.dbid, q.toplevel, q.queryid, q.origin, q.first_seen, q.calls,
                   q.total_exec_time, q.rows, b.queryid IS NOT NULL AS known,
                   b.queryid IS NOT NULL
                   AND (b.first_seen IS DISTINCT FROM q.first_seen
                        OR b.capture_since IS DISTINCT FROM v_since OR b.calls > q.calls
                        OR b.total_exec_time > q.total_exec_time OR b.rows > q.rows) AS reset,
                   b.calls AS base_calls, b.total_exec_time AS base_time, b.rows AS base_rows
              FROM @extschema@.dbopt_queries(false) q
              LEFT JOIN @extschema@.snapshot_query_latest b
                ON b.userid = q.userid AND b.dbid = q.dbid AND b.toplevel = q.toplevel
               AND b.queryid = q.queryid AND b.origin = q.origin
             WHERE q.dbid = v_db),
        moved AS MATERIALIZED (
            SELECT c.*, NOT c.known OR c.reset AS from_zero
              FROM cur c
             WHERE c.queryid IN (SELECT m.queryid FROM cur m
                                  WHERE NOT m.known OR m.reset OR m.calls <> m.base_calls
                                     OR m.total_exec_time <> m.base_time OR m.rows <> m.base_rows)),
        stored AS (
            INSERT INTO @extschema@.snapshot_query (snapshot_id, slot, userid, dbid, toplevel,
                    queryid, origin, calls, total_exec_time, rows, calls_delta, exec_time_delta,
                    rows_delta, counters_reset)
            SELECT v_id, v_slot, m.userid, m.dbid, m.toplevel, m.queryid, m.origin, m.calls,
                   m.total_exec_time, m.rows,
                   CASE WHEN m.from_zero THEN m.calls ELSE m.calls - m.base_calls END,
                   CASE WHEN m.from_zero THEN m.total_exec_time
                        ELSE m.total_exec_time - m.base_time END,
                   CASE WHEN m.from_zero THEN m.rows ELSE m.rows - m.base_rows END,
                   m.reset
              FROM moved m
            RETURNING 1),
        based AS (
            INSERT INTO @extschema@.snapshot_query_latest AS b (userid, dbid, toplevel, queryid,
                    origin, first_seen, capture_since, calls, total_exec_time, rows, snapshot_id,
                    slot)
            SELECT m.userid, m.dbid, m.toplevel, m.queryid, m.origin, m.first_seen, v_since,
                   m.calls, m.total_exec_time, m.rows, v_id, v_slot
              FROM moved m
            ON CONFLICT (userid, dbid, toplevel, queryid, origin) DO UPDATE
               SET first_seen = excluded.first_seen, capture_since = excluded.capture_since,
                   calls = excluded.calls, total_exec_time = excluded.total_exec_time,
                   rows = excluded.rows, snapshot_id = excluded.snapshot_id, slot = excluded.slot
            RETURNING 1),
        gone AS (
            DELETE FROM @extschema@.snapshot_query_latest b
             WHERE b.dbid <> v_db
                OR NOT EXISTS (SELECT FROM cur c
                                WHERE c.userid = b.userid AND c.dbid = b.dbid
                                  AND c.toplevel = b.toplevel AND c.queryid = b.queryid
                                  AND c.origin = b.origin)
            RETURNING 1)
        SELECT (SELECT pg_catalog.count(*) FROM stored),
               EXISTS (SELECT FROM cur c
                        WHERE (v_see_all OR c.userid = v_me)
                          AND NOT EXISTS (SELECT FROM @extschema@.snapshot_query_text t
                                           WHERE t.dbid = c.dbid AND t.queryid = c.queryid))
          INTO v_queries, v_need_texts;

        -- Texts once per query id, read from the store only when a query id the caller may
        -- read (its own user's entries, or all with pg_read_all_stats: the rule of
        -- dbopt_queries()) has none in the history yet. A text hidden from the caller is
        -- never stored, nor looked for again until a snapshot by a role that may read it;
        -- an entry whose text the store does not hold gets a NULL text (not looked for
        -- again), filled in by a later read that finds it.
        IF v_need_texts THEN
            INSERT INTO @extschema@.snapshot_query_text AS t (dbid, queryid, query)
            SELECT DISTINCT ON (q.queryid) q.dbid, q.queryid, q.query
              FROM @extschema@.dbopt_queries(true) q
             WHERE q.dbid = v_db AND (v_see_all OR q.userid = v_me)
               AND q.query IS DISTINCT FROM '<insufficient privilege>'
               AND NOT EXISTS (SELECT FROM @extschema@.snapshot_query_text x
                                WHERE x.dbid = q.dbid AND x.queryid = q.queryid
                                  AND x.query IS NOT NULL)
             ORDER BY q.queryid, q.query IS NULL, q.toplevel DESC
            ON CONFLICT (dbid, queryid) DO UPDATE SET query = excluded.query
             WHERE t.query IS NULL AND excluded.query IS NOT NULL;
        END IF;
    END IF;

    -- Per table: pg_stat_user_tables, and the capture store's executions that scanned it
    -- (gated: dbopt_access_paths() is not called without the preload).
    INSERT INTO @extschema@.snapshot_relation (snapshot_id, slot, relid, relation, seq_scan,
            seq_tup_read, idx_scan, idx_tup_fetch, n_live_tup, n_tup_ins, n_tup_upd, n_tup_del,
            captured_seq_scans, captured_index_scans, seq_scan_delta, seq_tup_read_delta,
            idx_scan_delta, counters_reset)
    SELECT v_id, v_slot, t.relid, pg_catalog.format('%I.%I', t.schemaname, t.relname),
           t.seq_scan, t.seq_tup_read, t.idx_scan, t.idx_tup_fetch, t.n_live_tup, t.n_tup_ins,
           t.n_tup_upd, t.n_tup_del,
           CASE WHEN v_preloaded THEN coalesce(a.seq_scans, 0) END,
           CASE WHEN v_preloaded THEN coalesce(a.index_scans, 0) END,
           CASE WHEN r.reset OR p.relid IS NULL THEN t.seq_scan ELSE t.seq_scan - p.seq_scan END,
           CASE WHEN r.reset OR p.relid IS NULL THEN t.seq_tup_read
                ELSE t.seq_tup_read - p.seq_tup_read END,
           CASE WHEN r.reset OR p.relid IS NULL THEN t.idx_scan
                ELSE t.idx_scan - coalesce(p.idx_scan, 0) END,
           r.reset
      FROM pg_catalog.pg_stat_user_tables t
      LEFT JOIN (SELECT ap.relid,
                        sum(ap.plan_calls) FILTER (WHERE ap.scan_kind = 'seq') AS seq_scans,
                        sum(ap.plan_calls) FILTER (WHERE ap.scan_kind IN ('index', 'index_only', 'bitmap'))
                          AS index_scans
                   FROM @extschema@.dbopt_access_paths() ap
                  WHERE v_preloaded AND ap.dbid = v_db
                  GROUP BY ap.relid) a ON a.relid = t.relid
      LEFT JOIN @extschema@.snapshot_relation p
        ON p.snapshot_id = v_prev_id AND p.slot = v_prev_slot AND p.relid = t.relid
     CROSS JOIN LATERAL (
           SELECT p.relid IS NOT NULL
                  AND (v_stats_reset_seen OR p.seq_scan > t.seq_scan
                       OR p.seq_tup_read > t.seq_tup_read
                       OR coalesce(p.idx_scan, 0) > coalesce(t.idx_scan, 0)) AS reset) r;
    GET DIAGNOSTICS v_relations = ROW_COUNT;

    -- Per index: pg_stat_user_indexes and its size.
    INSERT INTO @extschema@.snapshot_index (snapshot_id, slot, indexrelid, index_name, relation,
            idx_scan, idx_tup_read, idx_tup_fetch, size_bytes, idx_scan_delta, counters_reset)
    SELECT v_id, v_slot, i.indexrelid, pg_catalog.format('%I.%I', i.schemaname, i.indexrelname),
           pg_catalog.format('%I.%I', i.schemaname, i.relname), i.idx_scan, i.idx_tup_read,
           i.idx_tup_fetch, pg_catalog.pg_relation_size(i.indexrelid),
           CASE WHEN r.reset OR p.indexrelid IS NULL THEN i.idx_scan ELSE i.idx_scan - p.idx_scan END,
           r.reset
      FROM pg_catalog.pg_stat_user_indexes i
      LEFT JOIN @extschema@.snapshot_index p
        ON p.snapshot_id = v_prev_id AND p.slot = v_prev_slot AND p.indexrelid = i.indexrelid
     CROSS JOIN LATERAL (
           SELECT p.indexrelid IS NOT NULL
                  AND (v_stats_reset_seen OR p.idx_scan > i.idx_scan) AS reset) r;
    GET DIAGNOSTICS v_indexes = ROW_COUNT;

    PERFORM pg_catalog.set_config('enable_nestloop', v_nestloop, true);

    -- Findings: the workload anti-patterns always (with the preload), the health checks
    -- (with their data checks) when asked.
    IF v_preloaded THEN
        INSERT INTO @extschema@.snapshot_finding (snapshot_id, slot, source, check_id, severity,
                object_type, object_name, message, detail)
        SELECT v_id, v_slot, 'antipatterns', f.check_id, f.severity, f.object_type,
               f.object_name, f.message, f.detail
          FROM @extschema@.dbopt_antipatterns() f;
        GET DIAGNOSTICS v_rows = ROW_COUNT;
        v_findings := v_findings + v_rows;
    END IF;
    -- The health run is the long, fallible part of the nightly snapshot (it reads catalogs
    -- and samples tables): an error in it (a statement_timeout or cancel included: the rest
    -- is a few quick inserts) is rolled back on its own, recorded in health_error with a
    -- WARNING, and the snapshot keeps everything else; 'health' is then not in its sources,
    -- so readers comparing health findings skip it.
    IF health THEN
        BEGIN
            INSERT INTO @extschema@.snapshot_finding (snapshot_id, slot, source, check_id,
                    severity, object_type, object_name, message, detail)
            SELECT v_id, v_slot, 'health', f.check_id, f.severity, f.object_type,
                   f.object_name, f.message, f.detail
              FROM @extschema@.dbopt_health(include_data => true) f;
            GET DIAGNOSTICS v_rows = ROW_COUNT;
            v_findings := v_findings + v_rows;
            v_health_ok := true;
        EXCEPTION WHEN OTHERS OR query_canceled THEN
            GET STACKED DIAGNOSTICS v_error_state = RETURNED_SQLSTATE, v_error_text = MESSAGE_TEXT;
            v_health_error := v_error_state || ': ' || v_error_text;
            RAISE WARNING 'dbopt_snapshot(): the health checks failed, the snapshot is stored without health findings: %',
                v_health_error
                USING HINT = 'The error is kept in snapshot.health_error. Run SELECT * FROM dbopt_health(include_data => true) as the same role to see it again.';
        END;
    END IF;

    v_sources := CASE WHEN v_preloaded THEN ARRAY['counters', 'statistics', 'antipatterns']
                      ELSE ARRAY['statistics'] END
                 || CASE WHEN v_health_ok THEN ARRAY['health'] ELSE '{}'::text[] END;
    INSERT INTO @extschema@.snapshot (snapshot_id, slot, taken_at, sources, previous_id,
            capture_since, stats_reset, resets, queries, relations, indexes, findings, duration_ms,
            health_error)
    VALUES (v_id, v_slot, v_started, v_sources, v_prev_id, v_since, v_stats_reset, v_resets,
            v_queries, v_relations, v_indexes, v_findings,
            1000 * pg_catalog.date_part('epoch', pg_catalog.clock_timestamp() - v_started),
            v_health_error);
    RETURN QUERY
    SELECT s.snapshot_id, s.taken_at, false, s.queries, s.relations, s.indexes, s.findings,
           s.resets, s.duration_ms
      FROM @extschema@.snapshot s WHERE s.snapshot_id = v_id AND s.slot = v_slot;
END
$snapshot$;
COMMENT ON FUNCTION @extschema@.dbopt_snapshot(boolean) IS
  'stores a snapshot of the captured queries that moved, table and index statistics and findings (health => true: also dbopt_health(include_data => true), its failure recorded in health_error) in the history, with deltas';
REVOKE ALL ON FUNCTION @extschema@.dbopt_snapshot(boolean) FROM PUBLIC;

CREATE FUNCTION @extschema@.dbopt_purge(
    older_than interval DEFAULT '30 days')
RETURNS TABLE (
    snapshots_removed bigint,
    slots_truncated integer)
LANGUAGE plpgsql CALLED ON NULL INPUT VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $purge$
#variable_conflict use_column
DECLARE
    v_cutoff  timestamptz;
    v_slot    smallint;
    v_slots   smallint[];
    v_removed bigint;
BEGIN
    IF older_than IS NULL THEN
        RAISE EXCEPTION 'older_than must not be NULL'
            USING ERRCODE = '22004', HINT = 'Pass an interval such as ''30 days'' (the default).';
    END IF;
    IF older_than < interval '0' THEN
        RAISE EXCEPTION 'older_than must not be negative: %', older_than
            USING ERRCODE = '22023', HINT = 'Pass an interval such as ''30 days'' (the default).';
    END IF;
    IF older_than > interval '31 days' THEN
        RAISE EXCEPTION 'older_than % is longer than the history keeps: at most 31 days', older_than
            USING ERRCODE = '22023',
                  HINT = 'The history is a ring of 32 daily slots: a day''s snapshots are overwritten 32 days later. Pass ''31 days'' or less.';
    END IF;
    IF pg_catalog.pg_is_in_recovery() THEN
        RAISE EXCEPTION 'dbopt_purge() cannot run on a hot standby'
            USING ERRCODE = '25006', HINT = 'Purge on the primary; the standby follows.';
    END IF;
    PERFORM pg_catalog.pg_advisory_xact_lock(431148200053);
    v_cutoff := pg_catalog.clock_timestamp() - older_than;

    -- Whole slots only: a slot goes when its newest snapshot is older than the cutoff. (The
    -- slots are read first: TRUNCATE refuses a table an open cursor of this session reads.)
    SELECT coalesce(array_agg(x.slot ORDER BY x.slot), '{}'), coalesce(sum(x.snapshots), 0)
      INTO v_slots, v_removed
      FROM (SELECT s.slot, count(*) AS snapshots FROM @extschema@.snapshot s
             GROUP BY s.slot HAVING max(s.taken_at) < v_cutoff) x;
    FOREACH v_slot IN ARRAY v_slots LOOP
        EXECUTE pg_catalog.format('TRUNCATE %1$s.%2$I, %1$s.%3$I, %1$s.%4$I, %1$s.%5$I, %1$s.%6$I',
                                  '@extschema@', 'snapshot_' || v_slot, 'snapshot_query_' || v_slot,
                                  'snapshot_relation_' || v_slot, 'snapshot_index_' || v_slot,
                                  'snapshot_finding_' || v_slot);
    END LOOP;

    -- A history emptied to the last snapshot starts afresh (as dbopt_snapshot() would): no
    -- query keeps a base.
    IF NOT EXISTS (SELECT FROM @extschema@.snapshot) THEN
        TRUNCATE @extschema@.snapshot_query_latest;
    END IF;
    -- Texts no row refers to: neither a history row nor the base of a query still in the
    -- store (an idle query keeps its text while it has a base).
    DELETE FROM @extschema@.snapshot_query_text t
     WHERE NOT EXISTS (SELECT FROM @extschema@.snapshot_query q
                        WHERE q.queryid = t.queryid AND q.dbid = t.dbid)
       AND NOT EXISTS (SELECT FROM @extschema@.snapshot_query_latest b
                        WHERE b.queryid = t.queryid AND b.dbid = t.dbid);
    RETURN QUERY SELECT v_removed, pg_catalog.cardinality(v_slots);
END
$purge$;
COMMENT ON FUNCTION @extschema@.dbopt_purge(interval) IS
  'empties the history''s daily slots whose newest snapshot is older than older_than (at most 31 days), and the query texts no snapshot refers to';
REVOKE ALL ON FUNCTION @extschema@.dbopt_purge(interval) FROM PUBLIC;

-- Operations: scheduling (issue 7; docs/operations.md "Scheduling") -------------------------
-- dbopt_schedule() registers three jobs with pg_cron, idempotently by job name: dbopt-snapshot
-- (dbopt_snapshot(), every 15 minutes), dbopt-health (dbopt_snapshot(health => true), nightly)
-- and dbopt-purge (dbopt_purge(), daily); dbopt_unschedule() removes them. pg_cron keeps its
-- jobs in one database (cron.database_name) and runs each as the role that scheduled it:
--  * called in the cron database: the jobs are registered there, for this database or, with
--    dbname => 'other', for another one (cron.schedule_in_database; the job names get
--    '@other', pg_cron's names being unique per role; dbopt must be in a schema of the same
--    name there);
--  * called in another database with pg_cron loaded: cron.* cannot be reached from here (no
--    dblink), so a NOTICE gives the exact statements to run in the cron database (action
--    'run_in_cron_database');
--  * without pg_cron: a NOTICE with crontab lines instead (action 'not_scheduled').
-- PostgreSQL has no drop callback, so each job's command is a DO block that does nothing on a
-- hot standby and, once dbopt has been dropped from its database, removes its own job (in the
-- cron database; elsewhere cron.* is out of reach and the job does nothing, successfully).
-- The jobs write dbopt's history as the calling role, so that role must be allowed to (the
-- extension's owner or a superuser; EXECUTE is revoked from PUBLIC) and must have LOGIN.

-- The command of one job: the call, schema-qualified, guarded as described above, then
-- then_sql (more statements, run after the call). job_name NULL: the command for a crontab
-- line, which has no job to remove (after DROP EXTENSION it does nothing).
CREATE FUNCTION @extschema@.dbopt_job_command(job_name text, call text, then_sql text DEFAULT '')
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
SELECT pg_catalog.format(
  'DO $dbopt$ BEGIN IF pg_catalog.pg_is_in_recovery() THEN RETURN; END IF; '
  'IF EXISTS (SELECT FROM pg_catalog.pg_extension WHERE extname = ''dbopt'') THEN PERFORM %s.%s;%s '
  '%sEND IF; END $dbopt$',
  '@extschema@', call,
  CASE WHEN COALESCE(then_sql, '') OPERATOR(pg_catalog.=) '' THEN ''
       ELSE ' ' OPERATOR(pg_catalog.||) then_sql END,
  CASE WHEN job_name IS NULL THEN ''
       ELSE pg_catalog.format('ELSIF EXISTS (SELECT FROM pg_catalog.pg_extension WHERE extname = ''pg_cron'') '
                              'THEN PERFORM cron.unschedule(jobid) FROM cron.job WHERE jobname = %L AND username = CURRENT_USER; ',
                              job_name) END)
$$;
COMMENT ON FUNCTION @extschema@.dbopt_job_command(text, text, text) IS
  'the pg_cron (or crontab) command of a dbopt job: the call, unless on a standby or once dbopt is dropped; a pg_cron job then removes itself';

-- What the purge job does after dbopt_purge() in the cron database: pg_cron's run details of
-- the calling role's dbopt jobs (those of other databases scheduled from here included) that
-- ended before the retention, where the role may delete them (pg_cron grants DELETE to
-- PUBLIC and its row security shows each role its own runs).
CREATE FUNCTION @extschema@.dbopt_run_details_purge(retention interval)
RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
SET intervalstyle = postgres  -- '30 days' in the command
AS $$
SELECT pg_catalog.format(
  'IF EXISTS (SELECT FROM pg_catalog.pg_extension WHERE extname = ''pg_cron'') '
  'AND pg_catalog.has_table_privilege(pg_catalog.to_regclass(''cron.job_run_details''), ''DELETE'') '
  'THEN DELETE FROM cron.job_run_details WHERE end_time < pg_catalog.now() - %L::interval '
  'AND jobid IN (SELECT jobid FROM cron.job WHERE username = CURRENT_USER '
  'AND jobname ~ ''^dbopt-(snapshot|health|purge)(@.*)?$''); END IF;',
  retention)
$$;
COMMENT ON FUNCTION @extschema@.dbopt_run_details_purge(interval) IS
  'internal: the statement of the purge job that deletes pg_cron''s run details of dbopt''s jobs older than the retention';

-- A word for a POSIX shell command line: single-quoted.
CREATE FUNCTION @extschema@.dbopt_shell_quote(word text)
RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$ SELECT '''' OPERATOR(pg_catalog.||) pg_catalog.replace(word, '''', '''\''''')
             OPERATOR(pg_catalog.||) '''' $$;
COMMENT ON FUNCTION @extschema@.dbopt_shell_quote(text) IS 'a word single-quoted for a POSIX shell';

-- The database pg_cron keeps its jobs in (cron.database_name), NULL when pg_cron is not
-- loaded. The setting is readable by superusers and pg_read_all_settings only; for another
-- role: this database when pg_cron is created here (CREATE EXTENSION pg_cron works in that
-- database only), else the placeholder '<cron.database_name>'.
CREATE FUNCTION @extschema@.dbopt_cron_database()
RETURNS text
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  RETURN pg_catalog.current_setting('cron.database_name', true);
EXCEPTION WHEN insufficient_privilege THEN
  RETURN CASE WHEN EXISTS (SELECT FROM pg_catalog.pg_extension WHERE extname = 'pg_cron')
              THEN pg_catalog.current_database() ELSE '<cron.database_name>' END;
END $$;
COMMENT ON FUNCTION @extschema@.dbopt_cron_database() IS
  'internal: pg_cron''s database (cron.database_name) as far as the caller may know it; NULL without pg_cron';

-- Where pg_cron is, seen from here: 'cron' (this is the cron database, pg_cron created),
-- 'elsewhere' (another database is), 'not_created' (this is, CREATE EXTENSION pg_cron missing),
-- 'absent' (pg_cron not loaded).
CREATE FUNCTION @extschema@.dbopt_cron_mode()
RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
SELECT CASE
  WHEN @extschema@.dbopt_cron_database() IS NULL THEN 'absent'
  WHEN @extschema@.dbopt_cron_database() OPERATOR(pg_catalog.<>)
       pg_catalog.current_database() THEN 'elsewhere'
  WHEN EXISTS (SELECT FROM pg_catalog.pg_extension WHERE extname OPERATOR(pg_catalog.=) 'pg_cron')
    THEN 'cron'
  ELSE 'not_created' END
$$;
COMMENT ON FUNCTION @extschema@.dbopt_cron_mode() IS
  'where pg_cron is, seen from this database: cron, elsewhere, not_created or absent';

CREATE FUNCTION @extschema@.dbopt_schedule(
    dbname text DEFAULT NULL,
    snapshot_schedule text DEFAULT '*/15 * * * *',
    health_schedule text DEFAULT '7 3 * * *',
    purge_schedule text DEFAULT '37 3 * * *',
    retention interval DEFAULT NULL)
RETURNS TABLE (job_name text, schedule text, command text, database text, jobid bigint, action text)
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
SET intervalstyle = postgres  -- the retention in the commands: '14 days'
AS $$
DECLARE
  target text := coalesce(dbname, current_database());
  cron_db text := @extschema@.dbopt_cron_database();
  mode text := @extschema@.dbopt_cron_mode();
  job record;
  old record;
  found_old boolean;
  lines text[] := '{}';
BEGIN
  IF snapshot_schedule IS NULL OR health_schedule IS NULL OR purge_schedule IS NULL THEN
    RAISE EXCEPTION 'a schedule must not be NULL'
      USING ERRCODE = 'null_value_not_allowed',
            HINT = 'to do without one job, schedule all three, then remove it in the cron database: SELECT cron.unschedule(''dbopt-health'')';
  END IF;
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_database d WHERE d.datname = target) THEN
    RAISE EXCEPTION 'database "%" does not exist', target USING ERRCODE = 'invalid_catalog_name';
  END IF;
  IF pg_is_in_recovery() THEN
    RAISE EXCEPTION 'cannot schedule dbopt''s jobs on a standby'
      USING ERRCODE = 'read_only_sql_transaction', HINT = 'call dbopt_schedule() on the primary';
  END IF;
  -- The jobs will run as this role: it must be able to write the history, and to log in.
  IF NOT has_table_privilege('@extschema@.snapshot', 'INSERT') THEN
    RAISE EXCEPTION 'the jobs would run as role "%", which cannot write dbopt''s history', current_user
      USING ERRCODE = 'insufficient_privilege',
            HINT = 'call dbopt_schedule() as the extension''s owner or a superuser: pg_cron runs each job as the role that scheduled it';
  END IF;
  IF NOT (SELECT r.rolcanlogin FROM pg_catalog.pg_roles r WHERE r.rolname = current_user) THEN
    RAISE EXCEPTION 'the jobs would run as role "%", which cannot log in', current_user
      USING ERRCODE = 'insufficient_privilege',
            HINT = 'call dbopt_schedule() as a role with LOGIN: pg_cron runs each job as the role that scheduled it';
  END IF;
  IF mode = 'cron' AND target <> cron_db
     AND NOT has_function_privilege('cron.schedule_in_database(text,text,text,text,text,boolean)', 'EXECUTE') THEN
    RAISE EXCEPTION 'permission denied to schedule jobs in database "%"', target
      USING ERRCODE = 'insufficient_privilege',
            HINT = format('as a superuser: GRANT EXECUTE ON FUNCTION cron.schedule_in_database(text,text,text,text,text,boolean) TO %I;', current_user);
  END IF;

  FOR job IN
    SELECT 'dbopt-' || k.kind || CASE WHEN cron_db IS NOT NULL AND target <> cron_db
                                      THEN '@' || target ELSE '' END AS name,
           k.ord, k.sched, k.call
      FROM (VALUES (1, 'snapshot', snapshot_schedule, 'dbopt_snapshot()'),
                   (2, 'health', health_schedule, 'dbopt_snapshot(health => true)'),
                   (3, 'purge', purge_schedule,
                    CASE WHEN retention IS NULL THEN 'dbopt_purge()'
                         ELSE format('dbopt_purge(older_than => %L::interval)', retention) END))
           AS k(ord, kind, sched, call)
     ORDER BY k.ord
  LOOP
    job_name := job.name;
    schedule := job.sched;
    command := @extschema@.dbopt_job_command(job.name, job.call,
      CASE WHEN job.ord = 3 THEN @extschema@.dbopt_run_details_purge(COALESCE(retention, '30 days'))
           ELSE '' END);
    database := target;
    jobid := NULL;
    IF mode = 'cron' THEN
      SELECT j.jobid, j.schedule, j.command, j.database, j.active INTO old
        FROM cron.job j WHERE j.jobname = job_name AND j.username = current_user;
      found_old := FOUND;
      IF found_old AND old.schedule = schedule AND old.command = command
         AND old.database = target AND old.active THEN
        jobid := old.jobid;
        action := 'unchanged';
      ELSE
        IF found_old AND (old.database <> target OR NOT old.active) THEN
          PERFORM cron.unschedule(old.jobid);  -- pg_cron's upsert by name would keep these
        END IF;
        IF target = cron_db THEN
          jobid := cron.schedule(job_name, schedule, command);
        ELSE
          jobid := cron.schedule_in_database(job_name, schedule, command, target);
        END IF;
        action := CASE WHEN found_old THEN 'updated' ELSE 'created' END;
      END IF;
    ELSIF mode = 'elsewhere' THEN
      action := 'run_in_cron_database';
      lines := lines || CASE WHEN target = cron_db
        THEN format('SELECT cron.schedule(%L, %L, %L);', job_name, schedule, command)
        ELSE format('SELECT cron.schedule_in_database(%L, %L, %L, %L);', job_name, schedule,
                    command, target) END;
    ELSE
      action := 'not_scheduled';
      -- crontab: % ends the command unless escaped. The same guards as the pg_cron command
      -- (nothing on a standby, nothing once dbopt is dropped), minus the self-removal.
      lines := lines || replace(format('%s psql -X -q -U %s -d %s -c %s', schedule,
        @extschema@.dbopt_shell_quote(current_user), @extschema@.dbopt_shell_quote(target),
        @extschema@.dbopt_shell_quote(@extschema@.dbopt_job_command(NULL, job.call))), '%', '\%');
    END IF;
    RETURN NEXT;
  END LOOP;

  IF mode = 'elsewhere' THEN
    RAISE NOTICE 'pg_cron keeps its jobs in database "%": nothing was scheduled from here', cron_db
      USING DETAIL = format(E'run these in database "%s" as role "%s":\n%s', cron_db, current_user,
                            array_to_string(lines, E'\n')),
            HINT = format('or install dbopt in database "%s" too and call dbopt_schedule(dbname => %L) there',
                          cron_db, target);
  ELSIF mode <> 'cron' THEN
    RAISE NOTICE '%', CASE WHEN mode = 'absent' THEN 'pg_cron is not loaded: nothing was scheduled'
                           ELSE 'pg_cron is not created in this database: nothing was scheduled' END
      USING DETAIL = format(E'crontab lines to use instead (crontab -e, as an OS user psql can connect with):\n%s',
                            array_to_string(lines, E'\n')),
            HINT = CASE WHEN mode = 'absent'
              THEN 'or install pg_cron: add it to shared_preload_libraries, set cron.database_name, restart, CREATE EXTENSION pg_cron in that database and call dbopt_schedule() there'
              ELSE 'or run CREATE EXTENSION pg_cron here, then dbopt_schedule() again' END;
  END IF;
END $$;
COMMENT ON FUNCTION @extschema@.dbopt_schedule(text, text, text, text, interval) IS
  'registers dbopt''s snapshot, health and purge jobs with pg_cron (idempotent, by job name); without pg_cron, a NOTICE with crontab lines';
REVOKE ALL ON FUNCTION @extschema@.dbopt_schedule(text, text, text, text, interval) FROM PUBLIC;

CREATE FUNCTION @extschema@.dbopt_unschedule(dbname text DEFAULT NULL)
RETURNS TABLE (job_name text, jobid bigint)
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  target text := coalesce(dbname, current_database());
  cron_db text := @extschema@.dbopt_cron_database();
  mode text := @extschema@.dbopt_cron_mode();
  names text[];
BEGIN
  SELECT array_agg('dbopt-' || k.kind || CASE WHEN cron_db IS NOT NULL AND target <> cron_db
                                              THEN '@' || target ELSE '' END ORDER BY k.ord)
    INTO names
    FROM (VALUES (1, 'snapshot'), (2, 'health'), (3, 'purge')) AS k(ord, kind);
  IF mode = 'cron' THEN
    FOR job_name, jobid IN
      SELECT j.jobname, j.jobid FROM cron.job j
       WHERE j.jobname = ANY (names) AND j.username = current_user
       ORDER BY array_position(names, j.jobname::text)
    LOOP
      PERFORM cron.unschedule(jobid);
      RETURN NEXT;
    END LOOP;
  ELSIF mode = 'elsewhere' THEN
    RAISE NOTICE 'pg_cron keeps its jobs in database "%": nothing was unscheduled from here', cron_db
      USING DETAIL = format('run this in database "%s" as role "%s":%sSELECT cron.unschedule(jobid) FROM cron.job WHERE jobname IN (%s) AND username = CURRENT_USER;',
                            cron_db, current_user, E'\n',
                            (SELECT string_agg(quote_literal(n), ', ') FROM unnest(names) n));
  ELSE
    RAISE NOTICE 'pg_cron is not %: nothing was unscheduled',
                 CASE WHEN mode = 'absent' THEN 'loaded' ELSE 'created in this database' END
      USING HINT = 'remove the dbopt lines from the crontab if you added them';
  END IF;
END $$;
COMMENT ON FUNCTION @extschema@.dbopt_unschedule(text) IS
  'removes dbopt''s pg_cron jobs (those of the calling role), one row per job removed';
REVOKE ALL ON FUNCTION @extschema@.dbopt_unschedule(text) FROM PUBLIC;

-- Operations: trends (issue 7; docs/operations.md "Outcomes and trends") ---------------------
-- Readers of the history above and of applied_index / applied_index_baseline: the realized
-- benefit of applied indexes, and trends per query, per table, per index and per finding.
-- Plain set-based SQL over the parent tables (never a slot). Conventions shared by all:
-- counters are this database's (dbid = current_database()) and the server's own ('local'
-- origin, not imported workloads); an interval is a snapshot with a previous one
-- (previous_id IS NOT NULL; a first snapshot's deltas have no interval); an interval belongs
-- to the window its end (taken_at) falls in. Readable by whoever may read the history tables
-- (their owner and superusers unless granted): others get 42501 with a hint.

-- Argument and privilege checks shared by the functions below (a set-returning SQL function
-- cannot raise by itself). tables: the extension's tables the caller reads.
CREATE FUNCTION @extschema@.dbopt_history_check(
    tables text[],
    since timestamptz DEFAULT '-infinity',
    top integer DEFAULT 1)
RETURNS void
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    t text;
BEGIN
    IF since IS NULL THEN
        RAISE EXCEPTION 'since must not be NULL' USING ERRCODE = '22004',
            HINT = 'Pass the start of the window, e.g. since => now() - interval ''7 days''.';
    END IF;
    IF since > pg_catalog.clock_timestamp() THEN
        RAISE EXCEPTION 'since is in the future: %', since USING ERRCODE = '22023',
            HINT = 'Pass the start of the window, a time in the past, e.g. since => now() - interval ''7 days''.';
    END IF;
    IF top IS NULL THEN
        RAISE EXCEPTION 'top must not be NULL' USING ERRCODE = '22004',
            HINT = 'Pass how many queries to show, e.g. top => 10.';
    END IF;
    IF top < 1 THEN
        RAISE EXCEPTION 'top must be at least 1, not %', top USING ERRCODE = '22023',
            HINT = 'Pass how many queries to show, e.g. top => 10.';
    END IF;
    FOREACH t IN ARRAY tables LOOP
        IF NOT pg_catalog.has_table_privilege(pg_catalog.format('%s.%I', '@extschema@', t), 'SELECT') THEN
            RAISE EXCEPTION 'permission denied for table %.%', '@extschema@', t USING ERRCODE = '42501',
                HINT = pg_catalog.format('The dbopt history is readable by the extension''s owner and superusers; '
                                         'one of them may GRANT SELECT ON %s.%I TO %I.',
                                         '@extschema@', t, current_user);
        END IF;
    END LOOP;
END
$fn$;
COMMENT ON FUNCTION @extschema@.dbopt_history_check(text[], timestamptz, integer) IS
  'internal: the argument and privilege checks of the trend functions';

-- Per applied index and per query of its baseline, calls and mean time before (the baseline)
-- and after. After = since the baseline's captured_at: at the first snapshot after it, the
-- cumulative counters minus the baseline's (or, when the counters were reset after the
-- baseline or went below it, the cumulative counters: everything since the reset); at each
-- later snapshot, its deltas. No negative numbers, resets included. index_scans_since: at the
-- first snapshot after applied_at holding the index, its cumulative idx_scan (the index was
-- new), then its deltas; for a partitioned index, summed over its partitions' indexes. The
-- status rules are in the final CASE (docs/operations.md).
CREATE FUNCTION @extschema@.dbopt_recommendation_outcomes(
    improved_below double precision DEFAULT 0.8,
    regressed_above double precision DEFAULT 1.25,
    min_calls bigint DEFAULT 10)
RETURNS TABLE (apply_id bigint, index_name text, applied_at timestamptz, queryid bigint,
               query text, calls_before bigint, mean_ms_before double precision,
               calls_after bigint, mean_ms_after double precision,
               promised_ratio double precision, realized_ratio double precision,
               index_scans_since bigint, status text)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $fn$
#variable_conflict use_column
BEGIN
    IF improved_below IS NULL OR regressed_above IS NULL OR min_calls IS NULL THEN
        RAISE EXCEPTION 'improved_below, regressed_above and min_calls must not be NULL'
            USING ERRCODE = '22004', HINT = 'Leave them out for the defaults (0.8, 1.25, 10).';
    END IF;
    IF NOT (improved_below > 0 AND improved_below <= 1) THEN
        RAISE EXCEPTION 'improved_below must be in (0, 1], not %', improved_below USING ERRCODE = '22023',
            HINT = 'A query improved when its mean time after is at most this fraction of before, e.g. 0.8.';
    END IF;
    IF NOT (regressed_above >= 1 AND regressed_above < 'infinity') THEN
        RAISE EXCEPTION 'regressed_above must be at least 1, not %', regressed_above USING ERRCODE = '22023',
            HINT = 'A query regressed when its mean time after is at least this multiple of before, e.g. 1.25.';
    END IF;
    IF min_calls < 0 THEN
        RAISE EXCEPTION 'min_calls must not be negative, not %', min_calls USING ERRCODE = '22023',
            HINT = 'The calls after the index needed before judging it, e.g. 10.';
    END IF;
    PERFORM @extschema@.dbopt_history_check(ARRAY['applied_index', 'applied_index_baseline',
        'snapshot', 'snapshot_query', 'snapshot_index']);

    RETURN QUERY
    WITH base AS (
        SELECT a.apply_id, a.index_name, a.applied_at, pg_catalog.to_regclass(a.index_name) AS idx,
               b.queryid, b.query, b.calls, b.total_time_ms, b.mean_time_ms, b.cost_before,
               b.cost_after, b.captured_at
          FROM @extschema@.applied_index a
          JOIN @extschema@.applied_index_baseline b ON b.apply_id = a.apply_id),
    -- the query's counters at each snapshot after its baseline, summed over users
    per_snapshot AS (
        SELECT base.apply_id, base.queryid, s.taken_at,
               pg_catalog.sum(q.calls) AS calls, pg_catalog.sum(q.total_exec_time) AS total,
               pg_catalog.sum(q.calls_delta) AS calls_delta,
               pg_catalog.sum(q.exec_time_delta) AS time_delta,
               pg_catalog.bool_or(q.counters_reset)
                   AND (s.capture_since IS NULL OR s.capture_since > base.captured_at) AS reset_since,
               pg_catalog.row_number() OVER (PARTITION BY base.apply_id, base.queryid
                                             ORDER BY s.taken_at) AS n
          FROM base
          JOIN @extschema@.snapshot_query q ON q.queryid = base.queryid
          JOIN @extschema@.snapshot s ON s.snapshot_id = q.snapshot_id AND s.slot = q.slot
         WHERE s.taken_at > base.captured_at
           AND q.origin = 'local'
           AND q.dbid = (SELECT d.oid FROM pg_catalog.pg_database d
                          WHERE d.datname = pg_catalog.current_database())
         GROUP BY base.apply_id, base.queryid, s.snapshot_id, s.taken_at, s.capture_since,
                  base.captured_at),
    after AS (
        SELECT p.apply_id, p.queryid,
               pg_catalog.sum(CASE WHEN p.n > 1 THEN p.calls_delta
                                   WHEN p.reset_since OR p.calls < COALESCE(b.calls, 0)
                                       THEN p.calls
                                   ELSE p.calls - COALESCE(b.calls, 0) END) AS calls,
               pg_catalog.sum(CASE WHEN p.n > 1 THEN p.time_delta
                                   WHEN p.reset_since OR p.calls < COALESCE(b.calls, 0)
                                       THEN p.total
                                   ELSE GREATEST(p.total - COALESCE(b.total_time_ms, 0), 0)
                              END) AS total
          FROM per_snapshot p
          JOIN base b ON b.apply_id = p.apply_id AND b.queryid = p.queryid
         GROUP BY p.apply_id, p.queryid),
    -- the index's scans at each snapshot after it was applied: the existing index by oid
    -- (a partitioned one: its partitions' indexes, which hold the scans), a dropped one by name
    applied AS (
        SELECT a.apply_id, a.index_name, a.applied_at, pg_catalog.to_regclass(a.index_name) AS idx
          FROM @extschema@.applied_index a),
    members AS (
        SELECT ap.apply_id, ap.applied_at, ap.idx::pg_catalog.oid AS indexrelid
          FROM applied ap WHERE ap.idx IS NOT NULL
        UNION
        SELECT ap.apply_id, ap.applied_at, t.relid::pg_catalog.oid
          FROM applied ap, pg_catalog.pg_partition_tree(ap.idx) t
         WHERE ap.idx IS NOT NULL AND t.isleaf),
    index_rows AS (
        SELECT m.apply_id, i.indexrelid, s.taken_at, i.idx_scan, i.idx_scan_delta
          FROM members m
          JOIN @extschema@.snapshot_index i ON i.indexrelid = m.indexrelid
          JOIN @extschema@.snapshot s ON s.snapshot_id = i.snapshot_id AND s.slot = i.slot
         WHERE s.taken_at > m.applied_at
        UNION ALL
        SELECT ap.apply_id, i.indexrelid, s.taken_at, i.idx_scan, i.idx_scan_delta
          FROM applied ap
          JOIN @extschema@.snapshot_index i ON i.index_name = ap.index_name
          JOIN @extschema@.snapshot s ON s.snapshot_id = i.snapshot_id AND s.slot = i.slot
         WHERE ap.idx IS NULL AND s.taken_at > ap.applied_at),
    -- each index's first row after it was applied: its cumulative scans (it was new)
    scans AS (
        SELECT r.apply_id, pg_catalog.sum(r.scans)::bigint AS scans
          FROM (SELECT r.apply_id,
                       CASE WHEN pg_catalog.row_number() OVER (PARTITION BY r.apply_id, r.indexrelid
                                                               ORDER BY r.taken_at) = 1
                            THEN r.idx_scan ELSE r.idx_scan_delta END AS scans
                  FROM index_rows r) r
         GROUP BY r.apply_id),
    measured AS (
        SELECT b.*, COALESCE(af.calls, 0)::bigint AS calls_after,
               af.total / NULLIF(af.calls, 0) AS mean_after,
               sc.scans
          FROM base b
          LEFT JOIN after af ON af.apply_id = b.apply_id AND af.queryid = b.queryid
          LEFT JOIN scans sc ON sc.apply_id = b.apply_id)
    SELECT m.apply_id, m.index_name, m.applied_at, m.queryid, m.query, m.calls,
           m.mean_time_ms, m.calls_after, m.mean_after,
           m.cost_after / NULLIF(m.cost_before, 0),
           m.mean_after / NULLIF(m.mean_time_ms, 0),
           m.scans,
           CASE WHEN m.idx IS NULL THEN 'index_dropped'
                WHEN m.mean_time_ms IS NULL OR m.mean_time_ms <= 0 THEN 'no_baseline'
                WHEN m.calls_after = 0 OR m.calls_after < min_calls THEN 'awaiting_data'
                WHEN m.scans = 0 THEN 'index_unused'
                WHEN m.mean_after / m.mean_time_ms <= improved_below THEN 'improved'
                WHEN m.mean_after / m.mean_time_ms >= regressed_above THEN 'regressed'
                ELSE 'no_change' END
      FROM measured m
     ORDER BY m.apply_id, m.queryid;
END
$fn$;
COMMENT ON FUNCTION @extschema@.dbopt_recommendation_outcomes(double precision, double precision, bigint) IS
  'per index applied by dbopt advise --apply and query it was meant to help: calls and mean time before and after, promised and realized ratios, index scans since, status';

-- Per query and snapshot interval since `since`: calls, mean and total time. One query
-- (queryid) or the `top` queries by total time in the window.
CREATE FUNCTION @extschema@.dbopt_query_trend(
    queryid bigint DEFAULT NULL,
    since timestamptz DEFAULT pg_catalog.now() - interval '7 days',
    top integer DEFAULT 10)
RETURNS TABLE (queryid bigint, query text, snapshot_id bigint, taken_at timestamptz,
               calls bigint, mean_ms double precision, total_ms double precision)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $fn$
SELECT @extschema@.dbopt_history_check(ARRAY['snapshot', 'snapshot_query', 'snapshot_query_text'], $2, $3);
WITH db AS (
    SELECT d.oid FROM pg_catalog.pg_database d WHERE d.datname = pg_catalog.current_database()),
-- the window's rows: read twice, once to pick the queries, once for their intervals
counted AS NOT MATERIALIZED (
    SELECT q.queryid, q.snapshot_id, q.slot, q.calls_delta, q.exec_time_delta
      FROM @extschema@.snapshot_query q
     WHERE q.dbid = (SELECT oid FROM db) AND q.origin = 'local'
       AND ($1 IS NULL OR q.queryid = $1)
       AND (q.snapshot_id, q.slot) IN (SELECT s.snapshot_id, s.slot FROM @extschema@.snapshot s
                                        WHERE s.taken_at > $2 AND s.previous_id IS NOT NULL)),
picked AS (
    SELECT c.queryid,
           pg_catalog.row_number() OVER (ORDER BY pg_catalog.sum(c.exec_time_delta) DESC, c.queryid) AS rank
      FROM counted c GROUP BY c.queryid
    HAVING pg_catalog.bool_or(c.calls_delta > 0)
     ORDER BY rank LIMIT $3),
intervals AS (
    SELECT c.queryid, c.snapshot_id, c.slot, pg_catalog.sum(c.calls_delta)::bigint AS calls,
           pg_catalog.sum(c.exec_time_delta) AS total_ms
      FROM counted c JOIN picked p ON p.queryid = c.queryid
     GROUP BY c.queryid, c.snapshot_id, c.slot
    HAVING pg_catalog.sum(c.calls_delta) > 0)
SELECT i.queryid, t.query, i.snapshot_id, s.taken_at, i.calls, i.total_ms / i.calls, i.total_ms
  FROM intervals i
  JOIN picked p ON p.queryid = i.queryid
  JOIN @extschema@.snapshot s ON s.snapshot_id = i.snapshot_id AND s.slot = i.slot
  LEFT JOIN @extschema@.snapshot_query_text t ON t.dbid = (SELECT oid FROM db) AND t.queryid = i.queryid
 ORDER BY p.rank, s.taken_at;
$fn$;
COMMENT ON FUNCTION @extschema@.dbopt_query_trend(bigint, timestamptz, integer) IS
  'per snapshot interval since a time: calls, mean and total time of one query, or of the top queries by total time';

-- Per table: sequential scans per hour in the intervals ending after `since` against those
-- ending before, rows read by them since, and the ratio (NULL when nothing to compare with).
CREATE FUNCTION @extschema@.dbopt_seq_scan_growth(
    since timestamptz DEFAULT pg_catalog.now() - interval '7 days')
RETURNS TABLE (relation text, seq_scans_before_rate double precision,
               seq_scans_recent_rate double precision, seq_tup_read_recent bigint,
               growth double precision)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $fn$
SELECT @extschema@.dbopt_history_check(ARRAY['snapshot', 'snapshot_relation'], $1);
WITH intervals AS (
    SELECT r.relid, r.relation, s.taken_at, s.taken_at > $1 AS recent,
           pg_catalog.date_part('epoch', s.taken_at - p.taken_at) / 3600.0 AS hours,
           r.seq_scan_delta, r.seq_tup_read_delta
      FROM @extschema@.snapshot s
      JOIN @extschema@.snapshot p ON p.snapshot_id = s.previous_id
      JOIN @extschema@.snapshot_relation r ON r.snapshot_id = s.snapshot_id AND r.slot = s.slot
     WHERE s.taken_at > p.taken_at),
rates AS (
    SELECT (pg_catalog.array_agg(i.relation ORDER BY i.taken_at DESC))[1] AS relation,
           pg_catalog.sum(i.seq_scan_delta) FILTER (WHERE NOT i.recent)
               / NULLIF(pg_catalog.sum(i.hours) FILTER (WHERE NOT i.recent), 0) AS before_rate,
           pg_catalog.sum(i.seq_scan_delta) FILTER (WHERE i.recent)
               / NULLIF(pg_catalog.sum(i.hours) FILTER (WHERE i.recent), 0) AS recent_rate,
           pg_catalog.sum(i.seq_tup_read_delta) FILTER (WHERE i.recent)::bigint AS tup_read
      FROM intervals i
     GROUP BY i.relid
    HAVING pg_catalog.sum(i.seq_scan_delta) > 0)
SELECT r.relation, r.before_rate, r.recent_rate, r.tup_read,
       r.recent_rate / NULLIF(r.before_rate, 0)
  FROM rates r
 ORDER BY r.recent_rate / NULLIF(r.before_rate, 0) DESC NULLS FIRST, r.recent_rate DESC NULLS LAST,
          r.relation;
$fn$;
COMMENT ON FUNCTION @extschema@.dbopt_seq_scan_growth(timestamptz) IS
  'per table: sequential scans per hour since a time against before it, and the growth ratio';

-- Indexes the history saw scanned up to `since` and not after it, still present in the
-- latest snapshot: candidates for dropping. An index's scans: its cumulative idx_scan at the
-- first snapshot holding it, then its deltas. A partitioned index counts the scans of its
-- partitions' indexes (pg_stat_user_indexes has rows for those only) and is listed once, by
-- itself. Like dbopt_health()'s index_unused, never listed: indexes that are needed whatever
-- their scans, i.e. unique, primary key and exclusion indexes, indexes backing a constraint
-- or referenced by a foreign key, replica identity indexes, invalid ones, and the index that
-- serves a foreign key's lookup (dbopt_check_fk_coverage()'s covering_index; only asked when
-- some index is left to list).
CREATE FUNCTION @extschema@.dbopt_unused_since(
    since timestamptz DEFAULT pg_catalog.now() - interval '7 days')
RETURNS TABLE (index_name text, relation text, last_used timestamptz, scans_before bigint,
               size_bytes bigint)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $fn$
SELECT @extschema@.dbopt_history_check(ARRAY['snapshot', 'snapshot_index'], $1);
WITH latest AS (
    SELECT s.snapshot_id, s.slot FROM @extschema@.snapshot s ORDER BY s.taken_at DESC LIMIT 1),
present AS (
    SELECT i.indexrelid, i.index_name, i.relation, i.size_bytes,
           -- the partitioned index a partition's index is attached to, at the top (else itself)
           COALESCE(pg_catalog.pg_partition_root(i.indexrelid::pg_catalog.regclass)::pg_catalog.oid,
                    i.indexrelid) AS top
      FROM @extschema@.snapshot_index i JOIN latest l ON l.snapshot_id = i.snapshot_id AND l.slot = i.slot),
history AS (
    SELECT i.indexrelid, s.taken_at, i.idx_scan, i.idx_scan_delta
      FROM @extschema@.snapshot_index i
      JOIN @extschema@.snapshot s ON s.snapshot_id = i.snapshot_id AND s.slot = i.slot
     WHERE i.indexrelid IN (SELECT p.indexrelid FROM present p)),
firsts AS (
    SELECT h.indexrelid, pg_catalog.min(h.taken_at) AS first_at FROM history h GROUP BY h.indexrelid),
scans AS (
    SELECT h.indexrelid, h.taken_at,
           CASE WHEN h.taken_at = f.first_at THEN h.idx_scan ELSE h.idx_scan_delta END AS scans
      FROM history h JOIN firsts f ON f.indexrelid = h.indexrelid),
per_index AS (
    SELECT p.top,
           pg_catalog.max(x.taken_at) FILTER (WHERE x.taken_at <= $1 AND x.scans > 0) AS last_used,
           pg_catalog.sum(x.scans) FILTER (WHERE x.taken_at <= $1)::bigint AS scans_before,
           pg_catalog.sum(x.scans) FILTER (WHERE x.taken_at > $1) AS scans_since
      FROM scans x JOIN present p ON p.indexrelid = x.indexrelid
     GROUP BY p.top
    HAVING pg_catalog.count(*) FILTER (WHERE x.taken_at > $1) > 0),
-- needed whatever their scans (the index itself, or one of its partitions' indexes)
needed AS (
    SELECT p.top
      FROM present p
      JOIN pg_catalog.pg_index x ON x.indexrelid IN (p.top, p.indexrelid)
     WHERE x.indisunique OR x.indisprimary OR x.indisexclusion OR x.indisreplident
        OR NOT x.indisvalid OR NOT x.indisready
        OR EXISTS (SELECT FROM pg_catalog.pg_constraint c WHERE c.conindid = x.indexrelid)),
listed AS (
    SELECT x.top, x.last_used, x.scans_before,
           CASE WHEN x.top = ANY (pg_catalog.array_agg(p.indexrelid)) THEN pg_catalog.min(p.index_name)
                ELSE (SELECT pg_catalog.format('%I.%I', n.nspname, c.relname)
                        FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                       WHERE c.oid = x.top) END AS index_name,
           CASE WHEN x.top = ANY (pg_catalog.array_agg(p.indexrelid)) THEN pg_catalog.min(p.relation)
                ELSE (SELECT pg_catalog.format('%I.%I', n.nspname, c.relname)
                        FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
                        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                       WHERE i.indexrelid = x.top) END AS relation,
           pg_catalog.sum(p.size_bytes)::bigint AS size_bytes
      FROM per_index x JOIN present p ON p.top = x.top
     WHERE x.scans_before > 0 AND COALESCE(x.scans_since, 0) = 0
       AND x.top NOT IN (SELECT n.top FROM needed n)
     GROUP BY x.top, x.last_used, x.scans_before)
SELECT l.index_name, l.relation, l.last_used, l.scans_before, l.size_bytes
  FROM listed l
 -- the index a foreign key's lookup uses: asked only here, for the indexes left to list
 WHERE NOT (l.top = ANY (SELECT pg_catalog.to_regclass(f.covering_index)::pg_catalog.oid
                           FROM @extschema@.dbopt_check_fk_coverage() f
                          WHERE pg_catalog.to_regclass(f.covering_index) IS NOT NULL))
 ORDER BY l.size_bytes DESC NULLS LAST, l.index_name;
$fn$;
COMMENT ON FUNCTION @extschema@.dbopt_unused_since(timestamptz) IS
  'indexes scanned before a time and not since (still present in the latest snapshot)';

-- Findings that appeared or were fixed: per source, the latest snapshot holding that source
-- against the last one at or before `since` (or, when the history starts later, the first
-- one). A finding's identity: source, check_id, object_name.
CREATE FUNCTION @extschema@.dbopt_finding_changes(
    since timestamptz DEFAULT pg_catalog.now() - interval '1 day')
RETURNS TABLE (change text, source text, check_id text, severity text, object_type text,
               object_name text, message text, first_seen timestamptz, last_seen timestamptz)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $fn$
SELECT @extschema@.dbopt_history_check(ARRAY['snapshot', 'snapshot_finding'], $1);
-- identity key: (source, check_id, object_name IS NULL, COALESCE(object_name, '')), hashable
WITH held AS (
    SELECT u.source, s.snapshot_id, s.slot, s.taken_at
      FROM @extschema@.snapshot s, pg_catalog.unnest(s.sources) u(source)),
-- per source: its latest snapshot, and the base: the last at or before since, else the first
pair AS (
    SELECT l.source, l.snapshot_id AS latest_id, l.slot AS latest_slot,
           b.snapshot_id AS base_id, b.slot AS base_slot, b.taken_at AS base_at
      FROM (SELECT DISTINCT ON (h.source) h.source, h.snapshot_id, h.slot
              FROM held h ORDER BY h.source, h.taken_at DESC) l
      JOIN (SELECT DISTINCT ON (h.source) h.source, h.snapshot_id, h.slot, h.taken_at
              FROM held h
             ORDER BY h.source, h.taken_at <= $1 DESC,
                      CASE WHEN h.taken_at <= $1 THEN h.taken_at END DESC, h.taken_at) b
        ON b.source = l.source),
-- the findings of both ends, once per identity; a finding at one end only has changed
ends AS (
    SELECT DISTINCT ON (e.which, f.source, f.check_id, f.object_name IS NULL, COALESCE(f.object_name, ''))
           e.which, f.source, f.check_id, f.severity, f.object_type, f.object_name, f.message, p.base_at
      FROM pair p
      CROSS JOIN LATERAL (VALUES ('latest', p.latest_id, p.latest_slot),
                                 ('base', p.base_id, p.base_slot)) e(which, snapshot_id, slot)
      JOIN @extschema@.snapshot_finding f
        ON f.snapshot_id = e.snapshot_id AND f.slot = e.slot AND f.source = p.source
     WHERE p.latest_id <> p.base_id
     ORDER BY e.which, f.source, f.check_id, f.object_name IS NULL, COALESCE(f.object_name, ''),
              f.severity, f.message),
changes AS (
    SELECT CASE e.which WHEN 'latest' THEN 'appeared' ELSE 'fixed' END AS change,
           e.source, e.check_id, e.severity, e.object_type, e.object_name, e.message, e.base_at
      FROM ends e
     WHERE NOT EXISTS (SELECT 1 FROM ends o
                        WHERE o.which <> e.which AND o.source = e.source AND o.check_id = e.check_id
                          AND (o.object_name IS NULL) = (e.object_name IS NULL)
                          AND COALESCE(o.object_name, '') = COALESCE(e.object_name, ''))),
-- appeared: first seen after the base snapshot; fixed: its whole stay in the history
seen AS (
    SELECT c.change, c.source, c.check_id, c.object_name IS NULL AS no_name,
           COALESCE(c.object_name, '') AS name,
           pg_catalog.min(h.taken_at) FILTER (WHERE c.change = 'fixed' OR h.taken_at > c.base_at) AS first_seen,
           pg_catalog.max(h.taken_at) AS last_seen
      FROM changes c
      JOIN @extschema@.snapshot_finding f
        ON f.source = c.source AND f.check_id = c.check_id
       AND (f.object_name IS NULL) = (c.object_name IS NULL)
       AND COALESCE(f.object_name, '') = COALESCE(c.object_name, '')
      JOIN held h ON h.snapshot_id = f.snapshot_id AND h.slot = f.slot AND h.source = f.source
     GROUP BY 1, 2, 3, 4, 5)
SELECT c.change, c.source, c.check_id, c.severity, c.object_type, c.object_name, c.message,
       x.first_seen, x.last_seen
  FROM changes c
  JOIN seen x ON x.change = c.change AND x.source = c.source AND x.check_id = c.check_id
             AND x.no_name = (c.object_name IS NULL) AND x.name = COALESCE(c.object_name, '')
 ORDER BY c.change, CASE c.severity WHEN 'critical' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END,
          c.source, c.check_id, c.object_name;
$fn$;
COMMENT ON FUNCTION @extschema@.dbopt_finding_changes(timestamptz) IS
  'findings that appeared or were fixed since a time (latest snapshot of each source against the one at or before it)';

-- The whole workload per snapshot interval since `since`: calls and execution time of
-- top-level statements (nested ones are inside their caller's time already). Snapshots
-- without the capture store's counters (taken without the preload) are left out.
CREATE FUNCTION @extschema@.dbopt_workload_trend(
    since timestamptz DEFAULT pg_catalog.now() - interval '7 days')
RETURNS TABLE (snapshot_id bigint, taken_at timestamptz, calls bigint, total_ms double precision)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $fn$
SELECT @extschema@.dbopt_history_check(ARRAY['snapshot', 'snapshot_query'], $1);
SELECT s.snapshot_id, s.taken_at, COALESCE(pg_catalog.sum(q.calls_delta), 0)::bigint,
       COALESCE(pg_catalog.sum(q.exec_time_delta), 0)
  FROM @extschema@.snapshot s
  LEFT JOIN @extschema@.snapshot_query q
    ON q.snapshot_id = s.snapshot_id AND q.slot = s.slot AND q.toplevel AND q.origin = 'local'
   AND q.dbid = (SELECT d.oid FROM pg_catalog.pg_database d
                  WHERE d.datname = pg_catalog.current_database())
 WHERE s.taken_at > $1 AND s.previous_id IS NOT NULL AND 'counters' = ANY (s.sources)
 GROUP BY s.snapshot_id, s.taken_at
 ORDER BY s.taken_at;
$fn$;
COMMENT ON FUNCTION @extschema@.dbopt_workload_trend(timestamptz) IS
  'the whole workload (top-level statements) per snapshot interval since a time: calls and execution time';
