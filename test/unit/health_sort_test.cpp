// SortFindings: severity, then check_id, then object name; stable for equal keys.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "catalog_builder.hpp"
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

// dbopt_health() asks the checks for their evidence as a JSON tape: the same findings, each
// with the tape of the evidence the text form writes.
TEST(HealthSortTest, TapeEvidenceMatchesTextEvidence) {
  test::CatalogBuilder b;
  Table& parent = b.AddTable("parent", {"id", "code"});
  b.AddIndex(parent, "parent_pkey", {"id"}).primary = true;
  Table& child = b.AddTable("Child \"x\"", {"id", "parent_id", "code", "note"});
  b.AddForeignKey(child, "child_parent_fk", {"parent_id"}, parent, {"id"});
  b.AddForeignKey(child, "child_code_fk", {"code", "parent_id"}, parent, {"code", "id"});
  b.AddIndex(child, "child_code", {"code"});
  b.AddIndex(child, "child_code_dup", {"code"});
  b.AddIndex(child, "child_note_code", {"note", "code"});
  b.AddIndex(child, "child_note", {"note"});
  b.catalog().stats_reset = "2026-11-01 00:00:00+00";
  b.catalog().stats_age_seconds = 12345.678;
  const Catalog& catalog = b.Build();
  class NoPredicates : public PredicateOracle {
   public:
    bool ImpliedByNotNull(const Index&, const std::vector<std::string>&) const override {
      return false;
    }
  } predicates;
  const std::vector<Finding> text = RunCatalogChecks(catalog, predicates);
  const std::vector<Finding> tape = RunCatalogChecks(catalog, predicates, JsonForm::kTape);
  ASSERT_EQ(text.size(), tape.size());
  size_t tapes = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    EXPECT_EQ(text[i].check_id, tape[i].check_id) << i;
    EXPECT_EQ(text[i].object_name, tape[i].object_name) << i;
    EXPECT_EQ(text[i].message, tape[i].message) << i;
    EXPECT_EQ(text[i].remediation, tape[i].remediation) << i;
    EXPECT_EQ(text[i].revert, tape[i].revert) << i;
    EXPECT_TRUE(text[i].detail_tape.empty()) << i;
    if (tape[i].detail_tape.empty()) {
      EXPECT_EQ(text[i].detail_json, tape[i].detail_json) << i;
    } else {
      ++tapes;
      EXPECT_TRUE(tape[i].detail_json.empty()) << i;
      EXPECT_EQ(JsonTapeToText(tape[i].detail_tape), text[i].detail_json) << i;
    }
  }
  // fk_unindexed (twice), index_duplicate, index_redundant, index_unused at least.
  EXPECT_GE(tapes, 4u);
}

}  // namespace
}  // namespace dbopt
