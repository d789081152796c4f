#include "cli/health_command.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "cli/cancel.hpp"
#include "cli/connection.hpp"
#include "cli/exit_codes.hpp"
#include "cli/health_query.hpp"
#include "cli/render_json.hpp"
#include "cli/render_sql.hpp"
#include "cli/render_text.hpp"
#include "cli/terminal.hpp"

namespace dbopt::cli {

int RunHealth(const HealthOptions& options) {
  Connection connection = Connect(options.connection);
  std::vector<Finding> found;
  {
    const CancelOnInterrupt cancel_on_interrupt(connection.get());
    found = FetchHealth(connection.get(), ExtensionSchema(connection.get()), options);
  }
  const std::vector<Finding> findings =
      SortedBySeverity(FilterBySeverity(found, options.min_severity));
  const ReportContext context{PQdb(connection.get()), options.schema, options.min_severity};
  connection.reset();

  std::string out;
  switch (options.format) {
    case OutputFormat::kText: {
      const bool tty = IsTerminal(STDOUT_FILENO);
      TextStyle style;
      style.color = UseColor(options.color, tty, std::getenv("NO_COLOR"), std::getenv("TERM"));
      style.width =
          OutputWidth(tty, tty ? TerminalColumns(STDOUT_FILENO) : 0, std::getenv("COLUMNS"));
      out = RenderText(findings, context, style);
      break;
    }
    case OutputFormat::kJson:
      out = RenderJson(findings);
      break;
    case OutputFormat::kSql:
      out = RenderSql(findings, context);
      break;
  }
  if (std::fwrite(out.data(), 1, out.size(), stdout) != out.size() || std::fflush(stdout) != 0)
    throw CliError(kExitError, "could not write the output");
  return findings.empty() ? kExitOk : kExitFindings;
}

}  // namespace dbopt::cli
