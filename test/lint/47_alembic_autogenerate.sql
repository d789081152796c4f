-- Alembic offline mode (alembic upgrade --sql): op.add_column, op.create_index, op.create_foreign_key
BEGIN;

-- Running upgrade 3f1a2b4c5d6e -> 9a8b7c6d5e4f

ALTER TABLE account ADD COLUMN plan_id INTEGER;

CREATE INDEX ix_account_plan_id ON account (plan_id);

ALTER TABLE account ADD FOREIGN KEY(plan_id) REFERENCES plan (id);

UPDATE alembic_version SET version_num='9a8b7c6d5e4f' WHERE alembic_version.version_num = '3f1a2b4c5d6e';

COMMIT;
