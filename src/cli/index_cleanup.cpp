#include "cli/index_cleanup.hpp"

#include "cli/connection.hpp"

namespace dbopt::cli {

std::string RunStatement(PGconn* connection, const std::string& statement) {
  Result result(PQexec(connection, statement.c_str()));
  const ExecStatusType status = PQresultStatus(result.get());
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return "";
  return ServerError(connection, result.get()).what();
}

std::string DropIndexAfterFailure(PGconn* connection, const std::string& index, bool partitioned) {
  std::string statement_timeout;
  std::string lock_timeout;
  {
    Result saved(PQexec(connection,
                        "SELECT /* dbopt cli */ pg_catalog.current_setting('statement_timeout'),"
                        " pg_catalog.current_setting('lock_timeout'),"
                        " pg_catalog.set_config('statement_timeout', '0', false),"
                        " pg_catalog.set_config('lock_timeout', '0', false)"));
    if (PQresultStatus(saved.get()) != PGRES_TUPLES_OK)
      return ServerError(connection, saved.get()).what();
    statement_timeout = Cell(saved.get(), 0, 0);
    lock_timeout = Cell(saved.get(), 0, 1);
  }
  const std::string error = RunStatement(
      connection,
      std::string(partitioned ? "DROP INDEX IF EXISTS " : "DROP INDEX CONCURRENTLY IF EXISTS ") +
          index);
  Result restored(PQexecParams(
      connection,
      "SELECT /* dbopt cli */ pg_catalog.set_config('statement_timeout', $1,"
      " false), pg_catalog.set_config('lock_timeout', $2, false)",
      2, nullptr, std::vector<const char*>{statement_timeout.c_str(), lock_timeout.c_str()}.data(),
      nullptr, nullptr, 0));
  return error;
}

}  // namespace dbopt::cli
