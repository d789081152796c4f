#!/usr/bin/env bash
# dbopt finds the extension wherever CREATE EXTENSION put it and calls it schema-qualified:
# a quoted non-default schema that is not on the search_path works, and a look-alike
# dbopt_health() earlier on the search_path is never called.
source "$(dirname "$0")/helpers.bash"
DB=cli_ext_schema
fresh_db $DB
psql -X -q -v ON_ERROR_STOP=1 -d $DB >/dev/null <<'SQL'
CREATE SCHEMA "Dbopt Tools";
CREATE EXTENSION dbopt SCHEMA "Dbopt Tools";
CREATE TABLE parent (id int PRIMARY KEY);
CREATE TABLE child (id int PRIMARY KEY, parent_id int REFERENCES parent);
-- A look-alike first on the search_path: it must not be the one called.
CREATE SCHEMA decoy;
CREATE FUNCTION decoy.dbopt_health(schema_name name DEFAULT NULL,
                                   include_data boolean DEFAULT false)
RETURNS TABLE (check_id text, severity text, object_type text, object_name text,
               message text, detail jsonb, remediation text[], revert text[])
LANGUAGE sql AS $f$ SELECT 'decoy', 'critical', 't', 'o', 'm', NULL::jsonb, '{}'::text[], '{}'::text[] $f$;
SQL
sql $DB "ALTER DATABASE $DB SET search_path = decoy, public"

run "$DBOPT" health -d $DB -F json
expect_status 1 "extension in \"Dbopt Tools\":"
expect_true "the extension's own function was called (child's FK reported, no decoy)" \
  test "$(json_rows <<<"$out" | cut -f1,2)" = $'fk_unindexed\tpublic.child.child_parent_id_fkey'

psql -X -q -d postgres -c "DROP DATABASE $DB"
finish
