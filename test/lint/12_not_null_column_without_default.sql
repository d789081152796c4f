-- Fails on any table with rows: the existing rows would hold NULL.
ALTER TABLE customers ADD COLUMN tier text NOT NULL;
