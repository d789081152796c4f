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
