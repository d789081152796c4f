-- dbopt:up
CREATE TABLE coupons (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  code text NOT NULL UNIQUE,
  percent_off smallint NOT NULL CHECK (percent_off BETWEEN 1 AND 100),
  valid_until timestamptz
);

-- dbopt:down
DROP TABLE coupons;
