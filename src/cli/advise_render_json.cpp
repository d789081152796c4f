#include "cli/advise_render.hpp"
#include "core/common/sql_text.hpp"

namespace dbopt::cli {
namespace {

void Outcome(JsonWriter& json, const ApplyOutcome& outcome) {
  json.BeginObject().Field("status", ApplyStatusName(outcome.status));
  json.Field("build_ms", outcome.build_ms).Key("actual_bytes");
  if (outcome.actual_bytes < 0)
    json.Null();
  else
    json.Integer(outcome.actual_bytes);
  json.Key("error").StringOrNull(outcome.error).Key("apply_id").StringOrNull(outcome.apply_id);
  json.Field("baseline_rows", outcome.baseline_rows)
      .Field("dropped", outcome.dropped)
      .Field("left", outcome.left)
      .EndObject();
}

}  // namespace

std::string RenderAdviseJson(const AdviseReport& report) {
  JsonWriter json;
  json.BeginObject().Field("database", report.database).Key("summary");
  advisor::WriteSummaryJson(json, report.summary);
  json.Field("applied", report.applied).Field("interrupted", report.interrupted);
  // One recommendation per line, so that a diff or grep of the output stays readable.
  std::string indexes = "[";
  for (size_t i = 0; i < report.indexes.size(); ++i) {
    const AdvisedIndex& index = report.indexes[i];
    JsonWriter r;
    r.BeginObject()
        .Field("rank", index.rank)
        .Field("index_name", index.index_name)
        .Field("table_name", index.table_name)
        .Field("kind", index.kind)
        .Field("estimated_bytes", static_cast<std::int64_t>(index.estimated_bytes))
        .Field("write_overhead", index.write_overhead)
        .Field("benefit", index.benefit)
        .Key("queries")
        .BeginArray();
    for (const AdvisedQuery& query : index.queries) {
      r.BeginObject()
          .Field("queryid", query.queryid)
          .Key("query")
          .StringOrNull(query.query)
          .Field("calls", query.calls)
          .Field("cost_before", query.cost_before)
          .Field("cost_after", query.cost_after)
          .EndObject();
    }
    r.EndArray().Field("remediation", index.remediation).Field("revert", index.revert);
    if (report.applied) {
      r.Key("apply");
      Outcome(r, index.outcome);
    }
    r.EndObject();
    indexes += (i == 0 ? "\n  " : ",\n  ") + r.str();
  }
  indexes += report.indexes.empty() ? "]" : "\n]";
  json.Key("recommendations").Raw(indexes).EndObject();
  return json.str() + "\n";
}

}  // namespace dbopt::cli
