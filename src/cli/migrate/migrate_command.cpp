#include "cli/migrate/migrate_command.hpp"

#include "cli/exit_codes.hpp"

namespace dbopt::cli {

int RunMigrate(const MigrateOptions& options) {
  using Runner = int (*)(const MigrateOptions&);
  static const struct {
    const char* subcommand;
    Runner run;
  } kRunners[] = {
      {"new", RunMigrateNew},
      {"up", RunMigrateUp},
      {"down", RunMigrateDown},
      {"status", RunMigrateStatus},
      {"verify", RunMigrateVerify},
      {"lint", RunMigrateLint},
      {"baseline", RunMigrateBaseline},
      {"repair", RunMigrateRepair},
      {"from-findings", RunMigrateFromFindings},
  };
  for (const auto& runner : kRunners)
    if (options.subcommand == runner.subcommand) return runner.run(options);
  throw UsageError("unknown migrate subcommand \"" + options.subcommand + "\"");
}

}  // namespace dbopt::cli
