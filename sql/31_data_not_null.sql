-- Data check 7, column_missing_not_null: nullable columns that hold no NULL in the sample and
-- (when statistics exist) in pg_stats.
CREATE SCHEMA dt_nn;
SET search_path = dt_nn, public;
CREATE TYPE pair AS (a integer, b integer);
CREATE TABLE accounts (
  id integer PRIMARY KEY,
  name text,                  -- never NULL: reported
  nickname text,              -- has NULLs: not reported
  "Weird ""Col""" integer,    -- never NULL, hostile name: reported, quoted
  doubled integer GENERATED ALWAYS AS (id * 2) STORED,  -- generated: skipped
  point pair,                 -- composite: skipped (IS NULL looks at the fields)
  email text NOT NULL);       -- already NOT NULL
INSERT INTO accounts (id, name, nickname, "Weird ""Col""", point, email)
SELECT g, 'n' || g, CASE WHEN g % 3 = 0 THEN 'nick' END, g, ROW(g, NULL)::pair, 'e' || g
  FROM generate_series(1, 30) g;
CREATE TABLE empty_accounts (id integer, name text);  -- empty: no evidence, no finding
CREATE TABLE fresh (a integer, b integer);              -- never analyzed: the sample decides
INSERT INTO fresh VALUES (1, NULL), (2, 2);
ANALYZE accounts, empty_accounts;

SELECT object_name, severity, detail->>'rows_checked' AS checked,
       detail->>'nulls_found' AS nulls, detail->>'null_frac' AS null_frac,
       detail->>'sampled' AS sampled
  FROM dbopt_health(schema_name => 'dt_nn', include_data => true)
 WHERE check_id = 'column_missing_not_null' ORDER BY object_name;
SELECT message, remediation, revert
  FROM dbopt_health(schema_name => 'dt_nn', include_data => true)
 WHERE check_id = 'column_missing_not_null' AND object_name LIKE '%Weird%';

-- Statistics that saw NULLs win over a sample that did not.
CREATE TABLE late (a integer);
INSERT INTO late SELECT NULL FROM generate_series(1, 10);
ANALYZE late;
DELETE FROM late;
INSERT INTO late VALUES (1);
SELECT count(*) FROM dbopt_health(schema_name => 'dt_nn', include_data => true)
 WHERE check_id = 'column_missing_not_null' AND object_name = 'dt_nn.late.a';

-- A partitioned table is judged as a whole, never per partition.
CREATE TABLE measurements (sensor integer, at date) PARTITION BY RANGE (at);
CREATE TABLE measurements_2024 PARTITION OF measurements
  FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
INSERT INTO measurements SELECT g, '2024-05-01' FROM generate_series(1, 20) g;
ANALYZE measurements;
SELECT object_name FROM dbopt_health(schema_name => 'dt_nn', include_data => true)
 WHERE check_id = 'column_missing_not_null' AND object_name LIKE '%measurements%'
 ORDER BY 1;

-- The remediation runs as given; afterwards the column is NOT NULL and the helper CHECK is
-- gone; the revert undoes it.
CREATE FUNCTION pg_temp.run_all(statements text[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE s text;
BEGIN
  FOREACH s IN ARRAY statements LOOP EXECUTE s; END LOOP;
END $$;
SELECT pg_temp.run_all(remediation)
  FROM dbopt_health(schema_name => 'dt_nn', include_data => true)
 WHERE check_id = 'column_missing_not_null'
   AND object_name IN ('dt_nn.accounts."Weird ""Col"""', 'dt_nn.measurements.at');
SELECT attrelid::regclass, attname, attnotnull FROM pg_attribute
 WHERE attrelid IN ('dt_nn.accounts'::regclass, 'dt_nn.measurements'::regclass,
                    'dt_nn.measurements_2024'::regclass)
   AND attname IN ('Weird "Col"', 'at') ORDER BY 1, 2;
SELECT count(*) AS leftover_checks FROM pg_constraint
 WHERE connamespace = 'dt_nn'::regnamespace AND contype = 'c';
SELECT pg_temp.run_all(ARRAY['ALTER TABLE dt_nn.accounts ALTER COLUMN "Weird ""Col""" DROP NOT NULL',
                             'ALTER TABLE dt_nn.accounts DROP CONSTRAINT IF EXISTS "accounts_Weird ""Col""_not_null"']);
SELECT attnotnull FROM pg_attribute
 WHERE attrelid = 'dt_nn.accounts'::regclass AND attname = 'Weird "Col"';
RESET search_path;
