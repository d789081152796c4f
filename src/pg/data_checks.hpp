// The data checks of dbopt_health(include_data => true): implied foreign keys, columns that
// are never NULL, redundant copies of parent data. The core (src/core/health/data_checks)
// plans the probes and reads their results; this runs them through SPI. They take
// AccessShareLock only on what they sample. Needs SPI.
#pragma once
#include <vector>

#include "core/health/finding.hpp"
#include "core/model/catalog.hpp"

namespace dbopt::pg {

// Loads the column details the data checks need into `catalog` (LoadDataCheckColumns), then
// runs the probes of the tables in scope.
std::vector<Finding> RunDataChecks(Catalog& catalog);

}  // namespace dbopt::pg
