// Reads the system catalogs into the core's schema model (src/core/model/catalog.hpp) with a
// handful of set-wise SPI queries: no table data is read and no relation is locked, so it
// stays fast and safe on databases with tens of thousands of relations.
#pragma once
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/model/catalog.hpp"
#include "pg/deparse.hpp"

namespace dbopt::pg {

// Must run between SpiConnect() and SpiFinish(). schema (if given) must exist; it limits what
// is reported (Catalog::scope_schema), not what is loaded, so cross-schema FKs still resolve.
Catalog LoadCatalog(const std::optional<std::string>& schema);

// Fills what only the data checks need (Column::generated, composite, null_fraction) for the
// tables in scope. Reads catalogs and pg_stats only. Needs SPI.
void LoadDataCheckColumns(Catalog& catalog);

// Raises invalid_schema_name unless the schema exists. Needs SPI.
void RequireSchema(const std::string& schema);

// PredicateOracle backed by the planner's predicate prover (predicate_implied_by), on the
// stored predicate trees (pg_index.indpred) LoadCatalog kept for the catalog's partial indexes.
class ServerPredicateOracle : public PredicateOracle {
 public:
  explicit ServerPredicateOracle(const Catalog& catalog);
  bool ImpliedByNotNull(const Index& index, const std::vector<std::string>& columns) const override;

 private:
  bool Prove(const Index& index, const std::vector<std::string>& columns) const;

  const Catalog& catalog_;
  const IndexTrees* trees_;  // owned by catalog_.definitions
  // Answers by (index id, columns): the FK-coverage and unused-index checks ask the same
  // question of a partial index for each FK and each competing index, and each proof parses
  // the stored predicate and runs the prover.
  mutable std::unordered_map<std::string, bool> answers_;
};

}  // namespace dbopt::pg
