// The runner shared by `dbopt migrate up`, `down`, `baseline` and `repair` (docs/migrations.md,
// "Running migrations"): one session per run, holding the migration lock; statements run with
// progress on stderr and Ctrl-C cancelling them; the history rows written with each step.
//
// Lock: a session-level advisory lock on kMigrationLockKey in the target database, taken by
// polling pg_try_advisory_lock in short autocommit statements (never a blocking
// pg_advisory_lock: the snapshot of a statement waiting for it would make a concurrent
// CREATE INDEX CONCURRENTLY wait for that statement, and the runner holding the lock may be
// the one building the index). PostgreSQL releases it when the session ends, however the
// runner dies: there are no lock rows to go stale.
#pragma once
#include <libpq-fe.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "cli/args.hpp"
#include "cli/cancel.hpp"
#include "cli/connection.hpp"
#include "cli/migrate/book_query.hpp"
#include "cli/migrate/migrate_report.hpp"
#include "cli/migrate/migration_file.hpp"

namespace dbopt::cli::migrate {

// "dbopt" in ASCII: pg_locks shows it as locktype 'advisory', classid 100, objid 1651470452,
// objsubid 1.
constexpr std::int64_t kMigrationLockKey = 431148200052;

// Dry runs: what a statement may wait for a lock and run, unless the session sets less.
constexpr const char* kDryRunLockTimeout = "5s";
constexpr const char* kDryRunStatementTimeout = "60s";

// A statement that failed: where (file:line), and the server's words.
struct StatementFailure {
  std::string where;  // "migrations/2_x.sql:12", or "COMMIT of migrations/2_x.sql"
  std::string message;
  std::string detail;
  std::string hint;
  std::string sqlstate;
  bool cancelled = false;    // Ctrl-C
  std::string Text() const;  // "where: message" and a DETAIL line
  std::string Json() const;  // an object with every field
};

// stderr lines: on a terminal a transient status line redrawn in place, plain lines otherwise.
class Progress {
 public:
  Progress();
  void Line(const std::string& text);    // a lasting line
  void Status(const std::string& text);  // a terminal's redrawn line; nothing when not one
  void Clear();
  bool terminal() const { return terminal_; }

 private:
  bool terminal_;
  bool shown_ = false;
};

// Called about twice a second while a statement runs, with the seconds it has run.
using Tick = std::function<void(double seconds)>;

class Session {
 public:
  // Connects, names the session "dbopt migrate", makes the server notice a vanished runner
  // within a second (client_connection_check_interval), finds the extension's schema, and
  // installs the Ctrl-C handler.
  explicit Session(const MigrateOptions& options);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  PGconn* get() const { return connection_.get(); }
  const std::string& schema() const { return schema_; }  // quoted
  std::string database() const;
  Progress& progress() { return progress_; }

  // Takes the migration lock, polling for up to wait_seconds; throws CliError(kExitError)
  // naming the holder when it cannot.
  void Lock(int wait_seconds);

  // Every history row (ReadHistory), by version.
  std::map<std::string, HistoryRow> History();

  // Runs one statement (simple protocol), calling tick while it runs. False with *failure
  // filled when the server refuses it; throws CliError when the connection is lost.
  bool Execute(const std::string& sql, StatementFailure* failure, const Tick& tick = nullptr);
  // A bookkeeping or control statement with parameters; throws ServerError when it fails.
  void Command(const std::string& sql, const std::vector<const char*>& params = {});

  // Marks the session's DDL as the migration's (the drift trigger ignores it): local to the
  // current transaction, or for the session (and then reset with ClearVersion).
  void MarkVersion(const std::string& version, bool transaction_local);
  void ClearVersion();

 private:
  Connection connection_;
  std::unique_ptr<CancelOnInterrupt> cancel_;
  std::string schema_;
  Progress progress_;
  bool locked_ = false;
};

// A row of migration_history to write (insert, or update the version's row).
struct HistoryWrite {
  std::string version;
  std::string name;
  std::string kind;
  std::string checksum;  // "": NULL
  std::string up_sql;    // "": NULL
  std::string down_sql;  // "": NULL
  std::string status;
  int statements_total = 0;
  int statements_done = 0;
  double duration_ms = -1;  // < 0: NULL
  std::string error;        // "": NULL
  std::string backup;       // "": NULL
};

// Writes the row and one migration_event (none when event is ""; detail: a JSON object, or
// "" for NULL) in one
// statement, in the session's current transaction (or its own, in autocommit).
void WriteHistory(Session& session, const HistoryWrite& row, const std::string& event,
                  const std::string& detail);
void WriteEvent(Session& session, const std::string& event, const std::string& version,
                const std::string& detail);

// After a failed or interrupted CREATE INDEX CONCURRENTLY / REINDEX CONCURRENTLY of index
// (as written in the statement), or before retrying one: drops the invalid index it left
// (CREATE: the index itself; REINDEX: its "_ccnew" copy), with a 'cleanup' event for version.
// Returns the indexes dropped; those it could not drop are reported on progress.
std::vector<std::string> CleanUpInvalidIndex(Session& session, const std::string& version,
                                             const std::string& index);

// Statements of a section text that is not in a file any more (a history row's down_sql):
// split as the file reader splits a section. Lines are relative to the section's start.
std::vector<MigrationStatement> SplitSection(const std::string& text, const std::string& version);

// "file:line" of a statement.
std::string Where(const std::string& origin, const MigrationStatement& statement);

// The file of a version, or null.
const MigrationFile* FindFile(const std::vector<MigrationFile>& files, const std::string& version);

// --to names a file's version; else a usage error (nothing has run yet).
void RequireFileVersion(const std::vector<MigrationFile>& files, const MigrateOptions& options);

// The report on stdout, as --format says.
void WriteReport(const RunReport& report, const MigrateOptions& options);

// The files of options.directory (the whole folder is read and checked before anything runs:
// a file that does not parse stops the run with nothing applied).
std::vector<MigrationFile> ReadFiles(const MigrateOptions& options);

}  // namespace dbopt::cli::migrate
