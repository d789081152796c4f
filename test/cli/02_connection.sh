#!/usr/bin/env bash
# Connection failures, a missing extension and server errors exit 3 with libpq's or the
# server's message; nothing is written on stdout.
source "$(dirname "$0")/helpers.bash"

server_error() { # expected-message args...
  local message=$1
  shift
  run "$DBOPT" health "$@"
  expect_status 3 "dbopt health $*:"
  expect_err "dbopt: error: " "dbopt health $*:"
  expect_err "$message" "dbopt health $*:"
  [[ -z $out ]] && ok || fail "dbopt health $*: stdout should be empty"
}

# Bad connection strings: libpq's own messages.
server_error 'invalid connection option "nosuchoption"' "nosuchoption=1"
server_error 'missing "=" after "garbage"' "host=x garbage"
server_error 'invalid integer value "notaport" for connection option "port"' "port=notaport"
server_error 'invalid URI query parameter: "bogus"' "postgresql:///x?bogus=1"
# Nobody listening.
server_error 'connection to server on socket "/nonexistent/.s.PGSQL.1" failed' \
  "host=/nonexistent port=1"
server_error 'connection to server on socket "/nonexistent/.s.PGSQL.1" failed' \
  -h /nonexistent -p 1
# A database that does not exist (the server's FATAL, through libpq).
server_error 'database "no_such_db" does not exist' -d no_such_db
server_error 'database "no_such_db" does not exist' "dbname=postgres" -d no_such_db # -d wins

# The extension is not installed: say what to do.
fresh_db cli_no_extension
server_error 'the dbopt extension is not installed in database "cli_no_extension"' \
  -d cli_no_extension
expect_err "CREATE EXTENSION dbopt" "missing extension:"

# Server errors keep the server's message and hint.
fresh_db cli_errors with_extension
server_error 'schema "no_such_schema" does not exist' -d cli_errors --schema no_such_schema
# Parameters, not string concatenation: a hostile schema name is just an unknown schema.
server_error "schema \"x'); DROP DATABASE cli_errors; --\" does not exist" -d cli_errors \
  --schema "x'); DROP DATABASE cli_errors; --"
expect_true "database survived the hostile schema name" \
  test "$(sql postgres "SELECT count(*) FROM pg_database WHERE datname = 'cli_errors'")" = 1

psql -X -q -d postgres -c "DROP DATABASE cli_no_extension" -c "DROP DATABASE cli_errors"
finish
