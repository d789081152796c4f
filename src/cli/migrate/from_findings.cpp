#include "cli/migrate/from_findings.hpp"

#include <algorithm>
#include <cctype>

#include "cli/report.hpp"

namespace dbopt::cli::migrate {
namespace {

bool IsDrop(const std::string& statement) {
  size_t begin = 0;
  while (begin < statement.size() && std::isspace(static_cast<unsigned char>(statement[begin])))
    ++begin;
  std::string word = statement.substr(begin, 5);
  std::transform(word.begin(), word.end(), word.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return word == "DROP " || word == "DROP\t" || word == "DROP\n";
}

// 0: builds, validates, rebuilds; 1: drops only.
int Phase(const Fix& fix) {
  return std::all_of(fix.remediation.begin(), fix.remediation.end(), IsDrop) ? 1 : 0;
}

std::string Label(size_t number, const Fix& fix) {
  return std::to_string(number) + ". " + OneLine(fix.check_id) + " on " + OneLine(fix.object_name);
}

}  // namespace

std::vector<Fix> SelectFixes(const std::vector<Finding>& findings, const MigrateOptions& options) {
  std::vector<Fix> fixes;
  for (const Finding& finding : FilterBySeverity(findings, options.min_severity)) {
    if (!options.checks.empty() && std::find(options.checks.begin(), options.checks.end(),
                                             finding.check_id) == options.checks.end())
      continue;
    if (std::none_of(finding.remediation.begin(), finding.remediation.end(),
                     [](const std::string& s) { return !TerminatedStatement(s).empty(); }))
      continue;
    fixes.push_back(finding);
  }
  return fixes;
}

std::vector<Fix> OrderFixes(std::vector<Fix> fixes) {
  std::stable_sort(fixes.begin(), fixes.end(),
                   [](const Fix& a, const Fix& b) { return Phase(a) < Phase(b); });
  std::vector<Fix> kept;
  std::vector<std::string> seen;
  for (Fix& fix : fixes) {
    bool all_seen = true;
    for (const std::string& statement : fix.remediation)
      if (std::find(seen.begin(), seen.end(), TerminatedStatement(statement)) == seen.end())
        all_seen = false;
    if (all_seen) continue;
    for (const std::string& statement : fix.remediation)
      seen.push_back(TerminatedStatement(statement));
    kept.push_back(std::move(fix));
  }
  return kept;
}

std::string RenderFixesMigration(const std::vector<Fix>& fixes, const std::string& name,
                                 const std::string& database) {
  std::string out = "-- " + name + ": fixes dbopt recommends for database \"" + OneLine(database) +
                    "\" (dbopt migrate from-findings).\n"
                    "-- Review before applying: `dbopt migrate up` runs the statements that "
                    "cannot run in a\n"
                    "-- transaction (CREATE INDEX CONCURRENTLY, ...) one by one.\n";
  for (size_t i = 0; i < fixes.size(); ++i)
    out += "--   " + Label(i + 1, fixes[i]) + " [" + SeverityName(fixes[i].severity) +
           "]: " + OneLine(fixes[i].message) + "\n";
  out += "\n-- dbopt:up\n";
  for (size_t i = 0; i < fixes.size(); ++i) {
    out += "\n-- " + Label(i + 1, fixes[i]) + "\n";
    for (const std::string& statement : fixes[i].remediation) {
      const std::string terminated = TerminatedStatement(statement);
      if (!terminated.empty()) out += terminated + "\n";
    }
  }
  out += "\n-- dbopt:down\n";
  for (size_t i = fixes.size(); i-- > 0;) {
    out += "\n-- " + Label(i + 1, fixes[i]) + "\n";
    bool any = false;
    for (size_t j = fixes[i].revert.size(); j-- > 0;) {
      const std::string terminated = TerminatedStatement(fixes[i].revert[j]);
      if (terminated.empty()) continue;
      out += terminated + "\n";
      any = true;
    }
    if (!any) out += "-- (no revert statement: this fix is not undone)\n";
  }
  return out;
}

}  // namespace dbopt::cli::migrate
