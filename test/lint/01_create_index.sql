-- A plain index build on an existing table blocks its writes for the whole build.
CREATE INDEX orders_customer_id_idx ON orders (customer_id);
