-- SIN: someone tried to make payments.order_id unique. Some orders are paid in two parts, so
-- the build fails, and CREATE INDEX CONCURRENTLY leaves the half-built index behind, marked
-- invalid: it is maintained on every write but never used. This statement is expected to fail.
CREATE UNIQUE INDEX CONCURRENTLY payments_order_id_key ON shop.payments (order_id);
