-- ACCESS EXCLUSIVE without lock_timeout: queued behind a long query, it blocks every query.
ALTER TABLE customers ADD COLUMN nickname text;
