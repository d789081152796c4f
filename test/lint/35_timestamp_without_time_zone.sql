CREATE TABLE meetings (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  starts_at timestamp NOT NULL,
  ends_at timestamp without time zone
);
