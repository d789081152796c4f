// The texts of `dbopt --help`, `dbopt help COMMAND` and `dbopt --version`.
#pragma once
#include <string>

namespace dbopt::cli {

// topic "" is the overview, else a command ("health", "top"). Empty for an unknown topic.
std::string HelpText(const std::string& topic);
std::string VersionText();  // "dbopt 0.1.0\n"

}  // namespace dbopt::cli
