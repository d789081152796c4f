-- Outcomes and trends over the history (docs/operations.md "Outcomes and trends"): an empty
-- history, bad arguments, a non-owner, then a fixture written straight into the history
-- tables with chosen times (four snapshots a day apart, a capture reset at the third,
-- applied indexes with their baselines, findings appearing and disappearing).
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET client_min_messages = warning;
TRUNCATE snapshot, snapshot_query, snapshot_query_text, snapshot_relation, snapshot_index,
         snapshot_finding;
-- Empty history: no rows, no error.
SELECT count(*) FROM dbopt_recommendation_outcomes();
SELECT count(*) FROM dbopt_query_trend();
SELECT count(*) FROM dbopt_query_trend(queryid => 42, top => 1);
SELECT count(*) FROM dbopt_seq_scan_growth();
SELECT count(*) FROM dbopt_unused_since();
SELECT count(*) FROM dbopt_finding_changes();
SELECT count(*) FROM dbopt_workload_trend();
-- Bad arguments.
\set VERBOSITY default
\set SHOW_CONTEXT never
SELECT * FROM dbopt_query_trend(since => NULL);
SELECT * FROM dbopt_query_trend(since => '2999-01-01');
SELECT * FROM dbopt_query_trend(top => 0);
SELECT * FROM dbopt_query_trend(top => NULL);
SELECT * FROM dbopt_seq_scan_growth(NULL);
SELECT * FROM dbopt_unused_since('2999-01-01');
SELECT * FROM dbopt_finding_changes(NULL);
SELECT * FROM dbopt_workload_trend('infinity');
SELECT * FROM dbopt_recommendation_outcomes(improved_below => 0);
SELECT * FROM dbopt_recommendation_outcomes(improved_below => 1.5);
SELECT * FROM dbopt_recommendation_outcomes(regressed_above => 0.9);
SELECT * FROM dbopt_recommendation_outcomes(regressed_above => 'NaN');
SELECT * FROM dbopt_recommendation_outcomes(min_calls => -1);
SELECT * FROM dbopt_recommendation_outcomes(min_calls => NULL);
SELECT sqlstate_of($$SELECT * FROM dbopt_query_trend(since => NULL)$$),
       sqlstate_of($$SELECT * FROM dbopt_query_trend(top => -1)$$),
       sqlstate_of($$SELECT * FROM dbopt_recommendation_outcomes(improved_below => NULL)$$);
-- A role that is not the owner: the history is closed to it, with a hint saying how to open it.
CREATE ROLE regress_trend_reader;
SET ROLE regress_trend_reader;
SELECT * FROM dbopt_workload_trend();
SELECT * FROM dbopt_recommendation_outcomes();
SELECT f, sqlstate_of(format('SELECT * FROM %s()', f))
  FROM unnest(ARRAY['dbopt_query_trend', 'dbopt_seq_scan_growth', 'dbopt_unused_since',
                    'dbopt_finding_changes']) f;
RESET ROLE;
-- Granted read access to the parent tables is enough.
GRANT SELECT ON snapshot, snapshot_query TO regress_trend_reader;
SET ROLE regress_trend_reader;
SELECT count(*) FROM dbopt_workload_trend();
RESET ROLE;
REVOKE SELECT ON snapshot, snapshot_query FROM regress_trend_reader;
DROP ROLE regress_trend_reader;
\set VERBOSITY terse

-- The fixture. Real tables and indexes where the functions look at the catalog (an applied
-- index that still exists), made-up oids elsewhere.
CREATE TABLE trend_t (a int, b int, c int);
CREATE INDEX trend_t_a_idx ON trend_t (a);
CREATE INDEX trend_t_b_idx ON trend_t (b);
CREATE INDEX trend_t_c_idx ON trend_t (c);
CREATE FUNCTION trend_slot(timestamptz) RETURNS smallint LANGUAGE sql IMMUTABLE
  AS $$SELECT (floor(extract(epoch FROM $1) / 86400)::bigint % 32)::smallint$$;
CREATE FUNCTION trend_db() RETURNS oid LANGUAGE sql STABLE
  AS $$SELECT oid FROM pg_database WHERE datname = current_database()$$;
-- S1 9001 (the first: no interval), S2 9002, S3 9003 (after a dbopt_reset() at 11-11 12:00),
-- S4 9004; health findings at S2 and S4 only.
INSERT INTO snapshot (snapshot_id, slot, taken_at, sources, previous_id, capture_since, resets)
SELECT id, trend_slot(at), at, src, prev, since, resets
  FROM (VALUES (9001, timestamptz '2026-11-10 00:00+00', '{counters,antipatterns}'::text[], NULL::bigint,
                timestamptz '2026-11-01 00:00+00', '{}'::text[]),
               (9002, '2026-11-11 00:00+00', '{counters,antipatterns,health}', 9001, '2026-11-01 00:00+00', '{}'),
               (9003, '2026-11-12 00:00+00', '{counters,antipatterns}', 9002, '2026-11-11 12:00+00', '{capture}'),
               (9004, '2026-11-13 00:00+00', '{counters,antipatterns,health}', 9003, '2026-11-11 12:00+00', '{}'))
       v(id, at, src, prev, since, resets);
-- Queries: (snapshot, user, query, cumulative calls and ms, deltas, reset). db 'other' and
-- origin 'imported' rows must be ignored; query 105 is nested (toplevel false).
INSERT INTO snapshot_query (snapshot_id, slot, userid, dbid, toplevel, queryid, origin, calls,
                            total_exec_time, rows, calls_delta, exec_time_delta, rows_delta,
                            counters_reset)
SELECT v.id, s.slot, v.userid, CASE WHEN v.db = 'this' THEN trend_db() ELSE 1 END,
       v.queryid <> 105, v.queryid, v.origin, v.calls, v.total, v.calls, v.calls_delta,
       v.time_delta, v.calls_delta, v.reset
  FROM (VALUES
    -- 101: improved, through the reset (baseline 100 calls, 1000 ms at 11-10 11:59)
    (9001, 10, 'this', 101, 'local', 60, 600.0, 60, 600.0, false),
    (9001, 11, 'this', 101, 'local', 30, 300, 30, 300, false),
    (9002, 10, 'this', 101, 'local', 200, 900, 140, 300, false),
    (9002, 11, 'this', 101, 'local', 100, 500, 70, 200, false),
    (9002, 10, 'this', 101, 'imported', 9000, 9000, 9000, 9000, false),
    (9002, 10, 'other', 101, 'local', 9000, 9000, 9000, 9000, false),
    (9003, 10, 'this', 101, 'local', 50, 100, 50, 100, true),
    (9004, 10, 'this', 101, 'local', 80, 160, 30, 60, false),
    -- 102: no change (absent at S3, back at S4 with restarted counters)
    (9002, 10, 'this', 102, 'local', 150, 1520, 150, 1520, false),
    (9004, 10, 'this', 102, 'local', 20, 210, 20, 210, true),
    -- 103: regressed; 104: too few calls since; 105: no baseline
    (9002, 10, 'this', 103, 'local', 70, 800, 70, 800, false),
    (9002, 10, 'this', 104, 'local', 15, 150, 15, 150, false),
    (9002, 10, 'this', 105, 'local', 40, 40, 40, 40, false),
    -- 301: baseline 500 calls at 11-11 05:59, reset after it: 40 then 40 more
    (9003, 10, 'this', 301, 'local', 40, 400, 40, 400, true),
    (9004, 10, 'this', 301, 'local', 80, 800, 40, 400, false),
    -- 401: baseline 10 calls, 100 ms at 11-11 13:00, after the reset: S3 counts 20 calls since
    (9003, 10, 'this', 401, 'local', 30, 160, 30, 160, true)
  ) v(id, userid, db, queryid, origin, calls, total, calls_delta, time_delta, reset)
  JOIN snapshot s ON s.snapshot_id = v.id;
INSERT INTO snapshot_query_text (dbid, queryid, query)
SELECT trend_db(), q, 'SELECT ' || q FROM unnest(ARRAY[101, 102, 103, 104, 105, 301, 401]) q;
-- Indexes: (snapshot, index, cumulative scans, delta, size).
INSERT INTO snapshot_index (snapshot_id, slot, indexrelid, index_name, relation, idx_scan,
                            idx_scan_delta, size_bytes, counters_reset)
SELECT v.id, s.slot, coalesce(to_regclass(v.name)::oid, v.fake), v.name, 'public.trend_t',
       v.scans, v.delta, v.size, v.reset
  FROM (VALUES
    (9001, 'public.trend_t_a_idx', 0::oid, 0, 0, 8192, false),
    (9002, 'public.trend_t_a_idx', 0, 150, 150, 8192, false),
    (9003, 'public.trend_t_a_idx', 0, 30, 30, 8192, true),
    (9004, 'public.trend_t_a_idx', 0, 31, 1, 8192, false),
    (9003, 'public.trend_t_b_idx', 0, 0, 0, 8192, false),
    (9004, 'public.trend_t_b_idx', 0, 0, 0, 8192, false),
    (9003, 'public.trend_t_c_idx', 0, 5, 5, 8192, false),
    (9004, 'public.trend_t_c_idx', 0, 7, 2, 8192, false),
    (9002, 'public.trend_gone_idx', 888887, 9, 9, 8192, false),
    -- used up to S2, then not: unused since 11-11 12:00
    (9001, 'public.trend_old_idx', 888888, 40, 0, 65536, false),
    (9002, 'public.trend_old_idx', 888888, 45, 5, 65536, false),
    (9003, 'public.trend_old_idx', 888888, 0, 0, 65536, true),
    (9004, 'public.trend_old_idx', 888888, 0, 0, 73728, false),
    -- never used; and used, then dropped before S4
    (9001, 'public.trend_never_idx', 888889, 0, 0, 8192, false),
    (9004, 'public.trend_never_idx', 888889, 0, 0, 8192, false),
    (9001, 'public.trend_dropped_idx', 888890, 10, 0, 8192, false),
    (9003, 'public.trend_dropped_idx', 888890, 10, 0, 8192, false)
  ) v(id, name, fake, scans, delta, size, reset)
  JOIN snapshot s ON s.snapshot_id = v.id;
-- Tables: (snapshot, relation, seq scans delta, rows read delta).
INSERT INTO snapshot_relation (snapshot_id, slot, relid, relation, seq_scan, seq_scan_delta,
                               seq_tup_read_delta)
SELECT v.id, s.slot, v.relid, v.name, 0, v.scans, v.tup
  FROM (VALUES
    (9001, 777771, 'public.trend_t', 500, 0),
    (9002, 777771, 'public.trend_t', 24, 100),   -- 1 per hour before 11-11 12:00
    (9003, 777771, 'public.trend_t', 48, 1000),  -- then 3 per hour
    (9004, 777771, 'public.trend_t', 96, 2000),
    (9002, 777772, 'public.trend_u', 0, 0),      -- new seq scans: no growth ratio
    (9003, 777772, 'public.trend_u', 0, 0),
    (9004, 777772, 'public.trend_renamed_u', 12, 60),
    (9002, 777773, 'public.trend_v', 10, 10),    -- stopped
    (9003, 777773, 'public.trend_v', 0, 0),
    (9004, 777773, 'public.trend_v', 0, 0),
    (9002, 777774, 'public.trend_w', 0, 0),      -- never
    (9004, 777774, 'public.trend_w', 0, 0)
  ) v(id, relid, name, scans, tup)
  JOIN snapshot s ON s.snapshot_id = v.id;
-- Findings.
INSERT INTO snapshot_finding (snapshot_id, slot, source, check_id, severity, object_type,
                              object_name, message)
SELECT v.id, s.slot, v.source, v.check_id, v.severity, 'query', v.object, v.check_id || ' on ' || coalesce(v.object, '-')
  FROM (VALUES
    (9001, 'antipatterns', 'n_plus_one', 'warning', 'q:1'),
    (9001, 'antipatterns', 'offset_pagination', 'info', 'q:2'),
    (9002, 'antipatterns', 'n_plus_one', 'warning', 'q:1'),
    (9002, 'antipatterns', 'offset_pagination', 'info', 'q:2'),
    (9003, 'antipatterns', 'n_plus_one', 'warning', 'q:1'),
    (9003, 'antipatterns', 'leading_wildcard', 'warning', 'q:3'),
    (9004, 'antipatterns', 'n_plus_one', 'warning', 'q:1'),
    (9004, 'antipatterns', 'leading_wildcard', 'warning', 'q:3'),
    (9002, 'health', 'fk_unindexed', 'warning', 'public.a'),
    (9002, 'health', 'unused_index', 'info', 'public.i'),
    (9002, 'health', 'no_object', 'info', NULL),
    (9004, 'health', 'fk_unindexed', 'warning', 'public.a'),
    (9004, 'health', 'invalid_index', 'critical', 'public.x'),
    (9004, 'health', 'invalid_index', 'critical', 'public.x'),
    (9004, 'health', 'no_object', 'info', NULL)
  ) v(id, source, check_id, severity, object)
  JOIN snapshot s ON s.snapshot_id = v.id;
-- Applied indexes and their baselines.
INSERT INTO applied_index (apply_id, index_name, table_name, kind, remediation, revert,
                           algorithm, build_ms, applied_at)
OVERRIDING SYSTEM VALUE
VALUES (901, 'public.trend_t_a_idx', 'public.trend_t', 'single', '{x}', '{y}', 'dbopt', 1, '2026-11-10 12:00+00'),
       (902, 'public.trend_gone_idx', 'public.trend_t', 'single', '{x}', '{y}', 'dbopt', 1, '2026-11-10 12:00+00'),
       (903, 'public.trend_t_b_idx', 'public.trend_t', 'single', '{x}', '{y}', 'dbopt', 1, '2026-11-11 06:00+00'),
       (904, 'public.trend_t_c_idx', 'public.trend_t', 'single', '{x}', '{y}', 'dbopt', 1, '2026-11-11 13:01+00'),
       (905, 'public.trend_t_c_idx', 'public.trend_t', 'single', '{x}', '{y}', 'dbopt', 1, '2026-11-13 06:00+00');
INSERT INTO applied_index_baseline (apply_id, queryid, query, calls, total_time_ms, mean_time_ms,
                                    cost_before, cost_after, captured_at)
VALUES (901, 101, 'SELECT 101', 100, 1000, 10, 100, 10, '2026-11-10 11:59+00'),
       (901, 102, 'SELECT 102', 100, 1000, 10, 100, 50, '2026-11-10 11:59+00'),
       (901, 103, 'SELECT 103', 50, 500, 10, 100, 90, '2026-11-10 11:59+00'),
       (901, 104, 'SELECT 104', 10, 100, 10, 0, 5, '2026-11-10 11:59+00'),
       (901, 105, 'SELECT 105', NULL, NULL, NULL, 100, 10, '2026-11-10 11:59+00'),
       (902, 201, 'SELECT 201', 10, 100, 10, 100, 10, '2026-11-10 11:59+00'),
       (903, 301, 'SELECT 301', 500, 5000, 10, 100, 10, '2026-11-11 05:59+00'),
       (904, 401, 'SELECT 401', 10, 100, 10, 100, 10, '2026-11-11 13:00+00'),
       (905, 401, 'SELECT 401', 30, 160, 5.333, 100, 10, '2026-11-13 05:59+00');

-- Indexes that must stay whatever their scans (dbopt_health()'s index_unused never reports
-- them), one that may go, and partitioned indexes, whose scans are their partitions'. Each
-- was scanned up to S2 and not since (except trend_p_k_idx: never).
CREATE TABLE keep_parent (id int PRIMARY KEY, code int, u int CONSTRAINT keep_parent_u_key UNIQUE);
CREATE UNIQUE INDEX keep_parent_code_key ON keep_parent (code);
CREATE TABLE keep_child (id int NOT NULL, parent_id int REFERENCES keep_parent, note text,
                         during tstzrange, EXCLUDE USING gist (during WITH &&));
CREATE INDEX keep_child_parent_id_idx ON keep_child (parent_id);   -- the FK's lookup
CREATE INDEX keep_child_note_idx ON keep_child (note);             -- may go
CREATE UNIQUE INDEX keep_child_id_key ON keep_child (id);
ALTER TABLE keep_child REPLICA IDENTITY USING INDEX keep_child_id_key;
CREATE TABLE trend_p (k int, v int) PARTITION BY RANGE (k);
CREATE TABLE trend_p1 PARTITION OF trend_p FOR VALUES FROM (0) TO (10);
CREATE TABLE trend_p2 PARTITION OF trend_p FOR VALUES FROM (10) TO (20);
CREATE INDEX trend_p_v_idx ON trend_p (v);
CREATE INDEX trend_p_k_idx ON trend_p (k);
INSERT INTO snapshot_index (snapshot_id, slot, indexrelid, index_name, relation, idx_scan,
                            idx_scan_delta, size_bytes, counters_reset)
SELECT s.snapshot_id, s.slot, to_regclass(v.name), v.name, v.rel,
       CASE WHEN s.snapshot_id = 9001 THEN 0 ELSE v.scans END,
       CASE WHEN s.snapshot_id = 9002 THEN v.scans ELSE 0 END, 16384, false
  FROM (VALUES ('public.keep_parent_pkey', 'public.keep_parent', 11),
               ('public.keep_parent_u_key', 'public.keep_parent', 12),
               ('public.keep_parent_code_key', 'public.keep_parent', 13),
               ('public.keep_child_parent_id_idx', 'public.keep_child', 14),
               ('public.keep_child_note_idx', 'public.keep_child', 15),
               ('public.keep_child_during_excl', 'public.keep_child', 16),
               ('public.keep_child_id_key', 'public.keep_child', 17),
               ('public.trend_p1_v_idx', 'public.trend_p1', 12),
               ('public.trend_p2_v_idx', 'public.trend_p2', 3),
               ('public.trend_p1_k_idx', 'public.trend_p1', 0),
               ('public.trend_p2_k_idx', 'public.trend_p2', 0)) v(name, rel, scans)
  CROSS JOIN snapshot s;
SELECT count(*) AS real_indexes FROM snapshot_index
 WHERE snapshot_id = 9004 AND indexrelid IN (SELECT indexrelid FROM pg_index);
INSERT INTO applied_index (apply_id, index_name, table_name, kind, remediation, revert,
                           algorithm, build_ms, applied_at)
OVERRIDING SYSTEM VALUE
VALUES (906, 'public.trend_p_v_idx', 'public.trend_p', 'single', '{x}', '{y}', 'dbopt', 1, '2026-11-10 12:00+00'),
       (907, 'public.trend_p_k_idx', 'public.trend_p', 'single', '{x}', '{y}', 'dbopt', 1, '2026-11-10 12:00+00');
INSERT INTO applied_index_baseline (apply_id, queryid, query, calls, total_time_ms, mean_time_ms,
                                    cost_before, cost_after, captured_at)
VALUES (906, 101, 'SELECT 101', 100, 1000, 10, 100, 10, '2026-11-10 11:59+00'),
       (907, 101, 'SELECT 101', 100, 1000, 10, 100, 10, '2026-11-10 11:59+00');

-- Outcomes: 101 improved through the reset (280 calls, 560 ms since), 102 unchanged, 103
-- regressed, 104 too few calls, 105 no baseline, 201's index gone, 301's index never
-- scanned, 401 counted from the reset before its baseline, 905 nothing since; the partitioned
-- indexes' scans are their partitions' (906: 12 + 3; 907: none, so index_unused).
SELECT apply_id, index_name, queryid, calls_before AS c0, mean_ms_before AS m0,
       calls_after AS c1, round(mean_ms_after::numeric, 3) AS m1,
       round(promised_ratio::numeric, 3) AS promised, round(realized_ratio::numeric, 3) AS realized,
       index_scans_since AS scans, status
  FROM dbopt_recommendation_outcomes();
-- Thresholds move the verdicts: 102 (x1.043) is regressed above 1.04, 104 judged from 5 calls.
SELECT apply_id, queryid, status
  FROM dbopt_recommendation_outcomes(improved_below => 0.1, regressed_above => 1.04, min_calls => 5)
 WHERE apply_id = 901;

-- Per query per interval since 11-10 12:00 (S1 has no interval); the top 3 by total time:
-- 102 (1730 ms), then 103 and 301 (800 ms each, the lower queryid first).
SELECT queryid, query, snapshot_id, taken_at, calls, round(mean_ms::numeric, 3) AS mean_ms, total_ms
  FROM dbopt_query_trend(since => '2026-11-10 12:00+00', top => 3);
SELECT queryid, snapshot_id, calls, total_ms
  FROM dbopt_query_trend(queryid => 101, since => '2026-11-09');
SELECT count(*) FROM dbopt_query_trend(queryid => 999, since => '2026-11-09');

-- Sequential scans per hour: trend_t 1 -> 3, trend_u new (latest name), trend_v stopped.
SELECT relation, round(seq_scans_before_rate::numeric, 3) AS before_rate,
       round(seq_scans_recent_rate::numeric, 3) AS recent_rate, seq_tup_read_recent, growth
  FROM dbopt_seq_scan_growth('2026-11-11 12:00+00');

-- Unused since 11-11 12:00: trend_old_idx (45 scans, last seen moving at S2), the plain
-- keep_child_note_idx and the partitioned trend_p_v_idx (once, its partitions' scans and
-- sizes summed); not the indexes that enforce a constraint, are unique or exclusion, replica
-- identity, referenced by or serving the lookup of a foreign key.
SELECT * FROM dbopt_unused_since('2026-11-11 12:00+00');
SELECT c.conname, c.contype FROM pg_constraint c
 WHERE c.conrelid IN ('keep_parent'::regclass, 'keep_child'::regclass) ORDER BY 1;
SELECT covering_index FROM dbopt_check_fk_coverage() WHERE table_name = 'public.keep_child';
-- Once the FK is gone, its lookup index is only an index: listed.
ALTER TABLE keep_child DROP CONSTRAINT keep_child_parent_id_fkey;
SELECT index_name FROM dbopt_unused_since('2026-11-11 12:00+00');
SELECT index_name, scans_before FROM dbopt_unused_since('2026-11-12 12:00+00');

-- Findings: against S2 (the last of each source at or before 11-11 12:00).
SELECT * FROM dbopt_finding_changes('2026-11-11 12:00+00');
-- Since before the history: against the first snapshot of each source.
SELECT change, source, check_id, first_seen FROM dbopt_finding_changes('2026-11-01');
-- Since after the latest snapshot: nothing to compare.
SELECT count(*) FROM dbopt_finding_changes('2026-11-13 06:00+00');

-- The whole workload, top-level statements of this database.
SELECT * FROM dbopt_workload_trend('2026-11-09');

-- With real snapshots (dbopt_snapshot(), issue 7 storage): the first has no interval, the
-- second counts the three calls made between them.
TRUNCATE snapshot, snapshot_query, snapshot_query_text, snapshot_relation, snapshot_index,
         snapshot_finding;
SELECT skipped FROM dbopt_snapshot();
SELECT count(*) FROM trend_t WHERE a = 1 AND b = 2;
SELECT count(*) FROM trend_t WHERE a = 2 AND b = 3;
SELECT count(*) FROM trend_t WHERE a = 3 AND b = 4;
SELECT skipped FROM dbopt_snapshot();
SELECT query, calls, mean_ms >= 0 AS has_mean
  FROM dbopt_query_trend(since => now() - interval '1 hour', top => 1000)
 WHERE query LIKE '%trend_t WHERE a = $1 AND b = $2%';
SELECT count(*) AS intervals, sum(calls) >= 3 AS counted
  FROM dbopt_workload_trend(now() - interval '1 hour');

-- Leave the history empty for later tests.
TRUNCATE snapshot, snapshot_query, snapshot_query_text, snapshot_relation, snapshot_index,
         snapshot_finding;
DELETE FROM applied_index WHERE apply_id BETWEEN 901 AND 907;
DROP TABLE trend_t, keep_child, keep_parent, trend_p;
DROP FUNCTION trend_slot(timestamptz), trend_db();
