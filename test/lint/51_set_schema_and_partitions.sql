SET lock_timeout = '5s';
ALTER TABLE measurements_2020 SET SCHEMA archive;
CREATE TABLE measurements_2027 PARTITION OF measurements FOR VALUES FROM ('2027-01-01') TO ('2028-01-01');
CREATE INDEX measurements_taken_at_idx ON ONLY measurements (taken_at);
