#include "cli/report.hpp"

#include <algorithm>

namespace dbopt::cli {

std::vector<Finding> FilterBySeverity(const std::vector<Finding>& findings, Severity threshold) {
  std::vector<Finding> kept;
  for (const Finding& finding : findings)
    if (AtLeast(finding.severity, threshold)) kept.push_back(finding);
  return kept;
}

std::vector<Finding> SortedBySeverity(std::vector<Finding> findings) {
  std::stable_sort(findings.begin(), findings.end(),
                   [](const Finding& a, const Finding& b) { return a.severity < b.severity; });
  return findings;
}

std::string TerminatedStatement(const std::string& statement) {
  const char* const kSpace = " \t\r\n\f\v";
  std::string text = statement;
  for (;;) {
    const size_t end = text.find_last_not_of(kSpace);
    if (end == std::string::npos) return "";
    text.erase(end + 1);
    if (text.back() != ';') break;
    text.pop_back();
  }
  text.erase(0, text.find_first_not_of(kSpace));
  const size_t last_line = text.rfind('\n');
  const bool comment_at_end =
      text.find("--", last_line == std::string::npos ? 0 : last_line) != std::string::npos;
  return text + (comment_at_end ? "\n;" : ";");
}

std::string OneLine(const std::string& text) {
  std::string line = text;
  for (char& c : line)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  return line;
}

}  // namespace dbopt::cli
