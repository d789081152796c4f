#include "core/health/index_drop_ddl.hpp"

#include <algorithm>
#include <string_view>

#include "core/common/sql_text.hpp"

namespace dbopt {
namespace {

// The table's qualified name: the one Catalog::Link() cached (no copy), else built into
// `scratch`.
const std::string& TableName(const Table& table, std::string& scratch) {
  if (!table.qualified_name.empty()) return table.qualified_name;
  scratch = QualifiedName(table);
  return scratch;
}

// CREATE [UNIQUE] INDEX [CONCURRENTLY] quoted_name ON [ONLY] table USING tail, written in one
// buffer.
std::string CreateStatement(const Index& index, const Table& table, const std::string& quoted_name,
                            std::string_view tail) {
  const bool partitioned = table.Partitioned();
  std::string scratch;
  const std::string& table_name = TableName(table, scratch);
  std::string sql;
  sql.reserve(48 + quoted_name.size() + table_name.size() + tail.size());
  sql.append("CREATE ").append(index.unique ? "UNIQUE " : "").append("INDEX ");
  sql.append(partitioned ? "" : "CONCURRENTLY ").append(quoted_name).append(" ON ");
  sql.append(partitioned ? "ONLY " : "").append(table_name).append(" USING ").append(tail);
  return sql;
}

// Where the part after "USING " starts in `definition`, which must begin as pg_get_indexdef
// writes it for `index` on `table` (CREATE [UNIQUE] INDEX name ON [ONLY] table USING);
// std::string::npos otherwise. `quoted_name` is QuoteIdent(index.name).
size_t TailPosition(const Index& index, const Table& table, const std::string& quoted_name,
                    const std::string& definition) {
  std::string_view rest(definition);
  auto take = [&rest](std::string_view part) {
    if (rest.substr(0, part.size()) != part) return false;
    rest.remove_prefix(part.size());
    return true;
  };
  std::string scratch;
  if (!take("CREATE ") || (index.unique && !take("UNIQUE ")) || !take("INDEX ") ||
      !take(quoted_name) || !take(" ON "))
    return std::string::npos;
  take("ONLY ");
  if (!take(TableName(table, scratch)) || !take(" USING ")) return std::string::npos;
  return definition.size() - rest.size();
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
  const size_t position = TailPosition(index, *table, QuoteIdent(index.name), definition);
  return position == std::string::npos ? "" : definition.substr(position);
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
  if (table == nullptr) return {};
  const std::string quoted_name = QuoteIdent(index.name);
  const size_t tail = TailPosition(index, *table, quoted_name, own);
  if (tail == std::string::npos || tail == own.size()) return {};
  std::vector<std::string> statements;
  statements.push_back(
      CreateStatement(index, *table, quoted_name, std::string_view(own).substr(tail)));
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
  return tail.empty() ? "" : CreateStatement(index, table, QuoteIdent(name), tail);
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
