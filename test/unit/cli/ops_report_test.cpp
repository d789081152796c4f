// dbopt report: arguments, the HTML and Markdown documents (escaping, empty history, sources
// that are not available, charts with data).
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "cli/args.hpp"
#include "cli/help.hpp"
#include "cli/ops_report.hpp"
#include "usage_message.hpp"

namespace dbopt::cli {
namespace {

size_t Occurrences(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

const char kNastyQuery[] = "SELECT \"a|b\" FROM t WHERE x < $1 AND y = '&' </td><script>x</script>";

OpsReport EmptyReport() {
  OpsReport report;
  report.database = "shop<&>";
  report.generated_at = "2026-12-01 20:00";
  report.since = "2026-11-24 20:00";
  report.since_epoch = 1795550400;
  report.dbopt_version = "0.1.0";
  report.findings_origin = "From: current dbopt_health().";
  return report;
}

OpsReport FullReport() {
  OpsReport report = EmptyReport();
  report.snapshots = 3;
  report.snapshots_total = 3;
  report.first_snapshot = "2026-12-01 12:00";
  report.last_snapshot = "2026-12-01 12:30";
  const double t0 = 1796126400;
  report.workload = {{1, t0, 100, 500}, {2, t0 + 900, 120, 300}, {3, t0 + 1800, 90, 90}};
  OpsOutcome outcome;
  outcome.apply_id = 1;
  outcome.index_name = "shop.orders_customer_id_idx";
  outcome.applied_at = t0 + 600;
  outcome.queryid = "42";
  outcome.query = kNastyQuery;
  outcome.calls_before = 10;
  outcome.mean_ms_before = 30;
  outcome.calls_after = 20;
  outcome.mean_ms_after = 2;
  outcome.promised_ratio = 0.1;
  outcome.realized_ratio = 2.0 / 30;
  outcome.index_scans_since = 20;
  outcome.status = "helped";
  report.outcomes = {outcome};
  report.query_trend = {{"42", kNastyQuery, 1, t0, 10, 30, 300},
                        {"42", kNastyQuery, 2, t0 + 900, 10, 2, 20},
                        {"-7", "SELECT 1", 1, t0, 5, 1, 5}};
  report.findings = {{"health", "fk_unindexed", "warning", "constraint", "shop.a|b", "msg <x>"},
                     {"antipatterns", "n_plus_one", "critical", "query", "q", "loop"}};
  report.changes = {{"fixed", "health", "fk_unindexed", "warning", "shop.x", "gone", t0, t0 + 900}};
  report.index_usage = {{"shop.i1", "shop.t", t0 + 900, 5, 16384},
                        {"shop.i1", "shop.t", t0 + 1800, 9, 16384},
                        {"shop.i2", "shop.t", t0 + 900, 1, 8192}};
  report.seq_scan_growth = {{"shop.orders", 1.5, 12, 100000, 8}};
  report.unused_indexes = {{"shop.old_idx", "shop.t", t0, 7, 1 << 20}};
  return report;
}

TEST(ReportArgs, DefaultsAndOptions) {
  Command command = ParseCommandLine({"report"});
  ASSERT_EQ(command.kind, Command::Kind::kReport);
  EXPECT_EQ(command.report.output, "");
  EXPECT_FALSE(command.report.markdown);
  EXPECT_EQ(command.report.since, "7 days");
  EXPECT_FALSE(command.report.since_is_timestamp);

  command = ParseCommandLine({"report", "-o", "r.md", "--since=2026-11-30", "-d", "shop"});
  EXPECT_EQ(command.report.output, "r.md");
  EXPECT_TRUE(command.report.markdown);  // from the file name
  EXPECT_TRUE(command.report.since_is_timestamp);
  EXPECT_EQ(command.report.connection.dbname, "shop");

  command = ParseCommandLine({"report", "-o", "r.md", "--format", "html", "--since", "36 hours"});
  EXPECT_FALSE(command.report.markdown);
  EXPECT_FALSE(command.report.since_is_timestamp);
  EXPECT_TRUE(ParseCommandLine({"report", "-F", "markdown"}).report.markdown);
  EXPECT_EQ(ParseCommandLine({"report", "--help"}).help_topic, "report");
  EXPECT_EQ(ParseCommandLine({"help", "report"}).help_topic, "report");
}

TEST(ReportArgs, UsageErrors) {
  EXPECT_EQ(UsageMessage({"report", "--format", "pdf"}),
            "invalid value \"pdf\" for --format (expected html or markdown)");
  EXPECT_EQ(UsageMessage({"report", "--since", ""}),
            "--since needs an interval (\"7 days\") or a date (\"2026-11-30\")");
  EXPECT_EQ(UsageMessage({"report", "-o"}), "option \"-o\" needs a value");
  EXPECT_EQ(UsageMessage({"report", "--limit", "3"}), "unknown option \"--limit\"");
  EXPECT_EQ(UsageMessage({"report", "a", "b"}),
            "too many arguments: \"b\" (give one connection string; quote it if it contains "
            "spaces)");
}

TEST(ReportHelp, DocumentsEveryOption) {
  const std::string help = HelpText("report");
  for (const std::string& spelling : ReportOptionSpellings())
    EXPECT_NE(help.find(spelling), std::string::npos) << spelling << " is not in the help";
  EXPECT_NE(HelpText("").find("report"), std::string::npos);
}

TEST(ReportHtml, EmptyHistorySaysHowToStart) {
  const std::string html = RenderOpsReportHtml(EmptyReport());
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.find("id=\"no-history\""), std::string::npos);
  EXPECT_NE(html.find("SELECT * FROM dbopt_snapshot();"), std::string::npos);
  EXPECT_NE(html.find("SELECT * FROM dbopt_schedule();"), std::string::npos);
  EXPECT_NE(html.find("dbopt report: database shop&lt;&amp;&gt;"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("http://"),
            html.find("http://www.w3.org/2000/svg"));  // only the SVG namespace
  EXPECT_EQ(html.find("https://"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_NE(html.find("</html>"), std::string::npos);
  // The findings chart is drawn even without findings; every section is there.
  for (const char* id : {"workload", "top-queries", "findings", "finding-changes", "index-usage",
                         "seq-scans", "unused-indexes"})
    EXPECT_NE(html.find(std::string("<section id=\"") + id + "\""), std::string::npos) << id;
}

TEST(ReportHtml, UnavailableSourcesSayWhy) {
  OpsReport report = EmptyReport();
  report.query_trend_source = {false, "dbopt_query_trend() is not in this database's dbopt"};
  report.history = {false, "permission denied for table snapshot <x>"};
  const std::string html = RenderOpsReportHtml(report);
  EXPECT_NE(html.find("Not available: dbopt_query_trend() is not in this database&#39;s dbopt"),
            std::string::npos);
  EXPECT_NE(html.find("Not available: permission denied for table snapshot &lt;x&gt;"),
            std::string::npos);
  const std::string md = RenderOpsReportMarkdown(report);
  EXPECT_NE(md.find("_Not available: dbopt\\_query\\_trend() is not in this database's dbopt_"),
            std::string::npos);
}

TEST(ReportHtml, ChartsHaveDataAndTextIsEscaped) {
  const std::string html = RenderOpsReportHtml(FullReport());
  EXPECT_EQ(html.find("id=\"no-history\""), std::string::npos);
  EXPECT_EQ(html.find("<script>x</script>"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_NE(html.find("SELECT &quot;a|b&quot; FROM t WHERE x &lt; $1 AND y = &#39;&amp;&#39; "
                      "&lt;/td&gt;&lt;script&gt;x&lt;/script&gt;"),
            std::string::npos);
  for (const char* chart :
       {"chart-workload-total", "chart-workload-mean", "chart-outcomes", "chart-top-queries",
        "chart-findings", "chart-index-usage", "chart-seq-scans"})
    EXPECT_NE(html.find(std::string("id=\"") + chart + "\""), std::string::npos) << chart;
  EXPECT_EQ(html.find("class=\"chart empty\""), std::string::npos);
  // 3 + 3 workload points, 2 + 1 query points, 2 + 1 index usage points.
  EXPECT_EQ(Occurrences(html, "<circle class=\"point\""), 12u);
  EXPECT_EQ(Occurrences(html, "class=\"marker\""), 2u);  // the applied index, in both charts
  EXPECT_NE(html.find("built shop.orders_customer_id_idx"), std::string::npos);
  EXPECT_NE(html.find("<td class=\"num good\">0.07</td>"), std::string::npos);
  EXPECT_NE(html.find("msg &lt;x&gt;"), std::string::npos);
  // Findings most severe first.
  EXPECT_LT(html.find("n_plus_one"), html.find("fk_unindexed</code>"));
}

TEST(ReportMarkdown, TablesEscapePipesAndMarkup) {
  const std::string md = RenderOpsReportMarkdown(FullReport());
  EXPECT_EQ(md.rfind("# dbopt report: database shop\\<\\&\\>", 0), 0u) << md.substr(0, 80);
  EXPECT_NE(md.find("SELECT \"a\\|b\" FROM t WHERE x \\< \\$1 AND y = '\\&' \\</td\\>"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| shop.a\\|b |"), std::string::npos);
  // Every table row has as many unescaped pipes as its header.
  size_t header_pipes = 0;
  for (size_t begin = 0; begin < md.size();) {
    const size_t end = md.find('\n', begin);
    const std::string line = md.substr(begin, end - begin);
    begin = end == std::string::npos ? md.size() : end + 1;
    if (line.empty() || line[0] != '|') {
      header_pipes = 0;
      continue;
    }
    size_t pipes = 0;
    for (size_t i = 0; i < line.size(); ++i)
      if (line[i] == '|' && (i == 0 || line[i - 1] != '\\')) ++pipes;
    if (header_pipes == 0) header_pipes = pipes;
    EXPECT_EQ(pipes, header_pipes) << line;
  }
  EXPECT_NE(md.find("## Top queries and their trend"), std::string::npos);
  EXPECT_NE(md.find("\xE2\x96\x88"), std::string::npos);  // a sparkline's full block
  EXPECT_NE(md.find("| fixed | warning | fk\\_unindexed |"), std::string::npos);
}

TEST(ReportMarkdown, EmptyHistory) {
  const std::string md = RenderOpsReportMarkdown(EmptyReport());
  EXPECT_NE(md.find("**No history yet.**"), std::string::npos);
  EXPECT_NE(md.find("`SELECT * FROM dbopt_snapshot();`"), std::string::npos);
}

TEST(MarkdownCell, OneLineEscapedAndCut) {
  EXPECT_EQ(MarkdownCell("a|b\nc"), "a\\|b c");
  EXPECT_EQ(MarkdownCell("*x* _y_ `z` [l](u) <b>"), "\\*x\\* \\_y\\_ \\`z\\` \\[l\\](u) \\<b\\>");
  EXPECT_EQ(MarkdownCell("abcdef", 4), "abc\xE2\x80\xA6");
  EXPECT_EQ(MarkdownCell("abcd", 4), "abcd");
  EXPECT_EQ(MarkdownCell("\xC3\xA9\xC3\xA9\xC3\xA9", 2), "\xC3\xA9\xE2\x80\xA6");
}

}  // namespace
}  // namespace dbopt::cli
