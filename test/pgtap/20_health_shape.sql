-- dbopt_health(): the result shape of the catalog checks (columns and types), and stable
-- check_ids, severities and object types for every check on a fixture that triggers each one.
BEGIN;
SELECT plan(11);

SELECT has_function('dbopt_health', ARRAY['name', 'boolean'], 'dbopt_health(name, boolean) exists');
SELECT is(pg_catalog.pg_get_function_result('dbopt_health(name, boolean)'::regprocedure),
          'TABLE(check_id text, severity text, object_type text, object_name text, message text, '
          'detail jsonb, remediation text[], revert text[])',
          'dbopt_health returns the common finding shape');
SELECT is(pg_catalog.pg_get_function_arguments('dbopt_health(name, boolean)'::regprocedure),
          'schema_name name DEFAULT NULL::name, include_data boolean DEFAULT false',
          'dbopt_health arguments have defaults');

CREATE SCHEMA tap20;
CREATE TABLE tap20.parent (id bigint PRIMARY KEY, code text);
CREATE TABLE tap20.child (id int PRIMARY KEY, parent_id int REFERENCES tap20.parent,
                          amount int);
CREATE INDEX child_parent_idx ON tap20.child (parent_id);
ALTER TABLE tap20.child ADD CONSTRAINT amount_positive CHECK (amount > 0) NOT VALID;
CREATE INDEX child_amount_1 ON tap20.child (amount);
CREATE INDEX child_amount_2 ON tap20.child (amount);
CREATE TABLE tap20.pairs (a int, b int, PRIMARY KEY (a, b));
CREATE INDEX pairs_a ON tap20.pairs (a);
CREATE INDEX parent_code_idx ON tap20.parent (code);  -- index_unused (never scanned)
CREATE TABLE tap20.nokey (v int);
-- An index that is not valid (as a failed CREATE INDEX CONCURRENTLY leaves it).
CREATE INDEX nokey_v_idx ON tap20.nokey (v);
UPDATE pg_catalog.pg_index SET indisvalid = false
 WHERE indexrelid = 'tap20.nokey_v_idx'::regclass;

CREATE TEMP TABLE found AS SELECT * FROM dbopt_health('tap20');

SELECT set_eq(
  $$SELECT DISTINCT check_id FROM found$$,
  ARRAY['fk_type_mismatch', 'index_invalid', 'constraint_not_valid', 'table_no_primary_key',
        'index_duplicate', 'index_redundant', 'index_unused'],
  'each catalog check of the fixture reports under its stable check_id');
SELECT set_eq(
  $$SELECT DISTINCT check_id || ':' || severity || ':' || object_type FROM found$$,
  ARRAY['fk_type_mismatch:warning:foreign key', 'index_invalid:warning:index',
        'constraint_not_valid:info:constraint', 'table_no_primary_key:warning:table',
        'index_duplicate:warning:index', 'index_redundant:warning:index',
        'index_unused:info:index'],
  'severity and object_type per check_id are stable');
SELECT is((SELECT count(*)::int FROM found
            WHERE object_name IS NULL OR message IS NULL OR detail IS NULL
               OR remediation IS NULL OR revert IS NULL), 0,
          'no NULL columns (empty arrays instead)');
SELECT is((SELECT count(*)::int FROM found WHERE jsonb_typeof(detail) <> 'object'), 0,
          'detail is always a JSON object');
SELECT is((SELECT count(*)::int FROM found WHERE object_name NOT LIKE 'tap20.%'), 0,
          'the schema filter keeps other schemas out');
SELECT is((SELECT count(*)::int FROM found f, unnest(f.remediation || f.revert) s
            WHERE s LIKE '%;%'), 0, 'one statement per array element');
SELECT throws_ok($$SELECT * FROM dbopt_health('tap20_missing')$$, '3F000',
                 'schema "tap20_missing" does not exist', 'unknown schema is an error');
SELECT throws_ok($$SELECT * FROM dbopt_health('tap20', NULL)$$, '22004',
                 'include_data must not be null', 'NULL include_data is an error');

SELECT * FROM finish();
ROLLBACK;
