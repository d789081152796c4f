// SortFindings: severity, then check_id, then object name; stable for equal keys.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "core/health/health.hpp"

namespace dbopt {
namespace {

Finding Make(Severity severity, const std::string& check, const std::string& object,
             const std::string& message) {
  Finding finding;
  finding.severity = severity;
  finding.check_id = check;
  finding.object_name = object;
  finding.message = message;
  return finding;
}

TEST(HealthSortTest, OrdersBySeverityCheckAndNameKeepingTies) {
  std::vector<Finding> findings;
  const Severity severities[] = {Severity::kInfo, Severity::kWarning, Severity::kCritical};
  const char* checks[] = {"index_unused", "fk_unindexed", "index_duplicate", "a", "fk_unindexedx"};
  // A deterministic mix, with repeated (severity, check, name) keys to test stability.
  for (int i = 0; i < 300; ++i) {
    findings.push_back(Make(severities[(i * 7) % 3], checks[(i * 5) % 5],
                            "s.t" + std::to_string((i * 13) % 40), std::to_string(i)));
  }
  std::vector<Finding> expected = findings;
  std::stable_sort(expected.begin(), expected.end(), [](const Finding& a, const Finding& b) {
    if (a.severity != b.severity) return a.severity < b.severity;
    if (a.check_id != b.check_id) return a.check_id < b.check_id;
    return a.object_name < b.object_name;
  });
  SortFindings(findings);
  ASSERT_EQ(findings.size(), expected.size());
  for (size_t i = 0; i < findings.size(); ++i) {
    EXPECT_EQ(findings[i].severity, expected[i].severity) << i;
    EXPECT_EQ(findings[i].check_id, expected[i].check_id) << i;
    EXPECT_EQ(findings[i].object_name, expected[i].object_name) << i;
    EXPECT_EQ(findings[i].message, expected[i].message) << i;  // ties keep their order
  }
  std::vector<Finding> none;
  SortFindings(none);
  EXPECT_TRUE(none.empty());
}

// Findings are moved into place cycle by cycle: reversed input (pairs swapped) and sorted
// input (every finding already in place) end up sorted with each finding intact.
TEST(HealthSortTest, ReversedAndSortedInputs) {
  std::vector<Finding> findings;
  for (int i = 0; i < 9; ++i)
    findings.push_back(Make(Severity::kInfo, "index_unused", "s.t" + std::to_string(8 - i),
                            "m" + std::to_string(8 - i)));
  SortFindings(findings);
  for (int i = 0; i < 9; ++i) {
    EXPECT_EQ(findings[i].object_name, "s.t" + std::to_string(i));
    EXPECT_EQ(findings[i].message, "m" + std::to_string(i));
  }
  SortFindings(findings);
  for (int i = 0; i < 9; ++i) EXPECT_EQ(findings[i].message, "m" + std::to_string(i));
}

}  // namespace
}  // namespace dbopt
