#include "cli/advise_query.hpp"

#include <cstdlib>
#include <stdexcept>

#include "cli/connection.hpp"
#include "cli/exit_codes.hpp"
#include "cli/health_query.hpp"

namespace dbopt::cli {
namespace {

// Marked like dbopt top's statements, so that top leaves them out.
const char kSessionSql[] =
    "SELECT /* dbopt cli */ pg_catalog.current_setting('search_path'),"
    " pg_catalog.set_config('search_path', '', false),"
    " CASE WHEN pg_catalog.current_setting('is_superuser') = 'on'"
    " AND pg_catalog.current_setting('dbopt.track', true) IS NOT NULL"
    " THEN pg_catalog.set_config('dbopt.track', 'none', false) END";

const char kArguments[] =
    "budget => $1, max_indexes => $2::pg_catalog.int4, max_columns => $3::pg_catalog.int4,"
    " algorithm => $4, min_calls => $5::pg_catalog.int8, search_path => $6";

// One run of the advisor (dbopt_advise(): the summary and the recommendations in one jsonb
// document), spread into one row per (recommendation, query it helps) in rank order, each
// row with the summary; one row with NULL recommendation columns when there is none.
const char kAdviseSql[] =
    "WITH a AS MATERIALIZED (SELECT %s.dbopt_advise(%a) AS d)"
    " SELECT /* dbopt cli */ s ->> 'algorithm', s ->> 'queries', s ->> 'skipped_queries',"
    " s ->> 'candidates', s ->> 'recommendations', s ->> 'cost_before', s ->> 'cost_after',"
    " s ->> 'improvement_pct', s ->> 'write_cost', s ->> 'budget_bytes', s ->> 'bytes_used',"
    " s ->> 'planner_calls', s ->> 'elapsed_ms', pg_catalog.current_database(), s ->> "
    "'below_floor',"
    " r.e ->> 'rank', r.e ->> 'index_name', r.e ->> 'table_name', r.e ->> 'kind',"
    " r.e ->> 'estimated_bytes', r.e ->> 'write_overhead', r.e ->> 'benefit',"
    " ARRAY(SELECT pg_catalog.jsonb_array_elements_text(r.e -> 'remediation')),"
    " ARRAY(SELECT pg_catalog.jsonb_array_elements_text(r.e -> 'revert')),"
    " q.e ->> 'queryid', q.e ->> 'query', q.e ->> 'calls', q.e ->> 'cost_before',"
    " q.e ->> 'cost_after'"
    " FROM a CROSS JOIN LATERAL (SELECT a.d -> 'summary') AS x(s)"
    " LEFT JOIN LATERAL pg_catalog.jsonb_array_elements(a.d -> 'recommendations')"
    " WITH ORDINALITY AS r(e, n) ON true"
    " LEFT JOIN LATERAL pg_catalog.jsonb_array_elements(r.e -> 'queries')"
    " WITH ORDINALITY AS q(e, n) ON true"
    " ORDER BY r.n, q.n";

// With --min-benefit-per-size, its argument ($7) too; else the server's default.
std::string Statement(const char* format, const std::string& schema, bool floor) {
  std::string sql = WithSchema(format, schema);
  sql.replace(
      sql.find("%a"), 2,
      std::string(kArguments) + (floor ? ", min_benefit_per_size => $7::pg_catalog.float8" : ""));
  return sql;
}

// Query() with the server's refusal of an argument turned into a usage error.
Result AdvisorQuery(PGconn* connection, const std::string& sql,
                    const std::vector<const char*>& params) {
  Result result(PQexecParams(connection, sql.c_str(), static_cast<int>(params.size()), nullptr,
                             params.data(), nullptr, nullptr, 0));
  if (PQresultStatus(result.get()) == PGRES_TUPLES_OK) return result;
  CliError error = ServerError(connection, result.get());
  const char* state = PQresultErrorField(result.get(), PG_DIAG_SQLSTATE);
  if (state != nullptr && (std::string(state) == "22023" || std::string(state) == "22004"))
    throw CliError(kExitUsage, error.what(), error.hint());
  throw error;
}

}  // namespace

AdviseSession PrepareAdviseSession(PGconn* connection) {
  AdviseSession session;
  session.schema = QuotedIdentifier(connection, ExtensionSchema(connection));
  Result result = Query(connection, kSessionSql, {});
  session.search_path = Cell(result.get(), 0, 0);
  return session;
}

AdviseReport FetchAdvice(PGconn* connection, const AdviseSession& session,
                         const AdviseOptions& options) {
  AdviseReport report;
  report.options = options;
  const std::string max_indexes = std::to_string(options.max_indexes);
  const std::string max_columns = std::to_string(options.max_columns);
  const std::string min_calls = std::to_string(options.min_calls);
  std::vector<const char*> params = {
      options.budget.empty() ? nullptr : options.budget.c_str(),
      options.max_indexes == AdviseOptions::kNoLimit ? nullptr : max_indexes.c_str(),
      max_columns.c_str(),
      options.algorithm.c_str(),
      min_calls.c_str(),
      session.search_path.c_str()};
  const bool floor = !options.min_benefit_per_size.empty();
  if (floor) params.push_back(options.min_benefit_per_size.c_str());

  Result result = AdvisorQuery(connection, Statement(kAdviseSql, session.schema, floor), params);
  const PGresult* rows = result.get();
  try {
    if (PQntuples(rows) < 1) throw std::invalid_argument("no rows");
    AdviseSummary& s = report.summary;
    s.algorithm = Cell(rows, 0, 0);
    s.queries = IntegerCell(rows, 0, 1);
    s.skipped_queries = IntegerCell(rows, 0, 2);
    s.candidates = IntegerCell(rows, 0, 3);
    s.recommendations = IntegerCell(rows, 0, 4);
    s.cost_before = NumberCell(rows, 0, 5, 0);
    s.cost_after = NumberCell(rows, 0, 6, 0);
    s.improvement_pct = NumberCell(rows, 0, 7, 0);
    s.write_cost = NumberCell(rows, 0, 8, 0);
    s.budget_bytes = PQgetisnull(rows, 0, 9) ? -1 : IntegerCell(rows, 0, 9);
    s.bytes_used = IntegerCell(rows, 0, 10);
    s.planner_calls = IntegerCell(rows, 0, 11);
    s.elapsed_ms = NumberCell(rows, 0, 12, 0);
    report.database = Cell(rows, 0, 13);
    s.below_floor = IntegerCell(rows, 0, 14);
    for (int row = 0; row < PQntuples(rows); ++row) {
      if (PQgetisnull(rows, row, 15)) continue;  // no recommendation
      const int rank = static_cast<int>(IntegerCell(rows, row, 15));
      if (report.indexes.empty() || report.indexes.back().rank != rank) {
        AdvisedIndex index;
        index.rank = rank;
        index.index_name = Cell(rows, row, 16);
        index.table_name = Cell(rows, row, 17);
        index.kind = Cell(rows, row, 18);
        index.estimated_bytes = IntegerCell(rows, row, 19);
        index.write_overhead = NumberCell(rows, row, 20, 0);
        index.benefit = NumberCell(rows, row, 21, 0);
        index.remediation = StatementsCell(rows, row, 22);
        index.revert = StatementsCell(rows, row, 23);
        report.indexes.push_back(std::move(index));
      }
      if (PQgetisnull(rows, row, 24)) continue;  // helps no query (cannot happen today)
      AdvisedQuery query;
      query.queryid = Cell(rows, row, 24);
      query.query = Cell(rows, row, 25);
      query.calls = NumberCell(rows, row, 26, 0);
      query.cost_before = NumberCell(rows, row, 27, 0);
      query.cost_after = NumberCell(rows, row, 28, 0);
      report.indexes.back().queries.push_back(std::move(query));
    }
  } catch (const std::invalid_argument& error) {
    throw CliError(kExitError, std::string("unexpected dbopt_advise() output: ") + error.what());
  }
  return report;
}

}  // namespace dbopt::cli
