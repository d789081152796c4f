-- The safe form: the unique index is built concurrently, then attached (a short lock).
CREATE UNIQUE INDEX CONCURRENTLY customers_email_key_idx ON customers (email);
SET lock_timeout = '5s';
ALTER TABLE customers ADD CONSTRAINT customers_email_key UNIQUE USING INDEX customers_email_key_idx;
