-- Locks that block writes (or everything) besides ALTER TABLE: each waits behind long
-- transactions on an existing table and queues every later query behind it.
CREATE TRIGGER orders_audit AFTER UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION audit();
DROP TRIGGER orders_touch ON orders;
TRUNCATE import_staging;
LOCK TABLE customers IN SHARE MODE;
LOCK TABLE customers IN ROW EXCLUSIVE MODE;
CREATE TABLE measurements_2028 PARTITION OF measurements
  FOR VALUES FROM ('2028-01-01') TO ('2029-01-01');
CREATE TABLE refunds (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  order_id bigint NOT NULL REFERENCES orders (id)
);
CREATE INDEX refunds_order_id_idx ON refunds (order_id);
CREATE TRIGGER refunds_audit AFTER INSERT ON refunds FOR EACH ROW EXECUTE FUNCTION audit();
TRUNCATE refunds;
CREATE INDEX measurements_taken_at_idx ON ONLY measurements (taken_at);
REINDEX SCHEMA archive;
LOCK TABLE customers IN ACCESS EXCLUSIVE MODE NOWAIT;
