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
  return it == indexes_by_table_.end() ? kNone : it->second;
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
  for (auto& [id, table] : tables) {
    tables_by_id_.emplace(id, &table);
    table.qualified_name = QuoteQualified(table.schema, table.name);
  }
  for (auto& [id, index] : indexes) index.qualified_name = QuoteQualified(index.schema, index.name);
  constraint_positions_.clear();
  for (size_t i = 0; i < constraints.size(); ++i) constraint_positions_[constraints[i].id] = i;
  for (auto& [id, table] : tables) table.children.clear();
  for (auto& [id, table] : tables) {
    if (table.parent_id == 0) continue;
    auto parent = tables.find(table.parent_id);
    if (parent != tables.end()) parent->second.children.push_back(id);
  }
  // Pointers into `indexes` (a std::map: stable until an index is erased).
  for (const auto& [id, index] : indexes) indexes_by_table_[index.table_id].push_back(&index);
  for (auto& [id, table] : tables) {
    table.has_primary_key = false;
    for (const Index* index : indexes_by_table_[id])
      if (index->primary) table.has_primary_key = true;
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
