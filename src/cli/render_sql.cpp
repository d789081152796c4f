#include "cli/render_sql.hpp"

namespace dbopt::cli {

std::string RenderSql(const std::vector<Finding>& findings, const ReportContext& context) {
  std::string out =
      "-- dbopt health: remediation script for database \"" + OneLine(context.database) + "\"";
  if (!context.schema.empty()) out += ", schema \"" + OneLine(context.schema) + "\"";
  out +=
      "\n-- Review it, then run it outside a transaction block (each statement on its own):\n"
      "--   psql -v ON_ERROR_STOP=1 -f this-file.sql\n";
  if (findings.empty()) return out + "\n-- no findings: nothing to do\n";
  size_t number = 0;
  for (const Finding& finding : findings) {
    out += "\n-- " + std::to_string(++number) + ". [" + SeverityName(finding.severity) + "] " +
           OneLine(finding.check_id) + " on " + OneLine(finding.object_name) + ": " +
           OneLine(finding.message) + "\n";
    bool any = false;
    for (const std::string& statement : finding.remediation) {
      const std::string terminated = TerminatedStatement(statement);
      if (terminated.empty()) continue;
      out += terminated + "\n";
      any = true;
    }
    if (!any) out += "-- (no remediation statement: needs a decision)\n";
    for (const std::string& statement : finding.revert) {
      const std::string terminated = TerminatedStatement(statement);
      if (!terminated.empty()) out += "-- revert: " + OneLine(terminated) + "\n";
    }
  }
  return out;
}

}  // namespace dbopt::cli
