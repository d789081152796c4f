// The catalog checks of dbopt_health(): everything that needs no table data.
#pragma once
#include "core/common/no_postgres.hpp"

#include <vector>

#include "core/health/finding.hpp"
#include "core/model/catalog.hpp"

namespace dbopt {

// Checks 1-5 (issue 2): FK coverage, FK type mismatch, redundant, unused and invalid
// indexes, NOT VALID constraints, tables without a primary key. Sorted for stable output.
std::vector<Finding> RunCatalogChecks(const Catalog& catalog, const PredicateOracle& predicates);

// Severity first (critical, warning, info), then check_id, then object_name.
void SortFindings(std::vector<Finding>& findings);

}  // namespace dbopt
