// `dbopt migrate status`: every migration, from its file and its history row, in version
// order (docs/migrations.md "Status and verify").
#include "cli/exit_codes.hpp"
#include "cli/migrate/book_query.hpp"
#include "cli/migrate/migrate_command.hpp"
#include "cli/terminal.hpp"

namespace dbopt::cli {

int RunMigrateStatus(const MigrateOptions& options) {
  const migrate::BookReport report = migrate::LoadBook(options);
  WriteStdout(options.format == OutputFormat::kJson
                  ? migrate::RenderStatusJson(report)
                  : migrate::RenderStatusText(report, StdoutTextStyle(options.color)));
  return kExitOk;
}

}  // namespace dbopt::cli
