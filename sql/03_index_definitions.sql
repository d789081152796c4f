-- Index definitions in findings are written from the catalog model for plain-column indexes
-- (no deparsing, no lock); they must read exactly as pg_get_indexdef() does, whatever the
-- options. Each index below has an exact duplicate so that index_duplicate shows both.
CREATE SCHEMA defs;
CREATE TABLE defs."Mixed Case" (a int, b text, c int, "Note" text);
CREATE INDEX i1 ON defs."Mixed Case" (a DESC NULLS LAST, c NULLS FIRST) INCLUDE (b);
CREATE INDEX i1_copy ON defs."Mixed Case" (a DESC NULLS LAST, c NULLS FIRST) INCLUDE (b);
CREATE INDEX i2 ON defs."Mixed Case" ("Note" COLLATE "C" text_pattern_ops, b DESC);
CREATE INDEX i2_copy ON defs."Mixed Case" ("Note" COLLATE "C" text_pattern_ops, b DESC);
CREATE INDEX i3 ON defs."Mixed Case" USING hash (b);
CREATE INDEX i3_copy ON defs."Mixed Case" USING hash (b);
CREATE UNIQUE INDEX i4 ON defs."Mixed Case" (a, c) NULLS NOT DISTINCT
  WITH (fillfactor = 70, deduplicate_items = off);
CREATE UNIQUE INDEX i4_copy ON defs."Mixed Case" (a, c) NULLS NOT DISTINCT
  WITH (fillfactor = 70, deduplicate_items = off);
CREATE INDEX i5 ON defs."Mixed Case" (lower(b));
CREATE INDEX i5_copy ON defs."Mixed Case" (lower(b));
CREATE INDEX i6 ON defs."Mixed Case" (a) WHERE c > 0;
CREATE INDEX i6_copy ON defs."Mixed Case" (a) WHERE c > 0;
CREATE TABLE defs.parted (id int, at date) PARTITION BY RANGE (at);
CREATE TABLE defs.parted_2026 PARTITION OF defs.parted
  FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE INDEX p1 ON defs.parted (id, at);
CREATE INDEX p1_copy ON defs.parted (id, at);
SELECT object_name,
       detail->>'definition' = pg_get_indexdef(object_name::regclass) AS same_as_pg,
       detail->>'definition' AS definition
  FROM dbopt_health('defs')
 WHERE check_id = 'index_duplicate'
 ORDER BY object_name;
DROP SCHEMA defs CASCADE;
