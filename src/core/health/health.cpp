#include "core/health/health.hpp"

#include <algorithm>
#include <tuple>

#include "core/health/fk_coverage.hpp"
#include "core/health/redundant_indexes.hpp"
#include "core/health/schema_checks.hpp"

namespace dbopt {

void SortFindings(std::vector<Finding>& findings) {
  std::stable_sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
    return std::tie(a.severity, a.check_id, a.object_name) <
           std::tie(b.severity, b.check_id, b.object_name);
  });
}

std::vector<Finding> RunCatalogChecks(const Catalog& catalog, const PredicateOracle& predicates) {
  std::vector<Finding> findings = FkCoverageFindings(catalog, CheckFkCoverage(catalog, predicates));
  auto append = [&findings](std::vector<Finding> more) {
    findings.insert(findings.end(), std::make_move_iterator(more.begin()),
                    std::make_move_iterator(more.end()));
  };
  append(FkTypeMismatchFindings(catalog));
  const std::vector<RedundantPair> redundant = RedundantIndexPairs(catalog);
  append(RedundantIndexFindings(catalog, redundant));
  append(UnusedIndexFindings(catalog, predicates, redundant));
  append(InvalidObjectFindings(catalog));
  SortFindings(findings);
  return findings;
}

}  // namespace dbopt
