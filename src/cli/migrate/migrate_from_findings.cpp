// `dbopt migrate from-findings`: reads dbopt_health() (and with --advise the advisor's
// indexes) and writes their remediations as one migration file; from_findings.cpp decides
// what goes in and how it reads.
#include <cstdio>
#include <ctime>

#include "cli/advise_query.hpp"
#include "cli/cancel.hpp"
#include "cli/connection.hpp"
#include "cli/exit_codes.hpp"
#include "cli/health_query.hpp"
#include "cli/migrate/from_findings.hpp"
#include "cli/migrate/migrate_command.hpp"
#include "cli/migrate/migrate_new.hpp"
#include "cli/migrate/migration_file.hpp"
#include "core/common/sql_text.hpp"

namespace dbopt::cli {

int RunMigrateFromFindings(const MigrateOptions& options) {
  if (options.arguments.size() > 1)
    throw CliError(kExitUsage, "dbopt migrate from-findings takes at most one NAME",
                   "dbopt migrate from-findings [NAME] (default: dbopt_remediations)");
  const std::string name = options.arguments.empty() ? "dbopt_remediations" : options.arguments[0];
  migrate::CheckMigrationName(name);

  Connection connection = Connect(options.connection);
  std::vector<migrate::Fix> fixes;
  std::string database = PQdb(connection.get());
  {
    const CancelOnInterrupt cancel_on_interrupt(connection.get());
    const std::string schema = ExtensionSchema(connection.get());
    if (!options.no_health) {
      HealthOptions health;
      health.schema = options.schema;
      fixes = migrate::SelectFixes(FetchHealth(connection.get(), schema, health), options);
    }
    if (options.advise) {
      const AdviseSession session = PrepareAdviseSession(connection.get());
      const AdviseReport report = FetchAdvice(connection.get(), session, AdviseOptions());
      for (const AdvisedIndex& index : report.indexes) {
        migrate::Fix fix;
        fix.check_id = "advisor_index";
        fix.object_type = "index";
        fix.object_name = index.index_name;
        fix.message = "recommended " + index.kind + " index on " + index.table_name;
        fix.remediation = index.remediation;
        fix.revert = index.revert;
        fixes.push_back(std::move(fix));
      }
    }
  }
  connection.reset();
  fixes = migrate::OrderFixes(std::move(fixes));
  if (fixes.empty()) {
    if (options.format == OutputFormat::kJson) {
      std::printf("{\"path\": null, \"fixes\": 0}\n");
    } else {
      std::printf(
          "dbopt migrate from-findings: nothing to fix in database \"%s\": no file "
          "written\n",
          database.c_str());
    }
    return kExitOk;
  }
  const std::string version = migrate::NextVersion(migrate::UtcVersion(std::time(nullptr)),
                                                   migrate::FolderVersions(options.directory));
  const std::string path =
      migrate::WriteNewFile(options.directory, version + "_" + name + ".sql",
                            migrate::RenderFixesMigration(fixes, name, database));
  // The file must read back as a migration (the runner will read it the same way).
  try {
    migrate::ReadMigrationFile(path);
  } catch (const CliError& error) {
    std::remove(path.c_str());
    throw CliError(kExitError,
                   std::string("the written migration does not read back: ") + error.what(),
                   "this is a bug in dbopt: please report it with the findings' statements");
  }
  if (options.format == OutputFormat::kJson) {
    JsonWriter json;
    json.BeginObject().Field("path", path).Field("version", version).Field("name", name);
    json.Field("fixes", static_cast<int>(fixes.size())).EndObject();
    std::printf("%s\n", json.str().c_str());
  } else {
    std::printf("%s\n", path.c_str());
    std::fprintf(stderr, "dbopt migrate from-findings: %zu fix%s written\n", fixes.size(),
                 fixes.size() == 1 ? "" : "es");
  }
  return kExitOk;
}

}  // namespace dbopt::cli
