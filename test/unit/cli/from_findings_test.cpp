#include "cli/migrate/from_findings.hpp"

#include <gtest/gtest.h>

#include "cli/args.hpp"

namespace dbopt::cli::migrate {
namespace {

Fix MakeFix(const std::string& check, Severity severity, const std::string& object,
            std::vector<std::string> remediation, std::vector<std::string> revert) {
  Fix fix;
  fix.check_id = check;
  fix.severity = severity;
  fix.object_name = object;
  fix.message = "message of " + object;
  fix.remediation = std::move(remediation);
  fix.revert = std::move(revert);
  return fix;
}

std::vector<Finding> Findings() {
  return {
      MakeFix("index_redundant", Severity::kInfo, "public.t_a_idx",
              {"DROP INDEX CONCURRENTLY IF EXISTS public.t_a_idx"},
              {"CREATE INDEX CONCURRENTLY IF NOT EXISTS t_a_idx ON public.t USING btree (a)"}),
      MakeFix("fk_unindexed", Severity::kWarning, "public.t.t_c_fkey",
              {"CREATE INDEX CONCURRENTLY IF NOT EXISTS t_c_idx ON public.t (c)"},
              {"DROP INDEX CONCURRENTLY IF EXISTS public.t_c_idx"}),
      MakeFix("table_no_primary_key", Severity::kWarning, "public.log", {}, {}),
      MakeFix("constraint_not_valid", Severity::kCritical, "public.t.t_check",
              {"ALTER TABLE public.t VALIDATE CONSTRAINT t_check;"}, {}),
      MakeFix("fk_unindexed", Severity::kWarning, "public.p.p_c_fkey",
              {"CREATE INDEX IF NOT EXISTS p_c_idx ON ONLY public.p (c)",
               "CREATE INDEX CONCURRENTLY IF NOT EXISTS p1_c_idx ON public.p1 (c)",
               "ALTER INDEX public.p_c_idx ATTACH PARTITION public.p1_c_idx"},
              {"DROP INDEX IF EXISTS public.p_c_idx"}),
  };
}

TEST(FromFindings, SelectsFindingsWithARemediation) {
  MigrateOptions options;
  std::vector<Fix> fixes = SelectFixes(Findings(), options);
  ASSERT_EQ(fixes.size(), 4u);  // not the table without a primary key
  for (const Fix& fix : fixes) EXPECT_NE(fix.check_id, "table_no_primary_key");
  options.min_severity = Severity::kWarning;
  EXPECT_EQ(SelectFixes(Findings(), options).size(), 3u);
  options.checks = {"fk_unindexed"};
  fixes = SelectFixes(Findings(), options);
  ASSERT_EQ(fixes.size(), 2u);
  EXPECT_EQ(fixes[0].object_name, "public.t.t_c_fkey");
  options.checks = {"nothing_like_it"};
  EXPECT_TRUE(SelectFixes(Findings(), options).empty());
}

TEST(FromFindings, BuildsBeforeDropsAndWritesEachStatementOnce) {
  std::vector<Fix> fixes = SelectFixes(Findings(), MigrateOptions());
  Fix advisor = MakeFix("advisor_index", Severity::kInfo, "public.t_c_idx",
                        {"CREATE INDEX CONCURRENTLY IF NOT EXISTS t_c_idx ON public.t (c)"},
                        {"DROP INDEX CONCURRENTLY IF EXISTS public.t_c_idx"});
  fixes.push_back(advisor);  // the same index as fk_unindexed: written once
  fixes = OrderFixes(fixes);
  ASSERT_EQ(fixes.size(), 4u);
  EXPECT_EQ(fixes[0].object_name, "public.t.t_c_fkey");
  EXPECT_EQ(fixes[1].object_name, "public.t.t_check");
  EXPECT_EQ(fixes[2].object_name, "public.p.p_c_fkey");
  EXPECT_EQ(fixes[3].object_name, "public.t_a_idx");  // the drop last
}

TEST(FromFindings, RendersUpInOrderAndDownReversed) {
  const std::vector<Fix> fixes = OrderFixes(SelectFixes(Findings(), MigrateOptions()));
  const std::string text = RenderFixesMigration(fixes, "dbopt_remediations", "app");
  const size_t up = text.find("\n-- dbopt:up\n");
  const size_t down = text.find("\n-- dbopt:down\n");
  ASSERT_NE(up, std::string::npos);
  ASSERT_NE(down, std::string::npos);
  ASSERT_LT(up, down);
  EXPECT_EQ(text.rfind("-- dbopt_remediations: fixes dbopt recommends for database \"app\"", 0),
            0u);
  EXPECT_NE(
      text.find("--   4. index_redundant on public.t_a_idx [info]: message of public.t_a_idx"),
      std::string::npos);
  const std::string up_text = text.substr(up, down - up);
  const std::string down_text = text.substr(down);
  const char* up_order[] = {
      "CREATE INDEX CONCURRENTLY IF NOT EXISTS t_c_idx ON public.t (c);",
      "ALTER TABLE public.t VALIDATE CONSTRAINT t_check;",
      "CREATE INDEX IF NOT EXISTS p_c_idx ON ONLY public.p (c);",
      "CREATE INDEX CONCURRENTLY IF NOT EXISTS p1_c_idx ON public.p1 (c);",
      "ALTER INDEX public.p_c_idx ATTACH PARTITION public.p1_c_idx;",
      "DROP INDEX CONCURRENTLY IF EXISTS public.t_a_idx;",
  };
  size_t at = 0;
  for (const char* statement : up_order) {
    const size_t found = up_text.find(std::string("\n") + statement + "\n", at);
    EXPECT_NE(found, std::string::npos) << statement;
    if (found != std::string::npos) at = found;
  }
  const char* down_order[] = {
      "CREATE INDEX CONCURRENTLY IF NOT EXISTS t_a_idx ON public.t USING btree (a);",
      "DROP INDEX IF EXISTS public.p_c_idx;",
      "-- 2. constraint_not_valid on public.t.t_check\n-- (no revert statement",
      "DROP INDEX CONCURRENTLY IF EXISTS public.t_c_idx;",
  };
  at = 0;
  for (const char* statement : down_order) {
    const size_t found = down_text.find(statement, at);
    EXPECT_NE(found, std::string::npos) << statement;
    if (found != std::string::npos) at = found;
  }
}

}  // namespace
}  // namespace dbopt::cli::migrate
