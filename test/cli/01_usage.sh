#!/usr/bin/env bash
# Help, version and usage errors: no server needed. Usage errors exit 2, print nothing on
# stdout, and say what is wrong on stderr.
source "$(dirname "$0")/helpers.bash"
set -f # "-?" is an argument here, not a pattern

for flag in --help -h "-?"; do
  run "$DBOPT" "$flag"
  expect_status 0 "$flag:"
  expect_out "Usage:" "$flag:"
  expect_out "health" "$flag:"
done

run "$DBOPT" --version
expect_status 0 "--version:"
expect_true "--version prints 'dbopt X.Y.Z'" grep -qE '^dbopt [0-9]+\.[0-9]+\.[0-9]+$' <<<"$out"
control_version=$(sed -n "s/^default_version = '\(.*\)'/\1/p" "$(dirname "$0")/../../dbopt.control")
expect_out "dbopt $control_version" "--version matches dbopt.control:"

for form in "help health" "health --help" "health -?"; do
  run "$DBOPT" $form
  expect_status 0 "$form:"
  expect_out "dbopt health [OPTIONS] [CONNINFO]" "$form:"
  expect_out "--min-severity" "$form:"
  expect_out "Exit status:" "$form:"
done

usage_error() { # expected-message args...
  local message=$1
  shift
  run "$DBOPT" "$@"
  expect_status 2 "dbopt $*:"
  expect_err "dbopt: error: $message" "dbopt $*:"
  expect_err "for more information" "dbopt $*:"
  [[ -z $out ]] && ok || fail "dbopt $*: stdout should be empty"
}
usage_error "no command given"
usage_error 'unknown command "frobnicate"' frobnicate
usage_error 'unknown option "--frob"' --frob
usage_error 'unknown command "nothing"' help nothing
usage_error 'unknown option "--bogus"' health --bogus
usage_error 'option "--format" needs a value' health --format
usage_error 'invalid value "xml" for --format (expected text, json or sql)' health --format xml
usage_error 'invalid value "fatal" for --min-severity' health --min-severity=fatal
usage_error 'invalid value "sometimes" for --color' health --color sometimes
usage_error 'option "--include-data" takes no value' health --include-data=yes
usage_error 'too many arguments: "db2"' health db1 db2

run "$DBOPT" health --bogus
expect_err 'Try "dbopt help health"' "health usage error points at the health help:"

finish
