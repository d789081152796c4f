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

// The candidate's index on `table` (its partitioned table, or a partition below it: the same
// column names) as CREATE INDEX [CONCURRENTLY] IF NOT EXISTS <name> ON [ONLY] <table> ...
std::string CandidateOn(const Candidate& index, const Table& table, const std::string& name,
                        bool concurrently, bool only) {
  Candidate on = index;
  on.table = QualifiedName(table);
  const std::string create = on.Ddl();  // CREATE INDEX ON <table> ...
  const std::string on_table = "ON " + on.table;
  if (create.compare(sizeof kCreate - 1, on_table.size(), on_table) != 0)
    throw std::logic_error("unexpected index DDL: " + create);
  return std::string(kCreate) + (concurrently ? "CONCURRENTLY " : "") + "IF NOT EXISTS " +
         QuoteIdent(name) + " ON " + (only ? "ONLY " : "") + create.substr(sizeof kCreate - 1 + 3);
}

}  // namespace

IndexDdl RenderRecommendation(const Catalog& catalog, const Recommendation& recommendation,
                              IndexNamer& namer) {
  const Candidate& index = recommendation.index;
  const Table* table = catalog.FindTable(index.table_id);
  if (table == nullptr) throw std::logic_error("recommendation on an unknown table");
  if (table->Partitioned()) {
    // CREATE INDEX CONCURRENTLY is refused on a partitioned table: ON ONLY the parent, then
    // each partition's index concurrently and attached (core/health/index_ddl). Widening is
    // never proposed here (WidenedIndex), so nothing is dropped.
    return BuildCreateIndex(
        catalog, *table, index.NameParts(),
        [&index](const Table& on, const std::string& name, bool concurrently, bool only) {
          return CandidateOn(index, on, name, concurrently, only);
        },
        namer,
        [&catalog, &index](const Table& leaf) -> const Index* {
          for (const Index* existing : catalog.IndexesOf(leaf.id))
            if (ExistingMatches(catalog, *existing, index)) return existing;
          return nullptr;
        });
  }
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
