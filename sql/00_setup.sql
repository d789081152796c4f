-- Installs the extension used by every later test, and a helper that reports an error's
-- SQLSTATE (pg_regress output shows messages, not codes).
CREATE EXTENSION dbopt;
-- shared_memory_since: when the server set up dbopt's shared memory (at its start).
SELECT version, preloaded,
       shared_memory_since BETWEEN pg_postmaster_start_time() - interval '1 minute'
                               AND pg_postmaster_start_time() + interval '1 minute' AS since_start
  FROM dbopt_status();
CREATE FUNCTION public.sqlstate_of(statement text) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE statement;
  RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
