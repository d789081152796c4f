// `dbopt migrate new` and `from-findings` share these: versions for new files, the name rule,
// and writing a file that must not exist yet.
#pragma once
#include <ctime>
#include <string>
#include <vector>

#include "cli/args.hpp"

namespace dbopt::cli::migrate {

// YYYYMMDDHHMMSS of a time, in UTC.
std::string UtcVersion(std::time_t now);

// now_version, unless a version of the folder is as late or later (the clock is behind, or a
// file was written by hand): then one more than the latest version's first number.
std::string NextVersion(const std::string& now_version, const std::vector<std::string>& existing);

// Lower-case letters, digits and underscores, 1 to 200 of them; else CliError(kExitUsage).
void CheckMigrationName(const std::string& name);

// The versions of the VERSION_NAME.sql files of a folder (none if it does not exist).
std::vector<std::string> FolderVersions(const std::string& folder);

// mkdir -p; CliError(kExitError) when it cannot.
void MakeFolder(const std::string& folder);

// Creates the folder (and its parents) when absent and writes FOLDER/FILE_NAME, refusing to
// overwrite (CliError kExitUsage); returns the path written.
std::string WriteNewFile(const std::string& folder, const std::string& file_name,
                         const std::string& content);

// The path (text) or {"path", "version", "name"} (json) on stdout.
void PrintWritten(const MigrateOptions& options, const std::string& path,
                  const std::string& version, const std::string& name);

}  // namespace dbopt::cli::migrate
