#include "core/antipatterns/offset_pagination.hpp"

#include <algorithm>
#include <cstdio>

#include "core/advisor/candidates.hpp"
#include "core/advisor/render.hpp"
#include "core/antipatterns/keyset.hpp"
#include "core/common/sql_text.hpp"

namespace dbopt::antipatterns {
namespace {

std::string Number(double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%.0f", value);
  return buffer;
}

std::string Millis(double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%.1f", value);
  return buffer;
}

std::string QueryLabel(const PagedQuery& query) {
  return "query " + std::to_string(static_cast<std::int64_t>(query.queryid)) +
         (query.toplevel ? "" : " (nested)");
}

bool Contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

// A valid, non-partial unique index (or the primary key) on plain NOT NULL columns.
bool UniqueOnColumns(const Table& table, const Index& index) {
  if (!index.valid || !index.ready || index.Partial() || !(index.unique || index.primary) ||
      index.keys.empty())
    return false;
  for (const IndexColumn& key : index.keys) {
    if (key.IsExpression()) return false;
    const Column* column = table.FindColumn(key.column);
    if (column == nullptr || !column->not_null) return false;
  }
  return true;
}

std::vector<std::string> KeyColumns(const Index& index) {
  std::vector<std::string> columns;
  for (const IndexColumn& key : index.keys) columns.push_back(key.column);
  return columns;
}

// ORDER BY items of the text, or -1 when the text is unknown.
int OrderItems(const std::string& text) {
  if (text.empty()) return -1;
  SelectShape shape = ScanSelect(text);
  return shape.select && shape.has_order ? static_cast<int>(shape.order.size()) : 0;
}

// The identity of either finding; 10 flagged executions, or 1 s spent in them, make a warning.
Finding QueryFinding(const char* check_id, const PagedQuery& query, std::int64_t flagged_calls,
                     double flagged_ms) {
  Finding finding;
  finding.check_id = check_id;
  finding.severity =
      flagged_calls >= 10 || flagged_ms >= 1000 ? Severity::kWarning : Severity::kInfo;
  finding.object_type = "query";
  finding.object_name = std::to_string(static_cast<std::int64_t>(query.queryid));
  return finding;
}

// Opens the evidence object with the query's own figures.
void WriteCommon(JsonWriter& json, const PagedQuery& query) {
  json.BeginObject();
  json.Field("queryid", static_cast<std::int64_t>(query.queryid));
  json.Field("toplevel", query.toplevel);
  json.Field("calls", query.calls);
  json.Field("total_time_ms", query.total_ms);
}

// The keyset rewrite and index of a query, written into the finding.
struct Fix {
  KeysetRewrite rewrite;
  KeysetPlan plan;
};

Fix BuildFix(const PagedQuery& query, const Catalog& catalog, IndexNamer& namer, bool add_limit) {
  Fix fix;
  fix.plan = PlanKeyset(query, catalog, namer);
  if (query.text.empty()) {
    fix.rewrite.why_not = "the query's text is not available";
    return fix;
  }
  std::vector<std::string> item_columns;
  if (OrderItems(query.text) == static_cast<int>(query.sort_keys.size()))
    for (const CapturedSortKey& key : query.sort_keys) item_columns.push_back(key.column);
  fix.rewrite = RewriteKeyset(query.text, item_columns, fix.plan.tie_breakers, add_limit);
  return fix;
}

// The fix's sentences (after the finding's first one), remediation, revert and evidence;
// closes the evidence object.
void AddFix(const Fix& fix, Finding* finding, JsonWriter& json) {
  const KeysetRewrite& rewrite = fix.rewrite;
  const KeysetPlan& plan = fix.plan;
  if (!rewrite.statement.empty()) {
    std::string params;
    for (std::size_t k = 0; k < rewrite.keys.size(); ++k)
      params += (k ? ", " : "") + rewrite.parameters[k] + " = " + rewrite.keys[k];
    finding->message +=
        ". Keyset form: WHERE " + rewrite.condition + ", binding the last row's " + "values (" +
        params + "; select them with the page)" +
        (rewrite.limit_parameter.empty() ? "" : " and the page size as " + rewrite.limit_parameter);
    finding->remediation.push_back(rewrite.statement);
  } else {
    finding->message += ". No keyset form is spelled out: " + rewrite.why_not;
  }
  if (!plan.tie_breakers.empty())
    finding->message += "; the sort keys are not unique, so the primary key (" +
                        JoinIdents(plan.tie_breakers) + ") is added as a tie-breaker";
  if (plan.no_unique_key)
    finding->message +=
        "; the sort keys are not unique and the table has no primary key: add a unique key to "
        "the ORDER BY, or rows with equal keys are skipped or repeated between pages";
  if (!plan.nullable.empty())
    finding->message += "; " + JoinIdents(plan.nullable) +
                        (plan.nullable.size() == 1 ? " allows" : " allow") +
                        " NULLs, which the comparison never passes: make the column NOT NULL or "
                        "page through the NULL rows separately (IS NULL)";
  if (!rewrite.statement.empty() && plan.existing != nullptr) {
    finding->message +=
        "; the index " + plan.existing->qualified_name + " already serves this order";
  } else if (!rewrite.statement.empty() && !plan.ddl.index.empty()) {
    std::string columns;
    for (const std::string& column : plan.index_columns)
      columns += (columns.empty() ? "" : ", ") + column;
    finding->message += "; it needs the index " + plan.ddl.index + " (" + columns + ")";
    for (const std::string& statement : plan.ddl.remediation)
      finding->remediation.push_back(statement);
    finding->revert = plan.ddl.revert;
  }
  json.Key("keyset_query").StringOrNull(rewrite.statement);
  json.Key("keyset_condition").StringOrNull(rewrite.condition);
  json.Key("last_row_parameters").BeginObject();
  for (std::size_t k = 0; k < rewrite.parameters.size(); ++k)
    json.Field(rewrite.parameters[k], rewrite.keys[k]);
  json.EndObject();
  json.Key("page_size_parameter").StringOrNull(rewrite.limit_parameter);
  json.Key("no_rewrite_reason").StringOrNull(rewrite.why_not);
  json.Key("table").StringOrNull(plan.table != nullptr ? plan.table->qualified_name : "");
  json.Field("tie_breakers", plan.tie_breakers);
  json.Field("nullable_keys", plan.nullable);
  json.Field("index_columns", plan.index_columns);
  json.Key("existing_index")
      .StringOrNull(plan.existing != nullptr ? plan.existing->qualified_name : "");
  json.Key("new_index").StringOrNull(plan.ddl.index);
  json.EndObject();
  finding->detail_json = json.str();
}

}  // namespace

KeysetPlan PlanKeyset(const PagedQuery& query, const Catalog& catalog, IndexNamer& namer) {
  KeysetPlan plan;
  if (query.sort_keys.empty()) return plan;
  // Every ORDER BY item must be a captured column of one table (expressions are not captured).
  const int items = OrderItems(query.text);
  if (items >= 0 && items != static_cast<int>(query.sort_keys.size())) return plan;
  const ObjectId table_id = query.sort_keys[0].table_id;
  for (const CapturedSortKey& key : query.sort_keys)
    if (key.table_id != table_id || key.column.empty()) return plan;
  const Table* table = catalog.FindTable(table_id);
  if (table == nullptr) return plan;
  plan.table = table;
  std::vector<std::string> sort_columns;
  for (const CapturedSortKey& key : query.sort_keys) {
    if (Contains(sort_columns, key.column)) continue;
    sort_columns.push_back(key.column);
    const Column* column = table->FindColumn(key.column);
    if (column != nullptr && !column->not_null) plan.nullable.push_back(key.column);
  }
  std::vector<std::string> equality;
  for (const EqualityColumn& e : query.equality)
    if (e.table_id == table_id && !Contains(sort_columns, e.column) &&
        !Contains(equality, e.column))
      equality.push_back(e.column);
  // Unique keys: a unique index on NOT NULL columns among the sort and equality columns.
  const std::vector<const Index*>& indexes = catalog.IndexesOf(table_id);
  bool unique = false;
  for (const Index* index : indexes) {
    if (!UniqueOnColumns(*table, *index)) continue;
    bool covered = true;
    for (const IndexColumn& key : index->keys)
      covered = covered && (Contains(sort_columns, key.column) || Contains(equality, key.column));
    unique = unique || covered;
  }
  if (!unique) {
    // The primary key breaks ties; else the first other unique key on NOT NULL columns.
    const Index* breaker = nullptr;
    for (const Index* index : indexes)
      if (index->primary && UniqueOnColumns(*table, *index)) breaker = index;
    for (const Index* index : indexes)
      if (breaker == nullptr && UniqueOnColumns(*table, *index)) breaker = index;
    if (breaker == nullptr) {
      plan.no_unique_key = true;
    } else {
      for (const std::string& column : KeyColumns(*breaker))
        if (!Contains(sort_columns, column) && !Contains(equality, column))
          plan.tie_breakers.push_back(column);
    }
  }
  // The index: equality columns, then the sort keys in order (a backward scan serves the
  // all-reversed order, so the first key is ascending), then the tie-breakers.
  advisor::Candidate candidate;
  candidate.table_id = table_id;
  candidate.table = QualifiedName(*table);
  const bool flip = query.sort_keys[0].descending;
  std::vector<advisor::IndexKey> order_keys;
  std::vector<std::string> seen;
  for (const CapturedSortKey& key : query.sort_keys) {
    if (Contains(seen, key.column)) continue;
    seen.push_back(key.column);
    order_keys.push_back(advisor::IndexKey{key.column, "", key.descending != flip, ""});
  }
  const bool last_descending = order_keys.back().descending;
  for (const std::string& column : plan.tie_breakers)
    order_keys.push_back(advisor::IndexKey{column, "", last_descending, ""});
  for (const std::string& column : equality)
    candidate.keys.push_back(advisor::IndexKey{column, "", false, ""});
  candidate.keys.insert(candidate.keys.end(), order_keys.begin(), order_keys.end());
  for (const advisor::IndexKey& key : candidate.keys)
    plan.index_columns.push_back(QuoteIdent(key.column) + (key.descending ? " DESC" : ""));
  // An existing index serves it when its leading keys are the equality columns in any order
  // (up to 4 of them are tried), then the sort keys (or all of them reversed).
  std::sort(equality.begin(), equality.end());
  const bool try_orders = equality.size() <= 4;
  do {
    advisor::Candidate probe = candidate;
    for (std::size_t k = 0; k < equality.size(); ++k) probe.keys[k].column = equality[k];
    for (const Index* index : indexes)
      if (plan.existing == nullptr && advisor::ExistingCovers(catalog, *index, probe))
        plan.existing = index;
  } while (plan.existing == nullptr && try_orders &&
           std::next_permutation(equality.begin(), equality.end()));
  if (plan.existing == nullptr) {
    advisor::Recommendation recommendation;
    recommendation.index = candidate;
    plan.ddl = advisor::RenderRecommendation(catalog, recommendation, namer);
  }
  return plan;
}

Finding OffsetPaginationFinding(const PagedQuery& query, const Catalog& catalog, IndexNamer& namer,
                                std::int64_t min_offset) {
  Finding finding = QueryFinding("offset_pagination", query, query.offset_calls, query.offset_ms);
  const double mean_offset =
      query.offset_calls > 0 ? query.sum_offset / static_cast<double>(query.offset_calls) : 0;
  finding.message = QueryLabel(query) + " skipped " + Number(mean_offset) +
                    " rows with OFFSET on average (at most " + std::to_string(query.max_offset) +
                    ") in " + std::to_string(query.offset_calls) + " of its " +
                    std::to_string(query.calls) + " executions, reading and throwing away " +
                    Number(query.skipped_rows) + " rows in " + Millis(query.offset_ms) +
                    " ms: page by the sort keys instead (keyset pagination), so each page "
                    "reads only its own rows";
  JsonWriter json;
  WriteCommon(json, query);
  json.Field("min_offset", min_offset);
  json.Field("deep_offset_calls", query.offset_calls);
  json.Field("mean_offset", mean_offset);
  json.Field("max_offset", query.max_offset);
  json.Field("skipped_rows", query.skipped_rows);
  json.Field("deep_offset_time_ms", query.offset_ms);
  AddFix(BuildFix(query, catalog, namer, false), &finding, json);
  return finding;
}

Finding LargeResultFinding(const PagedQuery& query, const Catalog& catalog, IndexNamer& namer,
                           std::int64_t min_rows) {
  Finding finding = QueryFinding("large_result", query, query.large_calls, query.large_ms);
  const double mean_rows =
      query.large_calls > 0 ? query.sum_rows / static_cast<double>(query.large_calls) : 0;
  finding.message = QueryLabel(query) + " returned " + Number(mean_rows) +
                    " rows on average (at most " + std::to_string(query.max_rows) +
                    ") without LIMIT in " + std::to_string(query.large_calls) + " of its " +
                    std::to_string(query.calls) + " executions (" + Millis(query.large_ms) +
                    " ms): read such results in pages, through a cursor (DECLARE ... CURSOR, "
                    "then FETCH 1000 at a time) or by keyset pagination, or let the database "
                    "aggregate what the client computes from the rows";
  JsonWriter json;
  WriteCommon(json, query);
  json.Field("min_rows", min_rows);
  json.Field("large_result_calls", query.large_calls);
  json.Field("mean_rows", mean_rows);
  json.Field("max_rows", query.max_rows);
  json.Field("large_result_time_ms", query.large_ms);
  AddFix(BuildFix(query, catalog, namer, true), &finding, json);
  return finding;
}

}  // namespace dbopt::antipatterns
