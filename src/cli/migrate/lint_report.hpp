// `dbopt migrate lint`: what was found in which file and section, and how it is shown.
// Pure (no I/O): the command (lint_command.cpp) reads files and talks to the server; this
// part splits sections, runs the offline rules, renders text and JSON and decides the exit
// status, all unit-tested (test/unit/cli/lint_report_test.cpp).
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "cli/render_text.hpp"
#include "core/migrate/lint.hpp"

namespace dbopt::cli {

// A part of a file to lint on its own: a migration file's `-- dbopt:up` and `-- dbopt:down`
// sections (label "up", "down"), or a plain .sql file whole (label "").
struct LintSection {
  std::string label;
  int first_line = 1;  // the file's line number of the section's first line
  std::string sql;
};

// The sections of a file's content: each marker line (`-- dbopt:up`, `-- dbopt:down`, any
// case, spaces allowed around the words) starts one, ending at the next marker; text before
// the first marker belongs to no section (a header comment). No marker: the whole file.
std::vector<LintSection> SplitLintSections(const std::string& content);

struct LintedSection {
  std::string label;
  std::vector<dbopt::migrate::LintFinding> findings;  // lines in the file's numbering
  bool parsed = true;  // false: a syntax error (error_line, error_message), nothing linted
  int error_line = 0;
  std::string error_message;
};

struct LintedFile {
  std::string path;
  std::vector<LintedSection> sections;
};

// Parses each section of content with libpg_query (lint_convert) and hands the ones that
// parse and hold statements to lint; a section that does not parse gets its error instead.
using SectionLinter = std::function<std::vector<dbopt::migrate::LintFinding>(
    const LintSection&, const std::vector<dbopt::migrate::StatementFacts>&)>;
LintedFile LintContent(const std::string& path, const std::string& content,
                       const SectionLinter& lint);

// Lints each section of content with the offline rules (no schema: tables created earlier
// in the same section count as new and empty, every other table's size is unknown).
LintedFile LintContentOffline(const std::string& path, const std::string& content,
                              const dbopt::migrate::LintOptions& options = {});

// "error" | "warning" | "info" (any case); false if unknown.
bool ParseLintSeverity(const std::string& text, dbopt::migrate::Severity* severity);

struct LintTotals {
  int files = 0;
  int findings = 0;
  int errors = 0, warnings = 0, infos = 0;
  int unparsed_sections = 0;  // sections with a syntax error
  int at_or_above = 0;        // findings at or above the --fail-on severity
};
LintTotals CountLint(const std::vector<LintedFile>& files, dbopt::migrate::Severity fail_on);

// 0 nothing at or above fail_on, 1 findings at or above it, 2 a section did not parse (bad
// input wins: its statements were not linted).
int LintExitStatus(const LintTotals& totals);

// One line per section that did not parse: `file:line (section): message (...)`, for stderr.
std::vector<std::string> LintSyntaxErrors(const std::vector<LintedFile>& files);

// file:line (section): severity [rule-id] message, the safe alternative indented; then a
// summary line (which counts the sections that did not parse; LintSyntaxErrors says where).
std::string RenderLintText(const std::vector<LintedFile>& files, dbopt::migrate::Severity fail_on,
                           bool online, const TextStyle& style);

// {"mode", "fail_on", "files_checked", "summary": {...}, "findings": [{"file", "section",
// "line", "statement", "rule_id", "severity", "object", "message", "explanation",
// "safe_alternative"}...], "errors": [{"file", "section", "line", "message"}...]}
std::string RenderLintJson(const std::vector<LintedFile>& files, dbopt::migrate::Severity fail_on,
                           bool online);

// The rule list for `dbopt help migrate`: "  rule-id (default severity): what it flags".
std::string LintRulesHelp();

}  // namespace dbopt::cli
