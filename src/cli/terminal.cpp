#include "cli/terminal.hpp"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "cli/exit_codes.hpp"
#include "core/migrate/lint.hpp"

namespace dbopt::cli {

TextStyle StdoutTextStyle(ColorMode mode) {
  const bool tty = IsTerminal(STDOUT_FILENO);
  TextStyle style;
  style.color = UseColor(mode, tty, std::getenv("NO_COLOR"), std::getenv("TERM"));
  style.width = OutputWidth(tty, tty ? TerminalColumns(STDOUT_FILENO) : 0, std::getenv("COLUMNS"));
  return style;
}

void WriteStdout(const std::string& out) {
  if (std::fwrite(out.data(), 1, out.size(), stdout) != out.size() || std::fflush(stdout) != 0)
    throw CliError(kExitError, "could not write the output");
}

bool UseColor(ColorMode mode, bool is_tty, const char* no_color, const char* term) {
  if (mode != ColorMode::kAuto) return mode == ColorMode::kAlways;
  if (no_color != nullptr && no_color[0] != '\0') return false;
  if (term != nullptr && std::strcmp(term, "dumb") == 0) return false;
  return is_tty;
}

size_t OutputWidth(bool is_tty, int tty_columns, const char* columns_env) {
  if (columns_env != nullptr && columns_env[0] != '\0') {
    char* end = nullptr;
    const long columns = std::strtol(columns_env, &end, 10);
    if (*end == '\0' && columns > 0) return static_cast<size_t>(columns);
  }
  return is_tty && tty_columns > 0 ? static_cast<size_t>(tty_columns) : 0;
}

std::string Paint(const std::string& text, const char* code, bool color) {
  return color ? code + text + "\033[0m" : text;
}

namespace {
constexpr const char* kRed = "\033[1;31m";
constexpr const char* kYellow = "\033[1;33m";
constexpr const char* kCyan = "\033[1;36m";
}  // namespace

const char* SeverityColor(Severity severity) {
  return severity == Severity::kCritical ? kRed : severity == Severity::kWarning ? kYellow : kCyan;
}

const char* SeverityColor(dbopt::migrate::Severity severity) {
  return severity == dbopt::migrate::Severity::kError     ? kRed
         : severity == dbopt::migrate::Severity::kWarning ? kYellow
                                                          : kCyan;
}

bool IsTerminal(int fd) {
  return isatty(fd) == 1;
}

int TerminalColumns(int fd) {
  struct winsize size {};
  if (ioctl(fd, TIOCGWINSZ, &size) != 0) return 0;
  return size.ws_col;
}

bool ReadSecret(const char* prompt, std::string* secret) {
  const int tty = open("/dev/tty", O_RDWR | O_CLOEXEC);
  if (tty < 0) return false;
  (void)!write(tty, prompt, std::strlen(prompt));
  termios saved{};
  const bool restore = tcgetattr(tty, &saved) == 0;
  if (restore) {
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(tty, TCSAFLUSH, &quiet);
  }
  secret->clear();
  char c;
  while (read(tty, &c, 1) == 1 && c != '\n' && c != '\r') *secret += c;
  if (restore) tcsetattr(tty, TCSAFLUSH, &saved);
  (void)!write(tty, "\n", 1);
  close(tty);
  return true;
}

}  // namespace dbopt::cli
