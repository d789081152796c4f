// `dbopt migrate new NAME`: an empty migration file with both sections, named with the next
// version (the UTC time, or later than every file already in the folder).
#include "cli/migrate/migrate_new.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <memory>

#include "cli/exit_codes.hpp"
#include "cli/migrate/migrate_command.hpp"
#include "cli/migrate/migration_file.hpp"
#include "core/common/sql_text.hpp"

namespace dbopt::cli {
namespace migrate {
namespace {

// "123" + 1 = "124", "199" + 1 = "200", "999" + 1 = "1000" (any length).
std::string Increment(std::string digits) {
  for (size_t i = digits.size(); i-- > 0;) {
    if (digits[i] != '9') {
      ++digits[i];
      return digits;
    }
    digits[i] = '0';
  }
  return "1" + digits;
}

}  // namespace

std::string UtcVersion(std::time_t now) {
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y%m%d%H%M%S", &utc);
  return text;
}

std::string NextVersion(const std::string& now_version, const std::vector<std::string>& existing) {
  std::string latest;
  for (const std::string& version : existing)
    if (latest.empty() || CompareVersions(version, latest) > 0) latest = version;
  if (latest.empty() || CompareVersions(now_version, latest) > 0) return now_version;
  // The clock is behind the folder: one more than the latest version's first number.
  std::string first = latest.substr(0, latest.find('.'));
  first.erase(0, std::min(first.find_first_not_of('0'), first.size()));
  return Increment(first.empty() ? "0" : first);
}

void CheckMigrationName(const std::string& name) {
  bool valid = !name.empty() && name.size() <= 200;
  for (const char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) valid = false;
  if (!valid)
    throw CliError(kExitUsage, "invalid migration name \"" + name + "\"",
                   "use lower-case letters, digits and underscores (at most 200), e.g. "
                   "add_invoice_total");
}

std::vector<std::string> FolderVersions(const std::string& folder) {
  std::vector<std::string> versions;
  std::unique_ptr<DIR, int (*)(DIR*)> dir(opendir(folder.c_str()), closedir);
  if (dir == nullptr) return versions;
  while (const dirent* entry = readdir(dir.get())) {
    const std::string name = entry->d_name;
    const size_t underscore = name.find('_');
    if (underscore == std::string::npos || name.size() < 5 ||
        name.compare(name.size() - 4, 4, ".sql") != 0)
      continue;
    const std::string version = name.substr(0, underscore);
    if (version.find_first_not_of("0123456789.") == std::string::npos &&
        version.find_first_of("0123456789") != std::string::npos)
      versions.push_back(version);
  }
  return versions;
}

void MakeFolder(const std::string& folder) {
  // mkdir -p: every prefix ending at a '/', then the folder itself.
  for (size_t slash = folder.find('/', 1);; slash = folder.find('/', slash + 1)) {
    const std::string prefix = folder.substr(0, slash);
    if (!prefix.empty() && mkdir(prefix.c_str(), 0777) != 0 && errno != EEXIST)
      throw CliError(kExitError,
                     "cannot create the folder \"" + prefix + "\": " + std::strerror(errno));
    if (slash == std::string::npos) break;
  }
  struct stat info {};
  if (stat(folder.c_str(), &info) != 0 || !S_ISDIR(info.st_mode))
    throw CliError(kExitError, "\"" + folder + "\" is not a folder");
}

std::string WriteNewFile(const std::string& folder, const std::string& file_name,
                         const std::string& content) {
  MakeFolder(folder);
  const std::string path = folder + (folder.back() == '/' ? "" : "/") + file_name;
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0666);
  if (fd < 0) {
    if (errno == EEXIST)
      throw CliError(kExitUsage, path + " already exists: not overwritten",
                     "pick another name, or remove the file first");
    throw CliError(kExitError, "cannot write " + path + ": " + std::strerror(errno));
  }
  size_t written = 0;
  while (written < content.size()) {
    const ssize_t n = write(fd, content.data() + written, content.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const std::string reason = std::strerror(errno);
      close(fd);
      unlink(path.c_str());
      throw CliError(kExitError, "cannot write " + path + ": " + reason);
    }
    written += static_cast<size_t>(n);
  }
  if (close(fd) != 0) {
    const std::string reason = std::strerror(errno);
    unlink(path.c_str());
    throw CliError(kExitError, "cannot write " + path + ": " + reason);
  }
  return path;
}

void PrintWritten(const MigrateOptions& options, const std::string& path,
                  const std::string& version, const std::string& name) {
  if (options.format == OutputFormat::kJson) {
    JsonWriter json;
    json.BeginObject().Field("path", path).Field("version", version).Field("name", name);
    std::printf("%s\n", json.EndObject().str().c_str());
  } else {
    std::printf("%s\n", path.c_str());
  }
}

}  // namespace migrate

int RunMigrateNew(const MigrateOptions& options) {
  if (options.arguments.size() != 1)
    throw CliError(kExitUsage,
                   options.arguments.empty() ? "dbopt migrate new needs a NAME"
                                             : "dbopt migrate new takes one NAME",
                   "dbopt migrate new add_invoice_total [--dir FOLDER]");
  const std::string& name = options.arguments[0];
  migrate::CheckMigrationName(name);
  const std::string version = migrate::NextVersion(migrate::UtcVersion(std::time(nullptr)),
                                                   migrate::FolderVersions(options.directory));
  const std::string content =
      "-- " + name +
      ": say what this migration changes and why.\n"
      "-- The up section runs in one transaction (statements that cannot, such as\n"
      "-- CREATE INDEX CONCURRENTLY, run one by one outside it); the down section undoes it.\n"
      "-- No BEGIN or COMMIT: dbopt owns the transactions. docs/migrations.md\n"
      "\n"
      "-- dbopt:up\n"
      "\n"
      "\n"
      "-- dbopt:down\n"
      "\n";
  const std::string path =
      migrate::WriteNewFile(options.directory, version + "_" + name + ".sql", content);
  migrate::PrintWritten(options, path, version, name);
  return kExitOk;
}

}  // namespace dbopt::cli
