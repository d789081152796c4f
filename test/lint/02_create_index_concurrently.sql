-- The safe form: built concurrently, outside a transaction, named explicitly.
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_id_idx ON orders (customer_id);
