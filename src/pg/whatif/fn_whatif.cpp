// SQL functions of the what-if engine (whatif.hpp), for DBAs and tests:
//   dbopt_hypothetical_index(index_ddl, search_path)      one row: what the index is, its size
//   dbopt_whatif(query, index_ddl[], search_path)          cost before/after, indexes used, plan
// Their search_path parameter defaults to the caller's setting (the default expression is
// evaluated before the function's pinned search_path takes effect), so unqualified names in
// the statements resolve as they would for the caller.
#include "pg/result_set.hpp"  // first: includes core headers
#include "pg/caller_search_path.hpp"
#include "pg/guard.hpp"
#include "pg/whatif/whatif.hpp"

extern "C" {
#include "utils/guc.h"
#include "utils/lsyscache.h"
}

#include <string>
#include <vector>

namespace {

using dbopt::pg::CallPg;
using dbopt::pg::Cell;
using dbopt::pg::Fail;
namespace whatif = dbopt::pg::whatif;

std::string TextArg(FunctionCallInfo fcinfo, int n, const char* name, const char* hint) {
  if (PG_ARGISNULL(n))
    Fail(ERRCODE_NULL_VALUE_NOT_ALLOWED, std::string(name) + " must not be NULL", hint);
  std::string value;
  CallPg([&] { value = text_to_cstring(PG_GETARG_TEXT_PP(n)); });
  return value;
}

const char* kDdlHint = "Pass one CREATE INDEX statement, e.g. 'CREATE INDEX ON public.t (c)'.";

std::string IndexLabel(const whatif::Scope& scope, int position) {
  return "<hypothetical> " + scope.Info(position).name;
}

std::string RealIndexName(Oid index) {
  std::string name;
  CallPg([&] {
    char* relname = get_rel_name(index);
    Oid nsp = get_rel_namespace(index);
    if (relname != nullptr)
      name = quote_qualified_identifier(get_namespace_name(nsp), relname);
    else
      name = std::to_string(index);
  });
  return name;
}

}  // namespace

DBOPT_FUNCTION(dbopt_hypothetical_index) {
  std::string ddl = TextArg(fcinfo, 0, "index_ddl", kDdlHint);
  int level = dbopt::pg::BeginCallerSearchPath(fcinfo, 1);
  whatif::Scope scope;
  int position = scope.Add(ddl);
  whatif::IndexSize size = scope.EstimatedSize(position);
  const whatif::IndexInfo& info = scope.Info(position);
  dbopt::pg::EndCallerSearchPath(level);
  dbopt::pg::ResultSet result(fcinfo);
  result.AddRow({Cell::Text(info.name), Cell::Text(info.table_name), Cell::Text(info.access_method),
                 Cell::Array(info.key_columns), Cell::Array(info.include_columns),
                 Cell::Bool(info.partial), Cell::Bool(info.unique), Cell::Int(size.bytes),
                 Cell::Int(static_cast<std::int64_t>(size.pages)), Cell::Float(size.tuples),
                 size.tree_height >= 0 ? Cell::Int(size.tree_height) : Cell::Null()});
  return (Datum)0;
}

DBOPT_FUNCTION(dbopt_whatif) {
  std::string query = TextArg(
      fcinfo, 0, "query", "Pass the SQL statement to plan, e.g. 'SELECT * FROM t WHERE c = 1'.");
  std::vector<std::string> ddls;
  if (!PG_ARGISNULL(1)) {
    bool has_null = false;
    CallPg([&] {
      ArrayType* array = PG_GETARG_ARRAYTYPE_P(1);
      Datum* values;
      bool* nulls;
      int count;
      deconstruct_array(array, TEXTOID, -1, false, TYPALIGN_INT, &values, &nulls, &count);
      for (int i = 0; i < count; ++i) {
        if (nulls[i])
          has_null = true;
        else
          ddls.push_back(text_to_cstring(DatumGetTextPP(values[i])));
      }
    });
    if (has_null)
      Fail(ERRCODE_NULL_VALUE_NOT_ALLOWED, "index_ddl must not contain NULL elements", kDdlHint);
  }
  int level = dbopt::pg::BeginCallerSearchPath(fcinfo, 2);
  whatif::Scope scope;
  std::vector<int> active;
  for (const std::string& ddl : ddls) active.push_back(scope.Add(ddl));
  // With the hypothetical indexes first: an error while planning happens with them armed
  // (and is tested to leave nothing behind).
  whatif::PlanResult after;
  std::string plan = scope.ExplainSql(query, active, &after);
  whatif::PlanResult before = scope.PlanSql(query, {});
  std::vector<std::string> used;
  for (int position : after.hypothetical_used) used.push_back(IndexLabel(scope, position));
  for (Oid index : after.real_used) used.push_back(RealIndexName(index));
  dbopt::pg::EndCallerSearchPath(level);
  while (!plan.empty() && plan.back() == '\n') plan.pop_back();
  dbopt::pg::ResultSet result(fcinfo);
  result.AddRow({Cell::Float(before.total_cost), Cell::Float(after.total_cost), Cell::Array(used),
                 Cell::Text(plan)});
  return (Datum)0;
}
