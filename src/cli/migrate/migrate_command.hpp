// `dbopt migrate`: runs one subcommand. Each subcommand lives in its own file
// (migrate_new.cpp, migrate_up.cpp, migrate_lint.cpp, ...); docs/migrations.md.
#pragma once
#include "cli/args.hpp"

namespace dbopt::cli {

int RunMigrate(const MigrateOptions& options);

// One per subcommand; each returns the process exit status or throws CliError.
int RunMigrateNew(const MigrateOptions& options);
int RunMigrateUp(const MigrateOptions& options);
int RunMigrateDown(const MigrateOptions& options);
int RunMigrateStatus(const MigrateOptions& options);
int RunMigrateVerify(const MigrateOptions& options);
int RunMigrateLint(const MigrateOptions& options);
int RunMigrateBaseline(const MigrateOptions& options);
int RunMigrateRepair(const MigrateOptions& options);
int RunMigrateFromFindings(const MigrateOptions& options);

}  // namespace dbopt::cli
