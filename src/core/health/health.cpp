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
  const std::vector<RedundantPair> redundant = RedundantIndexPairs(catalog);
  std::vector<Finding> parts[] = {
      FkCoverageFindings(catalog, CheckFkCoverage(catalog, predicates, FkEvidence::kUncoveredOnly)),
      FkTypeMismatchFindings(catalog),
      RedundantIndexFindings(catalog, redundant),
      UnusedIndexFindings(catalog, predicates, redundant),
      InvalidObjectFindings(catalog),
  };
  size_t total = 0;
  for (const std::vector<Finding>& part : parts) total += part.size();
  std::vector<Finding> findings;
  findings.reserve(total);
  for (std::vector<Finding>& part : parts)
    findings.insert(findings.end(), std::make_move_iterator(part.begin()),
                    std::make_move_iterator(part.end()));
  SortFindings(findings);
  return findings;
}

}  // namespace dbopt
