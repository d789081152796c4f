// `dbopt migrate repair`: settles what a failed or killed run left in the history, and
// realigns the checksums of applied migrations whose files were edited on purpose
// (docs/migrations.md, "Running migrations").
#include <cstdint>

#include "cli/connection.hpp"
#include "cli/exit_codes.hpp"
#include "cli/migrate/migrate_command.hpp"
#include "cli/migrate/migrate_report.hpp"
#include "cli/migrate/migrate_runner.hpp"
#include "core/common/sql_text.hpp"

namespace dbopt::cli {
namespace {

using namespace migrate;

const char kRemoveSql[] =
    "WITH /* dbopt cli */ h AS (DELETE FROM %s.migration_history WHERE version = $1 RETURNING 1),"
    " e AS (INSERT INTO %s.migration_event (event, version, detail)"
    " VALUES ('repair', $1, $2::pg_catalog.jsonb) RETURNING 1)"
    " SELECT (SELECT pg_catalog.count(*) FROM h), (SELECT pg_catalog.count(*) FROM e)";

const char kChecksumSql[] =
    "WITH /* dbopt cli */ h AS (UPDATE %s.migration_history SET checksum = $2 WHERE version = $1"
    " RETURNING 1), e AS (INSERT INTO %s.migration_event (event, version, detail)"
    " VALUES ('repair', $1, $3::pg_catalog.jsonb) RETURNING 1)"
    " SELECT (SELECT pg_catalog.count(*) FROM h), (SELECT pg_catalog.count(*) FROM e)";

// Schema drift (DDL recorded outside migrations, docs/migrations.md "Schema drift"): settled
// by the bookkeeping's own function when this version of the extension has it.
const char kHasDriftSql[] = "SELECT /* dbopt cli */ pg_catalog.to_regprocedure($1) IS NOT NULL";
const char kAcknowledgeDriftSql[] = "SELECT /* dbopt cli */ %s.dbopt_acknowledge_drift()";

}  // namespace

int RunMigrateRepair(const MigrateOptions& options) {
  const std::vector<MigrationFile> files = ReadFiles(options);
  Session session(options);
  session.Lock(options.lock_wait_seconds);
  const std::map<std::string, HistoryRow> history = session.History();

  RunReport report;
  report.command = "repair";
  report.database = session.database();
  session.Command("BEGIN");
  for (const auto& entry : history) {
    const HistoryRow& row = entry.second;
    const MigrationFile* file = FindFile(files, row.version);
    MigrationReport m;
    m.version = row.version;
    m.name = row.name;
    m.kind = row.kind;
    m.statements = row.statements_total;
    if (row.status == "failed" || row.status == "running") {
      // Holding the lock: no runner is behind a 'running' row any more.
      if (row.kind != "non_transactional" || row.statements_done == 0) {
        JsonWriter detail;
        detail.BeginObject()
            .Field("action", "removed")
            .Field("status", row.status)
            .Key("error")
            .StringOrNull(row.error)
            .EndObject();
        session.Command(WithSchema(kRemoveSql, session.schema()),
                        {row.version.c_str(), detail.str().c_str()});
        m.status = "repaired";
        m.note = "removed the " + row.status +
                 " attempt (nothing of it was applied): dbopt migrate up applies it again";
      } else {
        m.status = "partly applied";
        m.resumed_from = row.statements_done;
        m.note = std::to_string(row.statements_done) + " of " +
                 std::to_string(row.statements_total) +
                 " statements ran; nothing changed. Either fix the cause (" + row.error +
                 ") and run dbopt migrate up: it resumes at statement " +
                 std::to_string(row.statements_done + 1) +
                 " (the file's up section must stay as it is); or undo those statements by hand "
                 "and remove the row: DELETE FROM " +
                 session.schema() + ".migration_history WHERE version = '" + row.version + "'";
      }
      report.migrations.push_back(m);
      continue;
    }
    if (row.status == "applied" && file != nullptr && row.checksum != file->checksum) {
      JsonWriter detail;
      detail.BeginObject()
          .Field("action", "checksum")
          .Field("old_checksum", row.checksum)
          .Field("new_checksum", file->checksum)
          .EndObject();
      session.Command(WithSchema(kChecksumSql, session.schema()),
                      {row.version.c_str(), file->checksum.c_str(), detail.str().c_str()});
      m.status = "repaired";
      m.note = "checksum realigned with the edited file (" + row.checksum + " -> " +
               file->checksum + "); the recorded up and down SQL stay as applied";
      report.migrations.push_back(m);
    }
  }
  const std::string drift_function = session.schema() + ".dbopt_acknowledge_drift(timestamptz)";
  Result has_drift = Query(session.get(), kHasDriftSql, {drift_function.c_str()});
  if (Cell(has_drift.get(), 0, 0) == "t") {
    Result settled = Query(session.get(), WithSchema(kAcknowledgeDriftSql, session.schema()), {});
    const std::int64_t count = IntegerCell(settled.get(), 0, 0);
    if (count > 0) {
      JsonWriter detail;
      detail.BeginObject()
          .Field("action", "acknowledge_drift")
          .Field("schema_changes", count)
          .EndObject();
      WriteEvent(session, "repair", "", detail.str());
      MigrationReport m;
      m.version = "-";
      m.name = "schema drift";
      m.status = "repaired";
      m.note = "acknowledged " + std::to_string(count) + " schema change" +
               (count == 1 ? "" : "s") + " made outside migrations";
      report.migrations.push_back(m);
    }
  }
  session.Command("COMMIT");
  WriteReport(report, options);
  return kExitOk;
}

}  // namespace dbopt::cli
