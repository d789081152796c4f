#include "core/health/index_ddl.hpp"

#include <algorithm>
#include <tuple>

#include "core/common/sql_text.hpp"
#include "core/health/ddl_text.hpp"
#include "core/health/index_drop_ddl.hpp"

namespace dbopt {
namespace {

std::vector<const Table*> SortedChildren(const Catalog& catalog, const Table& table) {
  std::vector<const Table*> children;
  for (ObjectId id : table.children)
    if (const Table* child = catalog.FindTable(id)) children.push_back(child);
  std::sort(children.begin(), children.end(), [](const Table* a, const Table* b) {
    return std::tie(a->schema, a->name) < std::tie(b->schema, b->name);
  });
  return children;
}

// Below the partitioned `parent`, whose new index is `parent_index` (qualified): creates the
// index on each partition and attaches it. Partitioned children first get their own ON ONLY
// index, attached right away; it turns valid once all of its own partitions are attached.
// The statement that creates `index` again as it is (CONCURRENTLY IF NOT EXISTS, on a plain
// table); empty when its definition cannot be read.
std::string RestoreLeafIndex(const Catalog& catalog, const Index& index) {
  const Table* table = catalog.FindTable(index.table_id);
  const std::string tail = IndexDefinitionTail(catalog, index);
  if (table == nullptr || table->Partitioned() || tail.empty() || index.unique) return "";
  return "CREATE INDEX CONCURRENTLY IF NOT EXISTS " + QuoteIdent(index.name) + " ON " +
         QualifiedName(*table) + " USING " + tail;
}

void AddPartitions(const Catalog& catalog, const Table& parent, const std::string& parent_index,
                   const std::vector<std::string>& name_parts, const CreateIndexText& create,
                   IndexNamer& namer, const ExistingLeafIndex& existing, IndexDdl& ddl,
                   std::vector<std::string>& leaf_reverts, std::vector<std::string>& restores) {
  for (const Table* child : SortedChildren(catalog, parent)) {
    if (!child->Partitioned() && existing) {
      const Index* found = existing(*child);
      const std::string restore = found != nullptr ? RestoreLeafIndex(catalog, *found) : "";
      if (!restore.empty()) {
        ddl.remediation.push_back("ALTER INDEX " + parent_index + " ATTACH PARTITION " +
                                  QualifiedName(*found));
        restores.push_back(restore);
        continue;
      }
    }
    const std::string name = namer.NameFor(*child, name_parts);
    const std::string qualified = QuoteQualified(child->schema, name);
    ddl.remediation.push_back(create(*child, name, !child->Partitioned(), child->Partitioned()));
    ddl.remediation.push_back("ALTER INDEX " + parent_index + " ATTACH PARTITION " + qualified);
    if (child->Partitioned()) {
      AddPartitions(catalog, *child, qualified, name_parts, create, namer, existing, ddl,
                    leaf_reverts, restores);
    } else {
      leaf_reverts.push_back(DropIndexStatement(child->schema, name, false));
    }
  }
}

// Name parts for an index key column (an expression counts as "expr").
std::string KeyColumnName(const IndexColumn& key) {
  return key.IsExpression() ? "expr" : key.column;
}

}  // namespace

namespace {

// FNV-1a over the name (the schema is compared on a match only: names rarely repeat across
// schemas), inline: this runs for every relation of the catalog.
std::uint64_t NameHash(const std::string& name) {
  std::uint64_t hash = 14695981039346656037ULL;
  for (char c : name) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ULL;
  }
  return hash ^ (hash >> 29);
}

}  // namespace

void IndexNamer::Insert(const std::string& schema, const std::string& name) {
  if ((names_.size() + 1) * 5 > slots_.size() * 3) {  // at most 60% full
    // Grow (or start): rehash the names so far into twice as many slots.
    std::vector<std::uint64_t> old = std::move(slots_);
    slots_.assign(old.empty() ? 64 : old.size() * 2, 0);
    const size_t mask = slots_.size() - 1;
    for (std::uint64_t slot : old) {
      if (slot == 0) continue;
      size_t at = static_cast<size_t>(slot >> 32) & mask;
      while (slots_[at] != 0) at = (at + 1) & mask;
      slots_[at] = slot;
    }
  }
  const std::uint64_t tag = NameHash(name) >> 32;
  const size_t mask = slots_.size() - 1;
  size_t at = static_cast<size_t>(tag) & mask;
  while (slots_[at] != 0) at = (at + 1) & mask;
  names_.push_back({&schema, &name});
  slots_[at] = (tag << 32) | names_.size();
}

bool IndexNamer::Taken(const std::string& schema, const std::string& name) const {
  if (slots_.empty()) return false;
  const std::uint64_t tag = NameHash(name) >> 32;
  const size_t mask = slots_.size() - 1;
  for (size_t at = static_cast<size_t>(tag) & mask; slots_[at] != 0; at = (at + 1) & mask) {
    if ((slots_[at] >> 32) != tag) continue;
    const Named& named = names_[(slots_[at] & 0xffffffffULL) - 1];
    if (*named.name == name && *named.schema == schema) return true;
  }
  return false;
}

void IndexNamer::Load() {
  // Pointers to the catalog's own strings (the catalog outlives the namer and is not changed).
  const size_t count = catalog_.tables.size() + catalog_.indexes.size();
  size_t slots = 64;
  while (slots < 2 * (count + 64)) slots *= 2;
  slots_.assign(slots, 0);
  names_.reserve(count + 64);
  for (const auto& [id, other] : catalog_.tables) Insert(other.schema, other.name);
  for (const auto& [id, index] : catalog_.indexes) Insert(index.schema, index.name);
  loaded_ = true;
}

std::string IndexNamer::NameFor(const Table& table, const std::vector<std::string>& columns) {
  if (!loaded_) Load();
  // schema, table and columns separated by \x1f, which cannot appear in a name
  size_t length = table.schema.size() + table.name.size() + 1;
  for (const std::string& column : columns) length += column.size() + 1;
  std::string key;
  key.reserve(length);
  key.append(table.schema).append(1, '\x1f').append(table.name);
  for (const std::string& column : columns) key.append(1, '\x1f').append(column);
  auto known = assigned_.find(key);
  if (known != assigned_.end()) return known->second;
  std::string name = IndexName(table.name, columns);
  for (int n = 1; Taken(table.schema, name); ++n)
    name = IndexName(table.name, columns, "idx" + std::to_string(n));
  proposed_.emplace_back(table.schema, name);
  Insert(proposed_.back().first, proposed_.back().second);
  assigned_.emplace(std::move(key), name);
  return name;
}

std::string CreateIndexStatement(const Table& table, const std::string& name, const NewIndex& spec,
                                 bool concurrently, bool only) {
  size_t length = 64 + name.size() + QualifiedNameSize(table) + spec.access_method.size() +
                  spec.predicate.size();
  for (const std::string& column : spec.columns) length += column.size() + 4;
  for (const std::string& column : spec.include) length += column.size() + 4;
  std::string sql;
  sql.reserve(length);
  sql += spec.unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ";
  if (concurrently) sql += "CONCURRENTLY ";
  sql += "IF NOT EXISTS ";
  AppendQuotedIdent(sql, name);
  sql += " ON ";
  if (only) sql += "ONLY ";
  AppendQualifiedName(sql, table);
  if (spec.access_method != "btree") {
    sql += " USING ";
    AppendQuotedIdent(sql, spec.access_method);
  }
  sql += " (";
  AppendIdentList(sql, spec.columns);
  sql += ")";
  if (!spec.include.empty()) {
    sql += " INCLUDE (";
    AppendIdentList(sql, spec.include);
    sql += ")";
  }
  if (!spec.predicate.empty()) sql.append(" WHERE ").append(spec.predicate);
  return sql;
}

std::string DropIndexStatement(const std::string& schema, const std::string& name,
                               bool partitioned) {
  std::string sql;
  sql.reserve(40 + schema.size() + name.size());
  sql += partitioned ? "DROP INDEX IF EXISTS " : "DROP INDEX CONCURRENTLY IF EXISTS ";
  AppendQuotedIdent(sql, schema);
  sql += '.';
  AppendQuotedIdent(sql, name);
  return sql;
}

std::string DropIndexStatement(const Index& index, const Catalog& catalog) {
  const Table* table = catalog.FindTable(index.table_id);
  std::string sql;
  sql.reserve(40 + QualifiedNameSize(index));
  sql += table != nullptr && table->Partitioned() ? "DROP INDEX IF EXISTS "
                                                  : "DROP INDEX CONCURRENTLY IF EXISTS ";
  AppendQualifiedName(sql, index);
  return sql;
}

IndexDdl BuildCreateIndex(const Catalog& catalog, const Table& table, const NewIndex& spec,
                          IndexNamer& namer) {
  return BuildCreateIndex(
      catalog, table, spec.columns,
      [&spec](const Table& on, const std::string& name, bool concurrently, bool only) {
        return CreateIndexStatement(on, name, spec, concurrently, only);
      },
      namer);
}

IndexDdl BuildCreateIndex(const Catalog& catalog, const Table& table,
                          const std::vector<std::string>& name_parts, const CreateIndexText& create,
                          IndexNamer& namer, const ExistingLeafIndex& existing) {
  IndexDdl ddl;
  const std::string name = namer.NameFor(table, name_parts);
  ddl.index = QuoteQualified(table.schema, name);
  if (!table.Partitioned()) {
    ddl.remediation.push_back(create(table, name, true, false));
    ddl.revert.push_back(DropIndexStatement(table.schema, name, false));
    return ddl;
  }
  ddl.remediation.push_back(create(table, name, false, true));
  std::vector<std::string> leaf_reverts, restores;
  AddPartitions(catalog, table, ddl.index, name_parts, create, namer, existing, ddl, leaf_reverts,
                restores);
  ddl.revert.push_back(DropIndexStatement(table.schema, name, true));
  ddl.revert.insert(ddl.revert.end(), leaf_reverts.begin(), leaf_reverts.end());
  ddl.revert.insert(ddl.revert.end(), restores.begin(), restores.end());
  return ddl;
}

IndexDdl BuildCreateIndexOnEach(const std::vector<const Table*>& tables, const NewIndex& spec,
                                IndexNamer& namer) {
  IndexDdl ddl;
  for (const Table* table : tables) {
    const std::string name = namer.NameFor(*table, spec.columns);
    if (ddl.index.empty()) ddl.index = QuoteQualified(table->schema, name);
    ddl.remediation.push_back(CreateIndexStatement(*table, name, spec, true, false));
    ddl.revert.push_back(DropIndexStatement(table->schema, name, false));
  }
  return ddl;
}

void AttachMissingPartitionIndexes(const Catalog& catalog, const Index& parent,
                                   const std::string& parent_name, const Table& table,
                                   bool only_missing, IndexNamer& namer,
                                   std::vector<std::string>& out) {
  std::vector<std::string> key_names;
  for (const IndexColumn& key : parent.keys) key_names.push_back(KeyColumnName(key));
  for (ObjectId child_id : table.children) {
    const Table* child = catalog.FindTable(child_id);
    if (child == nullptr) continue;
    const Index* attached = nullptr;
    const Index* match = nullptr;
    for (const Index* index : catalog.IndexesOf(child_id)) {
      if (only_missing && index->parent_index_id == parent.id) attached = index;
      if (index->parent_index_id == 0 && index->valid && SameIndexDefinition(*index, parent))
        match = index;
    }
    if (attached != nullptr) continue;
    std::string child_name;
    if (match != nullptr) {
      child_name = QualifiedName(*match);
    } else {
      std::string name = namer.NameFor(*child, key_names);
      std::string create = CreateIndexOnTable(catalog, parent, *child, name);
      if (create.empty()) continue;
      out.push_back(create);
      child_name = QuoteQualified(child->schema, name);
      if (child->Partitioned())
        AttachMissingPartitionIndexes(catalog, parent, child_name, *child, false, namer, out);
    }
    out.push_back("ALTER INDEX " + parent_name + " ATTACH PARTITION " + child_name);
  }
}

}  // namespace dbopt
