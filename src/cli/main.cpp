// dbopt command-line tool: entry point and command dispatch.
#include <cstdio>
#include <cstring>
#include <string>

namespace {

const char* const kUsage = R"(dbopt - PostgreSQL optimizer command-line tool

Usage: dbopt COMMAND [OPTIONS]

Commands:
  health     print schema health findings of a database (needs the dbopt extension)
  help       show this text

Common options:
  -d, --dbname CONNINFO   libpq connection string or database name (default: libpq environment)
  -h, --help              show help
)";

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || std::strcmp(argv[1], "help") == 0 || std::strcmp(argv[1], "--help") == 0 ||
      std::strcmp(argv[1], "-h") == 0) {
    std::fputs(kUsage, stdout);
    return argc < 2 ? 2 : 0;
  }
  std::fprintf(stderr, "dbopt: unknown command \"%s\"\nTry \"dbopt --help\".\n", argv[1]);
  return 2;
}
