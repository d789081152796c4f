// `dbopt migrate lint`: sections, offline lint of a file, exit status, text and JSON.
#include <gtest/gtest.h>

#include "cli/exit_codes.hpp"
#include "cli/migrate/lint_report.hpp"

namespace dbopt::cli {
namespace {

using dbopt::migrate::LintFinding;
using dbopt::migrate::Severity;

TEST(LintSections, PlainFileIsOneSection) {
  const auto sections = SplitLintSections("CREATE TABLE a (id int);\n");
  ASSERT_EQ(sections.size(), 1u);
  EXPECT_EQ(sections[0].label, "");
  EXPECT_EQ(sections[0].first_line, 1);
  EXPECT_EQ(sections[0].sql, "CREATE TABLE a (id int);\n");
}

TEST(LintSections, MarkersSplitUpAndDownKeepingFileLines) {
  const auto sections = SplitLintSections(
      "-- add a column\n--  DBOPT:Up \nALTER TABLE a ADD b int;\n\n-- dbopt:down\r\n"
      "ALTER TABLE a DROP b;");
  ASSERT_EQ(sections.size(), 2u);
  EXPECT_EQ(sections[0].label, "up");
  EXPECT_EQ(sections[0].first_line, 2);
  EXPECT_EQ(sections[0].sql, "\nALTER TABLE a ADD b int;\n\n");
  EXPECT_EQ(sections[1].label, "down");
  EXPECT_EQ(sections[1].first_line, 5);
  EXPECT_EQ(sections[1].sql, "\nALTER TABLE a DROP b;\n");
  // A marker-looking comment with more words is an ordinary comment.
  EXPECT_EQ(SplitLintSections("-- dbopt:up later\nSELECT 1;").at(0).label, "");
}

TEST(LintOffline, FindingsCarryFileLinesPerSection) {
  const LintedFile file =
      LintContentOffline("m.sql",
                         "-- dbopt:up\nCREATE INDEX orders_c_idx ON orders (c);\n-- dbopt:down\n\n"
                         "DROP INDEX orders_c_idx;\n");
  ASSERT_EQ(file.sections.size(), 2u);
  ASSERT_FALSE(file.sections[0].findings.empty());
  EXPECT_EQ(file.sections[0].findings[0].rule_id, "index-without-concurrently");
  EXPECT_EQ(file.sections[0].findings[0].line, 2);
  ASSERT_FALSE(file.sections[1].findings.empty());
  EXPECT_EQ(file.sections[1].findings[0].rule_id, "drop-index-without-concurrently");
  EXPECT_EQ(file.sections[1].findings[0].line, 5);
}

TEST(LintOffline, TableCreatedEarlierInTheSectionIsNew) {
  const LintedFile file = LintContentOffline(
      "new.sql",
      "CREATE TABLE t (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, a text);\n"
      "CREATE INDEX t_a_idx ON t (a);\nALTER TABLE t ADD COLUMN b int NOT NULL;\n");
  ASSERT_EQ(file.sections.size(), 1u);
  for (const LintFinding& finding : file.sections[0].findings) {
    EXPECT_NE(finding.rule_id, "index-without-concurrently");
    EXPECT_NE(finding.rule_id, "not-null-column-without-default");
  }
}

TEST(LintOffline, SyntaxErrorNamesTheLineAndLintsNothing) {
  const LintedFile file =
      LintContentOffline("bad.sql", "-- dbopt:up\nCREATE INDEX i ON t (a);\nALTER TABLE t ADD;\n");
  ASSERT_EQ(file.sections.size(), 1u);
  EXPECT_FALSE(file.sections[0].parsed);
  EXPECT_EQ(file.sections[0].error_line, 3);
  EXPECT_TRUE(file.sections[0].findings.empty());
  const LintTotals totals = CountLint({file}, Severity::kError);
  EXPECT_EQ(totals.unparsed_sections, 1);
  EXPECT_EQ(LintExitStatus(totals), kExitUsage);
  EXPECT_EQ(RenderLintText({file}, Severity::kError, false, TextStyle{}),
            "dbopt migrate lint: no findings in 1 file; 1 section did not parse\n");
  EXPECT_EQ(LintSyntaxErrors({file}),
            std::vector<std::string>{"bad.sql:3 (up): syntax error at or near \";\" (nothing in "
                                     "this section was linted)"});
}

LintedFile Fake() {
  LintedFile file;
  file.path = "a.sql";
  LintedSection section;
  LintFinding warning;
  warning.line = 3;
  warning.statement_number = 2;
  warning.rule_id = "rule-w";
  warning.severity = Severity::kWarning;
  warning.object_name = "public.t";
  warning.message = "w \"message\"";
  warning.explanation = "because";
  warning.safe_alternative = "SET lock_timeout = '5s';\nALTER TABLE t ...;";
  LintFinding info = warning;
  info.line = 9;
  info.rule_id = "rule-i";
  info.severity = Severity::kInfo;
  info.safe_alternative = "";
  section.findings = {warning, info};
  file.sections.push_back(section);
  return file;
}

TEST(LintReport, SeverityAndExitStatus) {
  Severity severity = Severity::kError;
  EXPECT_TRUE(ParseLintSeverity("Warning", &severity));
  EXPECT_EQ(severity, Severity::kWarning);
  EXPECT_TRUE(ParseLintSeverity("info", &severity));
  EXPECT_EQ(severity, Severity::kInfo);
  EXPECT_FALSE(ParseLintSeverity("critical", &severity));
  const std::vector<LintedFile> files = {Fake()};
  EXPECT_EQ(LintExitStatus(CountLint(files, Severity::kError)), kExitOk);
  EXPECT_EQ(LintExitStatus(CountLint(files, Severity::kWarning)), kExitFindings);
  EXPECT_EQ(CountLint(files, Severity::kInfo).at_or_above, 2);
  EXPECT_EQ(LintExitStatus(CountLint({}, Severity::kInfo)), kExitOk);
}

TEST(LintReport, Text) {
  const std::string text = RenderLintText({Fake()}, Severity::kWarning, false, TextStyle{});
  EXPECT_EQ(text,
            "a.sql:3: warning [rule-w] w \"message\"\n"
            "  safe alternative:\n"
            "    SET lock_timeout = '5s';\n"
            "    ALTER TABLE t ...;\n"
            "a.sql:9: info [rule-i] w \"message\"\n"
            "\n"
            "dbopt migrate lint: 2 findings in 1 file (0 error, 1 warning, 1 info; 1 at or above "
            "warning)\n");
  EXPECT_EQ(RenderLintText({}, Severity::kError, true, TextStyle{}),
            "dbopt migrate lint --online: no findings in 0 files\n");
  const std::string colored = RenderLintText({Fake()}, Severity::kWarning, false, {true, 0});
  EXPECT_NE(colored.find("\033[1;33mwarning\033[0m"), std::string::npos);
}

TEST(LintReport, Json) {
  EXPECT_EQ(RenderLintJson({Fake()}, Severity::kWarning, true),
            "{\"mode\": \"online\", \"fail_on\": \"warning\", \"files_checked\": 1, "
            "\"summary\": {\"findings\": 2, \"error\": 0, \"warning\": 1, \"info\": 1, "
            "\"at_or_above_fail_on\": 1, \"syntax_errors\": 0},\n"
            "\"findings\": [\n"
            "  {\"file\": \"a.sql\", \"section\": null, \"line\": 3, \"statement\": 2, "
            "\"rule_id\": \"rule-w\", \"severity\": \"warning\", \"object\": \"public.t\", "
            "\"message\": \"w \\\"message\\\"\", \"explanation\": \"because\", "
            "\"safe_alternative\": \"SET lock_timeout = '5s';\\nALTER TABLE t ...;\"},\n"
            "  {\"file\": \"a.sql\", \"section\": null, \"line\": 9, \"statement\": 2, "
            "\"rule_id\": \"rule-i\", \"severity\": \"info\", \"object\": \"public.t\", "
            "\"message\": \"w \\\"message\\\"\", \"explanation\": \"because\", "
            "\"safe_alternative\": null}\n"
            "],\n"
            "\"errors\": []}\n");
  const LintedFile bad = LintContentOffline("b.sql", "SELECT 1;\nSELEC 2;\n");
  const std::string json = RenderLintJson({bad}, Severity::kError, false);
  EXPECT_NE(json.find("\"errors\": [\n  {\"file\": \"b.sql\", \"section\": null, \"line\": 2, "
                      "\"message\": \"syntax error at or near \\\"SELEC\\\"\"}\n]}"),
            std::string::npos)
      << json;
}

}  // namespace
}  // namespace dbopt::cli
