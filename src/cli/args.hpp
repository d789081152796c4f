// Command-line parsing: turns argv into a Command. Pure: no I/O, throws CliError (exit 2)
// with a message naming the offending argument.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/health/finding.hpp"

namespace dbopt::cli {

enum class OutputFormat { kText, kJson, kSql };
enum class ColorMode { kAuto, kAlways, kNever };
enum class PasswordPrompt { kWhenNeeded, kNever, kAlways };  // psql's default, -w, -W

// Where to connect. Every field is optional; libpq fills the rest from PG* variables.
struct ConnectionOptions {
  std::string conninfo;  // positional: a conninfo string, a URI or a database name
  std::string dbname;    // -d
  std::string host;      // -h
  std::string port;      // -p
  std::string username;  // -U
  PasswordPrompt password_prompt = PasswordPrompt::kWhenNeeded;
};

struct HealthOptions {
  ConnectionOptions connection;
  std::string schema;  // empty: all schemas
  bool include_data = false;
  OutputFormat format = OutputFormat::kText;
  Severity min_severity = Severity::kInfo;
  ColorMode color = ColorMode::kAuto;
};

// What `dbopt top` ranks queries by (descending).
enum class TopOrder { kTotalTime, kMeanTime, kCalls, kRows };

struct TopOptions {
  ConnectionOptions connection;
  int limit = 10;  // queries shown, at least 1
  TopOrder order_by = TopOrder::kTotalTime;
  bool all_users = false;                     // default: only the connected user's queries
  OutputFormat format = OutputFormat::kText;  // text or json (never sql)
  ColorMode color = ColorMode::kAuto;
};

// `dbopt advise`: the server's dbopt_recommend_indexes() arguments, and whether to build.
struct AdviseOptions {
  ConnectionOptions connection;
  std::string budget;    // "" : no storage limit (NULL); the server parses sizes ('500MB')
  int max_indexes = 10;  // kNoLimit: no limit (NULL)
  int max_columns = 3;
  std::string algorithm = "dbopt";  // checked by the server
  std::int64_t min_calls = 1;
  std::string min_benefit_per_size;  // "" : the server's default; else a number >= 0
  bool apply = false;                // build the recommended indexes (default: only show them)
  OutputFormat format = OutputFormat::kText;  // text, json, or sql (the DDL script)
  ColorMode color = ColorMode::kAuto;
  static constexpr int kNoLimit = -1;
};

// `dbopt migrate SUBCOMMAND`: one option set for every subcommand; ParseCommandLine rejects an
// option the subcommand does not take (MigrateOptionAllowed). Docs: docs/migrations.md.
struct MigrateOptions {
  std::string subcommand;        // new up down status verify lint baseline repair from-findings
  ConnectionOptions connection;  // -d also takes a conninfo string or URI, as psql's
  std::string directory = "migrations";       // --dir: the folder of migration files
  std::vector<std::string> arguments;         // positional arguments after the subcommand
  std::string to;                             // --to VERSION (up, down, baseline)
  int steps = 0;                              // --steps N (down); 0: not given
  bool dry_run = false;                       // --dry-run (up, down)
  std::string backup_dir;                     // --backup DIR (up)
  int lock_wait_seconds = 60;                 // --lock-wait SECONDS: how long to wait for the lock
  bool online = false;                        // --online (lint): the server's schema-aware rules
  std::string fail_on = "error";              // --fail-on SEVERITY (lint)
  OutputFormat format = OutputFormat::kText;  // text or json
  ColorMode color = ColorMode::kAuto;
  // from-findings: which findings become the migration.
  std::vector<std::string> checks;          // --checks ID,...: dbopt_health() check ids (all)
  Severity min_severity = Severity::kInfo;  // --min-severity SEVERITY
  std::string schema;                       // --schema/-n NAME: one schema's findings (all)
  bool advise = false;     // --advise: also dbopt_recommend_indexes() (superuser, preload)
  bool no_health = false;  // --no-health: only the advisor's indexes (needs --advise)
  // up: also apply pending files below the newest applied version (refused without it).
  bool allow_out_of_order = false;  // --allow-out-of-order
};

// `dbopt report` (docs/operations.md, "Report"): the history as one HTML or Markdown file.
struct ReportOptions {
  ConnectionOptions connection;
  std::string output;            // -o FILE; "" : stdout
  bool markdown = false;         // --format markdown (default html; markdown for -o *.md)
  std::string since = "7 days";  // an interval back from now, or a date/timestamp
  bool since_is_timestamp = false;
};

struct Command {
  enum class Kind { kHelp, kVersion, kHealth, kTop, kAdvise, kMigrate, kReport };
  Kind kind = Kind::kHelp;
  std::string help_topic;  // kHelp: "" for the overview, else a command name
  HealthOptions health;
  TopOptions top;
  AdviseOptions advise;
  MigrateOptions migrate;
  ReportOptions report;
};

// argv without the program name. Throws CliError(kExitUsage) on a bad command line.
Command ParseCommandLine(const std::vector<std::string>& args);

// Every option of `dbopt health` as written on the command line ("--dbname", "-d", ...):
// the help text is tested against it.
std::vector<std::string> HealthOptionSpellings();
std::vector<std::string> TopOptionSpellings();      // the same for `dbopt top`
std::vector<std::string> AdviseOptionSpellings();   // and `dbopt advise`
std::vector<std::string> MigrateOptionSpellings();  // and `dbopt migrate` (every subcommand)
std::vector<std::string> ReportOptionSpellings();   // and `dbopt report`

// The subcommands of `dbopt migrate`, and whether one takes an option (its long name).
const std::vector<std::string>& MigrateSubcommands();
bool MigrateOptionAllowed(const std::string& subcommand, const std::string& long_name);

// Commands that have their own help page ("dbopt help NAME").
bool IsCommandName(const std::string& name);

// "critical" | "warning" | "info" (case-insensitive); false if unknown.
bool ParseSeverity(const std::string& text, Severity* severity);

// "total_time" | "mean_time" | "calls" | "rows" (case-insensitive); false if unknown.
bool ParseTopOrder(const std::string& text, TopOrder* order);
const char* TopOrderName(TopOrder order);  // the spelling ParseTopOrder accepts

}  // namespace dbopt::cli
