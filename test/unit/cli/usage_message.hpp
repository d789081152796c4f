// For the argument tests: the message of the usage error a command line raises.
#pragma once
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cli/args.hpp"
#include "cli/exit_codes.hpp"

namespace dbopt::cli {

// The CliError's message, checking it exits 2; "(no error)" when the line parses.
inline std::string UsageMessage(const std::vector<std::string>& args) {
  try {
    ParseCommandLine(args);
  } catch (const CliError& error) {
    EXPECT_EQ(error.exit_code(), kExitUsage);
    return error.what();
  }
  return "(no error)";
}

}  // namespace dbopt::cli
