-- CLUSTER and VACUUM FULL write a new copy of the table and its indexes under an ACCESS
-- EXCLUSIVE lock: no reads or writes until done. Plain VACUUM and ANALYZE block nobody.
CLUSTER events USING events_created_at_idx;
VACUUM FULL audit_log;
VACUUM (FULL, ANALYZE) sessions, audit_log;
VACUUM (ANALYZE) sessions;
VACUUM (FULL false) sessions;
ANALYZE sessions;
CREATE TABLE import_rows (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, payload text);
CLUSTER import_rows USING import_rows_pkey;
VACUUM FULL import_rows;
CLUSTER;
