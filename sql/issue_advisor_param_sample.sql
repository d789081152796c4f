-- The advisor read a captured sample as a bare Query; a sample that carries its parameter
-- values ("(<query> <values>)": PL/pgSQL variables, foreign key checks, the extended
-- protocol) made dbopt_recommend_indexes() fail as a whole with "not a Query". Both kinds
-- are advised on now.
SET dbopt.sample_rate = 0;
CREATE TABLE issue_ps_parent (id int PRIMARY KEY);
CREATE TABLE issue_ps_child (id int PRIMARY KEY, parent_id int REFERENCES issue_ps_parent,
                             note text);
INSERT INTO issue_ps_parent SELECT i FROM generate_series(1, 500) i;
INSERT INTO issue_ps_child SELECT i, 1 + i % 400, 'n' || i FROM generate_series(1, 20000) i;
ANALYZE issue_ps_parent, issue_ps_child;
-- A loop whose lookup binds its variable as a parameter, and deletes that make PostgreSQL
-- check the foreign key (SPI, with the key as a parameter).
DO $$
DECLARE i int;
BEGIN
  FOR i IN 1..20 LOOP
    PERFORM count(*) FROM issue_ps_child WHERE parent_id = i;
  END LOOP;
END $$;
DELETE FROM issue_ps_parent WHERE id > 450;
SELECT count(*) > 0 AS param_samples
  FROM dbopt_queries q
 WHERE q.query LIKE '%issue_ps_child%' AND NOT q.toplevel;
SELECT r.index_name, r.kind, jsonb_array_length(r.queries) AS queries
  FROM dbopt_recommend_indexes(queryids => ARRAY(
         SELECT q.queryid FROM dbopt_queries q
          WHERE q.query LIKE '%issue_ps_child%' AND NOT q.toplevel
            AND q.dbid = (SELECT oid FROM pg_database WHERE datname = current_database()))) r;
DROP TABLE issue_ps_child, issue_ps_parent;
