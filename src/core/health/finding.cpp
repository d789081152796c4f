#include "core/health/finding.hpp"

namespace dbopt {

const char* SeverityName(Severity severity) {
  switch (severity) {
    case Severity::kCritical:
      return "critical";
    case Severity::kWarning:
      return "warning";
    case Severity::kInfo:
      return "info";
  }
  return "info";
}

void SetDetail(Finding& finding, JsonWriter& detail) {
  // Copied, not moved: the copy is as long as the evidence, the writer's buffer is 512 bytes
  // (25,000 findings would keep the difference).
  if (detail.tape()) {
    finding.detail_json.clear();
    finding.detail_tape = detail.str();
  } else {
    finding.detail_tape.clear();
    finding.detail_json = detail.str();
  }
}

}  // namespace dbopt
