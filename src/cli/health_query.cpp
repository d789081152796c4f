#include "cli/health_query.hpp"

#include <memory>
#include <stdexcept>

#include "cli/connection.hpp"
#include "cli/exit_codes.hpp"

namespace dbopt::cli {

std::string ExtensionSchema(PGconn* connection) {
  Result installed = Query(connection,
                           "SELECT /* dbopt cli */ n.nspname FROM pg_catalog.pg_extension e"
                           " JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace"
                           " WHERE e.extname = 'dbopt'",
                           {});
  if (PQntuples(installed.get()) == 1) return PQgetvalue(installed.get(), 0, 0);

  const std::string database = PQdb(connection);
  Result available = Query(
      connection, "SELECT 1 FROM pg_catalog.pg_available_extensions WHERE name = 'dbopt'", {});
  if (PQntuples(available.get()) == 0)
    throw CliError(
        kExitError,
        "the dbopt extension is not available on this server (database \"" + database + "\")",
        "install it on the server (make install in the dbopt source tree), then run "
        "CREATE EXTENSION dbopt; in that database");
  throw CliError(kExitError,
                 "the dbopt extension is not installed in database \"" + database + "\"",
                 "run CREATE EXTENSION dbopt; in that database (as a superuser), then try again");
}

std::vector<Finding> FetchHealth(PGconn* connection, const std::string& extension_schema,
                                 const HealthOptions& options) {
  const std::string sql =
      "SELECT check_id, severity, object_type, object_name, message, detail, remediation, revert"
      " FROM " +
      QuotedIdentifier(connection, extension_schema) +
      ".dbopt_health(schema_name => $1::pg_catalog.name,"
      " include_data => $2::pg_catalog.bool)";
  Result result = Query(connection, sql,
                        {options.schema.empty() ? nullptr : options.schema.c_str(),
                         options.include_data ? "true" : "false"});
  std::vector<Finding> findings;
  const PGresult* rows = result.get();
  try {
    for (int row = 0; row < PQntuples(rows); ++row) {
      Finding finding;
      finding.check_id = Cell(rows, row, 0);
      if (!ParseSeverity(Cell(rows, row, 1), &finding.severity))
        finding.severity = Severity::kInfo;  // a newer server's level: shown, never dropped
      finding.object_type = Cell(rows, row, 2);
      finding.object_name = Cell(rows, row, 3);
      finding.message = Cell(rows, row, 4);
      finding.detail_json = Cell(rows, row, 5);
      finding.remediation = StatementsCell(rows, row, 6);
      finding.revert = StatementsCell(rows, row, 7);
      findings.push_back(std::move(finding));
    }
  } catch (const std::invalid_argument& error) {
    throw CliError(kExitError, std::string("unexpected dbopt_health() output: ") + error.what());
  }
  return findings;
}

}  // namespace dbopt::cli
