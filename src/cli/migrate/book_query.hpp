// The server side of `dbopt migrate status` and `verify`: reads the migration folder, then
// dbopt_migration_verify(files), migration_history and dbopt_drift_detection() in one
// read-only snapshot. Also the one reader of migration_history (the runner's too), and the
// file checks `up` makes before it applies anything.
#pragma once
#include <libpq-fe.h>

#include <string>
#include <vector>

#include "cli/args.hpp"
#include "cli/migrate/book_report.hpp"
#include "cli/migrate/migration_file.hpp"

namespace dbopt::cli::migrate {

// Throws CliError: kExitUsage for a bad folder or file, kExitError when the server cannot
// be reached, the extension is missing, or the role may not read the history (with the
// GRANT to run as the hint).
BookReport LoadBook(const MigrateOptions& options);

// Every migration_history row, in version order ("1.10" after "1.9"). schema: the extension's,
// quoted. Throws ServerError (the role may not read the table: status and verify call
// dbopt_migration_verify first, which names the GRANT).
std::vector<HistoryRow> ReadHistory(PGconn* connection, const std::string& schema);

// The differences between the files and the history alone (no schema drift):
// dbopt_migration_file_problems(files), the first part of what verify reports. schema: the
// extension's, quoted. Throws ServerError.
std::vector<Problem> FileProblems(PGconn* connection, const std::string& schema,
                                  const std::vector<MigrationFile>& files);

}  // namespace dbopt::cli::migrate
