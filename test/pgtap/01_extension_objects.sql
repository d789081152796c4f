-- Schema-level promises of the extension script: every dbopt function pins its search_path,
-- none is SECURITY DEFINER, and the self-test is closed to PUBLIC.
BEGIN;
SELECT plan(5);

SELECT has_function('dbopt_status', 'dbopt_status() exists');
SELECT is(
  (SELECT count(*)::int FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid AND d.deptype = 'e'
     JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'dbopt'
    WHERE NOT EXISTS (SELECT 1 FROM unnest(p.proconfig) c WHERE c LIKE 'search_path=%')),
  0, 'every dbopt function sets search_path');
SELECT is(
  (SELECT count(*)::int FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid AND d.deptype = 'e'
     JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'dbopt'
    WHERE p.prosecdef),
  0, 'no dbopt function is SECURITY DEFINER');
SELECT ok(NOT has_function_privilege('public', 'dbopt_selftest(text)', 'EXECUTE'),
          'PUBLIC cannot run dbopt_selftest');
SELECT is((SELECT extrelocatable FROM pg_extension WHERE extname = 'dbopt'), false,
          'extension is not relocatable');

SELECT * FROM finish();
ROLLBACK;
