#include "cli/top_query.hpp"

#include <cmath>
#include <cstdlib>

#include "cli/connection.hpp"
#include "cli/exit_codes.hpp"

namespace dbopt::cli {
namespace {

// Every statement runs with an empty search_path (set first, as pg_dump does): built-in
// operators and functions resolve to pg_catalog, and dbopt's through the quoted schema.
// The statements carry a marker comment (kept in the captured text) so that dbopt top leaves
// out its own statements and those of ExtensionSchema().
const char kSearchPathSql[] =
    "SELECT /* dbopt cli */ pg_catalog.set_config('search_path', '', false)";

// Capture state first: without the preload it fails with dbopt's own error and hint.
const char kInfoSql[] =
    "SELECT /* dbopt cli */ to_char(timezone('UTC', i.since), 'YYYY-MM-DD HH24:MI:SS') || ' UTC',"
    " current_setting('dbopt.sample_rate', true), current_database(), CURRENT_USER"
    " FROM %s.dbopt_capture_info() i";

// $1 all users, $2 ordering name, $3 limit. One row per (query, access path), queries in
// rank order; the window figures are over every query in scope, before the limit.
const char kTopSql[] =
    "WITH /* dbopt cli */ scope AS ("
    " SELECT q.* FROM %s.dbopt_queries(showtext => true) q"
    " WHERE (q.query IS NULL OR strpos(q.query, '/* dbopt cli */') = 0)"
    " AND q.dbid = (SELECT oid FROM pg_database WHERE datname = current_database())"
    " AND q.calls > 0"
    " AND ($1::bool OR q.userid = (SELECT oid FROM pg_roles WHERE rolname = CURRENT_USER))),"
    " ranked AS ("
    " SELECT s.*, row_number() OVER (ORDER BY CASE $2::text"
    "   WHEN 'mean_time' THEN s.mean_exec_time WHEN 'calls' THEN s.calls::float8"
    "   WHEN 'rows' THEN s.rows::float8 ELSE s.total_exec_time END DESC,"
    "   s.total_exec_time DESC, s.queryid, s.userid, s.toplevel, s.origin) AS rank,"
    " count(*) OVER () AS in_scope, sum(s.total_exec_time) OVER () AS scope_time"
    " FROM scope s)"
    " SELECT r.rank, r.queryid, pg_get_userbyid(r.userid), r.toplevel, r.calls,"
    " r.total_exec_time, r.mean_exec_time, r.rows, r.sampled_calls, r.query, r.in_scope,"
    " r.scope_time, a.relid, a.relation, a.scan_kind, a.index_name, a.samples, a.loops,"
    " a.est_rows, a.actual_rows, a.rows_removed_by_filter"
    " FROM ranked r LEFT JOIN %s.dbopt_access_paths() a"
    " ON (a.userid, a.dbid, a.toplevel, a.queryid, a.origin)"
    " = (r.userid, r.dbid, r.toplevel, r.queryid, r.origin)"
    " WHERE r.rank <= $3::int8"
    " ORDER BY r.rank, a.loops * (a.actual_rows + a.rows_removed_by_filter) DESC NULLS LAST,"
    " a.relation, a.scan_kind, a.index_name";

}  // namespace

TopReport FetchTop(PGconn* connection, const std::string& extension_schema,
                   const TopOptions& options) {
  const std::string schema = QuotedIdentifier(connection, extension_schema);
  TopReport report;
  report.all_users = options.all_users;
  report.order_by = options.order_by;
  Query(connection, kSearchPathSql, {});
  {
    Result info = Query(connection, WithSchema(kInfoSql, schema), {});
    if (PQntuples(info.get()) == 1) {
      report.since = Cell(info.get(), 0, 0);
      report.sample_rate = Cell(info.get(), 0, 1);
      report.database = Cell(info.get(), 0, 2);
      report.user = Cell(info.get(), 0, 3);
    }
  }
  const std::string limit = std::to_string(options.limit);
  Result result =
      Query(connection, WithSchema(kTopSql, schema),
            {options.all_users ? "true" : "false", TopOrderName(options.order_by), limit.c_str()});
  const PGresult* rows = result.get();
  std::string last_rank;
  for (int row = 0; row < PQntuples(rows); ++row) {
    if (Cell(rows, row, 0) != last_rank) {
      last_rank = Cell(rows, row, 0);
      TopQuery query;
      query.queryid = Cell(rows, row, 1);
      query.user = Cell(rows, row, 2);
      query.toplevel = Cell(rows, row, 3) != "f";
      query.calls = IntegerCell(rows, row, 4);
      query.total_time_ms = NumberCell(rows, row, 5, std::nan(""));
      query.mean_time_ms = NumberCell(rows, row, 6, std::nan(""));
      query.rows = IntegerCell(rows, row, 7);
      query.sampled_calls = IntegerCell(rows, row, 8);
      query.has_text = !PQgetisnull(rows, row, 9);
      query.query = Cell(rows, row, 9);
      report.queries_in_scope = IntegerCell(rows, row, 10);
      report.total_time_ms = NumberCell(rows, row, 11, std::nan(""));
      query.share_percent =
          report.total_time_ms > 0 ? 100.0 * query.total_time_ms / report.total_time_ms : 0.0;
      report.queries.push_back(std::move(query));
    }
    if (PQgetisnull(rows, row, 12)) continue;  // no access path recorded
    TopAccessPath path;
    path.relid = Cell(rows, row, 12);
    path.relation = Cell(rows, row, 13);
    path.scan_kind = Cell(rows, row, 14);
    path.index_name = Cell(rows, row, 15);
    path.samples = IntegerCell(rows, row, 16);
    path.loops = NumberCell(rows, row, 17, std::nan(""));
    path.est_rows = NumberCell(rows, row, 18, std::nan(""));
    path.actual_rows = NumberCell(rows, row, 19, std::nan(""));
    path.rows_removed_by_filter = NumberCell(rows, row, 20, std::nan(""));
    report.queries.back().access_paths.push_back(std::move(path));
  }
  return report;
}

}  // namespace dbopt::cli
