#include "cli/render_json.hpp"

#include "core/common/sql_text.hpp"

namespace dbopt::cli {

std::string RenderJson(const std::vector<Finding>& findings) {
  if (findings.empty()) return "[]\n";
  std::string out = "[\n";
  for (size_t i = 0; i < findings.size(); ++i) {
    const Finding& finding = findings[i];
    JsonWriter json;
    json.BeginObject()
        .Field("check_id", finding.check_id)
        .Field("severity", SeverityName(finding.severity))
        .Field("object_type", finding.object_type)
        .Field("object_name", finding.object_name)
        .Field("message", finding.message)
        .Key("detail");
    if (finding.detail_json.empty())
      json.Null();
    else
      json.Raw(finding.detail_json);
    json.Field("remediation", finding.remediation).Field("revert", finding.revert).EndObject();
    out += "  " + json.str() + (i + 1 < findings.size() ? ",\n" : "\n");
  }
  return out + "]\n";
}

}  // namespace dbopt::cli
