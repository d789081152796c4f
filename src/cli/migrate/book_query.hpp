// The server side of `dbopt migrate status` and `verify`: reads the migration folder, then
// dbopt_migration_status(), dbopt_migration_verify(files) and dbopt_drift_detection() in one
// read-only snapshot.
#pragma once
#include "cli/args.hpp"
#include "cli/migrate/book_report.hpp"

namespace dbopt::cli::migrate {

// Throws CliError: kExitUsage for a bad folder or file, kExitError when the server cannot
// be reached, the extension is missing, or the role may not read the history (with the
// GRANT to run as the hint).
BookReport LoadBook(const MigrateOptions& options);

}  // namespace dbopt::cli::migrate
