// The json format of `dbopt health`: one JSON array, one finding object per line, with the
// columns of dbopt_health() as keys and detail embedded as JSON (not as a string).
#pragma once
#include <string>
#include <vector>

#include "core/health/finding.hpp"

namespace dbopt::cli {

// detail_json must be valid JSON (the server's jsonb text); empty means null.
std::string RenderJson(const std::vector<Finding>& findings);

}  // namespace dbopt::cli
