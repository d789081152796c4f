#include "core/model/catalog.hpp"

#include "core/common/sql_text.hpp"

namespace dbopt {

const Column* Table::FindColumn(const std::string& column_name) const {
  for (const Column& column : columns)
    if (column.name == column_name) return &column;
  return nullptr;
}

const Table* Catalog::FindTable(ObjectId id) const {
  if (tables_by_id_.size() == tables.size()) {  // linked, no table added since
    auto found = tables_by_id_.find(id);
    return found == tables_by_id_.end() ? nullptr : found->second;
  }
  auto it = tables.find(id);
  return it == tables.end() ? nullptr : &it->second;
}

const CheckConstraintInfo* Catalog::FindConstraint(ObjectId id) const {
  if (!constraint_positions_.empty()) {  // after Link()
    auto position = constraint_positions_.find(id);
    if (position == constraint_positions_.end() || position->second >= constraints.size() ||
        constraints[position->second].id != id)
      return nullptr;
    return &constraints[position->second];
  }
  for (const CheckConstraintInfo& constraint : constraints)
    if (constraint.id == id) return &constraint;
  return nullptr;
}

const std::vector<const Index*>& Catalog::IndexesOf(ObjectId table_id) const {
  static const std::vector<const Index*> kNone;
  auto it = indexes_by_table_.find(table_id);
  return it == indexes_by_table_.end() ? kNone : it->second.indexes;
}

std::vector<const Table*> Catalog::Leaves(ObjectId table_id) const {
  std::vector<const Table*> leaves;
  std::vector<ObjectId> pending{table_id};
  while (!pending.empty()) {
    ObjectId id = pending.back();
    pending.pop_back();
    const Table* table = FindTable(id);
    if (table == nullptr) continue;
    if (!table->Partitioned()) {
      leaves.push_back(table);
      continue;
    }
    pending.insert(pending.end(), table->children.rbegin(), table->children.rend());
  }
  return leaves;
}

void Catalog::AddIndex(Index index) {
  ObjectId id = index.id;
  indexes[id] = std::move(index);
}

void Catalog::Link() {
  indexes_by_table_.clear();
  tables_by_id_.clear();
  tables_by_id_.reserve(tables.size());
  // Objects come schema by schema (OID order): each schema is quoted once per run of them.
  const std::string* last_schema = nullptr;
  std::string quoted_schema;
  auto qualified = [&last_schema, &quoted_schema](const std::string& schema,
                                                  const std::string& name) {
    if (last_schema == nullptr || *last_schema != schema) {
      quoted_schema.clear();
      AppendQuotedIdent(quoted_schema, schema);
      last_schema = &schema;
    }
    std::string quoted;
    quoted.reserve(quoted_schema.size() + name.size() + 3);
    quoted += quoted_schema;
    quoted += '.';
    AppendQuotedIdent(quoted, name);
    return quoted;
  };
  for (auto& [id, table] : tables) {
    tables_by_id_.emplace(id, &table);
    table.qualified_name = qualified(table.schema, table.name);
    table.children.clear();
    table.has_primary_key = false;
  }
  last_schema = nullptr;
  for (auto& [id, index] : indexes) index.qualified_name = qualified(index.schema, index.name);
  constraint_positions_.clear();
  constraint_positions_.reserve(constraints.size());
  for (size_t i = 0; i < constraints.size(); ++i)
    constraint_positions_.emplace(constraints[i].id, i);
  for (auto& [id, table] : tables) {
    if (table.parent_id == 0) continue;
    auto parent = tables.find(table.parent_id);
    if (parent != tables.end()) parent->second.children.push_back(id);
  }
  // Pointers into `indexes` (a std::map: stable until an index is erased), each table's
  // vector sized by a first count.
  indexes_by_table_.reserve(tables.size());
  for (const auto& [id, index] : indexes) ++indexes_by_table_[index.table_id].capacity_hint;
  for (auto& [table_id, list] : indexes_by_table_) list.indexes.reserve(list.capacity_hint);
  for (const auto& [id, index] : indexes) {
    indexes_by_table_[index.table_id].indexes.push_back(&index);
    if (index.primary) {
      auto table = tables.find(index.table_id);
      if (table != tables.end()) table->second.has_primary_key = true;
    }
  }
}

std::string QualifiedName(const Table& table) {
  return table.qualified_name.empty() ? QuoteQualified(table.schema, table.name)
                                      : table.qualified_name;
}

std::string QualifiedName(const Index& index) {
  return index.qualified_name.empty() ? QuoteQualified(index.schema, index.name)
                                      : index.qualified_name;
}

}  // namespace dbopt
