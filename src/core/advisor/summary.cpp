#include "core/advisor/summary.hpp"

namespace dbopt::advisor {

void WriteSummaryJson(JsonWriter& json, const AdviceSummary& s) {
  json.BeginObject()
      .Field("algorithm", s.algorithm)
      .Field("queries", s.queries)
      .Field("skipped_queries", s.skipped_queries)
      .Field("candidates", s.candidates)
      .Field("recommendations", s.recommendations)
      .Field("cost_before", s.cost_before)
      .Field("cost_after", s.cost_after)
      .Field("improvement_pct", s.improvement_pct)
      .Field("write_cost", s.write_cost)
      .Key("budget_bytes");
  if (s.budget_bytes < 0)
    json.Null();
  else
    json.Integer(s.budget_bytes);
  json.Field("bytes_used", s.bytes_used)
      .Field("planner_calls", s.planner_calls)
      .Field("elapsed_ms", s.elapsed_ms)
      .Field("below_floor", s.below_floor)
      .EndObject();
}

}  // namespace dbopt::advisor
