// Foreign-key coverage: can the referential-integrity lookup
//   SELECT 1 FROM fk_table WHERE fk_col1 = $1 AND ... FOR KEY SHARE
// (ri_triggers.c), and joins on the FK, use an index on every leaf partition?
#pragma once
#include "core/common/no_postgres.hpp"

#include <string>
#include <vector>

#include "core/health/finding.hpp"
#include "core/model/catalog.hpp"

namespace dbopt {

enum class FkCoverageStatus { kCovered, kPartiallyCovered, kCoveredByInvalid, kUnindexed };
const char* FkCoverageStatusName(FkCoverageStatus status);

// Coverage of one leaf table (the referencing table itself when it is not partitioned).
struct LeafCoverage {
  ObjectId table_id = 0;
  FkCoverageStatus status = FkCoverageStatus::kUnindexed;
  ObjectId index_id = 0;  // the best index found, 0 if none
};

struct FkCoverage {
  const ForeignKey* foreign_key = nullptr;
  FkCoverageStatus status = FkCoverageStatus::kUnindexed;
  std::string covering_index;  // qualified name of the covering index, if any
  std::vector<LeafCoverage> leaves;
  std::string detail_json = "{}";  // evidence
  std::vector<std::string> remediation;
  std::vector<std::string> revert;
};

// How many of the FK's columns the index can narrow the lookup by: its leading key columns,
// up to the first that is not an FK column usable with the FK's equality operator (plain
// column, operator in the index column's family, same collation as the column). Ignores
// validity and predicate. (a,x,b) for FK (a,b) gives 1; (b,a) gives 2.
int LeadingForeignKeyColumns(const Catalog& catalog, const Index& index, const ForeignKey& fk);

// True when `index` alone lets the RI lookup of `fk` on the index's table use every FK
// column: valid btree (or hash, one column) whose leading key columns are exactly the FK
// columns in some order, with matching operator family and collation, and whose predicate (if
// any) is implied by those columns being non-null.
bool IndexCoversForeignKey(const Catalog& catalog, const Index& index, const ForeignKey& fk,
                           const PredicateOracle& predicates);

// One entry per logical FK in scope (Catalog::InScope of the referencing table).
std::vector<FkCoverage> CheckFkCoverage(const Catalog& catalog, const PredicateOracle& predicates);

// Findings for FKs that are not fully covered (fk_unindexed, fk_partially_indexed,
// fk_index_invalid).
std::vector<Finding> FkCoverageFindings(const Catalog& catalog,
                                        const std::vector<FkCoverage>& coverage);

}  // namespace dbopt
