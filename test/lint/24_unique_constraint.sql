-- The constraint's index is built while the table is locked against reads and writes.
SET lock_timeout = '5s';
ALTER TABLE customers ADD CONSTRAINT customers_email_key UNIQUE (email);
