// The mark that tells the schema-drift event triggers (docs/migrations.md, "Schema drift") that
// a session's DDL is a migration's, not drift: any non-empty dbopt_migrate.version. Set by the
// runner (the migration's version) and by `dbopt advise --apply` (its own label).
#pragma once
#include <libpq-fe.h>

#include <string>

namespace dbopt::cli::migrate {

// Sets dbopt_migrate.version to `version`: until the end of the current transaction
// (transaction_local), or for the session until ClearMigrationVersion. Throws ServerError.
void MarkMigrationVersion(PGconn* connection, const std::string& version, bool transaction_local);

// Clears a session-level mark (sets it to ''). Throws ServerError.
void ClearMigrationVersion(PGconn* connection);

}  // namespace dbopt::cli::migrate
