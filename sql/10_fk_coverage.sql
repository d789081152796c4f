-- dbopt_check_fk_coverage(): every case of issue 2, check 1. A foreign key is covered when
-- the referential-integrity lookup (SELECT 1 FROM fk_table WHERE fk_cols = $n FOR KEY SHARE)
-- can use an index on every leaf partition.
CREATE SCHEMA fkc;
SET search_path = fkc, public;
CREATE TABLE p1 (id int PRIMARY KEY);
CREATE TABLE p2 (a int, b int, PRIMARY KEY (a, b));
CREATE TABLE p8 (id bigint PRIMARY KEY);
CREATE TABLE pt (code text PRIMARY KEY);
INSERT INTO p1 SELECT g FROM generate_series(1, 10) g;
INSERT INTO p2 SELECT g, g FROM generate_series(1, 10) g;
INSERT INTO p8 SELECT g FROM generate_series(1, 10) g;
INSERT INTO pt SELECT 'c' || g FROM generate_series(1, 10) g;

-- Single column: covered, and unindexed.
CREATE TABLE single_covered (id int, p_id int REFERENCES p1);
CREATE INDEX ON single_covered (p_id);
CREATE TABLE single_none (id int, p_id int REFERENCES p1);
-- Two columns: same order, other order, a gap (a,x,b), FK as prefix of a wider index.
CREATE TABLE multi_same (a int, b int, x int, FOREIGN KEY (a, b) REFERENCES p2);
CREATE INDEX ON multi_same (a, b);
CREATE TABLE multi_reversed (a int, b int, x int, FOREIGN KEY (a, b) REFERENCES p2);
CREATE INDEX ON multi_reversed (b, a);
CREATE TABLE multi_gap (a int, b int, x int, FOREIGN KEY (a, b) REFERENCES p2);
CREATE INDEX ON multi_gap (a, x, b);
CREATE TABLE multi_prefix (a int, b int, x int, FOREIGN KEY (a, b) REFERENCES p2);
CREATE INDEX ON multi_prefix (b, a, x);
CREATE TABLE multi_wrong_lead (a int, b int, x int, FOREIGN KEY (a, b) REFERENCES p2);
CREATE INDEX ON multi_wrong_lead (x, a, b);
-- INCLUDE columns do not count; neither do two single-column indexes.
CREATE TABLE multi_include (a int, b int, FOREIGN KEY (a, b) REFERENCES p2);
CREATE INDEX ON multi_include (a) INCLUDE (b);
CREATE TABLE single_include (x int, p_id int REFERENCES p1);
CREATE INDEX ON single_include (x) INCLUDE (p_id);
CREATE TABLE multi_two_indexes (a int, b int, FOREIGN KEY (a, b) REFERENCES p2);
CREATE INDEX ON multi_two_indexes (a);
CREATE INDEX ON multi_two_indexes (b);
-- An invalid index (a unique build that failed on duplicates) would cover but does not.
CREATE TABLE invalid_idx (p_id int REFERENCES p1);
INSERT INTO invalid_idx VALUES (1), (1);
CREATE UNIQUE INDEX CONCURRENTLY invalid_idx_p_id_idx ON invalid_idx (p_id);
-- ... and one made invalid by hand, next to a valid index that only narrows by one column.
CREATE TABLE invalid_multi (a int, b int, FOREIGN KEY (a, b) REFERENCES p2);
CREATE INDEX invalid_multi_ab ON invalid_multi (a, b);
CREATE INDEX ON invalid_multi (a);
UPDATE pg_index SET indisvalid = false WHERE indexrelid = 'invalid_multi_ab'::regclass;
-- Expression indexes do not cover.
CREATE TABLE expr_idx (p_id int REFERENCES p1);
CREATE INDEX ON expr_idx ((p_id + 0));
-- Partial indexes cover only when implied by the FK columns being non-null.
CREATE TABLE partial_implied (p_id int REFERENCES p1, deleted boolean);
CREATE INDEX ON partial_implied (p_id) WHERE p_id IS NOT NULL;
CREATE TABLE partial_not_implied (p_id int REFERENCES p1, deleted boolean);
CREATE INDEX ON partial_not_implied (p_id) WHERE p_id > 0;
CREATE TABLE partial_other_column (p_id int NOT NULL REFERENCES p1, deleted boolean);
CREATE INDEX ON partial_other_column (p_id) WHERE NOT deleted;
CREATE TABLE partial_multi (a int, b int, FOREIGN KEY (a, b) REFERENCES p2);
CREATE INDEX ON partial_multi (a, b) WHERE a IS NOT NULL AND b IS NOT NULL;
-- Hash indexes cover a single-column FK only.
CREATE TABLE hash_single (p_id int REFERENCES p1);
CREATE INDEX ON hash_single USING hash (p_id);
CREATE TABLE hash_multi (a int, b int, FOREIGN KEY (a, b) REFERENCES p2);
CREATE INDEX ON hash_multi USING hash (a);
-- Operator classes: text_pattern_ops has the same = (covers); a class whose equality is
-- another operator does not. Collation: an index COLLATE "C" on a default-collation column
-- does not serve the lookup.
CREATE TABLE opclass_pattern (code text REFERENCES pt);
CREATE INDEX ON opclass_pattern (code text_pattern_ops);
CREATE TABLE text_collate_c (code text REFERENCES pt);
CREATE INDEX ON text_collate_c (code COLLATE "C");
CREATE TABLE text_collate_same (code text COLLATE "C" REFERENCES pt);
CREATE INDEX ON text_collate_same (code);
CREATE TABLE text_hash (code text REFERENCES pt);
CREATE INDEX ON text_hash USING hash (code);
CREATE OPERATOR fkc.<<< (LEFTARG = int4, RIGHTARG = int4, FUNCTION = int4lt);
CREATE OPERATOR fkc.<<= (LEFTARG = int4, RIGHTARG = int4, FUNCTION = int4le);
CREATE OPERATOR fkc.=== (LEFTARG = int4, RIGHTARG = int4, FUNCTION = int4eq);
CREATE OPERATOR fkc.>>= (LEFTARG = int4, RIGHTARG = int4, FUNCTION = int4ge);
CREATE OPERATOR fkc.>>> (LEFTARG = int4, RIGHTARG = int4, FUNCTION = int4gt);
CREATE OPERATOR CLASS fkc.int4_other_ops FOR TYPE int4 USING btree AS
  OPERATOR 1 fkc.<<<, OPERATOR 2 fkc.<<=, OPERATOR 3 fkc.===, OPERATOR 4 fkc.>>=,
  OPERATOR 5 fkc.>>>, FUNCTION 1 btint4cmp(int4, int4);
CREATE TABLE opclass_other (p_id int REFERENCES p1);
CREATE INDEX ON opclass_other (p_id fkc.int4_other_ops);
-- Cross-type keys: int4 FK to an int8 key, int8 FK to an int4 key.
CREATE TABLE cross_int4 (p_id int4 REFERENCES p8);
CREATE INDEX ON cross_int4 (p_id);
CREATE TABLE cross_int4_none (p_id int4 REFERENCES p8);
CREATE TABLE cross_int8 (p_id int8 REFERENCES p1);
CREATE INDEX ON cross_int8 (p_id);
-- Type conversions in the lookup: varchar to text and a domain to its base type are binary
-- (an index on the column serves); an int4 FK to a numeric key is looked up as
-- p_id::numeric, which no index on p_id serves, so no index is proposed either.
CREATE TABLE varchar_to_text (code varchar(10) REFERENCES pt);
CREATE INDEX ON varchar_to_text (code);
CREATE DOMAIN fkc.p1_id AS int;
CREATE TABLE domain_fk (p_id fkc.p1_id REFERENCES p1);
CREATE INDEX ON domain_fk (p_id);
CREATE TABLE pnum (id numeric PRIMARY KEY);
CREATE TABLE int_to_numeric (p_id int REFERENCES pnum);
CREATE INDEX ON int_to_numeric (p_id);
CREATE TABLE parr (ids int[] PRIMARY KEY);
CREATE TABLE array_fk (ids int[] REFERENCES parr);
CREATE INDEX ON array_fk (ids);
-- Self-reference.
CREATE TABLE tree (id int PRIMARY KEY, parent_id int REFERENCES tree);
CREATE TABLE tree_indexed (id int PRIMARY KEY, parent_id int REFERENCES tree_indexed);
CREATE INDEX ON tree_indexed (parent_id);
-- Partitioned referencing tables: index on the parent (all leaves), on one leaf only, and
-- CREATE INDEX ON ONLY the parent with nothing attached.
CREATE TABLE part_all (id int, p_id int REFERENCES p1) PARTITION BY RANGE (id);
CREATE TABLE part_all_1 PARTITION OF part_all FOR VALUES FROM (0) TO (100);
CREATE TABLE part_all_2 PARTITION OF part_all FOR VALUES FROM (100) TO (200);
CREATE INDEX ON part_all (p_id);
CREATE TABLE part_some (id int, p_id int REFERENCES p1) PARTITION BY RANGE (id);
CREATE TABLE part_some_1 PARTITION OF part_some FOR VALUES FROM (0) TO (100);
CREATE TABLE part_some_2 PARTITION OF part_some FOR VALUES FROM (100) TO (200);
CREATE INDEX ON part_some_1 (p_id);
CREATE TABLE part_only (id int, p_id int REFERENCES p1) PARTITION BY RANGE (id);
CREATE TABLE part_only_1 PARTITION OF part_only FOR VALUES FROM (0) TO (100);
CREATE INDEX part_only_parent ON ONLY part_only (p_id);
CREATE TABLE part_nested (id int, p_id int REFERENCES p1) PARTITION BY RANGE (id);
CREATE TABLE part_nested_1 PARTITION OF part_nested FOR VALUES FROM (0) TO (100)
  PARTITION BY RANGE (id);
CREATE TABLE part_nested_1a PARTITION OF part_nested_1 FOR VALUES FROM (0) TO (50);
CREATE TABLE part_nested_1b PARTITION OF part_nested_1 FOR VALUES FROM (50) TO (100);
CREATE INDEX ON part_nested_1a (p_id);
CREATE INDEX ON part_nested_1b (p_id);
-- An FK that references a partitioned table (pg_constraint has a row per referenced
-- partition): reported once.
CREATE TABLE ppart (id int PRIMARY KEY) PARTITION BY RANGE (id);
CREATE TABLE ppart_1 PARTITION OF ppart FOR VALUES FROM (0) TO (100);
CREATE TABLE ppart_2 PARTITION OF ppart FOR VALUES FROM (100) TO (200);
CREATE TABLE ppart_3 PARTITION OF ppart FOR VALUES FROM (200) TO (300);
CREATE TABLE to_partitioned (p_id int REFERENCES ppart);
-- Other schema, quoted identifiers, an FK to a table of another schema.
CREATE SCHEMA "Weird Schema";
CREATE TABLE "Weird Schema"."Orders" ("Order Id" int PRIMARY KEY);
CREATE TABLE "Weird Schema"."Order Lines" (
  "Line" int,
  "Order Id" int CONSTRAINT "Order Lines→Orders" REFERENCES "Weird Schema"."Orders",
  "select" int REFERENCES fkc.p1);
INSERT INTO single_none SELECT g, 1 + g % 9 FROM generate_series(1, 50) g;
ANALYZE fkc.p1, fkc.single_none, fkc.single_covered, fkc.part_all, fkc.part_some;

-- Every FK of the schema, one row each.
SELECT table_name, constraint_name, columns, referenced_table, covering_index, status
  FROM dbopt_check_fk_coverage('fkc') ORDER BY table_name, constraint_name;
-- Quoted identifiers, another schema.
SELECT table_name, constraint_name, columns, referenced_table, covering_index, status,
       remediation, revert
  FROM dbopt_check_fk_coverage('Weird Schema') ORDER BY constraint_name;
-- One row per logical FK even where pg_constraint holds clones.
SELECT count(*) AS constraint_rows FROM pg_constraint
 WHERE conrelid = 'to_partitioned'::regclass AND contype = 'f';
SELECT count(*) AS coverage_rows FROM dbopt_check_fk_coverage('fkc')
 WHERE table_name = 'fkc.to_partitioned';
SELECT count(*) AS constraint_rows FROM pg_constraint
 WHERE conrelid IN ('part_all'::regclass, 'part_all_1'::regclass, 'part_all_2'::regclass)
   AND contype = 'f';

-- Evidence: rows, the referenced table's activity, the best index, per-partition status.
UPDATE p1 SET id = id WHERE id <= 3;
DELETE FROM p1 WHERE id = 10;
SELECT pg_stat_force_next_flush();
SELECT table_rows, referenced_updates, referenced_deletes,
       jsonb_pretty(detail) AS detail
  FROM dbopt_check_fk_coverage('fkc') WHERE table_name = 'fkc.single_none';
SELECT table_rows, jsonb_pretty(detail) AS detail
  FROM dbopt_check_fk_coverage('fkc') WHERE table_name = 'fkc.multi_gap';
SELECT jsonb_pretty(detail) AS detail
  FROM dbopt_check_fk_coverage('fkc') WHERE table_name = 'fkc.invalid_idx';
SELECT table_rows, jsonb_pretty(detail) AS detail
  FROM dbopt_check_fk_coverage('fkc') WHERE table_name = 'fkc.part_some';
SELECT remediation, detail -> 'converted_columns' AS converted_columns
  FROM dbopt_check_fk_coverage('fkc') WHERE table_name = 'fkc.int_to_numeric';

-- The statuses agree with the planner: for every FK and every leaf, plan PostgreSQL's RI
-- lookup (ri_triggers.c: `$n OPERATOR(pfeqop) fk_col ... FOR KEY SHARE`) as a generic plan
-- (the RI plans are cached and reused for every value) with sequential scans disabled.
-- Covered: every leaf's plan has an index condition and no filter. Unindexed: no leaf's plan
-- uses an index led by an FK column (a full scan of an index on (x, a, b), with a and b as
-- index conditions, reads the whole index). Partially covered and invalid are not asserted.
-- Used again by 10_fk_coverage_roundtrip.
CREATE FUNCTION public.ri_lookup_plan(leaf regclass, fk oid) RETURNS text
LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
DECLARE
  quals text[];
  types text[];
  plan text := '';
  line text;
BEGIN
  SELECT array_agg(format('$%s OPERATOR(%I.%s) %I', u.n, o.oprnamespace::regnamespace,
                          o.oprname, a.attname) ORDER BY u.n),
         array_agg(format_type(pa.atttypid, NULL) ORDER BY u.n)
    INTO quals, types
    FROM pg_constraint k
    CROSS JOIN LATERAL unnest(k.conkey, k.confkey, k.conpfeqop) WITH ORDINALITY
         AS u(fk_att, pk_att, op, n)
    JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.fk_att
    JOIN pg_attribute pa ON pa.attrelid = k.confrelid AND pa.attnum = u.pk_att
    JOIN pg_operator o ON o.oid = u.op
   WHERE k.oid = fk;
  EXECUTE format('PREPARE ri_lookup(%s) AS SELECT 1 FROM ONLY %s x WHERE %s FOR KEY SHARE OF x',
                 array_to_string(types, ', '), leaf, array_to_string(quals, ' AND '));
  FOR line IN EXECUTE format('EXPLAIN (COSTS OFF) EXECUTE ri_lookup(%s)',
                             array_to_string(array_fill('NULL'::text, ARRAY[cardinality(types)]), ', '))
  LOOP
    plan := plan || line || E'\n';
  END LOOP;
  DEALLOCATE ri_lookup;
  RETURN plan;
END $$;
-- True when the plan reads an index whose first key column is one of the FK's columns.
CREATE FUNCTION public.ri_plan_uses_fk_index(plan text, leaf regclass, fk oid) RETURNS boolean
LANGUAGE sql AS $$
  SELECT EXISTS (
    SELECT FROM regexp_matches(plan, 'Index (?:Only )?Scan(?: Backward)?(?: using| on) ("(?:[^"]|"")+"|\S+)', 'g') m
    JOIN pg_index i ON i.indexrelid = to_regclass(
           (SELECT relnamespace::regnamespace::text FROM pg_class WHERE oid = leaf) || '.' || m[1])
    JOIN pg_attribute a ON a.attrelid = leaf AND a.attnum = i.indkey[0]
    JOIN pg_constraint k ON k.oid = fk
    JOIN pg_attribute ka ON ka.attrelid = k.conrelid AND ka.attnum = ANY (k.conkey)
   WHERE ka.attname = a.attname)
$$;
CREATE FUNCTION public.fk_coverage_plans(schema_name name)
RETURNS TABLE (table_name text, leaf regclass, status text, plan text, agrees boolean)
LANGUAGE sql AS $$
  SELECT d.table_name, t.relid, d.status, p.plan,
         CASE d.status
           WHEN 'covered' THEN p.plan ~ '(Index|Recheck) Cond' AND p.plan !~ 'Filter'
                               AND public.ri_plan_uses_fk_index(p.plan, t.relid, k.oid)
           WHEN 'unindexed' THEN NOT public.ri_plan_uses_fk_index(p.plan, t.relid, k.oid)
           ELSE true
         END
    FROM dbopt_check_fk_coverage(schema_name) d
    JOIN pg_constraint k ON k.conname = d.constraint_name
     AND k.conrelid = d.table_name::regclass AND k.conparentid = 0
    -- the leaves (pg_partition_tree has no rows for a table that is not partitioned)
    CROSS JOIN LATERAL (SELECT relid FROM pg_partition_tree(k.conrelid) WHERE isleaf
                        UNION ALL
                        SELECT k.conrelid::regclass
                         WHERE NOT EXISTS (SELECT FROM pg_partition_tree(k.conrelid))) t(relid)
    CROSS JOIN LATERAL (SELECT public.ri_lookup_plan(t.relid, k.oid)) p(plan)
$$;
SET enable_seqscan = off;
SELECT status, count(*) AS leaves, count(*) FILTER (WHERE NOT agrees) AS disagreements
  FROM public.fk_coverage_plans('fkc') GROUP BY status ORDER BY status;
SELECT table_name, leaf, status, plan FROM public.fk_coverage_plans('fkc') WHERE NOT agrees;
SELECT table_name, leaf, status, plan, agrees FROM public.fk_coverage_plans('Weird Schema')
 ORDER BY leaf::text, plan;
-- Two of those plans, to show what is compared.
SELECT public.ri_lookup_plan('cross_int4', (SELECT oid FROM pg_constraint WHERE conrelid = 'cross_int4'::regclass AND contype = 'f'));
SELECT public.ri_lookup_plan('text_collate_c', (SELECT oid FROM pg_constraint WHERE conrelid = 'text_collate_c'::regclass AND contype = 'f'));
RESET enable_seqscan;

-- Remediation and revert, one statement per element.
SELECT table_name, r.ord, r.statement
  FROM dbopt_check_fk_coverage('fkc') c, unnest(c.remediation) WITH ORDINALITY r(statement, ord)
 ORDER BY table_name, constraint_name, r.ord;
SELECT table_name, r.ord, r.statement
  FROM dbopt_check_fk_coverage('fkc') c, unnest(c.revert) WITH ORDINALITY r(statement, ord)
 ORDER BY table_name, constraint_name, r.ord;

-- The same check inside dbopt_health().
SELECT check_id, severity, object_type, object_name, message
  FROM dbopt_health('fkc')
 WHERE check_id IN ('fk_unindexed', 'fk_partially_indexed', 'fk_index_invalid')
 ORDER BY object_name;
SELECT count(*) AS same_remediation
  FROM dbopt_health('fkc') h
  JOIN dbopt_check_fk_coverage('fkc') c
    ON h.object_name = c.table_name || '.' || quote_ident(c.constraint_name)
 WHERE h.check_id IN ('fk_unindexed', 'fk_partially_indexed', 'fk_index_invalid')
   AND h.remediation = c.remediation AND h.revert = c.revert AND h.detail = c.detail;

-- An FK whose only candidate is an invalid ON ONLY parent index: the remediation completes
-- that index, with the very statements of the invalid-index finding about it.
SELECT h.remediation = c.remediation AS same_statements, c.revert
  FROM dbopt_health('fkc') h, dbopt_check_fk_coverage('fkc') c
 WHERE h.check_id = 'index_invalid' AND h.object_name = 'fkc.part_only_parent'
   AND c.table_name = 'fkc.part_only';

-- Bad and default arguments: an unknown schema is an error; NULL (the default) means all.
SELECT * FROM dbopt_check_fk_coverage('no_such_schema');
SELECT sqlstate_of($$SELECT * FROM dbopt_check_fk_coverage('no_such_schema')$$);
SELECT sqlstate_of($$SELECT * FROM dbopt_check_fk_coverage('FKC')$$);
SELECT (SELECT count(*) FROM dbopt_check_fk_coverage() WHERE table_name LIKE 'fkc.%')
     = (SELECT count(*) FROM dbopt_check_fk_coverage('fkc')) AS all_includes_fkc,
       (SELECT count(*) FROM dbopt_check_fk_coverage(NULL)) =
       (SELECT count(*) FROM dbopt_check_fk_coverage()) AS null_means_all;
-- The check takes no locks on user relations and leaves no SPI contexts behind.
BEGIN;
SELECT count(*) > 0 AS has_rows FROM dbopt_check_fk_coverage();
SELECT count(*) AS relation_locks FROM pg_locks
 WHERE pid = pg_backend_pid() AND locktype = 'relation'
   AND relation >= 16384;  -- catalog locks are fine; none on user relations
COMMIT;
SELECT count(*) AS leftover_contexts FROM pg_backend_memory_contexts
 WHERE name IN ('SPI Proc', 'SPI Exec', 'SPI TupTable', 'dbopt result row');
RESET search_path;
