-- Puts back the rows demo/workload.sql deletes (the discontinued products 4981..5000 and the
-- customers 20001..20050 who never ordered), so that the workload can run again and its
-- deletes check the same foreign keys (scripts/demo.sh, test/bench/advisor_demo.sh).
SET search_path = shop;
INSERT INTO products (product_id, category_id, sku, name, price, discontinued)
SELECT g, 1 + (g * 7) % 60, 'SKU-' || lpad(g::text, 6, '0'), 'Product ' || g, 9.99, true
FROM generate_series(4981, 5000) g
ON CONFLICT DO NOTHING;
INSERT INTO customers (customer_id, email, full_name, country, created_at)
SELECT g, 'customer' || g || '@example.com', 'Customer ' || g,
       (ARRAY['DE', 'FR', 'US', 'GB', 'NL', 'SE', 'PL', 'ES'])[1 + g % 8],
       timestamptz '2024-01-01 00:00+00' + g * interval '37 minutes'
FROM generate_series(20001, 20050) g
ON CONFLICT DO NOTHING;
