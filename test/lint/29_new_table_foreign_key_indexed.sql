-- A new table: its foreign key is indexed in the same file, its types are the recommended
-- ones, and nothing locks an existing table for long (but orders is locked: lock_timeout).
CREATE TABLE shipments (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  order_id bigint NOT NULL REFERENCES orders (id),
  shipped_at timestamptz NOT NULL DEFAULT now(),
  carrier text NOT NULL,
  payload jsonb
);
CREATE INDEX shipments_order_id_idx ON shipments (order_id);
