// The workload summary of one advisor run: the row of dbopt_recommendation_summary(), the
// "summary" object of dbopt_advise() and of `dbopt advise --format json`, one writer for both.
#pragma once
#include "core/common/no_postgres.hpp"

#include <cstdint>
#include <string>

#include "core/common/sql_text.hpp"

namespace dbopt::advisor {

struct AdviceSummary {
  std::string algorithm;
  std::int64_t queries = 0;
  std::int64_t skipped_queries = 0;
  std::int64_t candidates = 0;
  std::int64_t recommendations = 0;
  double cost_before = 0;
  double cost_after = 0;
  double improvement_pct = 0;
  double write_cost = 0;
  std::int64_t budget_bytes = -1;  // -1: no budget (NULL)
  std::int64_t bytes_used = 0;
  std::int64_t planner_calls = 0;
  double elapsed_ms = 0;
  std::int64_t below_floor = 0;  // candidates left out by the worthwhile-benefit floor
};

// {"algorithm": ..., "below_floor": ...}: keys named as dbopt_recommendation_summary()'s
// columns, in their order; budget_bytes null without a budget.
void WriteSummaryJson(JsonWriter& json, const AdviceSummary& summary);

}  // namespace dbopt::advisor
