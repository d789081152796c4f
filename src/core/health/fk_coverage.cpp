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

bool IndexCoversForeignKey(const Catalog&, const Index&, const ForeignKey&,
                           const PredicateOracle&) {
  return false;  // TODO(fk helper)
}

std::vector<FkCoverage> CheckFkCoverage(const Catalog&, const PredicateOracle&) {
  return {};
}

std::vector<Finding> FkCoverageFindings(const Catalog&, const std::vector<FkCoverage>&) {
  return {};
}

}  // namespace dbopt
