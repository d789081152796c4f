// `dbopt top`: connect, read the heaviest captured queries and their access paths, print
// them as a table or JSON.
#pragma once
#include "cli/args.hpp"

namespace dbopt::cli {

// Returns kExitOk (also when nothing was captured yet); throws CliError otherwise.
int RunTop(const TopOptions& options);

}  // namespace dbopt::cli
