# Shared by the CLI tests (test/cli/NN_*.sh), run by scripts/test.sh with DBOPT_BIN set and
# PGHOST/PGPORT/PGUSER pointing at a throwaway cluster. Source it; do not run it.
set -u
DBOPT=${DBOPT_BIN:?DBOPT_BIN must point at the dbopt binary}
TEST_NAME=$(basename "$0" .sh)
SCRATCH=$(mktemp -d "/tmp/dbopt-cli-$TEST_NAME.XXXXXX")
trap 'rm -rf "$SCRATCH"' EXIT
failures=0
checks=0

# run CMD...: sets $out (stdout), $err (stderr) and $status.
run() {
  "$@" >"$SCRATCH/out" 2>"$SCRATCH/err"
  status=$?
  out=$(cat "$SCRATCH/out")
  err=$(cat "$SCRATCH/err")
}

ok() { checks=$((checks + 1)); }
fail() {
  checks=$((checks + 1))
  failures=$((failures + 1))
  echo "not ok: $*"
  echo "  status: $status"
  echo "  stdout: $(head -c 2000 <<<"$out")"
  echo "  stderr: $(head -c 2000 <<<"$err")"
}

expect_status() { [[ $status == "$1" ]] && ok || fail "${2:-} expected exit status $1"; }
expect_out() { grep -qF -- "$1" <<<"$out" && ok || fail "${2:-} stdout should contain: $1"; }
expect_err() { grep -qF -- "$1" <<<"$err" && ok || fail "${2:-} stderr should contain: $1"; }
expect_no_out() { grep -qF -- "$1" <<<"$out" && fail "${2:-} stdout should not contain: $1" || ok; }
expect_true() { # description command...
  local what=$1
  shift
  "$@" && ok || fail "$what"
}

sql() { # db statement: prints unaligned, tuples-only output
  psql -X -q -At -v ON_ERROR_STOP=1 -d "$1" -c "$2"
}

fresh_db() { # name [with_extension]
  psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "SET client_min_messages = warning" \
    -c "DROP DATABASE IF EXISTS \"$1\"" -c "CREATE DATABASE \"$1\"" >/dev/null
  [[ ${2:-} == with_extension ]] && sql "$1" "CREATE EXTENSION dbopt"
  return 0
}

# dump_restore FORMAT FROM TO: pg_dump database FROM (custom or plain) and restore it into a
# fresh database TO, checking both steps' exit status.
dump_restore() {
  fresh_db "$3"
  if [[ $1 == custom ]]; then
    run pg_dump -Fc -d "$2" -f "$SCRATCH/dump"
    expect_status 0 "pg_dump -Fc:"
    run pg_restore -d "$3" --exit-on-error "$SCRATCH/dump"
  else
    run pg_dump -d "$2" -f "$SCRATCH/dump.sql"
    expect_status 0 "pg_dump (plain):"
    run psql -X -q -v ON_ERROR_STOP=1 -d "$3" -f "$SCRATCH/dump.sql"
  fi
  expect_status 0 "$1 restore:"
}

# JSON on stdin is valid, one array.
json_array() { python3 -c 'import json,sys; v=json.load(sys.stdin); sys.exit(0 if isinstance(v, list) else 1)'; }

# Lines "check_id<TAB>object_name<TAB>statements" of the JSON findings on stdin.
json_rows() {
  python3 -c 'import json,sys
for f in json.load(sys.stdin):
    print("%s\t%s\t%d" % (f["check_id"], f["object_name"], len(f["remediation"])))'
}

finish() {
  echo "$TEST_NAME: $((checks - failures))/$checks checks passed"
  ((failures == 0))
}
