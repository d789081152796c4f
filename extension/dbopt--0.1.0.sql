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
    CONSTRAINT migration_history_version_format
        CHECK (version OPERATOR(pg_catalog.~) '^[0-9]+(\.[0-9]+)*$'),
    CONSTRAINT migration_history_kind
        CHECK (kind IN ('transactional', 'non_transactional', 'baseline')),
    CONSTRAINT migration_history_status
        CHECK (status IN ('applied', 'running', 'failed', 'rolled_back', 'baseline')),
    CONSTRAINT migration_history_progress
        CHECK (statements_done BETWEEN 0 AND statements_total)
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
