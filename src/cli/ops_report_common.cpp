#include "cli/ops_report_common.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "core/report/svg_chart.hpp"

namespace dbopt::cli {
namespace {

std::string Printf(const char* format, double value) {
  if (!std::isfinite(value)) return "n/a";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, format, value);
  return buffer;
}

int SeverityRank(const std::string& severity) {
  if (severity == "critical") return 0;
  if (severity == "warning") return 1;
  return 2;
}

}  // namespace

std::string Count(std::int64_t value) {
  const std::string digits = std::to_string(value < 0 ? -value : value);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return value < 0 ? "-" + out : out;
}

std::string Ms(double ms) {
  return Printf("%.2f", ms);
}

std::string Ratio(double ratio) {
  return Printf("%.2f", ratio);
}

std::string Rate(double rate) {
  return Printf("%.1f", rate);
}

std::string Bytes(std::int64_t bytes) {
  if (bytes < 1024) return std::to_string(bytes) + " bytes";
  static const char* const kUnits[] = {"kB", "MB", "GB", "TB"};
  double value = static_cast<double>(bytes) / 1024;
  size_t unit = 0;
  while (value >= 1024 && unit + 1 < sizeof kUnits / sizeof kUnits[0]) {
    value /= 1024;
    ++unit;
  }
  return Printf(value < 10 ? "%.1f" : "%.0f", value) + " " + kUnits[unit];
}

std::string UtcOrEmpty(double epoch) {
  return std::isfinite(epoch) ? report::FormatUtc(epoch) : "";
}

std::string OneLineText(const std::string& text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

std::vector<OpsOutcome> AppliedIndexes(const std::vector<OpsOutcome>& outcomes) {
  std::vector<OpsOutcome> applied;
  for (const OpsOutcome& outcome : outcomes)
    if (std::none_of(applied.begin(), applied.end(),
                     [&](const OpsOutcome& a) { return a.apply_id == outcome.apply_id; }))
      applied.push_back(outcome);
  return applied;
}

std::string OutcomeLabel(const OpsOutcome& outcome) {
  std::string query = OneLineText(outcome.query);
  if (query.size() > 60) query = query.substr(0, 57) + "...";
  return outcome.index_name + ": " + (query.empty() ? outcome.queryid : query);
}

QueryTotals TotalsOf(const std::vector<OpsQueryPoint>& points, const std::string& queryid) {
  QueryTotals totals;
  totals.first_mean_ms = totals.last_mean_ms = NAN;
  double first_at = INFINITY, last_at = -INFINITY;
  for (const OpsQueryPoint& point : points) {
    if (point.queryid != queryid) continue;
    if (totals.query.empty()) totals.query = point.query;
    totals.calls += point.calls;
    totals.total_ms += point.total_ms;
    if (point.calls <= 0) continue;
    if (point.taken_at < first_at) {
      first_at = point.taken_at;
      totals.first_mean_ms = point.mean_ms;
    }
    if (point.taken_at >= last_at) {
      last_at = point.taken_at;
      totals.last_mean_ms = point.mean_ms;
    }
  }
  return totals;
}

std::vector<std::string> TrendQueryOrder(const std::vector<OpsQueryPoint>& points) {
  std::vector<std::string> order;
  std::map<std::string, double> total;
  for (const OpsQueryPoint& point : points) {
    if (total.find(point.queryid) == total.end()) order.push_back(point.queryid);
    total[point.queryid] += point.total_ms;
  }
  std::stable_sort(order.begin(), order.end(),
                   [&](const std::string& a, const std::string& b) { return total[a] > total[b]; });
  return order;
}

std::vector<IndexTotals> IndexUsageTotals(const std::vector<OpsIndexUsagePoint>& points) {
  std::vector<IndexTotals> totals;
  std::map<std::string, size_t> at;
  std::map<std::string, double> last_seen;
  for (const OpsIndexUsagePoint& point : points) {
    auto found = at.find(point.index_name);
    if (found == at.end()) {
      found = at.emplace(point.index_name, totals.size()).first;
      totals.push_back({point.index_name, point.relation, 0, point.size_bytes});
      last_seen[point.index_name] = point.taken_at;
    }
    IndexTotals& index = totals[found->second];
    index.scans += point.scans_delta;
    if (point.taken_at >= last_seen[point.index_name]) {
      last_seen[point.index_name] = point.taken_at;
      index.size_bytes = point.size_bytes;
    }
  }
  std::stable_sort(totals.begin(), totals.end(),
                   [](const IndexTotals& a, const IndexTotals& b) { return a.scans > b.scans; });
  return totals;
}

SeverityCounts CountSeverities(const std::vector<OpsFinding>& findings) {
  SeverityCounts counts;
  for (const OpsFinding& finding : findings) {
    const int rank = SeverityRank(finding.severity);
    (rank == 0 ? counts.critical : rank == 1 ? counts.warning : counts.info)++;
  }
  return counts;
}

std::vector<OpsFinding> SortedFindings(std::vector<OpsFinding> findings) {
  std::stable_sort(findings.begin(), findings.end(), [](const OpsFinding& a, const OpsFinding& b) {
    return SeverityRank(a.severity) < SeverityRank(b.severity);
  });
  return findings;
}

std::string MarkdownCell(const std::string& text, size_t max_chars) {
  std::string line = OneLineText(text);
  if (max_chars > 0) {
    size_t chars = 0, cut = std::string::npos;
    for (size_t i = 0; i < line.size(); ++i) {
      if ((static_cast<unsigned char>(line[i]) & 0xC0) == 0x80) continue;
      if (chars == max_chars - 1) cut = i;
      ++chars;
    }
    if (chars > max_chars && cut != std::string::npos) line = line.substr(0, cut) + "\xE2\x80\xA6";
  }
  std::string out;
  for (char c : line) {
    // CommonMark lets any ASCII punctuation be escaped; these would otherwise start markup,
    // and a pipe would end the table cell (GitHub honors \| even inside code spans).
    if (std::string("\\`*_[]<>|~#!&$").find(c) != std::string::npos) out += '\\';
    out += c;
  }
  return out;
}

}  // namespace dbopt::cli
