// What every output format shares: the findings to show and where they came from.
#pragma once
#include <string>
#include <vector>

#include "core/health/finding.hpp"

namespace dbopt::cli {

struct ReportContext {
  std::string database;  // current database, for headers
  std::string schema;    // "" when every schema was checked
  Severity min_severity = Severity::kInfo;
};

// Severity is ordered critical < warning < info: "at least" means as severe or more.
inline bool AtLeast(Severity severity, Severity threshold) {
  return severity <= threshold;
}

std::vector<Finding> FilterBySeverity(const std::vector<Finding>& findings, Severity threshold);
// Most severe first, keeping the server's order within a severity, so that the numbers of
// the text and sql formats match.
std::vector<Finding> SortedBySeverity(std::vector<Finding> findings);

// A remediation statement as a script line: trimmed, ending with exactly one ";" (on a
// line of its own when the last line holds a "--" comment). Empty if there is no statement.
std::string TerminatedStatement(const std::string& statement);

// Text fit for one comment line: control characters (newlines included) become spaces.
std::string OneLine(const std::string& text);

}  // namespace dbopt::cli
