-- One probe failing does not fail the report: each probe runs in a subtransaction and its
-- error becomes a NOTICE. Here the key type's "=" lives in a schema outside the function's
-- pinned search_path, so the implied-FK lookup cannot be parsed.
CREATE SCHEMA dt_err;
CREATE TYPE dt_err.code;
CREATE FUNCTION dt_err.code_in(cstring) RETURNS dt_err.code
  AS 'int4in' LANGUAGE internal IMMUTABLE STRICT;
CREATE FUNCTION dt_err.code_out(dt_err.code) RETURNS cstring
  AS 'int4out' LANGUAGE internal IMMUTABLE STRICT;
CREATE TYPE dt_err.code (INPUT = dt_err.code_in, OUTPUT = dt_err.code_out, LIKE = integer);
CREATE FUNCTION dt_err.code_eq(dt_err.code, dt_err.code) RETURNS boolean AS 'int4eq' LANGUAGE internal IMMUTABLE STRICT;
CREATE FUNCTION dt_err.code_lt(dt_err.code, dt_err.code) RETURNS boolean AS 'int4lt' LANGUAGE internal IMMUTABLE STRICT;
CREATE FUNCTION dt_err.code_le(dt_err.code, dt_err.code) RETURNS boolean AS 'int4le' LANGUAGE internal IMMUTABLE STRICT;
CREATE FUNCTION dt_err.code_gt(dt_err.code, dt_err.code) RETURNS boolean AS 'int4gt' LANGUAGE internal IMMUTABLE STRICT;
CREATE FUNCTION dt_err.code_ge(dt_err.code, dt_err.code) RETURNS boolean AS 'int4ge' LANGUAGE internal IMMUTABLE STRICT;
CREATE FUNCTION dt_err.code_cmp(dt_err.code, dt_err.code) RETURNS integer AS 'btint4cmp' LANGUAGE internal IMMUTABLE STRICT;
CREATE OPERATOR dt_err.= (LEFTARG = dt_err.code, RIGHTARG = dt_err.code, FUNCTION = dt_err.code_eq);
CREATE OPERATOR dt_err.< (LEFTARG = dt_err.code, RIGHTARG = dt_err.code, FUNCTION = dt_err.code_lt);
CREATE OPERATOR dt_err.<= (LEFTARG = dt_err.code, RIGHTARG = dt_err.code, FUNCTION = dt_err.code_le);
CREATE OPERATOR dt_err.> (LEFTARG = dt_err.code, RIGHTARG = dt_err.code, FUNCTION = dt_err.code_gt);
CREATE OPERATOR dt_err.>= (LEFTARG = dt_err.code, RIGHTARG = dt_err.code, FUNCTION = dt_err.code_ge);
CREATE OPERATOR CLASS dt_err.code_ops DEFAULT FOR TYPE dt_err.code USING btree AS
  OPERATOR 1 dt_err.<, OPERATOR 2 dt_err.<=, OPERATOR 3 dt_err.=, OPERATOR 4 dt_err.>=,
  OPERATOR 5 dt_err.>, FUNCTION 1 dt_err.code_cmp(dt_err.code, dt_err.code);
CREATE TABLE dt_err.countries (code dt_err.code PRIMARY KEY, name text);
CREATE TABLE dt_err.cities (id integer PRIMARY KEY, country_code dt_err.code, name text);
INSERT INTO dt_err.countries VALUES ('1', 'a'), ('2', 'b');
INSERT INTO dt_err.cities VALUES (1, '1', 'x'), (2, '2', 'y');
ANALYZE dt_err.countries, dt_err.cities;
-- The fk_implied probe of cities.country_code fails; the NOT NULL probes still report.
SELECT check_id, object_name FROM dbopt_health(schema_name => 'dt_err', include_data => true)
 WHERE check_id IN ('fk_implied', 'column_missing_not_null', 'column_redundant_copy')
 ORDER BY 1, 2;
-- The session and its transaction are fine afterwards.
BEGIN;
SELECT count(*) > 0 AS reported FROM dbopt_health(schema_name => 'dt_err', include_data => true);
SELECT count(*) FROM dt_err.cities;
COMMIT;
SET client_min_messages = warning;
DROP SCHEMA dt_err CASCADE;
RESET client_min_messages;
