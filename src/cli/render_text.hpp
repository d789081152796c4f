// The text format of `dbopt health`: a summary line, then per severity a table of
// findings (#, check, object, message) and the statements that fix them.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "cli/report.hpp"

namespace dbopt::cli {

struct TextStyle {
  bool color = false;  // ANSI colors and bold
  size_t width = 0;    // wrap the message column to fit; 0: no wrapping
};

std::string RenderText(const std::vector<Finding>& findings, const ReportContext& context,
                       const TextStyle& style);

}  // namespace dbopt::cli
