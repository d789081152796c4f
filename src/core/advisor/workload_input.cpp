#include "core/advisor/workload_input.hpp"

#include <algorithm>
#include <cctype>

namespace dbopt::advisor {
namespace {

bool StartsWithWord(const std::string& text, const char* word) {
  std::size_t i = 0;
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  for (const char* w = word; *w != '\0'; ++w, ++i)
    if (i >= text.size() || std::toupper(static_cast<unsigned char>(text[i])) != *w) return false;
  return i == text.size() || !std::isalnum(static_cast<unsigned char>(text[i]));
}

std::string ColumnName(const Table& table, std::int64_t attnum, const std::string& known) {
  if (!known.empty()) return known;
  for (const Column& column : table.columns)
    if (column.attnum == attnum) return column.name;
  return "";
}

TableUse& UseOf(Query& query, ObjectId table_id) {
  for (TableUse& use : query.tables)
    if (use.table_id == table_id) return use;
  query.tables.push_back(TableUse{});
  query.tables.back().table_id = table_id;
  return query.tables.back();
}

}  // namespace

Workload WorkloadFromCapture(const std::vector<capture::WorkloadEntry>& entries,
                             const Catalog& catalog) {
  Workload workload;
  for (const capture::WorkloadEntry& entry : entries) {
    Query query;
    query.queryid = entry.queryid;
    query.text = entry.query.value_or("");
    query.calls = static_cast<double>(std::max<std::int64_t>(entry.calls, 0));
    query.has_limit = entry.limit_calls > 0;
    query.is_write = StartsWithWord(query.text, "INSERT") || StartsWithWord(query.text, "UPDATE") ||
                     StartsWithWord(query.text, "DELETE");
    for (const capture::WorkloadAccess& access : entry.access) {
      const Table* table = catalog.FindTable(static_cast<ObjectId>(access.relid));
      if (table == nullptr) continue;
      TableUse& use = UseOf(query, table->id);
      for (std::size_t i = 0; i < access.quals.size(); ++i) {
        const capture::QualShape& shape = access.quals[i];
        Predicate p;
        p.column = ColumnName(*table, shape.attnum,
                              i < access.qual_columns.size() ? access.qual_columns[i] : "");
        if (p.column.empty()) continue;
        p.kind = shape.kind;
        p.operand = shape.operand;
        p.leading_wildcard = shape.leading_wildcard == capture::Wildcard::kYes;
        p.case_insensitive = shape.case_insensitive;
        const bool seen =
            std::any_of(use.predicates.begin(), use.predicates.end(), [&](const Predicate& o) {
              return o.column == p.column && o.kind == p.kind && o.operand == p.operand &&
                     o.leading_wildcard == p.leading_wildcard;
            });
        if (!seen) use.predicates.push_back(p);
      }
    }
    // ORDER BY keys count for a table only when the whole ORDER BY is on it.
    ObjectId order_table = 0;
    bool one_table = true;
    for (const capture::WorkloadOrderKey& key : entry.order_keys) {
      if (key.group) continue;
      if (order_table == 0) order_table = static_cast<ObjectId>(key.relid);
      one_table = one_table && order_table == static_cast<ObjectId>(key.relid);
    }
    for (const capture::WorkloadOrderKey& key : entry.order_keys) {
      const Table* table = catalog.FindTable(static_cast<ObjectId>(key.relid));
      if (table == nullptr) continue;
      const std::string column = ColumnName(*table, key.attnum, key.column);
      if (column.empty()) continue;
      if (key.group) {
        UseOf(query, table->id).group_by.push_back(column);
      } else if (one_table) {
        UseOf(query, table->id).order_by.push_back(SortKey{column, key.descending});
      }
    }
    if (!query.tables.empty()) workload.queries.push_back(std::move(query));
  }
  return workload;
}

void AddTableWrites(const Catalog& catalog, double scale, Workload* workload) {
  for (const auto& [id, table] : catalog.tables) {
    TableWrites& writes = workload->writes[id];
    writes.inserted = static_cast<double>(table.inserts) * scale;
    writes.updated = static_cast<double>(table.updates) * scale;
    writes.hot_updated = static_cast<double>(table.hot_updates) * scale;
    writes.deleted = static_cast<double>(table.deletes) * scale;
  }
}

}  // namespace dbopt::advisor
