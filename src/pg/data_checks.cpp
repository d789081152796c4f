#include "pg/data_checks.hpp"

namespace dbopt::pg {

std::vector<Finding> RunDataChecks(const Catalog&) {
  return {};
}  // TODO(data helper)

}  // namespace dbopt::pg
