// The one shape every check and detector reports in (DESIGN.md, "The SQL contract").
#pragma once
#include "core/common/no_postgres.hpp"

#include <string>
#include <vector>

#include "core/common/sql_text.hpp"

namespace dbopt {

enum class Severity { kCritical, kWarning, kInfo };
const char* SeverityName(Severity severity);

struct Finding {
  std::string check_id;  // stable identifier, e.g. "fk_unindexed"
  Severity severity = Severity::kInfo;
  std::string object_type;  // "table", "index", "foreign key", "column", "constraint"
  std::string object_name;  // fully qualified, quoted as needed
  std::string message;
  std::string detail_json = "{}";  // evidence, a JSON object
  // Or the evidence as a JSON tape (core/common/sql_text.hpp), when the check was asked for
  // JsonForm::kTape: the server makes jsonb of it without writing and lexing text.
  // detail_json is empty then. Empty otherwise.
  std::string detail_tape;
  std::vector<std::string> remediation;  // one autocommit-runnable statement each
  std::vector<std::string> revert;       // undoes remediation, one statement each
};

// Stores what `detail` wrote as the finding's evidence: detail_json, or detail_tape for a
// writer of JsonForm::kTape.
void SetDetail(Finding& finding, JsonWriter& detail);

}  // namespace dbopt
