#include <gtest/gtest.h>

#include "cli/advise_render.hpp"
#include "cli/advise_report.hpp"
#include "cli/args.hpp"
#include "cli/exit_codes.hpp"
#include "usage_message.hpp"
#include "cli/help.hpp"

namespace dbopt::cli {
namespace {

TEST(ParseAdvise, Defaults) {
  const Command command = ParseCommandLine({"advise"});
  ASSERT_EQ(command.kind, Command::Kind::kAdvise);
  const AdviseOptions& advise = command.advise;
  EXPECT_EQ(advise.budget, "");
  EXPECT_EQ(advise.max_indexes, 10);
  EXPECT_EQ(advise.max_columns, 3);
  EXPECT_EQ(advise.algorithm, "dbopt");
  EXPECT_EQ(advise.min_calls, 1);
  EXPECT_EQ(advise.min_benefit_per_size, "");  // the server's default
  EXPECT_FALSE(advise.apply);
  EXPECT_EQ(advise.format, OutputFormat::kText);
}

TEST(ParseAdvise, EveryOption) {
  const Command command = ParseCommandLine({"advise",
                                            "dbname=app",
                                            "-h",
                                            "db1",
                                            "-p",
                                            "5433",
                                            "-U",
                                            "me",
                                            "-w",
                                            "--budget=500MB",
                                            "--max-indexes",
                                            "4",
                                            "--max-columns=2",
                                            "--algorithm",
                                            "Extend",
                                            "--min-calls",
                                            "25",
                                            "--min-benefit-per-size=0.05",
                                            "--apply",
                                            "-F",
                                            "json",
                                            "--color",
                                            "never"});
  ASSERT_EQ(command.kind, Command::Kind::kAdvise);
  const AdviseOptions& advise = command.advise;
  EXPECT_EQ(advise.connection.conninfo, "dbname=app");
  EXPECT_EQ(advise.connection.host, "db1");
  EXPECT_EQ(advise.connection.port, "5433");
  EXPECT_EQ(advise.connection.username, "me");
  EXPECT_EQ(advise.connection.password_prompt, PasswordPrompt::kNever);
  EXPECT_EQ(advise.budget, "500MB");
  EXPECT_EQ(advise.max_indexes, 4);
  EXPECT_EQ(advise.max_columns, 2);
  EXPECT_EQ(advise.algorithm, "extend");
  EXPECT_EQ(advise.min_calls, 25);
  EXPECT_EQ(advise.min_benefit_per_size, "0.05");
  EXPECT_EQ(ParseCommandLine({"advise", "--min-benefit-per-size", "0"}).advise.min_benefit_per_size,
            "0");
  EXPECT_TRUE(advise.apply);
  EXPECT_EQ(advise.format, OutputFormat::kJson);
  EXPECT_EQ(advise.color, ColorMode::kNever);
  EXPECT_EQ(ParseCommandLine({"advise", "--max-indexes=unlimited"}).advise.max_indexes,
            AdviseOptions::kNoLimit);
  EXPECT_EQ(ParseCommandLine({"advise", "--budget=Unlimited"}).advise.budget, "");
  EXPECT_FALSE(ParseCommandLine({"advise", "--dry-run"}).advise.apply);
  EXPECT_EQ(ParseCommandLine({"advise", "-F", "sql"}).advise.format, OutputFormat::kSql);
  const Command help = ParseCommandLine({"advise", "--apply", "--help"});
  EXPECT_EQ(help.kind, Command::Kind::kHelp);
  EXPECT_EQ(help.help_topic, "advise");
  EXPECT_EQ(ParseCommandLine({"help", "advise"}).help_topic, "advise");
}

TEST(ParseAdvise, BadArguments) {
  EXPECT_EQ(
      UsageMessage({"advise", "--max-indexes", "0"}),
      "invalid value \"0\" for --max-indexes (expected a whole number of indexes, at least 1)");
  EXPECT_EQ(
      UsageMessage({"advise", "--max-columns=x"}),
      "invalid value \"x\" for --max-columns (expected a whole number of columns, at least 1)");
  EXPECT_EQ(UsageMessage({"advise", "--min-calls=-3"}),
            "invalid value \"-3\" for --min-calls (expected a whole number of calls, at least 1)");
  for (const char* bad : {"-0.1", "x", "", "1e999", "0.1x"})
    EXPECT_EQ(UsageMessage({"advise", std::string("--min-benefit-per-size=") + bad}),
              std::string("invalid value \"") + bad +
                  "\" for --min-benefit-per-size (expected a number, at least 0)");
  EXPECT_EQ(UsageMessage({"advise", "--budget="}), "--budget needs a size, e.g. --budget=500MB");
  EXPECT_EQ(UsageMessage({"advise", "--budget"}), "option \"--budget\" needs a value");
  EXPECT_EQ(UsageMessage({"advise", "--apply", "--dry-run"}),
            "--apply and --dry-run exclude each other");
  EXPECT_EQ(UsageMessage({"advise", "--apply", "-F", "sql"}),
            "--apply runs the statements itself: use --format text or json with it");
  EXPECT_EQ(UsageMessage({"advise", "--limit=3"}), "unknown option \"--limit\"");
  EXPECT_EQ(UsageMessage({"advise", "--apply=yes"}), "option \"--apply\" takes no value");
  EXPECT_EQ(UsageMessage({"advise", "a", "b"}),
            "too many arguments: \"b\" (give one connection string; quote it if it contains "
            "spaces)");
}

TEST(AdviseHelp, DocumentsEveryOption) {
  const std::string help = HelpText("advise");
  for (const std::string& spelling : AdviseOptionSpellings())
    EXPECT_NE(help.find(spelling), std::string::npos) << spelling << " is not in the help";
  EXPECT_NE(HelpText("").find("advise"), std::string::npos);
}

AdviseReport SampleReport() {
  AdviseReport report;
  report.database = "shop";
  report.summary.algorithm = "dbopt";
  report.summary.queries = 3;
  report.summary.skipped_queries = 1;
  report.summary.recommendations = 1;
  report.summary.cost_before = 12345.678;
  report.summary.cost_after = 123.4;
  report.summary.improvement_pct = 99;
  report.summary.bytes_used = 2 * 1024 * 1024;
  report.summary.planner_calls = 42;
  report.summary.elapsed_ms = 12.5;
  AdvisedIndex index;
  index.rank = 1;
  index.index_name = "shop.orders_customer_id_idx";
  index.table_name = "shop.orders";
  index.kind = "single";
  index.estimated_bytes = 2 * 1024 * 1024;
  index.benefit = 12222.3;
  index.queries.push_back(
      {"-9223372036854775807", "SELECT *\n  FROM orders WHERE customer_id = $1", 40, 1834.5, 8.04});
  index.remediation = {
      "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_id_idx ON shop.orders "
      "(customer_id)"};
  index.revert = {"DROP INDEX CONCURRENTLY IF EXISTS shop.orders_customer_id_idx"};
  report.indexes.push_back(index);
  return report;
}

TEST(RenderAdvise, Text) {
  const std::string text = RenderAdviseText(SampleReport(), TextStyle{});
  EXPECT_NE(text.find("dbopt advise: 1 index recommended for database \"shop\" (algorithm dbopt, "
                      "3 queries advised on, 1 skipped)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("weighted workload cost 12346 -> 123 (-99.0%)"), std::string::npos) << text;
  EXPECT_NE(text.find("shop.orders_customer_id_idx  shop.orders  single  2.0 MB    12222"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("-9223372036854775807     40         1834        8.04  SELECT * FROM orders "
                      "WHERE customer_id = $1"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("  1  CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_id_idx ON "
                      "shop.orders (customer_id);\n"),
            std::string::npos)
      << text;

  AdviseReport applied = SampleReport();
  applied.applied = true;
  applied.indexes[0].outcome.status = ApplyOutcome::Status::kFailed;
  applied.indexes[0].outcome.error = "could not create unique index";
  applied.indexes[0].outcome.dropped = {"shop.orders_customer_id_idx"};
  const std::string failed = RenderAdviseText(applied, TextStyle{});
  EXPECT_NE(failed.find("1  shop.orders_customer_id_idx: FAILED: could not create unique index; "
                        "dropped shop.orders_customer_id_idx"),
            std::string::npos)
      << failed;
  EXPECT_FALSE(AllApplied(applied));
  applied.indexes[0].outcome = ApplyOutcome{};
  applied.indexes[0].outcome.status = ApplyOutcome::Status::kCreated;
  applied.indexes[0].outcome.actual_bytes = 1 << 20;
  applied.indexes[0].outcome.build_ms = 1500;
  applied.indexes[0].outcome.apply_id = "7";
  applied.indexes[0].outcome.baseline_rows = 1;
  EXPECT_NE(RenderAdviseText(applied, TextStyle{})
                .find("created and valid (1.5 s, 1.0 MB); baseline of 1 query recorded as "
                      "apply_id 7"),
            std::string::npos);
  EXPECT_TRUE(AllApplied(applied));

  AdviseReport none;
  none.database = "shop";
  none.summary.algorithm = "dbopt";
  EXPECT_NE(RenderAdviseText(none, TextStyle{}).find("dbopt advise: no index to recommend"),
            std::string::npos);
  EXPECT_EQ(text.find("benefit floor"), std::string::npos) << text;
  AdviseReport floored = SampleReport();
  floored.summary.below_floor = 2;
  EXPECT_NE(RenderAdviseText(floored, TextStyle{})
                .find("; 2 candidates left out below the benefit floor (--min-benefit-per-size)"),
            std::string::npos);
}

TEST(RenderAdvise, Json) {
  AdviseReport report = SampleReport();
  const std::string json = RenderAdviseJson(report);
  EXPECT_EQ(json.rfind("{\"database\": \"shop\", \"summary\": {\"algorithm\": \"dbopt\"", 0), 0u)
      << json;
  EXPECT_NE(json.find("\"budget_bytes\": null"), std::string::npos) << json;
  EXPECT_NE(json.find("\"below_floor\": 0}"), std::string::npos) << json;
  EXPECT_NE(json.find("\"queryid\": \"-9223372036854775807\""), std::string::npos) << json;
  EXPECT_EQ(json.find("\"apply\""), std::string::npos) << json;
  report.applied = true;
  report.indexes[0].outcome.status = ApplyOutcome::Status::kCreated;
  report.indexes[0].outcome.apply_id = "3";
  EXPECT_NE(RenderAdviseJson(report).find("\"apply\": {\"status\": \"created\""),
            std::string::npos);
}

TEST(RenderAdvise, Sql) {
  const std::string sql = RenderAdviseSql(SampleReport());
  EXPECT_NE(sql.find("\n-- 1. shop.orders_customer_id_idx (single) on shop.orders: estimated "
                     "2.0 MB, benefit 12222, helps 1 query\nCREATE INDEX CONCURRENTLY IF NOT "
                     "EXISTS orders_customer_id_idx ON shop.orders (customer_id);\n-- revert: "
                     "DROP INDEX CONCURRENTLY IF EXISTS shop.orders_customer_id_idx;\n"),
            std::string::npos)
      << sql;
  EXPECT_EQ(sql.find("BEGIN"), std::string::npos);
}

TEST(FormatBytes, PowersOf1024) {
  EXPECT_EQ(FormatBytes(8192), "8192 bytes");
  EXPECT_EQ(FormatBytes(24 * 1024), "24 kB");
  EXPECT_EQ(FormatBytes(1536 * 1024), "1.5 MB");
  EXPECT_EQ(FormatBytes(-1), "?");
}

}  // namespace
}  // namespace dbopt::cli
