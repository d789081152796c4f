// `dbopt report` (docs/operations.md, "Report"): what the report shows, read from the
// history functions and tables by ops_report_query.cpp and written as one self-contained
// HTML file (ops_report_html.cpp, inline CSS and SVG) or as Markdown for a ticket
// (ops_report_markdown.cpp). Not to be confused with report.hpp (`dbopt health`'s findings).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace dbopt::cli {

enum class OpsReportFormat { kHtml, kMarkdown };

// Whether a section's source could be read; when not, why (a function this server's dbopt
// does not have yet, a missing privilege, the server's error), shown instead of the section.
struct SourceStatus {
  bool available = true;
  std::string reason;
};

struct OpsWorkloadPoint {  // dbopt_workload_trend(): the whole workload per snapshot interval
  std::int64_t snapshot_id = 0;
  double taken_at = 0;  // Unix epoch seconds
  std::int64_t calls = 0;
  double total_ms = 0;
};

struct OpsOutcome {  // dbopt_recommendation_outcomes(): one row per applied index and query
  std::int64_t apply_id = 0;
  std::string index_name;
  double applied_at = 0;
  std::string queryid;
  std::string query;
  std::int64_t calls_before = 0;
  double mean_ms_before = 0;  // NaN when unknown
  std::int64_t calls_after = 0;
  double mean_ms_after = 0;
  double promised_ratio = 0;
  double realized_ratio = 0;
  std::int64_t index_scans_since = 0;
  std::string status;
};

struct OpsQueryPoint {  // dbopt_query_trend(): per top query and snapshot interval
  std::string queryid;
  std::string query;
  std::int64_t snapshot_id = 0;
  double taken_at = 0;
  std::int64_t calls = 0;
  double mean_ms = 0;
  double total_ms = 0;
};

struct OpsFinding {
  std::string source;  // antipatterns | health
  std::string check_id;
  std::string severity;
  std::string object_type;
  std::string object_name;
  std::string message;
};

struct OpsFindingChange {  // dbopt_finding_changes()
  std::string change;      // appeared | fixed
  std::string source;
  std::string check_id;
  std::string severity;
  std::string object_name;
  std::string message;
  double first_seen = 0;
  double last_seen = 0;
};

struct OpsIndexUsagePoint {  // snapshot_index: scans per snapshot interval
  std::string index_name;
  std::string relation;
  double taken_at = 0;
  std::int64_t scans_delta = 0;
  std::int64_t size_bytes = 0;
};

struct OpsSeqScanGrowth {  // dbopt_seq_scan_growth()
  std::string relation;
  double before_rate = 0;
  double recent_rate = 0;
  std::int64_t seq_tup_read_recent = 0;
  double growth = 0;
};

struct OpsUnusedIndex {  // dbopt_unused_since()
  std::string index_name;
  std::string relation;
  double last_used = 0;  // NaN when unknown
  std::int64_t scans_before = 0;
  std::int64_t size_bytes = 0;
};

struct OpsReport {
  std::string database;
  std::string generated_at;  // UTC text
  std::string since;         // UTC text: the start of the window
  double since_epoch = 0;
  std::string dbopt_version;

  // History: the snapshot table.
  SourceStatus history;
  std::int64_t snapshots = 0;        // in the window
  std::int64_t snapshots_total = 0;  // all kept
  std::string first_snapshot;        // UTC text of the first and last in the window
  std::string last_snapshot;

  SourceStatus workload_source;
  std::vector<OpsWorkloadPoint> workload;
  SourceStatus outcomes_source;
  std::vector<OpsOutcome> outcomes;
  SourceStatus query_trend_source;
  std::vector<OpsQueryPoint> query_trend;
  SourceStatus findings_source;
  std::string findings_origin;  // where the findings come from, e.g. "snapshot 12 (...)"
  std::vector<OpsFinding> findings;
  SourceStatus changes_source;
  std::vector<OpsFindingChange> changes;
  SourceStatus index_usage_source;
  std::vector<OpsIndexUsagePoint> index_usage;
  SourceStatus seq_scan_source;
  std::vector<OpsSeqScanGrowth> seq_scan_growth;
  SourceStatus unused_source;
  std::vector<OpsUnusedIndex> unused_indexes;
};

// The whole document. Every text from the database is escaped for its format.
std::string RenderOpsReportHtml(const OpsReport& report);
std::string RenderOpsReportMarkdown(const OpsReport& report);

// A table cell of GitHub-flavored Markdown: one line, pipes and Markdown's inline markup
// escaped, cut to max_chars characters (0: whole) with an ellipsis.
std::string MarkdownCell(const std::string& text, size_t max_chars = 0);

// The query ids of the query trend, heaviest total time first (the order of the legend).
std::vector<std::string> TrendQueryOrder(const std::vector<OpsQueryPoint>& points);

}  // namespace dbopt::cli
