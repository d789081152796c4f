SET lock_timeout = '5s';
ALTER TABLE customers RENAME TO clients;
