-- A small application schema with the usual sins, shared by the CLI tests:
-- unindexed foreign keys (single-column, multi-column, partitioned, quoted names) and
-- tables without a primary key (one with a unique NOT NULL index that can become it),
-- next to objects that are fine.
CREATE TABLE customers (id bigint PRIMARY KEY, email text NOT NULL);
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customers);
CREATE TABLE line_items (order_id bigint REFERENCES orders, line int, qty int NOT NULL,
                         PRIMARY KEY (order_id, line));
CREATE TABLE shipments (id bigint PRIMARY KEY, order_id bigint, line int,
                        FOREIGN KEY (order_id, line) REFERENCES line_items);
CREATE TABLE payments (id bigint PRIMARY KEY, order_id bigint NOT NULL REFERENCES orders);
CREATE INDEX payments_order_id_idx ON payments (order_id);  -- covered: no finding
CREATE TABLE audit_log (at timestamptz NOT NULL DEFAULT now(), what text);  -- no primary key
CREATE TABLE tags (name text NOT NULL, note text);  -- no primary key, but a key to promote
CREATE UNIQUE INDEX tags_name_key ON tags (name);
CREATE TABLE events (id bigint NOT NULL, order_id bigint REFERENCES orders, at date NOT NULL)
  PARTITION BY RANGE (at);
CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE SCHEMA "Sales";
CREATE TABLE "Sales"."Invoices" (id int PRIMARY KEY, "Customer Id" bigint REFERENCES customers);
INSERT INTO customers SELECT g, 'c' || g || '@example.com' FROM generate_series(1, 100) g;
INSERT INTO orders SELECT g, 1 + g % 100 FROM generate_series(1, 1000) g;
ANALYZE;
