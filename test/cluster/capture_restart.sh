#!/usr/bin/env bash
# The capture store on its own cluster: it survives a clean restart (written to
# pg_stat/dbopt.stat at shutdown, read back and removed at start); a corrupt, truncated or
# foreign file is ignored with a LOG line and removed; the N+1 loops of dbopt_n_plus_one()
# are saved and read back the same way (pg_stat/dbopt_loops.stat); dbopt.save = off keeps nothing; without
# the preload the capture functions fail with a clear error.
# Run by scripts/test.sh (suite "cluster"); DBOPT_CLUSTER_PORT picks the port.
set -uo pipefail
source "$(dirname "$0")/../../scripts/lib.sh"
PORT=${DBOPT_CLUSTER_PORT:-55499}
DIR=$(mktemp -d /tmp/dbopt-capture.XXXXXX)
chmod 755 "$DIR"
trap 'stop_cluster "$DIR"; rm -rf "$DIR"' EXIT
failures=0
STAT=$DIR/data/pg_stat/dbopt.stat
QUERY='SELECT * FROM capture_r WHERE id = $1'

q() { psql -X -q -At -h "$DIR" -p "$PORT" -U postgres -d postgres -c "$1" 2>&1; }
pgctl() { as_cluster_user "$PG_BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w "$@" >/dev/null; }
calls() { q "SELECT coalesce(sum(calls), 0) FROM dbopt_queries WHERE query = '$QUERY'"; }
exists() { [[ -e $1 ]] && echo yes || echo no; }

# A small store (the minimums), so that eviction and text compaction happen below.
start_cluster "$DIR" "$PORT" "dbopt.max_queries = 100" "dbopt.text_memory = 64" ||
  { cat "$DIR/server.log"; exit 1; }
q "CREATE EXTENSION dbopt" >/dev/null
q "CREATE TABLE capture_r (id int PRIMARY KEY)" >/dev/null
for i in 1 2 3; do q "SELECT * FROM capture_r WHERE id = $i" >/dev/null; done
check "counted before the restart" 3 "$(calls)"

# Parameter values over the real extended protocol (pgbench -M extended: unnamed statements;
# -M prepared: named ones), bound at the first execution and kept with the replayable sample:
# on a skewed column (k = 1 in 95% of the rows) the custom replan of k = 1 reads the table
# sequentially, the generic one uses the index. With dbopt.track_constants = off the new entry
# has no sample at all.
q "CREATE TABLE capture_k (id int PRIMARY KEY, k int, pad text);
   INSERT INTO capture_k SELECT i, CASE WHEN i <= 1900 THEN 1 ELSE i END, 'p'
     FROM generate_series(1, 2000) i;
   CREATE INDEX capture_k_k_idx ON capture_k (k); ANALYZE capture_k" >/dev/null
bench() { # mode, script text, [PGOPTIONS]
  printf '\\set k 1\n%s\n' "$2" >"$DIR/bind.sql"
  PGOPTIONS=${3:-} "$PG_BIN/pgbench" -n -h "$DIR" -p "$PORT" -U postgres -M "$1" -t 3 \
    -f "$DIR/bind.sql" postgres >"$DIR/pgbench.log" 2>&1 || cat "$DIR/pgbench.log"
}
replanned() { # query LIKE pattern, generic
  q "SELECT string_agg(scan || coalesce(' ' || index::text, ''), ', ') FROM dbopt_replan(
       (SELECT queryid FROM dbopt_queries WHERE query LIKE '$1'), generic => $2)"
}
bench extended 'SELECT count(pad) FROM capture_k WHERE k = :k;'
bench prepared 'SELECT count(pad) FROM capture_k WHERE k = :k AND id > 0;'
bench extended 'SELECT count(pad) FROM capture_k WHERE k = :k AND pad <> $$x$$;' \
  "-c dbopt.track_constants=off"
EXT='SELECT count(pad) FROM capture_k WHERE k = $1'
PREP='SELECT count(pad) FROM capture_k WHERE k = $1 AND id > $2'
OFF='SELECT count(pad) FROM capture_k WHERE k = $1 AND pad <> $2'
check "extended protocol: counted" 3 "$(q "SELECT calls FROM dbopt_queries WHERE query = '$EXT'")"
check "extended protocol: custom replan with the bound value" seq "$(replanned "$EXT" false)"
check "extended protocol: generic replan" "index capture_k_k_idx" "$(replanned "$EXT" true)"
check "prepared protocol: custom replan with the bound value" seq "$(replanned "$PREP" false)"
check "prepared protocol: generic replan" "index capture_k_k_idx" "$(replanned "$PREP" true)"
check "track_constants = off: counted" 3 "$(q "SELECT calls FROM dbopt_queries WHERE query = '$OFF'")"
out=$(psql -X -q -At -h "$DIR" -p "$PORT" -U postgres -d postgres -v VERBOSITY=verbose \
  -c "SELECT * FROM dbopt_replan((SELECT queryid FROM dbopt_queries WHERE query = '$OFF'))" 2>&1)
[[ $out == *"55000: captured query"*"has no replayable sample"* ]]
check "track_constants = off: no sample, no values" 0 $?

# An N+1 loop (a list of 6, then a lookup per row), saved with the store.
LOOPS=$DIR/data/pg_stat/dbopt_loops.stat
q "CREATE TABLE loop_r (id int PRIMARY KEY); INSERT INTO loop_r SELECT generate_series(1, 6)" >/dev/null
{
  echo "SELECT id FROM loop_r ORDER BY id;"
  for i in 1 2 3 4 5 6; do echo "SELECT id FROM loop_r WHERE id = $i;"; done
} | psql -X -q -At -h "$DIR" -p "$PORT" -U postgres -d postgres >/dev/null
loops() { q "SELECT coalesce(sum(occurrences), 0) || '/' || coalesce(sum(max_repeats), 0)
  FROM dbopt_n_plus_one() WHERE repeated_query LIKE '%loop_r%'"; }
check "an N+1 loop before the restart" 1/6 "$(loops)"

pgctl restart -m fast
check "counts survive a clean restart" 3 "$(calls)"
check "N+1 loops survive a clean restart" 1/6 "$(loops)"
check "the loop file is removed once loaded" no "$(exists "$LOOPS")"
check "parameter values survive a clean restart" seq "$(replanned "$EXT" false)"
check "query text survives" 1 "$(q "SELECT count(*) FROM dbopt_queries WHERE query = '$QUERY'")"
check "the file is removed once loaded" no "$(exists "$STAT")"
grep -q "dbopt: loaded [0-9]* saved query entries" "$DIR/server.log"
check "loading is logged" 0 $?
check "the replayable sample survives" 1 "$(q "SELECT count(*)
  FROM dbopt_replan((SELECT queryid FROM dbopt_queries WHERE query = '$QUERY'))
  WHERE relation = 'capture_r'::regclass")"

corrupt() { # description, then a command that damages $STAT
  local what=$1
  shift
  pgctl stop -m fast
  check "$what: the file is written at shutdown" yes "$(exists "$STAT")"
  "$@"
  : >"$DIR/server.log"
  pgctl start
  check "$what: the store starts empty" 0 "$(calls)"
  grep -q "dbopt: ignoring saved query statistics" "$DIR/server.log"
  check "$what: a LOG line says so" 0 $?
  check "$what: the file is removed" no "$(exists "$STAT")"
  q "SELECT * FROM capture_r WHERE id = 1" >/dev/null
}
flip_byte() { printf '\xff' | dd of="$STAT" bs=1 seek=60 conv=notrunc status=none; }
truncate_file() { truncate -s 100 "$STAT"; }
foreign_file() { head -c 4096 /dev/urandom >"$STAT"; }
corrupt "flipped byte" flip_byte
corrupt "truncated" truncate_file
corrupt "foreign" foreign_file
check "the server survived" 1 "$(calls)"

# Eviction under pressure: 300 distinct statements (about 180 kB of text for a 64 kB area and
# 100 entries), then 4 concurrent clients over 300 tables.
for i in $(seq 1 300); do printf 'SELECT 1%s;' "$(seq -s '' -f ', %g' 2 "$i")"; done >"$DIR/flood1.sql"
psql -X -q -h "$DIR" -p "$PORT" -U postgres -d postgres -f "$DIR/flood1.sql" >/dev/null
check "the store stays within dbopt.max_queries" t "$(q "SELECT count(*) <= 100 FROM dbopt_queries")"
check "evictions are counted" t "$(q "SELECT evictions > 0 FROM dbopt_capture_info()")"
check "texts are intact after compaction" 0 "$(q "SELECT count(*) FROM dbopt_queries
  WHERE query LIKE 'SELECT \$1%' AND query !~ '^SELECT [$]1(, [$][0-9]+)*$'")"
check "compacted texts are there to check" t "$(q "SELECT count(*) > 10 FROM dbopt_queries
  WHERE query ~ '^SELECT [$]1(, [$][0-9]+)*$'")"
check "the latest statement keeps its text" 1 "$(q "SELECT count(*) FROM dbopt_queries
  WHERE query LIKE 'SELECT \$1, \$2, %, \$300'")"
q "DO \$\$ BEGIN FOR i IN 1..300 LOOP EXECUTE format('CREATE TABLE f%s (id int)', i); END LOOP; END \$\$" >/dev/null
printf '\\set n random(1, 300)\nSELECT count(*) FROM f:n WHERE id = :n;\n' >"$DIR/flood.sql"
"$PG_BIN/pgbench" -n -h "$DIR" -p "$PORT" -U postgres -c 4 -j 2 -T 3 -f "$DIR/flood.sql" postgres \
  >"$DIR/pgbench.log" 2>&1
check "concurrent clients under eviction: no error" 0 $?
check "the store is consistent afterwards" t "$(q "SELECT count(*) <= 100 AND bool_and(calls >= 0)
  FROM dbopt_queries")"
# Concurrent backends on one entry: no update is lost (8 clients x 200 executions, half of
# them sampled).
printf 'SELECT count(*) FROM capture_r WHERE id >= 0;\n' >"$DIR/same.sql"
PGOPTIONS="-c dbopt.sample_rate=0.5" "$PG_BIN/pgbench" -n -h "$DIR" -p "$PORT" -U postgres \
  -c 8 -j 2 -t 200 -f "$DIR/same.sql" postgres >"$DIR/pgbench.log" 2>&1
check "concurrent clients on one entry: no error" 0 $?
check "concurrent clients on one entry: every call and row counted" "1600|1600|1600" \
  "$(q "SELECT calls, rows, (SELECT sum(plan_calls) FROM dbopt_access_paths a
                           WHERE a.queryid = q.queryid AND a.userid = q.userid)
        FROM dbopt_queries q WHERE query = 'SELECT count(*) FROM capture_r WHERE id >= \$1'")"
check "samples too long for the store are counted" t \
  "$(q "SELECT dropped_samples > 0 FROM dbopt_capture_info()")"
# Samples after eviction and compaction of the sample area: every entry over a flood table
# replans to a scan of its own table, or has no sample (dropped: 55000); nothing else.
# (dbopt.track = none: the check's own statements would evict what it reads.)
check "samples are intact after compaction" "ok" "$(q "SET dbopt.track = none; DO \$\$
DECLARE e record; good int := 0; bad int := 0; r record;
BEGIN
  FOR e IN SELECT queryid, query FROM dbopt_queries WHERE query LIKE 'SELECT count(*) FROM f%' LOOP
    BEGIN
      SELECT * INTO r FROM dbopt_replan(e.queryid);
      IF e.query LIKE 'SELECT count(*) FROM ' || r.relation::text || ' %' THEN good := good + 1;
      ELSE bad := bad + 1; END IF;
    EXCEPTION WHEN object_not_in_prerequisite_state THEN NULL;
    END;
  END LOOP;
  IF good = 0 OR bad > 0 THEN RAISE EXCEPTION 'good %, bad %', good, bad; END IF;
END \$\$" && echo ok)"

# An entry evicted while its statement runs: capture_churn(300) creates 300 nested entries
# (one per column count) in a store of 100, so its own top-level entry is evicted before its
# ExecutorEnd, which creates it again. The backend that created it at parse analysis still
# has its text: the entry is whole, counted once. Run again from another backend (which only
# found the entry at parse analysis), it is evicted again and re-created without text
# (calls = 1 again proves the eviction); the next parse of the statement adds the text.
q "CREATE FUNCTION capture_churn(n int) RETURNS int LANGUAGE plpgsql AS \$\$
BEGIN
  FOR i IN 1..n LOOP EXECUTE format('SELECT 1%s', repeat(', 1', i)); END LOOP;
  RETURN n;
END \$\$" >/dev/null
q "SELECT capture_churn(300)" >/dev/null
check "evicted while running, re-created with its text" "1|SELECT capture_churn(\$1)" \
  "$(q "SELECT calls, query FROM dbopt_queries WHERE query LIKE 'SELECT capture_churn%'")"
q "SELECT capture_churn(300)" >/dev/null
check "evicted again, from a backend that did not create it: no text yet" 0 \
  "$(q "SELECT count(*) FROM dbopt_queries WHERE query LIKE 'SELECT capture_churn%'")"
q "SELECT capture_churn(0)" >/dev/null
check "the next parse adds the missing text" "2|SELECT capture_churn(\$1)" \
  "$(q "SELECT calls, query FROM dbopt_queries WHERE query LIKE 'SELECT capture_churn%'")"

q "ALTER SYSTEM SET dbopt.save = off" >/dev/null
pgctl restart -m fast
check "dbopt.save = off: nothing kept" 0 "$(calls)"
check "dbopt.save = off: no file" no "$(exists "$STAT")"

# The extended protocol, unnamed and named (prepared) statements: one entry, every execution.
printf '\\set n random(1, 100)\nSELECT * FROM capture_r WHERE id = :n;\n' >"$DIR/point.sql"
for mode in extended prepared; do
  "$PG_BIN/pgbench" -n -h "$DIR" -p "$PORT" -U postgres -M $mode -t 5 -f "$DIR/point.sql" \
    postgres >"$DIR/pgbench.log" 2>&1 || cat "$DIR/pgbench.log"
done
check "extended and prepared protocol: 10 executions of one entry" "1|10" \
  "$(q "SELECT count(*), sum(calls) FROM dbopt_queries WHERE query = '$QUERY'")"

echo "shared_preload_libraries = ''" | as_cluster_user tee -a "$DIR/data/postgresql.conf" >/dev/null
pgctl restart -m fast
for f in "SELECT * FROM dbopt_queries" "SELECT * FROM dbopt_access_paths" "SELECT dbopt_reset()" \
  "SELECT * FROM dbopt_capture_info()"; do
  out=$(psql -X -q -At -h "$DIR" -p "$PORT" -U postgres -d postgres -v VERBOSITY=verbose -c "$f" 2>&1)
  [[ $out == *"55000: dbopt must be loaded via shared_preload_libraries"* ]]
  check "without the preload, '$f' fails with 55000" 0 $?
done

echo "capture_restart: $failures failed"
((failures == 0))
