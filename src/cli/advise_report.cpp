#include "cli/advise_report.hpp"

#include <cstdio>

namespace dbopt::cli {

const char* ApplyStatusName(ApplyOutcome::Status status) {
  switch (status) {
    case ApplyOutcome::Status::kNotRun:
      return "not_run";
    case ApplyOutcome::Status::kCreated:
      return "created";
    case ApplyOutcome::Status::kFailed:
      return "failed";
    case ApplyOutcome::Status::kCancelled:
      return "cancelled";
  }
  return "not_run";
}

bool AllApplied(const AdviseReport& report) {
  for (const AdvisedIndex& index : report.indexes)
    if (index.outcome.status != ApplyOutcome::Status::kCreated || !index.outcome.error.empty())
      return false;
  return !report.interrupted;
}

std::string FormatBytes(std::int64_t bytes) {
  if (bytes < 0) return "?";
  if (bytes < 10 * 1024) return std::to_string(bytes) + " bytes";
  const char* units[] = {"kB", "MB", "GB", "TB"};
  double value = static_cast<double>(bytes) / 1024;
  size_t unit = 0;
  while (value >= 1024 && unit + 1 < sizeof units / sizeof units[0]) {
    value /= 1024;
    ++unit;
  }
  char text[32];
  std::snprintf(text, sizeof text, value < 10 ? "%.1f %s" : "%.0f %s", value, units[unit]);
  return text;
}

}  // namespace dbopt::cli
