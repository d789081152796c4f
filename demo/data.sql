-- Fills the demo schema (demo/schema.sql) with about 420,000 rows of made-up shop data.
-- Deterministic: the same rows every run. `psql -v scale=N` makes the shop N times as busy
-- (test/bench/advisor_demo.sh): N times the orders, order lines, payments, shipments,
-- reviews, events and audit entries over the same period, for the same customers and
-- products (demo/workload.sql looks them up by number).
\if :{?scale}
\else
\set scale 1
\endif
SET search_path = shop;
SET client_min_messages = warning;
SELECT setseed(0.2026) AS seed \gset

INSERT INTO categories (category_id, parent_id, name)
SELECT g, CASE WHEN g > 10 THEN 1 + g % 10 END, 'Category ' || g
FROM generate_series(1, 60) g;

-- Products 4981..5000 are never ordered or reviewed: demo/workload.sql deletes them.
INSERT INTO products (product_id, category_id, sku, name, price, discontinued)
SELECT g, 1 + (g * 7) % 60, 'SKU-' || lpad(g::text, 6, '0'), 'Product ' || g,
       round((2 + random() * 498)::numeric, 2), g > 4980
FROM generate_series(1, 5000) g;

-- Customers 20001..20050 never order: demo/workload.sql deletes them.
INSERT INTO customers (customer_id, email, full_name, country, created_at)
SELECT g, 'customer' || g || '@example.com', 'Customer ' || g,
       (ARRAY['DE', 'FR', 'US', 'GB', 'NL', 'SE', 'PL', 'ES'])[1 + g % 8],
       timestamptz '2024-01-01 00:00+00' + g * interval '37 minutes'
FROM generate_series(1, 20050) g;

INSERT INTO orders (order_id, customer_id, customer_email, status, ordered_at)
SELECT g, c.customer_id, c.email,
       (ARRAY['new', 'paid', 'shipped', 'delivered', 'delivered', 'cancelled'])[1 + (g * 13) % 6],
       timestamptz '2025-01-01 00:00+00' + g * interval '11 minutes' / :scale
FROM generate_series(1, 60000 * :scale) g
JOIN customers c ON c.customer_id = 1 + (g::bigint * 7919) % 20000;

-- 1 to 4 lines per order: 150,000 rows. The price paid is the product's price at the time:
-- one line in eight was sold before the last price change.
INSERT INTO order_items (order_id, line_no, product_id, quantity, unit_price)
SELECT o.order_id, l, p.product_id, 1 + (o.order_id + l) % 3,
       CASE WHEN (o.order_id + l) % 8 = 0 THEN round(p.price * 0.9, 2) ELSE p.price END
FROM orders o
CROSS JOIN LATERAL generate_series(1, 1 + (o.order_id % 4)::int) l
JOIN products p ON p.product_id = 1 + (o.order_id * 31 + l * 17) % 4980;

UPDATE orders o SET total = s.total
FROM (SELECT order_id, sum(quantity * unit_price) AS total FROM order_items GROUP BY order_id) s
WHERE s.order_id = o.order_id;

-- One payment per paid order; one order in twenty is paid in two parts.
INSERT INTO payments (payment_id, order_id, method, amount, paid_at)
SELECT row_number() OVER (ORDER BY o.order_id, part), o.order_id,
       (ARRAY['card', 'card', 'paypal', 'invoice'])[1 + (o.order_id + part) % 4],
       CASE WHEN o.order_id % 20 = 0 THEN round(o.total / 2, 2) ELSE o.total END,
       o.ordered_at + (part * 7 + o.order_id % 50) * interval '1 minute'
FROM orders o
CROSS JOIN LATERAL generate_series(1, CASE WHEN o.order_id % 20 = 0 THEN 2 ELSE 1 END) part
WHERE o.status <> 'new';

INSERT INTO shipments (shipment_id, order_id, line_no, carrier, shipped_at)
SELECT row_number() OVER (ORDER BY i.order_id, i.line_no), i.order_id, i.line_no,
       (ARRAY['DHL', 'UPS', 'DPD', 'PostNL'])[1 + i.order_id % 4],
       o.ordered_at + interval '1 day' + (i.order_id % 48) * interval '1 hour'
FROM order_items i
JOIN orders o USING (order_id)
WHERE o.status IN ('shipped', 'delivered') AND i.line_no <= 2;

INSERT INTO reviews (review_id, product_id, customer_id, order_id, line_no, rating, body, created_at)
SELECT row_number() OVER (ORDER BY i.order_id, i.line_no), i.product_id, o.customer_id,
       i.order_id, i.line_no, 1 + (i.order_id * 7 + i.line_no) % 5,
       CASE WHEN i.order_id % 3 = 0 THEN 'Review of product ' || i.product_id END,
       o.ordered_at + interval '10 days'
FROM order_items i
JOIN orders o USING (order_id)
WHERE (i.order_id + i.line_no) % 10 = 0;

INSERT INTO audit_log (logged_at, table_name, row_id, action, payload)
SELECT timestamptz '2025-01-01 00:00+00' + g * interval '33 minutes' / :scale,
       (ARRAY['orders', 'customers', 'products', 'payments'])[1 + g % 4], 1 + g % 20000,
       (ARRAY['insert', 'update', 'update', 'delete'])[1 + (g / 4) % 4],
       CASE WHEN g % 4 <> 0 THEN jsonb_build_object('by', 'app', 'seq', g) END
FROM generate_series(1, 20000 * :scale) g;

INSERT INTO events (event_id, customer_id, kind, occurred_at, payload)
SELECT g, 1 + (g::bigint * 104729) % 20000,
       (ARRAY['login', 'view', 'view', 'view', 'cart', 'search'])[1 + g % 6],
       timestamptz '2026-01-01 00:00+00' + (g * 259) * interval '1 second' / :scale,
       CASE WHEN g % 6 <> 0 THEN jsonb_build_object('session', g / 7) END
FROM generate_series(1, 60000 * :scale) g;

-- SIN: added to a live table with NOT VALID to avoid the long lock, and never validated.
ALTER TABLE orders ADD CONSTRAINT orders_total_nonnegative CHECK (total >= 0) NOT VALID;
