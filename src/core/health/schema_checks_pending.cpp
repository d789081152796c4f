// Temporary: replaced by one file per check.
#include "core/health/schema_checks.hpp"

namespace dbopt {
std::vector<Finding> UnusedIndexFindings(const Catalog&, const PredicateOracle&) {
  return {};
}
}  // namespace dbopt
