// The sql format of `dbopt health`: a script of every remediation statement, each on its
// own line(s) ending with ";", preceded by a comment naming its finding. No transaction
// wrapper: CREATE INDEX CONCURRENTLY and friends cannot run inside one.
#pragma once
#include <string>
#include <vector>

#include "cli/report.hpp"

namespace dbopt::cli {

std::string RenderSql(const std::vector<Finding>& findings, const ReportContext& context);

}  // namespace dbopt::cli
