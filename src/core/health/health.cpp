#include "core/health/health.hpp"

#include <algorithm>
#include <map>
#include <numeric>
#include <string_view>
#include <utility>

#include "core/health/fk_coverage.hpp"
#include "core/health/redundant_indexes.hpp"
#include "core/health/schema_checks.hpp"

namespace dbopt {

void SortFindings(std::vector<Finding>& findings) {
  // Sorts positions and then moves each finding once: a Finding is large, and a stable sort
  // moves its elements many times. Each string is compared once (compare(), not < twice).
  // (severity, check_id) as a rank: a report has few distinct ones, so the sort compares two
  // integers and then the object names.
  using Kind = std::pair<Severity, std::string_view>;
  std::vector<Kind> kinds;
  std::vector<size_t> kind_of(findings.size());
  for (size_t i = 0; i < findings.size(); ++i) {
    const Kind kind(findings[i].severity, findings[i].check_id);
    size_t k = 0;
    while (k < kinds.size() && kinds[k] != kind) ++k;
    if (k == kinds.size()) kinds.push_back(kind);
    kind_of[i] = k;
  }
  std::vector<size_t> kind_order(kinds.size());
  std::iota(kind_order.begin(), kind_order.end(), size_t{0});
  std::sort(kind_order.begin(), kind_order.end(),
            [&kinds](size_t a, size_t b) { return kinds[a] < kinds[b]; });
  std::vector<size_t> rank(kinds.size());
  for (size_t r = 0; r < kind_order.size(); ++r) rank[kind_order[r]] = r;
  for (size_t& k : kind_of) k = rank[k];

  // The positions grouped by rank, in their order within each (a stable counting sort), then
  // each group by object name: a check mostly reports in that order already, so a group
  // that is sorted costs one comparison per finding; another one is sorted stably.
  std::vector<size_t> begin(kinds.size() + 1, 0);
  for (const size_t k : kind_of) ++begin[k + 1];
  for (size_t r = 0; r < kinds.size(); ++r) begin[r + 1] += begin[r];
  std::vector<size_t> order(findings.size());
  {
    std::vector<size_t> next(begin.begin(), begin.end() - 1);
    for (size_t i = 0; i < findings.size(); ++i) order[next[kind_of[i]]++] = i;
  }
  const auto by_name = [&findings](size_t left, size_t right) {
    return findings[left].object_name.compare(findings[right].object_name) < 0;
  };
  for (size_t r = 0; r < kinds.size(); ++r) {
    const auto first = order.begin() + static_cast<std::ptrdiff_t>(begin[r]);
    const auto last = order.begin() + static_cast<std::ptrdiff_t>(begin[r + 1]);
    if (!std::is_sorted(first, last, by_name)) std::stable_sort(first, last, by_name);
  }
  // Moved into place cycle by cycle (no second vector of findings: 5 MB of fresh pages on a
  // large report): position i receives the finding at order[i].
  std::vector<bool> placed(findings.size(), false);
  for (size_t start = 0; start < findings.size(); ++start) {
    if (placed[start] || order[start] == start) continue;
    Finding first = std::move(findings[start]);
    size_t at = start;
    for (;;) {
      placed[at] = true;
      const size_t from = order[at];
      if (from == start) {
        findings[at] = std::move(first);
        break;
      }
      findings[at] = std::move(findings[from]);
      at = from;
    }
  }
}

namespace {

// Remembers the oracle's answers: FK coverage and index_unused ask it the same (partial
// index, FK columns) questions, and in the server each answer runs the planner's prover.
class RememberedPredicates : public PredicateOracle {
 public:
  explicit RememberedPredicates(const PredicateOracle& oracle) : oracle_(oracle) {}
  bool ImpliedByNotNull(const Index& index,
                        const std::vector<std::string>& columns) const override {
    auto key = std::make_pair(&index, columns);
    auto known = answers_.find(key);
    if (known != answers_.end()) return known->second;
    const bool implied = oracle_.ImpliedByNotNull(index, columns);
    answers_.emplace(std::move(key), implied);
    return implied;
  }

 private:
  const PredicateOracle& oracle_;
  mutable std::map<std::pair<const Index*, std::vector<std::string>>, bool> answers_;
};

}  // namespace

std::vector<Finding> RunCatalogChecks(const Catalog& catalog, const PredicateOracle& oracle,
                                      JsonForm evidence_form) {
  const RememberedPredicates predicates(oracle);
  const std::vector<RedundantPair> redundant = RedundantIndexPairs(catalog);
  std::vector<Finding> parts[] = {
      FkCoverageFindings(
          catalog, CheckFkCoverage(catalog, predicates, FkEvidence::kUncoveredOnly, evidence_form)),
      FkTypeMismatchFindings(catalog),
      RedundantIndexFindings(catalog, redundant, evidence_form),
      UnusedIndexFindings(catalog, predicates, redundant, evidence_form),
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
