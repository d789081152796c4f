// `dbopt report --format markdown`: the report for a ticket or a wiki page (GitHub-flavored
// Markdown tables; trends as Unicode sparklines instead of charts).
#include <algorithm>
#include <cmath>

#include "cli/ops_report.hpp"
#include "cli/ops_report_common.hpp"
#include "core/report/svg_chart.hpp"

namespace dbopt::cli {
namespace {

std::string C(const std::string& text, size_t max_chars = 0) {
  return MarkdownCell(text, max_chars);
}

// ▁▂▃▄▅▆▇█ from 0 (or the minimum, if negative) to the maximum; non-finite values are blanks.
std::string Sparkline(const std::vector<double>& values) {
  static const char* const kBlocks[] = {"\xE2\x96\x81", "\xE2\x96\x82", "\xE2\x96\x83",
                                        "\xE2\x96\x84", "\xE2\x96\x85", "\xE2\x96\x86",
                                        "\xE2\x96\x87", "\xE2\x96\x88"};
  double low = 0, high = 0;
  for (double v : values)
    if (std::isfinite(v)) {
      low = std::min(low, v);
      high = std::max(high, v);
    }
  std::string out;
  for (double v : values) {
    if (!std::isfinite(v)) {
      out += ' ';
      continue;
    }
    const double share = high > low ? (v / 2 - low / 2) / (high / 2 - low / 2) : 0;
    out += kBlocks[std::clamp(static_cast<int>(std::lround(share * 7)), 0, 7)];
  }
  return out;
}

std::string Unavailable(const SourceStatus& status) {
  return "_Not available: " + C(status.reason) + "_\n\n";
}

std::string NoHistory(const OpsReport& report) {
  return std::string("_No snapshots ") +
         (report.snapshots_total > 0 ? "since " + C(report.since) + " UTC" : "yet") +
         ": this section fills in as dbopt\\_snapshot() runs._\n\n";
}

std::string Row(const std::vector<std::string>& cells) {
  std::string out = "|";
  for (const std::string& cell : cells) out += " " + cell + " |";
  return out + "\n";
}

std::string Header(const std::vector<std::string>& names, const std::vector<bool>& numeric) {
  std::string out = Row(names) + "|";
  for (size_t i = 0; i < names.size(); ++i)
    out += i < numeric.size() && numeric[i] ? " ---: |" : " --- |";
  return out + "\n";
}

}  // namespace

std::string RenderOpsReportMarkdown(const OpsReport& report) {
  std::string out = "# dbopt report: database " + C(report.database) + "\n\n";
  out += "Generated " + C(report.generated_at) + " UTC; window since " + C(report.since) +
         " UTC; dbopt " + C(report.dbopt_version) + ".\n\n";
  const SeverityCounts counts = CountSeverities(report.findings);
  out += "**Summary:** " +
         (report.history.available ? Count(report.snapshots) : std::string("n/a")) +
         " snapshots in the window; " + std::to_string(report.findings.size()) + " findings (" +
         std::to_string(counts.critical) + " critical, " + std::to_string(counts.warning) +
         " warning, " + std::to_string(counts.info) + " info); " +
         std::to_string(AppliedIndexes(report.outcomes).size()) + " indexes applied.\n\n";
  if (!report.history.available) {
    out += Unavailable(report.history);
  } else if (report.snapshots_total == 0) {
    out +=
        "> **No history yet.** dbopt has not taken a snapshot in this database, so there are "
        "no trends; the findings below are the current ones. Start the history with "
        "`SELECT * FROM dbopt_snapshot();` (one snapshot now) or "
        "`SELECT * FROM dbopt_schedule();` (with pg_cron: every 15 minutes, a nightly health "
        "run, daily retention), then run `dbopt report` again.\n\n";
  } else {
    out += Count(report.snapshots) + " snapshots since " + C(report.since) + " UTC" +
           (report.snapshots > 0 ? " (first " + C(report.first_snapshot) + ", last " +
                                       C(report.last_snapshot) + " UTC)"
                                 : "") +
           "; " + Count(report.snapshots_total) + " kept in all.\n\n";
  }

  out += "## Workload cost and applied recommendations\n\n";
  if (!report.workload_source.available) {
    out += Unavailable(report.workload_source);
  } else if (report.workload.empty()) {
    out += NoHistory(report);
  } else {
    std::vector<double> totals, means;
    double first = NAN, last = NAN;
    for (const OpsWorkloadPoint& p : report.workload) {
      totals.push_back(p.total_ms);
      const double mean = p.calls > 0 ? p.total_ms / static_cast<double>(p.calls) : NAN;
      means.push_back(mean);
      if (std::isfinite(mean)) {
        if (!std::isfinite(first)) first = mean;
        last = mean;
      }
    }
    out += "Execution time per snapshot interval: `" + Sparkline(totals) + "`  \n";
    out += "Mean time per call: `" + Sparkline(means) + "` (" + Ms(first) + " ms first, " +
           Ms(last) + " ms last)\n\n";
  }
  out += "### Realized benefit of applied indexes\n\n";
  if (!report.outcomes_source.available) {
    out += Unavailable(report.outcomes_source);
  } else if (report.outcomes.empty()) {
    out += "_No index was built with `dbopt advise --apply` in this database yet._\n\n";
  } else {
    out += Header({"index", "applied (UTC)", "query", "calls before", "mean ms before",
                   "calls after", "mean ms after", "promised", "realized", "status"},
                  {false, false, false, true, true, true, true, true, true, false});
    for (const OpsOutcome& o : report.outcomes)
      out +=
          Row({C(o.index_name), C(report::FormatUtc(o.applied_at)), C(o.query, 120),
               Count(o.calls_before), Ms(o.mean_ms_before), Count(o.calls_after),
               Ms(o.mean_ms_after), Ratio(o.promised_ratio), Ratio(o.realized_ratio), C(o.status)});
    out +=
        "\npromised: the planner's cost after / before; realized: the measured mean time "
        "after / before (below 1 is faster).\n\n";
  }

  out += "## Top queries and their trend\n\n";
  if (!report.query_trend_source.available) {
    out += Unavailable(report.query_trend_source);
  } else if (report.query_trend.empty()) {
    out += NoHistory(report);
  } else {
    out += Header({"#", "queryid", "query", "calls", "total ms", "mean ms first", "mean ms last",
                   "mean ms trend"},
                  {true, false, false, true, true, true, true, false});
    const std::vector<std::string> order = TrendQueryOrder(report.query_trend);
    for (size_t rank = 0; rank < order.size(); ++rank) {
      const QueryTotals totals = TotalsOf(report.query_trend, order[rank]);
      std::vector<const OpsQueryPoint*> points;
      for (const OpsQueryPoint& p : report.query_trend)
        if (p.queryid == order[rank]) points.push_back(&p);
      std::stable_sort(points.begin(), points.end(),
                       [](auto* a, auto* b) { return a->taken_at < b->taken_at; });
      std::vector<double> means;
      for (const OpsQueryPoint* p : points) means.push_back(p->calls > 0 ? p->mean_ms : NAN);
      out += Row({std::to_string(rank + 1), C(order[rank]), C(totals.query, 120),
                  Count(totals.calls), Ms(totals.total_ms), Ms(totals.first_mean_ms),
                  Ms(totals.last_mean_ms), "`" + Sparkline(means) + "`"});
    }
    out += "\n";
  }

  out += "## Findings by severity\n\n";
  if (!report.findings_source.available) {
    out += Unavailable(report.findings_source);
  } else {
    out += C(report.findings_origin) + "\n\n";
    out += "critical: " + std::to_string(counts.critical) +
           ", warning: " + std::to_string(counts.warning) +
           ", info: " + std::to_string(counts.info) + "\n\n";
    if (!report.findings.empty()) {
      out += Header({"severity", "check", "object", "message", "source"}, {});
      for (const OpsFinding& f : SortedFindings(report.findings))
        out +=
            Row({C(f.severity), C(f.check_id), C(f.object_name), C(f.message, 300), C(f.source)});
      out += "\n";
    }
  }

  out += "## Findings that appeared or were fixed\n\n";
  if (!report.changes_source.available) {
    out += Unavailable(report.changes_source);
  } else if (report.snapshots == 0) {
    out += NoHistory(report);
  } else if (report.changes.empty()) {
    out += "No finding appeared or was fixed in this window.\n\n";
  } else {
    out += Header(
        {"change", "severity", "check", "object", "message", "first seen (UTC)", "last seen (UTC)"},
        {});
    for (const OpsFindingChange& c : report.changes)
      out += Row({C(c.change), C(c.severity), C(c.check_id), C(c.object_name), C(c.message, 200),
                  C(UtcOrEmpty(c.first_seen)), C(UtcOrEmpty(c.last_seen))});
    out += "\n";
  }

  out += "## Index usage over time\n\n";
  if (!report.index_usage_source.available) {
    out += Unavailable(report.index_usage_source);
  } else if (report.index_usage.empty()) {
    out += NoHistory(report);
  } else {
    out += Header({"index", "table", "scans in window", "size", "scans per interval"},
                  {false, false, true, true, false});
    for (const IndexTotals& index : IndexUsageTotals(report.index_usage)) {
      std::vector<std::pair<double, double>> points;
      for (const OpsIndexUsagePoint& p : report.index_usage)
        if (p.index_name == index.index_name)
          points.emplace_back(p.taken_at, static_cast<double>(p.scans_delta));
      std::stable_sort(points.begin(), points.end());
      std::vector<double> scans;
      for (const auto& p : points) scans.push_back(p.second);
      out += Row({C(index.index_name), C(index.relation), Count(index.scans),
                  Bytes(index.size_bytes), "`" + Sparkline(scans) + "`"});
    }
    out += "\n";
  }

  out += "## Sequential scan growth\n\n";
  if (!report.seq_scan_source.available) {
    out += Unavailable(report.seq_scan_source);
  } else if (report.seq_scan_growth.empty()) {
    out += report.snapshots == 0 ? NoHistory(report) : "No table's sequential scans grew.\n\n";
  } else {
    out += Header({"table", "scans/h before", "scans/h recent", "rows read recently", "growth"},
                  {false, true, true, true, true});
    for (const OpsSeqScanGrowth& g : report.seq_scan_growth)
      out += Row({C(g.relation), Rate(g.before_rate), Rate(g.recent_rate),
                  Count(g.seq_tup_read_recent), Ratio(g.growth)});
    out += "\n";
  }

  out += "## Indexes unused since " + C(report.since) + " UTC\n\n";
  if (!report.unused_source.available) {
    out += Unavailable(report.unused_source);
  } else if (report.unused_indexes.empty()) {
    out += report.snapshots == 0 ? NoHistory(report) : "Every index used before is still used.\n\n";
  } else {
    out += Header({"index", "table", "last used (UTC)", "scans before", "size"},
                  {false, false, false, true, true});
    for (const OpsUnusedIndex& u : report.unused_indexes)
      out += Row({C(u.index_name), C(u.relation), C(UtcOrEmpty(u.last_used)), Count(u.scans_before),
                  Bytes(u.size_bytes)});
    out += "\n";
  }
  out += "_Written by `dbopt report`; times in UTC._\n";
  return out;
}

}  // namespace dbopt::cli
