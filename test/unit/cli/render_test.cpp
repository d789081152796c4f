#include <gtest/gtest.h>

#include "cli/render_json.hpp"
#include "cli/render_sql.hpp"
#include "cli/render_text.hpp"

namespace dbopt::cli {
namespace {

Finding FkFinding() {
  Finding finding;
  finding.check_id = "fk_unindexed";
  finding.severity = Severity::kWarning;
  finding.object_type = "foreign key";
  finding.object_name = "public.orders.orders_customer_id_fkey";
  finding.message = "foreign key has no covering index";
  finding.detail_json = R"({"rows": 10, "columns": ["customer_id"]})";
  finding.remediation = {
      "CREATE INDEX CONCURRENTLY orders_customer_id_idx ON public.orders (customer_id)"};
  finding.revert = {"DROP INDEX CONCURRENTLY public.orders_customer_id_idx;"};
  return finding;
}

Finding NoPkFinding() {
  Finding finding;
  finding.check_id = "table_no_primary_key";
  finding.severity = Severity::kCritical;
  finding.object_type = "table";
  finding.object_name = "public.\"Event Log\"";
  finding.message = "table has no primary key";
  finding.detail_json = "";
  return finding;
}

ReportContext Context() {
  ReportContext context;
  context.database = "app";
  return context;
}

TEST(RenderJson, EmptyIsAnEmptyArray) {
  EXPECT_EQ(RenderJson({}), "[]\n");
}

TEST(RenderJson, OneObjectPerFindingWithDetailEmbedded) {
  EXPECT_EQ(
      RenderJson({FkFinding(), NoPkFinding()}),
      "[\n"
      R"j(  {"check_id": "fk_unindexed", "severity": "warning", "object_type": "foreign key", )j"
      R"j("object_name": "public.orders.orders_customer_id_fkey", )j"
      R"j("message": "foreign key has no covering index", )j"
      R"j("detail": {"rows": 10, "columns": ["customer_id"]}, )j"
      R"j("remediation": ["CREATE INDEX CONCURRENTLY orders_customer_id_idx ON public.orders (customer_id)"], )j"
      R"j("revert": ["DROP INDEX CONCURRENTLY public.orders_customer_id_idx;"]},)j"
      "\n"
      R"j(  {"check_id": "table_no_primary_key", "severity": "critical", "object_type": "table", )j"
      R"j("object_name": "public.\"Event Log\"", "message": "table has no primary key", )j"
      R"j("detail": null, "remediation": [], "revert": []})j"
      "\n]\n");
}

TEST(RenderJson, EscapesControlCharactersQuotesAndBackslashes) {
  Finding finding = NoPkFinding();
  finding.message = "tab\there \"q\" back\\slash\nnew\x01";
  const std::string json = RenderJson({finding});
  EXPECT_NE(json.find(R"("message": "tab\there \"q\" back\\slash\nnew\u0001")"), std::string::npos)
      << json;
}

TEST(RenderSql, ScriptHasACommentPerFindingAndTerminatedStatements) {
  EXPECT_EQ(RenderSql({FkFinding(), NoPkFinding()}, Context()),
            "-- dbopt health: remediation script for database \"app\"\n"
            "-- Review it, then run it outside a transaction block (each statement on its own):\n"
            "--   psql -v ON_ERROR_STOP=1 -f this-file.sql\n"
            "\n"
            "-- 1. [warning] fk_unindexed on public.orders.orders_customer_id_fkey: foreign key "
            "has no covering index\n"
            "CREATE INDEX CONCURRENTLY orders_customer_id_idx ON public.orders (customer_id);\n"
            "-- revert: DROP INDEX CONCURRENTLY public.orders_customer_id_idx;\n"
            "\n"
            "-- 2. [critical] table_no_primary_key on public.\"Event Log\": table has no primary "
            "key\n"
            "-- (no remediation statement: needs a decision)\n");
}

TEST(RenderSql, NoTransactionWrapperAndNothingToDoWhenClean) {
  const std::string script = RenderSql({}, Context());
  EXPECT_NE(script.find("-- no findings: nothing to do\n"), std::string::npos);
  const std::string full = RenderSql({FkFinding()}, Context());
  EXPECT_EQ(full.find("BEGIN"), std::string::npos);
  EXPECT_EQ(full.find("COMMIT"), std::string::npos);
}

TEST(RenderSql, ServerTextCannotEscapeItsComment) {
  Finding finding = FkFinding();
  finding.message = "line one\nDROP TABLE important;";
  finding.object_name = "x\r\ny";
  const std::string script = RenderSql({finding}, Context());
  EXPECT_NE(script.find("-- 1. [warning] fk_unindexed on x  y: line one DROP TABLE important;\n"),
            std::string::npos)
      << script;
  EXPECT_EQ(script.find("\nDROP TABLE"), std::string::npos);
}

TEST(RenderText, NoFindings) {
  EXPECT_EQ(RenderText({}, Context(), {}), "dbopt health: no findings in database \"app\"\n");
  ReportContext context = Context();
  context.schema = "sales";
  context.min_severity = Severity::kWarning;
  EXPECT_EQ(RenderText({}, context, {}),
            "dbopt health: no findings in schema \"sales\" of database \"app\" at or above "
            "warning\n");
}

TEST(RenderText, GroupsBySeverityWithTablesAndFixes) {
  EXPECT_EQ(RenderText({FkFinding(), NoPkFinding()}, Context(), {}),
            "dbopt health: 2 findings in database \"app\" (1 critical, 1 warning)\n"
            "\n"
            "CRITICAL (1)\n"
            "  #  check                 object              message\n"
            "  1  table_no_primary_key  public.\"Event Log\"  table has no primary key\n"
            "\n"
            "WARNING (1)\n"
            "  #  check         object                                 message\n"
            "  2  fk_unindexed  public.orders.orders_customer_id_fkey  foreign key has no "
            "covering index\n"
            "\n"
            "  fix (run each statement on its own, not in a transaction):\n"
            "  2  CREATE INDEX CONCURRENTLY orders_customer_id_idx ON public.orders "
            "(customer_id);\n");
}

TEST(RenderText, ColorsOnlyWhenAsked) {
  TextStyle style;
  EXPECT_EQ(RenderText({FkFinding()}, Context(), style).find('\033'), std::string::npos);
  style.color = true;
  const std::string colored = RenderText({FkFinding()}, Context(), style);
  EXPECT_NE(colored.find("\033[1;33mWARNING (1)\033[0m"), std::string::npos) << colored;
}

TEST(RenderText, WrapsMessagesButNeverStatements) {
  Finding finding = FkFinding();
  finding.message = "a rather long message that certainly does not fit in forty columns";
  TextStyle style;
  style.width = 60;
  const std::string text = RenderText({finding}, Context(), style);
  EXPECT_NE(text.find("  " + FkFinding().remediation[0] + ";\n"), std::string::npos) << text;
  size_t start = text.find("WARNING");
  const size_t end = text.find("\n\n", start);
  while (start < end) {  // every table line fits
    const size_t newline = text.find('\n', start);
    EXPECT_LE(newline - start, 60u) << text.substr(start, newline - start);
    start = newline + 1;
  }
}

TEST(RenderText, MultiLineStatementsStayAligned) {
  Finding finding = FkFinding();
  finding.remediation = {"ALTER TABLE t\n  ADD x int", "VACUUM t;"};
  const std::string text = RenderText({finding}, Context(), {});
  EXPECT_NE(text.find("  1  ALTER TABLE t\n       ADD x int;\n     VACUUM t;\n"), std::string::npos)
      << text;
}

}  // namespace
}  // namespace dbopt::cli
