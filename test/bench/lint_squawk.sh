#!/usr/bin/env bash
# Migration lint coverage: dbopt migrate lint (offline) against squawk-cli (npm) on the same
# corpus (test/lint/*.sql). A benchmark only: squawk is installed into a scratch folder, never
# into the build or the tests. Prints a markdown table per rule family (docs/BENCHMARKS.md,
# "Migration lint coverage vs squawk").
#
# Usage: test/bench/lint_squawk.sh [DBOPT_BIN]     (default build/dbopt)
#   SQUAWK_DIR=/tmp/lintcli-squawk  reuse an install (default: a new /tmp/lintcli-squawk.XXXX)
#   SQUAWK_VERSION=2.66.0           the npm version to install (default: that one)
#
# Ground truth: the reviewed expected findings of the corpus (test/lint/*.expected, one
# "line section rule" per hazard), corrected below where review found dbopt wrong (TRUTH_*).
# A finding counts for a family when it names a statement's first line and maps to that family;
# a finding of a family where the truth has none is a false positive. squawk's rules that map
# to no dbopt family are counted apart (robustness, statement_timeout, type preferences).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
dbopt=${1:-$root/build/dbopt}
corpus=$root/test/lint
version=${SQUAWK_VERSION:-2.66.0}
squawk_dir=${SQUAWK_DIR:-$(mktemp -d /tmp/lintcli-squawk.XXXXXX)}
if [[ ! -x $squawk_dir/node_modules/.bin/squawk ]]; then
  (cd "$squawk_dir" && npm install --silent --no-audit --no-fund "squawk-cli@$version" >/dev/null)
fi
squawk=$squawk_dir/node_modules/.bin/squawk
work=$(mktemp -d /tmp/lintcli-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
echo "# $("$squawk" --version), dbopt $("$dbopt" --version | awk '{print $2}'), $(ls "$corpus"/[0-9]*.sql | wc -l) corpus files"
for sql in "$corpus"/[0-9]*.sql; do
  name=$(basename "$sql" .sql)
  "$dbopt" migrate lint --format json "$sql" >"$work/$name.dbopt.json" || true
  # squawk: --pg-version 15; its lines are 0-based.
  "$squawk" --pg-version 15.0 --reporter json "$sql" >"$work/$name.squawk.json" 2>/dev/null || true
done
python3 - "$corpus" "$work" <<'PY'
import collections, glob, json, os, sys
corpus, work = sys.argv[1], sys.argv[2]

# Rule families: the hazards the issue lists, dbopt's rule ids and squawk's rule names for them.
FAMILIES = [
    ("index build without CONCURRENTLY", ["index-without-concurrently"], ["require-concurrent-index-creation"]),
    ("index drop without CONCURRENTLY", ["drop-index-without-concurrently"], ["require-concurrent-index-deletion"]),
    ("REINDEX without CONCURRENTLY", ["reindex-without-concurrently"], ["require-concurrent-reindex"]),
    ("CONCURRENTLY inside a transaction", ["concurrently-in-transaction"], ["ban-concurrent-index-creation-in-transaction"]),
    ("foreign key without NOT VALID", ["foreign-key-without-not-valid"], ["adding-foreign-key-constraint", "constraint-missing-not-valid"]),
    ("CHECK without NOT VALID", ["check-without-not-valid"], ["constraint-missing-not-valid"]),
    ("NOT NULL column without default", ["not-null-column-without-default"], ["adding-required-field"]),
    ("volatile default (rewrite)", ["volatile-default"], ["adding-field-with-default"]),
    ("SET NOT NULL (full scan)", ["set-not-null"], ["adding-not-nullable-field"]),
    ("column type change", ["alter-column-type"], ["changing-column-type"]),
    ("rename column / table", ["rename-column", "rename-table"], ["renaming-column", "renaming-table"]),
    ("drop column / table", ["drop-column", "drop-table"], ["ban-drop-column", "ban-drop-table"]),
    ("unique constraint without prior index", ["unique-constraint-without-index"], ["disallowed-unique-constraint"]),
    ("missing lock_timeout", ["missing-lock-timeout"], ["require-lock-timeout"]),
    ("new foreign key without index", ["foreign-key-without-index"], []),
    ("serial column", ["serial-column"], ["prefer-identity"]),
    ("int / smallint primary key", ["int-primary-key"], ["prefer-bigint-over-int", "prefer-bigint-over-smallint"]),
    ("json instead of jsonb", ["json-column"], []),
    ("timestamp without time zone", ["timestamp-without-time-zone"], ["prefer-timestamp-tz"]),
    ("char(n)", ["char-column"], ["ban-char-field"]),
    # Appended (the indexes above are used below): hazards squawk 2.66.0 has no rule for.
    ("REFRESH MATERIALIZED VIEW without CONCURRENTLY", ["refresh-without-concurrently"], []),
    ("CLUSTER / VACUUM FULL (table rewrite)", ["cluster", "vacuum-full"], []),
]
# squawk rules broader than the family (every int column, not only keys): their findings
# count where the family has a hazard, and are not false positives elsewhere.
BROADER = {"prefer-bigint-over-int", "prefer-bigint-over-smallint"}
# Review of the disagreements (docs/BENCHMARKS.md): (file, line, family index) that the
# expected findings record but that are not hazards, and hazards they do not record.
TRUTH_REMOVE = {
    ("19_alter_column_type_no_rewrite", 3, 9),  # varchar(n) -> text keeps the bytes
}
# (The write-blocking locks of a plain CREATE INDEX / REINDEX and of CREATE TABLE ...
# REFERENCES, once added here, are in the expected findings since dbopt flags them.)
TRUTH_ADD = set()

def statement_starts(path):
    """(first line, text) of each statement: a small scanner for the corpus (quotes, comments,
    semicolons; no dollar quoting), so that a finding on any line of a statement counts for it."""
    text = open(path).read()
    starts, i, line, start, buf = [], 0, 1, None, ""
    while i < len(text):
        c = text[i]
        if text.startswith("--", i):
            while i < len(text) and text[i] != "\n":
                i += 1
            continue
        if text.startswith("/*", i):
            j = text.index("*/", i) + 2
            line += text.count("\n", i, j)
            i = j
            continue
        if c == "\n":
            line += 1
        elif c in "'\"":
            j = text.index(c, i + 1)
            line += text.count("\n", i, j)
            if start is None:
                start = line
            buf += text[i:j + 1]
            i = j + 1
            continue
        elif c == ";":
            if start is not None:
                starts.append((start, buf))
            start, buf = None, ""
        elif not c.isspace() and start is None:
            start = line
        if start is not None:
            buf += c
        i += 1
    if start is not None:
        starts.append((start, buf))
    return starts

def statement_of(starts, line):
    best = starts[0] if starts else (line, "")
    for s in starts:
        if s[0] <= line:
            best = s
    return best

dbopt_family = {r: i for i, (_, rs, _) in enumerate(FAMILIES) for r in rs}
squawk_families = collections.defaultdict(list)
for i, (_, _, rs) in enumerate(FAMILIES):
    for r in rs:
        squawk_families[r].append(i)

truth, found_d, found_s, broader_s = set(), set(), set(), set()
unmapped = collections.Counter()
files = sorted(glob.glob(os.path.join(corpus, "[0-9]*.sql")))
for sql in files:
    name = os.path.basename(sql)[:-4]
    for row in open(os.path.join(corpus, name + ".expected")):
        if row.startswith("#") or not row.strip():
            continue
        line, _section, rule = row.split()
        truth.add((name, int(line), dbopt_family[rule]))
    report = json.load(open(os.path.join(work, name + ".dbopt.json")))
    for f in report["findings"]:
        found_d.add((name, f["line"], dbopt_family[f["rule_id"]]))
    starts = statement_starts(sql)
    text = open(os.path.join(work, name + ".squawk.json")).read().strip() or "[]"
    for f in json.loads(text):
        rule = f["rule_name"]
        fams = squawk_families.get(rule)
        if not fams:
            unmapped[rule] += 1
            continue
        line, statement = statement_of(starts, f["line"] + 1)
        if rule == "constraint-missing-not-valid":  # foreign keys and checks alike
            fams = [4] if "REFERENCES" in statement.upper() else [5]
        for fam in fams:
            found_s.add((name, line, fam))
            if rule in BROADER:
                broader_s.add((name, line, fam))
truth = (truth - TRUTH_REMOVE) | TRUTH_ADD


print()
print("| rule family | hazards in corpus | dbopt caught | dbopt false pos. | squawk caught | squawk false pos. |")
print("|---|---:|---:|---:|---:|---:|")
tot = collections.Counter()
for i, (title, _, srules) in enumerate(FAMILIES):
    t = {x for x in truth if x[2] == i}
    d = {x for x in found_d if x[2] == i}
    s = {x for x in found_s if x[2] == i}
    row = (len(t), len(t & d), len(d - t), len(t & s), len(s - t - broader_s))
    for k, v in zip(("t", "dc", "dfp", "sc", "sfp"), row):
        tot[k] += v
    srule = "" if srules else " (no squawk rule)"
    print(f"| {title}{srule} | {row[0]} | {row[1]} | {row[2]} | {row[3]} | {row[4]} |")
print(f"| **all families** | **{tot['t']}** | **{tot['dc']}** | **{tot['dfp']}** | **{tot['sc']}** | **{tot['sfp']}** |")
print()
print("squawk rules outside these families (findings on the corpus): " +
      ", ".join(f"{r} {n}" for r, n in unmapped.most_common()))
print()
for label, found in (("dbopt", found_d), ("squawk", found_s)):
    missed = sorted(truth - found)
    extra = sorted(found - truth - (broader_s if label == "squawk" else set()))
    print(f"{label} missed: " + ("; ".join(f"{n}:{l} {FAMILIES[f][0]}" for n, l, f in missed) or "none"))
    print(f"{label} false positives: " + ("; ".join(f"{n}:{l} {FAMILIES[f][0]}" for n, l, f in extra) or "none"))
PY
