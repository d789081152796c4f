-- Round trip of dbopt_check_fk_coverage(): run every remediation statement, each on its own
-- in autocommit (psql's \gexec sends them one by one, as CREATE INDEX CONCURRENTLY needs),
-- check again: everything is covered and the planner agrees. Then run every revert
-- statement: everything is as before. Needs public.fk_coverage_plans from
-- 10_fk_coverage.
CREATE SCHEMA fkr;
CREATE SCHEMA "fkr Other";
SET search_path = fkr, public;
CREATE TABLE p1 (id int PRIMARY KEY);
CREATE TABLE p2 (a int, b int, PRIMARY KEY (a, b));
CREATE TABLE p8 (id bigint PRIMARY KEY);
CREATE TABLE pt (code text PRIMARY KEY);
CREATE TABLE ppart (id int PRIMARY KEY) PARTITION BY RANGE (id);
CREATE TABLE ppart_1 PARTITION OF ppart FOR VALUES FROM (0) TO (100);
CREATE TABLE ppart_2 PARTITION OF ppart FOR VALUES FROM (100) TO (200);
INSERT INTO p1 SELECT g FROM generate_series(1, 10) g;
INSERT INTO p2 SELECT g, g FROM generate_series(1, 10) g;
INSERT INTO p8 SELECT g FROM generate_series(1, 10) g;
INSERT INTO pt SELECT 'c' || g FROM generate_series(1, 10) g;
INSERT INTO ppart SELECT g FROM generate_series(1, 150) g;

CREATE TABLE plain (id int, p_id int REFERENCES p1);
INSERT INTO plain SELECT g, 1 + g % 10 FROM generate_series(1, 1000) g;
CREATE TABLE two_fks (p_id int REFERENCES p1, q_id int REFERENCES p1);
-- Two FKs on the same column: one index serves both, proposed under one name.
CREATE TABLE same_column (p_id int REFERENCES p1, FOREIGN KEY (p_id) REFERENCES ppart);
CREATE TABLE gap (a int, b int, x int, FOREIGN KEY (a, b) REFERENCES p2);
CREATE INDEX ON gap (a, x, b);
CREATE TABLE invalid (p_id int REFERENCES p1);
INSERT INTO invalid VALUES (1), (1);
CREATE UNIQUE INDEX CONCURRENTLY invalid_p_id_idx ON invalid (p_id);
CREATE TABLE partial (p_id int REFERENCES p1, flag boolean);
CREATE INDEX ON partial (p_id) WHERE flag;
CREATE TABLE collate_c (code text REFERENCES pt);
CREATE INDEX ON collate_c (code COLLATE "C");
CREATE TABLE hash_multi (a int, b int, FOREIGN KEY (a, b) REFERENCES p2);
CREATE INDEX ON hash_multi USING hash (a);
CREATE TABLE cross_int4 (p_id int4 REFERENCES p8);
CREATE TABLE tree (id int PRIMARY KEY, parent_id int REFERENCES tree);
CREATE TABLE to_part (p_id int REFERENCES ppart);
-- The default name is taken by an index on another column.
CREATE TABLE taken (p_id int REFERENCES p1, x int);
CREATE INDEX taken_p_id_idx ON taken (x);
-- Quoted and long identifiers.
CREATE TABLE "Weird Name" ("Ref Id" int REFERENCES p1);
CREATE TABLE a_table_name_that_is_quite_long_and_keeps_going_for_a_while (
  a_column_name_that_is_long_as_well int REFERENCES p1);
-- Partitioned: nothing indexed (two levels, one leaf in another schema), one leaf indexed,
-- an ON ONLY parent index with nothing attached, no partitions at all, and a partitioned
-- table referencing a partitioned table.
CREATE TABLE part_none (id int, p_id int REFERENCES p1) PARTITION BY RANGE (id);
CREATE TABLE part_none_1 PARTITION OF part_none FOR VALUES FROM (0) TO (100);
CREATE TABLE "fkr Other".part_none_2 PARTITION OF part_none FOR VALUES FROM (100) TO (200);
CREATE TABLE part_none_3 PARTITION OF part_none FOR VALUES FROM (200) TO (300)
  PARTITION BY RANGE (id);
CREATE TABLE part_none_3a PARTITION OF part_none_3 FOR VALUES FROM (200) TO (250);
CREATE TABLE part_none_3b PARTITION OF part_none_3 FOR VALUES FROM (250) TO (300);
INSERT INTO part_none SELECT g, 1 + g % 10 FROM generate_series(0, 299) g;
CREATE TABLE part_some (id int, p_id int REFERENCES p1) PARTITION BY RANGE (id);
CREATE TABLE part_some_1 PARTITION OF part_some FOR VALUES FROM (0) TO (100);
CREATE TABLE part_some_2 PARTITION OF part_some FOR VALUES FROM (100) TO (200);
CREATE INDEX ON part_some_1 (p_id);
CREATE TABLE part_only (id int, p_id int REFERENCES p1) PARTITION BY RANGE (id);
CREATE TABLE part_only_1 PARTITION OF part_only FOR VALUES FROM (0) TO (100);
CREATE TABLE part_only_2 PARTITION OF part_only FOR VALUES FROM (100) TO (200);
CREATE INDEX part_only_parent ON ONLY part_only (p_id);
CREATE TABLE part_empty (id int, p_id int REFERENCES p1) PARTITION BY RANGE (id);
CREATE TABLE part_to_part (id int, p_id int REFERENCES ppart) PARTITION BY RANGE (id);
CREATE TABLE part_to_part_1 PARTITION OF part_to_part FOR VALUES FROM (0) TO (100);
CREATE TABLE part_to_part_2 PARTITION OF part_to_part FOR VALUES FROM (100) TO (200);

CREATE TEMP TABLE plan AS
  SELECT table_name, constraint_name, status, remediation, revert
    FROM dbopt_check_fk_coverage('fkr');
SELECT table_name, constraint_name, status, cardinality(remediation) AS statements
  FROM plan ORDER BY table_name, constraint_name;
SELECT count(*) AS indexes_before FROM pg_indexes WHERE schemaname IN ('fkr', 'fkr Other') \gset
-- The statements, as they will run.
SELECT table_name, r.ord, r.statement
  FROM plan, unnest(remediation) WITH ORDINALITY r(statement, ord)
 ORDER BY table_name, constraint_name, r.ord;
SELECT table_name, r.ord, r.statement
  FROM plan, unnest(revert) WITH ORDINALITY r(statement, ord)
 ORDER BY table_name, constraint_name, r.ord;

-- Run every remediation statement.
SELECT r.statement
  FROM plan, unnest(remediation) WITH ORDINALITY r(statement, ord)
 ORDER BY table_name, constraint_name, r.ord \gexec
-- Everything is covered now, nothing more to do, and the planner agrees.
SELECT table_name, constraint_name, status, covering_index
  FROM dbopt_check_fk_coverage('fkr') ORDER BY table_name, constraint_name;
SELECT count(*) FILTER (WHERE status <> 'covered') AS not_covered,
       count(*) FILTER (WHERE remediation <> '{}' OR revert <> '{}') AS with_ddl
  FROM dbopt_check_fk_coverage('fkr');
SELECT count(*) AS health_findings FROM dbopt_health('fkr')
 WHERE check_id IN ('fk_unindexed', 'fk_partially_indexed', 'fk_index_invalid');
SET enable_seqscan = off;
SELECT count(*) AS leaves, count(*) FILTER (WHERE NOT agrees) AS disagreements
  FROM public.fk_coverage_plans('fkr');
RESET enable_seqscan;
-- Every index is valid but the one that failed to build (the partitioned ones are valid
-- because every partition got an attached index, part_only_parent included).
SELECT n.nspname, c.relname
  FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname IN ('fkr', 'fkr Other') AND NOT i.indisvalid
 ORDER BY 1, 2;
SELECT c.relname AS partitioned_index, i.indisvalid
  FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
 WHERE c.relkind = 'I' AND c.relnamespace = 'fkr'::regnamespace
 ORDER BY 1;
-- New partitions get the index from the parent.
CREATE TABLE part_none_4 PARTITION OF part_none FOR VALUES FROM (300) TO (400);
SELECT status FROM dbopt_check_fk_coverage('fkr') WHERE table_name = 'fkr.part_none';
DROP TABLE part_none_4;

-- Run every revert statement: the statuses and the index count are back, except for
-- part_only: its remediation completed the user's own invalid parent index (attached
-- partition indexes cannot be detached, so that has no revert) and it stays covered, with
-- its two new partition indexes.
SELECT r.statement
  FROM plan, unnest(revert) WITH ORDINALITY r(statement, ord)
 ORDER BY table_name, constraint_name, r.ord \gexec
SELECT p.table_name, p.constraint_name, p.status AS before, c.status AS after
  FROM plan p FULL JOIN dbopt_check_fk_coverage('fkr') c
    ON c.table_name = p.table_name AND c.constraint_name = p.constraint_name
 WHERE p.status IS DISTINCT FROM c.status
    OR p.remediation IS DISTINCT FROM c.remediation;
SELECT count(*) - :indexes_before AS indexes_added
  FROM pg_indexes WHERE schemaname IN ('fkr', 'fkr Other');
RESET search_path;
