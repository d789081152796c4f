// `dbopt health`: connect, read dbopt_health(), print it in the chosen format.
#pragma once
#include "cli/args.hpp"

namespace dbopt::cli {

// Returns the exit status (kExitOk or kExitFindings); throws CliError otherwise.
int RunHealth(const HealthOptions& options);

}  // namespace dbopt::cli
