// The workload exchange document: what dbopt_export_workload() writes and
// dbopt_import_workload() reads, so the queries captured on one server (a hot standby, say)
// can be merged into another's store. Everything here is names and numbers: the server glue
// maps database, role and relation names to its own OIDs. Format: docs/capture.md.
#pragma once
#include "core/capture/qual_shape.hpp"
#include "core/common/no_postgres.hpp"

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace dbopt::capture {

constexpr const char* kWorkloadFormat = "dbopt-workload";
constexpr int kWorkloadVersion = 1;
constexpr const char* kLocalOrigin = "local";
constexpr std::size_t kMaxOriginLength = 63;  // fits a PostgreSQL name

// A document that cannot be imported: message and hint for the user.
class WorkloadError : public std::runtime_error {
 public:
  WorkloadError(const std::string& message, std::string hint)
      : std::runtime_error(message), hint_(std::move(hint)) {}
  const std::string& hint() const { return hint_; }

 private:
  std::string hint_;
};

struct WorkloadAccess {
  std::string scan_kind;   // seq, index, index_only, bitmap, tid
  std::string relation;    // schema-qualified, quoted as needed; "" when unknown
  std::string index;       // likewise; "" without an index
  std::int64_t relid = 0;  // the source's OIDs (valid on a physical replica)
  std::int64_t indexid = 0;
  std::int64_t plan_calls = 0;  // executions whose plan had this scan
  double est_rows = 0;          // per loop, latest sample
  double loops = 0;             // totals over the samples
  double rows = 0;
  double removed_by_filter = 0;
  std::int64_t samples = 0;
  std::vector<QualShape> quals;           // attnums of the source
  std::vector<std::string> qual_columns;  // their column names; "" when unknown
};

// An ORDER BY or GROUP BY key that is a plain column of a table.
struct WorkloadOrderKey {
  std::string relation;  // schema-qualified; "" when unknown
  std::int64_t relid = 0;
  std::string column;  // "" when unknown
  std::int64_t attnum = 0;
  bool group = false;
  bool descending = false;
};

struct WorkloadEntry {
  std::string database;
  std::string role;
  std::int64_t queryid = 0;
  bool toplevel = true;
  std::string origin = kLocalOrigin;  // where the source itself got it from
  std::optional<std::string> query;   // normalized text; absent when hidden or not stored
  std::int64_t calls = 0;
  double total_time = 0;  // milliseconds
  double min_time = 0;
  double max_time = 0;
  std::int64_t rows = 0;
  std::int64_t sampled_calls = 0;
  // Sampled executions whose Limit node ran, and their runtime OFFSET and LIMIT values.
  std::int64_t limit_calls = 0;
  std::int64_t offset_calls = 0;
  std::int64_t max_offset = 0;
  double sum_offset = 0;
  std::int64_t count_calls = 0;
  double sum_count = 0;
  std::string first_seen;  // timestamptz text; "" when unknown
  std::string last_seen;
  std::vector<WorkloadAccess> access;
  std::vector<WorkloadOrderKey> order_keys;
};

struct WorkloadDocument {
  int version = kWorkloadVersion;
  std::string system_identifier;  // the source cluster's (text: a 64-bit unsigned number)
  std::string cluster_name;
  std::string host;
  std::string label;  // the default origin of its entries on import
  std::string exported_at;
  std::vector<WorkloadEntry> entries;
};

std::string WriteWorkload(const WorkloadDocument& document);
// Parses and validates a whole document; throws WorkloadError (nothing partial is returned).
WorkloadDocument ParseWorkload(const std::string& json);

// Throws WorkloadError unless `label` can name an origin (1..63 bytes, not "local").
void CheckOriginLabel(const std::string& label, const std::string& what);
// The origin an imported entry gets: the caller's label if given, else the entry's own origin
// when the source had imported it, else the document's label; throws WorkloadError when that
// is no valid label.
std::string ImportOrigin(const std::optional<std::string>& requested, const WorkloadEntry& entry,
                         const WorkloadDocument& document);
// The default label of an export: cluster_name, else host:port.
std::string ExportLabel(const std::string& cluster_name, const std::string& host, int port);

bool IsScanKind(const std::string& kind);

}  // namespace dbopt::capture
