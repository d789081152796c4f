#include "core/model/index_definition.hpp"

#include "core/common/sql_text.hpp"

namespace dbopt {
namespace {

constexpr int kDescending = 1;  // INDOPTION_DESC
constexpr int kNullsFirst = 2;  // INDOPTION_NULLS_FIRST

void AppendKey(std::string& sql, const IndexColumn& column, const KeyDecoration& decoration,
               bool ordered) {
  if (column.IsExpression())
    sql += decoration.expression;
  else
    AppendQuotedIdent(sql, column.column);
  if (!decoration.collation.empty()) sql.append(" COLLATE ").append(decoration.collation);
  if (!decoration.opclass.empty()) sql.append(" ").append(decoration.opclass);
  if (ordered) {
    const bool descending = (column.option & kDescending) != 0;
    const bool nulls_first = (column.option & kNullsFirst) != 0;
    if (descending) sql += " DESC";
    if (descending && !nulls_first) sql += " NULLS LAST";
    if (!descending && nulls_first) sql += " NULLS FIRST";
  }
}

// "name=value" as pg_get_indexdef prints it: the value bare when it is a plain identifier,
// else as a string literal.
std::string ReloptionText(const std::string& option) {
  const size_t equals = option.find('=');
  if (equals == std::string::npos) return option;
  const std::string value = option.substr(equals + 1);
  return option.substr(0, equals) + "=" +
         (QuoteIdent(value) == value ? value : QuoteLiteral(value));
}

}  // namespace

std::string IndexDefinition(const Table& table, const Index& index,
                            const std::vector<KeyDecoration>& decorations,
                            const std::string& predicate) {
  if (index.Partial() == predicate.empty() || decorations.size() != index.keys.size()) return "";
  for (size_t k = 0; k < index.keys.size(); ++k)
    if (index.keys[k].IsExpression() == decorations[k].expression.empty()) return "";
  for (const IndexColumn& column : index.include)
    if (column.IsExpression()) return "";  // INCLUDE takes columns only

  // Only btree sorts; other access methods have no ASC/DESC to print.
  const bool ordered = index.access_method == "btree";
  // Written in place into one buffer sized for the usual statement (no temporaries).
  std::string unlinked_name;  // the table's name when Catalog::Link() has not cached it
  if (table.qualified_name.empty()) unlinked_name = QualifiedName(table);
  const std::string& table_name =
      table.qualified_name.empty() ? unlinked_name : table.qualified_name;
  std::string sql;
  sql.reserve(64 + index.name.size() + table_name.size() + predicate.size() +
              24 * (index.keys.size() + index.include.size()));
  sql += index.unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ";
  AppendQuotedIdent(sql, index.name);
  sql += table.Partitioned() ? " ON ONLY " : " ON ";
  sql.append(table_name).append(" USING ").append(index.access_method).append(" (");
  for (size_t k = 0; k < index.keys.size(); ++k) {
    if (k) sql += ", ";
    AppendKey(sql, index.keys[k], decorations[k], ordered);
  }
  sql += ")";
  if (!index.include.empty()) {
    sql += " INCLUDE (";
    for (size_t k = 0; k < index.include.size(); ++k) {
      if (k) sql += ", ";
      AppendQuotedIdent(sql, index.include[k].column);
    }
    sql += ")";
  }
  if (index.nulls_not_distinct) sql += " NULLS NOT DISTINCT";
  if (!index.reloptions.empty()) {
    sql += " WITH (";
    for (size_t k = 0; k < index.reloptions.size(); ++k)
      sql += (k ? ", " : "") + ReloptionText(index.reloptions[k]);
    sql += ")";
  }
  if (!predicate.empty()) sql.append(" WHERE ").append(predicate);
  return sql;
}

std::string PlainIndexDefinition(const Table& table, const Index& index,
                                 const std::vector<KeyDecoration>& decorations) {
  if (index.Partial()) return "";
  for (const IndexColumn& column : index.keys)
    if (column.IsExpression()) return "";
  return IndexDefinition(table, index, decorations, "");
}

}  // namespace dbopt
