SET lock_timeout = '5s';
ALTER TABLE customers RENAME COLUMN name TO full_name;
