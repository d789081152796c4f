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
    const bool tty = IsTerminal(STDOUT_FILENO);
    TextStyle style;
    style.color = UseColor(options.color, tty, std::getenv("NO_COLOR"), std::getenv("TERM"));
    style.width =
        OutputWidth(tty, tty ? TerminalColumns(STDOUT_FILENO) : 0, std::getenv("COLUMNS"));
    out = RenderTopText(report, style);
  }
  if (std::fwrite(out.data(), 1, out.size(), stdout) != out.size() || std::fflush(stdout) != 0)
    throw CliError(kExitError, "could not write the output");
  return kExitOk;
}

}  // namespace dbopt::cli
