-- Rails with disable_ddl_transaction! and add_index ..., algorithm: :concurrently
CREATE INDEX CONCURRENTLY "index_users_on_email" ON "users" ("email");
