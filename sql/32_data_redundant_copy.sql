-- Data check 8, column_redundant_copy: a column that always equals a column of the row its
-- foreign key references.
CREATE SCHEMA dt_copy;
CREATE SCHEMA "Dt Other";
SET search_path = dt_copy, public;
CREATE TABLE customers (id integer PRIMARY KEY, email text, name text, tier text, zip integer);
INSERT INTO customers SELECT g, 'c' || g || '@example.com', 'name ' || g, 'gold', g
  FROM generate_series(1, 20) g;
CREATE TABLE orders (
  id integer PRIMARY KEY,
  customer_id integer REFERENCES customers,
  customer_email text,     -- always the customer's email: reported
  customer_name text,      -- differs once: not reported
  tier text,               -- equal, but constant: trivial, not reported
  zip text);               -- another type: not compared
INSERT INTO orders
SELECT g, 1 + g % 20, 'c' || (1 + g % 20) || '@example.com',
       CASE WHEN g = 5 THEN 'someone else' ELSE 'name ' || (1 + g % 20) END, 'gold',
       (1 + g % 20)::text
  FROM generate_series(1, 100) g;
INSERT INTO orders VALUES (1000, NULL, 'x', 'y', 'gold', NULL);  -- no parent: not compared
CREATE TABLE "Dt Other"."Line Items" (
  "Order Id" integer REFERENCES dt_copy.orders,
  "customerEmail" text);
INSERT INTO "Dt Other"."Line Items"
SELECT 1 + g % 100, 'c' || (1 + (1 + g % 100) % 20) || '@example.com' FROM generate_series(1, 50) g;
CREATE TABLE refunds (order_id integer REFERENCES orders, customer_email text);  -- empty
ANALYZE;

SELECT object_name, severity, detail->>'foreign_key' AS fk,
       detail->>'referenced_table' AS referenced, detail->>'referenced_column' AS original,
       detail->>'rows_compared' AS compared, detail->>'mismatches' AS mismatches,
       detail->>'distinct_values' AS distinct_values, remediation, revert
  FROM (SELECT * FROM dbopt_health(schema_name => 'dt_copy', include_data => true)
        UNION ALL
        SELECT * FROM dbopt_health(schema_name => 'Dt Other', include_data => true)) f
 WHERE check_id = 'column_redundant_copy'
 ORDER BY object_name;
SELECT message FROM dbopt_health(schema_name => 'dt_copy', include_data => true)
 WHERE check_id = 'column_redundant_copy';
-- A copy that goes stale is no longer reported.
UPDATE customers SET email = 'new@example.com' WHERE id = 3;
SELECT count(*) FROM dbopt_health(schema_name => 'dt_copy', include_data => true)
 WHERE check_id = 'column_redundant_copy';
RESET search_path;
