#include "cli/migrate/book_query.hpp"

#include <libpq-fe.h>

#include "cli/cancel.hpp"
#include "cli/connection.hpp"
#include "cli/exit_codes.hpp"
#include "cli/health_query.hpp"
#include "cli/migrate/migration_file.hpp"

namespace dbopt::cli::migrate {
namespace {

void Run(PGconn* connection, const char* sql) {
  Result result(PQexec(connection, sql));
  if (PQresultStatus(result.get()) != PGRES_COMMAND_OK) throw ServerError(connection, result.get());
}

std::vector<HistoryEntry> FetchHistory(PGconn* connection, const std::string& schema) {
  Result result = Query(
      connection,
      WithSchema("SELECT version, name, kind, status,"
                 " to_char(applied_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS \"UTC\"'),"
                 " to_char(applied_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'),"
                 " applied_by, duration_ms, statements_done, statements_total, error, backup"
                 " FROM %s.dbopt_migration_status()",
                 schema),
      {});
  std::vector<HistoryEntry> history;
  const PGresult* rows = result.get();
  for (int row = 0; row < PQntuples(rows); ++row) {
    HistoryEntry entry;
    entry.version = Cell(rows, row, 0);
    entry.name = Cell(rows, row, 1);
    entry.kind = Cell(rows, row, 2);
    entry.status = Cell(rows, row, 3);
    entry.applied_at = Cell(rows, row, 4);
    entry.applied_at_iso = Cell(rows, row, 5);
    entry.applied_by = Cell(rows, row, 6);
    entry.has_duration = !PQgetisnull(rows, row, 7);
    entry.duration_ms = NumberCell(rows, row, 7, 0);
    entry.statements_done = static_cast<int>(IntegerCell(rows, row, 8));
    entry.statements_total = static_cast<int>(IntegerCell(rows, row, 9));
    entry.error = Cell(rows, row, 10);
    entry.backup = Cell(rows, row, 11);
    history.push_back(std::move(entry));
  }
  return history;
}

std::vector<Problem> FetchProblems(PGconn* connection, const std::string& schema,
                                   const std::string& files_json) {
  Result result = Query(connection,
                        WithSchema("SELECT check_id, version, name, message, fix, detail"
                                   " FROM %s.dbopt_migration_verify($1::pg_catalog.jsonb)",
                                   schema),
                        {files_json.c_str()});
  std::vector<Problem> problems;
  const PGresult* rows = result.get();
  for (int row = 0; row < PQntuples(rows); ++row)
    problems.push_back({Cell(rows, row, 0), Cell(rows, row, 1), Cell(rows, row, 2),
                        Cell(rows, row, 3), Cell(rows, row, 4), Cell(rows, row, 5)});
  return problems;
}

}  // namespace

BookReport LoadBook(const MigrateOptions& options) {
  std::vector<BookFile> files;
  for (const MigrationFile& file : ReadMigrationFolder(options.directory))
    files.push_back({file.version, file.name, file.checksum});

  Connection connection = Connect(options.connection);
  BookReport report;
  report.database = PQdb(connection.get());
  report.directory = options.directory;
  std::vector<HistoryEntry> history;
  {
    const CancelOnInterrupt cancel_on_interrupt(connection.get());
    const std::string schema =
        QuotedIdentifier(connection.get(), ExtensionSchema(connection.get()));
    // One snapshot: a runner committing meanwhile cannot make status and verify disagree.
    Run(connection.get(), "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    // verify first: its privilege check names every table the role may not read.
    report.problems = FetchProblems(connection.get(), schema, FilesJson(files));
    history = FetchHistory(connection.get(), schema);
    Result drift =
        Query(connection.get(), WithSchema("SELECT %s.dbopt_drift_detection()", schema), {});
    report.drift_detection = Cell(drift.get(), 0, 0) == "t";
    Run(connection.get(), "COMMIT");
  }
  connection.reset();
  MergeMigrations(report, files, history, CompareVersions);
  return report;
}

}  // namespace dbopt::cli::migrate
