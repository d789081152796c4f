-- Data set of test/bench/whatif_accuracy.sh: uniform, skewed and duplicate-heavy columns, and a
-- text table for pg_trgm. :scale is the row count of the large tables (default 1,000,000).
SELECT setseed(0.42) \gset
CREATE SCHEMA wb;

-- Uniform: distinct or nearly distinct values.
CREATE TABLE wb.uniform (
  id integer PRIMARY KEY,
  u_int integer,
  u_big bigint,
  u_text text,
  u_ts timestamptz,
  u_num numeric(12,2)
);
INSERT INTO wb.uniform
SELECT i, (random() * :scale)::int, (random() * 1e12)::bigint,
       substr(md5(i::text), 1, 8 + (i % 17)),
       timestamptz '2020-01-01' + random() * interval '1000 days',
       round((random() * 100000)::numeric, 2)
  FROM generate_series(1, :scale) AS i;

-- Skewed: a few values hold most rows (Zipf-like), NULLs.
CREATE TABLE wb.skewed (
  id integer PRIMARY KEY,
  z_int integer,
  z_text text,
  n_int integer,
  email text
);
INSERT INTO wb.skewed
SELECT i, floor(exp(random() * ln(100000)))::int,
       'cat_' || floor(exp(random() * ln(500)))::int,
       CASE WHEN random() < 0.3 THEN NULL ELSE (random() * 100000)::int END,
       'User' || (random() * :scale)::int || '@Example.com'
  FROM generate_series(1, :scale) AS i;

-- Duplicate-heavy: few distinct values.
CREATE TABLE wb.dups (
  id integer PRIMARY KEY,
  d_small integer,
  d_status text,
  d_day date,
  d_flag boolean,
  d_num numeric(6,1),
  d_tenant integer
);
INSERT INTO wb.dups
SELECT i, (random() * 9)::int,
       (ARRAY['new','open','paid','shipped','closed'])[1 + (random() * 4)::int],
       date '2024-01-01' + (random() * 364)::int,
       random() < 0.05,
       round((random() * 20)::numeric, 1),
       (random() * 999)::int
  FROM generate_series(1, :scale) AS i;

-- Text for trigram indexes.
CREATE TABLE wb.docs (
  id integer PRIMARY KEY,
  title text,
  code text
);
INSERT INTO wb.docs
SELECT i,
       (SELECT string_agg(w, ' ')
          FROM (SELECT (ARRAY['alpha','bravo','charlie','delta','echo','foxtrot','golf','hotel',
                              'india','juliet','kilo','lima','mike','november','oscar','papa',
                              'quebec','romeo','sierra','tango','uniform','victor','whiskey',
                              'xray','yankee','zulu'])[1 + (random() * 25)::int] || (i % 97) AS w
                  FROM generate_series(1, 3 + i % 5)) AS words),
       upper(substr(md5((i * 7)::text), 1, 10))
  FROM generate_series(1, :scale / 5) AS i;

VACUUM ANALYZE wb.uniform, wb.skewed, wb.dups, wb.docs;

-- The indexes, each with a query it should serve.
CREATE TABLE wb.cases (
  n serial PRIMARY KEY,
  label text,
  ddl text,
  query text
);
INSERT INTO wb.cases (label, ddl, query) VALUES
 ('uniform int',            'CREATE INDEX wb_i ON wb.uniform (u_int)', 'SELECT * FROM wb.uniform WHERE u_int BETWEEN 1000 AND 1500'),
 ('uniform bigint',         'CREATE INDEX wb_i ON wb.uniform (u_big)', 'SELECT * FROM wb.uniform WHERE u_big = 12345'),
 ('uniform text',           'CREATE INDEX wb_i ON wb.uniform (u_text)', 'SELECT * FROM wb.uniform WHERE u_text = ''abcdef12'''),
 ('uniform timestamptz',    'CREATE INDEX wb_i ON wb.uniform (u_ts)', 'SELECT * FROM wb.uniform WHERE u_ts > ''2022-09-20'' ORDER BY u_ts LIMIT 50'),
 ('uniform numeric',        'CREATE INDEX wb_i ON wb.uniform (u_num)', 'SELECT * FROM wb.uniform WHERE u_num BETWEEN 100 AND 110'),
 ('uniform int, text',      'CREATE INDEX wb_i ON wb.uniform (u_int, u_text)', 'SELECT * FROM wb.uniform WHERE u_int = 77 AND u_text > ''a'''),
 ('uniform desc include',   'CREATE INDEX wb_i ON wb.uniform (u_ts DESC) INCLUDE (u_num)', 'SELECT u_ts, u_num FROM wb.uniform ORDER BY u_ts DESC LIMIT 100'),
 ('uniform partial',        'CREATE INDEX wb_i ON wb.uniform (u_ts) WHERE u_int < 10000', 'SELECT * FROM wb.uniform WHERE u_int < 10000 AND u_ts > ''2022-01-01'''),
 ('uniform hash text',      'CREATE INDEX wb_i ON wb.uniform USING hash (u_text)', 'SELECT * FROM wb.uniform WHERE u_text = ''abcdef12'''),
 ('uniform hash int',       'CREATE INDEX wb_i ON wb.uniform USING hash (u_int)', 'SELECT * FROM wb.uniform WHERE u_int = 4242'),
 ('skewed int',             'CREATE INDEX wb_i ON wb.skewed (z_int)', 'SELECT * FROM wb.skewed WHERE z_int = 5000'),
 ('skewed text',            'CREATE INDEX wb_i ON wb.skewed (z_text)', 'SELECT * FROM wb.skewed WHERE z_text = ''cat_300'''),
 ('skewed nulls',           'CREATE INDEX wb_i ON wb.skewed (n_int)', 'SELECT * FROM wb.skewed WHERE n_int BETWEEN 10 AND 20'),
 ('skewed lower(email)',    'CREATE INDEX wb_i ON wb.skewed ((lower(email)))', 'SELECT * FROM wb.skewed WHERE lower(email) = ''user4242@example.com'''),
 ('skewed hash z_int',      'CREATE INDEX wb_i ON wb.skewed USING hash (z_int)', 'SELECT * FROM wb.skewed WHERE z_int = 5000'),
 ('skewed int, nulls',      'CREATE INDEX wb_i ON wb.skewed (z_int, n_int)', 'SELECT * FROM wb.skewed WHERE z_int = 5000 AND n_int > 100'),
 ('dups small int',         'CREATE INDEX wb_i ON wb.dups (d_small)', 'SELECT d_small, count(*) FROM wb.dups WHERE d_small = 0 GROUP BY 1'),
 ('dups status',            'CREATE INDEX wb_i ON wb.dups (d_status)', 'SELECT * FROM wb.dups WHERE d_status = ''new'' LIMIT 10'),
 ('dups day',               'CREATE INDEX wb_i ON wb.dups (d_day)', 'SELECT * FROM wb.dups WHERE d_day = ''2024-03-01'''),
 ('dups flag partial',      'CREATE INDEX wb_i ON wb.dups (d_day) WHERE d_flag', 'SELECT * FROM wb.dups WHERE d_flag AND d_day = ''2024-03-01'''),
 ('dups numeric (no dedup)','CREATE INDEX wb_i ON wb.dups (d_num)', 'SELECT * FROM wb.dups WHERE d_num = 3.5'),
 ('dups tenant, day',       'CREATE INDEX wb_i ON wb.dups (d_tenant, d_day)', 'SELECT * FROM wb.dups WHERE d_tenant = 7 AND d_day > ''2024-06-01'''),
 ('dups tenant include',    'CREATE INDEX wb_i ON wb.dups (d_tenant) INCLUDE (d_status)', 'SELECT d_tenant, d_status FROM wb.dups WHERE d_tenant = 7'),
 ('dups unique id desc',    'CREATE UNIQUE INDEX wb_i ON wb.dups (id DESC)', 'SELECT * FROM wb.dups ORDER BY id DESC LIMIT 10'),
 ('dups hash status',       'CREATE INDEX wb_i ON wb.dups USING hash (d_status)', 'SELECT * FROM wb.dups WHERE d_status = ''new'' LIMIT 10'),
 ('docs trgm title',        'CREATE INDEX wb_i ON wb.docs USING gin (title gin_trgm_ops)', 'SELECT * FROM wb.docs WHERE title LIKE ''%ulu4%'''),
 ('docs trgm code',         'CREATE INDEX wb_i ON wb.docs USING gin (code gin_trgm_ops)', 'SELECT * FROM wb.docs WHERE code ILIKE ''%a1b%'''),
 ('docs btree title',       'CREATE INDEX wb_i ON wb.docs (title)', 'SELECT * FROM wb.docs WHERE title = ''alpha1 bravo1''');
