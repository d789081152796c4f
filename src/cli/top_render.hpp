// The two formats of `dbopt top`. text: a header line, then one table row per query
// (rank, queryid, calls, total and mean ms, rows, share of time, the query on one line cut
// to the width) with its access paths under it, EXPLAIN-style. json: one object with the
// scope and a "queries" array, each query with its "access_paths".
#pragma once
#include <string>

#include "cli/render_text.hpp"
#include "cli/top_report.hpp"

namespace dbopt::cli {

std::string RenderTopText(const TopReport& report, const TextStyle& style);
std::string RenderTopJson(const TopReport& report);

}  // namespace dbopt::cli
