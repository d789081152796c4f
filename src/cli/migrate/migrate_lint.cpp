// `dbopt migrate lint [FILE|DIR ...]`: reads the files, lints each section offline (libpg_query
// and the core's rules) or, with --online, with the server's dbopt_lint_sql() and its live
// schema, and prints the report (lint_report.hpp). docs/migrations.md, "Linting migrations".
#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include "cli/cancel.hpp"
#include "cli/connection.hpp"
#include "cli/exit_codes.hpp"
#include "cli/health_query.hpp"
#include "cli/migrate/lint_report.hpp"
#include "cli/migrate/migrate_command.hpp"
#include "cli/migrate/migration_file.hpp"
#include "cli/terminal.hpp"

namespace dbopt::cli {
namespace {

using dbopt::migrate::LintFinding;
using dbopt::migrate::Severity;

bool IsDirectory(const std::string& path) {
  struct stat info;
  return stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode);
}

bool EndsWith(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The *.sql files directly in folder, by name.
std::vector<std::string> SqlFilesIn(const std::string& folder) {
  DIR* dir = opendir(folder.c_str());
  if (dir == nullptr) {
    throw CliError(kExitUsage, "cannot read folder \"" + folder + "\": " + std::strerror(errno));
  }
  std::vector<std::string> names;
  while (const dirent* entry = readdir(dir)) {
    const std::string name = entry->d_name;
    if (EndsWith(name, ".sql") && !IsDirectory(folder + "/" + name)) names.push_back(name);
  }
  closedir(dir);
  std::sort(names.begin(), names.end());
  std::vector<std::string> paths;
  const std::string prefix = EndsWith(folder, "/") ? folder : folder + "/";
  for (const std::string& name : names) paths.push_back(prefix + name);
  return paths;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw CliError(kExitUsage, "cannot read \"" + path + "\": " + std::strerror(errno));
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

// Every file to lint: the arguments (files, or folders of *.sql), else the --dir folder.
std::vector<std::string> FilesToLint(const MigrateOptions& options) {
  std::vector<std::string> arguments = options.arguments;
  if (arguments.empty()) arguments.push_back(options.directory);
  std::vector<std::string> files;
  for (const std::string& argument : arguments) {
    if (IsDirectory(argument)) {
      const std::vector<std::string> found = SqlFilesIn(argument);
      files.insert(files.end(), found.begin(), found.end());
    } else {
      files.push_back(argument);
    }
  }
  return files;
}

// Whether `dbopt migrate up` / `down` runs this section of a migration file as one
// transaction (it has statements and none needs autocommit: migrate_steps.hpp), so that the
// in-transaction rules apply (CONCURRENTLY fails, SET LOCAL lasts to the end). A plain file
// (no section markers) is linted as written.
bool RunsAsOneTransaction(const std::string& path, const LintSection& section) {
  if (section.label.empty()) return false;
  try {
    const migrate::MigrationSection parsed =
        migrate::ReadMigrationSection(path, section.first_line, section.sql);
    if (parsed.statements.empty()) return false;
    for (const migrate::MigrationStatement& statement : parsed.statements)
      if (statement.needs_autocommit) return false;
    return true;
  } catch (const CliError&) {
    return false;  // BEGIN / COMMIT in a section: the runner refuses it; lint it as written
  }
}

// The server's findings for one section; lines counted from the section's first line.
std::vector<LintFinding> LintOnline(PGconn* connection, const std::string& schema,
                                    const LintSection& section, bool single_transaction) {
  Result result = Query(connection,
                        "SELECT /* dbopt cli */ * FROM " + schema +
                            ".dbopt_lint_sql($1::pg_catalog.text, single_transaction => "
                            "$2::pg_catalog.bool)",
                        {section.sql.c_str(), single_transaction ? "true" : "false"});
  const PGresult* rows = result.get();
  const auto column = [&](const char* name) { return PQfnumber(rows, name); };
  const int line = column("line"), statement = column("statement_number"), rule = column("rule_id"),
            severity = column("severity"), object = column("object_name"),
            message = column("message"), explanation = column("explanation"),
            alternative = column("safe_alternative");
  const auto text = [&](int row, int col) {
    return col < 0 ? std::string() : Cell(rows, row, col);
  };
  std::vector<LintFinding> findings;
  for (int row = 0; row < PQntuples(rows); ++row) {
    LintFinding finding;
    finding.line =
        section.first_line - 1 + static_cast<int>(line < 0 ? 1 : IntegerCell(rows, row, line));
    finding.statement_number =
        statement < 0 ? 0 : static_cast<int>(IntegerCell(rows, row, statement));
    finding.rule_id = text(row, rule);
    if (!ParseLintSeverity(text(row, severity), &finding.severity)) {
      finding.severity = Severity::kInfo;  // a newer server's level: shown, never dropped
    }
    finding.object_name = text(row, object);
    finding.message = text(row, message);
    finding.explanation = text(row, explanation);
    finding.safe_alternative = text(row, alternative);
    findings.push_back(std::move(finding));
  }
  return findings;
}

}  // namespace

int RunMigrateLint(const MigrateOptions& options) {
  Severity fail_on = Severity::kError;
  if (!ParseLintSeverity(options.fail_on, &fail_on)) {
    throw UsageError("invalid value \"" + options.fail_on +
                     "\" for --fail-on (expected error, warning or info)");
  }
  const std::vector<std::string> paths = FilesToLint(options);
  std::vector<std::pair<std::string, std::string>> contents;  // path, content
  for (const std::string& path : paths) contents.emplace_back(path, ReadFile(path));

  std::vector<LintedFile> files;
  if (!options.online) {
    for (const auto& [path, content] : contents) {
      files.push_back(
          LintContent(path, content,
                      [&](const LintSection& section,
                          const std::vector<dbopt::migrate::StatementFacts>& statements) {
                        dbopt::migrate::LintOptions lint_options;
                        lint_options.single_transaction = RunsAsOneTransaction(path, section);
                        return dbopt::migrate::Lint(statements, nullptr, lint_options);
                      }));
    }
  } else {
    Connection connection = Connect(options.connection);
    const std::string schema =
        QuotedIdentifier(connection.get(), ExtensionSchema(connection.get()));
    const CancelOnInterrupt cancel_on_interrupt(connection.get());
    // Parsed locally first too: a syntax error is reported as offline, with the file's line.
    for (const auto& [path, content] : contents) {
      files.push_back(LintContent(
          path, content,
          [&](const LintSection& section, const std::vector<dbopt::migrate::StatementFacts>&) {
            return LintOnline(connection.get(), schema, section,
                              RunsAsOneTransaction(path, section));
          }));
    }
  }

  const std::string out =
      options.format == OutputFormat::kJson
          ? RenderLintJson(files, fail_on, options.online)
          : RenderLintText(files, fail_on, options.online, StdoutTextStyle(options.color));
  WriteStdout(out);
  for (const std::string& error : LintSyntaxErrors(files)) {
    std::fprintf(stderr, "dbopt: error: %s\n", error.c_str());
  }
  return LintExitStatus(CountLint(files, fail_on));
}

}  // namespace dbopt::cli
