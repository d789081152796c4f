-- Cost-model part of test/bench/advisor_quality.sh: the index sets of each advisor at each
-- budget (aq.sets) and the frequency-weighted what-if cost of the workload with each set.
-- aqs.quals and aqs.advice hold what pg_qualstats collected (empty without it).
SET search_path = public, pg_catalog;
CREATE TABLE aq.budgets (ord integer PRIMARY KEY, label text NOT NULL, budget text);
INSERT INTO aq.budgets VALUES (0, '0', '0'), (1, '50MB', '50MB'), (2, '200MB', '200MB'),
                              (3, '500MB', '500MB'), (4, 'unlimited', NULL);
CREATE TABLE aq.sets (advisor text, budget_label text, ord integer, ddl text, bytes bigint,
                      kind text, PRIMARY KEY (advisor, budget_label, ord));
CREATE TABLE aq.runtime (advisor text, budget_label text, candidates integer,
                         planner_calls bigint, elapsed_ms float8, reported_pct float8);

-- A budget in bytes (NULL: no limit).
CREATE FUNCTION aq.bytes(budget text) RETURNS bigint LANGUAGE sql AS
$$ SELECT CASE WHEN budget IS NULL THEN NULL WHEN budget = '0' THEN 0 ELSE pg_size_bytes(budget) END $$;

-- Takes the statements of `ddls` in their order, each while it still fits the budget.
CREATE FUNCTION aq.fill(advisor text, ddls text[], kinds text[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE b record; used bigint; size bigint; k integer;
BEGIN
  FOR b IN SELECT * FROM aq.budgets WHERE ord > 0 LOOP
    used := 0; k := 0;
    FOR i IN 1 .. coalesce(array_length(ddls, 1), 0) LOOP
      BEGIN
        size := dbopt_hypothetical_index_size(ddls[i]);
      EXCEPTION WHEN others THEN
        IF b.ord = 1 THEN RAISE NOTICE '% skipped: %', ddls[i], SQLERRM; END IF;
        CONTINUE;
      END;
      IF aq.bytes(b.budget) IS NULL OR used + size <= aq.bytes(b.budget) THEN
        k := k + 1; used := used + size;
        INSERT INTO aq.sets VALUES (advisor, b.label, k, ddls[i], size, kinds[i]);
      END IF;
    END LOOP;
  END LOOP;
END $$;

-- dbopt and Extend: the CREATE INDEX statements of each recommendation, made plain, and the
-- wall time of each call, with its candidates, planner calls and reported improvement (one
-- dbopt_advise() call gives the recommendations and the summary of the same run).
DO $$
DECLARE b record; alg text; t0 timestamptz; ms float8; d jsonb;
BEGIN
  FOREACH alg IN ARRAY ARRAY['extend', 'dbopt'] LOOP
    FOR b IN SELECT * FROM aq.budgets WHERE ord > 0 ORDER BY ord LOOP
      t0 := clock_timestamp();
      d := dbopt_advise(b.budget, NULL, 3, alg);
      ms := 1000 * extract(epoch FROM clock_timestamp() - t0);
      INSERT INTO aq.sets
      SELECT alg, b.label, row_number() OVER (ORDER BY (r ->> 'rank')::int, s.i),
             regexp_replace(s.stmt, '^CREATE INDEX CONCURRENTLY IF NOT EXISTS', 'CREATE INDEX'),
             (r ->> 'estimated_bytes')::bigint, r ->> 'kind'
        FROM jsonb_array_elements(d -> 'recommendations') AS r,
             jsonb_array_elements_text(r -> 'remediation') WITH ORDINALITY AS s(stmt, i)
       WHERE s.stmt LIKE 'CREATE INDEX%';
      INSERT INTO aq.runtime
      VALUES (alg, b.label, (d -> 'summary' ->> 'candidates')::int,
              (d -> 'summary' ->> 'planner_calls')::bigint, ms,
              (d -> 'summary' ->> 'improvement_pct')::float8);
      RAISE NOTICE '% at %: % ms, % below the benefit floor', alg, b.label, round(ms::numeric),
        d -> 'summary' ->> 'below_floor';
    END LOOP;
  END LOOP;
END $$;

-- pg_qualstats: its advisor's list, in its order. Its trigram index for LIKE '%...%' comes as
-- GiST (which the what-if engine does not model) or as GIN with the GiST operator class (not
-- valid): both count as the GIN trigram index.
SELECT aq.fill('qualstats',
               array_agg(regexp_replace(ddl, 'USING (gist|gin) \((\w+) gist_trgm_ops\)', 'USING gin (\2 gin_trgm_ops)')
                         ORDER BY i),
               array_agg('qualstats'::text ORDER BY i))
  FROM aqs.advice, json_array_elements_text(advice -> 'indexes') WITH ORDINALITY AS a(ddl, i);
SELECT advice -> 'unoptimised' AS qualstats_unoptimised FROM aqs.advice;

-- Every single column: each column pg_qualstats saw in a qual (filter or join) that does not
-- already lead an index, most-called first (calls of the statements naming it), then smallest.
CREATE TABLE aq.columns AS
SELECT c.rel::regclass::text AS rel, a.attname, c.att,
       (SELECT coalesce(sum(calls), 0) FROM aq.workload w WHERE w.query ~ ('\m' || a.attname || '\M')) AS calls,
       dbopt_hypothetical_index_size(format('CREATE INDEX ON %s (%I)', c.rel::regclass, a.attname)) AS bytes
  FROM (SELECT lrelid AS rel, lattnum AS att FROM aqs.quals WHERE lrelid IS NOT NULL
        UNION SELECT rrelid, rattnum FROM aqs.quals WHERE rrelid IS NOT NULL) AS c
  JOIN pg_attribute a ON a.attrelid = c.rel AND a.attnum = c.att AND a.attnum > 0
  JOIN pg_class r ON r.oid = c.rel JOIN pg_namespace n ON n.oid = r.relnamespace AND n.nspname = 'ds'
 WHERE NOT EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.rel AND i.indkey[0] = c.att);
SELECT aq.fill('every_col', array_agg(format('CREATE INDEX ON %s (%I)', rel, attname) ORDER BY calls DESC, bytes, rel, attname),
               array_agg('single'::text ORDER BY calls DESC, bytes, rel, attname))
  FROM aq.columns;

-- One cost model: calls x what-if planner cost of every statement with the set.
CREATE TABLE aq.costs (advisor text, budget_label text, n integer, cost float8, uses text[]);
DO $$
DECLARE s record; w record; set_ddl text[]; c record;
BEGIN
  FOR w IN SELECT * FROM aq.workload LOOP
    SELECT * INTO c FROM dbopt_whatif(w.query, '{}');
    INSERT INTO aq.costs VALUES ('none', '0', w.n, c.cost_before, '{}');
  END LOOP;
  FOR s IN SELECT DISTINCT advisor, budget_label FROM aq.sets LOOP
    SELECT array_agg(ddl ORDER BY ord) INTO set_ddl FROM aq.sets
     WHERE advisor = s.advisor AND budget_label = s.budget_label;
    FOR w IN SELECT * FROM aq.workload LOOP
      SELECT * INTO c FROM dbopt_whatif(w.query, set_ddl);
      INSERT INTO aq.costs VALUES (s.advisor, s.budget_label, w.n, c.cost_after, c.indexes_used);
    END LOOP;
  END LOOP;
END $$;

CREATE VIEW aq.weighted AS
SELECT b.ord, b.label, a.advisor,
       coalesce((SELECT sum(w.calls * c.cost) FROM aq.costs c JOIN aq.workload w USING (n)
                  WHERE c.advisor = a.advisor AND c.budget_label = b.label),
                (SELECT sum(w.calls * c.cost) FROM aq.costs c JOIN aq.workload w USING (n)
                  WHERE c.advisor = 'none')) AS cost,
       (SELECT count(*) FROM aq.sets s WHERE s.advisor = a.advisor AND s.budget_label = b.label) AS indexes,
       (SELECT coalesce(sum(bytes), 0) FROM aq.sets s WHERE s.advisor = a.advisor AND s.budget_label = b.label) AS bytes
  FROM aq.budgets b, (VALUES ('dbopt'), ('extend'), ('qualstats'), ('every_col')) AS a(advisor);

\pset footer off
\echo weighted what-if cost of the workload (sum of calls x planner cost) and improvement versus no index
SELECT label AS budget,
       round(max(cost) FILTER (WHERE advisor = 'dbopt')) AS dbopt,
       round(max(100 * (1 - cost / base)) FILTER (WHERE advisor = 'dbopt')::numeric, 1) AS "dbopt %",
       round(max(cost) FILTER (WHERE advisor = 'extend')) AS extend,
       round(max(100 * (1 - cost / base)) FILTER (WHERE advisor = 'extend')::numeric, 1) AS "extend %",
       round(max(cost) FILTER (WHERE advisor = 'qualstats')) AS qualstats,
       round(max(100 * (1 - cost / base)) FILTER (WHERE advisor = 'qualstats')::numeric, 1) AS "qualstats %",
       round(max(cost) FILTER (WHERE advisor = 'every_col')) AS every_col,
       round(max(100 * (1 - cost / base)) FILTER (WHERE advisor = 'every_col')::numeric, 1) AS "every_col %"
  FROM aq.weighted, (SELECT sum(w.calls * c.cost) AS base FROM aq.costs c JOIN aq.workload w USING (n)
                      WHERE c.advisor = 'none') AS b
 GROUP BY ord, label ORDER BY ord;

\echo indexes chosen and their estimated size (MB)
SELECT label AS budget,
       max(format('%s / %s', indexes, round(bytes / 1048576.0))) FILTER (WHERE advisor = 'dbopt') AS dbopt,
       max(format('%s / %s', indexes, round(bytes / 1048576.0))) FILTER (WHERE advisor = 'extend') AS extend,
       max(format('%s / %s', indexes, round(bytes / 1048576.0))) FILTER (WHERE advisor = 'qualstats') AS qualstats,
       max(format('%s / %s', indexes, round(bytes / 1048576.0))) FILTER (WHERE advisor = 'every_col') AS every_col
  FROM aq.weighted WHERE ord > 0 GROUP BY ord, label ORDER BY ord;

\echo advisor runtime (dbopt_advise: one run per budget)
SELECT advisor, budget_label AS budget, candidates, planner_calls, round(elapsed_ms) AS ms,
       round(reported_pct::numeric, 1) AS "reported %"
  FROM aq.runtime ORDER BY advisor, (SELECT ord FROM aq.budgets WHERE label = budget_label);

\echo the sets
SELECT advisor, budget_label AS budget, ord, kind, round(bytes / 1048576.0, 1) AS mb, ddl
  FROM aq.sets ORDER BY advisor, (SELECT ord FROM aq.budgets WHERE label = budget_label), ord;

\echo per statement: calls x cost (thousands) with each set
SELECT b.label AS budget, w.n, w.calls,
       round((w.calls * max(c.cost) FILTER (WHERE c.advisor = 'none')) / 1000) AS none,
       round((w.calls * max(c.cost) FILTER (WHERE c.advisor = 'dbopt')) / 1000) AS dbopt,
       round((w.calls * max(c.cost) FILTER (WHERE c.advisor = 'extend')) / 1000) AS extend,
       round((w.calls * max(c.cost) FILTER (WHERE c.advisor = 'qualstats')) / 1000) AS qualstats,
       round((w.calls * max(c.cost) FILTER (WHERE c.advisor = 'every_col')) / 1000) AS every_col
  FROM aq.budgets b CROSS JOIN aq.workload w
  JOIN aq.costs c ON c.n = w.n AND (c.budget_label = b.label OR c.advisor = 'none')
 WHERE b.ord > 0 GROUP BY b.ord, b.label, w.n, w.calls ORDER BY b.ord, w.n;
