// Catalog checks other than FK coverage. Each returns findings for objects in scope.
#pragma once
#include "core/common/no_postgres.hpp"

#include <vector>

#include "core/health/finding.hpp"
#include "core/model/catalog.hpp"

namespace dbopt {

// fk_type_mismatch: referencing and referenced column types differ.
std::vector<Finding> FkTypeMismatchFindings(const Catalog& catalog);
// index_duplicate / index_redundant: exact duplicates and prefix-redundant indexes.
std::vector<Finding> RedundantIndexFindings(const Catalog& catalog);
// index_unused: no scans since statistics were reset; never constraint-backing indexes or the
// only index covering a foreign key.
std::vector<Finding> UnusedIndexFindings(const Catalog& catalog, const PredicateOracle& predicates);
// index_invalid, constraint_not_valid, table_no_primary_key.
std::vector<Finding> InvalidObjectFindings(const Catalog& catalog);

}  // namespace dbopt
