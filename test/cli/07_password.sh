#!/usr/bin/env bash
# Passwords as in psql: PGPASSWORD works, dbopt asks on a terminal when the server wants a
# password (once), -W asks first, -w never asks, and without a terminal it says what to do.
# Adds a scram-sha-256 rule for one role to the throwaway cluster's pg_hba.conf (restored
# at the end). The terminal is a pseudo-terminal made by script(1).
source "$(dirname "$0")/helpers.bash"
HBA=${DBOPT_TEST_WORK:?}/data/pg_hba.conf
ROLE=cli_pw_user
PASSWORD="se'cret pw"
cp "$HBA" "$SCRATCH/pg_hba.conf"
restore_hba() {
  cat "$SCRATCH/pg_hba.conf" >"$HBA" # keeps the file's owner
  psql -X -q -d postgres -c "SELECT pg_reload_conf()" -c "DROP ROLE IF EXISTS $ROLE" >/dev/null
  rm -rf "$SCRATCH"
}
trap restore_hba EXIT
{ echo "local all $ROLE scram-sha-256"; cat "$SCRATCH/pg_hba.conf"; } >"$SCRATCH/new" && cat "$SCRATCH/new" >"$HBA"
psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "SET password_encryption = 'scram-sha-256'" \
  -c "CREATE ROLE $ROLE LOGIN PASSWORD \$\$$PASSWORD\$\$" -c "SELECT pg_reload_conf()" >/dev/null
DB=cli_password
fresh_db $DB with_extension
sleep 0.2 # the reload

on_terminal() { # input command...: runs command on a pseudo-terminal, typing input after 1 s
  local input=$1
  shift
  run bash -c '(sleep 1; printf "%s\n" "$1") | script -qec "$2" /dev/null' _ "$input" "$*"
}

run setsid -w "$DBOPT" health -U $ROLE -d $DB </dev/null
expect_status 3 "no password, no terminal:"
expect_err "no password supplied" "no password, no terminal:"
expect_err "HINT:  give the password in ~/.pgpass or PGPASSWORD" "no password, no terminal:"

PGPASSWORD=$PASSWORD run "$DBOPT" health -U $ROLE -d $DB
expect_status 0 "PGPASSWORD:"

on_terminal "$PASSWORD" "$DBOPT" health -U $ROLE -d $DB
expect_status 0 "asks on a terminal:"
expect_out "Password for user $ROLE: " "asks on a terminal:"
expect_no_out "$PASSWORD" "the password is not echoed:"

on_terminal wrong "$DBOPT" health -U $ROLE -d $DB
expect_status 3 "wrong password:"
expect_out "password authentication failed for user \"$ROLE\"" "wrong password:"

on_terminal "$PASSWORD" "$DBOPT" health -W -U $ROLE -d $DB
expect_status 0 "-W:"
expect_out "Password for user $ROLE: " "-W:"

on_terminal "$PASSWORD" "$DBOPT" health -w -U $ROLE -d $DB
expect_status 3 "-w never asks:"
expect_no_out "Password for user" "-w never asks:"

run setsid -w "$DBOPT" health -W -U $ROLE -d $DB </dev/null
expect_status 3 "-W without a terminal:"
expect_err "cannot ask for a password: no terminal" "-W without a terminal:"

psql -X -q -d postgres -c "DROP DATABASE $DB"
finish
