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
  if (detail.tape()) {
    finding.detail_json.clear();
    finding.detail_tape = detail.Take();
  } else {
    finding.detail_tape.clear();
    finding.detail_json = detail.Take();
  }
}

}  // namespace dbopt
