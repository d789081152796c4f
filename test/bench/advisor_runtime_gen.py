#!/usr/bin/env python3
"""Workloads of test/bench/advisor_runtime.sh (deterministic: fixed seeds, data from integer
hashes, no random() in SQL).

  advisor_runtime_gen.py analytic SCALE OUTDIR   20 analytic queries over four tables
  advisor_runtime_gen.py wide QUERIES OUTDIR     QUERIES distinct shapes over 100 tables
  advisor_runtime_gen.py small SEED OUTDIR       a small instance (two tables, a few queries)

Each writes OUTDIR/<name>_schema.sql (tables, data, ANALYZE) and OUTDIR/<name>_queries.sql
(the workload, one statement a line, run with the extension preloaded so dbopt captures it).
"""
import os
import random
import sys

# Deterministic pseudo-random integer in [0, n) from the row number: Knuth's multiplicative
# hash with a per-column salt.
def H(expr, salt, n):
    return f"((({expr})::bigint * 2654435761 + {salt * 40503}) % 4294967296 % {n})"


def analytic(scale, out):
    n_cust, n_prod = int(100000 * scale), int(100000 * scale)
    n_ord, n_line = int(600000 * scale), int(1000000 * scale)
    schema = f"""
DROP SCHEMA IF EXISTS ana CASCADE;
CREATE SCHEMA ana;
CREATE TABLE ana.customers (id int PRIMARY KEY, region int, segment int, signup date,
                            name text, balance numeric(12,2));
INSERT INTO ana.customers SELECT i, {H('i', 1, 25)}, {H('i', 2, 5)},
       date '2020-01-01' + {H('i', 3, 2190)}::int, 'customer ' || i, {H('i', 4, 1000000)} / 100.0
  FROM generate_series(1, {n_cust}) i;
CREATE TABLE ana.products (id int PRIMARY KEY, category int, brand int, price numeric(10,2),
                           name text);
INSERT INTO ana.products SELECT i, {H('i', 5, 200)}, {H('i', 6, 2000)},
       {H('i', 7, 100000)} / 100.0, 'product ' || i
  FROM generate_series(1, {n_prod}) i;
CREATE TABLE ana.orders (id int PRIMARY KEY, customer_id int, order_date date, status int,
                         total numeric(12,2), priority int, clerk int);
INSERT INTO ana.orders SELECT i, 1 + {H('i', 8, n_cust)}, date '2020-01-01' + {H('i', 9, 2190)}::int,
       {H('i', 10, 5)}, {H('i', 11, 5000000)} / 100.0, {H('i', 12, 5)}, {H('i', 13, 1000)}
  FROM generate_series(1, {n_ord}) i;
CREATE TABLE ana.lineitem (order_id int, line int, product_id int, qty int, price numeric(10,2),
                           discount numeric(4,2), ship_date date, return_flag int,
                           PRIMARY KEY (order_id, line));
INSERT INTO ana.lineitem SELECT 1 + (i - 1) / 2 % {n_ord}, i, 1 + {H('i', 14, n_prod)}, 1 + {H('i', 15, 50)},
       {H('i', 16, 100000)} / 100.0, {H('i', 17, 10)} / 100.0,
       date '2020-01-01' + {H('i', 18, 2200)}::int, {H('i', 19, 3)}
  FROM generate_series(1, {n_line}) i;
VACUUM ANALYZE ana.customers, ana.products, ana.orders, ana.lineitem;
"""
    queries = [
        "SELECT count(*), sum(total) FROM ana.orders WHERE order_date BETWEEN '2024-01-01' AND '2024-01-31'",
        "SELECT * FROM ana.orders WHERE customer_id = 4242 ORDER BY order_date DESC LIMIT 10",
        "SELECT o.id, o.total FROM ana.orders o JOIN ana.customers c ON c.id = o.customer_id WHERE c.region = 3 AND o.order_date >= '2025-06-01'",
        "SELECT status, count(*) FROM ana.orders WHERE order_date >= '2025-11-01' GROUP BY status",
        "SELECT product_id, sum(qty) FROM ana.lineitem WHERE ship_date BETWEEN '2025-01-01' AND '2025-01-07' GROUP BY product_id ORDER BY 2 DESC LIMIT 20",
        "SELECT * FROM ana.lineitem WHERE order_id = 12345",
        "SELECT p.category, sum(l.qty * l.price) FROM ana.lineitem l JOIN ana.products p ON p.id = l.product_id WHERE p.brand = 17 GROUP BY p.category",
        "SELECT c.id, c.name, sum(o.total) FROM ana.customers c JOIN ana.orders o ON o.customer_id = c.id WHERE c.segment = 2 AND c.region = 7 GROUP BY c.id, c.name ORDER BY 3 DESC LIMIT 10",
        "SELECT * FROM ana.products WHERE category = 12 AND price BETWEEN 10 AND 20 ORDER BY price LIMIT 50",
        "SELECT count(*) FROM ana.lineitem WHERE return_flag = 2 AND ship_date >= '2025-12-01'",
        "SELECT * FROM ana.orders WHERE clerk = 77 AND status = 1",
        "SELECT id, total FROM ana.orders ORDER BY total DESC LIMIT 10",
        "SELECT c.region, count(DISTINCT o.customer_id) FROM ana.orders o JOIN ana.customers c ON c.id = o.customer_id WHERE o.order_date BETWEEN '2025-03-01' AND '2025-03-31' GROUP BY c.region",
        "SELECT l.* FROM ana.lineitem l JOIN ana.orders o ON o.id = l.order_id WHERE o.customer_id = 999",
        "SELECT * FROM ana.customers WHERE signup >= '2025-12-01' ORDER BY signup LIMIT 100",
        "SELECT p.name, l.qty FROM ana.lineitem l JOIN ana.products p ON p.id = l.product_id WHERE l.order_id BETWEEN 5000 AND 5100",
        "SELECT avg(discount) FROM ana.lineitem WHERE product_id = 321",
        "SELECT * FROM ana.orders WHERE priority = 1 AND order_date = '2025-05-05'",
        "SELECT * FROM ana.customers WHERE balance > 9990 ORDER BY balance DESC LIMIT 20",
        "SELECT o.order_date, count(*) FROM ana.orders o JOIN ana.lineitem l ON l.order_id = o.id WHERE l.product_id = 555 GROUP BY o.order_date",
    ]
    # Frequencies: a few hot lookups, the rest run once or twice.
    calls = [1, 5, 1, 1, 1, 8, 1, 1, 3, 1, 2, 1, 1, 3, 2, 1, 2, 1, 1, 1]
    write(out, "analytic", schema, [q for q, c in zip(queries, calls) for _ in range(c)])


WIDE_TABLES = 100
# Column: (name, type, distinct values)
WIDE_COLUMNS = [("a", "int", 10), ("b", "int", 100), ("c", "int", 1000), ("d", "int", 50000),
                ("e", "int", 5000), ("f", "int", 300)]


def wide(n_queries, out):
    rng = random.Random(20261201)
    rows = [2000 + rng.randrange(48000) for _ in range(WIDE_TABLES)]
    parts = ["DROP SCHEMA IF EXISTS wide CASCADE;", "CREATE SCHEMA wide;"]
    for t in range(WIDE_TABLES):
        cols = ", ".join(f"{n} {ty}" for n, ty, _ in WIDE_COLUMNS)
        parts.append(f"CREATE TABLE wide.w{t} (id int PRIMARY KEY, ref int, {cols}, note text);")
        ref_rows = rows[(t + 1) % WIDE_TABLES]
        values = ", ".join(H("i", 100 * t + k, d) for k, (_, _, d) in enumerate(WIDE_COLUMNS))
        parts.append(f"INSERT INTO wide.w{t} SELECT i, 1 + {H('i', 100 * t + 99, ref_rows)}, "
                     f"{values}, 'n' || i FROM generate_series(1, {rows[t]}) i;")
    parts.append("VACUUM ANALYZE;")
    names = [n for n, _, _ in WIDE_COLUMNS]

    def val(col):
        d = dict((n, d) for n, _, d in WIDE_COLUMNS)[col]
        return rng.randrange(d)

    shapes, queries = set(), []
    while len(queries) < n_queries:
        t = rng.randrange(WIDE_TABLES)
        u = (t + 1) % WIDE_TABLES
        x, y, z = rng.sample(names, 3)
        kind = rng.randrange(8)
        key = (kind, t, x, y, z if kind in (4, 6, 7) else None)
        if key in shapes:
            continue
        shapes.add(key)
        T = f"wide.w{t}"
        U = f"wide.w{u}"
        if kind == 0:
            q = f"SELECT * FROM {T} WHERE {x} = {val(x)}"
        elif kind == 1:
            q = f"SELECT id, {y} FROM {T} WHERE {x} = {val(x)} AND {y} > {val(y)}"
        elif kind == 2:
            q = f"SELECT * FROM {T} WHERE {x} = {val(x)} ORDER BY {y} DESC LIMIT 10"
        elif kind == 3:
            lo = val(y)
            q = f"SELECT {x}, count(*) FROM {T} WHERE {y} BETWEEN {lo} AND {lo + 5} GROUP BY {x}"
        elif kind == 4:
            q = f"SELECT t.id, t.{z}, u.{y} FROM {T} t JOIN {U} u ON u.id = t.ref WHERE t.{x} = {val(x)}"
        elif kind == 5:
            q = f"SELECT * FROM {T} ORDER BY {x}, {y} LIMIT 5"
        elif kind == 6:
            q = (f"SELECT count(*) FROM {T} t JOIN {U} u ON u.{z} = t.{z} "
                 f"WHERE t.{x} = {val(x)} AND u.{y} = {val(y)}")
        else:
            q = (f"SELECT {x}, {y}, sum({z}) FROM {T} WHERE {x} = {val(x)} AND {y} < {val(y)} "
                 f"GROUP BY {x}, {y}")
        queries.append(q)
    # Frequencies: Zipf-like, the first shapes run more often.
    lines = []
    for i, q in enumerate(queries):
        lines += [q] * (1 + (3 if i % 10 == 0 else 0))
    write(out, "wide", "\n".join(parts) + "\n", lines)


def small(seed, out):
    rng = random.Random(seed)
    name = f"small{seed}"
    parts = [f"DROP SCHEMA IF EXISTS {name} CASCADE;", f"CREATE SCHEMA {name};"]
    cols = ["c0", "c1", "c2", "c3", "c4"]
    distinct = {"c0": 5, "c1": 50, "c2": 500, "c3": 5000, "c4": 100000}
    tables = []
    for t in range(2):
        rows = 20000 + rng.randrange(180000)
        tables.append((f"{name}.t{t}", rows))
        values = ", ".join(H("i", 10 * seed + 3 * t + k, distinct[c]) for k, c in enumerate(cols))
        parts.append(f"CREATE TABLE {name}.t{t} (id int PRIMARY KEY, "
                     + ", ".join(f"{c} int" for c in cols) + ", pad text);")
        parts.append(f"INSERT INTO {name}.t{t} SELECT i, {values}, repeat('x', 40) "
                     f"FROM generate_series(1, {rows}) i;")
    parts.append(f"VACUUM ANALYZE {name}.t0, {name}.t1;")
    lines = []
    seen = set()
    while len(seen) < 4:
        t = rng.randrange(2)
        T = tables[t][0]
        x, y = rng.sample(cols, 2)
        kind = rng.randrange(4)
        if (t, x, y, kind) in seen:
            continue
        seen.add((t, x, y, kind))
        vx, vy = rng.randrange(distinct[x]), rng.randrange(distinct[y])
        if kind == 0:
            q = f"SELECT * FROM {T} WHERE {x} = {vx}"
        elif kind == 1:
            q = f"SELECT id FROM {T} WHERE {x} = {vx} AND {y} < {vy}"
        elif kind == 2:
            q = f"SELECT * FROM {T} WHERE {x} = {vx} ORDER BY {y} LIMIT 10"
        else:
            q = f"SELECT {y}, count(*) FROM {T} WHERE {x} = {vx} GROUP BY {y}"
        lines += [q] * (1 + rng.randrange(5))
    write(out, name, "\n".join(parts) + "\n", lines)


def write(out, name, schema, queries):
    with open(os.path.join(out, f"{name}_schema.sql"), "w") as f:
        f.write(schema)
    with open(os.path.join(out, f"{name}_queries.sql"), "w") as f:
        f.write("SET max_parallel_workers_per_gather = 0;\n")
        for q in queries:
            f.write(q + ";\n")


if __name__ == "__main__":
    what, arg, out = sys.argv[1], sys.argv[2], sys.argv[3]
    if what == "analytic":
        analytic(float(arg), out)
    elif what == "wide":
        wide(int(arg), out)
    elif what == "small":
        small(int(arg), out)
    else:
        sys.exit(f"unknown workload {what}")
