-- CONCURRENTLY cannot run inside a transaction block: this file fails half-way.
BEGIN;
CREATE INDEX CONCURRENTLY orders_placed_at_idx ON orders (placed_at);
COMMIT;
