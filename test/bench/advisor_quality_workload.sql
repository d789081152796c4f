-- Workload of test/bench/advisor_quality.sh over the schema of advisor_quality.sql: 22 analytic
-- statements (joins, aggregates, range and equality filters, ORDER BY ... LIMIT, IN lists,
-- LIKE, anti-joins) with how often each runs per period (calls). Reports scan most of the
-- fact table and run rarely; dashboards and drill-downs are selective and run often.
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS aq CASCADE;
CREATE SCHEMA aq;
CREATE TABLE aq.workload (n integer PRIMARY KEY, calls integer NOT NULL, label text NOT NULL,
                          query text NOT NULL);
INSERT INTO aq.workload VALUES
(1, 1, 'shipping summary by flag and status (most of lineitem)', $q$
SELECT l_return_flag, l_status, sum(l_quantity) AS qty, sum(l_price) AS base,
       sum(l_price * (1 - l_discount)) AS net, avg(l_discount) AS disc, count(*) AS lines
  FROM ds.lineitem
 WHERE l_ship_date <= date '2026-09-01'
 GROUP BY l_return_flag, l_status ORDER BY l_return_flag, l_status$q$),
(2, 200, 'a customer''s latest orders', $q$
SELECT o_id, o_date, o_status, o_total FROM ds.orders
 WHERE o_customer_id = 4242 ORDER BY o_date DESC LIMIT 20$q$),
(3, 10, 'open-order revenue of a segment (top 10)', $q$
SELECT l_order_id, o_date, o_priority, sum(l_price * (1 - l_discount)) AS revenue
  FROM ds.customer JOIN ds.orders ON o_customer_id = c_id JOIN ds.lineitem ON l_order_id = o_id
 WHERE c_segment = 'education' AND o_date < date '2026-11-20' AND o_date >= date '2026-10-20'
   AND l_ship_date > date '2026-11-20'
 GROUP BY l_order_id, o_date, o_priority ORDER BY revenue DESC, o_date LIMIT 10$q$),
(4, 5, 'late orders per priority in a quarter', $q$
SELECT o_priority, count(*) FROM ds.orders
 WHERE o_date >= date '2026-04-01' AND o_date < date '2026-07-01'
   AND EXISTS (SELECT 1 FROM ds.lineitem WHERE l_order_id = o_id AND l_commit_date < l_receipt_date)
 GROUP BY o_priority ORDER BY o_priority$q$),
(5, 2, 'revenue per nation of a region in a year', $q$
SELECT n_name, sum(l_price * (1 - l_discount)) AS revenue
  FROM ds.customer JOIN ds.orders ON o_customer_id = c_id
  JOIN ds.lineitem ON l_order_id = o_id JOIN ds.supplier ON s_id = l_supplier_id
  JOIN ds.nation ON n_id = s_nation_id AND n_id = c_nation_id JOIN ds.region ON r_id = n_region_id
 WHERE r_name = 'east' AND o_date >= date '2025-01-01' AND o_date < date '2026-01-01'
 GROUP BY n_name ORDER BY revenue DESC$q$),
(6, 20, 'discount revenue of a month', $q$
SELECT sum(l_price * l_discount) FROM ds.lineitem
 WHERE l_ship_date >= date '2026-03-01' AND l_ship_date < date '2026-04-01'
   AND l_discount BETWEEN 0.04 AND 0.06 AND l_quantity < 20$q$),
(7, 30, 'top sellers of a brand in some sizes', $q$
SELECT p_id, p_name, sum(l_quantity) AS sold FROM ds.part JOIN ds.lineitem ON l_part_id = p_id
 WHERE p_brand = 'brand_33' AND p_size IN (4, 9, 16, 25, 36)
 GROUP BY p_id, p_name ORDER BY sold DESC LIMIT 10$q$),
(8, 50, 'customers by e-mail prefix', $q$
SELECT c_id, c_name, c_email FROM ds.customer WHERE c_email LIKE 'dana.1234%' ORDER BY c_email$q$),
(9, 40, 'oldest pending orders', $q$
SELECT o_id, o_customer_id, o_date, o_total FROM ds.orders
 WHERE o_status = 'P' ORDER BY o_date LIMIT 50$q$),
(10, 5, 'returned revenue per customer in a quarter (top 20)', $q$
SELECT c_id, c_name, c_balance, n_name, sum(l_price * (1 - l_discount)) AS lost
  FROM ds.customer JOIN ds.orders ON o_customer_id = c_id JOIN ds.lineitem ON l_order_id = o_id
  JOIN ds.nation ON n_id = c_nation_id
 WHERE o_date >= date '2026-07-01' AND o_date < date '2026-10-01' AND l_return_flag = 'R'
 GROUP BY c_id, c_name, c_balance, n_name ORDER BY lost DESC LIMIT 20$q$),
(11, 60, 'a supplier''s shipments in a week', $q$
SELECT l_order_id, l_line, l_part_id, l_quantity, l_ship_date FROM ds.lineitem
 WHERE l_supplier_id = 777 AND l_ship_date BETWEEN date '2026-06-01' AND date '2026-06-07'$q$),
(12, 4, 'ship modes and late receipts in a year', $q$
SELECT l_ship_mode, count(*) FILTER (WHERE o_priority <= 2) AS high, count(*) FILTER (WHERE o_priority > 2) AS low
  FROM ds.orders JOIN ds.lineitem ON l_order_id = o_id
 WHERE l_ship_mode IN ('mail', 'ship') AND l_commit_date < l_receipt_date
   AND l_ship_date < l_commit_date AND l_receipt_date >= date '2025-01-01' AND l_receipt_date < date '2026-01-01'
 GROUP BY l_ship_mode ORDER BY l_ship_mode$q$),
(13, 1, 'orders-per-customer distribution', $q$
SELECT cnt, count(*) AS customers FROM
  (SELECT c_id, count(o_id) AS cnt FROM ds.customer LEFT JOIN ds.orders
      ON o_customer_id = c_id AND coalesce(o_note, '') NOT LIKE '%urgent%'
    GROUP BY c_id) AS per GROUP BY cnt ORDER BY customers DESC, cnt DESC$q$),
(14, 100, 'an order with its lines', $q$
SELECT o_id, o_date, l_line, l_part_id, l_quantity, l_price FROM ds.orders JOIN ds.lineitem ON l_order_id = o_id
 WHERE o_id = 987654 ORDER BY l_line$q$),
(15, 10, 'parts whose name mentions a word', $q$
SELECT p_id, p_name, p_price FROM ds.part WHERE p_name LIKE '%kettle 17%' ORDER BY p_price DESC LIMIT 25$q$),
(16, 8, 'suppliers per part category and size, good suppliers only', $q$
SELECT p_category, p_size, count(DISTINCT l_supplier_id) AS suppliers
  FROM ds.part JOIN ds.lineitem ON l_part_id = p_id
 WHERE p_category = 'garden/3' AND p_size IN (1, 2, 3)
   AND l_supplier_id NOT IN (SELECT s_id FROM ds.supplier WHERE s_rating = 1)
 GROUP BY p_category, p_size ORDER BY suppliers DESC$q$),
(17, 3, 'small-quantity revenue of a brand and container', $q$
SELECT sum(l_price) / 7.0 AS yearly
  FROM ds.lineitem JOIN ds.part ON p_id = l_part_id
  JOIN (SELECT l_part_id AS a_part_id, 0.2 * avg(l_quantity) AS a_small FROM ds.lineitem
         GROUP BY l_part_id) AS a ON a_part_id = p_id
 WHERE p_brand = 'brand_23' AND p_container = 'drum' AND l_quantity < a_small$q$),
(18, 1, 'largest orders', $q$
SELECT o_id, o_customer_id, o_date, o_total, sum(l_quantity) AS qty
  FROM ds.orders JOIN ds.lineitem ON l_order_id = o_id
 WHERE o_id IN (SELECT l_order_id FROM ds.lineitem GROUP BY l_order_id HAVING sum(l_quantity) > 300)
 GROUP BY o_id, o_customer_id, o_date, o_total ORDER BY o_total DESC, o_date LIMIT 100$q$),
(19, 150, 'customer by e-mail, any case', $q$
SELECT c_id, c_name, c_segment FROM ds.customer WHERE lower(c_email) = 'gus.51203@post.example'$q$),
(20, 6, 'holiday sales per month of a year', $q$
SELECT d_month, count(*) AS orders, sum(o_total) AS total FROM ds.orders JOIN ds.day ON d_date = o_date
 WHERE d_year = 2025 AND d_holiday GROUP BY d_month ORDER BY d_month$q$),
(21, 80, 'recent phone orders still open', $q$
SELECT o_id, o_customer_id, o_date, o_total FROM ds.orders
 WHERE o_channel = 'phone' AND o_status = 'O' AND o_date >= date '2026-11-25'
 ORDER BY o_date DESC LIMIT 100$q$),
(22, 2, 'good-balance customers of some nations without recent orders', $q$
SELECT c_nation_id, count(*) AS customers, sum(c_balance) AS balance FROM ds.customer
 WHERE c_nation_id IN (3, 7, 11, 19, 23) AND c_balance > 5000
   AND NOT EXISTS (SELECT 1 FROM ds.orders WHERE o_customer_id = c_id AND o_date >= date '2026-06-01')
 GROUP BY c_nation_id ORDER BY c_nation_id$q$);
