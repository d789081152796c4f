#include "cli/connection.hpp"

#include <cstdlib>
#include <vector>

#include "cli/exit_codes.hpp"
#include "cli/terminal.hpp"
#include "core/common/pg_array.hpp"

namespace dbopt::cli {
namespace {

std::string Trimmed(const char* text) {
  std::string out = text == nullptr ? "" : text;
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

// One attempt; password (if not null) overrides any other source of it.
Connection TryConnect(const ConnectionOptions& options, const std::string* password) {
  // libpq processes the arrays in order: the first dbname is expanded when it is a conninfo
  // string or URI, and later non-empty entries override what it set (so -h, -p, -U, -d win).
  std::vector<const char*> keywords;
  std::vector<const char*> values;
  auto add = [&](const char* keyword, const char* value) {  // value must outlive the call
    if (value[0] == '\0') return;
    keywords.push_back(keyword);
    values.push_back(value);
  };
  add("dbname", options.conninfo.c_str());
  add("dbname", options.dbname.c_str());
  add("host", options.host.c_str());
  add("port", options.port.c_str());
  add("user", options.username.c_str());
  if (password != nullptr) add("password", password->c_str());
  add("fallback_application_name", "dbopt");
  // JSON output must be UTF-8; PGCLIENTENCODING still wins for those who set it.
  if (std::getenv("PGCLIENTENCODING") == nullptr) add("client_encoding", "UTF8");
  keywords.push_back(nullptr);
  values.push_back(nullptr);
  Connection connection(PQconnectdbParams(keywords.data(), values.data(), /*expand_dbname=*/1));
  if (!connection) throw CliError(kExitError, "out of memory while connecting");
  return connection;
}

}  // namespace

// Password prompts follow psql: -W asks first, by default dbopt asks once when the server
// wants a password that no other source gave, -w never asks.
Connection Connect(const ConnectionOptions& options) {
  std::string password;
  bool have_password = false;
  if (options.password_prompt == PasswordPrompt::kAlways) {
    const std::string prompt =
        options.username.empty() ? "Password: " : "Password for user " + options.username + ": ";
    if (!ReadSecret(prompt.c_str(), &password))
      throw CliError(kExitError, "cannot ask for a password: no terminal",
                     "use ~/.pgpass or PGPASSWORD instead of -W");
    have_password = true;
  }
  Connection connection = TryConnect(options, have_password ? &password : nullptr);
  if (PQstatus(connection.get()) != CONNECTION_OK && PQconnectionNeedsPassword(connection.get()) &&
      !have_password && options.password_prompt == PasswordPrompt::kWhenNeeded) {
    const std::string prompt = std::string("Password for user ") + PQuser(connection.get()) + ": ";
    if (ReadSecret(prompt.c_str(), &password)) connection = TryConnect(options, &password);
  }
  if (PQstatus(connection.get()) != CONNECTION_OK) {
    std::string hint;
    if (PQconnectionNeedsPassword(connection.get()))
      hint = "give the password in ~/.pgpass or PGPASSWORD, or run dbopt on a terminal";
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

Result Query(PGconn* connection, const std::string& sql, const std::vector<const char*>& params) {
  Result result(PQexecParams(connection, sql.c_str(), static_cast<int>(params.size()), nullptr,
                             params.data(), nullptr, nullptr, /*resultFormat=*/0));
  if (PQresultStatus(result.get()) != PGRES_TUPLES_OK) throw ServerError(connection, result.get());
  return result;
}

std::string Cell(const PGresult* result, int row, int column) {
  return PQgetisnull(result, row, column) ? "" : PQgetvalue(result, row, column);
}

double NumberCell(const PGresult* result, int row, int column, double if_null) {
  if (PQgetisnull(result, row, column)) return if_null;
  return std::strtod(PQgetvalue(result, row, column), nullptr);
}

std::int64_t IntegerCell(const PGresult* result, int row, int column) {
  if (PQgetisnull(result, row, column)) return 0;
  return std::strtoll(PQgetvalue(result, row, column), nullptr, 10);
}

std::vector<std::string> StatementsCell(const PGresult* result, int row, int column) {
  std::vector<std::string> statements;
  if (PQgetisnull(result, row, column)) return statements;
  for (std::string& statement : ParseTextArray(PQgetvalue(result, row, column)))
    if (!statement.empty()) statements.push_back(std::move(statement));
  return statements;
}

std::string WithSchema(const char* format, const std::string& schema) {
  std::string sql = format;
  for (size_t at = sql.find("%s"); at != std::string::npos; at = sql.find("%s", at))
    sql.replace(at, 2, schema);
  return sql;
}

std::string QuotedIdentifier(PGconn* connection, const std::string& identifier) {
  std::unique_ptr<char, decltype(&PQfreemem)> quoted(
      PQescapeIdentifier(connection, identifier.c_str(), identifier.size()), &PQfreemem);
  if (!quoted) throw ServerError(connection, nullptr);
  return quoted.get();
}

}  // namespace dbopt::cli
