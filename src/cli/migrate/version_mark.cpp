#include "cli/migrate/version_mark.hpp"

#include "cli/connection.hpp"

namespace dbopt::cli::migrate {

void MarkMigrationVersion(PGconn* connection, const std::string& version, bool transaction_local) {
  Query(connection,
        "SELECT /* dbopt cli */ pg_catalog.set_config('dbopt_migrate.version', $1,"
        " $2::pg_catalog.bool)",
        {version.c_str(), transaction_local ? "true" : "false"});
}

void ClearMigrationVersion(PGconn* connection) {
  // '' rather than RESET: Query wants rows, and the triggers take '' as unset.
  Query(connection,
        "SELECT /* dbopt cli */ pg_catalog.set_config('dbopt_migrate.version', '', false)", {});
}

}  // namespace dbopt::cli::migrate
