-- A plain refresh blocks every read of the view for as long as its query runs; CONCURRENTLY
-- (with a unique index on plain columns of the view) lets reads go on.
SET lock_timeout = '5s';
REFRESH MATERIALIZED VIEW daily_revenue;
CREATE UNIQUE INDEX CONCURRENTLY daily_revenue_day_idx ON daily_revenue (day);
REFRESH MATERIALIZED VIEW CONCURRENTLY daily_revenue;
CREATE MATERIALIZED VIEW monthly_revenue AS
  SELECT date_trunc('month', day) AS month, sum(total) AS total FROM daily_revenue GROUP BY 1
  WITH NO DATA;
REFRESH MATERIALIZED VIEW monthly_revenue;
RESET lock_timeout;
REFRESH MATERIALIZED VIEW weekly_revenue WITH NO DATA;
