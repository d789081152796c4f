// What the HTML and Markdown variants of `dbopt report` share: number formats and the
// summaries computed from the report's rows (totals per query and index, applied indexes,
// findings by severity).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "cli/ops_report.hpp"

namespace dbopt::cli {

constexpr size_t kChartSeriesLimit = 8;  // lines or bar groups in one chart

std::string Count(std::int64_t value);             // 1234567 -> "1,234,567"
std::string Ms(double ms);                         // "12.35"; "n/a" when not finite
std::string Ratio(double ratio);                   // "0.42"; "n/a" when not finite
std::string Rate(double rate);                     // "3.5"; "n/a"
std::string Bytes(std::int64_t bytes);             // "16 kB", "2.1 MB"
std::string UtcOrEmpty(double epoch);              // FormatUtc, "" for NaN
std::string OneLineText(const std::string& text);  // whitespace runs become one space

// One row per applied index (the first outcome row of each apply_id), in the rows' order.
std::vector<OpsOutcome> AppliedIndexes(const std::vector<OpsOutcome>& outcomes);
// "index_name: query" (cut), to name an outcome in a chart.
std::string OutcomeLabel(const OpsOutcome& outcome);

struct QueryTotals {
  std::string query;
  std::int64_t calls = 0;
  double total_ms = 0;
  double first_mean_ms = 0;  // of the first and last interval with calls; NaN if none
  double last_mean_ms = 0;
};
QueryTotals TotalsOf(const std::vector<OpsQueryPoint>& points, const std::string& queryid);

struct IndexTotals {
  std::string index_name;
  std::string relation;
  std::int64_t scans = 0;       // in the window
  std::int64_t size_bytes = 0;  // at the last snapshot
};
// Every index of the usage rows, most scans first.
std::vector<IndexTotals> IndexUsageTotals(const std::vector<OpsIndexUsagePoint>& points);

struct SeverityCounts {
  int critical = 0;
  int warning = 0;
  int info = 0;
};
SeverityCounts CountSeverities(const std::vector<OpsFinding>& findings);
// Most severe first, keeping the order within a severity.
std::vector<OpsFinding> SortedFindings(std::vector<OpsFinding> findings);

}  // namespace dbopt::cli
