#include "cli/top_command.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "cli/cancel.hpp"
#include "cli/connection.hpp"
#include "cli/exit_codes.hpp"
#include "cli/health_query.hpp"
#include "cli/terminal.hpp"
#include "cli/top_query.hpp"
#include "cli/top_render.hpp"

namespace dbopt::cli {

int RunTop(const TopOptions& options) {
  Connection connection = Connect(options.connection);
  TopReport report;
  {
    const CancelOnInterrupt cancel_on_interrupt(connection.get());
    report = FetchTop(connection.get(), ExtensionSchema(connection.get()), options);
  }
  connection.reset();

  std::string out;
  if (options.format == OutputFormat::kJson) {
    out = RenderTopJson(report);
  } else {
    out = RenderTopText(report, StdoutTextStyle(options.color));
  }
  WriteStdout(out);
  return kExitOk;
}

}  // namespace dbopt::cli
