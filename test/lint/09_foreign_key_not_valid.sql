-- The safe form: NOT VALID first (new rows only), then VALIDATE (no write lock), and an
-- index on the referencing column built beforehand.
SET lock_timeout = '5s';
CREATE INDEX CONCURRENTLY orders_coupon_id_idx ON orders (coupon_id);
ALTER TABLE orders ADD CONSTRAINT orders_coupon_id_fkey
  FOREIGN KEY (coupon_id) REFERENCES coupons (id) NOT VALID;
ALTER TABLE orders VALIDATE CONSTRAINT orders_coupon_id_fkey;
