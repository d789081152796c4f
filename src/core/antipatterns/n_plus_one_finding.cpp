// The finding of an N+1 loop (check_id "n_plus_one", "n_plus_one_writes" for a write loop).
#include "core/antipatterns/finding_text.hpp"
#include "core/antipatterns/n_plus_one.hpp"
#include "core/common/sql_text.hpp"

#include <cctype>

namespace dbopt::antipatterns {

Finding NPlusOneFinding(const LoopSummary& loop) {
  Finding finding;
  finding.check_id = loop.writes ? "n_plus_one_writes" : "n_plus_one";
  double mean_repeats =
      loop.occurrences > 0 ? static_cast<double>(loop.total_repeats) / loop.occurrences : 0;
  double mean_rows =
      loop.occurrences > 0 ? static_cast<double>(loop.total_source_rows) / loop.occurrences : 0;
  // Many loops, or long ones, cost real time; a couple of short ones are worth knowing.
  finding.severity =
      loop.occurrences >= 10 || loop.loop_ms >= 1000 ? Severity::kWarning : Severity::kInfo;
  finding.object_type = "query";
  finding.object_name = std::to_string(static_cast<std::int64_t>(loop.repeated_queryid));
  finding.message =
      QueryLabel(loop.repeated_queryid, loop.repeated_toplevel) + " ran " +
      OneDecimal(mean_repeats) + " times per loop (at most " + std::to_string(loop.max_repeats) +
      "), " + (mean_repeats > mean_rows + 1 ? "more than once" : "once") + " per row of " +
      QueryLabel(loop.source_queryid, loop.source_toplevel) + " (" + OneDecimal(mean_rows) +
      " rows), in " + std::to_string(loop.occurrences) +
      (loop.occurrences == 1 ? " loop" : " loops") + " taking " + OneDecimal(loop.loop_ms) +
      " ms: " + (loop.writes ? "write them in one statement" : "fetch them in one query");
  // An INSERT per row has no key to batch on: one INSERT ... SELECT (from the source query, or
  // from unnest() of arrays of the values) writes every row.
  bool insert = false;
  for (size_t i = 0; i < loop.repeated_text.size(); ++i) {
    if (std::isspace(static_cast<unsigned char>(loop.repeated_text[i]))) continue;
    insert = loop.repeated_text.compare(i, 6, "INSERT") == 0 ||
             loop.repeated_text.compare(i, 6, "insert") == 0;
    break;
  }
  BatchedRewrite rewrite;
  if (!insert) rewrite = RewriteBatched(loop.repeated_text, loop.source_text);
  if (insert) {
    finding.message += " (one INSERT ... SELECT from the source query, or a multi-row INSERT)";
  } else if (!rewrite.statement.empty() && loop.writes) {
    finding.message += " (" + rewrite.column +
                       " = ANY(...) with all the values, when every row gets the same values; "
                       "else UPDATE ... FROM unnest(...) of the values)";
    finding.remediation.push_back(rewrite.statement);
  } else if (!rewrite.statement.empty()) {
    finding.message += " (" + rewrite.column + " = ANY(...) with all the values" +
                       (loop.source_text.empty() ? "" : ", or a join with the source query") + ")";
    finding.remediation.push_back(rewrite.statement);
  } else {
    finding.message += " (a join with the source query, or an IN list of all the keys)";
  }
  JsonWriter json;
  json.BeginObject();
  json.Field("source_queryid", static_cast<std::int64_t>(loop.source_queryid));
  json.Field("source_toplevel", loop.source_toplevel);
  json.Field("repeated_queryid", static_cast<std::int64_t>(loop.repeated_queryid));
  json.Field("repeated_toplevel", loop.repeated_toplevel);
  json.Field("occurrences", loop.occurrences);
  json.Field("mean_repeats", mean_repeats);
  json.Field("max_repeats", loop.max_repeats);
  json.Field("mean_source_rows", mean_rows);
  json.Field("loop_time_ms", loop.loop_ms);
  json.Field("repeat_time_ms", loop.repeat_ms);
  json.Field("writes", loop.writes);
  json.Field("weak_loops", loop.weak_occurrences);
  json.Field("tables", std::string(RelationEvidenceName(loop.relation)));
  if (!rewrite.statement.empty()) {
    json.Field("key_column", rewrite.column);
    json.Field("loop_value", rewrite.operand);
  }
  json.EndObject();
  finding.detail_json = json.str();
  return finding;
}

}  // namespace dbopt::antipatterns
