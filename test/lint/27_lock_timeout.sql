SET lock_timeout = '3s';
ALTER TABLE customers ADD COLUMN nickname text;
