// Check 3 of dbopt_health(): index_duplicate and index_redundant. The findings function is
// declared in schema_checks.hpp; the relation it is built on is here for unit tests.
#pragma once
#include "core/common/no_postgres.hpp"

#include <vector>

#include "core/health/finding.hpp"
#include "core/model/catalog.hpp"

namespace dbopt {

// True when `kept` serves every query `index` serves and enforces what it enforces, so that
// `index` can go: same table, access method and predicate; the key columns of `index` (with
// operator class, collation and DESC/NULLS options) are the leading key columns of `kept`
// (a strict prefix only for btree); its INCLUDE columns are among the columns of `kept`; and a
// unique `index` is only replaced by a unique, non-deferrable `kept` on the same key columns
// (uniqueness is a constraint, not an access path). Both must be valid.
bool IndexCoversIndex(const Catalog& catalog, const Index& kept, const Index& index);

// What check 3 proposes, index by index: each droppable index with the index that stays in its
// place. index_unused never reports either side: the dropped one has its own finding, and the
// one that stays takes over the dropped one's scans (so twins are never both dropped).
struct RedundantPair {
  const Index* dropped = nullptr;
  const Index* kept = nullptr;
};
std::vector<RedundantPair> RedundantIndexPairs(const Catalog& catalog);

// The findings of checks 3 and 4 from pairs computed once (RunCatalogChecks); the overloads
// in schema_checks.hpp compute them themselves.
// evidence_form: see RunCatalogChecks.
std::vector<Finding> RedundantIndexFindings(const Catalog& catalog,
                                            const std::vector<RedundantPair>& pairs,
                                            JsonForm evidence_form = JsonForm::kText);
std::vector<Finding> UnusedIndexFindings(const Catalog& catalog, const PredicateOracle& predicates,
                                         const std::vector<RedundantPair>& pairs,
                                         JsonForm evidence_form = JsonForm::kText);

}  // namespace dbopt
