#include <gtest/gtest.h>

#include <cmath>

#include "cli/args.hpp"
#include "cli/exit_codes.hpp"
#include "usage_message.hpp"
#include "cli/help.hpp"
#include "cli/top_render.hpp"
#include "cli/text_layout.hpp"
#include "cli/top_report.hpp"

namespace dbopt::cli {
namespace {

TEST(ParseTop, Defaults) {
  const Command command = ParseCommandLine({"top"});
  ASSERT_EQ(command.kind, Command::Kind::kTop);
  EXPECT_EQ(command.top.limit, 10);
  EXPECT_EQ(command.top.order_by, TopOrder::kTotalTime);
  EXPECT_FALSE(command.top.all_users);
  EXPECT_EQ(command.top.format, OutputFormat::kText);
  EXPECT_EQ(command.top.connection.conninfo, "");
}

TEST(ParseTop, EveryOption) {
  const Command command = ParseCommandLine(
      {"top", "dbname=app", "-d", "other", "-h", "db1", "-p5433", "-U", "me", "-w", "--limit=25",
       "--order-by", "Mean_Time", "--all-users", "-F", "json", "--color=never"});
  ASSERT_EQ(command.kind, Command::Kind::kTop);
  const TopOptions& top = command.top;
  EXPECT_EQ(top.connection.conninfo, "dbname=app");
  EXPECT_EQ(top.connection.dbname, "other");
  EXPECT_EQ(top.connection.host, "db1");
  EXPECT_EQ(top.connection.port, "5433");
  EXPECT_EQ(top.connection.username, "me");
  EXPECT_EQ(top.connection.password_prompt, PasswordPrompt::kNever);
  EXPECT_EQ(top.limit, 25);
  EXPECT_EQ(top.order_by, TopOrder::kMeanTime);
  EXPECT_TRUE(top.all_users);
  EXPECT_EQ(top.format, OutputFormat::kJson);
  EXPECT_EQ(top.color, ColorMode::kNever);
  for (const char* order : {"total_time", "mean_time", "calls", "rows"})
    EXPECT_EQ(TopOrderName(ParseCommandLine({"top", "--order-by", order}).top.order_by),
              std::string(order));
  const Command help = ParseCommandLine({"top", "--limit", "3", "-?"});
  EXPECT_EQ(help.kind, Command::Kind::kHelp);
  EXPECT_EQ(help.help_topic, "top");
  EXPECT_EQ(ParseCommandLine({"help", "top"}).help_topic, "top");
}

TEST(ParseTop, BadValuesAreUsageErrors) {
  EXPECT_EQ(UsageMessage({"top", "--order-by", "speed"}),
            "invalid value \"speed\" for --order-by (expected total_time, mean_time, calls or "
            "rows)");
  EXPECT_EQ(UsageMessage({"top", "--order-by="}),
            "invalid value \"\" for --order-by (expected total_time, mean_time, calls or rows)");
  for (const char* limit : {"0", "-1", "ten", "", "1e3", "99999999999", " 5"})
    EXPECT_EQ(UsageMessage({"top", std::string("--limit=") + limit}),
              std::string("invalid value \"") + limit +
                  "\" for --limit (expected a whole number of queries, at least 1)")
        << limit;
  EXPECT_EQ(UsageMessage({"top", "-F", "sql"}),
            "invalid value \"sql\" for --format (expected text or json)");
  EXPECT_EQ(UsageMessage({"top", "--schema", "x"}), "unknown option \"--schema\"");
  EXPECT_EQ(UsageMessage({"top", "--all-users=yes"}), "option \"--all-users\" takes no value");
  EXPECT_EQ(UsageMessage({"top", "--limit"}), "option \"--limit\" needs a value");
  EXPECT_NE(UsageMessage({"top", "db1", "db2"}).find("too many arguments: \"db2\""),
            std::string::npos);
  EXPECT_EQ(ParseCommandLine({"top", "--limit", "100000"}).top.limit, 100000);
}

TEST(ParseTopOrder, KnownNamesOnly) {
  TopOrder order = TopOrder::kTotalTime;
  EXPECT_TRUE(ParseTopOrder("CALLS", &order));
  EXPECT_EQ(order, TopOrder::kCalls);
  EXPECT_TRUE(ParseTopOrder("rows", &order));
  EXPECT_EQ(order, TopOrder::kRows);
  EXPECT_FALSE(ParseTopOrder("total time", &order));
  EXPECT_FALSE(ParseTopOrder("total_exec_time", &order));
  EXPECT_EQ(order, TopOrder::kRows);  // unchanged on failure
  EXPECT_EQ(TopOrderLabel(TopOrder::kMeanTime), "mean time");
}

TEST(HelpText, TopHelpDocumentsEveryOption) {
  const std::string help = HelpText("top");
  ASSERT_FALSE(help.empty());
  for (const std::string& spelling : TopOptionSpellings())
    EXPECT_NE(help.find(spelling), std::string::npos) << spelling << " is not in the help";
  EXPECT_NE(HelpText("").find("top"), std::string::npos);
}

TEST(TopFormatting, Helpers) {
  EXPECT_EQ(OneLineQuery("  SELECT *\n\tFROM t\r\n  WHERE a = $1  "),
            "SELECT * FROM t WHERE a = $1");
  EXPECT_EQ(Truncated("SELECT 1", 0), "SELECT 1");
  EXPECT_EQ(Truncated("SELECT 1", 8), "SELECT 1");
  EXPECT_EQ(Truncated("SELECT 12", 8), "SELECT \u2026");
  EXPECT_EQ(Truncated("SELECT 'äöü'", 10), "SELECT 'ä\u2026");  // counts characters, not bytes
  EXPECT_EQ(FormatRows(std::nan("")), "-");
  EXPECT_EQ(FormatRows(0), "0");
  EXPECT_EQ(FormatRows(0.5), "0.5");
  EXPECT_EQ(FormatRows(3), "3");
  EXPECT_EQ(FormatRows(12345.6), "12346");
  EXPECT_EQ(FormatMs(1.23456, 2), "1.23");
  EXPECT_EQ(FormatMs(std::nan(""), 3), "-");

  TopAccessPath path;
  path.relation = "public.orders";
  path.scan_kind = "seq";
  EXPECT_EQ(AccessPathLabel(path), "Seq Scan on public.orders");
  path.scan_kind = "index";
  path.index_name = "public.orders_pkey";
  EXPECT_EQ(AccessPathLabel(path), "Index Scan using orders_pkey on public.orders");
  path.scan_kind = "index_only";
  EXPECT_EQ(AccessPathLabel(path), "Index Only Scan using orders_pkey on public.orders");
  path.scan_kind = "bitmap";
  EXPECT_EQ(AccessPathLabel(path), "Bitmap Heap Scan on public.orders using orders_pkey");
  // Quoted schemas (with dots and quotes inside) are stripped whole; other schemas are kept.
  path.relation = "\"my.\"\"s\".\"T\"";
  path.index_name = "\"my.\"\"s\".\"T_pkey\"";
  EXPECT_EQ(AccessPathLabel(path), "Bitmap Heap Scan on \"my.\"\"s\".\"T\" using \"T_pkey\"");
  path.index_name = "other.t_idx";
  EXPECT_EQ(AccessPathLabel(path), "Bitmap Heap Scan on \"my.\"\"s\".\"T\" using other.t_idx");
  path.relation = "public.orders";
  path.scan_kind = "tid";
  path.index_name.clear();
  EXPECT_EQ(AccessPathLabel(path), "Tid Scan on public.orders");
  path.relation.clear();
  path.relid = "16384";
  EXPECT_EQ(AccessPathLabel(path), "Tid Scan on relation 16384 (dropped?)");
}

TopReport SampleReport() {
  TopReport report;
  report.database = "app";
  report.user = "alice";
  report.queries_in_scope = 3;
  report.total_time_ms = 200;
  report.since = "2026-12-01 04:00:00 UTC";
  report.sample_rate = "0.1";
  TopQuery orders;
  orders.queryid = "-4711";
  orders.user = "alice";
  orders.calls = 50;
  orders.total_time_ms = 150;
  orders.mean_time_ms = 3;
  orders.rows = 5000;
  orders.sampled_calls = 5;
  orders.share_percent = 75;
  orders.has_text = true;
  orders.query =
      "SELECT *\n  FROM orders o JOIN customers c ON c.id = o.customer_id\n"
      "  WHERE o.note = $1";
  TopAccessPath seq;
  seq.relation = "public.orders";
  seq.relid = "16384";
  seq.scan_kind = "seq";
  seq.samples = 5;
  seq.loops = 1;
  seq.est_rows = 100;
  seq.actual_rows = 98;
  seq.rows_removed_by_filter = 9902;
  TopAccessPath index;
  index.relation = "public.customers";
  index.relid = "16390";
  index.scan_kind = "index";
  index.index_name = "public.customers_pkey";
  index.samples = 5;
  index.loops = 98;
  index.est_rows = 1;
  index.actual_rows = 1;
  index.rows_removed_by_filter = 0;
  orders.access_paths = {seq, index};
  TopQuery nested;
  nested.queryid = "42";
  nested.user = "alice";
  nested.toplevel = false;
  nested.calls = 7;
  nested.total_time_ms = 50;
  nested.mean_time_ms = 7.142857;
  nested.rows = 7;
  nested.share_percent = 25;
  nested.has_text = true;
  nested.query = "UPDATE counters SET n = n + $1";
  report.queries = {orders, nested};
  return report;
}

TEST(RenderTopText, TableWithAccessPathsUnderEachQuery) {
  const std::string expected =
      "dbopt top: 2 of 3 queries in database \"app\" for user alice by total time (captured "
      "since 2026-12-01 04:00:00 UTC)\n"
      "\n"
      "  #  queryid  calls  total ms  mean ms  rows  time %  query\n"
      "  1    -4711     50    150.00    3.000  5000    75.0  SELECT * FROM orders o JOIN "
      "customers c ON c.id = o.customer_id WHERE o.note = $1\n"
      "     est rows  actual  removed  loops  access path\n"
      "          100      98     9902      1  Seq Scan on public.orders\n"
      "            1       1        0     98  Index Scan using customers_pkey on public.customers\n"
      "  2       42      7     50.00    7.143     7    25.0  (nested) UPDATE counters SET n = n "
      "+ $1\n"
      "     (access paths not sampled yet: dbopt.sample_rate = 0.1)\n"
      "\n"
      "times in ms; access paths: rows per loop (est rows: the planner's estimate; actual and "
      "removed by filter: measured), averaged over the sampled executions (dbopt.sample_rate = "
      "0.1)\n";
  EXPECT_EQ(RenderTopText(SampleReport(), TextStyle{}), expected);
}

TEST(RenderTopText, QueryTextAndAccessPathsCutToTheWidth) {
  TextStyle style;
  style.width = 80;
  const std::string text = RenderTopText(SampleReport(), style);
  EXPECT_NE(text.find("\n  1    -4711     50    150.00    3.000  5000    75.0  SELECT * FROM "
                      "orders o JO\u2026\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("\n            1       1        0     98  Index Scan using customers_pkey "
                      "on publi\u2026\n"),
            std::string::npos)
      << text;
  size_t start = 0;
  while (start < text.size()) {
    const size_t end = text.find('\n', start);
    const std::string line = text.substr(start, end - start);
    EXPECT_LE(DisplayWidth(line), 80u) << line;
    start = end + 1;
  }
  EXPECT_EQ(text.find('\033'), std::string::npos);
  style.color = true;
  EXPECT_NE(RenderTopText(SampleReport(), style).find("\033[1m  #  queryid"), std::string::npos);
}

TEST(RenderTopText, AllUsersAddsAUserColumn) {
  TopReport report = SampleReport();
  report.all_users = true;
  const std::string text = RenderTopText(report, TextStyle{});
  EXPECT_NE(text.find("2 of 3 queries in database \"app\" by total time"), std::string::npos);
  EXPECT_NE(text.find("time %  user   query\n"), std::string::npos) << text;
  EXPECT_NE(text.find("75.0  alice  SELECT"), std::string::npos) << text;
}

TEST(RenderTopText, NothingCapturedYet) {
  TopReport report = SampleReport();
  report.queries.clear();
  report.queries_in_scope = 0;
  EXPECT_EQ(RenderTopText(report, TextStyle{}),
            "dbopt top: no queries captured yet in database \"app\" for user alice (since "
            "2026-12-01 04:00:00 UTC); --all-users shows every user's queries\n");
  report.all_users = true;
  report.since.clear();
  EXPECT_EQ(RenderTopText(report, TextStyle{}),
            "dbopt top: no queries captured yet in database \"app\"\n");
}

TEST(RenderTopJson, OneObjectWithTheQueries) {
  const std::string expected =
      R"({"database": "app", "user": "alice", "order_by": "total_time", )"
      R"("queries_in_scope": 3, "total_time_ms": 200, "since": "2026-12-01 04:00:00 UTC", )"
      R"("sample_rate": "0.1", "queries": [)"
      "\n  "
      R"({"rank": 1, "queryid": "-4711", "user": "alice", "toplevel": true, "calls": 50, )"
      R"("total_time_ms": 150, "mean_time_ms": 3, "rows": 5000, "share_percent": 75, )"
      R"("sampled_calls": 5, "query": "SELECT *\n  FROM orders o JOIN customers c ON )"
      R"(c.id = o.customer_id\n  WHERE o.note = $1", "access_paths": [)"
      R"({"relation": "public.orders", "relid": "16384", "scan_kind": "seq", )"
      R"("index_name": null, "samples": 5, "loops": 1, "est_rows": 100, "actual_rows": 98, )"
      R"("rows_removed_by_filter": 9902}, )"
      R"({"relation": "public.customers", "relid": "16390", "scan_kind": "index", )"
      R"("index_name": "public.customers_pkey", "samples": 5, "loops": 98, "est_rows": 1, )"
      R"("actual_rows": 1, "rows_removed_by_filter": 0}]},)"
      "\n  "
      R"({"rank": 2, "queryid": "42", "user": "alice", "toplevel": false, "calls": 7, )"
      R"("total_time_ms": 50, "mean_time_ms": 7.142857, "rows": 7, "share_percent": 25, )"
      R"("sampled_calls": 0, "query": "UPDATE counters SET n = n + $1", "access_paths": []})"
      "\n]}\n";
  EXPECT_EQ(RenderTopJson(SampleReport()), expected);
}

TEST(RenderTopJson, EmptyAndUnknownValuesAreNull) {
  TopReport report = SampleReport();
  report.queries.clear();
  report.all_users = true;
  report.since.clear();
  report.sample_rate.clear();
  report.total_time_ms = std::nan("");
  EXPECT_EQ(RenderTopJson(report),
            R"({"database": "app", "user": null, "order_by": "total_time", )"
            R"("queries_in_scope": 3, "total_time_ms": null, "since": null, )"
            R"("sample_rate": null, "queries": []})"
            "\n");
}

}  // namespace
}  // namespace dbopt::cli
