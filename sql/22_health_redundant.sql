-- Check 3 of dbopt_health(): index_duplicate and index_redundant, with the indexes that must
-- never be proposed for dropping, and a remediation/revert round trip.
CREATE SCHEMA h22;
SET search_path = h22, public;

CREATE TABLE users (id int PRIMARY KEY, email text, name text, org int, created date);
CREATE INDEX users_email_a ON users (email);
CREATE INDEX users_email_b ON users (email);                        -- duplicate of _a
CREATE INDEX users_org ON users (org);                              -- prefix of users_org_created
CREATE INDEX users_org_created ON users (org, created);
CREATE INDEX users_org_inc ON users (org) INCLUDE (created);        -- served by users_org_created
CREATE INDEX users_name_inc ON users (name) INCLUDE (email);        -- email not in another: stays
CREATE INDEX users_name_created ON users (name, created);
CREATE INDEX users_id_copy ON users (id);                           -- non-unique copy of the PK
-- Not duplicates of users_email_a: other opclass, collation, predicate, order, method.
CREATE INDEX users_email_pattern ON users (email text_pattern_ops);
CREATE INDEX users_email_c ON users (email COLLATE "C");
CREATE INDEX users_email_partial ON users (email) WHERE created > '2020-01-01';
CREATE INDEX users_email_desc ON users (email DESC);
CREATE INDEX users_email_hash ON users USING hash (email);
CREATE INDEX users_email_hash2 ON users USING hash (email);          -- duplicate hash index
-- Expression indexes: the same expression twice is a duplicate; another is not.
CREATE INDEX users_lower_email ON users (lower(email));
CREATE INDEX users_lower_email2 ON users (lower(email));
CREATE INDEX users_upper_email ON users (upper(email));

-- Uniqueness: a unique index is never redundant to a non-unique or a wider one.
CREATE TABLE codes (id int NOT NULL, code text NOT NULL, region int);
CREATE UNIQUE INDEX codes_code_key ON codes (code);
CREATE INDEX codes_code_region ON codes (code, region);
CREATE UNIQUE INDEX codes_code_region_key ON codes (code, region);  -- unique: stays
CREATE INDEX codes_code ON codes (code);                             -- served by codes_code_key

-- Constraint-backed duplicates: a UNIQUE constraint on the primary key goes through DROP
-- CONSTRAINT and the PK stays; of a UNIQUE constraint and a plain unique index the
-- constraint stays.
CREATE TABLE accounts (id int PRIMARY KEY, code text CONSTRAINT accounts_code_key UNIQUE);
ALTER TABLE accounts ADD CONSTRAINT accounts_id_key UNIQUE (id);
CREATE UNIQUE INDEX accounts_code_idx ON accounts (code);
-- An index an FK references (conindid) stays, even when a UNIQUE constraint duplicates it:
-- then the constraint goes.
CREATE TABLE wallets (id int NOT NULL, label text);
CREATE UNIQUE INDEX wallets_id_idx ON wallets (id);
CREATE TABLE transfers (wallet_id int REFERENCES wallets (id));
CREATE INDEX transfers_wallet ON transfers (wallet_id);
ALTER TABLE wallets ADD CONSTRAINT wallets_id_key UNIQUE (id);
SELECT conname, conindid::regclass FROM pg_constraint WHERE conrelid = 'transfers'::regclass;

-- Partitioned: duplicate parent indexes (plain DROP INDEX, recipe as revert), and a
-- partition's own copy of an attached index.
CREATE TABLE events (id int, at date, kind int) PARTITION BY RANGE (at);
CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE INDEX events_kind_at ON events (kind, at);
CREATE INDEX events_kind ON events (kind);
CREATE INDEX events_2024_kind_copy ON events_2024 (kind);

-- Another schema: not reported with the filter.
CREATE SCHEMA h22_other;
CREATE TABLE h22_other.t (a int);
CREATE INDEX t_a1 ON h22_other.t (a);
CREATE INDEX t_a2 ON h22_other.t (a);

SELECT check_id, object_name, detail->>'kept_index' AS kept_index, remediation
  FROM dbopt_health('h22') WHERE check_id IN ('index_duplicate', 'index_redundant')
 ORDER BY object_name;
SELECT object_name, message, revert FROM dbopt_health('h22')
 WHERE check_id IN ('index_duplicate', 'index_redundant') ORDER BY object_name;
SELECT detail FROM dbopt_health('h22')
 WHERE object_name = 'h22.users_email_b' AND check_id = 'index_duplicate';
SELECT check_id, object_name FROM dbopt_health('h22_other')
 WHERE check_id IN ('index_duplicate', 'index_redundant');

-- Round trip: run every remediation, nothing is left to report; run every revert, the same
-- findings come back.
CREATE TEMP TABLE before AS SELECT * FROM dbopt_health('h22')
 WHERE check_id IN ('index_duplicate', 'index_redundant');
SELECT unnest(remediation) FROM before ORDER BY object_name \gexec
SELECT check_id, object_name FROM dbopt_health('h22')
 WHERE check_id IN ('index_duplicate', 'index_redundant');
SELECT unnest(revert) FROM before ORDER BY object_name \gexec
SELECT b.object_name, a.object_name IS NOT NULL AS back
  FROM before b LEFT JOIN dbopt_health('h22') a USING (check_id, object_name)
 ORDER BY 1;
SELECT indexrelid::regclass, indisvalid FROM pg_index
 WHERE indrelid IN ('events'::regclass, 'events_2024'::regclass, 'events_2025'::regclass)
 ORDER BY indexrelid::regclass::text;
SELECT conrelid::regclass, conname, contype, conindid::regclass FROM pg_constraint
 WHERE conrelid IN ('accounts'::regclass, 'wallets'::regclass) ORDER BY 1, 2;

DROP TABLE before;
RESET search_path;
DROP SCHEMA h22, h22_other CASCADE;
