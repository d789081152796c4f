// `dbopt report --format html`: one self-contained page (inline CSS, inline SVG charts from
// core/report/svg_chart; no script, font or image fetched from anywhere), readable offline
// and printable.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <utility>

#include "cli/ops_report.hpp"
#include "cli/ops_report_common.hpp"
#include "core/report/svg_chart.hpp"

namespace dbopt::cli {
namespace {

using report::XmlEscape;

const char kStyle[] = R"(
body { font-family: -apple-system, "Segoe UI", "DejaVu Sans", Helvetica, Arial, sans-serif;
       color: #1d1d1f; background: #f6f7f9; margin: 0; line-height: 1.45; }
main { max-width: 1100px; margin: 0 auto; padding: 16px 24px 48px; }
header { background: #14324d; color: #ffffff; padding: 18px 24px; }
header h1 { margin: 0 0 4px; font-size: 22px; }
header p { margin: 0; color: #d6e2ee; font-size: 14px; }
section { background: #ffffff; border: 1px solid #dde1e6; border-radius: 6px;
          padding: 14px 18px; margin: 18px 0; }
h2 { font-size: 18px; margin: 0 0 8px; }
h3 { font-size: 15px; margin: 16px 0 6px; }
p.note { color: #555; font-size: 13px; margin: 4px 0 8px; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 16px 0 0; }
.card { background: #ffffff; border: 1px solid #dde1e6; border-radius: 6px; padding: 10px 14px;
        min-width: 150px; }
.card .value { font-size: 22px; font-weight: 600; }
.card .label { font-size: 12px; color: #555; }
.callout { border-left: 4px solid #E69F00; background: #fff8e6; padding: 10px 14px; }
.unavailable { border-left: 4px solid #999999; background: #f2f2f2; padding: 8px 12px;
               color: #333; }
table { border-collapse: collapse; width: 100%; font-size: 13px; margin: 6px 0; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #e6e8eb;
         vertical-align: top; }
th { background: #f0f2f5; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
code, .query { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12px; }
.query { display: block; min-width: 260px; max-width: 560px; overflow-wrap: anywhere; }
.sev { display: inline-block; padding: 0 6px; border-radius: 3px; color: #fff; font-size: 12px; }
.sev-critical { background: #B00020; } .sev-warning { background: #D55E00; }
.sev-info { background: #0072B2; }
.good { color: #00704a; font-weight: 600; } .bad { color: #B00020; font-weight: 600; }
svg.chart { max-width: 100%; height: auto; display: block; margin: 6px 0 10px; }
pre { background: #f0f2f5; padding: 8px 10px; overflow-x: auto; font-size: 12px; }
footer { color: #666; font-size: 12px; text-align: center; margin-top: 24px; }
@media print { body { background: #fff; } section { break-inside: avoid; } }
)";

std::string H(const std::string& text) {
  return XmlEscape(text);
}

std::string Td(const std::string& text, bool number = false) {
  return std::string(number ? "<td class=\"num\">" : "<td>") + H(text) + "</td>";
}

std::string SeverityBadge(const std::string& severity) {
  const std::string known =
      severity == "critical" || severity == "warning" || severity == "info" ? severity : "info";
  return "<span class=\"sev sev-" + known + "\">" + H(severity) + "</span>";
}

std::string Unavailable(const SourceStatus& status) {
  return "<p class=\"unavailable\">Not available: " + H(status.reason) + "</p>\n";
}

std::string NoHistoryNote(const OpsReport& report) {
  return "<p class=\"note\">No snapshots " +
         std::string(report.snapshots_total > 0 ? "since " + H(report.since) + " UTC" : "yet") +
         ": this section fills in as dbopt_snapshot() runs.</p>\n";
}

std::string StartHistoryCallout() {
  return R"(<div class="callout" id="no-history"><strong>No history yet.</strong> dbopt has not
taken a snapshot in this database, so there are no trends to show; the findings below are the
current ones. Start the history with one of:
<pre>SELECT * FROM dbopt_snapshot();          -- one snapshot now (counters, anti-patterns)
SELECT * FROM dbopt_snapshot(health => true);  -- with the full health checks
SELECT * FROM dbopt_schedule();          -- with pg_cron: every 15 minutes, nightly health, daily purge</pre>
Without pg_cron, run <code>psql -c 'SELECT dbopt_snapshot()'</code> from cron every 15 minutes.
Then run <code>dbopt report</code> again.</div>
)";
}

std::string Card(const std::string& value, const std::string& label) {
  return "<div class=\"card\"><div class=\"value\">" + H(value) + "</div><div class=\"label\">" +
         H(label) + "</div></div>";
}

// A bar chart of one value before (grey) and one after, per category: fill with AddBars.
report::BarChart BeforeAfterBars(std::string id, std::string title, std::string description,
                                 std::string y_label, std::string y_unit, report::BarSeries after) {
  report::BarChart bars;
  bars.id = std::move(id);
  bars.title = std::move(title);
  bars.description = std::move(description);
  bars.y_label = std::move(y_label);
  bars.y_unit = std::move(y_unit);
  bars.series = {{"before", {}, "#999999"}, std::move(after)};
  return bars;
}

void AddBars(report::BarChart& bars, const std::string& category, double before, double after) {
  bars.categories.push_back(category);
  bars.series[0].values.push_back(before);
  bars.series[1].values.push_back(after);
}

std::string WorkloadSection(const OpsReport& report) {
  std::string out =
      "<section id=\"workload\"><h2>Workload cost and applied recommendations</h2>\n"
      "<p class=\"note\">The whole captured workload per snapshot interval "
      "(dbopt_workload_trend()); a dashed red line marks each index built by "
      "<code>dbopt advise --apply</code>.</p>\n";
  if (!report.workload_source.available) {
    out += Unavailable(report.workload_source);
  } else if (report.workload.empty()) {
    out += NoHistoryNote(report);
  } else {
    std::vector<report::ChartMarker> markers;
    if (report.outcomes_source.available)
      for (const OpsOutcome& index : AppliedIndexes(report.outcomes))
        if (!(index.applied_at < report.since_epoch))  // only those inside the window
          markers.push_back({index.applied_at, "built " + index.index_name});
    report::LineChart total;
    total.id = "chart-workload-total";
    total.title = "Workload execution time per snapshot interval";
    total.description =
        "Total execution time of every captured query in each interval between "
        "snapshots, in milliseconds, with the times indexes were built.";
    total.x_label = "snapshot taken at (UTC)";
    total.y_label = "execution time (ms)";
    total.y_unit = "ms";
    total.markers = markers;
    report::LineChart mean = total;
    mean.id = "chart-workload-mean";
    mean.title = "Mean time per call per snapshot interval";
    mean.description = "Execution time divided by calls in each interval, in milliseconds.";
    mean.y_label = "mean time per call (ms)";
    report::ChartSeries total_series{"execution time", {}};
    report::ChartSeries mean_series{"mean time per call", {}};
    for (const OpsWorkloadPoint& point : report.workload) {
      total_series.points.push_back({point.taken_at, point.total_ms, ""});
      if (point.calls > 0)
        mean_series.points.push_back(
            {point.taken_at, point.total_ms / static_cast<double>(point.calls), ""});
    }
    total.series.push_back(total_series);
    mean.series.push_back(mean_series);
    out += report::RenderLineChart(total) + report::RenderLineChart(mean);
  }

  out += "<h3>Realized benefit of applied indexes</h3>\n";
  if (!report.outcomes_source.available) {
    out += Unavailable(report.outcomes_source);
  } else if (report.outcomes.empty()) {
    out +=
        "<p class=\"note\">No index was built with <code>dbopt advise --apply</code> in this "
        "database yet.</p>\n";
  } else {
    report::BarChart bars =
        BeforeAfterBars("chart-outcomes", "Mean time per call before and after each applied index",
                        "For each query an applied index was meant to help: its mean execution "
                        "time before the index was built and since, in milliseconds.",
                        "mean time per call (ms)", "ms", {"after", {}, "#009E73"});
    for (const OpsOutcome& outcome : report.outcomes)
      AddBars(bars, OutcomeLabel(outcome), outcome.mean_ms_before, outcome.mean_ms_after);
    out += report::RenderBarChart(bars);
    out +=
        "<table id=\"outcomes\"><tr><th>index</th><th>applied (UTC)</th><th>query</th>"
        "<th>calls before</th><th>mean ms before</th><th>calls after</th>"
        "<th>mean ms after</th><th>promised</th><th>realized</th><th>index scans</th>"
        "<th>status</th></tr>\n";
    for (const OpsOutcome& o : report.outcomes) {
      const std::string realized = Ratio(o.realized_ratio);
      const char* klass =
          std::isfinite(o.realized_ratio) ? (o.realized_ratio <= 1 ? "good" : "bad") : "";
      out += "<tr>" + Td(o.index_name) + Td(report::FormatUtc(o.applied_at)) +
             "<td><span class=\"query\">" + H(o.query) + "</span></td>" +
             Td(Count(o.calls_before), true) + Td(Ms(o.mean_ms_before), true) +
             Td(Count(o.calls_after), true) + Td(Ms(o.mean_ms_after), true) +
             Td(Ratio(o.promised_ratio), true) + "<td class=\"num " + klass + "\">" + H(realized) +
             "</td>" + Td(Count(o.index_scans_since), true) + Td(o.status) + "</tr>\n";
    }
    out +=
        "</table>\n<p class=\"note\">promised: the planner's cost after / before, as the "
        "advisor estimated it; realized: the measured mean time after / before (below 1 "
        "is faster).</p>\n";
  }
  return out + "</section>\n";
}

std::string TopQueriesSection(const OpsReport& report) {
  std::string out =
      "<section id=\"top-queries\"><h2>Top queries and their trend</h2>\n"
      "<p class=\"note\">The queries with the most execution time since " +
      H(report.since) + " UTC (dbopt_query_trend()), their mean time per snapshot interval.</p>\n";
  if (!report.query_trend_source.available)
    return out + Unavailable(report.query_trend_source) + "</section>\n";
  if (report.query_trend.empty()) return out + NoHistoryNote(report) + "</section>\n";
  const std::vector<std::string> order = TrendQueryOrder(report.query_trend);
  report::LineChart chart;
  chart.id = "chart-top-queries";
  chart.title = "Mean time per call of the top queries";
  chart.description =
      "One line per query: its mean execution time in each snapshot interval, "
      "in milliseconds.";
  chart.x_label = "snapshot taken at (UTC)";
  chart.y_label = "mean time per call (ms)";
  chart.y_unit = "ms";
  out +=
      "<table id=\"top-queries-table\"><tr><th>#</th><th>queryid</th><th>query</th>"
      "<th>calls</th><th>total ms</th><th>mean ms first</th><th>mean ms last</th></tr>\n";
  for (size_t rank = 0; rank < order.size(); ++rank) {
    const QueryTotals totals = TotalsOf(report.query_trend, order[rank]);
    report::ChartSeries series{"#" + std::to_string(rank + 1) + " " + OneLineText(totals.query),
                               {}};
    for (const OpsQueryPoint& point : report.query_trend)
      if (point.queryid == order[rank] && point.calls > 0)
        series.points.push_back({point.taken_at, point.mean_ms, ""});
    chart.series.push_back(series);
    out += "<tr>" + Td(std::to_string(rank + 1), true) + "<td><code>" + H(order[rank]) +
           "</code></td><td><span class=\"query\">" + H(totals.query) + "</span></td>" +
           Td(Count(totals.calls), true) + Td(Ms(totals.total_ms), true) +
           Td(Ms(totals.first_mean_ms), true) + Td(Ms(totals.last_mean_ms), true) + "</tr>\n";
  }
  out += "</table>\n";
  return out + report::RenderLineChart(chart) + "</section>\n";
}

std::string FindingsSection(const OpsReport& report) {
  std::string out = "<section id=\"findings\"><h2>Findings by severity</h2>\n";
  if (!report.findings_source.available)
    return out + Unavailable(report.findings_source) + "</section>\n";
  out += "<p class=\"note\">" + H(report.findings_origin) + "</p>\n";
  const SeverityCounts counts = CountSeverities(report.findings);
  report::BarChart bars;
  bars.id = "chart-findings";
  bars.title = "Findings by severity";
  bars.description = "How many findings of each severity: " + std::to_string(counts.critical) +
                     " critical, " + std::to_string(counts.warning) + " warning, " +
                     std::to_string(counts.info) + " info.";
  bars.y_label = "findings";
  bars.categories = {"critical", "warning", "info"};
  bars.height = 220;
  bars.series.push_back({"findings",
                         {static_cast<double>(counts.critical), static_cast<double>(counts.warning),
                          static_cast<double>(counts.info)},
                         ""});
  bars.category_colors = {"#B00020", "#D55E00", "#0072B2"};
  out += report::RenderBarChart(bars);
  if (report.findings.empty()) return out + "<p>No findings.</p></section>\n";
  out +=
      "<table id=\"findings-table\"><tr><th>severity</th><th>check</th><th>object</th>"
      "<th>message</th><th>source</th></tr>\n";
  for (const OpsFinding& f : SortedFindings(report.findings))
    out += "<tr><td>" + SeverityBadge(f.severity) + "</td><td><code>" + H(f.check_id) +
           "</code></td>" + Td(f.object_name) + Td(f.message) + Td(f.source) + "</tr>\n";
  return out + "</table>\n</section>\n";
}

std::string ChangesSection(const OpsReport& report) {
  std::string out =
      "<section id=\"finding-changes\"><h2>Findings that appeared or were "
      "fixed</h2>\n<p class=\"note\">Between the snapshots since " +
      H(report.since) + " UTC (dbopt_finding_changes()).</p>\n";
  if (!report.changes_source.available)
    return out + Unavailable(report.changes_source) + "</section>\n";
  if (report.snapshots == 0) return out + NoHistoryNote(report) + "</section>\n";
  if (report.changes.empty())
    return out + "<p>No finding appeared or was fixed in this window.</p></section>\n";
  out +=
      "<table id=\"changes-table\"><tr><th>change</th><th>severity</th><th>check</th>"
      "<th>object</th><th>message</th><th>first seen (UTC)</th><th>last seen (UTC)</th>"
      "</tr>\n";
  for (const OpsFindingChange& c : report.changes)
    out += "<tr><td class=\"" + std::string(c.change == "fixed" ? "good" : "bad") + "\">" +
           H(c.change) + "</td><td>" + SeverityBadge(c.severity) + "</td><td><code>" +
           H(c.check_id) + "</code></td>" + Td(c.object_name) + Td(c.message) +
           Td(UtcOrEmpty(c.first_seen)) + Td(UtcOrEmpty(c.last_seen)) + "</tr>\n";
  return out + "</table>\n</section>\n";
}

std::string IndexUsageSection(const OpsReport& report) {
  std::string out =
      "<section id=\"index-usage\"><h2>Index usage over time</h2>\n"
      "<p class=\"note\">Index scans in each snapshot interval "
      "(pg_stat_user_indexes, from the snapshots), the most used indexes.</p>\n";
  if (!report.index_usage_source.available)
    return out + Unavailable(report.index_usage_source) + "</section>\n";
  if (report.index_usage.empty()) return out + NoHistoryNote(report) + "</section>\n";
  const std::vector<IndexTotals> totals = IndexUsageTotals(report.index_usage);
  report::LineChart chart;
  chart.id = "chart-index-usage";
  chart.title = "Index scans per snapshot interval";
  chart.description =
      "One line per index: how many scans it served in each interval between "
      "snapshots (the " +
      std::to_string(std::min<size_t>(totals.size(), kChartSeriesLimit)) + " most used indexes).";
  chart.x_label = "snapshot taken at (UTC)";
  chart.y_label = "index scans per interval";
  chart.y_unit = "scans";
  for (size_t i = 0; i < totals.size() && i < kChartSeriesLimit; ++i) {
    report::ChartSeries series{totals[i].index_name, {}};
    for (const OpsIndexUsagePoint& point : report.index_usage)
      if (point.index_name == totals[i].index_name)
        series.points.push_back({point.taken_at, static_cast<double>(point.scans_delta), ""});
    chart.series.push_back(series);
  }
  out += report::RenderLineChart(chart);
  out +=
      "<table id=\"index-usage-table\"><tr><th>index</th><th>table</th>"
      "<th>scans in window</th><th>size</th></tr>\n";
  for (const IndexTotals& index : totals)
    out += "<tr>" + Td(index.index_name) + Td(index.relation) + Td(Count(index.scans), true) +
           Td(Bytes(index.size_bytes), true) + "</tr>\n";
  return out + "</table>\n</section>\n";
}

std::string SeqScanSection(const OpsReport& report) {
  std::string out =
      "<section id=\"seq-scans\"><h2>Sequential scan growth</h2>\n"
      "<p class=\"note\">Tables whose sequential scans per hour grew, recent "
      "rate against the rate before (dbopt_seq_scan_growth()).</p>\n";
  if (!report.seq_scan_source.available)
    return out + Unavailable(report.seq_scan_source) + "</section>\n";
  if (report.seq_scan_growth.empty())
    return out +
           (report.snapshots == 0 ? NoHistoryNote(report)
                                  : "<p>No table's sequential scans grew.</p>\n") +
           "</section>\n";
  report::BarChart bars =
      BeforeAfterBars("chart-seq-scans", "Sequential scans per hour, before and recently",
                      "For each table: sequential scans per hour before and in the recent part "
                      "of the window.",
                      "sequential scans per hour", "per hour", {"recent", {}, "#D55E00"});
  for (size_t i = 0; i < report.seq_scan_growth.size() && i < kChartSeriesLimit; ++i) {
    const OpsSeqScanGrowth& g = report.seq_scan_growth[i];
    AddBars(bars, g.relation, g.before_rate, g.recent_rate);
  }
  out += report::RenderBarChart(bars);
  out +=
      "<table id=\"seq-scans-table\"><tr><th>table</th><th>scans/h before</th>"
      "<th>scans/h recent</th><th>rows read recently</th><th>growth</th></tr>\n";
  for (const OpsSeqScanGrowth& g : report.seq_scan_growth)
    out += "<tr>" + Td(g.relation) + Td(Rate(g.before_rate), true) + Td(Rate(g.recent_rate), true) +
           Td(Count(g.seq_tup_read_recent), true) + Td(Ratio(g.growth), true) + "</tr>\n";
  return out + "</table>\n</section>\n";
}

std::string UnusedSection(const OpsReport& report) {
  std::string out = "<section id=\"unused-indexes\"><h2>Indexes unused since " + H(report.since) +
                    " UTC</h2>\n<p class=\"note\">Indexes that served scans before and none "
                    "since (dbopt_unused_since()).</p>\n";
  if (!report.unused_source.available)
    return out + Unavailable(report.unused_source) + "</section>\n";
  if (report.unused_indexes.empty())
    return out +
           (report.snapshots == 0 ? NoHistoryNote(report)
                                  : "<p>Every index used before is still used.</p>\n") +
           "</section>\n";
  out +=
      "<table id=\"unused-table\"><tr><th>index</th><th>table</th><th>last used (UTC)</th>"
      "<th>scans before</th><th>size</th></tr>\n";
  for (const OpsUnusedIndex& u : report.unused_indexes)
    out += "<tr>" + Td(u.index_name) + Td(u.relation) + Td(UtcOrEmpty(u.last_used)) +
           Td(Count(u.scans_before), true) + Td(Bytes(u.size_bytes), true) + "</tr>\n";
  return out + "</table>\n</section>\n";
}

}  // namespace

std::string RenderOpsReportHtml(const OpsReport& report) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
      "style-src 'unsafe-inline'; img-src data:\">\n"
      "<title>dbopt report: " +
      H(report.database) + "</title>\n<style>" + kStyle + "</style>\n</head>\n<body>\n";
  out += "<header><h1>dbopt report: database " + H(report.database) + "</h1><p>generated " +
         H(report.generated_at) + " UTC &middot; window since " + H(report.since) +
         " UTC &middot; dbopt " + H(report.dbopt_version) + "</p></header>\n<main>\n";

  const SeverityCounts counts = CountSeverities(report.findings);
  out += "<div class=\"cards\" id=\"summary\">";
  out +=
      Card(report.history.available ? Count(report.snapshots) : "n/a", "snapshots in the window");
  out += Card(std::to_string(report.findings.size()),
              "findings (" + std::to_string(counts.critical) + " critical, " +
                  std::to_string(counts.warning) + " warning)");
  out += Card(std::to_string(AppliedIndexes(report.outcomes).size()), "indexes applied");
  out += Card(std::to_string(TrendQueryOrder(report.query_trend).size()), "top queries tracked");
  out += "</div>\n";

  if (!report.history.available) {
    out += "<section id=\"history\">" + Unavailable(report.history) + "</section>\n";
  } else if (report.snapshots_total == 0) {
    out += "<section id=\"history\">" + StartHistoryCallout() + "</section>\n";
  } else {
    out += "<section id=\"history\"><h2>History</h2><p>" + Count(report.snapshots) +
           " snapshots since " + H(report.since) + " UTC" +
           (report.snapshots > 0 ? " (first " + H(report.first_snapshot) + ", last " +
                                       H(report.last_snapshot) + " UTC)"
                                 : "") +
           "; " + Count(report.snapshots_total) + " kept in all.</p></section>\n";
  }
  out += WorkloadSection(report) + TopQueriesSection(report) + FindingsSection(report) +
         ChangesSection(report) + IndexUsageSection(report) + SeqScanSection(report) +
         UnusedSection(report);
  out +=
      "<footer>Written by <code>dbopt report</code>. Times in UTC. This file is "
      "self-contained: no script, font or image is loaded from anywhere.</footer>\n";
  out += "</main>\n</body>\n</html>\n";
  return out;
}

}  // namespace dbopt::cli
