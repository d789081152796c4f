-- Data set of test/bench/advisor_quality.sh: a decision-support star schema generated here
-- (nothing taken from any benchmark kit). :scale 1 is 842 MB with primary keys (1.2: about
-- 1 GB; row counts are round(N * :scale)): 1.5 M
-- orders, ~6 M order lines. Skew: a few customers and parts take most orders and lines
-- (power laws), order dates grow towards the present, statuses, channels, priorities, ship
-- modes and flags are duplicate-heavy. Deterministic: one seeded session, no parallel insert.
SELECT setseed(0.2026);
SET max_parallel_workers_per_gather = 0;
CREATE SCHEMA ds;

CREATE TABLE ds.region (r_id integer PRIMARY KEY, r_name text NOT NULL);
INSERT INTO ds.region VALUES (1, 'north'), (2, 'south'), (3, 'east'), (4, 'west'), (5, 'central');

CREATE TABLE ds.nation (n_id integer PRIMARY KEY, n_name text NOT NULL,
                        n_region_id integer NOT NULL REFERENCES ds.region);
INSERT INTO ds.nation
SELECT i, 'nation_' || lpad(i::text, 2, '0'), 1 + (i * 7) % 5 FROM generate_series(1, 25) AS i;

-- Calendar dimension: one row per day.
CREATE TABLE ds.day (d_date date PRIMARY KEY, d_year integer NOT NULL, d_quarter integer NOT NULL,
                     d_month integer NOT NULL, d_dow integer NOT NULL, d_holiday boolean NOT NULL);
INSERT INTO ds.day
SELECT d, extract(year FROM d), extract(quarter FROM d), extract(month FROM d),
       extract(isodow FROM d), (extract(isodow FROM d) = 7 OR random() < 0.03)
  FROM generate_series(date '2019-01-01', date '2026-12-31', interval '1 day') AS g(d);

CREATE TABLE ds.customer (
  c_id integer PRIMARY KEY,
  c_name text NOT NULL,
  c_email text NOT NULL,
  c_nation_id integer NOT NULL REFERENCES ds.nation,
  c_segment text NOT NULL,
  c_balance numeric(12,2) NOT NULL,
  c_since date NOT NULL,
  c_phone text
);
INSERT INTO ds.customer
SELECT i, 'Customer ' || i,
       (ARRAY['ann','bob','chen','dana','eli','fay','gus','hana','ivan','jo'])[1 + (i * 37) % 10]
         || '.' || i || '@' || (ARRAY['Mail.example','Post.example','Corp.example'])[1 + i % 3],
       1 + floor(25 * power(random(), 1.6))::int,
       (ARRAY['retail','retail','retail','wholesale','wholesale','government','education',
              'hospitality'])[1 + floor(random() * 8)::int],
       round((random() * 11000 - 1000)::numeric, 2),
       date '2015-01-01' + floor(random() * 4000)::int,
       CASE WHEN random() < 0.15 THEN NULL ELSE '+' || (10 + i % 25) || '-' || (1000000 + i) END
  FROM generate_series(1, round(150000 * :scale)::int) AS i;

CREATE TABLE ds.supplier (
  s_id integer PRIMARY KEY,
  s_name text NOT NULL,
  s_nation_id integer NOT NULL REFERENCES ds.nation,
  s_rating integer NOT NULL,
  s_balance numeric(12,2) NOT NULL
);
INSERT INTO ds.supplier
SELECT i, 'Supplier ' || i, 1 + floor(random() * 25)::int, 1 + floor(5 * power(random(), 0.5))::int,
       round((random() * 10000)::numeric, 2)
  FROM generate_series(1, round(10000 * :scale)::int) AS i;

CREATE TABLE ds.part (
  p_id integer PRIMARY KEY,
  p_name text NOT NULL,
  p_brand text NOT NULL,
  p_category text NOT NULL,
  p_size integer NOT NULL,
  p_container text NOT NULL,
  p_price numeric(10,2) NOT NULL
);
INSERT INTO ds.part
SELECT i,
       (ARRAY['steel','oak','glass','linen','copper','granite','maple','wool','silver','cedar',
              'amber','ivory','olive','coral','slate'])[1 + floor(random() * 15)::int] || ' ' ||
       (ARRAY['bolt','lamp','chair','hinge','kettle','panel','valve','brush','frame','cable',
              'mug','rack'])[1 + floor(random() * 12)::int] || ' ' || i,
       'brand_' || (1 + floor(40 * power(random(), 2))::int),
       (ARRAY['tools','home','garden','office','kitchen','sports','auto','toys'])[1 + i % 8]
         || '/' || (1 + (i / 8) % 6),
       1 + floor(random() * 50)::int,
       (ARRAY['box','bag','crate','tube','pack','drum'])[1 + floor(random() * 6)::int],
       round((5 + (i % 1000) * 0.9 + random() * 20)::numeric, 2)
  FROM generate_series(1, round(200000 * :scale)::int) AS i;

CREATE TABLE ds.orders (
  o_id integer PRIMARY KEY,
  o_customer_id integer NOT NULL,
  o_date date NOT NULL,
  o_status char(1) NOT NULL,
  o_priority integer NOT NULL,
  o_channel text NOT NULL,
  o_clerk integer NOT NULL,
  o_total numeric(12,2) NOT NULL,
  o_note text
);
-- Order dates grow towards the present (sqrt), customers follow a power law; recent orders
-- are still open.
INSERT INTO ds.orders
SELECT i, c, d,
       CASE WHEN d > date '2026-11-15' THEN (CASE WHEN random() < 0.8 THEN 'O' ELSE 'P' END)
            WHEN random() < 0.01 THEN 'P' WHEN random() < 0.03 THEN 'C' ELSE 'F' END,
       1 + floor(5 * power(random(), 1.5))::int,
       CASE WHEN r < 0.6 THEN 'web' WHEN r < 0.9 THEN 'store' WHEN r < 0.98 THEN 'phone'
            ELSE 'partner' END,
       1 + floor(random() * 1000)::int,
       round((10 + random() * 5000)::numeric, 2),
       CASE WHEN random() < 0.05 THEN 'gift wrap' WHEN random() < 0.02 THEN 'urgent call back'
            ELSE NULL END
  FROM (SELECT i, 1 + floor(round(150000 * :scale)::int * power(random(), 2.2))::int AS c,
               date '2019-01-01' + floor(2920 * sqrt(random()))::int AS d, random() AS r
          FROM generate_series(1, round(1500000 * :scale)::int) AS i) AS g;

CREATE TABLE ds.lineitem (
  l_order_id integer NOT NULL,
  l_line integer NOT NULL,
  l_part_id integer NOT NULL,
  l_supplier_id integer NOT NULL,
  l_quantity integer NOT NULL,
  l_price numeric(12,2) NOT NULL,
  l_discount numeric(3,2) NOT NULL,
  l_tax numeric(3,2) NOT NULL,
  l_return_flag char(1) NOT NULL,
  l_status char(1) NOT NULL,
  l_ship_date date NOT NULL,
  l_commit_date date NOT NULL,
  l_receipt_date date NOT NULL,
  l_ship_mode text NOT NULL,
  PRIMARY KEY (l_order_id, l_line)
);
-- 1 to 7 lines per order; parts follow a power law; ship dates follow the order date.
INSERT INTO ds.lineitem
SELECT o_id, n, p, 1 + (p * 7 + n * 13) % (round(10000 * :scale)::int), q,
       round(q * (5 + (p % 1000) * 0.9 + 10)::numeric, 2),
       (floor(random() * 11) / 100)::numeric(3,2), (floor(random() * 9) / 100)::numeric(3,2),
       CASE WHEN sd > date '2026-10-01' THEN 'N' WHEN random() < 0.5 THEN 'N'
            WHEN random() < 0.5 THEN 'R' ELSE 'A' END,
       CASE WHEN sd > date '2026-10-01' THEN 'O' ELSE 'F' END,
       sd, o_date + 30 + floor(random() * 60)::int, sd + 1 + floor(random() * 30)::int,
       (ARRAY['air','rail','truck','ship','mail','courier','pickup'])[1 + floor(random() * 7)::int]
  FROM (SELECT o_id, o_date, n,
               1 + floor(round(200000 * :scale)::int * power(random(), 1.8))::int AS p,
               1 + floor(random() * 50)::int AS q,
               o_date + 1 + floor(random() * 120)::int AS sd
          FROM ds.orders, generate_series(1, 1 + (o_id * 5 + o_id / 7) % 7) AS n) AS g;

VACUUM (FREEZE, ANALYZE) ds.region, ds.nation, ds.day, ds.customer, ds.supplier, ds.part,
  ds.orders, ds.lineitem;
