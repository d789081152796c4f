// Opening a libpq connection the way psql does: a conninfo string, URI or database name,
// explicit options on top, and the PG* environment for the rest.
#pragma once
#include <libpq-fe.h>

#include <memory>
#include <string>

#include "cli/args.hpp"
#include "cli/exit_codes.hpp"

namespace dbopt::cli {

struct ConnectionCloser {
  void operator()(PGconn* connection) const { PQfinish(connection); }
};
using Connection = std::unique_ptr<PGconn, ConnectionCloser>;

// Throws CliError(kExitError) carrying libpq's message when the connection fails.
Connection Connect(const ConnectionOptions& options);

// The server's error of a failed result (primary message and DETAIL; HINT separately), as
// a CliError(kExitError). Falls back to the connection's message when the result has none.
CliError ServerError(PGconn* connection, const PGresult* result);

}  // namespace dbopt::cli
