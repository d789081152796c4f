-- The what-if engine's errors: bad DDL, unknown objects, unsupported kinds, NULLs; and
-- isolation: a hypothetical index never shows up in a normal plan afterwards, also after an
-- error in the middle of planning, nor in another session.
CREATE SCHEMA wie;
CREATE TABLE wie.t (a integer, b text, c jsonb);
INSERT INTO wie.t SELECT i, 'v' || i, '{}' FROM generate_series(1, 5000) AS i;
ANALYZE wie.t;
CREATE VIEW wie.v AS SELECT * FROM wie.t;

SELECT sqlstate_of($$SELECT dbopt_hypothetical_index_size('CREATE INDEX ON wie.t (a')$$);
SELECT sqlstate_of($$SELECT dbopt_hypothetical_index_size('SELECT 1')$$);
SELECT sqlstate_of($$SELECT dbopt_hypothetical_index_size('CREATE INDEX ON wie.t (a); CREATE INDEX ON wie.t (b)')$$);
SELECT sqlstate_of($$SELECT dbopt_hypothetical_index_size('CREATE INDEX ON wie.nope (a)')$$);
SELECT sqlstate_of($$SELECT dbopt_hypothetical_index_size('CREATE INDEX ON nope.t (a)')$$);
SELECT sqlstate_of($$SELECT dbopt_hypothetical_index_size('CREATE INDEX ON wie.t (nope)')$$);
SELECT sqlstate_of($$SELECT dbopt_hypothetical_index_size('CREATE INDEX ON wie.t USING brin (a)')$$);
SELECT sqlstate_of($$SELECT dbopt_hypothetical_index_size('CREATE INDEX ON wie.t USING nope (a)')$$);
SELECT sqlstate_of($$SELECT dbopt_hypothetical_index_size('CREATE INDEX ON wie.t USING hash (a DESC)')$$);
SELECT sqlstate_of($$SELECT dbopt_hypothetical_index_size('CREATE INDEX ON wie.t USING hash (a, b)')$$);
SELECT sqlstate_of($$SELECT dbopt_hypothetical_index_size('CREATE INDEX ON wie.t USING gin (c) INCLUDE (a)')$$);
SELECT sqlstate_of($$SELECT dbopt_hypothetical_index_size('CREATE INDEX ON wie.t ((a + random()::int))')$$);
SELECT sqlstate_of($$SELECT dbopt_hypothetical_index_size('CREATE INDEX ON wie.t (a) WHERE b > now()::text')$$);
SELECT sqlstate_of($$SELECT dbopt_hypothetical_index_size('CREATE INDEX ON wie.t (a text_ops)')$$);
SELECT sqlstate_of($$SELECT dbopt_hypothetical_index_size('CREATE INDEX ON wie.t USING gin (a)')$$);
SELECT sqlstate_of($$SELECT dbopt_hypothetical_index_size('CREATE INDEX ON wie.t (a) WITH (fillfactor = 5)')$$);
SELECT sqlstate_of($$SELECT dbopt_hypothetical_index_size('CREATE INDEX ON wie.t (a) WITH (nope = 1)')$$);
SELECT sqlstate_of($$SELECT dbopt_hypothetical_index_size('CREATE INDEX ON wie.v (a)')$$);
SELECT sqlstate_of($$SELECT dbopt_hypothetical_index_size(NULL)$$);
SELECT sqlstate_of($$SELECT * FROM dbopt_whatif(NULL)$$);
SELECT sqlstate_of($$SELECT * FROM dbopt_whatif('SELECT 1', ARRAY[NULL])$$);
SELECT sqlstate_of($$SELECT * FROM dbopt_whatif('SELECT 1; SELECT 2')$$);
SELECT sqlstate_of($$SELECT * FROM dbopt_whatif('VACUUM wie.t')$$);
SELECT sqlstate_of($$SELECT * FROM dbopt_whatif('SELECT nope FROM wie.t')$$);
-- The message and hint as a user sees them.
SELECT * FROM dbopt_hypothetical_index('CREATE INDEX ON wie.t (nope)');
SELECT * FROM dbopt_hypothetical_index('CREATE INDEX ON wie.t USING gist (a)');

-- Isolation. A plain EXPLAIN after dbopt_whatif(): no hypothetical index.
SELECT indexes_used FROM dbopt_whatif('SELECT * FROM wie.t WHERE a = 1', ARRAY['CREATE INDEX ON wie.t (a)']);
EXPLAIN (COSTS OFF) SELECT * FROM wie.t WHERE a = 1;
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT * FROM wie.t WHERE a = 1;
RESET enable_seqscan;
-- An error raised while the planner runs with the hypothetical index (1/0 is folded at plan
-- time) leaves nothing behind, in the same transaction after a savepoint, and afterwards.
BEGIN;
SAVEPOINT s;
SELECT * FROM dbopt_whatif('SELECT * FROM wie.t WHERE a = 1/0', ARRAY['CREATE INDEX ON wie.t (a)']);
ROLLBACK TO SAVEPOINT s;
SET LOCAL enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT * FROM wie.t WHERE a = 1;
COMMIT;
SELECT * FROM dbopt_whatif('SELECT * FROM wie.t WHERE a = 1/0', ARRAY['CREATE INDEX ON wie.t (a)']);
EXPLAIN (COSTS OFF) SELECT * FROM wie.t WHERE a = 1;
-- A prepared statement planned after dbopt_whatif() does not see it either.
SELECT indexes_used FROM dbopt_whatif('SELECT * FROM wie.t WHERE a = $1', ARRAY['CREATE INDEX ON wie.t (a)']);
PREPARE p(integer) AS SELECT * FROM wie.t WHERE a = $1;
EXPLAIN (COSTS OFF) EXECUTE p(1);
-- dbopt's own statements (the planned query, samples, a column's extremes) are not captured
-- as workload.
SELECT indexes_used FROM dbopt_whatif('SELECT a AS whatif_marker FROM wie.t WHERE b > ''v9''',
                                      ARRAY['CREATE INDEX ON wie.t (b)', 'CREATE INDEX ON wie.t (a, b)']);
SELECT count(*) FROM dbopt_queries
 WHERE query LIKE '%whatif_marker%' OR query LIKE '%TABLESAMPLE%' OR query LIKE '%IS NOT NULL ORDER BY%';
-- Another session (a new connection) sees only real indexes.
\c
EXPLAIN (COSTS OFF) SELECT * FROM wie.t WHERE a = 1;
