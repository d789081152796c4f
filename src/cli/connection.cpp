#include "cli/connection.hpp"

#include <cstdlib>
#include <vector>

#include "cli/exit_codes.hpp"

namespace dbopt::cli {
namespace {

std::string Trimmed(const char* text) {
  std::string out = text == nullptr ? "" : text;
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

}  // namespace

Connection Connect(const ConnectionOptions& options) {
  // libpq processes the arrays in order: the first dbname is expanded when it is a conninfo
  // string or URI, and later non-empty entries override what it set (so -h, -p, -U, -d win).
  std::vector<const char*> keywords;
  std::vector<const char*> values;
  auto add = [&](const char* keyword, const std::string& value) {
    if (value.empty()) return;
    keywords.push_back(keyword);
    values.push_back(value.c_str());
  };
  add("dbname", options.conninfo);
  add("dbname", options.dbname);
  add("host", options.host);
  add("port", options.port);
  add("user", options.username);
  add("fallback_application_name", "dbopt");
  // JSON output must be UTF-8; PGCLIENTENCODING still wins for those who set it.
  if (std::getenv("PGCLIENTENCODING") == nullptr) add("client_encoding", "UTF8");
  keywords.push_back(nullptr);
  values.push_back(nullptr);

  Connection connection(PQconnectdbParams(keywords.data(), values.data(), /*expand_dbname=*/1));
  if (!connection) throw CliError(kExitError, "out of memory while connecting");
  if (PQstatus(connection.get()) != CONNECTION_OK) {
    std::string hint;
    if (PQconnectionNeedsPassword(connection.get()))
      hint = "set PGPASSWORD or add the password to ~/.pgpass (dbopt does not prompt)";
    throw CliError(kExitError, Trimmed(PQerrorMessage(connection.get())), hint);
  }
  return connection;
}

CliError ServerError(PGconn* connection, const PGresult* result) {
  const char* primary = result ? PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  if (primary == nullptr) return CliError(kExitError, Trimmed(PQerrorMessage(connection)));
  std::string message = primary;
  if (const char* detail = PQresultErrorField(result, PG_DIAG_MESSAGE_DETAIL))
    message += std::string("\nDETAIL:  ") + detail;
  const char* hint = PQresultErrorField(result, PG_DIAG_MESSAGE_HINT);
  return CliError(kExitError, message, hint ? hint : "");
}

}  // namespace dbopt::cli
