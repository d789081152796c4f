// The texts of `dbopt --help`, `dbopt help health` and `dbopt --version`.
#pragma once
#include <string>

namespace dbopt::cli {

// topic "" is the overview; "health" the health command. Empty for an unknown topic.
std::string HelpText(const std::string& topic);
std::string VersionText();  // "dbopt 0.1.0\n"

}  // namespace dbopt::cli
