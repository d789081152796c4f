// What `dbopt migrate up`, `down`, `baseline` and `repair` did, and its text and JSON forms
// (stdout). Pure: no libpq, unit-tested in test/unit/cli.
#pragma once
#include <string>
#include <utility>
#include <vector>

namespace dbopt::cli::migrate {

// A statement of a dry run.
struct DryRunStatement {
  std::string where;  // file:line
  bool ran = false;   // false: needs autocommit, listed only
  double duration_ms = 0;
  std::vector<std::pair<std::string, std::string>> locks;  // (relation, mode) it took
  std::vector<std::string> rewritten;                      // tables whose files it replaced
};

struct MigrationReport {
  std::string version;
  std::string name;
  std::string kind;    // transactional | non_transactional | baseline
  std::string status;  // applied | reverted | failed | baseline | repaired | checked (dry run)
  double duration_ms = 0;
  int statements = 0;
  int resumed_from = 0;                 // statements already done by an earlier run (0: none)
  std::string backup;                   // where --backup put the dump
  std::vector<std::string> cleaned_up;  // invalid indexes dropped
  std::string note;                     // repair: what was done or to choose; up: found done
  std::string error;                    // failed: where and the server's message
  std::string error_json;               // failed: StatementFailure::Json()
  std::string error_hint;               // failed: the server's HINT
  std::vector<DryRunStatement> dry_run;
};

struct RunReport {
  std::string command;  // up | down | baseline | repair
  std::string database;
  bool dry_run = false;
  std::vector<MigrationReport> migrations;
};

// Milliseconds as "12 ms" / "3.4 s".
std::string FormatDuration(double ms);

std::string RenderRunText(const RunReport& report);
std::string RenderRunJson(const RunReport& report);

}  // namespace dbopt::cli::migrate
