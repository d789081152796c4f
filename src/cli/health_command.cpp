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
    case OutputFormat::kText:
      out = RenderText(findings, context, StdoutTextStyle(options.color));
      break;
    case OutputFormat::kJson:
      out = RenderJson(findings);
      break;
    case OutputFormat::kSql:
      out = RenderSql(findings, context);
      break;
  }
  WriteStdout(out);
  return findings.empty() ? kExitOk : kExitFindings;
}

}  // namespace dbopt::cli
