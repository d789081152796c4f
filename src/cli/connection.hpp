// Opening a libpq connection the way psql does: a conninfo string, URI or database name,
// explicit options on top, and the PG* environment for the rest.
#pragma once
#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

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

struct ResultClearer {
  void operator()(PGresult* result) const { PQclear(result); }
};
using Result = std::unique_ptr<PGresult, ResultClearer>;

// Runs a statement with text parameters (NULL where params[i] is null) and returns its rows;
// throws ServerError when it fails.
Result Query(PGconn* connection, const std::string& sql, const std::vector<const char*>& params);

// A cell's text; "" for NULL.
std::string Cell(const PGresult* result, int row, int column);
// A cell as a number; if_null for NULL.
double NumberCell(const PGresult* result, int row, int column, double if_null);
std::int64_t IntegerCell(const PGresult* result, int row, int column);  // 0 for NULL
// A text[] cell's non-empty elements (remediation and revert statements); none for NULL.
// Throws std::invalid_argument on a malformed array.
std::vector<std::string> StatementsCell(const PGresult* result, int row, int column);

// format with every "%s" replaced by schema (an already quoted identifier).
std::string WithSchema(const char* format, const std::string& schema);

// identifier quoted for the server (PQescapeIdentifier).
std::string QuotedIdentifier(PGconn* connection, const std::string& identifier);

}  // namespace dbopt::cli
