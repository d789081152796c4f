#include "cli/ops_report_command.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "cli/cancel.hpp"
#include "cli/connection.hpp"
#include "cli/exit_codes.hpp"
#include "cli/health_query.hpp"
#include "cli/ops_report.hpp"
#include "cli/ops_report_query.hpp"
#include "cli/terminal.hpp"

namespace dbopt::cli {
namespace {

// Written to FILE.tmp and renamed, so a reader never sees half a report.
void WriteFile(const std::string& path, const std::string& text) {
  const std::string temporary = path + ".tmp";
  std::FILE* file = std::fopen(temporary.c_str(), "wb");
  if (file == nullptr)
    throw CliError(kExitError, "could not write \"" + path + "\": " + std::strerror(errno));
  const bool written = std::fwrite(text.data(), 1, text.size(), file) == text.size();
  const int saved_errno = errno;
  if (std::fclose(file) != 0 || !written) {
    std::remove(temporary.c_str());
    throw CliError(kExitError, "could not write \"" + path +
                                   "\": " + std::strerror(written ? errno : saved_errno));
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    const int rename_errno = errno;
    std::remove(temporary.c_str());
    throw CliError(kExitError, "could not write \"" + path + "\": " + std::strerror(rename_errno));
  }
}

}  // namespace

int RunReport(const ReportOptions& options) {
  Connection connection = Connect(options.connection);
  OpsReport report;
  {
    const CancelOnInterrupt cancel_on_interrupt(connection.get());
    report = FetchOpsReport(connection.get(), ExtensionSchema(connection.get()), options);
  }
  connection.reset();
  const std::string text =
      options.markdown ? RenderOpsReportMarkdown(report) : RenderOpsReportHtml(report);
  if (options.output.empty()) {
    WriteStdout(text);
  } else {
    WriteFile(options.output, text);
    WriteStdout("dbopt report: wrote " + options.output + "\n");
  }
  return kExitOk;
}

}  // namespace dbopt::cli
