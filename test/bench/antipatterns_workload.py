#!/usr/bin/env python3
"""Labelled workload for the N+1 detector (issue 5), written as psql and pgbench scripts.

Writes into OUTDIR: setup.sql (schema, data, PL/pgSQL functions), client_N.sql (one psql
script per client: requests in random order, think time between them), hibernate.pgbench (a
pgbench script run with the extended protocol) and truth.tsv, the ground truth:

    label  kind  source_marker  repeated_marker  loops

kind is n_plus_one (a finding whose source query mentions source_marker and whose repeated
query mentions repeated_marker is right; `loops` were injected) or lookalike (no finding may
mention repeated_marker). Every scenario has tables of its own, so a finding's texts name the
scenario that produced it. Usage: antipatterns_workload.py OUTDIR [--clients N]
[--requests N] [--seed N] [--pgbench-transactions N]
"""
import argparse
import os
import random

# ORM-style SQL as the frameworks print it (identifiers quoted or aliased their way).
RAILS_USER = 'SELECT "rails_users".* FROM "rails_users" WHERE "rails_users"."id" = {id} LIMIT 1'
RAILS_POSTS = ('SELECT "rails_posts".* FROM "rails_posts" WHERE "rails_posts"."board_id" = {b} '
               'ORDER BY "rails_posts"."created_at" DESC LIMIT 30')
DJANGO_SESSION = ('SELECT "django_session"."session_key", "django_session"."session_data" FROM '
                  '"django_session" WHERE "django_session"."session_key" = \'{key}\' LIMIT 21')
DJANGO_ENTRIES = ('SELECT "blog_entry"."id", "blog_entry"."headline", "blog_entry"."blog_id" '
                  'FROM "blog_entry" WHERE "blog_entry"."pub_year" = {y} ORDER BY '
                  '"blog_entry"."id" ASC')
DJANGO_BLOG = ('SELECT "blog_blog"."id", "blog_blog"."name" FROM "blog_blog" WHERE '
               '"blog_blog"."id" = {id} LIMIT 21')
SA_ORDERS = ('SELECT sa_orders.id AS sa_orders_id, sa_orders.customer_id AS '
             'sa_orders_customer_id, sa_orders.placed AS sa_orders_placed FROM sa_orders WHERE '
             'sa_orders.customer_id = {c}')
SA_ITEMS = ('SELECT sa_order_items.id AS sa_order_items_id, sa_order_items.qty AS '
            'sa_order_items_qty FROM sa_order_items WHERE {o} = sa_order_items.order_id')
PL_LINES_CALL = 'SELECT pl_invoice_total({inv})'
PL_CUSTOMERS_CALL = 'SELECT * FROM pl_customer_balances({region})'

# Look-alikes.
JOB_LIST = "SELECT id FROM job_queue WHERE state = 'new' AND batch = {b} ORDER BY id"
JOB_DONE = "UPDATE job_queue SET state = 'done' WHERE id = {id}"
AUDIT_SRC = 'SELECT id, amount FROM ledger WHERE day = {d} ORDER BY id'
AUDIT_INS = "INSERT INTO audit_log (ledger_id, note) VALUES ({id}, 'checked')"
ACCOUNT_ONE = 'SELECT id, email, plan FROM accounts WHERE id = {id}'
ACCOUNT_LIST = 'SELECT id, email FROM accounts WHERE plan = {p} ORDER BY id LIMIT 15'
ARTICLES_PAGE = 'SELECT id, title FROM articles ORDER BY id LIMIT 20 OFFSET {off}'
ARTICLES_SMALL_PAGE = 'SELECT id, title FROM articles ORDER BY id DESC LIMIT 5 OFFSET {off}'
CATEGORIES = 'SELECT id, name FROM catalog_categories ORDER BY id'
CATEGORY_PRODUCTS = 'SELECT id, name, price FROM catalog_products WHERE category_id = {c}'
PRICE_ONE = "SELECT price FROM price_cache WHERE sku = 'sku-{s}'"
REPORT = 'SELECT day, sum(amount) FROM ledger GROUP BY day ORDER BY day'
REPORT_DETAIL = 'SELECT id, amount FROM ledger WHERE id = {id}'

TRUTH = [
    ('rails_posts_authors', 'n_plus_one', 'rails_posts', 'rails_users'),
    ('django_entries_blogs', 'n_plus_one', 'blog_entry', 'blog_blog'),
    ('sqlalchemy_orders_items', 'n_plus_one', 'sa_orders', 'sa_order_items'),
    ('hibernate_departments_employees', 'n_plus_one', 'hb_department', 'hb_employee'),
    ('hibernate_departments_managers', 'n_plus_one', 'hb_department', 'hb_manager'),
    ('plpgsql_invoice_products', 'n_plus_one', 'pl_invoice_lines', 'pl_products'),
    ('plpgsql_customer_payments', 'n_plus_one', 'pl_customers', 'pl_payments'),
    ('batch_job_updates', 'lookalike', 'job_queue', 'job_queue'),
    ('batch_audit_inserts', 'lookalike', 'ledger', 'audit_log'),
    ('single_lookups', 'lookalike', 'accounts', 'accounts'),
    ('small_offset_pagination', 'lookalike', 'articles', 'articles'),
    ('children_with_many_rows', 'lookalike', 'catalog_categories', 'catalog_products'),
    ('cache_warmup_batch', 'lookalike', 'price_cache', 'price_cache'),
    ('report_with_few_drilldowns', 'lookalike', 'ledger', 'ledger'),
]

SETUP = r"""
CREATE TABLE rails_users (id int PRIMARY KEY, name text, email text);
CREATE TABLE rails_posts (id int PRIMARY KEY, board_id int, user_id int, title text,
                          created_at timestamptz);
INSERT INTO rails_users SELECT i, 'user' || i, 'u' || i || '@x' FROM generate_series(1, 500) i;
-- board b has 5 + b % 21 posts
INSERT INTO rails_posts SELECT row_number() OVER (), b, 1 + (b * 7 + k) % 500, 'post',
       now() - k * interval '1 hour'
  FROM generate_series(1, 60) b, generate_series(1, 5 + b % 21) k;
CREATE INDEX ON rails_posts (board_id);
CREATE TABLE django_session (session_key text PRIMARY KEY, session_data text);
INSERT INTO django_session SELECT 'k' || i, 'data' FROM generate_series(1, 100) i;
CREATE TABLE blog_blog (id int PRIMARY KEY, name text);
CREATE TABLE blog_entry (id int PRIMARY KEY, headline text, blog_id int, pub_year int);
INSERT INTO blog_blog SELECT i, 'blog' || i FROM generate_series(1, 50) i;
INSERT INTO blog_entry SELECT row_number() OVER (), 'h', 1 + (y + k) % 50, y
  FROM generate_series(2000, 2030) y, generate_series(1, 6 + y % 15) k;
CREATE TABLE sa_orders (id int PRIMARY KEY, customer_id int, placed date);
CREATE TABLE sa_order_items (id int PRIMARY KEY, order_id int, qty int);
INSERT INTO sa_orders SELECT row_number() OVER (), c, current_date
  FROM generate_series(1, 80) c, generate_series(1, 5 + c % 11) k;
INSERT INTO sa_order_items SELECT row_number() OVER (), o, k
  FROM generate_series(1, 1000) o, generate_series(1, 1 + o % 4) k;
CREATE INDEX ON sa_orders (customer_id);
CREATE INDEX ON sa_order_items (order_id);
CREATE TABLE hb_department (id int PRIMARY KEY, name text, region int, manager_id int);
CREATE TABLE hb_employee (id int PRIMARY KEY, dept_id int, name text);
CREATE TABLE hb_manager (id int PRIMARY KEY, name text);
INSERT INTO hb_department SELECT row_number() OVER (), 'd', r, r * 100 + k
  FROM generate_series(1, 20) r, generate_series(1, 6 + r % 9) k;
INSERT INTO hb_employee SELECT row_number() OVER (), d, 'e' FROM generate_series(1, 300) d,
       generate_series(1, 1 + d % 3) k;
INSERT INTO hb_manager SELECT i, 'm' FROM generate_series(1, 3000) i;
CREATE INDEX ON hb_department (region);
CREATE INDEX ON hb_employee (dept_id);
CREATE TABLE pl_products (id int PRIMARY KEY, price numeric);
CREATE TABLE pl_invoice_lines (invoice_id int, line int, product_id int, qty int);
INSERT INTO pl_products SELECT i, i % 97 FROM generate_series(1, 1000) i;
INSERT INTO pl_invoice_lines SELECT inv, k, 1 + (inv * 13 + k) % 1000, k
  FROM generate_series(1, 200) inv, generate_series(1, 5 + inv % 16) k;
CREATE INDEX ON pl_invoice_lines (invoice_id);
CREATE TABLE pl_customers (id int PRIMARY KEY, region int);
CREATE TABLE pl_payments (id int PRIMARY KEY, customer_id int, amount numeric);
INSERT INTO pl_customers SELECT row_number() OVER (), r FROM generate_series(1, 30) r,
       generate_series(1, 5 + r % 12) k;
INSERT INTO pl_payments SELECT i, 1 + i % 400, i % 50 FROM generate_series(1, 4000) i;
CREATE INDEX ON pl_customers (region);
CREATE INDEX ON pl_payments (customer_id);
CREATE FUNCTION pl_invoice_total(inv int) RETURNS numeric LANGUAGE plpgsql AS $$
DECLARE
  r record;
  p numeric;
  total numeric := 0;
BEGIN
  FOR r IN SELECT product_id, qty FROM pl_invoice_lines WHERE invoice_id = inv ORDER BY line LOOP
    SELECT price INTO p FROM pl_products WHERE id = r.product_id;
    total := total + p * r.qty;
  END LOOP;
  RETURN total;
END $$;
CREATE FUNCTION pl_customer_balances(reg int) RETURNS TABLE(customer int, balance numeric)
LANGUAGE plpgsql AS $$
DECLARE
  c record;
BEGIN
  FOR c IN SELECT id FROM pl_customers WHERE region = reg ORDER BY id LOOP
    customer := c.id;
    SELECT coalesce(sum(amount), 0) INTO balance FROM pl_payments WHERE customer_id = c.id;
    RETURN NEXT;
  END LOOP;
END $$;
CREATE TABLE job_queue (id int PRIMARY KEY, batch int, state text);
INSERT INTO job_queue SELECT i, i % 500, 'new' FROM generate_series(1, 20000) i;
CREATE INDEX ON job_queue (batch);
CREATE TABLE ledger (id int PRIMARY KEY, day int, amount numeric);
INSERT INTO ledger SELECT i, i % 300, i % 1000 FROM generate_series(1, 6000) i;
CREATE INDEX ON ledger (day);
CREATE TABLE audit_log (ledger_id int, note text);
CREATE TABLE accounts (id int PRIMARY KEY, email text, plan int);
INSERT INTO accounts SELECT i, 'a' || i, i % 5 FROM generate_series(1, 2000) i;
CREATE TABLE articles (id int PRIMARY KEY, title text);
INSERT INTO articles SELECT i, 't' || i FROM generate_series(1, 5000) i;
CREATE TABLE catalog_categories (id int PRIMARY KEY, name text);
CREATE TABLE catalog_products (id int PRIMARY KEY, category_id int, name text, price numeric);
INSERT INTO catalog_categories SELECT i, 'c' || i FROM generate_series(1, 8) i;
INSERT INTO catalog_products SELECT i, 1 + i % 8, 'p', i FROM generate_series(1, 400) i;
CREATE INDEX ON catalog_products (category_id);
CREATE TABLE price_cache (sku text PRIMARY KEY, zone int, price numeric);
INSERT INTO price_cache SELECT 'sku-' || i, i % 20, i FROM generate_series(1, 1000) i;
ANALYZE;
"""


class Client:
    def __init__(self, rng):
        self.rng = rng
        self.lines = []
        self.loops = {}

    def sql(self, statement):
        self.lines.append(statement + ';')

    def loop(self, label):
        self.loops[label] = self.loops.get(label, 0) + 1

    def think(self):
        # Think time between requests (0 to 400 ms): many under the 1 s window.
        self.lines.append('\\! sleep %.3f' % self.rng.uniform(0.0, 0.4))

    # ---- N+1 requests ------------------------------------------------------------------
    def rails(self):
        b = self.rng.randint(1, 60)
        self.sql(RAILS_USER.format(id=self.rng.randint(1, 500)))  # current user
        self.sql(RAILS_POSTS.format(b=b))
        n = 5 + b % 21
        for k in range(1, n + 1):
            self.sql(RAILS_USER.format(id=1 + (b * 7 + k) % 500))
        self.loop('rails_posts_authors')

    def django(self):
        y = self.rng.randint(2000, 2030)
        self.sql('BEGIN')  # ATOMIC_REQUESTS
        self.sql(DJANGO_SESSION.format(key='k%d' % self.rng.randint(1, 100)))
        self.sql(DJANGO_ENTRIES.format(y=y))
        for k in range(1, 6 + y % 15 + 1):
            self.sql(DJANGO_BLOG.format(id=1 + (y + k) % 50))
        self.sql('COMMIT')
        self.loop('django_entries_blogs')

    def sqlalchemy(self):
        c = self.rng.randint(1, 80)
        self.sql('BEGIN')  # SQLAlchemy's implicit transaction per session
        self.sql(SA_ORDERS.format(c=c))
        first = sum(5 + x % 11 for x in range(1, c)) + 1
        for o in range(first, first + 5 + c % 11):
            self.sql(SA_ITEMS.format(o=o))
        self.sql('COMMIT')
        self.loop('sqlalchemy_orders_items')

    def plpgsql(self):
        if self.rng.random() < 0.5:
            inv = self.rng.randint(1, 200)
            self.sql(PL_LINES_CALL.format(inv=inv))
            self.loop('plpgsql_invoice_products')
        else:
            self.sql(PL_CUSTOMERS_CALL.format(region=self.rng.randint(1, 30)))
            self.loop('plpgsql_customer_payments')

    # ---- look-alikes -------------------------------------------------------------------
    def batch_job(self):
        b = self.rng.randint(0, 499)
        self.sql('BEGIN')
        self.sql(JOB_LIST.format(b=b))
        for k in range(40):
            self.sql(JOB_DONE.format(id=b + 500 * k if b + 500 * k > 0 else 500))
        self.sql('COMMIT')

    def audit(self):
        d = self.rng.randint(0, 299)
        self.sql(AUDIT_SRC.format(d=d))
        for k in range(20):
            self.sql(AUDIT_INS.format(id=d + 300 * k if d + 300 * k > 0 else 300))

    def single_lookups(self):
        self.sql(ACCOUNT_LIST.format(p=self.rng.randint(0, 4)))
        self.sql(ACCOUNT_ONE.format(id=self.rng.randint(1, 2000)))

    def pagination(self):
        if self.rng.random() < 0.5:
            for page in range(5):
                self.sql(ARTICLES_PAGE.format(off=20 * page))
        else:
            # A short list, then small pages of another one right after it.
            self.sql(ACCOUNT_LIST.format(p=self.rng.randint(0, 4)).replace('15', '8'))
            for page in range(8):
                self.sql(ARTICLES_SMALL_PAGE.format(off=5 * page))

    def many_rows(self):
        self.sql(CATEGORIES)
        for c in range(1, 9):
            self.sql(CATEGORY_PRODUCTS.format(c=c))

    def warmup(self):
        # A cache warm-up job: lookups with no list before them.
        for _ in range(30):
            self.sql(PRICE_ONE.format(s=self.rng.randint(1, 1000)))

    def report(self):
        self.sql(REPORT)
        for _ in range(3):
            self.sql(REPORT_DETAIL.format(id=self.rng.randint(1, 6000)))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('outdir')
    parser.add_argument('--clients', type=int, default=5)
    parser.add_argument('--requests', type=int, default=60)
    parser.add_argument('--seed', type=int, default=1)
    parser.add_argument('--pgbench-transactions', type=int, default=40)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    os.makedirs(args.outdir, exist_ok=True)
    with open(os.path.join(args.outdir, 'setup.sql'), 'w') as f:
        f.write(SETUP)
    kinds = ['rails', 'django', 'sqlalchemy', 'plpgsql', 'batch_job', 'audit', 'single_lookups',
             'pagination', 'many_rows', 'warmup', 'report']
    loops = {}
    for n in range(args.clients):
        client = Client(random.Random(rng.random()))
        for _ in range(args.requests):
            getattr(client, client.rng.choice(kinds))()
            client.think()
        with open(os.path.join(args.outdir, 'client_%d.sql' % n), 'w') as f:
            f.write('\n'.join(client.lines) + '\n')
        for label, count in client.loops.items():
            loops[label] = loops.get(label, 0) + count
    # Hibernate through pgbench's extended protocol: a department list by region, then for
    # each department its employees and its manager (two lazy associations, interleaved).
    # pgbench cannot iterate over rows, so the loop is unrolled for the largest region
    # size and \if skips the lines past the region's department count.
    lines = ['\\set r random(1, 20)',
             'select d1_0.id,d1_0.manager_id,d1_0.name from hb_department d1_0 '
             'where d1_0.region=:r order by d1_0.id;',
             '\\set n 6 + :r % 9',
             'select coalesce(min(d1_0.id), 1) as first from hb_department d1_0 '
             'where d1_0.region=:r \\gset']
    for k in range(14):
        lines += ['\\if %d < :n' % k,
                  '\\set d (:first + %d) %% 300 + 1' % k,
                  'select e1_0.id,e1_0.name from hb_employee e1_0 where e1_0.dept_id=:d;',
                  '\\set m :r * 100 + %d' % (k + 1),
                  'select m1_0.id,m1_0.name from hb_manager m1_0 where m1_0.id=:m;',
                  '\\endif']
    lines.append('\\sleep 50 ms')
    with open(os.path.join(args.outdir, 'hibernate.pgbench'), 'w') as f:
        f.write('\n'.join(lines) + '\n')
    hb = args.pgbench_transactions
    loops['hibernate_departments_employees'] = hb
    loops['hibernate_departments_managers'] = hb
    with open(os.path.join(args.outdir, 'truth.tsv'), 'w') as f:
        for label, kind, source, repeated in TRUTH:
            f.write('%s\t%s\t%s\t%s\t%d\n' % (label, kind, source, repeated,
                                              loops.get(label, 0) if kind == 'n_plus_one' else 0))


if __name__ == '__main__':
    main()
