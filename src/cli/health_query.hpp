// The SQL side of `dbopt health`: finds the dbopt extension and reads dbopt_health().
#pragma once
#include <libpq-fe.h>

#include <string>
#include <vector>

#include "cli/args.hpp"
#include "core/health/finding.hpp"

namespace dbopt::cli {

// The schema the dbopt extension lives in (the statement carries the /* dbopt cli */ marker
// that `dbopt top` leaves out). Throws CliError(kExitError) telling the user to
// run CREATE EXTENSION (or to install the extension on the server) when it is missing.
std::string ExtensionSchema(PGconn* connection);

// Rows of <extension_schema>.dbopt_health(schema_name => ..., include_data => ...), in the
// server's order. Parameters are sent separately from the statement.
std::vector<Finding> FetchHealth(PGconn* connection, const std::string& extension_schema,
                                 const HealthOptions& options);

}  // namespace dbopt::cli
