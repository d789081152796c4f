// `dbopt migrate verify`: the differences between the migration files, the history and the
// schema (docs/migrations.md "Status and verify"); exit status 1 when there is one.
#include "cli/exit_codes.hpp"
#include "cli/migrate/book_query.hpp"
#include "cli/migrate/migrate_command.hpp"
#include "cli/terminal.hpp"

namespace dbopt::cli {

int RunMigrateVerify(const MigrateOptions& options) {
  const migrate::BookReport report = migrate::LoadBook(options);
  WriteStdout(options.format == OutputFormat::kJson
                  ? migrate::RenderVerifyJson(report)
                  : migrate::RenderVerifyText(report, StdoutTextStyle(options.color)));
  return report.problems.empty() ? kExitOk : kExitFindings;
}

}  // namespace dbopt::cli
