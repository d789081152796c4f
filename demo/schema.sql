-- The demo application: a small shop, with the mistakes real schemas collect over time.
-- Every mistake is marked "SIN:" so the findings can be checked against this file.
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS shop CASCADE;
CREATE SCHEMA shop;
SET search_path = shop;

CREATE TABLE categories (
    category_id int PRIMARY KEY,
    parent_id   int REFERENCES categories,      -- self-referencing FK (small table)
    name        text NOT NULL
);

CREATE TABLE products (
    product_id   int PRIMARY KEY,
    category_id  int NOT NULL REFERENCES categories,   -- SIN: unindexed FK
    sku          text NOT NULL CONSTRAINT products_sku_key UNIQUE,
    name         text NOT NULL,
    price        numeric(10,2) NOT NULL,
    discontinued boolean NOT NULL DEFAULT false
);
CREATE INDEX products_sku_idx ON products (sku);       -- SIN: duplicate of products_sku_key

CREATE TABLE customers (
    customer_id bigint PRIMARY KEY,
    email       text,                               -- SIN: never NULL, but nullable
    full_name   text,                               -- SIN: never NULL, but nullable
    country     text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX customers_email_idx ON customers (email);
CREATE INDEX customers_email_created_at_idx ON customers (email, created_at);  -- SIN: customers_email_idx is its prefix
CREATE INDEX customers_country_idx ON customers (country);                       -- SIN: never used

CREATE TABLE orders (
    order_id       bigint PRIMARY KEY,
    customer_id    int NOT NULL REFERENCES customers,  -- SIN: int4 referencing int8
    customer_email text,                               -- SIN: a copy of customers.email
    status         text,                               -- SIN: never NULL, but nullable
    ordered_at     timestamptz NOT NULL,
    total          numeric(12,2)
);
CREATE INDEX orders_customer_id_idx ON orders (customer_id);
CREATE INDEX orders_status_idx ON orders (status);
CREATE INDEX orders_status_idx1 ON orders (status);          -- SIN: exact duplicate (migration ran twice)
CREATE INDEX orders_ordered_at_idx ON orders (ordered_at);

CREATE TABLE order_items (
    order_id   bigint NOT NULL REFERENCES orders,    -- covered by the primary key's prefix
    line_no    int NOT NULL,
    product_id int NOT NULL REFERENCES products,     -- SIN: unindexed FK on the largest table
    quantity   int NOT NULL,
    unit_price numeric(10,2) NOT NULL,
    PRIMARY KEY (order_id, line_no)
);

CREATE TABLE payments (
    payment_id bigint PRIMARY KEY,
    order_id   bigint NOT NULL REFERENCES orders,    -- SIN: only an invalid index would cover it (demo/invalid_index.sql)
    method     text NOT NULL,
    amount     numeric(12,2) NOT NULL,
    paid_at    timestamptz NOT NULL
);
CREATE INDEX payments_paid_at_order_id_idx ON payments (paid_at, order_id);  -- does not help the FK

CREATE TABLE shipments (
    shipment_id bigint PRIMARY KEY,
    order_id    bigint NOT NULL,
    line_no     int NOT NULL,
    carrier     text NOT NULL,
    shipped_at  timestamptz NOT NULL,
    -- SIN: two-column FK whose only index has another column in between
    FOREIGN KEY (order_id, line_no) REFERENCES order_items
);
CREATE INDEX shipments_order_id_carrier_line_no_idx ON shipments (order_id, carrier, line_no);

CREATE TABLE reviews (
    review_id   bigint PRIMARY KEY,
    product_id  int NOT NULL REFERENCES products,
    customer_id bigint NOT NULL,                     -- SIN: implied FK to customers, not declared
    order_id    bigint,
    line_no     int,
    rating      int NOT NULL CHECK (rating BETWEEN 1 AND 5),
    body        text,
    created_at  timestamptz NOT NULL,
    -- SIN: unindexed two-column FK
    FOREIGN KEY (order_id, line_no) REFERENCES order_items
);
CREATE INDEX reviews_product_id_idx ON reviews (product_id);

-- SIN: no primary key
CREATE TABLE audit_log (
    logged_at  timestamptz NOT NULL,
    table_name text NOT NULL,
    row_id     bigint NOT NULL,
    action     text NOT NULL,
    payload    jsonb
);
CREATE INDEX audit_log_logged_at_idx ON audit_log (logged_at);

-- Partitioned by month.
CREATE TABLE events (
    event_id    bigint NOT NULL,
    customer_id bigint NOT NULL REFERENCES customers,  -- SIN: unindexed FK on a partitioned table
    kind        text NOT NULL,
    occurred_at timestamptz NOT NULL,
    payload     jsonb,
    PRIMARY KEY (event_id, occurred_at)
) PARTITION BY RANGE (occurred_at);
CREATE TABLE events_2026_01 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2026-02-01');
CREATE TABLE events_2026_02 PARTITION OF events FOR VALUES FROM ('2026-02-01') TO ('2026-03-01');
CREATE TABLE events_2026_03 PARTITION OF events FOR VALUES FROM ('2026-03-01') TO ('2026-04-01');
CREATE TABLE events_2026_04 PARTITION OF events FOR VALUES FROM ('2026-04-01') TO ('2026-05-01');
CREATE TABLE events_2026_05 PARTITION OF events FOR VALUES FROM ('2026-05-01') TO ('2026-06-01');
CREATE TABLE events_2026_06 PARTITION OF events FOR VALUES FROM ('2026-06-01') TO ('2026-07-01');
CREATE INDEX events_kind_occurred_at_idx ON events (kind, occurred_at);
