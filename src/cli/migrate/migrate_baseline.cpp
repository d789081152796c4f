// `dbopt migrate baseline --to V`: records the migrations up to V as already applied, without
// running them, for a database whose schema existed before dbopt migrate managed it
// (docs/migrations.md, "Running migrations").
#include "cli/exit_codes.hpp"
#include "cli/migrate/migrate_command.hpp"
#include "cli/migrate/migrate_report.hpp"
#include "cli/migrate/migrate_runner.hpp"
#include "core/common/sql_text.hpp"

namespace dbopt::cli {

using namespace migrate;

int RunMigrateBaseline(const MigrateOptions& options) {
  if (options.to.empty()) throw UsageError("dbopt migrate baseline needs --to VERSION");
  const std::vector<MigrationFile> files = ReadFiles(options);
  RequireFileVersion(files, options);
  Session session(options);
  session.Lock(options.lock_wait_seconds);
  std::string recorded;
  for (const auto& entry : session.History())
    if (CompareVersions(entry.first, options.to) <= 0)
      recorded += (recorded.empty() ? "" : ", ") + entry.first + " (" + entry.second.status + ")";
  if (!recorded.empty())
    throw CliError(kExitError,
                   "cannot baseline up to " + options.to +
                       ": the history already has versions up to it: " + recorded,
                   "a baseline is for a database whose migrations were never recorded; see "
                   "dbopt migrate status");

  RunReport report;
  report.command = "baseline";
  report.database = session.database();
  session.Command("BEGIN");
  for (const MigrationFile& file : files) {
    if (CompareVersions(file.version, options.to) > 0) continue;
    HistoryWrite row;
    row.version = file.version;
    row.name = file.name;
    row.kind = "baseline";
    row.status = "baseline";
    JsonWriter detail;
    detail.BeginObject().Field("to", options.to).Field("checksum", file.checksum).EndObject();
    WriteHistory(session, row, "baseline", detail.str());
    MigrationReport m;
    m.version = file.version;
    m.name = file.name;
    m.kind = "baseline";
    m.status = "baseline";
    report.migrations.push_back(m);
  }
  session.Command("COMMIT");
  WriteReport(report, options);
  return kExitOk;
}

}  // namespace dbopt::cli
