#include "core/advisor/render.hpp"

#include <stdexcept>

#include "core/common/sql_text.hpp"

namespace dbopt::advisor {
namespace {

const char kCreate[] = "CREATE INDEX ";

// "CREATE INDEX [name] ON ..." with CONCURRENTLY IF NOT EXISTS <name>.
std::string Concurrently(const std::string& create, const std::string& name) {
  if (create.compare(0, sizeof kCreate - 1, kCreate) != 0)
    throw std::logic_error("not a CREATE INDEX statement: " + create);
  std::string rest = create.substr(sizeof kCreate - 1);
  if (!name.empty()) {
    if (rest.compare(0, 3, "ON ") != 0) throw std::logic_error("unexpected index DDL: " + create);
    rest = QuoteIdent(name) + " " + rest;
  }
  return std::string(kCreate) + "CONCURRENTLY IF NOT EXISTS " + rest;
}

}  // namespace

IndexDdl RenderRecommendation(const Catalog& catalog, const Recommendation& recommendation,
                              IndexNamer& namer) {
  const Candidate& index = recommendation.index;
  const Table* table = catalog.FindTable(index.table_id);
  if (table == nullptr) throw std::logic_error("recommendation on an unknown table");
  const std::string name = namer.NameFor(*table, index.NameParts());
  IndexDdl ddl;
  ddl.index = QuoteQualified(table->schema, name);
  ddl.remediation.push_back(Concurrently(index.Ddl(), name));
  const std::string drop_new = DropIndexStatement(table->schema, name, false);
  if (const Index* old = recommendation.replaces) {
    ddl.remediation.push_back(DropIndexStatement(*old, catalog));
    // pg_get_indexdef: "CREATE INDEX name ON ..." (widening never replaces a unique index).
    const std::string definition = catalog.IndexDefinition(*old);
    if (definition.compare(0, sizeof kCreate - 1, kCreate) == 0)
      ddl.revert.push_back(Concurrently(definition, ""));
  }
  ddl.revert.push_back(drop_new);
  return ddl;
}

}  // namespace dbopt::advisor
