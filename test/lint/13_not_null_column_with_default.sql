-- A constant default is stored in the catalog (PostgreSQL 11+): no rewrite, no scan.
SET lock_timeout = '5s';
ALTER TABLE customers ADD COLUMN tier text NOT NULL DEFAULT 'basic';
ALTER TABLE customers ADD COLUMN score integer DEFAULT 0;
