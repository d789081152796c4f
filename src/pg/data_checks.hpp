// The data checks of dbopt_health(include_data => true): implied foreign keys, columns that
// are never NULL, redundant copies of parent data. They sample table data through SPI and
// take AccessShareLock only on what they sample. Needs SPI.
#pragma once
#include <vector>

#include "core/health/finding.hpp"
#include "core/model/catalog.hpp"

namespace dbopt::pg {

std::vector<Finding> RunDataChecks(const Catalog& catalog);

}  // namespace dbopt::pg
