-- Everything here touches a table created earlier in the same file: it is empty, so no
-- rewrite or scan hazard applies (the foreign key still locks customers, which exists).
CREATE TABLE invoices (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  customer_id bigint NOT NULL,
  total numeric(12, 2) NOT NULL
);
CREATE INDEX invoices_customer_id_idx ON invoices (customer_id);
ALTER TABLE invoices ADD COLUMN issued_on date NOT NULL;
ALTER TABLE invoices ADD CONSTRAINT invoices_customer_id_fkey
  FOREIGN KEY (customer_id) REFERENCES customers (id);
ALTER TABLE invoices ADD CONSTRAINT invoices_total_check CHECK (total >= 0);
ALTER TABLE invoices ALTER COLUMN total TYPE numeric(14, 2);
