-- Generates the catalog benchmark schema (test/bench/health_catalog.sh): :tables tables spread
-- over :schemas schemas, five indexes and two foreign keys per table, every 500th table
-- hash-partitioned into four partitions. No rows, no ANALYZE: only the catalogs matter.
-- With the default 10,000 tables: 10,000 tables (+80 partitions), 50,000 indexes (+400 on the
-- partitions), 20,000 foreign keys. About a third of the foreign keys have no covering index;
-- one table in five has a duplicate index, one in five a prefix-redundant one.
-- psql variables: tables, schemas.
SET client_min_messages = warning;

SELECT format('CREATE SCHEMA IF NOT EXISTS bench_%s', lpad(s::text, 2, '0'))
FROM generate_series(0, :schemas - 1) s \gexec

CREATE OR REPLACE FUNCTION pg_temp.bench_table(i int, n_schemas int) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT format('bench_%s.t%s', lpad((i % n_schemas)::text, 2, '0'), i)
$$;

-- One transaction per 100 tables keeps the lock table small (each new table, its indexes and
-- TOAST table, and each referenced table hold a lock until commit).
CREATE OR REPLACE PROCEDURE pg_temp.bench_make(lo int, hi int, n_schemas int)
LANGUAGE plpgsql AS $$
DECLARE
  i int;
  t text;
  p1 text;
  p2 text;
  partitioned boolean;
BEGIN
  FOR i IN lo..hi LOOP
    t := pg_temp.bench_table(i, n_schemas);
    -- parents are earlier tables (or the table itself: self-referencing foreign keys)
    p1 := pg_temp.bench_table(CASE WHEN i = 1 THEN 1 ELSE 1 + (i::bigint * 7919) % (i - 1) END::int, n_schemas);
    p2 := pg_temp.bench_table(CASE WHEN i <= 2 THEN i ELSE 1 + (i::bigint * 104729) % (i - 1) END::int, n_schemas);
    partitioned := i % 500 = 0;
    EXECUTE format('CREATE TABLE %s (id bigint PRIMARY KEY, a_id bigint REFERENCES %s, '
                   'b_id bigint REFERENCES %s, c int, d text, e timestamptz)%s',
                   t, p1, p2, CASE WHEN partitioned THEN ' PARTITION BY HASH (id)' ELSE '' END);
    IF partitioned THEN
      FOR k IN 0..3 LOOP
        EXECUTE format('CREATE TABLE %s_p%s PARTITION OF %s FOR VALUES WITH (MODULUS 4, REMAINDER %s)',
                       t, k, t, k);
      END LOOP;
    END IF;
    -- index for a_id: covering, covering as a prefix, not covering (wrong order), partial
    EXECUTE format('CREATE INDEX ON %s %s', t,
                   (ARRAY['(a_id)', '(a_id, c)', '(c, a_id)', '(a_id) WHERE a_id IS NOT NULL'])[1 + i % 4]);
    -- index for b_id: covering, not covering, covering with INCLUDE
    EXECUTE format('CREATE INDEX ON %s %s', t,
                   (ARRAY['(b_id)', '(e, b_id)', '(b_id) INCLUDE (d)'])[1 + i % 3]);
    EXECUTE format('CREATE INDEX ON %s (c)', t);
    -- a duplicate of (c), an index (c) is a prefix of, or an unrelated one
    EXECUTE format('CREATE INDEX ON %s %s', t,
                   (ARRAY['(c)', '(c, e)', '(d)', '(e)', '(lower(d))'])[1 + i % 5]);
    IF i % 100 = 0 THEN
      COMMIT;
    END IF;
  END LOOP;
END
$$;

CALL pg_temp.bench_make(1, :tables, :schemas);
