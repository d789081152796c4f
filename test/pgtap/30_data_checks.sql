-- Data checks of dbopt_health(include_data => true): every remediation of a schema with all
-- three kinds of findings runs as given, the findings go away, and every revert brings the
-- schema back; data checks never change anything themselves.
BEGIN;
SET LOCAL client_min_messages = warning;  -- the reverts' "does not exist, skipping" notices
SELECT plan(10);

CREATE SCHEMA tap_data;
CREATE TABLE tap_data.authors (id bigint PRIMARY KEY, email text, name text);
CREATE TABLE tap_data.books (
  id bigint PRIMARY KEY,
  author_id bigint,                                  -- implied FK, never NULL
  title text,                                        -- never NULL
  subtitle text,                                     -- has NULLs
  editor_id bigint REFERENCES tap_data.authors,      -- declared FK
  editor_email text);                                -- copy of authors.email
INSERT INTO tap_data.authors SELECT g, 'a' || g || '@example.com', 'author ' || g
  FROM generate_series(1, 40) g;
INSERT INTO tap_data.books
SELECT g, 1 + g % 40, 'title ' || g, CASE WHEN g % 2 = 0 THEN 'sub' END, 1 + g % 7,
       'a' || (1 + g % 7) || '@example.com'
  FROM generate_series(1, 300) g;
ANALYZE tap_data.authors, tap_data.books;

CREATE TEMP TABLE tap_before AS
SELECT check_id, object_name, remediation, revert FROM dbopt_health('tap_data', true)
 WHERE check_id IN ('fk_implied', 'column_missing_not_null', 'column_redundant_copy');
SELECT set_eq(
  'SELECT check_id, object_name FROM tap_before',
  $$VALUES ('fk_implied', 'tap_data.books.author_id'),
           ('column_missing_not_null', 'tap_data.authors.email'),
           ('column_missing_not_null', 'tap_data.authors.name'),
           ('column_missing_not_null', 'tap_data.books.author_id'),
           ('column_missing_not_null', 'tap_data.books.title'),
           ('column_missing_not_null', 'tap_data.books.editor_id'),
           ('column_missing_not_null', 'tap_data.books.editor_email'),
           ('column_redundant_copy', 'tap_data.books.editor_email')$$,
  'the expected findings');
SELECT is((SELECT count(*)::int FROM dbopt_health('tap_data', false)
            WHERE check_id IN ('fk_implied', 'column_missing_not_null', 'column_redundant_copy')),
          0, 'no data findings without include_data');
SELECT is((SELECT count(*)::int FROM tap_before WHERE cardinality(revert) = 0
             AND check_id <> 'column_redundant_copy'), 0,
          'every finding with a remediation has a revert');
SELECT is((SELECT count(*)::int FROM tap_before
            WHERE check_id = 'column_redundant_copy' AND cardinality(remediation) = 0), 1,
          'the redundant copy has no statement to run');

-- This file runs in one transaction (rolled back at the end), where CREATE/DROP INDEX
-- CONCURRENTLY is refused; the statements run as given otherwise. The autocommit path, with
-- CONCURRENTLY, is covered by pg_regress 30 (psql \gexec).
CREATE FUNCTION pg_temp.run_all(statements text[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE s text;
BEGIN
  FOREACH s IN ARRAY statements LOOP EXECUTE replace(s, ' CONCURRENTLY ', ' '); END LOOP;
END $$;
SELECT lives_ok($$SELECT pg_temp.run_all(remediation) FROM tap_before$$,
                'every remediation runs as given');
SELECT is((SELECT count(*)::int FROM dbopt_health('tap_data', true)
            WHERE check_id IN ('fk_implied', 'column_missing_not_null')), 0,
          'and leaves no fk_implied or column_missing_not_null finding');
SELECT is((SELECT count(*)::int FROM pg_constraint
            WHERE connamespace = 'tap_data'::regnamespace AND contype = 'f' AND convalidated), 2,
          'the new foreign key is validated');
SELECT is((SELECT count(*)::int FROM pg_constraint
            WHERE connamespace = 'tap_data'::regnamespace AND contype = 'c'), 0,
          'no helper CHECK constraint is left');
SELECT lives_ok($$SELECT pg_temp.run_all(revert) FROM tap_before$$, 'every revert runs as given');
SELECT set_eq('SELECT check_id, object_name FROM dbopt_health(''tap_data'', true)
                WHERE check_id IN (''fk_implied'', ''column_missing_not_null'', ''column_redundant_copy'')',
              'SELECT check_id, object_name FROM tap_before',
              'and brings every finding back');

SELECT * FROM finish();
ROLLBACK;
