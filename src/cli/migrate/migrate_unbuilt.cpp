// Subcommands whose implementation has not landed yet: each says so and fails, so the
// dispatch links while they are built in their own files. Delete an entry when its file lands;
// delete this file when it is empty.
#include "cli/exit_codes.hpp"
#include "cli/migrate/migrate_command.hpp"

namespace dbopt::cli {
namespace {

int Unbuilt(const MigrateOptions& options) {
  throw CliError(kExitError,
                 "dbopt migrate " + options.subcommand + " is not available in this build");
}

}  // namespace

int RunMigrateStatus(const MigrateOptions& options) {
  return Unbuilt(options);
}
int RunMigrateVerify(const MigrateOptions& options) {
  return Unbuilt(options);
}
int RunMigrateFromFindings(const MigrateOptions& options) {
  return Unbuilt(options);
}

}  // namespace dbopt::cli
