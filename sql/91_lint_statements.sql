-- dbopt_lint_sql(): the statement forms the server's walker reads (src/pg/lint_facts.cpp),
-- against tables the schema knows: column options, inline constraints, renames, REINDEX and
-- DROP variants, transaction and SET spellings, a partitioned table's size.
CREATE SCHEMA lint2;
SET search_path = lint2, public;
CREATE TABLE accounts (id bigint PRIMARY KEY, email text, name text NOT NULL, code varchar(5),
                       amount numeric(10,2), tags varchar(10)[])
  WITH (autovacuum_enabled = false);
ALTER TABLE accounts ADD CONSTRAINT accounts_email_not_null CHECK (email IS NOT NULL);
CREATE UNIQUE INDEX accounts_email_idx ON accounts (email);
UPDATE pg_class SET reltuples = 5000000, relpages = 60000 WHERE oid = 'accounts'::regclass;
-- A partitioned table: its leaves' statistics add up (2 x 600,000 rows: large).
CREATE TABLE events (id bigint, at timestamptz, account_id bigint) PARTITION BY RANGE (at);
CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')
  WITH (autovacuum_enabled = false);
CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')
  WITH (autovacuum_enabled = false);
UPDATE pg_class SET reltuples = 600000, relpages = 5000
 WHERE oid IN ('events_2025'::regclass, 'events_2026'::regclass);

-- Column changes: NOT NULL already proven (validated CHECK, or NOT NULL already), binary-
-- coercible and rewriting type changes. START TRANSACTION / SET LOCAL ... TO / END.
SELECT statement_number, line, rule_id, severity, object_name, message
  FROM dbopt_lint_sql($$
START TRANSACTION;
SET LOCAL lock_timeout TO 3000;
ALTER TABLE accounts ALTER COLUMN email SET NOT NULL;
ALTER TABLE accounts ALTER COLUMN name SET NOT NULL;
ALTER TABLE accounts ALTER COLUMN amount TYPE numeric(12,2);
ALTER TABLE accounts ALTER COLUMN amount TYPE numeric(12,3);
ALTER TABLE accounts ALTER COLUMN code TYPE varchar(3);
ALTER TABLE accounts ALTER COLUMN code TYPE text USING code::text;
ALTER TABLE accounts ALTER COLUMN tags TYPE varchar(20)[];
END;
ALTER TABLE accounts ALTER COLUMN email DROP NOT NULL;
$$);

-- ADD COLUMN forms: serial, identity, stored generated, volatile and stable defaults, inline
-- REFERENCES and UNIQUE, two subcommands in one statement, IF EXISTS ONLY.
SELECT statement_number, rule_id, severity, object_name
  FROM dbopt_lint_sql($$
SET lock_timeout = '1s';
ALTER TABLE accounts ADD COLUMN n serial;
ALTER TABLE accounts ADD COLUMN m bigint GENERATED ALWAYS AS IDENTITY;
ALTER TABLE accounts ADD COLUMN g bigint GENERATED ALWAYS AS (id * 2) STORED;
ALTER TABLE accounts ADD COLUMN r double precision NOT NULL DEFAULT random();
ALTER TABLE accounts ADD COLUMN c timestamptz DEFAULT CURRENT_TIMESTAMP;
ALTER TABLE accounts ADD COLUMN s text NOT NULL DEFAULT 'x'::text;
ALTER TABLE accounts ADD COLUMN owner_id bigint REFERENCES accounts (id);
ALTER TABLE accounts ADD COLUMN k text UNIQUE;
ALTER TABLE accounts ADD COLUMN t timestamp, ADD COLUMN j json;
ALTER TABLE IF EXISTS ONLY accounts ADD COLUMN z integer NOT NULL;
$$);

-- Constraints, renames and weak locks; RESET ALL and SET ... TO DEFAULT switch lock_timeout off.
SELECT statement_number, rule_id, severity, object_name
  FROM dbopt_lint_sql($$
SET lock_timeout = '1s';
RESET ALL;
ALTER TABLE accounts ADD CONSTRAINT accounts_email_key UNIQUE USING INDEX accounts_email_idx;
SET lock_timeout = '1s';
ALTER TABLE accounts ADD CONSTRAINT accounts_no_overlap EXCLUDE USING btree (code WITH =);
ALTER TABLE accounts ADD CHECK (amount > 0);
ALTER TABLE accounts RENAME TO customers;
ALTER TABLE accounts SET SCHEMA public;
SET lock_timeout TO DEFAULT;
ALTER TABLE accounts RENAME CONSTRAINT accounts_email_not_null TO accounts_email_present;
ALTER TABLE accounts ALTER COLUMN email SET STATISTICS 500;
ALTER INDEX accounts_email_idx RENAME TO accounts_email_idx2;
$$);

-- REINDEX and DROP variants, a partitioned table, CREATE INDEX ON ONLY (builds nothing).
SELECT statement_number, rule_id, severity, object_name, message
  FROM dbopt_lint_sql($$
SET lock_timeout = '1s';
REINDEX (CONCURRENTLY) INDEX accounts_email_idx;
REINDEX INDEX accounts_email_idx;
REINDEX SCHEMA lint2;
DROP INDEX IF EXISTS accounts_email_idx, missing_idx;
DROP TABLE IF EXISTS accounts, events CASCADE;
CREATE INDEX ON events (account_id);
CREATE INDEX events_account_idx ON ONLY events (account_id);
CREATE INDEX CONCURRENTLY events_2025_account_idx ON events_2025 (account_id);
ALTER INDEX events_account_idx ATTACH PARTITION events_2025_account_idx;
$$);

-- Write-blocking locks besides ALTER TABLE (missing-lock-timeout): triggers, TRUNCATE, LOCK in
-- SHARE mode or stronger (not ROW EXCLUSIVE, not NOWAIT), PARTITION OF on the parent,
-- REFERENCES on the referenced table; a new table's index is nobody else's.
SELECT statement_number, object_name, message
  FROM dbopt_lint_sql($$
CREATE TRIGGER accounts_audit AFTER UPDATE ON accounts FOR EACH ROW EXECUTE FUNCTION f();
DROP TRIGGER accounts_touch ON lint2.accounts;
TRUNCATE accounts, events;
LOCK TABLE accounts IN SHARE MODE;
LOCK TABLE accounts IN ROW EXCLUSIVE MODE;
LOCK TABLE accounts NOWAIT;
CREATE TABLE events_2027 PARTITION OF events FOR VALUES FROM ('2027-01-01') TO ('2028-01-01');
CREATE TABLE notes (id bigint PRIMARY KEY, account_id bigint REFERENCES accounts);
CREATE INDEX notes_account_idx ON notes (account_id);
$$) WHERE rule_id = 'missing-lock-timeout';

-- Rewrites and refreshes (refresh-without-concurrently, cluster, vacuum-full) graded by the
-- live size; a materialized view with a unique index on plain columns can be refreshed
-- CONCURRENTLY right away (the advice says so), one with only an expression or partial unique
-- index cannot; ENABLE/DISABLE TRIGGER takes SHARE ROW EXCLUSIVE; ATTACH PARTITION takes
-- ACCESS EXCLUSIVE only on the partition; views and tables the script creates are exempt.
CREATE MATERIALIZED VIEW account_totals AS SELECT id, amount FROM accounts WITH NO DATA;
CREATE UNIQUE INDEX account_totals_id_idx ON account_totals (id);
CREATE MATERIALIZED VIEW account_codes AS SELECT id, code FROM accounts WITH NO DATA;
CREATE UNIQUE INDEX account_codes_lower_idx ON account_codes (lower(code));
CREATE UNIQUE INDEX account_codes_id_idx ON account_codes (id) WHERE id > 0;
UPDATE pg_class SET reltuples = 2000000, relpages = 20000 WHERE oid = 'account_totals'::regclass;
UPDATE pg_class SET reltuples = 20000, relpages = 200 WHERE oid = 'account_codes'::regclass;
CREATE TABLE events_old (id bigint, at timestamptz, account_id bigint)
  WITH (autovacuum_enabled = false);
UPDATE pg_class SET reltuples = 50, relpages = 1 WHERE oid = 'events_old'::regclass;
SELECT statement_number, rule_id, severity, object_name, message, safe_alternative
  FROM dbopt_lint_sql($$
SET lock_timeout = '2s';
REFRESH MATERIALIZED VIEW account_totals;
REFRESH MATERIALIZED VIEW account_codes;
REFRESH MATERIALIZED VIEW CONCURRENTLY account_totals;
CREATE MATERIALIZED VIEW account_names AS SELECT id, name FROM accounts;
REFRESH MATERIALIZED VIEW account_names;
CLUSTER accounts USING accounts_pkey;
VACUUM (FULL, VERBOSE) events_old, accounts;
VACUUM accounts;
ANALYZE accounts;
$$) WHERE rule_id <> 'missing-lock-timeout';
SELECT statement_number, object_name, message
  FROM dbopt_lint_sql($$
ALTER TABLE accounts DISABLE TRIGGER USER;
ALTER TABLE accounts ENABLE REPLICA TRIGGER accounts_audit, ALTER COLUMN name SET STATISTICS 100;
ALTER TABLE events ATTACH PARTITION events_old FOR VALUES FROM ('2020-01-01') TO ('2021-01-01');
CREATE TABLE events_2019 (LIKE events);
ALTER TABLE events ATTACH PARTITION events_2019 FOR VALUES FROM ('2019-01-01') TO ('2020-01-01');
ALTER TABLE events DETACH PARTITION events_2025;
ALTER TABLE events DETACH PARTITION events_2026 CONCURRENTLY;
ALTER TABLE events DETACH PARTITION events_2026 FINALIZE;
REFRESH MATERIALIZED VIEW account_totals WITH NO DATA;
VACUUM FULL;
CLUSTER;
$$) WHERE rule_id = 'missing-lock-timeout';

-- The line of each statement is the line of its first token, past comments and blank lines.
SELECT statement_number, line, rule_id
  FROM dbopt_lint_sql(E'-- header\n\n/* a\n   block */ DROP TABLE accounts;\n\n  -- next\n  DROP TABLE events;')
 WHERE rule_id = 'drop-table';

RESET search_path;
DROP SCHEMA lint2 CASCADE;
