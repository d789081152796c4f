-- Check 4 of dbopt_health(): index_unused (idx_scan = 0 since the statistics reset), with
-- its exclusions, partition sums and a remediation/revert round trip.
CREATE SCHEMA h23;
SET search_path = h23, public;

CREATE TABLE items (id int PRIMARY KEY, a int, b int, c int, d int);
CREATE INDEX items_a ON items (a);                        -- scanned below
CREATE INDEX items_b ON items (b);                        -- never scanned
CREATE UNIQUE INDEX items_c_key ON items (c);             -- unique: excluded
ALTER TABLE items ADD CONSTRAINT items_d_excl EXCLUDE USING btree (d WITH =);  -- constraint
INSERT INTO items SELECT g, g, g, g, g FROM generate_series(1, 100) g;
-- Foreign keys: the only index serving an FK stays; of two equal ones the older stays; a
-- narrower index than the best one does not.
CREATE TABLE lines (item_id int REFERENCES items, qty int, note text);
CREATE INDEX lines_item ON lines (item_id);
CREATE INDEX lines_item_again ON lines (item_id);       -- duplicate: index_duplicate's
CREATE INDEX lines_qty ON lines (qty);
CREATE TABLE tags (item_id int, kind int, FOREIGN KEY (item_id) REFERENCES items);
CREATE INDEX tags_kind_item ON tags (kind, item_id);      -- does not lead with the FK column
-- A partitioned table: scans of partition indexes count for their parent index.
CREATE TABLE events (id int, at date, kind int) PARTITION BY RANGE (at);
CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE INDEX events_at ON events (at);                    -- scanned on one partition
CREATE INDEX events_kind ON events (kind);                -- never scanned
INSERT INTO events SELECT g, date '2024-01-01' + g, g FROM generate_series(1, 500) g;

-- Unused indexes of every shape: their definitions (built from the catalog model for plain
-- columns, deparsed by the server otherwise) must equal pg_get_indexdef's.
CREATE TABLE "Shapes" ("Id" int, t text, u text, v int);
CREATE INDEX "Shapes desc" ON "Shapes" ("Id" DESC, t NULLS FIRST, v DESC NULLS LAST);
CREATE INDEX shapes_include ON "Shapes" (v) INCLUDE (t, "Id");
CREATE INDEX shapes_fill ON "Shapes" (v) WITH (fillfactor = 70); -- these two: check 3's
CREATE INDEX shapes_collate ON "Shapes" (t COLLATE "C");
CREATE INDEX shapes_pattern ON "Shapes" (u text_pattern_ops);
CREATE INDEX shapes_expr ON "Shapes" (lower(t)) WHERE v > 0;
CREATE INDEX shapes_hash ON "Shapes" USING hash (u);
CREATE INDEX shapes_brin ON "Shapes" USING brin (v);

SET enable_seqscan = off;
SELECT count(*) FROM items WHERE a = 5;
SELECT count(*) FROM events_2025 WHERE at = '2025-02-01';
RESET enable_seqscan;
SELECT pg_stat_force_next_flush();

SELECT check_id, severity, object_name, detail->'scans' AS scans,
       detail->'partition_indexes' AS partitions, remediation, revert
  FROM dbopt_health('h23') WHERE check_id = 'index_unused' ORDER BY object_name;
SELECT object_name,
       regexp_replace(message, 'since .* ago\)', 'since <reset> (<age> ago)') AS message
  FROM dbopt_health('h23') WHERE check_id = 'index_unused' ORDER BY object_name;
SELECT object_name, detail - 'stats_reset' - 'stats_age_seconds' AS detail,
       detail ? 'stats_reset' AS has_reset,
       (detail->>'stats_age_seconds')::float8 >= 0 AS has_age
  FROM dbopt_health('h23') WHERE check_id = 'index_unused' ORDER BY object_name;

SELECT object_name, detail->>'definition' = pg_get_indexdef(object_name::regclass) AS same
  FROM dbopt_health('h23') WHERE check_id = 'index_unused' ORDER BY object_name;

-- Round trip: after the remediation nothing is reported; the revert brings the same back.
CREATE TEMP TABLE before AS SELECT * FROM dbopt_health('h23') WHERE check_id = 'index_unused';
SELECT unnest(remediation) FROM before ORDER BY object_name \gexec
SELECT check_id, object_name FROM dbopt_health('h23') WHERE check_id = 'index_unused';
SELECT unnest(revert) FROM before ORDER BY object_name \gexec
SELECT b.object_name, a.object_name IS NOT NULL AS back
  FROM before b LEFT JOIN dbopt_health('h23') a USING (check_id, object_name)
 ORDER BY 1;

-- A statistics reset makes everything "unused" again; the reset time is the evidence.
SELECT pg_stat_reset();
SELECT count(*) AS unused_after_reset,
       bool_and((detail->>'stats_age_seconds')::float8 < 3600) AS young_statistics,
       bool_and(detail->>'stats_reset' IS NOT NULL) AS reset_time_known
  FROM dbopt_health('h23') WHERE check_id = 'index_unused';

DROP TABLE before;
RESET search_path;
DROP SCHEMA h23 CASCADE;
