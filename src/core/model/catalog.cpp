#include "core/model/catalog.hpp"

#include "core/common/sql_text.hpp"

namespace dbopt {

const Column* Table::FindColumn(const std::string& column_name) const {
  for (const Column& column : columns)
    if (column.name == column_name) return &column;
  return nullptr;
}

const Table* Catalog::FindTable(ObjectId id) const {
  return tables.Get(id);
}

const CheckConstraintInfo* Catalog::FindConstraint(ObjectId id) const {
  if (constraint_positions_.size() != 0) {  // after Link()
    const std::uint32_t position = constraint_positions_.Find(id);
    if (position == ObjectIndex::kNone || position >= constraints.size() ||
        constraints[position].id != id)
      return nullptr;
    return &constraints[position];
  }
  for (const CheckConstraintInfo& constraint : constraints)
    if (constraint.id == id) return &constraint;
  return nullptr;
}

const std::vector<const Index*>& Catalog::IndexesOf(ObjectId table_id) const {
  static const std::vector<const Index*> kNone;
  const std::uint32_t position = table_positions_.Find(table_id);
  return position == ObjectIndex::kNone ? kNone : indexes_by_table_[position];
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
    table.qualified_name = qualified(table.schema, table.name);
    table.children.clear();
    table.has_primary_key = false;
  }
  last_schema = nullptr;
  for (auto& [id, index] : indexes) index.qualified_name = qualified(index.schema, index.name);
  constraint_positions_.Clear();
  constraint_positions_.Reserve(constraints.size());
  for (size_t i = 0; i < constraints.size(); ++i)
    constraint_positions_.Insert(constraints[i].id, static_cast<std::uint32_t>(i));
  for (auto& [id, table] : tables) {
    if (table.parent_id == 0) continue;
    if (Table* parent = tables.Get(table.parent_id)) parent->children.push_back(id);
  }
  // Pointers into `indexes` (stable until the catalog is destroyed), each table's list sized
  // by a first count.
  table_positions_.Clear();
  table_positions_.Reserve(tables.size());
  indexes_by_table_.clear();
  std::vector<std::uint32_t> counts;
  counts.reserve(tables.size());
  for (const auto& [id, index] : indexes) {
    const std::uint32_t position =
        table_positions_.Insert(index.table_id, static_cast<std::uint32_t>(counts.size()));
    if (position == counts.size()) counts.push_back(0);
    ++counts[position];
  }
  indexes_by_table_.resize(counts.size());
  for (size_t i = 0; i < counts.size(); ++i) indexes_by_table_[i].reserve(counts[i]);
  for (const auto& [id, index] : indexes) {
    indexes_by_table_[table_positions_.Find(index.table_id)].push_back(&index);
    if (index.primary) {
      if (Table* table = tables.Get(index.table_id)) table->has_primary_key = true;
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
