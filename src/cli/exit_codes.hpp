// Exit statuses of the dbopt command-line tool (documented in docs/cli.md) and the error
// that carries one up to main().
#pragma once
#include <stdexcept>
#include <string>

namespace dbopt::cli {

constexpr int kExitOk = 0;        // success; for checks: nothing at or above the threshold
constexpr int kExitFindings = 1;  // checks reported findings at or above the threshold
constexpr int kExitUsage = 2;     // bad command line
constexpr int kExitError = 3;     // connection failure, missing extension, server error

// Thrown for anything that ends the command; main() prints "dbopt: error: <what>".
class CliError : public std::runtime_error {
 public:
  CliError(int exit_code, const std::string& message, const std::string& hint = "")
      : std::runtime_error(message), exit_code_(exit_code), hint_(hint) {}
  int exit_code() const { return exit_code_; }
  const std::string& hint() const { return hint_; }

 private:
  int exit_code_;
  std::string hint_;
};

inline CliError UsageError(const std::string& message) {
  return CliError(kExitUsage, message);
}

}  // namespace dbopt::cli
