// The three formats of `dbopt advise`. text: a summary of the workload, one table row per
// recommended index, under each the queries it helps, then the statements (or, after
// --apply, what happened to each index). json: one object with "summary" and
// "recommendations" (each with "queries" and, after --apply, "apply"). sql: the
// remediation statements as a script, each index introduced by a comment, reverts as
// comments.
#pragma once
#include <string>

#include "cli/advise_report.hpp"
#include "cli/render_text.hpp"

namespace dbopt::cli {

std::string RenderAdviseText(const AdviseReport& report, const TextStyle& style);
std::string RenderAdviseJson(const AdviseReport& report);
std::string RenderAdviseSql(const AdviseReport& report);

// Planner cost units: whole numbers from 100 up, two decimals below.
std::string FormatCost(double cost);
// Calls as the advisor weighs them: whole numbers as such, else as costs.
std::string FormatCalls(double calls);

}  // namespace dbopt::cli
