#include "core/health/index_drop_ddl.hpp"

#include <algorithm>

#include "core/common/sql_text.hpp"

namespace dbopt {
namespace {

std::string CreateStatement(const Index& index, const Table& table, const std::string& name,
                            const std::string& tail) {
  const bool partitioned = table.Partitioned();
  return std::string("CREATE ") + (index.unique ? "UNIQUE " : "") + "INDEX " +
         (partitioned ? "" : "CONCURRENTLY ") + QuoteIdent(name) + " ON " +
         (partitioned ? "ONLY " : "") + QualifiedName(table) + " USING " + tail;
}

std::vector<std::string> IncludeNames(const Index& index) {
  std::vector<std::string> names;
  for (const IndexColumn& column : index.include)
    names.push_back(column.IsExpression() ? "(" + column.expression + ")" : column.column);
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

std::string IndexDefinitionTail(const Catalog& catalog, const Index& index) {
  return IndexDefinitionTail(catalog, index, catalog.IndexDefinition(index));
}

std::string IndexDefinitionTail(const Catalog& catalog, const Index& index,
                                const std::string& definition) {
  const Table* table = catalog.FindTable(index.table_id);
  if (table == nullptr) return "";
  std::string head = std::string("CREATE ") + (index.unique ? "UNIQUE " : "") + "INDEX " +
                     QuoteIdent(index.name) + " ON ";
  if (definition.compare(0, head.size(), head) != 0) return "";
  size_t position = head.size();
  if (definition.compare(position, 5, "ONLY ") == 0) position += 5;
  const std::string target = QualifiedName(*table) + " USING ";
  if (definition.compare(position, target.size(), target) != 0) return "";
  return definition.substr(position + target.size());
}

std::string IndexPredicateSql(const std::string& definition) {
  int depth = 0;
  char quote = 0;  // inside '...' or "..." (a doubled quote closes and reopens: same result)
  for (size_t i = 0; i < definition.size(); ++i) {
    const char c = definition[i];
    if (quote != 0) {
      if (c == quote) quote = 0;
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == '(') {
      ++depth;
    } else if (c == ')') {
      --depth;
    } else if (depth == 0 && definition.compare(i, 7, " WHERE ") == 0) {
      return definition.substr(i + 7);
    }
  }
  return "";
}

std::vector<const Index*> AttachedIndexes(const Catalog& catalog, const Index& parent) {
  std::vector<const Index*> attached;
  const Table* table = catalog.FindTable(parent.table_id);
  if (table == nullptr) return attached;
  for (ObjectId child : table->children)
    for (const Index* index : catalog.IndexesOf(child))
      if (index->parent_index_id == parent.id) attached.push_back(index);
  std::sort(attached.begin(), attached.end(),
            [](const Index* a, const Index* b) { return a->name < b->name; });
  return attached;
}

std::vector<std::string> RecreateIndexStatements(const Catalog& catalog, const Index& index,
                                                 std::string* definition) {
  const Table* table = catalog.FindTable(index.table_id);
  const std::string& own = catalog.IndexDefinition(index);
  if (definition != nullptr) *definition = own;
  const std::string tail = IndexDefinitionTail(catalog, index, own);
  if (table == nullptr || tail.empty()) return {};
  std::vector<std::string> statements{CreateStatement(index, *table, index.name, tail)};
  if (!table->Partitioned()) return statements;
  for (const Index* child : AttachedIndexes(catalog, index)) {
    std::vector<std::string> more = RecreateIndexStatements(catalog, *child);
    if (more.empty()) return {};
    statements.insert(statements.end(), more.begin(), more.end());
    statements.push_back("ALTER INDEX " + QualifiedName(index) + " ATTACH PARTITION " +
                         QualifiedName(*child));
  }
  return statements;
}

std::string CreateIndexOnTable(const Catalog& catalog, const Index& index, const Table& table,
                               const std::string& name) {
  const std::string tail = IndexDefinitionTail(catalog, index);
  return tail.empty() ? "" : CreateStatement(index, table, name, tail);
}

bool SameIndexKey(const IndexColumn& a, const IndexColumn& b) {
  return a.column == b.column && a.expression == b.expression && a.opclass == b.opclass &&
         a.collation == b.collation && a.option == b.option;
}

bool SameIndexDefinition(const Index& a, const Index& b) {
  if (a.access_method != b.access_method || a.predicate != b.predicate || a.unique != b.unique ||
      a.nulls_not_distinct != b.nulls_not_distinct || a.exclusion != b.exclusion ||
      a.keys.size() != b.keys.size())
    return false;
  for (size_t k = 0; k < a.keys.size(); ++k)
    if (!SameIndexKey(a.keys[k], b.keys[k])) return false;
  return IncludeNames(a) == IncludeNames(b);
}

}  // namespace dbopt
