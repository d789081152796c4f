#!/usr/bin/env python3
"""Labelled workload for the workload anti-pattern detectors (issue 5).

Several concurrent clients (threads, one connection each, like the workers of an application
server) replay requests drawn at random from the scenarios below, with think time between
them, the way ORMs send them: Rails/ActiveRecord (prepared statements, `$1` binds, `LIMIT $2`,
autocommit, a transaction per save), Django (values interpolated client side, `LIMIT 21`,
ATOMIC_REQUESTS, `IN (...)` prefetches), SQLAlchemy (server-side binding, `$1 = col`,
SAVEPOINTs from begin_nested, selectin loads), Hibernate (prepared, int8 binds, `d1_0` aliases,
`= any($1)` batch fetches, a transaction per service call), PL/pgSQL loops, and look-alikes
that are not anti-patterns. Every scenario has tables of its own, so a finding's texts name the
scenario that produced it.

The ground truth is antipatterns_truth.tsv beside this file (per detector, the expected
findings as patterns over the finding's columns); this driver writes OUTDIR/injected.tsv
(label, times the scenario ran) and antipatterns_score.py compares the detectors' output
with both.

Usage: antipatterns_workload.py setup            prints the schema and data (psql script)
       antipatterns_workload.py run OUTDIR [--clients N] [--requests N] [--seed N]
           connects with the PG* environment (libpq) and replays the workload.
Needs psycopg 3 (Debian: python3-psycopg).
"""
import argparse
import os
import random
import sys
import threading
import time

SETUP = r"""
CREATE EXTENSION IF NOT EXISTS pg_trgm;
-- Rails (no foreign keys declared, as in many Rails schemas)
CREATE TABLE rails_users (id bigint PRIMARY KEY, name text, email text, created_at timestamptz);
CREATE TABLE rails_posts (id bigint PRIMARY KEY, board_id bigint, user_id bigint, title text,
                          created_at timestamptz);
INSERT INTO rails_users SELECT i, 'user' || i, 'u' || i || '@x', now() FROM generate_series(1, 800) i;
INSERT INTO rails_posts SELECT row_number() OVER (), b, 1 + (b * 7 + k) % 800, 'post',
       now() - k * interval '1 hour'
  FROM generate_series(1, 80) b, generate_series(1, 5 + b % 21) k;
CREATE INDEX ON rails_posts (board_id, created_at);
-- Rails: cart then each product (slow rendering per row)
CREATE TABLE shop_products (id bigint PRIMARY KEY, name text, price numeric);
CREATE TABLE shop_cart_items (id bigint PRIMARY KEY, cart_id bigint, product_id bigint, qty int);
INSERT INTO shop_products SELECT i, 'p' || i, i % 90 FROM generate_series(1, 2000) i;
INSERT INTO shop_cart_items SELECT row_number() OVER (), c, 1 + (c * 31 + k * 17) % 2000, k
  FROM generate_series(1, 200) c, generate_series(1, 5 + c % 9) k;
CREATE INDEX ON shop_cart_items (cart_id);
-- Rails: each { create } (contacts of a list -> one e-mail row each)
CREATE TABLE crm_contacts (id bigint PRIMARY KEY, list_id bigint, email text);
CREATE TABLE crm_emails (id bigserial PRIMARY KEY, contact_id bigint REFERENCES crm_contacts,
                         subject text, created_at timestamptz);
INSERT INTO crm_contacts SELECT row_number() OVER (), l, 'c@x'
  FROM generate_series(1, 100) l, generate_series(1, 5 + l % 12) k;
CREATE INDEX ON crm_contacts (list_id);
-- Rails, no foreign keys: invoices, a pause, then each customer; messages with a sender and a
-- recipient from one people table
CREATE TABLE rl_customers (id bigint PRIMARY KEY, name text);
CREATE TABLE rl_invoices (id bigint PRIMARY KEY, account_id bigint, customer_id bigint, total numeric);
INSERT INTO rl_customers SELECT i, 'c' || i FROM generate_series(1, 900) i;
INSERT INTO rl_invoices SELECT row_number() OVER (), a, 1 + (a * 17 + k * 5) % 900, k
  FROM generate_series(1, 60) a, generate_series(1, 5 + a % 12) k;
CREATE INDEX ON rl_invoices (account_id);
CREATE TABLE rl_people (id bigint PRIMARY KEY, name text);
CREATE TABLE rl_messages (id bigint PRIMARY KEY, thread_id bigint, sender_id bigint,
                          recipient_id bigint, body text);
INSERT INTO rl_people SELECT i, 'p' || i FROM generate_series(1, 700) i;
INSERT INTO rl_messages SELECT row_number() OVER (), t, 1 + (t * 3 + k) % 700, 1 + (t * 11 + k * 7) % 700, 'm'
  FROM generate_series(1, 50) t, generate_series(1, 5 + t % 8) k;
CREATE INDEX ON rl_messages (thread_id);
-- Rails: each { save! } without an outer transaction (BEGIN; INSERT; COMMIT per row)
CREATE TABLE mkt_subscribers (id bigint PRIMARY KEY, campaign_id bigint, email text);
CREATE TABLE mkt_deliveries (id bigserial PRIMARY KEY, subscriber_id bigint, status text,
                             created_at timestamptz, updated_at timestamptz);
INSERT INTO mkt_subscribers SELECT row_number() OVER (), c, 's@x'
  FROM generate_series(1, 100) c, generate_series(1, 5 + c % 9) k;
CREATE INDEX ON mkt_subscribers (campaign_id);
-- A queue worker: a transaction per item that locks it first (row by row on purpose)
CREATE TABLE wq_items (id integer PRIMARY KEY, queue integer, state text);
INSERT INTO wq_items SELECT i, i % 200, 'ready' FROM generate_series(1, 20000) i;
CREATE INDEX ON wq_items (queue, id);
-- Django (foreign keys declared, as Django does)
CREATE TABLE django_session (session_key varchar(40) PRIMARY KEY, session_data text,
                             expire_date timestamptz);
INSERT INTO django_session SELECT 'k' || i, 'data', now() + interval '1 day' FROM generate_series(1, 200) i;
CREATE TABLE blog_blog (id integer PRIMARY KEY, name varchar(100), tagline text);
CREATE TABLE blog_entry (id integer PRIMARY KEY, headline varchar(255), blog_id integer
                         REFERENCES blog_blog, pub_year integer, body_text text);
INSERT INTO blog_blog SELECT i, 'blog' || i, 't' FROM generate_series(1, 60) i;
INSERT INTO blog_entry SELECT row_number() OVER (), 'h', 1 + (y + k) % 60, y, 'b'
  FROM generate_series(2000, 2030) y, generate_series(1, 6 + y % 15) k;
CREATE INDEX ON blog_entry (blog_id);
CREATE INDEX ON blog_entry (pub_year);
-- Django: a list, a pause (a call to another service), then a lookup per row
CREATE TABLE crm_companies (id integer PRIMARY KEY, name varchar(100), country varchar(2));
CREATE TABLE crm_leads (id integer PRIMARY KEY, owner_id integer, company_id integer
                        REFERENCES crm_companies, score integer);
INSERT INTO crm_companies SELECT i, 'co' || i, 'fr' FROM generate_series(1, 500) i;
INSERT INTO crm_leads SELECT row_number() OVER (), o, 1 + (o * 11 + k * 7) % 500, k
  FROM generate_series(1, 40) o, generate_series(1, 5 + o % 10) k;
CREATE INDEX ON crm_leads (owner_id);
-- Django: prefetch_related (IN list) and a short list of lookups: not N+1
CREATE TABLE poll_question (id integer PRIMARY KEY, text varchar(200), pub_year integer);
CREATE TABLE poll_choice (id integer PRIMARY KEY, question_id integer REFERENCES poll_question,
                          text varchar(200), votes integer);
INSERT INTO poll_question SELECT i, 'q', 2000 + i % 30 FROM generate_series(1, 600) i;
INSERT INTO poll_choice SELECT row_number() OVER (), q, 'c', k
  FROM generate_series(1, 600) q, generate_series(1, 2 + q % 4) k;
CREATE INDEX ON poll_choice (question_id);
CREATE INDEX ON poll_question (pub_year);
-- CMS: documents with an author and an editor from one users table
CREATE TABLE cms_users (id bigint PRIMARY KEY, name text, email text);
CREATE TABLE cms_documents (id bigint PRIMARY KEY, folder_id bigint, author_id bigint
                            REFERENCES cms_users, editor_id bigint REFERENCES cms_users,
                            title text);
INSERT INTO cms_users SELECT i, 'n' || i, 'e' FROM generate_series(1, 600) i;
INSERT INTO cms_documents SELECT row_number() OVER (), f, 1 + (f * 13 + k) % 600,
       1 + (f * 29 + k * 3) % 600, 'doc'
  FROM generate_series(1, 60) f, generate_series(1, 5 + f % 11) k;
CREATE INDEX ON cms_documents (folder_id);
-- SQLAlchemy
CREATE TABLE sa_customers (id integer PRIMARY KEY, name text);
CREATE TABLE sa_orders (id integer PRIMARY KEY, customer_id integer REFERENCES sa_customers,
                        placed date);
CREATE TABLE sa_order_items (id integer PRIMARY KEY, order_id integer REFERENCES sa_orders,
                             qty integer);
INSERT INTO sa_customers SELECT i, 'c' FROM generate_series(1, 100) i;
INSERT INTO sa_orders SELECT row_number() OVER (), c, current_date
  FROM generate_series(1, 100) c, generate_series(1, 5 + c % 11) k;
INSERT INTO sa_order_items SELECT row_number() OVER (), o, k
  FROM generate_series(1, (SELECT count(*) FROM sa_orders)::int) o, generate_series(1, 1 + o % 4) k;
CREATE INDEX ON sa_orders (customer_id);
CREATE INDEX ON sa_order_items (order_id);
-- SQLAlchemy selectinload: one IN query for all children (not N+1)
CREATE TABLE sa_authors (id integer PRIMARY KEY, name text, country integer);
CREATE TABLE sa_books (id integer PRIMARY KEY, author_id integer REFERENCES sa_authors, title text);
INSERT INTO sa_authors SELECT i, 'a', i % 25 FROM generate_series(1, 500) i;
INSERT INTO sa_books SELECT row_number() OVER (), a, 't' FROM generate_series(1, 500) a,
       generate_series(1, 1 + a % 3) k;
CREATE INDEX ON sa_books (author_id);
CREATE INDEX ON sa_authors (country);
-- Hibernate
CREATE TABLE hb_manager (id bigint PRIMARY KEY, name text);
CREATE TABLE hb_department (id bigint PRIMARY KEY, name text, region integer,
                            manager_id bigint REFERENCES hb_manager);
CREATE TABLE hb_employee (id bigint PRIMARY KEY, dept_id bigint REFERENCES hb_department, name text);
INSERT INTO hb_manager SELECT i, 'm' FROM generate_series(1, 3000) i;
INSERT INTO hb_department SELECT row_number() OVER (), 'd', r, r * 100 + k
  FROM generate_series(1, 25) r, generate_series(1, 6 + r % 9) k;
INSERT INTO hb_employee SELECT row_number() OVER (), d, 'e'
  FROM generate_series(1, (SELECT count(*) FROM hb_department)::int) d, generate_series(1, 1 + d % 3) k;
CREATE INDEX ON hb_department (region);
CREATE INDEX ON hb_employee (dept_id);
-- Hibernate batch fetch (@BatchSize: = any($1)), not N+1
CREATE TABLE hb_project (id bigint PRIMARY KEY, owner_id bigint, name text, active boolean);
CREATE TABLE hb_owner (id bigint PRIMARY KEY, name text);
INSERT INTO hb_owner SELECT i, 'o' FROM generate_series(1, 1000) i;
INSERT INTO hb_project SELECT i, 1 + i * 7 % 1000, 'p', i % 3 = 0 FROM generate_series(1, 3000) i;
CREATE INDEX ON hb_project (owner_id);
-- PL/pgSQL loops
CREATE TABLE pl_products (id integer PRIMARY KEY, price numeric);
CREATE TABLE pl_invoice_lines (invoice_id integer, line integer, product_id integer, qty integer);
INSERT INTO pl_products SELECT i, i % 97 FROM generate_series(1, 1000) i;
INSERT INTO pl_invoice_lines SELECT inv, k, 1 + (inv * 13 + k) % 1000, k
  FROM generate_series(1, 300) inv, generate_series(1, 5 + inv % 16) k;
CREATE INDEX ON pl_invoice_lines (invoice_id);
CREATE TABLE pl_customers (id integer PRIMARY KEY, region integer);
CREATE TABLE pl_payments (id integer PRIMARY KEY, customer_id integer, amount numeric);
INSERT INTO pl_customers SELECT row_number() OVER (), r FROM generate_series(1, 30) r,
       generate_series(1, 5 + r % 12) k;
INSERT INTO pl_payments SELECT i, 1 + i % 400, i % 50 FROM generate_series(1, 4000) i;
CREATE INDEX ON pl_customers (region);
CREATE INDEX ON pl_payments (customer_id);
CREATE FUNCTION pl_invoice_total(inv integer) RETURNS numeric LANGUAGE plpgsql AS $$
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
CREATE FUNCTION pl_customer_balances(reg integer) RETURNS TABLE(customer integer, balance numeric)
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
-- PL/pgSQL: one set-based statement (not N+1)
CREATE FUNCTION pl_region_total(reg integer) RETURNS numeric LANGUAGE plpgsql AS $$
DECLARE
  t numeric;
BEGIN
  SELECT coalesce(sum(p.amount), 0) INTO t FROM pl_customers c JOIN pl_payments p
    ON p.customer_id = c.id WHERE c.region = reg;
  RETURN t;
END $$;
-- PL/pgSQL: a nightly job that closes accounts one by one (writes per row)
CREATE TABLE pl_accounts (id integer PRIMARY KEY, due date, closed boolean DEFAULT false);
INSERT INTO pl_accounts SELECT i, current_date - (i % 40), false FROM generate_series(1, 4000) i;
CREATE INDEX ON pl_accounts (due);
CREATE FUNCTION pl_close_due(d integer) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  a record;
  n integer := 0;
BEGIN
  FOR a IN SELECT id FROM pl_accounts WHERE due = current_date - d ORDER BY id LIMIT 12 LOOP
    UPDATE pl_accounts SET closed = true WHERE id = a.id;
    n := n + 1;
  END LOOP;
  RETURN n;
END $$;
-- Look-alikes
CREATE TABLE job_queue (id integer PRIMARY KEY, batch integer, state text);
INSERT INTO job_queue SELECT i, i % 500, 'new' FROM generate_series(1, 20000) i;
CREATE INDEX ON job_queue (batch);
CREATE TABLE ledger (id integer PRIMARY KEY, day integer, amount numeric);
INSERT INTO ledger SELECT i, i % 300, i % 1000 FROM generate_series(1, 6000) i;
CREATE INDEX ON ledger (day);
CREATE TABLE audit_log (id bigserial PRIMARY KEY, ledger_id integer REFERENCES ledger, note text);
CREATE TABLE accounts (id integer PRIMARY KEY, email text, plan integer);
INSERT INTO accounts SELECT i, 'a' || i, i % 5 FROM generate_series(1, 2000) i;
CREATE TABLE catalog_categories (id integer PRIMARY KEY, name text);
CREATE TABLE catalog_products (id integer PRIMARY KEY, category_id integer
                               REFERENCES catalog_categories, name text, price numeric);
INSERT INTO catalog_categories SELECT i, 'c' || i FROM generate_series(1, 8) i;
INSERT INTO catalog_products SELECT i, 1 + i % 8, 'p', i FROM generate_series(1, 400) i;
CREATE INDEX ON catalog_products (category_id);
CREATE TABLE price_cache (sku text PRIMARY KEY, zone integer, price numeric);
INSERT INTO price_cache SELECT 'sku-' || i, i % 20, i FROM generate_series(1, 1000) i;
-- (a Django app: foreign keys declared)
CREATE TABLE notif_user (id integer PRIMARY KEY, username varchar(150));
INSERT INTO notif_user SELECT i, 'u' || i FROM generate_series(0, 99) i;
CREATE TABLE notif_notification (id integer PRIMARY KEY, user_id integer REFERENCES notif_user,
                                 body text, seen boolean);
INSERT INTO notif_notification SELECT i, i % 100, 'n', i % 3 = 0 FROM generate_series(1, 4000) i;
CREATE INDEX ON notif_notification (user_id);
CREATE TABLE fx_rates (code char(3) PRIMARY KEY, rate numeric);
INSERT INTO fx_rates SELECT chr(65 + i / 26 / 26 % 26) || chr(65 + i / 26 % 26) || chr(65 + i % 26), i
  FROM generate_series(0, 699) i;
CREATE TABLE import_rows (id bigserial PRIMARY KEY, source text, payload text);
-- Deep OFFSET
CREATE TABLE admin_audit_events (id bigint PRIMARY KEY, actor text, action text,
                                 created_at timestamptz);
INSERT INTO admin_audit_events SELECT i, 'a' || i % 50, 'x', now() - i * interval '1 minute'
  FROM generate_series(1, 30000) i;
CREATE INDEX ON admin_audit_events (created_at);
CREATE TABLE forum_topics (id integer PRIMARY KEY, forum_id integer, title varchar(200),
                           last_post_at timestamptz);
INSERT INTO forum_topics SELECT i, i % 3, 't', now() - i * interval '1 minute'
  FROM generate_series(1, 20000) i;
CREATE TABLE export_customers (id integer PRIMARY KEY, name text, email text);
INSERT INTO export_customers SELECT i, 'n', 'e' FROM generate_series(1, 15000) i;
CREATE TABLE news_articles (id integer PRIMARY KEY, title text, published_at timestamptz);
INSERT INTO news_articles SELECT i, 't' || i, now() - i * interval '1 hour' FROM generate_series(1, 5000) i;
CREATE INDEX ON news_articles (published_at);
CREATE TABLE feed_items (id bigint PRIMARY KEY, user_id integer, body text);
INSERT INTO feed_items SELECT i, i % 20, 'b' FROM generate_series(1, 20000) i;
CREATE INDEX ON feed_items (user_id, id);
-- Slow text search
CREATE TABLE store_products (id integer PRIMARY KEY, name text, description text, sku text);
INSERT INTO store_products SELECT i, 'product ' || md5(i::text), 'about ' || md5((i * 7)::text),
       'SKU' || lpad(i::text, 6, '0') FROM generate_series(1, 30000) i;
CREATE TABLE kb_articles (id integer PRIMARY KEY, title text, body text);
INSERT INTO kb_articles SELECT i, 'how to ' || md5(i::text), repeat(md5(i::text) || ' ', 20)
  FROM generate_series(1, 8000) i;
CREATE TABLE support_tickets (id integer PRIMARY KEY, subject text, requester_email text);
INSERT INTO support_tickets SELECT i, 'ticket ' || md5(i::text), 'user' || i || '@example.com'
  FROM generate_series(1, 25000) i;
CREATE TABLE dir_people (id integer PRIMARY KEY, last_name text, city text);
INSERT INTO dir_people SELECT i, md5(i::text), 'c' || i % 90 FROM generate_series(1, 30000) i;
CREATE INDEX dir_people_last_name_pattern_idx ON dir_people (last_name text_pattern_ops);
CREATE TABLE wiki_pages (id integer PRIMARY KEY, title text);
INSERT INTO wiki_pages SELECT i, 'page ' || md5(i::text) FROM generate_series(1, 30000) i;
CREATE INDEX wiki_pages_title_trgm_idx ON wiki_pages USING gin (title gin_trgm_ops);
CREATE TABLE doc_pages (id integer PRIMARY KEY, body text);
INSERT INTO doc_pages SELECT i, repeat(md5(i::text) || ' ', 10) || CASE WHEN i % 50 = 0 THEN 'replication' ELSE 'index' END
  FROM generate_series(1, 8000) i;
CREATE INDEX doc_pages_body_fts_idx ON doc_pages USING gin (to_tsvector('english', body));
CREATE TABLE app_settings (key text PRIMARY KEY, value text);
INSERT INTO app_settings SELECT 'setting.' || i, 'v' FROM generate_series(1, 12) i;
-- Multi-step writes
CREATE TABLE shop_orders (id bigserial PRIMARY KEY, customer text, total numeric, status text);
CREATE TABLE shop_order_lines (id bigserial PRIMARY KEY, order_id bigint NOT NULL
                               REFERENCES shop_orders, sku text, qty integer);
CREATE TABLE acct_users (id bigserial PRIMARY KEY, email text);
CREATE TABLE acct_profiles (id bigserial PRIMARY KEY, user_id bigint NOT NULL REFERENCES acct_users,
                            bio text);
CREATE TABLE bill_invoices (id integer PRIMARY KEY, status text, paid numeric);
INSERT INTO bill_invoices SELECT i, 'open', 0 FROM generate_series(1, 5000) i;
CREATE TABLE bill_payments (id bigserial PRIMARY KEY, invoice_id integer NOT NULL
                            REFERENCES bill_invoices, amount numeric);
CREATE TABLE tx_orders (id bigserial PRIMARY KEY, customer text, status text);
CREATE TABLE tx_order_lines (id bigserial PRIMARY KEY, order_id bigint NOT NULL REFERENCES tx_orders,
                             sku text, qty integer);
CREATE TABLE cte_orders (id bigserial PRIMARY KEY, customer text);
CREATE TABLE cte_order_lines (id bigserial PRIMARY KEY, order_id bigint NOT NULL
                              REFERENCES cte_orders, sku text);
CREATE TABLE sp_orders (id bigserial PRIMARY KEY, customer text);
CREATE TABLE sp_order_lines (id bigserial PRIMARY KEY, order_id bigint NOT NULL REFERENCES sp_orders,
                             sku text);
CREATE TABLE stats_page_views (id bigserial PRIMARY KEY, path text, at timestamptz);
CREATE TABLE stats_counters (name text PRIMARY KEY, value bigint);
INSERT INTO stats_counters SELECT 'c' || i, 0 FROM generate_series(1, 50) i;
-- Unbounded results
CREATE TABLE rep_events (id integer PRIMARY KEY, kind integer, payload text);
INSERT INTO rep_events SELECT i, i % 10, 'p' FROM generate_series(1, 40000) i;
CREATE TABLE rep_sales (id integer PRIMARY KEY, region integer, amount numeric);
INSERT INTO rep_sales SELECT i, i % 12, i % 500 FROM generate_series(1, 40000) i;
CREATE TABLE rep_logs (id integer PRIMARY KEY, level integer, line text);
INSERT INTO rep_logs SELECT i, i % 5, 'l' FROM generate_series(1, 40000) i;
CREATE TABLE rep_metrics (id integer PRIMARY KEY, host integer, value numeric);
INSERT INTO rep_metrics SELECT i, i % 40, i FROM generate_series(1, 40000) i;
CREATE INDEX ON rep_metrics (host, id);
CREATE TABLE rep_archive (id integer PRIMARY KEY, body text);
INSERT INTO rep_archive SELECT i, 'b' FROM generate_series(1, 40000) i;
CREATE FUNCTION rep_archive_bytes() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  r record;
  n bigint := 0;
BEGIN
  FOR r IN SELECT body FROM rep_archive LOOP
    n := n + length(r.body);
  END LOOP;
  RETURN n;
END $$;
ANALYZE;
"""


class Client:
    """One application worker: a connection and the way its ORM talks."""

    def __init__(self, psycopg, rng, injected, lock):
        self.psycopg = psycopg
        self.conn = psycopg.connect(autocommit=True)
        self.literal = psycopg.ClientCursor(self.conn)  # values interpolated client side
        self.rng = rng
        self.injected = injected
        self.lock = lock

    def close(self):
        self.conn.close()

    def label(self, name, count=1):
        with self.lock:
            self.injected[name] = self.injected.get(name, 0) + count

    # Statements. `prepared`: extended protocol, named prepared statement (Rails, JDBC);
    # `bound`: extended protocol, unnamed statement (psycopg 3 / SQLAlchemy); `literal`:
    # values in the text (Django and psycopg2-era SQLAlchemy); `plain`: no parameters.
    def prepared(self, sql, params=()):
        cur = self.conn.execute(sql, params, prepare=True)
        return cur.fetchall() if cur.description else []

    def bound(self, sql, params=()):
        cur = self.conn.execute(sql, params, prepare=False)
        return cur.fetchall() if cur.description else []

    def literal_sql(self, sql, params=()):
        self.literal.execute(sql, params)
        return self.literal.fetchall() if self.literal.description else []

    def plain(self, sql):
        cur = self.conn.execute(sql)
        return cur.fetchall() if cur.description else []

    def int8(self, value):
        return self.psycopg.types.numeric.Int8(value)

    def pause(self, low_ms, high_ms):
        time.sleep(self.rng.uniform(low_ms, high_ms) / 1000.0)

    def render(self):
        # Per-row application work (building an object, rendering a partial): 0-3 ms.
        self.pause(0, 3)

    # ---- N+1 loops (reads) -------------------------------------------------------------
    def rails_posts_authors(self):
        """Rails: posts of a board, then `post.user` for each (belongs_to, no includes)."""
        self.prepared('SELECT "rails_users".* FROM "rails_users" WHERE "rails_users"."id" = %s '
                      'LIMIT %s', (self.int8(self.rng.randint(1, 800)), self.int8(1)))
        posts = self.prepared(
            'SELECT "rails_posts".* FROM "rails_posts" WHERE "rails_posts"."board_id" = %s '
            'ORDER BY "rails_posts"."created_at" DESC LIMIT %s',
            (self.int8(self.rng.randint(1, 80)), self.int8(30)))
        for post in posts:
            self.prepared('SELECT "rails_users".* FROM "rails_users" WHERE "rails_users"."id" = '
                          '%s LIMIT %s', (self.int8(post[2]), self.int8(1)))
            self.render()
        self.label('rails_posts_authors')

    def rails_cart_products_slow(self):
        """Rails: cart items, then each product, with slow rendering (20-120 ms) per row."""
        items = self.prepared(
            'SELECT "shop_cart_items".* FROM "shop_cart_items" WHERE '
            '"shop_cart_items"."cart_id" = %s', (self.int8(self.rng.randint(1, 200)),))
        for item in items:
            self.pause(20, 120)
            self.prepared('SELECT "shop_products".* FROM "shop_products" WHERE '
                          '"shop_products"."id" = %s LIMIT %s', (self.int8(item[2]), self.int8(1)))
        self.label('rails_cart_products_slow')

    def django_entries_blogs(self):
        """Django, ATOMIC_REQUESTS: session, entries of a year, `entry.blog` for each."""
        y = self.rng.randint(2000, 2030)
        self.plain('BEGIN')
        self.literal_sql('SELECT "django_session"."session_key", "django_session"."session_data", '
                         '"django_session"."expire_date" FROM "django_session" WHERE '
                         '("django_session"."expire_date" > %s AND "django_session"."session_key" '
                         '= %s) LIMIT 21', ('2020-01-01', 'k%d' % self.rng.randint(1, 200)))
        entries = self.literal_sql(
            'SELECT "blog_entry"."id", "blog_entry"."headline", "blog_entry"."blog_id" FROM '
            '"blog_entry" WHERE "blog_entry"."pub_year" = %s ORDER BY "blog_entry"."id" ASC', (y,))
        for entry in entries:
            self.literal_sql('SELECT "blog_blog"."id", "blog_blog"."name", "blog_blog"."tagline" '
                             'FROM "blog_blog" WHERE "blog_blog"."id" = %s LIMIT 21', (entry[2],))
            self.render()
        self.plain('COMMIT')
        self.label('django_entries_blogs')

    def django_leads_companies_late(self):
        """Django, autocommit: a list, a call to another service (150-600 ms), then a lookup
        per row."""
        leads = self.literal_sql(
            'SELECT "crm_leads"."id", "crm_leads"."owner_id", "crm_leads"."company_id", '
            '"crm_leads"."score" FROM "crm_leads" WHERE "crm_leads"."owner_id" = %s',
            (self.rng.randint(1, 40),))
        self.pause(150, 600)
        for lead in leads:
            self.literal_sql('SELECT "crm_companies"."id", "crm_companies"."name", '
                             '"crm_companies"."country" FROM "crm_companies" WHERE '
                             '"crm_companies"."id" = %s LIMIT 21', (lead[2],))
            self.render()
        self.label('django_leads_companies_late')

    def rails_invoices_customers_late(self):
        """Rails, no foreign keys: invoices, 150-600 ms of other work, then each customer."""
        invoices = self.prepared(
            'SELECT "rl_invoices".* FROM "rl_invoices" WHERE "rl_invoices"."account_id" = %s',
            (self.int8(self.rng.randint(1, 60)),))
        self.pause(150, 600)
        for invoice in invoices:
            self.prepared('SELECT "rl_customers".* FROM "rl_customers" WHERE "rl_customers"."id" '
                          '= %s LIMIT %s', (self.int8(invoice[2]), self.int8(1)))
            self.render()
        self.label('rails_invoices_customers_late')

    def rails_messages_sender_recipient(self):
        """Rails, no foreign keys: a thread's messages, then each one's sender and recipient
        (`belongs_to :sender, class_name: "Person"`): two lookups of one shape per row."""
        messages = self.prepared(
            'SELECT "rl_messages".* FROM "rl_messages" WHERE "rl_messages"."thread_id" = %s '
            'ORDER BY "rl_messages"."id" ASC', (self.int8(self.rng.randint(1, 50)),))
        for message in messages:
            for person in (message[2], message[3]):
                self.prepared('SELECT "rl_people".* FROM "rl_people" WHERE "rl_people"."id" = %s '
                              'LIMIT %s', (self.int8(person), self.int8(1)))
            self.render()
        self.label('rails_messages_sender_recipient')

    def cms_documents_author_editor(self):
        """Rails-style: documents of a folder, then per document its author and its editor
        (two lookups of one shape per row)."""
        docs = self.prepared(
            'SELECT "cms_documents".* FROM "cms_documents" WHERE "cms_documents"."folder_id" = %s',
            (self.int8(self.rng.randint(1, 60)),))
        for doc in docs:
            for user in (doc[2], doc[3]):
                self.prepared('SELECT "cms_users".* FROM "cms_users" WHERE "cms_users"."id" = %s '
                              'LIMIT %s', (self.int8(user), self.int8(1)))
            self.render()
        self.label('cms_documents_author_editor')

    def sqlalchemy_orders_items(self):
        """SQLAlchemy lazy loads in the session's transaction, sometimes under a SAVEPOINT."""
        c = self.rng.randint(1, 100)
        self.plain('BEGIN')
        self.bound('SELECT sa_customers.id AS sa_customers_id, sa_customers.name AS '
                   'sa_customers_name FROM sa_customers WHERE sa_customers.id = %s', (c,))
        nested = self.rng.random() < 0.4
        if nested:
            self.plain('SAVEPOINT sa_savepoint_1')
        orders = self.bound(
            'SELECT sa_orders.id AS sa_orders_id, sa_orders.customer_id AS '
            'sa_orders_customer_id, sa_orders.placed AS sa_orders_placed FROM sa_orders WHERE '
            '%s = sa_orders.customer_id', (c,))
        for order in orders:
            self.bound('SELECT sa_order_items.id AS sa_order_items_id, sa_order_items.order_id '
                       'AS sa_order_items_order_id, sa_order_items.qty AS sa_order_items_qty '
                       'FROM sa_order_items WHERE %s = sa_order_items.order_id', (order[0],))
            self.render()
        if nested:
            self.plain('RELEASE SAVEPOINT sa_savepoint_1')
        self.plain('COMMIT')
        self.label('sqlalchemy_orders_items')

    def hibernate_departments(self):
        """Hibernate (@Transactional service): departments of a region, then per department
        its employees (a lazy collection) and its manager (a lazy to-one), interleaved."""
        r = self.rng.randint(1, 25)
        self.plain('BEGIN')
        depts = self.prepared('select d1_0.id,d1_0.manager_id,d1_0.name,d1_0.region from '
                              'hb_department d1_0 where d1_0.region=%s', (r,))
        for dept in depts:
            self.prepared('select e1_0.dept_id,e1_0.id,e1_0.name from hb_employee e1_0 where '
                          'e1_0.dept_id=%s', (self.int8(dept[0]),))
            self.prepared('select m1_0.id,m1_0.name from hb_manager m1_0 where m1_0.id=%s',
                          (self.int8(dept[1]),))
        self.plain('COMMIT')
        self.label('hibernate_departments_employees')
        self.label('hibernate_departments_managers')

    def plpgsql_loops(self):
        if self.rng.random() < 0.5:
            self.bound('SELECT pl_invoice_total(%s)', (self.rng.randint(1, 300),))
            self.label('plpgsql_invoice_products')
        else:
            self.bound('SELECT * FROM pl_customer_balances(%s)', (self.rng.randint(1, 30),))
            self.label('plpgsql_customer_payments')

    # ---- N+1 loops (writes) ------------------------------------------------------------
    def rails_each_create(self):
        """Rails: `list.contacts.each { |c| Email.create!(...) }` inside one transaction."""
        self.plain('BEGIN')
        contacts = self.prepared(
            'SELECT "crm_contacts".* FROM "crm_contacts" WHERE "crm_contacts"."list_id" = %s',
            (self.int8(self.rng.randint(1, 100)),))
        for contact in contacts:
            self.prepared('INSERT INTO "crm_emails" ("contact_id", "subject", "created_at") '
                          'VALUES (%s, %s, %s) RETURNING "id"',
                          (self.int8(contact[0]), 'hello', '2026-12-01 12:00:00'))
        self.plain('COMMIT')
        self.label('rails_each_create')

    def rails_each_save(self):
        """Rails without an outer transaction: each `Delivery.create!` is BEGIN; INSERT; COMMIT."""
        subscribers = self.prepared(
            'SELECT "mkt_subscribers".* FROM "mkt_subscribers" WHERE '
            '"mkt_subscribers"."campaign_id" = %s', (self.int8(self.rng.randint(1, 100)),))
        for subscriber in subscribers:
            self.plain('BEGIN')
            self.prepared('INSERT INTO "mkt_deliveries" ("subscriber_id", "status", "created_at", '
                          '"updated_at") VALUES (%s, %s, %s, %s) RETURNING "id"',
                          (self.int8(subscriber[0]), 'queued', '2026-12-01 12:00:00',
                           '2026-12-01 12:00:00'))
            self.plain('COMMIT')
        self.label('rails_each_save')

    def queue_worker_locked_rows(self):
        """A worker lists ready items, then per item BEGIN; SELECT ... FOR UPDATE SKIP LOCKED;
        UPDATE; COMMIT: row by row on purpose (short locks)."""
        items = self.bound("SELECT id FROM wq_items WHERE queue = %s AND state = 'ready' "
                           'ORDER BY id LIMIT 10', (self.rng.randint(0, 199),))
        for item in items:
            self.plain('BEGIN')
            if self.bound('SELECT id, state FROM wq_items WHERE id = %s FOR UPDATE SKIP LOCKED',
                          (item[0],)):
                self.bound("UPDATE wq_items SET state = 'done' WHERE id = %s", (item[0],))
            self.plain('COMMIT')
        self.label('queue_worker_locked_rows')

    def batch_job_updates(self):
        """A worker lists a batch of jobs, then marks each one done (an UPDATE per row)."""
        b = self.rng.randint(1, 499)
        self.plain('BEGIN')
        jobs = self.bound("SELECT id FROM job_queue WHERE state = 'new' AND batch = %s "
                          'ORDER BY id LIMIT 25', (b,))
        for job in jobs:
            self.bound("UPDATE job_queue SET state = 'done' WHERE id = %s", (job[0],))
        self.plain('COMMIT')
        self.label('batch_job_updates')

    def plpgsql_close_accounts(self):
        self.bound('SELECT pl_close_due(%s)', (self.rng.randint(0, 39),))
        self.label('plpgsql_close_accounts')

    # ---- N+1 look-alikes ---------------------------------------------------------------
    def single_lookups(self):
        self.literal_sql('SELECT "accounts"."id", "accounts"."email" FROM "accounts" WHERE '
                         '"accounts"."plan" = %s ORDER BY "accounts"."id" ASC LIMIT 15',
                         (self.rng.randint(0, 4),))
        self.literal_sql('SELECT "accounts"."id", "accounts"."email", "accounts"."plan" FROM '
                         '"accounts" WHERE "accounts"."id" = %s LIMIT 21',
                         (self.rng.randint(1, 2000),))
        self.label('single_lookups')

    def django_prefetch(self):
        """Django prefetch_related: questions, then all their choices in one IN query."""
        qs = self.literal_sql('SELECT "poll_question"."id", "poll_question"."text" FROM '
                              '"poll_question" WHERE "poll_question"."pub_year" = %s',
                              (self.rng.randint(2000, 2029),))
        ids = tuple(q[0] for q in qs)
        if ids:
            self.literal_sql('SELECT "poll_choice"."id", "poll_choice"."question_id", '
                             '"poll_choice"."text", "poll_choice"."votes" FROM "poll_choice" '
                             'WHERE "poll_choice"."question_id" IN (%s)' %
                             ', '.join('%s' for _ in ids), ids)
        self.label('django_prefetch')

    def sqlalchemy_selectin(self):
        """SQLAlchemy selectinload: authors, then their books with one IN ($1, ..., $n)."""
        authors = self.bound('SELECT sa_authors.id, sa_authors.name FROM sa_authors WHERE '
                             'sa_authors.country = %s', (self.rng.randint(0, 24),))
        ids = [a[0] for a in authors]
        if ids:
            self.bound('SELECT sa_books.author_id AS sa_books_author_id, sa_books.id AS '
                       'sa_books_id, sa_books.title AS sa_books_title FROM sa_books WHERE '
                       'sa_books.author_id IN (%s)' % ', '.join('%s' for _ in ids), ids)
        self.label('sqlalchemy_selectin')

    def hibernate_batch_fetch(self):
        """Hibernate @BatchSize: projects, then their owners with `= any($1)` in batches of 16."""
        self.plain('BEGIN')
        projects = self.prepared('select p1_0.id,p1_0.name,p1_0.owner_id from hb_project p1_0 '
                                 'where p1_0.active and p1_0.id between %s and %s',
                                 (self.int8(self.rng.randint(1, 2900)), self.int8(3000)))[:40]
        owners = sorted({p[2] for p in projects})
        for i in range(0, len(owners), 16):
            self.prepared('select o1_0.id,o1_0.name from hb_owner o1_0 where o1_0.id = any (%s)',
                          ([self.int8(o) for o in owners[i:i + 16]],))
        self.plain('COMMIT')
        self.label('hibernate_batch_fetch')

    def children_with_many_rows(self):
        self.plain('SELECT id, name FROM catalog_categories ORDER BY id')
        for c in range(1, 9):
            self.bound('SELECT id, name, price FROM catalog_products WHERE category_id = %s', (c,))
        self.label('children_with_many_rows')

    def cache_warmup_batch(self):
        """A cache warm-up job: 30 lookups with no list before them."""
        for _ in range(30):
            self.bound('SELECT price FROM price_cache WHERE sku = %s',
                       ('sku-%d' % self.rng.randint(1, 1000),))
        self.label('cache_warmup_batch')

    def unrelated_batch_after_list(self):
        """A request lists the user's notifications, then (no relation to them) refreshes the
        exchange rates it shows, one currency at a time."""
        n = self.rng.randint(8, 20)
        self.literal_sql('SELECT "notif_notification"."id", "notif_notification"."body" FROM '
                         '"notif_notification" WHERE "notif_notification"."user_id" = %s ORDER '
                         'BY "notif_notification"."id" DESC LIMIT %s',
                         (self.rng.randint(0, 99), n))
        self.pause(0, 30)
        for _ in range(n):
            code = ''.join(self.rng.choice('ABCDEFGHIJKLMNOPQRSTUVWXYZ') for _ in range(3))
            self.bound('SELECT rate FROM fx_rates WHERE code = %s', (code,))
        self.label('unrelated_batch_after_list')

    def report_with_few_drilldowns(self):
        self.plain('SELECT day, sum(amount) FROM ledger GROUP BY day ORDER BY day')
        for _ in range(3):
            self.bound('SELECT id, amount FROM ledger WHERE id = %s', (self.rng.randint(1, 6000),))
        self.label('report_with_few_drilldowns')

    def bulk_import(self):
        """A loader inserting rows one by one, with no list before them."""
        self.plain('BEGIN')
        for _ in range(self.rng.randint(20, 60)):
            self.bound('INSERT INTO import_rows (source, payload) VALUES (%s, %s)',
                       ('feed', 'x' * self.rng.randint(10, 80)))
        self.plain('COMMIT')
        self.label('bulk_import')

    def plpgsql_set_based(self):
        self.bound('SELECT pl_region_total(%s)', (self.rng.randint(1, 30),))
        self.label('plpgsql_set_based')

    # ---- deep OFFSET -------------------------------------------------------------------
    def admin_deep_pages(self):
        """Rails + kaminari: an admin jumps to page 40-600 of the audit log (25 per page)."""
        page = self.rng.randint(40, 600)
        self.prepared('SELECT "admin_audit_events".* FROM "admin_audit_events" ORDER BY '
                      '"admin_audit_events"."created_at" DESC LIMIT %s OFFSET %s',
                      (self.int8(25), self.int8(25 * (page - 1))))
        self.label('admin_deep_pages')

    def forum_deep_pages(self):
        """Django Paginator: a topic list page deep in the forum (literal LIMIT/OFFSET)."""
        page = self.rng.randint(30, 300)
        self.literal_sql('SELECT "forum_topics"."id", "forum_topics"."title" FROM "forum_topics" '
                         'WHERE "forum_topics"."forum_id" = %s ORDER BY '
                         '"forum_topics"."last_post_at" DESC LIMIT 20 OFFSET ' +
                         str(20 * (page - 1)), (self.rng.randint(0, 2),))
        self.label('forum_deep_pages')

    def export_by_offset(self):
        """An API client walks the whole customer list by OFFSET, 500 per page."""
        start = self.rng.randint(0, 10) * 1000
        for offset in range(start, start + 4000, 500):
            self.bound('SELECT export_customers.id, export_customers.name, export_customers.email '
                       'FROM export_customers ORDER BY export_customers.id LIMIT %s OFFSET %s',
                       (500, offset))
        self.label('export_by_offset')

    def small_offset_pages(self):
        """The first few pages of a news list (OFFSET 0-80): not deep."""
        for page in range(self.rng.randint(1, 5)):
            self.literal_sql('SELECT "news_articles"."id", "news_articles"."title" FROM '
                             '"news_articles" ORDER BY "news_articles"."published_at" DESC '
                             'LIMIT 20 OFFSET %d' % (20 * page))
        self.label('small_offset_pages')

    def keyset_pages(self):
        """Keyset pagination over a feed (WHERE id < $1 ... LIMIT): not OFFSET."""
        last = 20001
        for _ in range(self.rng.randint(2, 6)):
            rows = self.bound('SELECT id, body FROM feed_items WHERE user_id = %s AND id < %s '
                              'ORDER BY id DESC LIMIT 50', (self.rng.randint(0, 19), last))
            if not rows:
                break
            last = rows[-1][0]
        self.label('keyset_pages')

    # ---- slow text search --------------------------------------------------------------
    def product_search_ilike(self):
        """Rails `where("name ILIKE ?", "%#{q}%")` on a table without a trigram index."""
        q = '%' + ''.join(self.rng.choice('0123456789abcdef') for _ in range(4)) + '%'
        self.prepared('SELECT "store_products".* FROM "store_products" WHERE '
                      '(name ILIKE %s) LIMIT %s', (q, self.int8(20)))
        self.label('product_search_ilike')

    def kb_fulltext_no_index(self):
        """Django SearchVector without a matching expression index."""
        word = self.rng.choice(['abc', 'dead', 'beef', 'cafe', 'f00d'])
        self.literal_sql('SELECT "kb_articles"."id", "kb_articles"."title" FROM "kb_articles" '
                         'WHERE to_tsvector(\'english\'::regconfig, COALESCE("kb_articles"."body", '
                         '\'\')) @@ (plainto_tsquery(\'english\'::regconfig, %s)) = true LIMIT 21',
                         (word,))
        self.label('kb_fulltext_no_index')

    def ticket_email_contains(self):
        """SQLAlchemy `.contains()` / regex: LIKE '%' || $1 || '%' and ~* on e-mails."""
        if self.rng.random() < 0.5:
            self.bound("SELECT support_tickets.id, support_tickets.subject FROM support_tickets "
                       "WHERE support_tickets.requester_email LIKE '%%' || %s || '%%'",
                       ('user%d@' % self.rng.randint(1, 25000),))
        else:
            self.bound('SELECT support_tickets.id FROM support_tickets WHERE '
                       'support_tickets.subject ~* %s', ('ticket [0-9a-f]%x' % self.rng.randint(0, 15),))
        self.label('ticket_email_contains')

    def prefix_search_indexed(self):
        """Autocomplete by prefix, served by a text_pattern_ops index: not slow."""
        self.bound('SELECT id, last_name FROM dir_people WHERE last_name LIKE %s LIMIT 10',
                   (''.join(self.rng.choice('0123456789abcdef') for _ in range(3)) + '%',))
        self.label('prefix_search_indexed')

    def trigram_search_indexed(self):
        """Infix search served by a pg_trgm GIN index: not slow."""
        self.bound('SELECT id, title FROM wiki_pages WHERE title ILIKE %s LIMIT 20',
                   ('%' + ''.join(self.rng.choice('0123456789abcdef') for _ in range(5)) + '%',))
        self.label('trigram_search_indexed')

    def fulltext_indexed(self):
        """Full-text search matching its expression GIN index: not slow."""
        self.bound("SELECT id FROM doc_pages WHERE to_tsvector('english', body) @@ "
                   "plainto_tsquery('english', %s) LIMIT 20", ('replication',))
        self.label('fulltext_indexed')

    def tiny_table_like(self):
        """LIKE '%x%' on a 12-row settings table: scanning it is the right plan."""
        self.bound('SELECT key, value FROM app_settings WHERE key LIKE %s',
                   ('%' + str(self.rng.randint(1, 12)) + '%',))
        self.label('tiny_table_like')

    # ---- multi-step writes -------------------------------------------------------------
    def checkout_autocommit(self):
        """Django without ATOMIC_REQUESTS: an order, then its lines, each write its own
        implicit transaction."""
        order = self.literal_sql('INSERT INTO "shop_orders" ("customer", "total", "status") '
                                 'VALUES (%s, %s, %s) RETURNING "shop_orders"."id"',
                                 ('c%d' % self.rng.randint(1, 999), 10, 'new'))[0][0]
        for k in range(self.rng.randint(1, 4)):
            self.literal_sql('INSERT INTO "shop_order_lines" ("order_id", "sku", "qty") VALUES '
                             '(%s, %s, %s) RETURNING "shop_order_lines"."id"', (order, 's%d' % k, 1))
        self.label('checkout_autocommit')

    def signup_autocommit(self):
        """SQLAlchemy with autocommit: a user row, then its profile row."""
        uid = self.bound('INSERT INTO acct_users (email) VALUES (%s) RETURNING acct_users.id',
                         ('u%d@x' % self.rng.randint(1, 10 ** 6),))[0][0]
        self.render()
        self.bound('INSERT INTO acct_profiles (user_id, bio) VALUES (%s, %s)', (uid, 'hi'))
        self.label('signup_autocommit')

    def payment_autocommit(self):
        """A payment row, then the invoice marked paid, as two autocommit statements."""
        inv = self.rng.randint(1, 5000)
        self.prepared('INSERT INTO "bill_payments" ("invoice_id", "amount") VALUES (%s, %s) '
                      'RETURNING "id"', (inv, 25))
        self.prepared('UPDATE "bill_invoices" SET "status" = %s, "paid" = "paid" + %s WHERE '
                      '"bill_invoices"."id" = %s', ('paid', 25, inv))
        self.label('payment_autocommit')

    def checkout_in_transaction(self):
        """The same order and lines inside BEGIN ... COMMIT: safe."""
        self.plain('BEGIN')
        order = self.bound('INSERT INTO tx_orders (customer, status) VALUES (%s, %s) RETURNING id',
                           ('c', 'new'))[0][0]
        for k in range(self.rng.randint(1, 4)):
            self.bound('INSERT INTO tx_order_lines (order_id, sku, qty) VALUES (%s, %s, %s)',
                       (order, 's%d' % k, 1))
        self.plain('COMMIT')
        self.label('checkout_in_transaction')

    def checkout_one_statement(self):
        """Order and lines in one statement (a data-modifying CTE): safe."""
        self.bound('WITH o AS (INSERT INTO cte_orders (customer) VALUES (%s) RETURNING id) '
                   'INSERT INTO cte_order_lines (order_id, sku) SELECT o.id, s FROM o, '
                   'unnest(%s::text[]) s', ('c', ['a', 'b', 'c']))
        self.label('checkout_one_statement')

    def checkout_savepoints(self):
        """Django atomic() blocks nested in ATOMIC_REQUESTS: SAVEPOINTs in one transaction."""
        self.plain('BEGIN')
        self.plain('SAVEPOINT "s1_x1"')
        order = self.literal_sql('INSERT INTO "sp_orders" ("customer") VALUES (%s) RETURNING '
                                 '"sp_orders"."id"', ('c',))[0][0]
        self.plain('RELEASE SAVEPOINT "s1_x1"')
        self.plain('SAVEPOINT "s1_x2"')
        self.literal_sql('INSERT INTO "sp_order_lines" ("order_id", "sku") VALUES (%s, %s)',
                         (order, 'a'))
        self.plain('RELEASE SAVEPOINT "s1_x2"')
        self.plain('COMMIT')
        self.label('checkout_savepoints')

    def unrelated_autocommit_writes(self):
        """A page view logged and a counter bumped: two writes, tables not related."""
        self.bound('INSERT INTO stats_page_views (path, at) VALUES (%s, now())', ('/p',))
        self.bound('UPDATE stats_counters SET value = value + 1 WHERE name = %s',
                   ('c%d' % self.rng.randint(1, 50),))
        self.label('unrelated_autocommit_writes')

    # ---- unbounded results -------------------------------------------------------------
    def export_all_events(self):
        """Django `Event.objects.all()` iterated whole: 40,000 rows, no LIMIT."""
        self.literal_sql('SELECT "rep_events"."id", "rep_events"."kind", "rep_events"."payload" '
                         'FROM "rep_events"')
        self.label('export_all_events')

    def sales_by_region_rows(self):
        """Every sale of a few regions shipped to the client to be summed there."""
        self.bound('SELECT rep_sales.id, rep_sales.amount FROM rep_sales WHERE rep_sales.region '
                   '= ANY(%s)', ([0, 1, 2, 3, 4, 5, 6, 7],))
        self.label('sales_by_region_rows')

    def bounded_results(self):
        """Bounded reads of the same big tables: LIMIT, an aggregate, a lookup."""
        choice = self.rng.randint(0, 2)
        if choice == 0:
            self.bound('SELECT id, level, line FROM rep_logs WHERE level = %s ORDER BY id DESC '
                       'LIMIT 100', (self.rng.randint(0, 4),))
        elif choice == 1:
            self.bound('SELECT region, sum(amount) FROM rep_sales GROUP BY region')
        else:
            self.bound('SELECT id, value FROM rep_metrics WHERE host = %s ORDER BY id DESC '
                       'LIMIT 50', (self.rng.randint(0, 39),))
        self.label('bounded_results')

    def cursor_batches(self):
        """A server-side cursor read 2,000 rows at a time (psycopg named cursor)."""
        with self.conn.transaction():
            with self.conn.cursor(name='logs_cursor') as cur:
                cur.itersize = 2000
                cur.execute('SELECT id, line FROM rep_logs WHERE level < %s', (3,))
                while cur.fetchmany(2000):
                    pass
        self.label('cursor_batches')

    def plpgsql_scan(self):
        """PL/pgSQL reading a whole table to compute one number (nested, one row returned)."""
        self.plain('SELECT rep_archive_bytes()')
        self.label('plpgsql_scan')


# Requests and how often each is drawn (a web application's mix: mostly pages with reads).
MIX = [
    ('rails_posts_authors', 6), ('rails_cart_products_slow', 2), ('django_entries_blogs', 5),
    ('django_leads_companies_late', 3), ('cms_documents_author_editor', 3),
    ('rails_invoices_customers_late', 2), ('rails_messages_sender_recipient', 2),
    ('sqlalchemy_orders_items', 4), ('hibernate_departments', 4), ('plpgsql_loops', 4),
    ('rails_each_create', 2), ('rails_each_save', 2), ('batch_job_updates', 2),
    ('plpgsql_close_accounts', 2), ('queue_worker_locked_rows', 2),
    ('single_lookups', 5), ('django_prefetch', 4), ('sqlalchemy_selectin', 4),
    ('hibernate_batch_fetch', 3), ('children_with_many_rows', 2), ('cache_warmup_batch', 2),
    ('unrelated_batch_after_list', 3), ('report_with_few_drilldowns', 2), ('bulk_import', 2),
    ('plpgsql_set_based', 2),
    ('admin_deep_pages', 3), ('forum_deep_pages', 3), ('export_by_offset', 1),
    ('small_offset_pages', 4), ('keyset_pages', 3),
    ('product_search_ilike', 3), ('kb_fulltext_no_index', 2), ('ticket_email_contains', 2),
    ('prefix_search_indexed', 3), ('trigram_search_indexed', 3), ('fulltext_indexed', 2),
    ('tiny_table_like', 2),
    ('checkout_autocommit', 3), ('signup_autocommit', 2), ('payment_autocommit', 2),
    ('checkout_in_transaction', 3), ('checkout_one_statement', 2), ('checkout_savepoints', 2),
    ('unrelated_autocommit_writes', 3),
    ('export_all_events', 1), ('sales_by_region_rows', 1), ('bounded_results', 4),
    ('cursor_batches', 1), ('plpgsql_scan', 1),
]


def run(args):
    try:
        import psycopg
        import psycopg.types.numeric
    except ImportError:
        sys.exit('antipatterns_workload.py needs psycopg 3: apt-get install python3-psycopg')
    rng = random.Random(args.seed)
    names = [name for name, _ in MIX]
    weights = [weight for _, weight in MIX]
    injected = {}
    lock = threading.Lock()
    errors = []

    def worker(seed):
        try:
            client = Client(psycopg, random.Random(seed), injected, lock)
            for _ in range(args.requests):
                getattr(client, client.rng.choices(names, weights)[0])()
                # Think time: the next request on this pooled connection (0-400 ms, many
                # under the 1 s window, so requests share windows).
                client.pause(0, 400)
            client.close()
        except Exception as error:  # report, let the others finish
            errors.append('%s: %s' % (type(error).__name__, error))

    threads = [threading.Thread(target=worker, args=(rng.random(),)) for _ in range(args.clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with open(os.path.join(args.outdir, 'injected.tsv'), 'w') as f:
        for label in sorted(injected):
            f.write('%s\t%d\n' % (label, injected[label]))
    if errors:
        sys.exit('workload errors:\n' + '\n'.join(errors))


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest='command', required=True)
    sub.add_parser('setup')
    runner = sub.add_parser('run')
    runner.add_argument('outdir')
    runner.add_argument('--clients', type=int, default=6)
    runner.add_argument('--requests', type=int, default=80)
    runner.add_argument('--seed', type=int, default=1)
    args = parser.parse_args()
    if args.command == 'setup':
        sys.stdout.write(SETUP)
    else:
        run(args)


if __name__ == '__main__':
    main()
