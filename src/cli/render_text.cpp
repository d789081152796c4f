#include "cli/render_text.hpp"

#include <cctype>

#include "cli/terminal.hpp"
#include "cli/text_layout.hpp"

namespace dbopt::cli {
namespace {

std::string Upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

std::string Plural(size_t n, const char* noun) {
  return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

std::string Scope(const ReportContext& context) {
  std::string scope = "database \"" + context.database + "\"";
  if (!context.schema.empty()) scope = "schema \"" + context.schema + "\" of " + scope;
  return scope;
}

const Severity kSeverities[] = {Severity::kCritical, Severity::kWarning, Severity::kInfo};

}  // namespace

std::string RenderText(const std::vector<Finding>& findings, const ReportContext& context,
                       const TextStyle& style) {
  std::string out = "dbopt health: ";
  if (findings.empty()) {
    out += "no findings in " + Scope(context);
    if (context.min_severity != Severity::kInfo)
      out += std::string(" at or above ") + SeverityName(context.min_severity);
    return out + "\n";
  }
  std::string counts;
  for (Severity severity : kSeverities) {
    size_t n = 0;
    for (const Finding& finding : findings) n += finding.severity == severity;
    if (n == 0) continue;
    counts += (counts.empty() ? "" : ", ") + std::to_string(n) + " " + SeverityName(severity);
  }
  const std::string summary =
      out + Plural(findings.size(), "finding") + " in " + Scope(context) + " (" + counts + ")";
  out.clear();
  for (const std::string& line : WrapText(summary, style.width)) out += line + "\n";

  const std::vector<TableColumn> columns = {
      {"#", 0}, {"check", 24}, {"object", 36}, {"message", 0}};
  size_t number = 0;
  const size_t id_width = std::to_string(findings.size()).size();
  for (Severity severity : kSeverities) {
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> fixes;
    for (const Finding& finding : findings) {
      if (finding.severity != severity) continue;
      const std::string id = std::to_string(++number);
      rows.push_back({id, finding.check_id, finding.object_name, finding.message});
      std::string margin = "  " + id + std::string(id_width - id.size() + 2, ' ');
      for (const std::string& statement : finding.remediation) {
        const std::string terminated = TerminatedStatement(statement);
        if (terminated.empty()) continue;
        for (const std::string& line : WrapText(terminated, 0)) {
          fixes.push_back(margin + line);
          margin = std::string(margin.size(), ' ');
        }
      }
    }
    if (rows.empty()) continue;
    out += "\n" +
           Paint(Upper(SeverityName(severity)) + " (" + std::to_string(rows.size()) + ")",
                 SeverityColor(severity), style.color) +
           "\n";
    const std::vector<std::string> table = LayoutTable(columns, rows, style.width, "  ");
    for (size_t i = 0; i < table.size(); ++i)
      out += (i == 0 ? Paint(table[i], kBold, style.color) : table[i]) + "\n";
    if (!fixes.empty()) {
      out +=
          "\n  " +
          Paint("fix (run each statement on its own, not in a transaction):", kBold, style.color) +
          "\n";
      for (const std::string& line : fixes) out += line + "\n";
    }
  }
  return out;
}

}  // namespace dbopt::cli
