-- now() and CURRENT_TIMESTAMP are evaluated once per statement: no rewrite.
SET lock_timeout = '5s';
ALTER TABLE events ADD COLUMN imported_at timestamptz DEFAULT now();
ALTER TABLE events ADD COLUMN checked_at timestamptz DEFAULT CURRENT_TIMESTAMP;
ALTER TABLE events ADD COLUMN source text DEFAULT 'api'::text;
