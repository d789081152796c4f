// Wording shared by the anti-pattern findings' messages.
#pragma once
#include "core/common/no_postgres.hpp"

#include <cstdint>
#include <cstdio>
#include <string>

namespace dbopt::antipatterns {

// A number with one decimal ("12.5").
inline std::string OneDecimal(double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%.1f", value);
  return buffer;
}

// "query <id>", "(nested)" for a statement run by a function.
inline std::string QueryLabel(std::uint64_t queryid, bool toplevel) {
  return "query " + std::to_string(static_cast<std::int64_t>(queryid)) +
         (toplevel ? "" : " (nested)");
}

}  // namespace dbopt::antipatterns
