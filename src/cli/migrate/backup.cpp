// pg_dump of the tables a migration destroys data in (contract in backup.hpp). pg_dump runs as
// a child process (fork/exec, no shell) with its output captured for the error message.
#include "cli/migrate/backup.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <set>

#include "cli/connection.hpp"
#include "cli/exit_codes.hpp"
#include "cli/migrate/migrate_new.hpp"
#include "core/common/sql_text.hpp"

namespace dbopt::cli::migrate {
namespace {

struct ProgramResult {
  int status = -1;     // exit status; -1: could not run or killed
  std::string output;  // stdout and stderr together
};

// Runs argv[0] (a path) with argv, adding env ("NAME=value") to the environment.
ProgramResult RunProgram(const std::vector<std::string>& argv,
                         const std::vector<std::string>& env = {}) {
  ProgramResult result;
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) {
    result.output = std::strerror(errno);
    return result;
  }
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  const pid_t pid = fork();
  if (pid < 0) {
    result.output = std::strerror(errno);
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    return result;
  }
  if (pid == 0) {
    const int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0) dup2(devnull, 0);  // never a password prompt
    dup2(pipe_fds[1], 1);
    dup2(pipe_fds[1], 2);
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    for (const std::string& setting : env) putenv(const_cast<char*>(setting.c_str()));
    execv(args[0], args.data());
    std::fprintf(stderr, "cannot run %s: %s\n", args[0], std::strerror(errno));
    _exit(127);
  }
  close(pipe_fds[1]);
  char buffer[4096];
  for (;;) {
    const ssize_t n = read(pipe_fds[0], buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    result.output.append(buffer, static_cast<size_t>(n));
  }
  close(pipe_fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

std::string Trimmed(std::string text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  return text;
}

bool IsExecutable(const std::string& path) {
  struct stat info {};
  return stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode) && access(path.c_str(), X_OK) == 0;
}

// "pg_dump (PostgreSQL) 15.4 (Debian 15.4-1)" -> 15; 0 when it cannot tell.
int ProgramMajor(const std::string& program) {
  const ProgramResult version = RunProgram({program, "--version"});
  if (version.status != 0) return 0;
  const size_t paren = version.output.find(") ");
  if (paren == std::string::npos) return 0;
  return std::atoi(version.output.c_str() + paren + 2);
}

// The pg_dump to use for a server of this major version (see backup.hpp).
std::string FindPgDump(int server_major, std::vector<std::string>* looked_at) {
  std::vector<std::string> folders;
  const char* pg_config_env = std::getenv("PG_CONFIG");
  std::vector<std::string> pg_configs;
  if (pg_config_env != nullptr && *pg_config_env != '\0') pg_configs.push_back(pg_config_env);
  const char* path_env = std::getenv("PATH");
  std::vector<std::string> path_folders;
  for (std::string rest = path_env ? path_env : ""; !rest.empty();) {
    const size_t colon = rest.find(':');
    path_folders.push_back(rest.substr(0, colon));
    rest = colon == std::string::npos ? "" : rest.substr(colon + 1);
  }
  for (const std::string& folder : path_folders)
    if (IsExecutable(folder + "/pg_config")) {
      pg_configs.push_back(folder + "/pg_config");
      break;
    }
  for (const std::string& pg_config : pg_configs) {
    if (!IsExecutable(pg_config)) continue;
    const ProgramResult bindir = RunProgram({pg_config, "--bindir"});
    if (bindir.status == 0) folders.push_back(Trimmed(bindir.output));
  }
  folders.insert(folders.end(), path_folders.begin(), path_folders.end());
  folders.push_back("/usr/lib/postgresql/" + std::to_string(server_major) + "/bin");
  std::string newer;
  std::set<std::string> seen;
  for (const std::string& folder : folders) {
    const std::string program = (folder.empty() ? "." : folder) + "/pg_dump";
    if (!seen.insert(program).second || !IsExecutable(program)) continue;
    const int major = ProgramMajor(program);
    looked_at->push_back(program + " (" + (major ? std::to_string(major) : "?") + ")");
    if (major == server_major) return program;
    if (major > server_major && newer.empty()) newer = program;
  }
  return newer;
}

// 'value' for a conninfo string.
std::string ConninfoValue(const std::string& value) {
  std::string quoted = "'";
  for (const char c : value) {
    if (c == '\'' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + "'";
}

// A word for a POSIX shell.
std::string ShellQuote(const std::string& word) {
  if (!word.empty() && word.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                              "0123456789_-./=:,@") == std::string::npos)
    return word;
  std::string quoted = "'";
  for (const char c : word) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

// The connection's settings as a conninfo string, without the password (given to pg_dump in
// PGPASSWORD). keys_only: just host, port, dbname and user (for the printed command).
std::string ConninfoOf(PGconn* connection, bool keys_only) {
  std::unique_ptr<PQconninfoOption, void (*)(PQconninfoOption*)> options(PQconninfo(connection),
                                                                         PQconninfoFree);
  std::string conninfo;
  for (const PQconninfoOption* option = options.get(); option && option->keyword; ++option) {
    if (option->val == nullptr || *option->val == '\0') continue;
    const std::string key = option->keyword;
    if (key == "password" || key == "passfile" || key == "replication") continue;
    if (keys_only && key != "host" && key != "hostaddr" && key != "port" && key != "dbname" &&
        key != "user")
      continue;
    if (!conninfo.empty()) conninfo += ' ';
    conninfo += key + "=" + ConninfoValue(option->val);
  }
  return conninfo;
}

// Splits a name written by migration_file ("a"."b", app.t) into its parts, unquoted.
std::vector<std::string> NameParts(const std::string& name) {
  std::vector<std::string> parts(1);
  bool quoted = false;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    if (c == '"') {
      if (quoted && i + 1 < name.size() && name[i + 1] == '"') {
        parts.back() += '"';
        ++i;
      } else {
        quoted = !quoted;
      }
    } else if (c == '.' && !quoted) {
      parts.emplace_back();
    } else {
      parts.back() += c;
    }
  }
  return parts;
}

// The name with an unqualified one placed in schema (how CREATE TABLE places it).
std::string InSchema(const std::string& name, const std::string& schema) {
  const std::vector<std::string> parts = NameParts(name);
  if (parts.size() >= 2)
    return QuoteIdent(parts[parts.size() - 2]) + "." + QuoteIdent(parts.back());
  return QuoteIdent(schema) + "." + QuoteIdent(parts.back());
}

std::string PatternPart(const std::string& identifier) {
  std::string quoted = "\"";
  for (const char c : identifier) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

std::string UtcStamp() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y%m%dT%H%M%SZ", &utc);
  return text;
}

struct Table {
  std::string schema;
  std::string name;
};

}  // namespace

Backup TakeBackup(PGconn* connection, const std::string& folder, const MigrationFile& file) {
  // The tables, in statement order; those created earlier in the section are skipped.
  Result schema_result = Query(connection, "SELECT current_schema()", {});
  const std::string creation_schema = Cell(schema_result.get(), 0, 0);
  std::set<std::string> created;
  std::vector<std::string> written;
  for (const MigrationStatement& statement : file.up.statements) {
    if (statement.destroys_data)
      for (const std::string& table : statement.touched_tables) {
        if (created.count(InSchema(table, creation_schema)) != 0) continue;
        if (std::find(written.begin(), written.end(), table) == written.end())
          written.push_back(table);
      }
    for (const std::string& table : statement.created_tables)
      created.insert(InSchema(table, creation_schema));
  }
  // Resolved through the search_path; a partitioned table brings its partitions
  // (pg_partition_tree() has no row for a plain table: the table itself is added).
  std::vector<Table> tables;
  Backup backup;
  for (const std::string& name : written) {
    Result rows = Query(connection,
                        "SELECT n.nspname, c.relname, format('%I.%I', n.nspname, c.relname) "
                        "FROM (SELECT relid, level FROM pg_catalog.pg_partition_tree("
                        "pg_catalog.to_regclass($1)) UNION SELECT pg_catalog.to_regclass($1), 0) t "
                        "JOIN pg_catalog.pg_class c ON c.oid = t.relid "
                        "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                        "WHERE c.relkind IN ('r', 'p') ORDER BY t.level, 3",
                        {name.c_str()});
    for (int row = 0; row < PQntuples(rows.get()); ++row) {
      const std::string qualified = Cell(rows.get(), row, 2);
      if (std::find(backup.tables.begin(), backup.tables.end(), qualified) != backup.tables.end())
        continue;
      tables.push_back({Cell(rows.get(), row, 0), Cell(rows.get(), row, 1)});
      backup.tables.push_back(qualified);
    }
  }
  if (tables.empty()) return backup;

  const int server_major = PQserverVersion(connection) / 10000;
  std::vector<std::string> looked_at;
  const std::string pg_dump = FindPgDump(server_major, &looked_at);
  if (pg_dump.empty())
    throw CliError(kExitError,
                   "no pg_dump for PostgreSQL " + std::to_string(server_major) +
                       " found for the backup" +
                       (looked_at.empty() ? std::string()
                                          : " (found: " +
                                                [&] {
                                                  std::string list;
                                                  for (const std::string& item : looked_at)
                                                    list += (list.empty() ? "" : ", ") + item;
                                                  return list;
                                                }() +
                                                ")"),
                   "install the PostgreSQL " + std::to_string(server_major) +
                       " client programs, or put their bin folder first on PATH; nothing of "
                       "the migration was run");
  MakeFolder(folder);
  backup.path = folder + (folder.back() == '/' ? "" : "/") + file.version + "_" + file.name + "-" +
                UtcStamp() + ".dump";
  std::vector<std::string> argv = {
      pg_dump,         "--format=custom", "--file=" + backup.path,
      "--no-password", "--strict-names",  "--dbname=" + ConninfoOf(connection, false)};
  for (const Table& table : tables)
    argv.push_back("--table=" + PatternPart(table.schema) + "." + PatternPart(table.name));
  std::vector<std::string> env;
  if (PQconnectionUsedPassword(connection) && PQpass(connection) != nullptr)
    env.push_back(std::string("PGPASSWORD=") + PQpass(connection));
  const ProgramResult dump = RunProgram(argv, env);
  if (dump.status != 0) {
    unlink(backup.path.c_str());
    throw CliError(kExitError,
                   "pg_dump failed for the backup of " + file.version + "_" + file.name +
                       (dump.status > 0 ? " (exit status " + std::to_string(dump.status) + ")"
                                        : std::string()) +
                       ": " + Trimmed(dump.output),
                   "nothing of the migration was run; fix the problem above (the folder, the "
                   "role's rights to read the tables) or run without --backup");
  }
  const std::string pg_restore = pg_dump.substr(0, pg_dump.size() - 7) + "pg_restore";
  backup.restore_command = ShellQuote(pg_restore) +
                           " --dbname=" + ShellQuote(ConninfoOf(connection, true)) +
                           " --single-transaction --exit-on-error " + ShellQuote(backup.path);
  return backup;
}

Backup TakeBackup(const ConnectionOptions& options, const std::string& folder,
                  const MigrationFile& file) {
  Connection connection = Connect(options);
  return TakeBackup(connection.get(), folder, file);
}

}  // namespace dbopt::cli::migrate
