#!/usr/bin/env bash
# The lint corpus: every NN_name.sql here is linted offline with `dbopt migrate lint --format
# json` and its findings ("line section rule_id", section "-" for a plain file) must equal
# NN_name.expected exactly (lines starting with # are comments). Also checks that the exit
# status follows the findings (1 when an error-level finding exists, else 0) and that every
# rule of the linter fires in at least one file.
# Usage: DBOPT_BIN=build/dbopt test/lint/check.sh   (run by scripts/test.sh lint)
set -u
DBOPT=${DBOPT_BIN:?DBOPT_BIN must point at the dbopt binary}
here=$(cd "$(dirname "$0")" && pwd)
scratch=$(mktemp -d /tmp/dbopt-lint-corpus.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
failures=0
files=0
: >"$scratch/fired"
for sql in "$here"/[0-9]*.sql; do
  name=$(basename "$sql" .sql)
  expected="$here/$name.expected"
  files=$((files + 1))
  if [[ ! -f $expected ]]; then
    echo "not ok: $name: no $name.expected"
    failures=$((failures + 1))
    continue
  fi
  "$DBOPT" migrate lint --format json "$sql" >"$scratch/out.json" 2>"$scratch/err"
  status=$?
  if ! python3 - "$scratch/out.json" >"$scratch/actual" 2>>"$scratch/err" <<'PY'; then
import json, sys
report = json.load(open(sys.argv[1]))
rows = sorted((f["line"], f["section"] or "-", f["rule_id"]) for f in report["findings"])
for line, section, rule in rows:
    print(line, section, rule)
if report["errors"]:
    sys.exit("syntax errors: %s" % report["errors"])
PY
    echo "not ok: $name: unreadable report (exit status $status)"
    cat "$scratch/err"
    failures=$((failures + 1))
    continue
  fi
  grep -v '^#' "$expected" | sed '/^$/d' >"$scratch/expected"
  if ! diff -u "$scratch/expected" "$scratch/actual" >"$scratch/diff"; then
    echo "not ok: $name: findings differ (- expected, + actual)"
    tail -n +3 "$scratch/diff"
    failures=$((failures + 1))
    continue
  fi
  errors=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["summary"]["error"])' "$scratch/out.json")
  want_status=$([[ $errors -gt 0 ]] && echo 1 || echo 0)
  if [[ $status != "$want_status" ]]; then
    echo "not ok: $name: exit status $status, expected $want_status ($errors error findings)"
    failures=$((failures + 1))
    continue
  fi
  awk '{print $3}' "$scratch/actual" >>"$scratch/fired"
done

# Every rule the linter knows (its `dbopt help migrate` rule list) fires somewhere.
"$DBOPT" help migrate | sed -n 's/^  \([a-z-]*\) (\(error\|warning\|info\)): .*/\1/p' | sort -u >"$scratch/rules"
missing=$(comm -23 "$scratch/rules" <(sort -u "$scratch/fired"))
if [[ ! -s $scratch/rules ]]; then
  echo "not ok: no rule list in dbopt help migrate"
  failures=$((failures + 1))
elif [[ -n $missing ]]; then
  echo "not ok: rules that fire in no corpus file: $missing"
  failures=$((failures + 1))
fi
echo "lint corpus: $files files, $(sort -u "$scratch/fired" | wc -l) of $(wc -l <"$scratch/rules") rules fire"
echo "$((files + 1 - failures)) passed, $failures failed"
((failures == 0))
