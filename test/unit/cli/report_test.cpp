#include "cli/report.hpp"

#include <gtest/gtest.h>

#include "cli/terminal.hpp"

namespace dbopt::cli {
namespace {

TEST(FilterBySeverity, KeepsFindingsAtOrAboveTheThreshold) {
  std::vector<Finding> findings(3);
  findings[0].severity = Severity::kInfo;
  findings[1].severity = Severity::kCritical;
  findings[2].severity = Severity::kWarning;
  EXPECT_EQ(FilterBySeverity(findings, Severity::kInfo).size(), 3u);
  EXPECT_EQ(FilterBySeverity(findings, Severity::kWarning).size(), 2u);
  const auto critical = FilterBySeverity(findings, Severity::kCritical);
  ASSERT_EQ(critical.size(), 1u);
  EXPECT_EQ(critical[0].severity, Severity::kCritical);
}

TEST(SortedBySeverity, MostSevereFirstStableWithin) {
  std::vector<Finding> findings(4);
  findings[0].severity = Severity::kInfo;
  findings[0].check_id = "i";
  findings[1].severity = Severity::kWarning;
  findings[1].check_id = "w1";
  findings[2].severity = Severity::kCritical;
  findings[2].check_id = "c";
  findings[3].severity = Severity::kWarning;
  findings[3].check_id = "w2";
  std::string order;
  for (const Finding& finding : SortedBySeverity(findings)) order += finding.check_id + " ";
  EXPECT_EQ(order, "c w1 w2 i ");
}

TEST(TerminatedStatement, EndsWithExactlyOneSemicolon) {
  EXPECT_EQ(TerminatedStatement("VACUUM t"), "VACUUM t;");
  EXPECT_EQ(TerminatedStatement("  VACUUM t ;; \n"), "VACUUM t;");
  EXPECT_EQ(TerminatedStatement(" ; "), "");
  EXPECT_EQ(TerminatedStatement(""), "");
  EXPECT_EQ(TerminatedStatement("SELECT 1 -- note"), "SELECT 1 -- note\n;");
  EXPECT_EQ(TerminatedStatement("SELECT 1 -- note\nFROM t"), "SELECT 1 -- note\nFROM t;");
}

TEST(OneLine, ReplacesControlCharacters) {
  EXPECT_EQ(OneLine("a\nb\r\tc"), "a b  c");
  EXPECT_EQ(OneLine("b\xC3\xA4r"), "b\xC3\xA4r");  // UTF-8 untouched
}

TEST(UseColor, TerminalOnlyAndNoColorWins) {
  EXPECT_TRUE(UseColor(ColorMode::kAuto, true, nullptr, "xterm"));
  EXPECT_FALSE(UseColor(ColorMode::kAuto, false, nullptr, "xterm"));
  EXPECT_FALSE(UseColor(ColorMode::kAuto, true, "1", "xterm"));
  EXPECT_TRUE(UseColor(ColorMode::kAuto, true, "", "xterm"));  // empty NO_COLOR: unset
  EXPECT_FALSE(UseColor(ColorMode::kAuto, true, nullptr, "dumb"));
  EXPECT_TRUE(UseColor(ColorMode::kAlways, false, "1", nullptr));
  EXPECT_FALSE(UseColor(ColorMode::kNever, true, nullptr, "xterm"));
}

TEST(OutputWidth, TerminalWidthColumnsOrNoWrapping) {
  EXPECT_EQ(OutputWidth(true, 120, nullptr), 120u);
  EXPECT_EQ(OutputWidth(false, 0, nullptr), 0u);
  EXPECT_EQ(OutputWidth(false, 0, "80"), 80u);
  EXPECT_EQ(OutputWidth(true, 120, "90"), 90u);
  EXPECT_EQ(OutputWidth(true, 120, "wide"), 120u);
  EXPECT_EQ(OutputWidth(true, 0, nullptr), 0u);
}

}  // namespace
}  // namespace dbopt::cli
