-- A few minutes of the shop's traffic, compressed: the lookups the application makes, some
-- updates, and the deletes that make PostgreSQL check foreign keys. It leaves statistics
-- behind (index scans, rows inserted/updated/deleted) for dbopt's checks to read.
SET search_path = shop;

DO $$
DECLARE
    i int;
BEGIN
    FOR i IN 1..400 LOOP
        -- log in by e-mail, list the customer's orders, open one order
        PERFORM * FROM customers WHERE email = 'customer' || (1 + (i * 37) % 20000) || '@example.com';
        PERFORM * FROM orders WHERE customer_id = 1 + (i * 53) % 20000 ORDER BY ordered_at DESC LIMIT 10;
        PERFORM * FROM order_items WHERE order_id = 1 + (i * 97) % 60000;
        PERFORM * FROM products WHERE product_id = 1 + (i * 11) % 4980;
        PERFORM * FROM products WHERE sku = 'SKU-' || lpad((1 + (i * 13) % 4980)::text, 6, '0');
        PERFORM * FROM reviews WHERE product_id = 1 + (i * 11) % 4980;
        PERFORM * FROM events WHERE event_id = i * 113 AND occurred_at >= '2026-01-01';
    END LOOP;
END
$$;

-- back office
SELECT count(*) FROM orders WHERE status = 'new';
SELECT count(*) FROM orders WHERE ordered_at >= timestamptz '2026-02-01 00:00+00';
SELECT kind, count(*) FROM events WHERE kind = 'cart' AND occurred_at >= '2026-06-01' GROUP BY kind;
SELECT count(*) FROM audit_log WHERE logged_at >= timestamptz '2026-01-01 00:00+00';
SELECT count(*) FROM shipments WHERE order_id = 4242;
SELECT count(*) FROM payments WHERE paid_at >= timestamptz '2026-02-01 00:00+00';

-- order processing
UPDATE orders SET status = 'paid' WHERE order_id IN (SELECT order_id FROM orders WHERE status = 'new' ORDER BY order_id LIMIT 200);
INSERT INTO audit_log (logged_at, table_name, row_id, action)
SELECT now(), 'orders', order_id, 'update' FROM orders WHERE status = 'paid' ORDER BY order_id LIMIT 200;

-- clean-up jobs: each deleted row makes PostgreSQL look for referencing rows
DELETE FROM products WHERE discontinued AND product_id > 4980;   -- scans order_items, reviews
DELETE FROM customers WHERE customer_id > 20000;                 -- scans orders, events (every partition)
