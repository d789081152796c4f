-- Check 5 of dbopt_health(): index_invalid, constraint_not_valid, table_no_primary_key.
-- (h20_findings shows only these three checks.)
-- Every remediation is run (\gexec runs each array element at top level, as a client would)
-- and the finding must be gone; every revert must bring it back.
CREATE SCHEMA h20;
SET search_path = h20, public;
CREATE TEMP VIEW h20_findings AS
  SELECT * FROM dbopt_health('h20')
   WHERE check_id IN ('index_invalid', 'constraint_not_valid', 'table_no_primary_key');

-- An invalid unique index: CREATE UNIQUE INDEX CONCURRENTLY fails on duplicates.
CREATE TABLE accounts (id int PRIMARY KEY, email text);
INSERT INTO accounts VALUES (1, 'a@x'), (2, 'a@x');
CREATE UNIQUE INDEX CONCURRENTLY accounts_email_key ON accounts (email);
-- A NOT VALID foreign key and check constraint.
CREATE TABLE orders (id int PRIMARY KEY, account_id int, amount int);
CREATE INDEX orders_account_idx ON orders (account_id);
INSERT INTO orders VALUES (1, 1, 5);
ALTER TABLE orders ADD CONSTRAINT orders_account_fk FOREIGN KEY (account_id)
  REFERENCES accounts (id) NOT VALID;
ALTER TABLE orders ADD CONSTRAINT "Amount positive" CHECK (amount > 0) NOT VALID;
-- Tables without a primary key: one with a promotable unique index, one without.
CREATE TABLE events (id bigint NOT NULL, at timestamptz);
CREATE UNIQUE INDEX events_id_key ON events (id);
CREATE TABLE "Log Lines" (line text);
-- A partitioned table without primary key; its partitions are reported through it.
CREATE TABLE measurements (id int NOT NULL, at date NOT NULL) PARTITION BY RANGE (at);
CREATE TABLE measurements_2024 PARTITION OF measurements
  FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE measurements_2025 PARTITION OF measurements
  FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
-- An invalid partitioned index: created ON ONLY the parent, one partition indexed by hand
-- but not attached, the other not indexed at all.
CREATE INDEX measurements_at_idx ON ONLY measurements (at);
CREATE INDEX measurements_2024_by_at ON measurements_2024 (at);
-- A partitioned table with a primary key: neither it nor its partitions are reported.
CREATE TABLE readings (id int, at date, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
CREATE TABLE readings_2024 PARTITION OF readings FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');

SELECT check_id, severity, object_type, object_name, remediation, revert
  FROM h20_findings ORDER BY check_id, object_name;
SELECT object_name, message FROM h20_findings ORDER BY check_id, object_name;
SELECT object_name, detail FROM h20_findings
 WHERE check_id IN ('index_invalid', 'constraint_not_valid') ORDER BY object_name;

-- Round trips. Fix the data first so the rebuild and validation can succeed.
UPDATE accounts SET email = 'b@x' WHERE id = 2;
CREATE TEMP TABLE before AS SELECT * FROM h20_findings;
SELECT unnest(remediation) FROM before
 WHERE check_id IN ('index_invalid', 'constraint_not_valid') ORDER BY object_name \gexec
SELECT unnest(remediation) FROM before WHERE object_name = 'h20.events' \gexec
SELECT check_id, object_name FROM h20_findings ORDER BY check_id, object_name;
SELECT indexrelid::regclass, indisvalid FROM pg_index
 WHERE indrelid IN ('accounts'::regclass, 'measurements'::regclass, 'events'::regclass)
 ORDER BY indexrelid::regclass::text;
SELECT conname, convalidated FROM pg_constraint WHERE conrelid = 'orders'::regclass ORDER BY 1;
-- Revert of the primary-key promotion: back to a plain unique index.
SELECT unnest(revert) FROM before WHERE object_name = 'h20.events' \gexec
SELECT check_id, object_name, remediation FROM h20_findings
 WHERE object_name = 'h20.events';

-- A failed REINDEX CONCURRENTLY leaves an invalid "_ccnew" index: drop it, do not rebuild it.
CREATE TABLE dup (v int);
INSERT INTO dup VALUES (1), (1);
CREATE UNIQUE INDEX CONCURRENTLY dup_v_key ON dup (v);
REINDEX INDEX CONCURRENTLY dup_v_key;
SELECT check_id, object_name, remediation, revert FROM h20_findings
 WHERE check_id = 'index_invalid' ORDER BY object_name;

-- An invalid UNIQUE index over duplicate keys: the remediation (DROP, then CREATE UNIQUE
-- INDEX CONCURRENTLY with the same definition) fails while the duplicates exist, as it must,
-- and leaves the state as it was: the same invalid index, no "_ccnew" copy.
CREATE TABLE dup2 (id int PRIMARY KEY, v int, w text);
INSERT INTO dup2 VALUES (1, 1, 'a'), (2, 1, 'a'), (3, 2, NULL), (4, 2, NULL);
CREATE UNIQUE INDEX CONCURRENTLY dup2_v_w_key ON dup2 (v, w);
CREATE TEMP VIEW dup2_finding AS
  SELECT * FROM h20_findings WHERE object_name = 'h20.dup2_v_w_key';
SELECT message, remediation, revert FROM dup2_finding;
SELECT detail->>'duplicates_query' AS duplicates_query, detail->>'unique_note' AS unique_note
  FROM dup2_finding;
SELECT unnest(remediation) FROM dup2_finding \gexec
SELECT indexrelid::regclass, indisvalid FROM pg_index
 WHERE indrelid = 'dup2'::regclass ORDER BY indexrelid::regclass::text;
-- The duplicates query finds what blocks the build (rows with a NULL key are not duplicates).
SELECT detail->>'duplicates_query' FROM dup2_finding \gexec
DELETE FROM dup2 WHERE id = 2;
SELECT unnest(remediation) FROM dup2_finding \gexec
SELECT indexrelid::regclass, indisvalid FROM pg_index
 WHERE indrelid = 'dup2'::regclass ORDER BY indexrelid::regclass::text;
SELECT count(*) AS findings_left FROM dup2_finding;
DROP VIEW dup2_finding;

-- Bad arguments.
SELECT * FROM dbopt_health('no_such_schema');
SELECT sqlstate_of($$SELECT * FROM dbopt_health('no_such_schema')$$);
SELECT sqlstate_of($$SELECT * FROM dbopt_health('h20', NULL)$$);
-- NULL schema means every schema.
SELECT count(*) > 0 AS reports_h20 FROM dbopt_health(NULL) WHERE object_name LIKE 'h20.%';

DROP TABLE before;
DROP VIEW h20_findings;
RESET search_path;
DROP SCHEMA h20 CASCADE;
