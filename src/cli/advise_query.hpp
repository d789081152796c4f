// The SQL side of `dbopt advise`: prepares the session and reads the advice of the current
// database (dbopt_advise(): the recommendations and the workload summary of one advisor run)
// into an AdviseReport.
#pragma once
#include <libpq-fe.h>

#include <string>

#include "cli/advise_report.hpp"
#include "cli/args.hpp"

namespace dbopt::cli {

// The caller's search_path (unqualified names in captured texts resolve with it), read
// before the session's is emptied for dbopt's own statements; dbopt's statements are kept
// out of the capture when the user may turn it off.
struct AdviseSession {
  std::string schema;       // the extension's schema, quoted
  std::string search_path;  // the connection's search_path before dbopt changed it
};
AdviseSession PrepareAdviseSession(PGconn* connection);

// One advisor call (dbopt_advise()) with the options' arguments (sent as parameters). A bad
// argument the server refuses (invalid_parameter_value, null_value_not_allowed: a budget it cannot
// read, an unknown algorithm) is a usage error (exit 2) carrying the server's message and hint.
AdviseReport FetchAdvice(PGconn* connection, const AdviseSession& session,
                         const AdviseOptions& options);

}  // namespace dbopt::cli
