#include "core/common/sql_text.hpp"
#include "cli/top_render.hpp"

namespace dbopt::cli {
namespace {

void AccessPath(JsonWriter& json, const TopAccessPath& path) {
  json.BeginObject();
  json.Key("relation").StringOrNull(path.relation);
  json.Field("relid", path.relid).Field("scan_kind", path.scan_kind);
  json.Key("index_name").StringOrNull(path.index_name);
  json.Field("samples", static_cast<std::int64_t>(path.samples))
      .Field("loops", path.loops)
      .Field("est_rows", path.est_rows)
      .Field("actual_rows", path.actual_rows)
      .Field("rows_removed_by_filter", path.rows_removed_by_filter)
      .EndObject();
}

}  // namespace

std::string RenderTopJson(const TopReport& report) {
  JsonWriter json;
  json.BeginObject().Field("database", report.database);
  json.Key("user").StringOrNull(report.all_users ? "" : report.user);
  json.Field("order_by", TopOrderName(report.order_by))
      .Field("queries_in_scope", static_cast<std::int64_t>(report.queries_in_scope))
      .Field("total_time_ms", report.total_time_ms);
  json.Key("since").StringOrNull(report.since);
  json.Key("sample_rate").StringOrNull(report.sample_rate);
  // One query per line, so that a diff or grep of the output stays readable.
  std::string queries = "[";
  for (size_t i = 0; i < report.queries.size(); ++i) {
    const TopQuery& query = report.queries[i];
    JsonWriter q;
    q.BeginObject()
        .Field("rank", static_cast<std::int64_t>(i + 1))
        .Field("queryid", query.queryid)
        .Field("user", query.user)
        .Field("toplevel", query.toplevel)
        .Field("calls", static_cast<std::int64_t>(query.calls))
        .Field("total_time_ms", query.total_time_ms)
        .Field("mean_time_ms", query.mean_time_ms)
        .Field("rows", static_cast<std::int64_t>(query.rows))
        .Field("share_percent", query.share_percent)
        .Field("sampled_calls", static_cast<std::int64_t>(query.sampled_calls))
        .Key("query");
    if (query.has_text)
      q.String(query.query);
    else
      q.Null();
    q.Key("access_paths").BeginArray();
    for (const TopAccessPath& path : query.access_paths) AccessPath(q, path);
    q.EndArray().EndObject();
    queries += (i == 0 ? "\n  " : ",\n  ") + q.str();
  }
  queries += report.queries.empty() ? "]" : "\n]";
  json.Key("queries").Raw(queries).EndObject();
  return json.str() + "\n";
}

}  // namespace dbopt::cli
