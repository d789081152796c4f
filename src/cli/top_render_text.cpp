#include <algorithm>

#include "cli/terminal.hpp"
#include "cli/text_layout.hpp"
#include "cli/top_render.hpp"

namespace dbopt::cli {
namespace {

constexpr size_t kMinQueryWidth = 20;

std::string Scope(const TopReport& report) {
  std::string scope = "in database \"" + report.database + "\"";
  if (!report.all_users) scope += " for user " + report.user;
  return scope;
}

std::string Header(const TopReport& report) {
  std::string header = "dbopt top: ";
  const size_t shown = report.queries.size();
  if (static_cast<std::int64_t>(shown) < report.queries_in_scope)
    header += std::to_string(shown) + " of " + std::to_string(report.queries_in_scope);
  else
    header += std::to_string(shown);
  header += shown == 1 && report.queries_in_scope == 1 ? " query " : " queries ";
  header += Scope(report) + " by " + TopOrderLabel(report.order_by);
  if (!report.since.empty()) header += " (captured since " + report.since + ")";
  return header;
}

std::string NoPathsNote(const TopQuery& query, const TopReport& report) {
  if (query.sampled_calls > 0)
    return "(no table scanned in " + std::to_string(query.sampled_calls) + " sampled execution" +
           (query.sampled_calls == 1 ? ")" : "s)");
  std::string note = "(access paths not sampled yet";
  if (!report.sample_rate.empty()) note += ": dbopt.sample_rate = " + report.sample_rate;
  return note + ")";
}

std::vector<std::string> PathCells(const TopAccessPath& path) {
  return {FormatRows(path.est_rows), FormatRows(path.actual_rows),
          FormatRows(path.rows_removed_by_filter), FormatRows(path.loops), AccessPathLabel(path)};
}

}  // namespace

std::string RenderTopText(const TopReport& report, const TextStyle& style) {
  std::string out;
  if (report.queries.empty()) {
    std::string line = "dbopt top: no queries captured yet " + Scope(report);
    if (!report.since.empty()) line += " (since " + report.since + ")";
    if (!report.all_users) line += "; --all-users shows every user's queries";
    for (const std::string& wrapped : WrapText(line, style.width)) out += wrapped + "\n";
    return out;
  }
  for (const std::string& line : WrapText(Header(report), style.width)) out += line + "\n";
  out += "\n";

  std::vector<AlignedColumn> columns = {{"#", true},        {"queryid", true}, {"calls", true},
                                        {"total ms", true}, {"mean ms", true}, {"rows", true},
                                        {"time %", true}};
  if (report.all_users) columns.push_back({"user", false});
  columns.push_back({"query", false});

  std::vector<std::vector<std::string>> rows;
  std::vector<std::vector<std::string>> paths;  // every access path line's cells
  for (size_t i = 0; i < report.queries.size(); ++i) {
    const TopQuery& query = report.queries[i];
    std::vector<std::string> row = {
        std::to_string(i + 1),           query.queryid,
        std::to_string(query.calls),     FormatMs(query.total_time_ms, 2),
        FormatMs(query.mean_time_ms, 3), std::to_string(query.rows),
        FormatMs(query.share_percent, 1)};
    if (report.all_users) row.push_back(query.user);
    std::string text = query.has_text ? OneLineQuery(query.query) : "<no text captured>";
    if (!query.toplevel) text = "(nested) " + text;
    row.push_back(text);
    rows.push_back(row);
    for (const TopAccessPath& path : query.access_paths) paths.push_back(PathCells(path));
  }
  std::vector<size_t> widths = AlignedWidths(columns, rows);
  const std::string indent = "  ";
  size_t used = indent.size();
  for (size_t i = 0; i + 1 < columns.size(); ++i) used += widths[i] + 2;
  const size_t query_width =
      style.width == 0 ? 0 : std::max(kMinQueryWidth, style.width > used ? style.width - used : 0);

  // Access paths start under the queryid column; figures first, the label last (cut like
  // the query text).
  const std::string path_indent(indent.size() + widths[0] + 2, ' ');
  const std::vector<AlignedColumn> path_columns = {{"est rows", true},
                                                   {"actual", true},
                                                   {"removed", true},
                                                   {"loops", true},
                                                   {"access path", false}};
  const std::vector<size_t> path_widths = AlignedWidths(path_columns, paths);
  size_t path_used = path_indent.size();
  for (size_t i = 0; i + 1 < path_columns.size(); ++i) path_used += path_widths[i] + 2;
  const size_t label_width =
      style.width == 0
          ? 0
          : std::max(kMinQueryWidth, style.width > path_used ? style.width - path_used : 0);

  out += Paint(JoinAligned(indent, columns, widths, AlignedHeaders(columns)), kBold, style.color) +
         "\n";
  for (size_t i = 0; i < report.queries.size(); ++i) {
    std::vector<std::string>& row = rows[i];
    row.back() = Truncated(row.back(), query_width);
    out += JoinAligned(indent, columns, widths, row) + "\n";
    const TopQuery& query = report.queries[i];
    if (query.access_paths.empty()) {
      out += path_indent + NoPathsNote(query, report) + "\n";
      continue;
    }
    out += Paint(JoinAligned(path_indent, path_columns, path_widths, AlignedHeaders(path_columns)),
                 kBold, style.color) +
           "\n";
    for (const TopAccessPath& path : query.access_paths) {
      std::vector<std::string> cells = PathCells(path);
      cells.back() = Truncated(cells.back(), label_width);
      out += JoinAligned(path_indent, path_columns, path_widths, cells) + "\n";
    }
  }
  out += "\n";
  std::string legend =
      "times in ms; access paths: rows per loop (est rows: the planner's estimate; actual and "
      "removed by filter: measured), averaged over the sampled executions";
  if (!report.sample_rate.empty()) legend += " (dbopt.sample_rate = " + report.sample_rate + ")";
  for (const std::string& line : WrapText(legend, style.width)) out += line + "\n";
  return out;
}

}  // namespace dbopt::cli
