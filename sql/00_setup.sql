-- Installs the extension used by every later test, and a helper that reports an error's
-- SQLSTATE (pg_regress output shows messages, not codes).
CREATE EXTENSION dbopt;
SELECT version, preloaded, shared_memory_since IS NOT NULL AS has_since FROM dbopt_status();
CREATE FUNCTION public.sqlstate_of(statement text) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE statement;
  RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
