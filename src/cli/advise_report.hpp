// What `dbopt advise` shows: the recommendations (dbopt_recommend_indexes()'s rows) with the
// queries each one helps and the workload summary (dbopt_recommendation_summary()'s row),
// both from one dbopt_advise() call, and with
// --apply what happened to each index. Pure: filled by advise_query.cpp and
// advise_apply.cpp, rendered by advise_render_*.cpp.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "cli/args.hpp"
#include "core/advisor/summary.hpp"

namespace dbopt::cli {

// A query a recommendation helps, as the advisor saw it (planner cost per call).
struct AdvisedQuery {
  std::string queryid;  // text: a bigint does not survive JSON readers that use doubles
  std::string query;    // normalized text; "" when none was stored
  double calls = 0;     // the calls the advisor weighted it with
  double cost_before = 0;
  double cost_after = 0;
};

// The outcome of building one recommendation (--apply).
struct ApplyOutcome {
  enum class Status {
    kNotRun,     // not attempted: an earlier one failed or Ctrl-C stopped the run
    kCreated,    // every statement ran and the index is valid; baseline recorded
    kFailed,     // a statement failed or the index is not valid; what it built was dropped
    kCancelled,  // Ctrl-C during its statements; what it built was dropped
  };
  Status status = Status::kNotRun;
  double build_ms = 0;
  std::int64_t actual_bytes = -1;    // pg_relation_size() of the built index; -1 unknown
  std::string error;                 // the server's message (kFailed, kCancelled)
  std::vector<std::string> dropped;  // indexes dropped after a failure (invalid ones first)
  std::vector<std::string> left;     // indexes that could not be dropped: the user must
  std::string apply_id;              // the applied_index row (kCreated)
  int baseline_rows = 0;             // applied_index_baseline rows written
};

struct AdvisedIndex {
  int rank = 0;
  std::string index_name;  // qualified
  std::string table_name;  // qualified
  std::string kind;
  std::int64_t estimated_bytes = 0;
  double write_overhead = 0;
  double benefit = 0;
  std::vector<AdvisedQuery> queries;
  std::vector<std::string> remediation;  // one statement each, autocommit
  std::vector<std::string> revert;
  ApplyOutcome outcome;
};

using AdviseSummary = advisor::AdviceSummary;  // the server's summary, as it sends it

struct AdviseReport {
  std::string database;
  AdviseOptions options;
  AdviseSummary summary;
  std::vector<AdvisedIndex> indexes;  // in rank order
  bool applied = false;               // --apply ran (outcomes are filled)
  bool interrupted = false;           // Ctrl-C stopped the apply
};

const char* ApplyStatusName(ApplyOutcome::Status status);  // not_run, created, failed, cancelled

// True when every recommendation was built (also when there was none).
bool AllApplied(const AdviseReport& report);

// Bytes for people: "8192 bytes", "24 kB", "1.5 MB", "2.0 GB" (powers of 1024, as
// pg_size_pretty).
std::string FormatBytes(std::int64_t bytes);

}  // namespace dbopt::cli
