#!/usr/bin/env bash
# Runs every test on a throwaway cluster: pg_regress (sql/ -> expected/), pgTAP (test/pgtap),
# CTest (test/unit), the CLI tests (test/cli) and the cluster tests (test/cluster: scripts that
# start their own cluster on the next port, for restarts and the like). Installs what is
# missing, builds, installs.
# Usage: scripts/test.sh [--no-install] [regress|pgtap|unit|lint|cli|cluster]...
set -uo pipefail
source "$(dirname "$0")/lib.sh"

skip_install=false
suites=()
for arg in "$@"; do
  case $arg in
    --no-install) skip_install=true ;;
    regress | pgtap | unit | lint | cli | cluster) suites+=("$arg") ;;
    *) echo "usage: $0 [--no-install] [regress|pgtap|unit|lint|cli|cluster]..." >&2; exit 2 ;;
  esac
done
((${#suites[@]})) || suites=(unit lint regress pgtap cli cluster)

set -e
if ! $skip_install; then
  PACKAGES+=("${TEST_PACKAGES[@]}")
  ensure_packages
  build_and_install
fi
set +e

WORK=$(mktemp -d /tmp/dbopt-test.XXXXXX)
chmod 755 "$WORK"
PORT=${DBOPT_TEST_PORT:-55432}
export PGHOST=$WORK PGPORT=$PORT PGUSER=postgres
export DBOPT_TEST_WORK=$WORK
passed=0
failed=0
failures=()
started=false

cleanup() {
  $started && stop_cluster "$WORK"
  rm -rf "$WORK"
}
trap cleanup EXIT

record() { # name status
  if [[ $2 == 0 ]]; then passed=$((passed + 1)); else failed=$((failed + 1)); failures+=("$1"); fi
}

need_cluster() {
  $started && return 0
  log "starting throwaway cluster in $WORK (port $PORT)"
  start_cluster "$WORK" "$PORT" || { cat "$WORK/server.log"; exit 1; }
  started=true
}

for suite in "${suites[@]}"; do
  case $suite in
    unit)
      log "unit tests (CTest)"
      (cd "$DBOPT_ROOT" && ctest --test-dir build --output-on-failure 2>&1 | tail -n 40)
      record "unit (ctest)" "${PIPESTATUS[0]}"
      log "exported symbols of dbopt.so"
      extra=$(nm -D --defined-only "$DBOPT_ROOT/dbopt.so" | awk '{print $3}' |
        grep -vE '^(_PG_init|Pg_magic_func|dbopt_[a-z_]+|pg_finfo_dbopt_[a-z_]+)$')
      if [[ -n $extra ]]; then echo "unexpected exports:"; echo "$extra" | head; fi
      record "exports" "$([[ -z $extra ]] && echo 0 || echo 1)"
      ;;
    lint)
      # The migration lint corpus (test/lint): offline, no cluster needed.
      log "lint corpus (dbopt migrate lint)"
      DBOPT_BIN="$DBOPT_ROOT/build/dbopt" bash "$DBOPT_ROOT/test/lint/check.sh"
      record "lint corpus" $?
      ;;
    regress)
      need_cluster
      log "pg_regress"
      mkdir -p "$DBOPT_ROOT/build/regress"
      [[ $(id -u) == 0 ]] && chown -R postgres: "$DBOPT_ROOT/build/regress"
      (cd "$DBOPT_ROOT" && make -s installcheck PG_CONFIG="$PG_CONFIG" PGHOST="$WORK" PGPORT="$PORT" PGUSER=postgres 2>&1)
      status=$?
      if [[ $status != 0 ]]; then
        cat "$DBOPT_ROOT/build/regress/regression.diffs" 2>/dev/null | head -n 400
      fi
      record "pg_regress" $status
      ;;
    pgtap)
      need_cluster
      log "pgTAP"
      psql -q -X -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS dbopt_tap" -c "CREATE DATABASE dbopt_tap" >/dev/null
      psql -q -X -d dbopt_tap -c "CREATE EXTENSION pgtap" -c "CREATE EXTENSION dbopt" >/dev/null
      pg_prove -d dbopt_tap "$DBOPT_ROOT"/test/pgtap/*.sql
      record "pgTAP" $?
      ;;
    cli)
      need_cluster
      log "CLI tests"
      for t in "$DBOPT_ROOT"/test/cli/*.sh; do
        [[ -f $t ]] || continue
        echo "-- $(basename "$t")"
        DBOPT_BIN="$DBOPT_ROOT/build/dbopt" bash "$t"
        status=$?  # before the command substitution below resets $?
        record "cli $(basename "$t")" $status
      done
      ;;
    cluster)
      log "cluster tests"
      for t in "$DBOPT_ROOT"/test/cluster/*.sh; do
        [[ -f $t ]] || continue
        echo "-- $(basename "$t")"
        DBOPT_CLUSTER_PORT=$((PORT + 1)) bash "$t"
        status=$?
        record "cluster $(basename "$t")" $status
      done
      ;;
  esac
done

if ((failed > 0)); then
  log "server log (last 80 lines)"
  tail -n 80 "$WORK/server.log" 2>/dev/null
  log "failed: ${failures[*]}"
fi
echo
echo "test suites: $passed passed, $failed failed"
((failed == 0))
