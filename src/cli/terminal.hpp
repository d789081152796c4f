// What the output goes to: colors only on a terminal (and never with NO_COLOR, see
// no-color.org, unless --color=always), wrapping to the terminal's width.
#pragma once
#include <cstddef>
#include <string>

#include "cli/args.hpp"
#include "cli/render_text.hpp"

namespace dbopt::migrate {
enum class Severity;  // core/migrate/lint.hpp
}

namespace dbopt::cli {

// Pure decisions, given the facts (environment values may be null).
bool UseColor(ColorMode mode, bool is_tty, const char* no_color, const char* term);
// tty_columns: the terminal's width (0 if unknown). COLUMNS wins when set to a number;
// otherwise a terminal's width, and no wrapping (0) for pipes and files.
size_t OutputWidth(bool is_tty, int tty_columns, const char* columns_env);

// ANSI styling: text wrapped in code and a reset when color is on, unchanged otherwise.
constexpr const char* kBold = "\033[1m";
std::string Paint(const std::string& text, const char* code, bool color);
// A severity's colour, the same in every report: critical (health) and error (lint) red,
// warning yellow, info cyan.
const char* SeverityColor(Severity severity);
const char* SeverityColor(dbopt::migrate::Severity severity);

// The facts for a file descriptor.
bool IsTerminal(int fd);
int TerminalColumns(int fd);  // 0 if unknown

// The text style for stdout: colors per mode, NO_COLOR and TERM; the width of the terminal
// (or COLUMNS).
TextStyle StdoutTextStyle(ColorMode mode);

// Writes a command's whole output to stdout; throws CliError(kExitError) when it cannot.
void WriteStdout(const std::string& out);

// Shows prompt on the controlling terminal and reads a line without echoing it. False when
// there is no terminal to ask.
bool ReadSecret(const char* prompt, std::string* secret);

}  // namespace dbopt::cli
