-- Check 2 of dbopt_health(): fk_type_mismatch. Referencing and referenced columns of
-- different types or type modifiers; the remediation changes the referencing column.
CREATE SCHEMA h21;
SET search_path = h21, public;

CREATE TABLE customers (id bigint PRIMARY KEY, code varchar(50) UNIQUE,
                        region numeric(12,2) UNIQUE, tag text UNIQUE);
CREATE TABLE orders (
  id int PRIMARY KEY,
  customer_id int REFERENCES customers (id),                 -- int4 -> int8: rewrite
  customer_code varchar(20) REFERENCES customers (code),     -- longer varchar: no rewrite
  region numeric(10,2) REFERENCES customers (region),        -- more precision: no rewrite
  tag varchar(10) REFERENCES customers (tag));               -- varchar -> text
-- Matching types are fine, also for a multi-column FK and a self-reference.
CREATE TABLE lines (order_id int, line int, PRIMARY KEY (order_id, line),
                    parent_line int, FOREIGN KEY (order_id, parent_line) REFERENCES lines);
CREATE TABLE notes (order_id int REFERENCES orders, "Line" smallint,
                    CONSTRAINT "Notes Line FK" FOREIGN KEY (order_id, "Line") REFERENCES lines);
-- A partitioned referencing table: the FK is reported once, on the parent.
CREATE TABLE shipments (id int, customer_id int REFERENCES customers, PRIMARY KEY (id))
  PARTITION BY RANGE (id);
CREATE TABLE shipments_1 PARTITION OF shipments FOR VALUES FROM (0) TO (100);
-- Out of scope: a mismatch in another schema.
CREATE SCHEMA h21_other;
CREATE TABLE h21_other.refs (customer_id int REFERENCES h21.customers);

SELECT check_id, severity, object_type, object_name, remediation, revert
  FROM dbopt_health('h21') WHERE check_id = 'fk_type_mismatch' ORDER BY object_name;
SELECT object_name, message, detail FROM dbopt_health('h21')
 WHERE check_id = 'fk_type_mismatch' ORDER BY object_name;
SELECT count(*) AS other_schema FROM dbopt_health('h21_other') WHERE check_id = 'fk_type_mismatch';

-- Round trip: every remediation runs, then nothing is reported; the reverts bring it back.
INSERT INTO customers VALUES (1, 'c1', 1.5, 't1');
INSERT INTO orders VALUES (1, 1, 'c1', 1.5, 't1');
CREATE TEMP TABLE before AS SELECT * FROM dbopt_health('h21') WHERE check_id = 'fk_type_mismatch';
SELECT unnest(remediation) FROM before ORDER BY object_name \gexec
SELECT count(*) AS remaining FROM dbopt_health('h21') WHERE check_id = 'fk_type_mismatch';
SELECT unnest(revert) FROM before ORDER BY object_name \gexec
SELECT object_name FROM dbopt_health('h21') WHERE check_id = 'fk_type_mismatch'
EXCEPT SELECT object_name FROM before;
SELECT count(*) AS back FROM dbopt_health('h21') WHERE check_id = 'fk_type_mismatch';
SELECT * FROM orders;

DROP TABLE before;
RESET search_path;
DROP SCHEMA h21, h21_other CASCADE;
