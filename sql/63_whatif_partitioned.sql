-- Hypothetical indexes on a partitioned table behave like a real partitioned index: the
-- planner sees one partition index on every leaf it opens (after partition pruning), each
-- sized from its own partition; sub-partitions and partitions whose columns sit at other
-- attribute numbers included. The advisor's recipe (ON ONLY the parent, CONCURRENTLY on each
-- partition, ATTACH) runs for real here and gives a valid partitioned index whose plan is the
-- hypothetical one; then the index counts as existing, and the revert removes it.
SET dbopt.sample_rate = 0;
CREATE SCHEMA wip;
CREATE TABLE wip.m (id int NOT NULL, region text NOT NULL, created date NOT NULL, amount int)
  PARTITION BY RANGE (created);
CREATE TABLE wip.m_2024 PARTITION OF wip.m FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
-- A sub-partitioned partition.
CREATE TABLE wip.m_2025 PARTITION OF wip.m FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')
  PARTITION BY LIST (region);
CREATE TABLE wip.m_2025_eu PARTITION OF wip.m_2025 FOR VALUES IN ('eu');
CREATE TABLE wip.m_2025_other PARTITION OF wip.m_2025 DEFAULT;
-- A partition whose columns have other attribute numbers (a dropped column, another order),
-- and a name long enough that index names must be shortened to 63 bytes.
CREATE TABLE wip.m_2023_with_a_rather_long_partition_name_for_the_identifier_limit
  (dropped int, amount int, created date NOT NULL, region text NOT NULL, id int NOT NULL);
ALTER TABLE wip.m_2023_with_a_rather_long_partition_name_for_the_identifier_limit DROP COLUMN dropped;
ALTER TABLE wip.m ATTACH PARTITION wip.m_2023_with_a_rather_long_partition_name_for_the_identifier_limit
  FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
INSERT INTO wip.m
SELECT i, (ARRAY['eu', 'us', 'asia'])[1 + i % 3], date '2023-01-01' + (i % 1095), i % 500
  FROM generate_series(1, 24000) AS i;
VACUUM ANALYZE wip.m;

CREATE FUNCTION wip.plan(query text, ddl text[] DEFAULT '{}')
RETURNS TABLE(cheaper boolean, indexes_used text[], plan text)
LANGUAGE sql AS $$
  SELECT cost_after < cost_before, indexes_used,
         regexp_replace(plan, '  \(cost=[^)]*\)', '', 'g')
    FROM dbopt_whatif(query, ddl)
$$;
-- The real plan, costs off, as text.
CREATE FUNCTION wip.real_plan(query text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  line text;
  result text := '';
BEGIN
  FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || query LOOP
    result := result || CASE WHEN result = '' THEN '' ELSE E'\n' END || line;
  END LOOP;
  RETURN result;
END $$;

-- A plan's shape: index names left out.
CREATE FUNCTION wip.shape(plan text) RETURNS text LANGUAGE sql AS $$
  SELECT regexp_replace(replace(plan, '<hypothetical> ', ''), 'using \S+ on', 'using _ on', 'g')
$$;

-- The hypothetical partitioned index: its size is the sum of its partition indexes' sizes,
-- each estimated from its own leaf (the parent has no storage).
SELECT index_name, table_name, key_columns, estimated_bytes > 0 AS sized, estimated_tuples
  FROM dbopt_hypothetical_index('CREATE INDEX ON wip.m (id)');
SELECT (SELECT estimated_bytes FROM dbopt_hypothetical_index('CREATE INDEX ON wip.m (id)')) =
       (SELECT sum(dbopt_hypothetical_index_size(format('CREATE INDEX ON %s (id)', c.oid::regclass)))
          FROM pg_partition_tree('wip.m') t JOIN pg_class c ON c.oid = t.relid
         WHERE t.isleaf) AS size_is_sum_of_leaves;

-- Equality on every partition: each leaf gets its partition index (sub-partitions too).
SELECT * FROM wip.plan('SELECT * FROM wip.m WHERE id = 4242', ARRAY['CREATE INDEX ON wip.m (id)']);
-- Partition pruning still happens: only the leaves of 2025 in Europe are planned.
SELECT * FROM wip.plan('SELECT * FROM wip.m WHERE id = 4242 AND created >= ''2025-02-01'' AND region = ''eu''',
                       ARRAY['CREATE INDEX ON wip.m (id)']);
-- Expression and partial keys map to each leaf's own attribute numbers.
SELECT * FROM wip.plan('SELECT id FROM wip.m WHERE amount * 2 = 84 AND created < ''2024-01-01''',
                       ARRAY['CREATE INDEX ON wip.m ((amount * 2))']);
SELECT * FROM wip.plan('SELECT id FROM wip.m WHERE region = ''eu'' AND amount = 7 AND created < ''2024-01-01''',
                       ARRAY['CREATE INDEX ON wip.m (amount) WHERE region = ''eu''']);
-- Another session sees nothing of it.
\c
EXPLAIN (COSTS OFF) SELECT * FROM wip.m WHERE id = 4242;
SET dbopt.sample_rate = 0;

-- The advisor recommends it on the parent, with the partitioned recipe; every statement
-- runs on its own in autocommit (\gexec), explicit names at most 63 bytes.
SELECT index_name, table_name, kind, remediation, revert
  FROM dbopt_recommend_indexes_for(ARRAY['SELECT * FROM wip.m WHERE id = 4242']);
SELECT max(octet_length(name)) <= 63 AS names_fit
  FROM (SELECT substring(s FROM 'IF NOT EXISTS "?([^" ]+)"? ON') AS name
          FROM dbopt_recommend_indexes_for(ARRAY['SELECT * FROM wip.m WHERE id = 4242']) r,
               unnest(r.remediation) AS s) n;
CREATE TABLE wip.rec AS
SELECT remediation, revert FROM dbopt_recommend_indexes_for(ARRAY['SELECT * FROM wip.m WHERE id = 4242']);
-- The plan with the recommended index, hypothetical (its definition: the first statement).
CREATE TABLE wip.hypothetical AS
SELECT plan FROM wip.rec,
       wip.plan('SELECT * FROM wip.m WHERE id = 4242',
                ARRAY[regexp_replace(remediation[1], 'IF NOT EXISTS \S+ ON ONLY', 'ON')]);
SELECT statement FROM wip.rec, unnest(remediation) AS statement \gexec
-- A valid partitioned index, attached on every level, on every leaf.
SELECT c.relname, c.relkind, i.indisvalid,
       (SELECT p.relname FROM pg_inherits h JOIN pg_class p ON p.oid = h.inhparent
         WHERE h.inhrelid = c.oid) AS attached_to
  FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
 WHERE i.indrelid IN (SELECT relid FROM pg_partition_tree('wip.m'))
 ORDER BY c.relkind DESC, c.relname;
-- The real plan is the hypothetical one (index names aside: a real partition index may get
-- another name when the what-if engine's is taken).
SELECT wip.shape(h.plan) = wip.shape(wip.real_plan('SELECT * FROM wip.m WHERE id = 4242')) AS same_plan,
       wip.shape(h.plan) AS plan
  FROM wip.hypothetical h;
-- The partitioned index counts as existing: nothing more to recommend.
SELECT count(*) FROM dbopt_recommend_indexes_for(ARRAY['SELECT * FROM wip.m WHERE id = 4242']);
-- The revert: DROP INDEX on the parent (not concurrently: PostgreSQL refuses that for a
-- partitioned index) drops every attached partition index.
SELECT statement FROM wip.rec, unnest(revert) AS statement \gexec
SELECT count(*) AS indexes_left FROM pg_index
 WHERE indrelid IN (SELECT relid FROM pg_partition_tree('wip.m'));

-- A partition that already has exactly the recommended index: the recipe attaches it instead
-- of building another; one with another definition (DESC) gets a new one. The revert drops
-- the partitioned index (and with it every attached index) and builds the reused one again.
CREATE INDEX m_2024_own ON wip.m_2024 (id);
CREATE INDEX m_2025_eu_desc ON wip.m_2025_eu (id DESC);
CREATE TABLE wip.rec2 AS
SELECT remediation, revert FROM dbopt_recommend_indexes_for(ARRAY['SELECT id FROM wip.m WHERE id = 4242']);
SELECT statement FROM wip.rec2, unnest(remediation) AS statement WHERE statement LIKE '%m_2024%';
SELECT statement FROM wip.rec2, unnest(revert) AS statement;
SELECT statement FROM wip.rec2, unnest(remediation) AS statement \gexec
SELECT c.relname, i.indisvalid,
       (SELECT p.relname FROM pg_inherits h JOIN pg_class p ON p.oid = h.inhparent
         WHERE h.inhrelid = c.oid) AS attached_to
  FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
 WHERE i.indrelid IN (SELECT relid FROM pg_partition_tree('wip.m'))
 ORDER BY c.relkind DESC, c.relname;
SELECT statement FROM wip.rec2, unnest(revert) AS statement \gexec
SELECT c.relname, pg_get_indexdef(c.oid)
  FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
 WHERE i.indrelid IN (SELECT relid FROM pg_partition_tree('wip.m'))
 ORDER BY c.relname;
DROP INDEX wip.m_2024_own, wip.m_2025_eu_desc;

-- Hypothetical partition indexes are named as PostgreSQL names them, INCLUDE columns too.
SELECT indexes_used, plan ~ 'm_2024_id_amount_idx' AS leaf_named
  FROM wip.plan('SELECT id, amount FROM wip.m WHERE id = 4242 AND created < ''2025-01-01''',
                ARRAY['CREATE INDEX ON wip.m (id) INCLUDE (amount)']);
-- UNIQUE needs every partitioning column among its keys, at every level (m_2025 is
-- partitioned by region), as PostgreSQL demands of a real one.
SELECT * FROM dbopt_hypothetical_index('CREATE UNIQUE INDEX ON wip.m (id)');
SELECT * FROM dbopt_hypothetical_index('CREATE UNIQUE INDEX ON wip.m (id, created)');
SELECT index_name, is_unique FROM dbopt_hypothetical_index('CREATE UNIQUE INDEX ON wip.m (id, created, region)');
SELECT index_name, is_unique FROM dbopt_hypothetical_index('CREATE UNIQUE INDEX ON wip.m_2025 (id, region)');

-- Queries that name partitions directly: one partition only, the index goes on it (a plain
-- index, concurrently); two partitions, on their parent.
SELECT table_name, remediation
  FROM dbopt_recommend_indexes_for(ARRAY['SELECT id FROM wip.m_2024 WHERE id = 4242',
                                         'SELECT id FROM wip.m_2024 WHERE id = 4243']);
SELECT table_name, array_length(remediation, 1) AS statements
  FROM dbopt_recommend_indexes_for(ARRAY['SELECT id FROM wip.m_2024 WHERE id = 4242',
                                         'SELECT id FROM wip.m_2025_eu WHERE id = 4243']);
-- An existing index on the partition the queries read counts there.
CREATE INDEX m_2024_own ON wip.m_2024 (id);
SELECT count(*) FROM dbopt_recommend_indexes_for(ARRAY['SELECT id FROM wip.m_2024 WHERE id = 4242']);
DROP INDEX wip.m_2024_own;
RESET dbopt.sample_rate;
DROP SCHEMA wip CASCADE;
