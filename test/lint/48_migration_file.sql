-- A dbopt migration file: the up section adds an indexed, validated foreign key the safe way;
-- the down section undoes it (and drops the index without CONCURRENTLY, which is flagged).
-- dbopt:up
SET lock_timeout = '5s';
ALTER TABLE orders ADD COLUMN warehouse_id bigint;
CREATE INDEX CONCURRENTLY orders_warehouse_id_idx ON orders (warehouse_id);
ALTER TABLE orders ADD CONSTRAINT orders_warehouse_id_fkey
  FOREIGN KEY (warehouse_id) REFERENCES warehouses (id) NOT VALID;
ALTER TABLE orders VALIDATE CONSTRAINT orders_warehouse_id_fkey;

-- dbopt:down
SET lock_timeout = '5s';
ALTER TABLE orders DROP CONSTRAINT orders_warehouse_id_fkey;
DROP INDEX orders_warehouse_id_idx;
ALTER TABLE orders DROP COLUMN warehouse_id;
