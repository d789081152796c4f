-- varchar(n) to text, or to a longer varchar, keeps the stored bytes: no rewrite.
SET lock_timeout = '5s';
ALTER TABLE customers ALTER COLUMN name TYPE text;
