#include "cli/advise_command.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "cli/advise_apply.hpp"
#include "cli/advise_query.hpp"
#include "cli/advise_render.hpp"
#include "cli/cancel.hpp"
#include "cli/connection.hpp"
#include "cli/exit_codes.hpp"
#include "cli/terminal.hpp"

namespace dbopt::cli {

int RunAdvise(const AdviseOptions& options) {
  Connection connection = Connect(options.connection);
  AdviseReport report;
  {
    const CancelOnInterrupt cancel_on_interrupt(connection.get());
    const AdviseSession session = PrepareAdviseSession(connection.get());
    report = FetchAdvice(connection.get(), session, options);
    if (options.apply && !Interrupted())
      ApplyAdvice(connection.get(), session, &report, [](const std::string& line) {
        std::fprintf(stderr, "dbopt advise: %s\n", line.c_str());
        std::fflush(stderr);
      });
    if (Interrupted() && !report.applied)
      throw CliError(kExitError, "canceling statement due to user request");
  }
  connection.reset();

  std::string out;
  switch (options.format) {
    case OutputFormat::kText:
      out = RenderAdviseText(report, StdoutTextStyle(options.color));
      break;
    case OutputFormat::kJson:
      out = RenderAdviseJson(report);
      break;
    case OutputFormat::kSql:
      out = RenderAdviseSql(report);
      break;
  }
  WriteStdout(out);
  if (report.applied) {
    if (AllApplied(report)) return kExitOk;
    std::fprintf(stderr, "dbopt: error: %s\n",
                 report.interrupted ? "interrupted: not every recommended index was built"
                                    : "not every recommended index was built");
    return kExitError;
  }
  return report.indexes.empty() ? kExitOk : kExitFindings;
}

}  // namespace dbopt::cli
