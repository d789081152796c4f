-- dbopt_check_fk_coverage(): signature, result shape, errors, and one FK going from unindexed
-- to covered inside the test's transaction.
BEGIN;
SELECT plan(14);

SELECT has_function('dbopt_check_fk_coverage', ARRAY['name'], 'dbopt_check_fk_coverage(name) exists');
SELECT function_returns('dbopt_check_fk_coverage', ARRAY['name'], 'setof record',
                        'it returns a set of rows');
SELECT is(pg_get_function_arguments('dbopt_check_fk_coverage(name)'::regprocedure),
          'schema_name name DEFAULT NULL::name', 'one argument, schema_name, defaulting to NULL');
SELECT is(pg_get_function_result('dbopt_check_fk_coverage(name)'::regprocedure),
          'TABLE(table_name text, constraint_name text, columns text[], referenced_table text, '
          'covering_index text, status text, table_rows bigint, referenced_updates bigint, '
          'referenced_deletes bigint, detail jsonb, remediation text[], revert text[])',
          'result columns');
SELECT volatility_is('dbopt_check_fk_coverage', ARRAY['name'], 'volatile', 'volatile');
SELECT lives_ok('SELECT * FROM dbopt_check_fk_coverage()', 'works with no arguments');
SELECT throws_ok($$SELECT * FROM dbopt_check_fk_coverage('tap_no_such_schema')$$, '3F000',
                 'schema "tap_no_such_schema" does not exist', 'unknown schema: invalid_schema_name');

CREATE SCHEMA tap_fk;
CREATE TABLE tap_fk.parent (id int PRIMARY KEY);
CREATE TABLE tap_fk.child (id int, parent_id int REFERENCES tap_fk.parent);
SELECT results_eq(
  $$SELECT table_name, constraint_name, columns, referenced_table, covering_index, status
      FROM dbopt_check_fk_coverage('tap_fk')$$,
  $$VALUES ('tap_fk.child', 'child_parent_id_fkey', ARRAY['parent_id'], 'tap_fk.parent',
            NULL::text, 'unindexed')$$,
  'an FK without an index is unindexed');
SELECT is((SELECT remediation FROM dbopt_check_fk_coverage('tap_fk')),
          ARRAY['CREATE INDEX CONCURRENTLY IF NOT EXISTS child_parent_id_idx ON tap_fk.child (parent_id)'],
          'remediation creates a named index concurrently');
SELECT is((SELECT revert FROM dbopt_check_fk_coverage('tap_fk')),
          ARRAY['DROP INDEX CONCURRENTLY IF EXISTS tap_fk.child_parent_id_idx'],
          'revert drops it concurrently');
SELECT is((SELECT detail ->> 'status' FROM dbopt_check_fk_coverage('tap_fk')), 'unindexed',
          'detail carries the status');
SELECT is((SELECT count(*)::int FROM dbopt_health('tap_fk') WHERE check_id = 'fk_unindexed'), 1,
          'dbopt_health() reports fk_unindexed');
-- A transaction cannot run the CONCURRENTLY statement; the plain equivalent shows the effect.
CREATE INDEX child_parent_id_idx ON tap_fk.child (parent_id);
SELECT results_eq(
  $$SELECT covering_index, status, remediation, revert FROM dbopt_check_fk_coverage('tap_fk')$$,
  $$VALUES ('tap_fk.child_parent_id_idx', 'covered', '{}'::text[], '{}'::text[])$$,
  'with the index the FK is covered and nothing is left to do');
SELECT is((SELECT count(*)::int FROM dbopt_health('tap_fk') WHERE check_id LIKE 'fk\_%index%'), 0,
          'and dbopt_health() has no FK index finding');

SELECT * FROM finish();
ROLLBACK;
