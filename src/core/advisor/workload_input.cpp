#include "core/advisor/workload_input.hpp"

#include <algorithm>
#include <cctype>
#include <set>

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

void SumPartitionStatistics(Catalog* catalog) {
  // Children before parents: sub-partitioned tables are summed before their parent reads them.
  std::vector<ObjectId> order;
  std::set<ObjectId> done;
  std::vector<std::pair<ObjectId, bool>> stack;
  for (const auto& [id, table] : catalog->tables)
    if (table.Partitioned() && table.parent_id == 0) stack.emplace_back(id, false);
  while (!stack.empty()) {
    auto [id, expanded] = stack.back();
    stack.pop_back();
    if (expanded) {
      order.push_back(id);
      continue;
    }
    if (!done.insert(id).second) continue;
    stack.emplace_back(id, true);
    auto it = catalog->tables.find(id);
    if (it == catalog->tables.end()) continue;
    for (ObjectId child : it->second.children) {
      auto c = catalog->tables.find(child);
      if (c != catalog->tables.end() && c->second.Partitioned()) stack.emplace_back(child, false);
    }
  }
  for (ObjectId id : order) {
    Table& parent = catalog->tables.at(id);
    double rows = 0, pages = 0;
    std::int64_t inserts = 0, updates = 0, hot = 0, deletes = 0;
    for (ObjectId child_id : parent.children) {
      auto c = catalog->tables.find(child_id);
      if (c == catalog->tables.end()) continue;
      const Table& child = c->second;
      rows += std::max(0.0, child.rows);
      pages += std::max(0.0, child.pages);
      inserts += child.inserts;
      updates += child.updates;
      hot += child.hot_updates;
      deletes += child.deletes;
    }
    if (parent.rows <= 0) parent.rows = rows;
    if (parent.pages <= 0) parent.pages = pages;
    parent.inserts += inserts;
    parent.updates += updates;
    parent.hot_updates += hot;
    parent.deletes += deletes;
  }
}

namespace {

ObjectId RootOf(const Catalog& catalog, ObjectId id) {
  const Table* table = catalog.FindTable(id);
  for (int depth = 0; table != nullptr && table->parent_id != 0 && depth < 64; ++depth) {
    const Table* parent = catalog.FindTable(table->parent_id);
    if (parent == nullptr) break;
    table = parent;
  }
  return table != nullptr ? table->id : id;
}

// True when `ancestor` is `id` or above it in its partition tree.
bool IsAncestor(const Catalog& catalog, ObjectId ancestor, ObjectId id) {
  const Table* table = catalog.FindTable(id);
  for (int depth = 0; table != nullptr && depth < 64; ++depth) {
    if (table->id == ancestor) return true;
    table = table->parent_id != 0 ? catalog.FindTable(table->parent_id) : nullptr;
  }
  return false;
}

void AddUnique(std::vector<std::string>& to, const std::vector<std::string>& from) {
  for (const std::string& item : from)
    if (std::find(to.begin(), to.end(), item) == to.end()) to.push_back(item);
}

void Merge(TableUse& into, const TableUse& from) {
  for (const Predicate& p : from.predicates) {
    const bool seen =
        std::any_of(into.predicates.begin(), into.predicates.end(), [&](const Predicate& o) {
          return o.column == p.column && o.expression == p.expression && o.kind == p.kind &&
                 o.operand == p.operand && o.condition == p.condition;
        });
    if (!seen) into.predicates.push_back(p);
  }
  if (into.order_by.empty()) into.order_by = from.order_by;
  AddUnique(into.group_by, from.group_by);
  AddUnique(into.columns_read, from.columns_read);
}

void AddWrites(TableWrites& into, const TableWrites& from, double share) {
  into.inserted += from.inserted * share;
  into.updated += from.updated * share;
  into.hot_updated += from.hot_updated * share;
  into.deleted += from.deleted * share;
  for (const auto& [column, rows] : from.updated_columns)
    into.updated_columns[column] += rows * share;
}

}  // namespace

void MapPartitionsToRoots(const Catalog& catalog, Workload* workload) {
  // Per tree (root): the relations of it the workload reads.
  std::map<ObjectId, std::set<ObjectId>> read;
  for (const Query& q : workload->queries)
    for (const TableUse& use : q.tables) read[RootOf(catalog, use.table_id)].insert(use.table_id);
  auto target_of = [&](ObjectId id) {
    const ObjectId root = RootOf(catalog, id);
    auto r = read.find(root);
    if (r != read.end() && r->second.size() == 1) return *r->second.begin();
    return root;
  };
  for (Query& q : workload->queries) {
    std::vector<TableUse> merged;
    for (TableUse& use : q.tables) {
      use.table_id = target_of(use.table_id);
      auto same = std::find_if(merged.begin(), merged.end(),
                               [&](const TableUse& m) { return m.table_id == use.table_id; });
      if (same == merged.end())
        merged.push_back(std::move(use));
      else
        Merge(*same, use);
    }
    q.tables = std::move(merged);
  }
  std::map<ObjectId, TableWrites> writes;
  for (const auto& [id, written] : workload->writes) {
    const ObjectId target = target_of(id);
    double share = 1;
    if (target != id && !IsAncestor(catalog, target, id)) {
      // Written through an ancestor of the single partition read: its share by rows.
      if (!IsAncestor(catalog, id, target)) continue;  // a sibling: no index there
      const Table* from = catalog.FindTable(id);
      const Table* to = catalog.FindTable(target);
      if (from != nullptr && to != nullptr && from->rows > 0 && to->rows >= 0)
        share = std::min(1.0, to->rows / from->rows);
    }
    AddWrites(writes[target], written, share);
  }
  workload->writes = std::move(writes);
}

void AddCounterWritesPerRead(const Catalog& catalog, double min_reads, Workload* workload) {
  std::map<ObjectId, double> calls;
  for (const Query& q : workload->queries)
    for (const TableUse& use : q.tables) calls[use.table_id] += q.calls;
  for (const auto& [id, table_calls] : calls) {
    const Table* table = catalog.FindTable(id);
    if (table == nullptr) continue;
    double reads = 0;
    for (const Table* leaf : catalog.Leaves(id)) {
      reads += static_cast<double>(leaf->seq_scans);
      for (const Index* index : catalog.IndexesOf(leaf->id))
        reads += static_cast<double>(index->scans);
    }
    if (reads < min_reads) {
      workload->writes.erase(id);
      continue;
    }
    const double scale = table_calls / std::max(1.0, reads);
    TableWrites& writes = workload->writes[id];
    const std::map<std::string, double> set_columns = writes.updated_columns;
    writes = TableWrites{};
    writes.inserted = static_cast<double>(table->inserts) * scale;
    writes.updated = static_cast<double>(table->updates) * scale;
    writes.hot_updated = static_cast<double>(table->hot_updates) * scale;
    writes.deleted = static_cast<double>(table->deletes) * scale;
    for (const auto& [column, rows] : set_columns) writes.updated_columns[column] = writes.updated;
  }
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
