// The SQL side of `dbopt top`: reads the capture store (dbopt_capture_info, dbopt_queries,
// dbopt_access_paths) of the current database into a TopReport.
#pragma once
#include <libpq-fe.h>

#include <string>

#include "cli/args.hpp"
#include "cli/top_report.hpp"

namespace dbopt::cli {

// The options' ranking, limit and user scope are sent as parameters. Throws CliError with
// the server's message (e.g. "dbopt must be loaded via shared_preload_libraries").
TopReport FetchTop(PGconn* connection, const std::string& extension_schema,
                   const TopOptions& options);

}  // namespace dbopt::cli
