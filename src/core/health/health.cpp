#include "core/health/health.hpp"

#include <algorithm>
#include <numeric>

#include "core/health/fk_coverage.hpp"
#include "core/health/redundant_indexes.hpp"
#include "core/health/schema_checks.hpp"

namespace dbopt {

void SortFindings(std::vector<Finding>& findings) {
  // Sorts positions and then moves each finding once: a Finding is large, and a stable sort
  // moves its elements many times. Each string is compared once (compare(), not < twice).
  std::vector<size_t> order(findings.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&findings](size_t left, size_t right) {
    const Finding& a = findings[left];
    const Finding& b = findings[right];
    if (a.severity != b.severity) return a.severity < b.severity;
    if (int c = a.check_id.compare(b.check_id); c != 0) return c < 0;
    return a.object_name.compare(b.object_name) < 0;
  });
  std::vector<Finding> sorted;
  sorted.reserve(findings.size());
  for (size_t position : order) sorted.push_back(std::move(findings[position]));
  findings.swap(sorted);
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
