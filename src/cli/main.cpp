// dbopt command-line tool: entry point and command dispatch. Exit statuses: exit_codes.hpp.
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "cli/advise_command.hpp"
#include "cli/args.hpp"
#include "cli/exit_codes.hpp"
#include "cli/health_command.hpp"
#include "cli/help.hpp"
#include "cli/migrate/migrate_command.hpp"
#include "cli/ops_report_command.hpp"
#include "cli/top_command.hpp"

namespace {

using dbopt::cli::CliError;

void PrintError(const std::string& message, const std::string& hint) {
  std::fprintf(stderr, "dbopt: error: %s\n", message.c_str());
  if (!hint.empty()) std::fprintf(stderr, "HINT:  %s\n", hint.c_str());
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  try {
    const dbopt::cli::Command command = dbopt::cli::ParseCommandLine(args);
    switch (command.kind) {
      case dbopt::cli::Command::Kind::kHelp:
        std::fputs(dbopt::cli::HelpText(command.help_topic).c_str(), stdout);
        return dbopt::cli::kExitOk;
      case dbopt::cli::Command::Kind::kVersion:
        std::fputs(dbopt::cli::VersionText().c_str(), stdout);
        return dbopt::cli::kExitOk;
      case dbopt::cli::Command::Kind::kHealth:
        return dbopt::cli::RunHealth(command.health);
      case dbopt::cli::Command::Kind::kTop:
        return dbopt::cli::RunTop(command.top);
      case dbopt::cli::Command::Kind::kAdvise:
        return dbopt::cli::RunAdvise(command.advise);
      case dbopt::cli::Command::Kind::kMigrate:
        return dbopt::cli::RunMigrate(command.migrate);
      case dbopt::cli::Command::Kind::kReport:
        return dbopt::cli::RunReport(command.report);
    }
  } catch (const CliError& error) {
    PrintError(error.what(), error.hint());
    if (error.exit_code() == dbopt::cli::kExitUsage) {
      const bool command_help = !args.empty() && dbopt::cli::IsCommandName(args[0]);
      std::fprintf(stderr, "Try \"dbopt %s\" for more information.\n",
                   command_help ? ("help " + args[0]).c_str() : "--help");
    }
    return error.exit_code();
  } catch (const std::exception& error) {
    PrintError(std::string("unexpected failure: ") + error.what(), "");
    return dbopt::cli::kExitError;
  }
  return dbopt::cli::kExitError;
}
