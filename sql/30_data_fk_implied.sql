-- Data check 6, fk_implied: a column named after another table whose single-column primary
-- key has the same type, without a foreign key, and every sampled value found there.
CREATE SCHEMA dt_fk;
CREATE SCHEMA dt_fk2;
CREATE SCHEMA dt_fk3;
SET search_path = dt_fk, public;
CREATE TABLE users (id bigint PRIMARY KEY);
CREATE TABLE authors (author_id integer PRIMARY KEY);
CREATE TABLE categories (id integer PRIMARY KEY);
CREATE TABLE "Order Items" ("Id" integer PRIMARY KEY);
CREATE TABLE dt_fk2.users (id bigint PRIMARY KEY);
CREATE TABLE dt_fk2.tags (id integer PRIMARY KEY);
INSERT INTO users SELECT g FROM generate_series(1, 50) g;
INSERT INTO dt_fk2.users SELECT g FROM generate_series(1, 50) g;
INSERT INTO authors SELECT g FROM generate_series(1, 20) g;
INSERT INTO categories SELECT g FROM generate_series(1, 5) g;
INSERT INTO "Order Items" SELECT g FROM generate_series(1, 5) g;
INSERT INTO dt_fk2.tags SELECT g FROM generate_series(1, 5) g;
CREATE TABLE posts (
  id integer PRIMARY KEY,
  user_id bigint,          -- every value in dt_fk.users (also in dt_fk2.users: same schema wins)
  author_id integer,       -- authors.author_id: the key is named after its table
  category_id bigint,      -- categories.id is integer: types differ
  "orderItemId" integer,   -- "Order Items"."Id"
  userid bigint,           -- orphan values
  parent_id integer,       -- no table "parents"
  reviewer_user_id bigint);-- no table named like that either
INSERT INTO posts
SELECT g, 1 + g % 50, 1 + g % 20, 1 + g % 5, CASE WHEN g % 2 = 0 THEN 1 + g % 5 END,
       CASE WHEN g = 7 THEN 999 ELSE 1 END, NULL, 1
  FROM generate_series(1, 200) g;
CREATE TABLE comments (id integer PRIMARY KEY, user_id bigint REFERENCES users);  -- declared
INSERT INTO comments VALUES (1, 1);
CREATE TABLE drafts (user_id bigint);                -- only NULLs: no evidence
INSERT INTO drafts VALUES (NULL), (NULL);
CREATE TABLE empty_posts (user_id bigint);           -- empty: no evidence
CREATE TABLE post_tags (post_id integer, tag_id integer);  -- tag_id: the only "tags" is dt_fk2's
INSERT INTO post_tags SELECT 1 + g % 200, 1 + g % 5 FROM generate_series(1, 100) g;
CREATE TABLE dt_fk3.visits (user_id bigint);          -- dt_fk.users or dt_fk2.users: ambiguous
INSERT INTO dt_fk3.visits VALUES (1);
ANALYZE;

SELECT object_name, severity, detail->>'referenced_table' AS referenced,
       detail->>'referenced_column' AS key, detail->>'rows_checked' AS checked,
       detail->>'missing_values' AS missing, detail->>'sampled' AS sampled
  FROM dbopt_health(schema_name => 'dt_fk', include_data => true)
 WHERE check_id = 'fk_implied' ORDER BY object_name;
SELECT message, remediation, revert
  FROM dbopt_health(schema_name => 'dt_fk', include_data => true)
 WHERE check_id = 'fk_implied' AND object_name = 'dt_fk.posts."orderItemId"';
-- Ambiguous: two "users" tables, neither in dt_fk3.
SELECT count(*) FROM dbopt_health(schema_name => 'dt_fk3', include_data => true)
 WHERE check_id = 'fk_implied';
-- Catalog checks only by default.
SELECT count(*) FROM dbopt_health(schema_name => 'dt_fk') WHERE check_id = 'fk_implied';

-- The remediation runs as given, statement by statement in autocommit (psql's \gexec: it
-- creates the FK's index CONCURRENTLY first), and the finding goes away without leaving an
-- fk_unindexed one behind; the revert brings it back.
SELECT unnest(remediation)
  FROM dbopt_health(schema_name => 'dt_fk', include_data => true)
 WHERE check_id = 'fk_implied' AND object_name = 'dt_fk.posts.user_id' \gexec
SELECT conname, convalidated, pg_get_constraintdef(oid) FROM pg_constraint
 WHERE conrelid = 'dt_fk.posts'::regclass AND contype = 'f';
SELECT object_name FROM dbopt_health(schema_name => 'dt_fk', include_data => true)
 WHERE check_id = 'fk_implied' ORDER BY object_name;
SELECT check_id, object_name FROM dbopt_health(schema_name => 'dt_fk')
 WHERE object_name LIKE 'dt_fk.posts.posts_user_id%';
SELECT unnest(revert) FROM (VALUES (ARRAY['ALTER TABLE dt_fk.posts DROP CONSTRAINT IF EXISTS posts_user_id_fkey',
                                          'DROP INDEX CONCURRENTLY IF EXISTS dt_fk.posts_user_id_idx'])) r(revert) \gexec
SELECT object_name FROM dbopt_health(schema_name => 'dt_fk', include_data => true)
 WHERE check_id = 'fk_implied' AND object_name = 'dt_fk.posts.user_id';

-- A partitioned referencing table: PostgreSQL 15 has no NOT VALID foreign keys there, so the
-- constraint is added (and validated) in one statement.
CREATE TABLE events (author_id integer, at date) PARTITION BY RANGE (at);
CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
INSERT INTO events SELECT 1 + g % 20, '2024-03-01' FROM generate_series(1, 30) g;
ANALYZE events;
SELECT object_name, remediation FROM dbopt_health(schema_name => 'dt_fk', include_data => true)
 WHERE check_id = 'fk_implied' AND object_name LIKE '%events%';
SELECT unnest(remediation) FROM dbopt_health(schema_name => 'dt_fk', include_data => true)
 WHERE check_id = 'fk_implied' AND object_name = 'dt_fk.events.author_id' \gexec
SELECT count(*) FROM dbopt_health(schema_name => 'dt_fk', include_data => true)
 WHERE check_id = 'fk_implied' AND object_name LIKE '%events%';

-- A large table is sampled: TABLESAMPLE SYSTEM plus LIMIT dbopt.data_sample_rows.
CREATE TABLE big_posts (id integer, user_id bigint);
INSERT INTO big_posts SELECT g, 1 + g % 50 FROM generate_series(1, 50000) g;
ANALYZE big_posts;
SET dbopt.data_sample_rows = 1000;
SELECT object_name, (detail->>'rows_checked')::int BETWEEN 1 AND 1000 AS bounded,
       detail->>'sample_limit' AS sample_limit, detail->>'sampled' AS sampled,
       (detail->>'tablesample_percent')::float8 < 100 AS tablesample,
       message LIKE '%sampled rows%' AS says_sampled
  FROM dbopt_health(schema_name => 'dt_fk', include_data => true)
 WHERE check_id = 'fk_implied' AND object_name = 'dt_fk.big_posts.user_id';
RESET dbopt.data_sample_rows;
SHOW dbopt.data_sample_rows;
SELECT sqlstate_of('SET dbopt.data_sample_rows = 0');
RESET search_path;
