-- Each of these defaults is computed per row: the table is rewritten.
SET lock_timeout = '5s';
ALTER TABLE events ADD COLUMN token uuid DEFAULT gen_random_uuid();
ALTER TABLE events ADD COLUMN jitter double precision DEFAULT random();
ALTER TABLE events ADD COLUMN seen_at timestamptz DEFAULT clock_timestamp();
