// What the output goes to: colors only on a terminal (and never with NO_COLOR, see
// no-color.org, unless --color=always), wrapping to the terminal's width.
#pragma once
#include <cstddef>

#include "cli/args.hpp"

namespace dbopt::cli {

// Pure decisions, given the facts (environment values may be null).
bool UseColor(ColorMode mode, bool is_tty, const char* no_color, const char* term);
// tty_columns: the terminal's width (0 if unknown). COLUMNS wins when set to a number;
// otherwise a terminal's width, and no wrapping (0) for pipes and files.
size_t OutputWidth(bool is_tty, int tty_columns, const char* columns_env);

// The facts for a file descriptor.
bool IsTerminal(int fd);
int TerminalColumns(int fd);  // 0 if unknown

}  // namespace dbopt::cli
