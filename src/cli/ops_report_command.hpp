// `dbopt report`: connects, reads the history, writes the HTML or Markdown report.
#pragma once
#include "cli/args.hpp"

namespace dbopt::cli {

int RunReport(const ReportOptions& options);

}  // namespace dbopt::cli
