#include "core/health/fk_coverage.hpp"

namespace dbopt {

const char* FkCoverageStatusName(FkCoverageStatus status) {
  switch (status) {
    case FkCoverageStatus::kCovered:
      return "covered";
    case FkCoverageStatus::kPartiallyCovered:
      return "partially_covered";
    case FkCoverageStatus::kCoveredByInvalid:
      return "covered_by_invalid";
    case FkCoverageStatus::kUnindexed:
      return "unindexed";
  }
  return "unindexed";
}

int LeadingForeignKeyColumns(const Catalog& catalog, const Index& index, const ForeignKey& fk) {
  const Table* table = catalog.FindTable(index.table_id);
  if (table == nullptr) return 0;
  const bool hash = index.access_method == "hash";
  if (!hash && index.access_method != "btree") return 0;
  std::vector<bool> used(fk.columns.size(), false);
  int matched = 0;
  for (const IndexColumn& key : index.keys) {
    if (key.IsExpression()) break;
    size_t position = 0;
    while (position < fk.columns.size() && (used[position] || fk.columns[position] != key.column))
      ++position;
    if (position == fk.columns.size()) break;
    const Column* column = table->FindColumn(key.column);
    if (column == nullptr || key.collation != column->collation) break;
    if (position >= fk.equality_operators.size() ||
        catalog.equality_members.count({key.opfamily, fk.equality_operators[position]}) == 0)
      break;
    used[position] = true;
    ++matched;
    if (hash) break;  // a hash index answers equality on its one column only
  }
  return matched;
}

bool IndexCoversForeignKey(const Catalog& catalog, const Index& index, const ForeignKey& fk,
                           const PredicateOracle& predicates) {
  if (!index.valid || !index.ready || fk.columns.empty()) return false;
  if (index.access_method == "hash" && fk.columns.size() != 1) return false;
  if (LeadingForeignKeyColumns(catalog, index, fk) != static_cast<int>(fk.columns.size()))
    return false;
  return !index.Partial() || predicates.ImpliedByNotNull(index, fk.columns);
}

std::vector<FkCoverage> CheckFkCoverage(const Catalog&, const PredicateOracle&) {
  return {};
}

std::vector<Finding> FkCoverageFindings(const Catalog&, const std::vector<FkCoverage>&) {
  return {};
}

}  // namespace dbopt
