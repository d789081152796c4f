-- The new foreign key's column has no index: every delete of a warehouse scans stock.
SET lock_timeout = '5s';
ALTER TABLE stock ADD CONSTRAINT stock_warehouse_id_fkey
  FOREIGN KEY (warehouse_id) REFERENCES warehouses (id) NOT VALID;
ALTER TABLE stock VALIDATE CONSTRAINT stock_warehouse_id_fkey;
