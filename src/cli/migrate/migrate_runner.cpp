#include "cli/migrate/migrate_runner.hpp"

#include <sys/select.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "cli/exit_codes.hpp"
#include "cli/health_query.hpp"
#include "cli/index_cleanup.hpp"
#include "cli/migrate/version_mark.hpp"
#include "cli/terminal.hpp"
#include "core/common/sql_text.hpp"

namespace dbopt::cli::migrate {
namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// The session: named for pg_stat_activity (and the lock message); a vanished runner's backend
// notices within a second even in the middle of a long statement, rolls back and releases
// the lock, instead of finishing a build nobody waits for.
const char kSetupSql[] =
    "SELECT /* dbopt cli */ pg_catalog.set_config('application_name', 'dbopt migrate', false),"
    " pg_catalog.set_config('client_connection_check_interval', '1s', false)";

const char kTryLockSql[] =
    "SELECT /* dbopt cli */ pg_catalog.pg_try_advisory_lock($1::pg_catalog.int8)";
const char kUnlockSql[] =
    "SELECT /* dbopt cli */ pg_catalog.pg_advisory_unlock($1::pg_catalog.int8)";

// Who holds the lock: a bigint key shows as classid (high half), objid (low half), objsubid 1.
const char kHolderSql[] =
    "SELECT /* dbopt cli */ a.pid, a.usename, a.application_name,"
    " pg_catalog.to_char(a.backend_start, 'YYYY-MM-DD HH24:MI:SS TZ'), a.state,"
    " pg_catalog.to_char(a.query_start, 'YYYY-MM-DD HH24:MI:SS TZ'),"
    " pg_catalog.left(pg_catalog.regexp_replace(a.query, '\\s+', ' ', 'g'), 120)"
    " FROM pg_catalog.pg_locks l LEFT JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid"
    " WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1"
    " AND l.database = (SELECT oid FROM pg_catalog.pg_database"
    " WHERE datname = pg_catalog.current_database())"
    " AND l.classid = ($1::pg_catalog.int8 >> 32)::pg_catalog.oid"
    " AND l.objid = ($1::pg_catalog.int8 & 4294967295)::pg_catalog.oid";

const char kWriteSql[] =
    "WITH /* dbopt cli */ h AS (INSERT INTO %s.migration_history AS m (version, name, kind,"
    " checksum, up_sql, down_sql, status, statements_total, statements_done, duration_ms, error,"
    " backup) VALUES ($1, $2, $3, $4, $5, $6, $7, $8::pg_catalog.int4, $9::pg_catalog.int4,"
    " $10::pg_catalog.float8, $11, $12) ON CONFLICT (version) DO UPDATE SET name = excluded.name,"
    " kind = excluded.kind, checksum = excluded.checksum, up_sql = excluded.up_sql,"
    " down_sql = excluded.down_sql, status = excluded.status,"
    " statements_total = excluded.statements_total, statements_done = excluded.statements_done,"
    " applied_by = CURRENT_USER, applied_at = pg_catalog.now(), duration_ms = excluded.duration_ms,"
    " error = excluded.error, backup = COALESCE(excluded.backup, m.backup),"
    " down_statements_done = NULL"
    " RETURNING 1),"
    " e AS (INSERT INTO %s.migration_event (event, version, detail)"
    " SELECT $13::pg_catalog.text, $1, $14::pg_catalog.jsonb WHERE $13::pg_catalog.text IS NOT NULL"
    " RETURNING 1)"
    " SELECT (SELECT pg_catalog.count(*) FROM h), (SELECT pg_catalog.count(*) FROM e)";

const char kEventSql[] =
    "INSERT /* dbopt cli */ INTO %s.migration_event (event, version, detail)"
    " VALUES ($1, $2, $3::pg_catalog.jsonb)";

// The invalid index a failed concurrent build of $1 left: the index itself (CREATE INDEX
// CONCURRENTLY), or its "_ccnew" copies (REINDEX CONCURRENTLY), in the same schema.
const char kInvalidIndexSql[] =
    "WITH /* dbopt cli */ x AS (SELECT c.oid, c.relname, c.relnamespace FROM pg_catalog.pg_class c"
    " WHERE c.oid = pg_catalog.to_regclass($1))"
    " SELECT c.oid::pg_catalog.regclass::pg_catalog.text, c.relkind = 'I'"
    " FROM x, pg_catalog.pg_class c JOIN pg_catalog.pg_index i ON i.indexrelid = c.oid"
    " WHERE NOT i.indisvalid AND (c.oid = x.oid OR (c.relnamespace = x.relnamespace"
    " AND pg_catalog.left(c.relname, pg_catalog.length(x.relname)) = x.relname"
    " AND pg_catalog.substr(c.relname, pg_catalog.length(x.relname) + 1) ~ '^_ccnew[0-9]*$'))";

std::string Field(const PGresult* result, int code) {
  const char* value = PQresultErrorField(result, code);
  return value == nullptr ? "" : value;
}

std::string Trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

// Waits until the connection has a result, or about half a second has passed.
void WaitForInput(PGconn* connection) {
  const int socket = PQsocket(connection);
  if (socket < 0) return;
  fd_set readable;
  FD_ZERO(&readable);
  FD_SET(socket, &readable);
  timeval timeout{0, 500 * 1000};
  select(socket + 1, &readable, nullptr, nullptr, &timeout);  // EINTR (Ctrl-C): just go on
}

}  // namespace

std::string StatementFailure::Text() const {
  std::string text = where + ": " + message;
  if (!detail.empty()) text += "\nDETAIL:  " + detail;
  return text;
}

std::string StatementFailure::Json() const {
  JsonWriter json;
  json.BeginObject()
      .Field("where", where)
      .Field("message", message)
      .Key("detail")
      .StringOrNull(detail)
      .Key("hint")
      .StringOrNull(hint)
      .Key("sqlstate")
      .StringOrNull(sqlstate)
      .Field("cancelled", cancelled)
      .EndObject();
  return json.str();
}

Progress::Progress() : terminal_(IsTerminal(STDERR_FILENO)) {}

void Progress::Line(const std::string& text) {
  Clear();
  std::fprintf(stderr, "dbopt migrate: %s\n", text.c_str());
  std::fflush(stderr);
}

void Progress::Status(const std::string& text) {
  if (!terminal_) return;
  std::string line = "dbopt migrate: " + text;
  const int columns = TerminalColumns(STDERR_FILENO);
  if (columns > 1 && line.size() >= static_cast<size_t>(columns))
    line = line.substr(0, static_cast<size_t>(columns) - 1);
  std::fprintf(stderr, "\r\033[K%s", line.c_str());
  std::fflush(stderr);
  shown_ = true;
}

void Progress::Clear() {
  if (!shown_) return;
  std::fprintf(stderr, "\r\033[K");
  std::fflush(stderr);
  shown_ = false;
}

Session::Session(const MigrateOptions& options) : connection_(Connect(options.connection)) {
  Query(get(), kSetupSql, {});
  schema_ = QuotedIdentifier(get(), ExtensionSchema(get()));
  cancel_ = std::make_unique<CancelOnInterrupt>(get());
}

Session::~Session() {
  progress_.Clear();
  cancel_.reset();
  // The lock goes with the session; unlocking first lets a waiting runner in before the
  // connection's teardown.
  if (locked_ && PQstatus(get()) == CONNECTION_OK && PQtransactionStatus(get()) == PQTRANS_IDLE) {
    const std::string key = std::to_string(kMigrationLockKey);
    PQclear(PQexecParams(get(), kUnlockSql, 1, nullptr,
                         std::vector<const char*>{key.c_str()}.data(), nullptr, nullptr, 0));
  }
}

std::string Session::database() const {
  return PQdb(get());
}

void Session::Lock(int wait_seconds) {
  const std::string key = std::to_string(kMigrationLockKey);
  const Clock::time_point start = Clock::now();
  bool announced = false;
  while (true) {
    Result taken = Query(get(), kTryLockSql, {key.c_str()});
    if (Cell(taken.get(), 0, 0) == "t") {
      locked_ = true;
      if (announced)
        progress_.Line("got the migration lock after " +
                       FormatDuration(SecondsSince(start) * 1000));
      return;
    }
    Result holder = Query(get(), kHolderSql, {key.c_str()});
    std::string who = "another session";
    std::string pid;
    if (PQntuples(holder.get()) > 0) {
      const PGresult* h = holder.get();
      pid = Cell(h, 0, 0);
      who = "pid " + pid;
      if (!Cell(h, 0, 1).empty()) who += ", user " + Cell(h, 0, 1);
      who += ", application_name \"" + Cell(h, 0, 2) + "\"";
      if (!Cell(h, 0, 3).empty()) who += ", connected since " + Cell(h, 0, 3);
      if (!Cell(h, 0, 4).empty()) {
        who += ", " + Cell(h, 0, 4);
        if (Cell(h, 0, 4) == "active" && !Cell(h, 0, 5).empty())
          who += " since " + Cell(h, 0, 5) + ": " + Cell(h, 0, 6);
      }
    }
    const double waited = SecondsSince(start);
    if (Interrupted())
      throw CliError(kExitError,
                     "interrupted while waiting for the migration lock (held by " + who + ")");
    if (waited >= wait_seconds) {
      throw CliError(
          kExitError,
          "the migration lock of database \"" + database() + "\" is held by " + who +
              (wait_seconds > 0 ? " (waited " + std::to_string(wait_seconds) + " s)" : ""),
          "another dbopt migrate is running: wait for it (--lock-wait SECONDS)" +
              (pid.empty() ? std::string()
                           : "; if it is stuck, SELECT pg_terminate_backend(" + pid +
                                 ") ends it and frees the lock"));
    }
    if (!announced) {
      progress_.Line("waiting for the migration lock, held by " + who);
      announced = true;
    }
    progress_.Status("waiting for the migration lock (" + std::to_string(static_cast<int>(waited)) +
                     " s of " + std::to_string(wait_seconds) + " s)");
    // Short sleeps, so that Ctrl-C is noticed; no statement is open meanwhile.
    for (int slice = 0; slice < 5 && !Interrupted(); ++slice)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

std::map<std::string, HistoryRow> Session::History() {
  std::map<std::string, HistoryRow> history;
  for (HistoryRow& row : ReadHistory(get(), schema_)) history[row.version] = std::move(row);
  return history;
}

bool Session::Execute(const std::string& sql, StatementFailure* failure, const Tick& tick) {
  PGconn* connection = get();
  if (PQsendQuery(connection, sql.c_str()) != 1)
    throw CliError(kExitError,
                   "lost the connection to the server: " + Trimmed(PQerrorMessage(connection)));
  const Clock::time_point start = Clock::now();
  while (PQisBusy(connection)) {
    WaitForInput(connection);
    if (PQconsumeInput(connection) != 1)
      throw CliError(kExitError,
                     "lost the connection to the server: " + Trimmed(PQerrorMessage(connection)));
    if (tick) tick(SecondsSince(start));
  }
  bool ok = true;
  while (PGresult* raw = PQgetResult(connection)) {
    Result result(raw);
    const ExecStatusType status = PQresultStatus(raw);
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY)
      continue;
    if (status == PGRES_COPY_IN || status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH) {
      // COPY FROM STDIN has no data to read here: end it as a failure.
      if (status == PGRES_COPY_IN)
        PQputCopyEnd(connection, "COPY from the client is not supported by dbopt migrate");
      continue;
    }
    if (ok) {
      ok = false;
      failure->message = Field(raw, PG_DIAG_MESSAGE_PRIMARY);
      if (failure->message.empty()) failure->message = Trimmed(PQerrorMessage(connection));
      failure->detail = Field(raw, PG_DIAG_MESSAGE_DETAIL);
      failure->hint = Field(raw, PG_DIAG_MESSAGE_HINT);
      failure->sqlstate = Field(raw, PG_DIAG_SQLSTATE);
      failure->cancelled = Interrupted();
    }
  }
  if (PQstatus(connection) != CONNECTION_OK)
    throw CliError(kExitError,
                   "lost the connection to the server: " + Trimmed(PQerrorMessage(connection)));
  return ok;
}

void Session::Command(const std::string& sql, const std::vector<const char*>& params) {
  Result result(PQexecParams(get(), sql.c_str(), static_cast<int>(params.size()), nullptr,
                             params.data(), nullptr, nullptr, 0));
  const ExecStatusType status = PQresultStatus(result.get());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    throw ServerError(get(), result.get());
}

void Session::MarkVersion(const std::string& version, bool transaction_local) {
  MarkMigrationVersion(get(), version, transaction_local);
}

void Session::ClearVersion() {
  ClearMigrationVersion(get());
}

void WriteHistory(Session& session, const HistoryWrite& row, const std::string& event,
                  const std::string& detail) {
  auto null_if_empty = [](const std::string& value) {
    return value.empty() ? nullptr : value.c_str();
  };
  const std::string total = std::to_string(row.statements_total);
  const std::string done = std::to_string(row.statements_done);
  JsonWriter duration_text;
  duration_text.Number(row.duration_ms);
  const std::string duration = duration_text.str();
  session.Command(
      WithSchema(kWriteSql, session.schema()),
      {row.version.c_str(), row.name.c_str(), row.kind.c_str(), null_if_empty(row.checksum),
       null_if_empty(row.up_sql), null_if_empty(row.down_sql), row.status.c_str(), total.c_str(),
       done.c_str(), row.duration_ms < 0 ? nullptr : duration.c_str(), null_if_empty(row.error),
       null_if_empty(row.backup), null_if_empty(event), null_if_empty(detail)});
}

void WriteEvent(Session& session, const std::string& event, const std::string& version,
                const std::string& detail) {
  session.Command(WithSchema(kEventSql, session.schema()),
                  {event.c_str(), version.empty() ? nullptr : version.c_str(),
                   detail.empty() ? nullptr : detail.c_str()});
}

std::vector<std::string> CleanUpInvalidIndex(Session& session, const std::string& version,
                                             const std::string& index) {
  std::vector<std::string> dropped;
  if (index.empty()) return dropped;
  Result invalid = Query(session.get(), kInvalidIndexSql, {index.c_str()});
  for (int row = 0; row < PQntuples(invalid.get()); ++row) {
    const std::string name = Cell(invalid.get(), row, 0);
    const bool partitioned = Cell(invalid.get(), row, 1) == "t";
    session.progress().Line("dropping invalid index " + name + " left by a failed build of " +
                            index);
    const std::string error = DropIndexAfterFailure(session.get(), name, partitioned);
    JsonWriter detail;
    detail.BeginObject().Field("index", name).Field("built_by", index);
    if (!error.empty()) detail.Field("error", error);
    detail.Field("dropped", error.empty()).EndObject();
    WriteEvent(session, "cleanup", version, detail.str());
    if (error.empty())
      dropped.push_back(name);
    else
      session.progress().Line("could not drop invalid index " + name + ": " + error);
  }
  return dropped;
}

std::vector<MigrationStatement> SplitSection(const std::string& text, const std::string& version) {
  // The reader takes files: the text goes into a scratch file as a down section, after a
  // one-line up section; its lines are then shifted back to the section's.
  const char* tmp = std::getenv("TMPDIR");
  std::string folder =
      std::string(tmp != nullptr && tmp[0] != '\0' ? tmp : "/tmp") + "/dbopt-migrate-XXXXXX";
  if (mkdtemp(&folder[0]) == nullptr)
    throw CliError(kExitError, "cannot create a scratch folder in " + folder);
  const std::string path = folder + "/" + version + "_history.sql";
  const std::string head = "-- dbopt:up\nSELECT 1;\n-- dbopt:down\n";
  {
    std::ofstream out(path);
    out << head << text;
  }
  std::vector<MigrationStatement> statements;
  try {
    statements = ReadMigrationFile(path).down.statements;
  } catch (...) {
    std::remove(path.c_str());
    rmdir(folder.c_str());
    throw;
  }
  std::remove(path.c_str());
  rmdir(folder.c_str());
  for (MigrationStatement& statement : statements) statement.line -= 3;
  return statements;
}

std::string Where(const std::string& origin, const MigrationStatement& statement) {
  return origin + ":" + std::to_string(statement.line);
}

const MigrationFile* FindFile(const std::vector<MigrationFile>& files, const std::string& version) {
  for (const MigrationFile& file : files)
    if (CompareVersions(file.version, version) == 0) return &file;
  return nullptr;
}

void RequireFileVersion(const std::vector<MigrationFile>& files, const MigrateOptions& options) {
  if (FindFile(files, options.to) == nullptr)
    throw UsageError("unknown version \"" + options.to + "\" for --to: no migration file " +
                     options.directory + "/" + options.to + "_*.sql");
}

void WriteReport(const RunReport& report, const MigrateOptions& options) {
  WriteStdout(options.format == OutputFormat::kJson ? RenderRunJson(report)
                                                    : RenderRunText(report));
}

std::vector<MigrationFile> ReadFiles(const MigrateOptions& options) {
  return ReadMigrationFolder(options.directory);
}

}  // namespace dbopt::cli::migrate
