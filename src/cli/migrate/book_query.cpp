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

std::vector<BookFile> BookFiles(const std::vector<MigrationFile>& files) {
  std::vector<BookFile> book;
  for (const MigrationFile& file : files) book.push_back({file.version, file.name, file.checksum});
  return book;
}

// function: dbopt_migration_verify (with drift) or dbopt_migration_file_problems (without).
std::vector<Problem> FetchProblems(PGconn* connection, const std::string& schema,
                                   const char* function, const std::vector<BookFile>& files) {
  const std::string files_json = FilesJson(files);
  const std::string sql = std::string(
                              "SELECT /* dbopt cli */ check_id, version, name, message, fix,"
                              " detail FROM %s.") +
                          function + "($1::pg_catalog.jsonb)";
  Result result = Query(connection, WithSchema(sql.c_str(), schema), {files_json.c_str()});
  std::vector<Problem> problems;
  const PGresult* rows = result.get();
  for (int row = 0; row < PQntuples(rows); ++row)
    problems.push_back({Cell(rows, row, 0), Cell(rows, row, 1), Cell(rows, row, 2),
                        Cell(rows, row, 3), Cell(rows, row, 4), Cell(rows, row, 5)});
  return problems;
}

}  // namespace

BookReport LoadBook(const MigrateOptions& options) {
  const std::vector<BookFile> files = BookFiles(ReadMigrationFolder(options.directory));

  Connection connection = Connect(options.connection);
  BookReport report;
  report.database = PQdb(connection.get());
  report.directory = options.directory;
  std::vector<HistoryRow> history;
  {
    const CancelOnInterrupt cancel_on_interrupt(connection.get());
    const std::string schema =
        QuotedIdentifier(connection.get(), ExtensionSchema(connection.get()));
    // One snapshot: a runner committing meanwhile cannot make status and verify disagree.
    Run(connection.get(), "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    // verify first: its privilege check names every table the role may not read.
    report.problems = FetchProblems(connection.get(), schema, "dbopt_migration_verify", files);
    history = ReadHistory(connection.get(), schema);
    Result drift =
        Query(connection.get(), WithSchema("SELECT %s.dbopt_drift_detection()", schema), {});
    report.drift_detection = Cell(drift.get(), 0, 0) == "t";
    Run(connection.get(), "COMMIT");
  }
  connection.reset();
  MergeMigrations(report, files, history, CompareVersions);
  return report;
}

std::vector<HistoryRow> ReadHistory(PGconn* connection, const std::string& schema) {
  Result result = Query(
      connection,
      WithSchema("SELECT /* dbopt cli */ version, name, kind, status, checksum, up_sql, down_sql,"
                 " pg_catalog.to_char(applied_at AT TIME ZONE 'UTC',"
                 " 'YYYY-MM-DD HH24:MI:SS \"UTC\"'),"
                 " pg_catalog.to_char(applied_at AT TIME ZONE 'UTC',"
                 " 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'),"
                 " applied_by, duration_ms, statements_done, statements_total, error, backup,"
                 " down_statements_done FROM %s.migration_history"
                 " ORDER BY %s.dbopt_version_key(version), version",
                 schema),
      {});
  std::vector<HistoryRow> history;
  const PGresult* rows = result.get();
  for (int row = 0; row < PQntuples(rows); ++row) {
    HistoryRow entry;
    entry.version = Cell(rows, row, 0);
    entry.name = Cell(rows, row, 1);
    entry.kind = Cell(rows, row, 2);
    entry.status = Cell(rows, row, 3);
    entry.checksum = Cell(rows, row, 4);
    entry.up_sql = Cell(rows, row, 5);
    entry.down_sql = Cell(rows, row, 6);
    entry.has_down_sql = !PQgetisnull(rows, row, 6);
    entry.applied_at = Cell(rows, row, 7);
    entry.applied_at_iso = Cell(rows, row, 8);
    entry.applied_by = Cell(rows, row, 9);
    entry.has_duration = !PQgetisnull(rows, row, 10);
    entry.duration_ms = NumberCell(rows, row, 10, 0);
    entry.statements_done = static_cast<int>(IntegerCell(rows, row, 11));
    entry.statements_total = static_cast<int>(IntegerCell(rows, row, 12));
    entry.error = Cell(rows, row, 13);
    entry.backup = Cell(rows, row, 14);
    entry.down_statements_done =
        PQgetisnull(rows, row, 15) ? -1 : static_cast<int>(IntegerCell(rows, row, 15));
    history.push_back(std::move(entry));
  }
  return history;
}

std::vector<Problem> FileProblems(PGconn* connection, const std::string& schema,
                                  const std::vector<MigrationFile>& files) {
  return FetchProblems(connection, schema, "dbopt_migration_file_problems", BookFiles(files));
}

}  // namespace dbopt::cli::migrate
