-- Data changes and comments only: nothing for the DDL rules.
UPDATE customers SET tier = 'basic' WHERE tier IS NULL AND id BETWEEN 1 AND 10000;
DELETE FROM sessions WHERE expires_at < now() - interval '30 days';
COMMENT ON COLUMN customers.tier IS 'pricing tier';
ANALYZE customers;
