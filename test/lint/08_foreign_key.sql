-- A validated foreign key scans orders under a lock that blocks writes to both tables.
CREATE INDEX CONCURRENTLY orders_coupon_id_idx ON orders (coupon_id);
ALTER TABLE orders ADD CONSTRAINT orders_coupon_id_fkey
  FOREIGN KEY (coupon_id) REFERENCES coupons (id);
