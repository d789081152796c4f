// What `dbopt top` shows: the heaviest captured queries of one database (from
// dbopt_queries) with their access paths (from dbopt_access_paths), and the small pieces of
// formatting both output formats share. Pure: filled by top_query.cpp, rendered by
// top_render_text.cpp and top_render_json.cpp.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "cli/args.hpp"

namespace dbopt::cli {

// One relation scan of a query, averaged over its sampled executions. Row figures are per
// loop, as EXPLAIN ANALYZE shows them; NaN where the server had none (NULL).
struct TopAccessPath {
  std::string relation;    // qualified name; "" when it could not be resolved (dropped)
  std::string relid;       // the relation's oid, shown when relation is ""
  std::string scan_kind;   // seq, index, index_only, bitmap, tid
  std::string index_name;  // "" when the scan used none
  std::int64_t samples = 0;
  double loops = 0;
  double est_rows = 0;
  double actual_rows = 0;
  double rows_removed_by_filter = 0;
};

struct TopQuery {
  std::string queryid;  // text: a bigint does not survive JSON readers that use doubles
  std::string user;
  bool toplevel = true;  // false: run inside a function or DO block
  std::int64_t calls = 0;
  double total_time_ms = 0;
  double mean_time_ms = 0;
  std::int64_t rows = 0;
  std::int64_t sampled_calls = 0;
  double share_percent = 0;  // of the total time of every query in scope
  bool has_text = false;
  std::string query;  // normalized text
  std::vector<TopAccessPath> access_paths;
};

struct TopReport {
  std::string database;
  std::string user;  // the connected user (whose queries are shown unless all_users)
  bool all_users = false;
  TopOrder order_by = TopOrder::kTotalTime;
  std::int64_t queries_in_scope = 0;  // before --limit
  double total_time_ms = 0;           // of every query in scope
  std::string since;                  // when capture started or was last reset
  std::string sample_rate;            // dbopt.sample_rate, "" if unknown
  std::vector<TopQuery> queries;      // ranked, at most --limit
};

// Human name of an ordering for headers: "total time", "mean time", "calls", "rows".
std::string TopOrderLabel(TopOrder order);

// EXPLAIN's name for a scan: "Seq Scan on public.t", "Index Scan using t_pkey on public.t"
// (the index without its schema, which is the table's).
std::string AccessPathLabel(const TopAccessPath& path);

// Query text on one line: runs of white space (newlines included) become one space.
std::string OneLineQuery(const std::string& text);

// At most width characters, the last one "…" when cut; width 0: unchanged.
std::string Truncated(const std::string& text, size_t width);

// Row figures: "-" for NaN, whole numbers as such, small fractions with one decimal
// ("0.5": an index probe that finds a row every other loop).
std::string FormatRows(double rows);
// Milliseconds with the given number of decimals.
std::string FormatMs(double ms, int decimals);

}  // namespace dbopt::cli
