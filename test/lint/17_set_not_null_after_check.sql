-- The safe form: a NOT VALID check, validated without blocking writes, proves the column
-- has no NULL, so SET NOT NULL does not scan (PostgreSQL 12+).
SET lock_timeout = '5s';
ALTER TABLE customers ADD CONSTRAINT customers_email_not_null CHECK (email IS NOT NULL) NOT VALID;
ALTER TABLE customers VALIDATE CONSTRAINT customers_email_not_null;
ALTER TABLE customers ALTER COLUMN email SET NOT NULL;
ALTER TABLE customers DROP CONSTRAINT customers_email_not_null;
