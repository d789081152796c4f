// The SQL side of `dbopt report`: reads the history (snapshot tables) and the trend functions
// into an OpsReport. Each source is read on its own; one that fails (a function this server's
// dbopt does not have, a missing privilege) is recorded as not available with the reason,
// and the others are still read.
#pragma once
#include <libpq-fe.h>

#include <string>

#include "cli/args.hpp"
#include "cli/ops_report.hpp"

namespace dbopt::cli {

// Throws CliError(kExitUsage) when the server cannot read --since, CliError(kExitError) when
// the basic facts (database, version) cannot be read.
OpsReport FetchOpsReport(PGconn* connection, const std::string& extension_schema,
                         const ReportOptions& options);

}  // namespace dbopt::cli
