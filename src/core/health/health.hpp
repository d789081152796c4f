// The catalog checks of dbopt_health(): everything that needs no table data.
#pragma once
#include "core/common/no_postgres.hpp"

#include <vector>

#include "core/health/finding.hpp"
#include "core/model/catalog.hpp"

namespace dbopt {

// Checks 1-5 (issue 2): FK coverage, FK type mismatch, redundant, unused and invalid
// indexes, NOT VALID constraints, tables without a primary key. Sorted for stable output.
// Evidence as JSON text (detail_json) or, with JsonForm::kTape, the checks with many findings
// (FK coverage, redundant and unused indexes) give it as a tape (detail_tape).
std::vector<Finding> RunCatalogChecks(const Catalog& catalog, const PredicateOracle& predicates,
                                      JsonForm evidence_form = JsonForm::kText);

// Severity first (critical, warning, info), then check_id, then object_name.
void SortFindings(std::vector<Finding>& findings);

}  // namespace dbopt
