-- The C/C++ boundary: every kind of failure inside a dbopt function becomes a clean ERROR
-- with the right SQLSTATE, and the session goes on with nothing left behind.
SELECT dbopt_selftest('ok');
SELECT dbopt_selftest('cxx_exception');
SELECT dbopt_selftest('bad_alloc');
SELECT dbopt_selftest('sql_error');
SELECT dbopt_selftest('pg_error');
SELECT dbopt_selftest(NULL);
SELECT dbopt_selftest('nonsense');
-- SQLSTATEs: internal error, out of memory, the one raised, and PostgreSQL's own (undefined_table)
SELECT s, sqlstate_of(format('SELECT dbopt_selftest(%L)', s))
  FROM unnest(ARRAY['ok', 'cxx_exception', 'bad_alloc', 'sql_error', 'pg_error']) s;
-- Inside a transaction: the error aborts it; after ROLLBACK the session works.
BEGIN;
SELECT dbopt_selftest('pg_error');
SELECT 1;
ROLLBACK;
SELECT dbopt_selftest('ok');
-- Many failures in a row: no SPI or result contexts survive, no relation locks are kept.
SELECT count(*) FILTER (WHERE r LIKE 'XX000%') AS internal,
       count(*) FILTER (WHERE r LIKE '42P01%') AS undefined_table
  FROM (SELECT sqlstate_of(format('SELECT dbopt_selftest(%L)',
                                  CASE WHEN i % 2 = 0 THEN 'cxx_exception' ELSE 'pg_error' END)) r
          FROM generate_series(1, 200) i) t;
SELECT count(*) AS leftover_contexts FROM pg_backend_memory_contexts
 WHERE name IN ('SPI Proc', 'SPI Exec', 'SPI TupTable', 'dbopt result row');
SELECT count(*) AS leftover_relation_locks FROM pg_locks
 WHERE pid = pg_backend_pid() AND locktype = 'relation'
   AND relation NOT IN ('pg_locks'::regclass, 'pg_backend_memory_contexts'::regclass);
-- Non-superusers cannot call the self-test.
CREATE ROLE dbopt_plain_user;
SET ROLE dbopt_plain_user;
SELECT dbopt_selftest('ok');
RESET ROLE;
DROP ROLE dbopt_plain_user;
-- The evidence fast path builds the same jsonb as jsonb_in (byte for byte) and leaves
-- \u escapes, top-level scalars and invalid text to jsonb_in.
SELECT dbopt_selftest('jsonb');
