-- The what-if engine: hypothetical indexes are chosen by the planner when they should be (and
-- not when they should not), for every supported kind; costs and plans are reported by
-- dbopt_whatif(); nothing is ever built.
CREATE SCHEMA wi;
CREATE TABLE wi.orders (
  id integer PRIMARY KEY,
  customer_id integer NOT NULL,
  status text NOT NULL,
  created_at timestamptz NOT NULL,
  total numeric(10,2),
  email text,
  note text
);
INSERT INTO wi.orders
SELECT i, i % 2000,
       CASE WHEN i % 100 = 0 THEN 'open' ELSE 'closed' END,
       timestamptz '2024-01-01 00:00+00' + i * interval '1 minute',
       (i % 1000) / 10.0,
       'User' || i || '@Example.com',
       'note ' || md5(i::text)
  FROM generate_series(1, 20000) AS i;
VACUUM ANALYZE wi.orders;
-- Costs and plans are compared, never printed raw: they depend on the statistics.
CREATE FUNCTION wi.plan(query text, ddl text[] DEFAULT '{}')
RETURNS TABLE(cheaper boolean, indexes_used text[], plan text)
LANGUAGE sql AS $$
  SELECT cost_after < cost_before, indexes_used,
         regexp_replace(plan, '\(cost=[^)]*\)', '', 'g')
    FROM dbopt_whatif(query, ddl)
$$;

-- What a hypothetical index is: a generated name, the table, its columns.
SELECT index_name, table_name, access_method, key_columns, include_columns, partial, is_unique,
       estimated_bytes > 0 AS sized, estimated_tuples, tree_height
  FROM dbopt_hypothetical_index('CREATE INDEX ON wi.orders (customer_id, created_at DESC) INCLUDE (total)');
SELECT index_name, key_columns, partial
  FROM dbopt_hypothetical_index('CREATE INDEX orders_open ON wi.orders ((lower(email))) WHERE status = ''open''');
-- Unqualified names resolve through the caller's search_path.
SET search_path = wi, public;
SELECT table_name FROM dbopt_hypothetical_index('CREATE INDEX ON orders (status)');
RESET search_path;

-- B-tree, equality: chosen.
SELECT * FROM wi.plan('SELECT * FROM wi.orders WHERE customer_id = 42',
                      ARRAY['CREATE INDEX ON wi.orders (customer_id)']);
-- Not chosen for a predicate that keeps nearly every row.
SELECT * FROM wi.plan('SELECT * FROM wi.orders WHERE status = ''closed''',
                      ARRAY['CREATE INDEX ON wi.orders (status)']);
-- Not chosen when it does not match the query at all.
SELECT * FROM wi.plan('SELECT * FROM wi.orders WHERE total > 99',
                      ARRAY['CREATE INDEX ON wi.orders (customer_id)']);
-- Multi-column with DESC: serves ORDER BY ... DESC LIMIT without a sort.
SELECT * FROM wi.plan('SELECT id FROM wi.orders WHERE customer_id = 7 ORDER BY created_at DESC LIMIT 3',
                      ARRAY['CREATE INDEX ON wi.orders (customer_id, created_at DESC)']);
-- NULLS FIRST on a nullable column: ORDER BY email NULLS FIRST LIMIT.
SELECT * FROM wi.plan('SELECT id FROM wi.orders ORDER BY email NULLS FIRST LIMIT 5',
                      ARRAY['CREATE INDEX ON wi.orders (email NULLS FIRST)']);
-- INCLUDE: an index-only scan.
SELECT * FROM wi.plan('SELECT customer_id, total FROM wi.orders WHERE customer_id = 42',
                      ARRAY['CREATE INDEX ON wi.orders (customer_id) INCLUDE (total)']);
-- Partial: chosen for its predicate, not for another status.
SELECT * FROM wi.plan('SELECT id FROM wi.orders WHERE status = ''open'' AND created_at < ''2024-01-02''',
                      ARRAY['CREATE INDEX ON wi.orders (created_at) WHERE status = ''open''']);
SELECT * FROM wi.plan('SELECT id FROM wi.orders WHERE status = ''closed'' AND created_at < ''2024-01-02''',
                      ARRAY['CREATE INDEX ON wi.orders (created_at) WHERE status = ''open''']);
-- Expression: lower(email).
SELECT * FROM wi.plan('SELECT id FROM wi.orders WHERE lower(email) = ''user42@example.com''',
                      ARRAY['CREATE INDEX ON wi.orders ((lower(email)))']);
-- ... not for the bare column.
SELECT * FROM wi.plan('SELECT id FROM wi.orders WHERE email = ''User42@Example.com''',
                      ARRAY['CREATE INDEX ON wi.orders ((lower(email)))']);
-- Hash: equality only.
SELECT * FROM wi.plan('SELECT id FROM wi.orders WHERE email = ''User42@Example.com''',
                      ARRAY['CREATE INDEX ON wi.orders USING hash (email)']);
SELECT * FROM wi.plan('SELECT id FROM wi.orders WHERE email < ''User1''',
                      ARRAY['CREATE INDEX ON wi.orders USING hash (email)']);
-- GIN with pg_trgm: a leading-wildcard LIKE / ILIKE.
CREATE EXTENSION pg_trgm;
SELECT * FROM wi.plan('SELECT id FROM wi.orders WHERE note LIKE ''%abcdef%''',
                      ARRAY['CREATE INDEX ON wi.orders USING gin (note gin_trgm_ops)']);
SELECT * FROM wi.plan('SELECT id FROM wi.orders WHERE email ILIKE ''%user123%''',
                      ARRAY['CREATE INDEX ON wi.orders USING gin (email gin_trgm_ops)']);
-- ... but not where it cannot help.
SELECT * FROM wi.plan('SELECT id FROM wi.orders WHERE customer_id = 42',
                      ARRAY['CREATE INDEX ON wi.orders USING gin (note gin_trgm_ops)']);
-- Several candidates: the planner picks one; existing indexes are reported too.
SELECT * FROM wi.plan('SELECT * FROM wi.orders WHERE id = 5 OR customer_id = 42',
                      ARRAY['CREATE INDEX ON wi.orders (customer_id)',
                            'CREATE INDEX ON wi.orders (status)']);
-- No hypothetical index: the plan as it is, same cost before and after.
SELECT cost_before = cost_after AS same, indexes_used FROM dbopt_whatif('SELECT * FROM wi.orders WHERE id = 1');
-- Statements that write are planned, never executed.
SELECT * FROM wi.plan('DELETE FROM wi.orders WHERE customer_id = 42',
                      ARRAY['CREATE INDEX ON wi.orders (customer_id)']);
SELECT count(*) FROM wi.orders WHERE customer_id = 42;
-- Nothing was built.
SELECT relname FROM pg_class WHERE relnamespace = 'wi'::regnamespace AND relkind = 'i';
-- Against the real index: size within 25% and the query's cost within 2%, also for rows added
-- past the statistics' range since ANALYZE (the planner reads a real B-tree's ends; dbopt
-- reads the column's actual extremes).
INSERT INTO wi.orders
SELECT i, i % 2000, 'open', timestamptz '2025-01-01 00:00+00' + i * interval '1 second', 1, NULL, NULL
  FROM generate_series(20001, 21000) AS i;
CREATE FUNCTION wi.compare(ddl text, query text)
RETURNS TABLE(size_ok boolean, cost_ok boolean, both_use_it boolean)
LANGUAGE plpgsql AS $$
DECLARE
  hypothetical record;
  estimated bigint;
  real_plan json;
BEGIN
  estimated := dbopt_hypothetical_index_size(ddl);
  SELECT * INTO hypothetical FROM dbopt_whatif(query, ARRAY[ddl]);
  EXECUTE ddl;
  EXECUTE 'EXPLAIN (FORMAT JSON) ' || query INTO real_plan;
  size_ok := abs(estimated::float8 / pg_relation_size('wi.real_idx') - 1) <= 0.25;
  cost_ok := abs(hypothetical.cost_after / (real_plan -> 0 -> 'Plan' ->> 'Total Cost')::float8 - 1) <= 0.02;
  both_use_it := real_plan::text LIKE '%real_idx%' AND hypothetical.indexes_used::text LIKE '%<hypothetical>%';
  DROP INDEX wi.real_idx;
  RETURN NEXT;
END $$;
SELECT * FROM wi.compare('CREATE INDEX real_idx ON wi.orders (created_at)',
                         'SELECT id FROM wi.orders WHERE created_at > ''2025-01-01 00:10+00''');
SELECT * FROM wi.compare('CREATE INDEX real_idx ON wi.orders (customer_id, created_at DESC)',
                         'SELECT id FROM wi.orders WHERE customer_id = 7 ORDER BY created_at DESC LIMIT 3');
SELECT * FROM wi.compare('CREATE INDEX real_idx ON wi.orders (status)',
                         'SELECT id FROM wi.orders WHERE status = ''open''');
SELECT * FROM wi.compare('CREATE INDEX real_idx ON wi.orders USING gin (note gin_trgm_ops)',
                         'SELECT id FROM wi.orders WHERE note LIKE ''%abcdef%''');
