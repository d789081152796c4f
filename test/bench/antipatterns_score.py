#!/usr/bin/env python3
"""Scores dbopt's workload anti-pattern detectors against the labelled workload's ground truth.

Usage: antipatterns_score.py TRUTH INJECTED [--summary FILE]
  TRUTH     antipatterns_truth.tsv (per detector, the expected findings as patterns)
  INJECTED  the run's injected.tsv (label, times the scenario ran)
Connects with the PG* environment, reads every detector function that exists (one that does
not is reported as not available), matches each finding to the truth and prints, per
detector, every finding with its verdict, every label with what was found, precision and
recall. Precision: findings that match a positive label / all findings. Recall: positive
labels that ran and got at least one finding / positive labels that ran. For N+1 also per loop:
the loops the findings count (occurrences) against the loops injected.
Needs psycopg 3 (Debian: python3-psycopg).
"""
import argparse
import json
import re
import sys

# detector -> (function, check_id filter or None). n_plus_one_writes are rows of
# dbopt_n_plus_one(include_writes => true) when that parameter exists.
DETECTORS = [
    ('n_plus_one', 'dbopt_n_plus_one', 'n_plus_one'),
    ('n_plus_one_writes', 'dbopt_n_plus_one', 'n_plus_one_writes'),
    ('offset_pagination', 'dbopt_offset_pagination', None),
    ('text_search', 'dbopt_text_search', None),
    ('unsafe_multi_step_writes', 'dbopt_unsafe_multi_step_writes', None),
    ('large_results', 'dbopt_large_results', None),
]


def read_truth(path):
    truth = []
    for line in open(path):
        if not line.strip() or line.startswith('#'):
            continue
        detector, label, kind, patterns = line.rstrip('\n').split('\t')
        conditions = []
        for condition in patterns.split(' && '):
            column, regex = condition.split('~', 1)
            conditions.append((column.strip(), re.compile(regex, re.IGNORECASE)))
        truth.append({'detector': detector, 'label': label, 'kind': kind,
                      'patterns': patterns, 'conditions': conditions})
    return truth


def text_of(row, column):
    if column == '*':
        return '\n'.join(json.dumps(v) if isinstance(v, (dict, list)) else str(v)
                         for v in row.values() if v is not None)
    value = row.get(column)
    if value is None:
        return ''
    return json.dumps(value) if isinstance(value, (dict, list)) else str(value)


def match(row, entries):
    # Positives first: a finding that names a positive scenario is right.
    for kind in ('positive', 'lookalike'):
        for entry in entries:
            if entry['kind'] == kind and all(regex.search(text_of(row, column))
                                             for column, regex in entry['conditions']):
                return entry
    return None


def short(text, width=70):
    text = ' '.join((text or '').split())
    return text if len(text) <= width else text[:width - 3] + '...'


def describe(row):
    if row.get('source_query') is not None or row.get('repeated_query') is not None:
        return '%s -> %s' % (short(row.get('source_query'), 55), short(row.get('repeated_query'), 55))
    for column in ('query', 'normalized_query', 'query_text'):
        if row.get(column):
            return short(row[column], 110)
    texts = [v for k, v in row.items() if isinstance(v, str) and 'query' in k and v]
    if texts:
        return short(' | '.join(texts), 110)
    return short('%s: %s' % (row.get('object_name'), row.get('message')), 110)


def fetch(conn, function, check_id):
    exists = conn.execute('SELECT count(*) FROM pg_proc WHERE proname = %s', (function,)).fetchone()[0]
    if not exists:
        return None, 'not available (no function %s)' % function
    call = '%s()' % function
    if function == 'dbopt_n_plus_one':
        writes = conn.execute("SELECT count(*) FROM pg_proc WHERE proname = %s AND "
                              "'include_writes' = ANY(proargnames)", (function,)).fetchone()[0]
        if writes:
            call = '%s(include_writes => true)' % function
        elif check_id == 'n_plus_one_writes':
            return None, 'not available (dbopt_n_plus_one has no include_writes)'
    try:
        rows = [r[0] for r in conn.execute('SELECT to_jsonb(f) FROM %s f' % call).fetchall()]
    except Exception as error:  # a detector that fails is reported, the others still run
        conn.rollback()
        return None, 'failed: %s' % ' '.join(str(error).split())
    if check_id is not None:
        rows = [r for r in rows if r.get('check_id') == check_id]
    return rows, None


def score(conn, truth, injected, summary):
    print('scenarios run: %s' % ', '.join('%s %d' % kv for kv in sorted(injected.items())))
    for detector, function, check_id in DETECTORS:
        entries = [t for t in truth if t['detector'] == detector]
        print()
        print('=== %s' % detector)
        rows, problem = fetch(conn, function, check_id)
        if rows is None:
            print('  %s' % problem)
            summary.append((detector, 'n/a', 'n/a', '', '', problem))
            continue
        found = {t['label']: 0 for t in entries}
        loops = {t['label']: 0 for t in entries}
        tp = fp = tp_loops = fp_loops = 0
        false_positives = []
        print('findings (%d):' % len(rows))
        for row in rows:
            entry = match(row, entries)
            occurrences = int(row.get('occurrences') or 1)
            if entry is not None:
                found[entry['label']] += 1
                loops[entry['label']] += occurrences
            if entry is not None and entry['kind'] == 'positive':
                tp += 1
                tp_loops += occurrences
                verdict = 'ok (%s)' % entry['label']
            else:
                fp += 1
                fp_loops += occurrences
                verdict = 'FALSE POSITIVE (%s)' % (entry['label'] if entry else 'unlabelled')
                false_positives.append(verdict)
            extra = ''
            if detector.startswith('n_plus_one'):
                extra = 'loops %4d repeats %5.1f rows %5.1f  ' % (
                    occurrences, row.get('mean_repeats') or 0, row.get('mean_source_rows') or 0)
            print('  %-46s %s| %s' % (verdict, extra, describe(row)))
        print('labels:')
        print('  %-34s %-9s %6s %8s%s' % ('label', 'kind', 'ran', 'findings',
                                          '    loops' if detector.startswith('n_plus_one') else ''))
        positives = [t for t in entries if t['kind'] == 'positive' and injected.get(t['label'], 0)]
        missed = []
        for t in entries:
            ran = injected.get(t['label'], 0)
            note = ''
            if t['kind'] == 'positive' and ran and not found[t['label']]:
                note = '  FALSE NEGATIVE'
                missed.append(t['label'])
            elif t['kind'] == 'lookalike' and found[t['label']]:
                note = '  flagged'
            print('  %-34s %-9s %6d %8d%s%s' % (
                t['label'], t['kind'], ran, found[t['label']],
                '    %5d' % loops[t['label']] if detector.startswith('n_plus_one') else '', note))
        recall_hits = sum(1 for t in positives if found[t['label']])
        precision = tp / (tp + fp) if tp + fp else float('nan')
        recall = recall_hits / len(positives) if positives else float('nan')
        lookalikes = sum(1 for t in entries if t['kind'] == 'lookalike' and found[t['label']])
        print('precision %.3f (%d of %d findings)   recall %.3f (%d of %d scenarios)   '
              'look-alikes flagged %d' % (precision, tp, tp + fp, recall, recall_hits,
                                          len(positives), lookalikes))
        if detector == 'n_plus_one':
            # Per loop: one run of a positive scenario injects one loop (pl/pgsql included).
            injected_loops = sum(injected.get(t['label'], 0) for t in positives)
            caught = sum(min(loops[t['label']], injected.get(t['label'], 0)) for t in positives)
            print('loops: precision %.3f (%d of %d found), recall %.3f (%d of %d injected)' % (
                tp_loops / max(1, tp_loops + fp_loops), tp_loops, tp_loops + fp_loops,
                caught / max(1, injected_loops), caught, injected_loops))
        if missed:
            print('false negatives: %s' % ', '.join(missed))
        summary.append((detector, '%.3f' % precision, '%.3f' % recall, '%d/%d' % (tp, tp + fp),
                        '%d/%d' % (recall_hits, len(positives)),
                        'look-alikes flagged %d' % lookalikes))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('truth')
    parser.add_argument('injected')
    parser.add_argument('--summary')
    args = parser.parse_args()
    try:
        import psycopg
    except ImportError:
        sys.exit('antipatterns_score.py needs psycopg 3: apt-get install python3-psycopg')
    truth = read_truth(args.truth)
    injected = {}
    for line in open(args.injected):
        label, count = line.split('\t')
        injected[label] = int(count)
    summary = []
    with psycopg.connect(autocommit=True) as conn:
        score(conn, truth, injected, summary)
    print()
    print('%-26s %9s %7s %10s %10s' % ('detector', 'precision', 'recall', 'right', 'found'))
    for detector, precision, recall, right, hits, note in summary:
        print('%-26s %9s %7s %10s %10s  %s' % (detector, precision, recall, right, hits, note))
    if args.summary:
        with open(args.summary, 'w') as f:
            for line in summary:
                f.write('\t'.join(line) + '\n')


if __name__ == '__main__':
    main()
