#include <algorithm>
#include <cstdio>

#include "cli/advise_render.hpp"
#include "cli/render_text.hpp"
#include "cli/report.hpp"
#include "cli/terminal.hpp"
#include "cli/text_layout.hpp"
#include "cli/top_report.hpp"

namespace dbopt::cli {
namespace {

constexpr size_t kMinQueryWidth = 20;

std::string Plural(std::int64_t n, const std::string& one, const std::string& many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string Percent(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f%%", value);
  return text;
}

void AddWrapped(const std::string& text, size_t width, std::string* out) {
  for (const std::string& line : WrapText(text, width)) *out += line + "\n";
}

std::string Header(const AdviseReport& report) {
  const AdviseSummary& s = report.summary;
  std::string header = "dbopt advise: ";
  header += report.indexes.empty() ? "no index to recommend"
                                   : Plural(static_cast<std::int64_t>(report.indexes.size()),
                                            "index recommended", "indexes recommended");
  header += " for database \"" + report.database + "\" (algorithm " + s.algorithm + ", " +
            Plural(s.queries, "query", "queries") + " advised on";
  if (s.skipped_queries > 0) header += ", " + std::to_string(s.skipped_queries) + " skipped";
  return header + ")";
}

std::string Workload(const AdviseReport& report) {
  const AdviseSummary& s = report.summary;
  const AdviseOptions& o = report.options;
  std::string line =
      "weighted workload cost " + FormatCost(s.cost_before) + " -> " + FormatCost(s.cost_after) +
      " (-" + Percent(s.improvement_pct) + "), write cost of the new indexes " +
      FormatCost(s.write_cost) + "; " + FormatBytes(s.bytes_used) + " of " +
      (s.budget_bytes < 0 ? std::string("no budget")
                          : "a " + FormatBytes(s.budget_bytes) + " budget") +
      ", at most " +
      (o.max_indexes == AdviseOptions::kNoLimit ? std::string("unlimited")
                                                : std::to_string(o.max_indexes)) +
      " indexes of " + std::to_string(o.max_columns) + " columns; " +
      std::to_string(s.planner_calls) + " planner calls in " + FormatMs(s.elapsed_ms, 0) + " ms";
  if (s.below_floor > 0)
    line += "; " + Plural(s.below_floor, "candidate", "candidates") +
            " left out below the benefit floor (--min-benefit-per-size)";
  return line;
}

std::string Outcome(const ApplyOutcome& outcome) {
  switch (outcome.status) {
    case ApplyOutcome::Status::kCreated: {
      char seconds[32];
      std::snprintf(seconds, sizeof seconds, "%.1f s", outcome.build_ms / 1000);
      std::string text = "created and valid (" + std::string(seconds) + ", " +
                         FormatBytes(outcome.actual_bytes) + ")";
      if (!outcome.error.empty()) return text + "; " + outcome.error;
      return text + "; baseline of " + Plural(outcome.baseline_rows, "query", "queries") +
             " recorded as apply_id " + outcome.apply_id;
    }
    case ApplyOutcome::Status::kFailed:
    case ApplyOutcome::Status::kCancelled: {
      std::string text =
          std::string(outcome.status == ApplyOutcome::Status::kFailed ? "FAILED: "
                                                                      : "CANCELLED: ") +
          OneLine(outcome.error);
      for (const std::string& name : outcome.dropped) text += "; dropped " + name;
      for (const std::string& name : outcome.left)
        text += "; LEFT BEHIND " + name + " (drop it by hand)";
      return text;
    }
    case ApplyOutcome::Status::kNotRun:
      break;
  }
  return "not applied (the run stopped earlier)";
}

}  // namespace

std::string FormatCost(double cost) {
  char text[48];
  std::snprintf(text, sizeof text, cost >= 100 || cost <= -100 ? "%.0f" : "%.2f", cost);
  return text;
}

std::string FormatCalls(double calls) {
  if (calls == static_cast<double>(static_cast<std::int64_t>(calls)))
    return std::to_string(static_cast<std::int64_t>(calls));
  return FormatCost(calls);
}

std::string RenderAdviseText(const AdviseReport& report, const TextStyle& style) {
  std::string out;
  AddWrapped(Header(report), style.width, &out);
  AddWrapped(Workload(report), style.width, &out);
  if (report.indexes.empty()) {
    if (report.summary.queries == 0)
      AddWrapped(
          "nothing captured to advise on yet in this database: run the workload first "
          "(the server needs shared_preload_libraries = 'dbopt'), or lower --min-calls",
          style.width, &out);
    return out;
  }
  out += "\n";

  const std::string indent = "  ";
  const std::vector<AlignedColumn> columns = {{"#", true},      {"index", false}, {"table", false},
                                              {"kind", false},  {"size", true},   {"benefit", true},
                                              {"queries", true}};
  std::vector<std::vector<std::string>> rows;
  for (const AdvisedIndex& index : report.indexes)
    rows.push_back({std::to_string(index.rank), index.index_name, index.table_name, index.kind,
                    FormatBytes(index.estimated_bytes), FormatCost(index.benefit),
                    std::to_string(index.queries.size())});
  const std::vector<size_t> widths = AlignedWidths(columns, rows);
  out += Paint(JoinAligned(indent, columns, widths, AlignedHeaders(columns)), kBold, style.color) +
         "\n";
  for (const auto& row : rows) out += JoinAligned(indent, columns, widths, row) + "\n";

  // The queries each index helps, as the advisor costed them (per call).
  const std::vector<AlignedColumn> query_columns = {{"queryid", true},
                                                    {"calls", true},
                                                    {"cost before", true},
                                                    {"cost after", true},
                                                    {"query", false}};
  for (const AdvisedIndex& index : report.indexes) {
    out += "\n" + indent + std::to_string(index.rank) + "  " + index.index_name + " helps:\n";
    std::vector<std::vector<std::string>> query_rows;
    for (const AdvisedQuery& query : index.queries)
      query_rows.push_back({query.queryid, FormatCalls(query.calls), FormatCost(query.cost_before),
                            FormatCost(query.cost_after),
                            query.query.empty() ? "<no text>" : OneLineQuery(query.query)});
    const std::string query_indent = indent + "   ";
    const std::vector<size_t> query_widths = AlignedWidths(query_columns, query_rows);
    size_t used = query_indent.size();
    for (size_t i = 0; i + 1 < query_columns.size(); ++i) used += query_widths[i] + 2;
    const size_t text_width =
        style.width == 0 ? 0
                         : std::max(kMinQueryWidth, style.width > used ? style.width - used : 0);
    out +=
        Paint(JoinAligned(query_indent, query_columns, query_widths, AlignedHeaders(query_columns)),
              kBold, style.color) +
        "\n";
    for (auto& row : query_rows) {
      row.back() = Truncated(row.back(), text_width);
      out += JoinAligned(query_indent, query_columns, query_widths, row) + "\n";
    }
  }

  out += "\n";
  if (report.applied) {
    out += indent + "applied (each statement on its own, in autocommit):\n";
    for (const AdvisedIndex& index : report.indexes)
      for (const std::string& line : WrapText(
               std::to_string(index.rank) + "  " + index.index_name + ": " + Outcome(index.outcome),
               style.width > indent.size() ? style.width - indent.size() : 0))
        out += indent + line + "\n";
    if (report.interrupted) out += indent + "stopped by Ctrl-C\n";
    return out;
  }
  out += indent +
         "to apply: dbopt advise --apply (same options), or run each statement on its own, not "
         "in a transaction:\n";
  for (const AdvisedIndex& index : report.indexes)
    for (const std::string& statement : index.remediation)
      out += indent + std::to_string(index.rank) + "  " + TerminatedStatement(statement) + "\n";
  return out;
}

std::string RenderAdviseSql(const AdviseReport& report) {
  std::string out = "-- dbopt advise: index recommendations for database \"" +
                    OneLine(report.database) + "\"\n-- " + OneLine(Workload(report)) +
                    "\n-- Review it, then run it outside a transaction block (each statement on "
                    "its own):\n--   psql -v ON_ERROR_STOP=1 -f this-file.sql\n";
  if (report.indexes.empty()) return out + "\n-- no index to recommend: nothing to do\n";
  for (const AdvisedIndex& index : report.indexes) {
    out += "\n-- " + std::to_string(index.rank) + ". " + OneLine(index.index_name) + " (" +
           OneLine(index.kind) + ") on " + OneLine(index.table_name) + ": estimated " +
           FormatBytes(index.estimated_bytes) + ", benefit " + FormatCost(index.benefit) +
           ", helps " +
           Plural(static_cast<std::int64_t>(index.queries.size()), "query", "queries") + "\n";
    for (const std::string& statement : index.remediation) {
      const std::string terminated = TerminatedStatement(statement);
      if (!terminated.empty()) out += terminated + "\n";
    }
    for (const std::string& statement : index.revert) {
      const std::string terminated = TerminatedStatement(statement);
      if (!terminated.empty()) out += "-- revert: " + OneLine(terminated) + "\n";
    }
  }
  return out;
}

}  // namespace dbopt::cli
