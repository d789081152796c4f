#include "cli/migrate/lint_report.hpp"

#include <cctype>

#include "cli/exit_codes.hpp"
#include "cli/migrate/lint_convert.hpp"
#include "cli/terminal.hpp"
#include "core/common/sql_text.hpp"

namespace dbopt::cli {
namespace {

using dbopt::migrate::LintFinding;
using dbopt::migrate::Severity;

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// "up" or "down" when line is a section marker ("-- dbopt:up", "--DBOPT: Down  "), else "".
std::string MarkerLabel(const std::string& line) {
  std::string squeezed;  // lower case, without blanks
  for (char c : line) {
    if (c != ' ' && c != '\t' && c != '\r') {
      squeezed += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  if (squeezed == "--dbopt:up") return "up";
  if (squeezed == "--dbopt:down") return "down";
  return "";
}

std::string Where(const std::string& path, int line, const std::string& label) {
  return path + ":" + std::to_string(line) + (label.empty() ? "" : " (" + label + ")");
}

std::string Plural(int count, const char* noun) {
  return std::to_string(count) + " " + noun + (count == 1 ? "" : "s");
}

}  // namespace

std::vector<LintSection> SplitLintSections(const std::string& content) {
  std::vector<LintSection> sections;
  size_t pos = 0;
  int line = 1;
  bool any_marker = false;
  while (pos <= content.size()) {
    size_t end = content.find('\n', pos);
    if (end == std::string::npos) end = content.size();
    const std::string text = content.substr(pos, end - pos);
    const std::string label = MarkerLabel(text);
    if (!label.empty()) {
      any_marker = true;
      // The marker line itself stays in the section (as an empty line) so that lines count
      // from the file's start.
      sections.push_back(LintSection{label, line, ""});
    } else if (!sections.empty()) {
      sections.back().sql += text;
    }
    if (!sections.empty()) sections.back().sql += "\n";
    if (end == content.size()) break;
    pos = end + 1;
    ++line;
  }
  if (!any_marker) return {LintSection{"", 1, content}};
  return sections;
}

LintedFile LintContent(const std::string& path, const std::string& content,
                       const SectionLinter& lint) {
  LintedFile file;
  file.path = path;
  for (const LintSection& section : SplitLintSections(content)) {
    LintedSection linted;
    linted.label = section.label;
    const ConvertedSql converted = ConvertSqlToFacts(section.sql, section.first_line);
    if (!converted.ok) {
      linted.parsed = false;
      linted.error_line = converted.error_line;
      linted.error_message = converted.error_message;
    } else if (!converted.statements.empty()) {
      linted.findings = lint(section, converted.statements);
    }
    file.sections.push_back(std::move(linted));
  }
  return file;
}

LintedFile LintContentOffline(const std::string& path, const std::string& content,
                              const dbopt::migrate::LintOptions& options) {
  return LintContent(path, content,
                     [&](const LintSection&, const std::vector<dbopt::migrate::StatementFacts>& s) {
                       return dbopt::migrate::Lint(s, nullptr, options);
                     });
}

std::string LintRulesHelp() {
  std::string out =
      "\nLint rules (severity offline; --online grades by table size, docs/migrations.md):\n";
  for (const dbopt::migrate::RuleInfo& rule : dbopt::migrate::Rules()) {
    out += "  " + std::string(rule.id) + " (" +
           dbopt::migrate::SeverityName(rule.default_severity) + "): " + rule.summary + "\n";
  }
  return out;
}

std::vector<std::string> LintSyntaxErrors(const std::vector<LintedFile>& files) {
  std::vector<std::string> errors;
  for (const LintedFile& file : files) {
    for (const LintedSection& section : file.sections) {
      if (section.parsed) continue;
      errors.push_back(Where(file.path, section.error_line, section.label) + ": " +
                       section.error_message + " (nothing in this section was linted)");
    }
  }
  return errors;
}

bool ParseLintSeverity(const std::string& text, Severity* severity) {
  const std::string lower = Lower(text);
  if (lower == "error") {
    *severity = Severity::kError;
  } else if (lower == "warning") {
    *severity = Severity::kWarning;
  } else if (lower == "info") {
    *severity = Severity::kInfo;
  } else {
    return false;
  }
  return true;
}

LintTotals CountLint(const std::vector<LintedFile>& files, Severity fail_on) {
  LintTotals totals;
  totals.files = static_cast<int>(files.size());
  for (const LintedFile& file : files) {
    for (const LintedSection& section : file.sections) {
      if (!section.parsed) ++totals.unparsed_sections;
      for (const LintFinding& finding : section.findings) {
        ++totals.findings;
        if (finding.severity == Severity::kError) ++totals.errors;
        if (finding.severity == Severity::kWarning) ++totals.warnings;
        if (finding.severity == Severity::kInfo) ++totals.infos;
        if (static_cast<int>(finding.severity) >= static_cast<int>(fail_on)) ++totals.at_or_above;
      }
    }
  }
  return totals;
}

int LintExitStatus(const LintTotals& totals) {
  if (totals.unparsed_sections > 0) return kExitUsage;
  return totals.at_or_above > 0 ? kExitFindings : kExitOk;
}

std::string RenderLintText(const std::vector<LintedFile>& files, Severity fail_on, bool online,
                           const TextStyle& style) {
  std::string out;
  for (const LintedFile& file : files) {
    for (const LintedSection& section : file.sections) {
      for (const LintFinding& finding : section.findings) {
        out += Paint(Where(file.path, finding.line, section.label), kBold, style.color) + ": " +
               Paint(dbopt::migrate::SeverityName(finding.severity),
                     SeverityColor(finding.severity), style.color) +
               " [" + finding.rule_id + "] " + finding.message + "\n";
        if (!finding.safe_alternative.empty()) {
          out += "  safe alternative:\n";
          size_t pos = 0;
          const std::string& text = finding.safe_alternative;
          while (pos < text.size()) {
            size_t end = text.find('\n', pos);
            if (end == std::string::npos) end = text.size();
            out += "    " + text.substr(pos, end - pos) + "\n";
            pos = end + 1;
          }
        }
      }
    }
  }
  const LintTotals totals = CountLint(files, fail_on);
  if (!out.empty()) out += "\n";
  out += "dbopt migrate lint" + std::string(online ? " --online" : "") + ": ";
  if (totals.findings == 0) {
    out += "no findings in " + Plural(totals.files, "file");
  } else {
    out += Plural(totals.findings, "finding") + " in " + Plural(totals.files, "file") + " (" +
           std::to_string(totals.errors) + " error, " + std::to_string(totals.warnings) +
           " warning, " + std::to_string(totals.infos) + " info; " +
           std::to_string(totals.at_or_above) + " at or above " +
           dbopt::migrate::SeverityName(fail_on) + ")";
  }
  if (totals.unparsed_sections > 0) {
    out += "; " + Plural(totals.unparsed_sections, "section") + " did not parse";
  }
  return out + "\n";
}

std::string RenderLintJson(const std::vector<LintedFile>& files, Severity fail_on, bool online) {
  const LintTotals totals = CountLint(files, fail_on);
  JsonWriter head;
  head.BeginObject();
  head.Field("findings", totals.findings);
  head.Field("error", totals.errors);
  head.Field("warning", totals.warnings);
  head.Field("info", totals.infos);
  head.Field("at_or_above_fail_on", totals.at_or_above);
  head.Field("syntax_errors", totals.unparsed_sections);
  head.EndObject();
  // One finding (and one error) per line, so that grep and diff work on the output too.
  std::vector<std::string> findings;
  std::vector<std::string> errors;
  for (const LintedFile& file : files) {
    for (const LintedSection& section : file.sections) {
      for (const LintFinding& finding : section.findings) {
        JsonWriter json;
        json.BeginObject();
        json.Field("file", file.path);
        json.Key("section").StringOrNull(section.label);
        json.Field("line", finding.line);
        json.Field("statement", finding.statement_number);
        json.Field("rule_id", finding.rule_id);
        json.Field("severity", dbopt::migrate::SeverityName(finding.severity));
        json.Key("object").StringOrNull(finding.object_name);
        json.Field("message", finding.message);
        json.Field("explanation", finding.explanation);
        json.Key("safe_alternative").StringOrNull(finding.safe_alternative);
        json.EndObject();
        findings.push_back(json.str());
      }
      if (!section.parsed) {
        JsonWriter json;
        json.BeginObject();
        json.Field("file", file.path);
        json.Key("section").StringOrNull(section.label);
        json.Field("line", section.error_line);
        json.Field("message", section.error_message);
        json.EndObject();
        errors.push_back(json.str());
      }
    }
  }
  const auto list = [](const std::vector<std::string>& items) {
    if (items.empty()) return std::string("[]");
    std::string out = "[\n";
    for (size_t i = 0; i < items.size(); ++i) {
      out += "  " + items[i] + (i + 1 < items.size() ? ",\n" : "\n");
    }
    return out + "]";
  };
  return std::string("{\"mode\": \"") + (online ? "online" : "offline") + "\", \"fail_on\": \"" +
         dbopt::migrate::SeverityName(fail_on) +
         "\", \"files_checked\": " + std::to_string(totals.files) + ", \"summary\": " + head.str() +
         ",\n\"findings\": " + list(findings) + ",\n\"errors\": " + list(errors) + "}\n";
}

}  // namespace dbopt::cli
