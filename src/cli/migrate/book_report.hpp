// What `dbopt migrate status` and `dbopt migrate verify` show: the migration files, the
// history (migration_history) and the differences (dbopt_migration_verify(files)),
// and their text and json formats. Pure: the server side is book_query.cpp.
#pragma once
#include <string>
#include <vector>

#include "cli/render_text.hpp"

namespace dbopt::cli::migrate {

// A migration file as verify needs it.
struct BookFile {
  std::string version;
  std::string name;
  std::string checksum;
};

// One migration_history row, as ReadHistory (book_query.hpp) reads it for status, verify and
// the runner (up, down, baseline, repair).
struct HistoryRow {
  std::string version;
  std::string name;
  std::string kind;            // transactional, non_transactional, baseline
  std::string status;          // applied, running, failed, rolled_back, baseline
  std::string checksum;        // of the up section's tokens; "" for a baseline
  std::string up_sql;          // the up section as applied
  std::string down_sql;        // the down section as it was when applied
  bool has_down_sql = false;   // down_sql is not NULL
  std::string applied_at;      // "2026-12-01 15:45:00 UTC"
  std::string applied_at_iso;  // "2026-12-01T15:45:00.000000Z"
  std::string applied_by;
  bool has_duration = false;
  double duration_ms = 0;
  int statements_done = 0;
  int statements_total = 0;
  std::string error;
  std::string backup;
  int down_statements_done = -1;  // a revert in steps under way or interrupted; -1: none
};

// One row of dbopt_migration_verify(files).
struct Problem {
  std::string check_id;  // pending, out_of_order, checksum_changed, missing_file, failed,
                         // running, schema_drift
  std::string version;   // empty for schema_drift
  std::string name;
  std::string message;
  std::string fix;
  std::string detail_json;  // the server's jsonb text; empty: null
};

// One version, from its file, its history row or both.
struct MigrationState {
  std::string version;
  std::string name;
  bool has_file = false;
  bool in_history = false;
  HistoryRow history;             // when in_history
  std::vector<Problem> problems;  // verify's rows for this version
  // applied, baseline, running, failed, rolled_back, pending, or covered (a file at or
  // below the baseline, with no history row of its own).
  std::string State() const;
  std::string Note() const;  // a short note for the status table; "" when none
};

struct BookReport {
  std::string database;
  std::string directory;
  size_t file_count = 0;
  bool drift_detection = false;            // both drift event triggers enabled
  std::vector<MigrationState> migrations;  // version order
  std::vector<Problem> problems;           // every row of verify, in the server's order
};

// The files argument of dbopt_migration_verify(files jsonb).
std::string FilesJson(const std::vector<BookFile>& files);

// Builds migrations from history (in version order), files (in version order) and verify's
// rows. compare orders two versions (negative, zero, positive).
void MergeMigrations(BookReport& report, const std::vector<BookFile>& files,
                     const std::vector<HistoryRow>& history,
                     int (*compare)(const std::string&, const std::string&));

std::string RenderStatusText(const BookReport& report, const TextStyle& style);
std::string RenderStatusJson(const BookReport& report);
std::string RenderVerifyText(const BookReport& report, const TextStyle& style);
std::string RenderVerifyJson(const BookReport& report);

}  // namespace dbopt::cli::migrate
