#include "cli/migrate/book_report.hpp"

#include <cstdint>

#include "cli/terminal.hpp"
#include "cli/text_layout.hpp"
#include "core/common/sql_text.hpp"

namespace dbopt::cli::migrate {
namespace {

constexpr const char* kGreen = "\033[32m";
constexpr const char* kYellow = "\033[33m";
constexpr const char* kRed = "\033[1;31m";
constexpr const char* kCyan = "\033[36m";
constexpr const char* kDim = "\033[2m";

const char* StateColor(const std::string& state) {
  if (state == "applied" || state == "baseline") return kGreen;
  if (state == "pending") return kCyan;
  if (state == "failed") return kRed;
  if (state == "running") return kYellow;
  return kDim;
}

const Problem* FindProblem(const MigrationState& migration, const char* check_id) {
  for (const Problem& problem : migration.problems)
    if (problem.check_id == check_id) return &problem;
  return nullptr;
}

std::string Plural(size_t count, const std::string& one, const std::string& many) {
  return std::to_string(count) + " " + (count == 1 ? one : many);
}

size_t DriftCount(const BookReport& report) {
  size_t drift = 0;
  for (const Problem& problem : report.problems) drift += problem.check_id == "schema_drift";
  return drift;
}

std::string Where(const BookReport& report) {
  return "database \"" + report.database + "\", folder \"" + report.directory + "\"";
}

std::string TrimRight(std::string line) {
  while (!line.empty() && line.back() == ' ') line.pop_back();
  return line;
}

constexpr const char* kDriftOff =
    "schema drift: not recorded (drift detection is off; a superuser turns it on with "
    "SELECT dbopt_drift_detection(true);)";

void AppendWrapped(std::string& out, const std::string& text, size_t width,
                   const std::string& indent = "") {
  const size_t usable = width > indent.size() + 20 ? width - indent.size() : 0;
  for (const std::string& line : WrapText(text, usable)) out += indent + line + "\n";
}

// The keys both json formats start with.
void BeginJson(JsonWriter& json, const BookReport& report) {
  json.BeginObject().Field("database", report.database).Field("directory", report.directory);
}

void ProblemJson(JsonWriter& json, const Problem& problem) {
  json.BeginObject().Field("check_id", problem.check_id);
  json.Key("version").StringOrNull(problem.version);
  json.Key("name").StringOrNull(problem.name);
  json.Field("message", problem.message).Field("fix", problem.fix).Key("detail");
  if (problem.detail_json.empty())
    json.Null();
  else
    json.Raw(problem.detail_json);
  json.EndObject();
}

// One element per line, so that a diff or grep of the output stays readable.
template <typename T, typename Write>
std::string JsonLines(const std::vector<T>& items, Write write) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) {
    JsonWriter item;
    write(item, items[i]);
    out += (i == 0 ? "\n  " : ",\n  ") + item.str();
  }
  return out + (items.empty() ? "]" : "\n]");
}

}  // namespace

std::string MigrationState::State() const {
  if (FindProblem(*this, "pending") || FindProblem(*this, "out_of_order")) return "pending";
  if (in_history) return history.status;
  return "covered";
}

std::string MigrationState::Note() const {
  std::vector<std::string> notes;
  if (FindProblem(*this, "out_of_order")) notes.push_back("out of order: below the newest applied");
  if (in_history && history.status == "rolled_back")
    notes.push_back("rolled back " + history.applied_at);
  if (FindProblem(*this, "checksum_changed")) notes.push_back("file changed since it was applied");
  if (FindProblem(*this, "missing_file")) notes.push_back("file missing");
  if (in_history && history.status == "failed")
    notes.push_back("failed: " + (history.error.empty() ? "no error recorded" : history.error));
  if (in_history && history.status == "running")
    notes.push_back(std::to_string(history.statements_done) + " of " +
                    std::to_string(history.statements_total) +
                    " statements done: running, or interrupted");
  if (in_history && history.down_statements_done >= 0)
    notes.push_back("revert: " + std::to_string(history.down_statements_done) +
                    " down statements done: reverting, or interrupted");
  if (!in_history && State() == "covered") notes.push_back("covered by the baseline");
  if (!history.backup.empty()) notes.push_back("backup: " + history.backup);
  std::string note;
  for (const std::string& part : notes) note += (note.empty() ? "" : "; ") + part;
  return note;
}

std::string FilesJson(const std::vector<BookFile>& files) {
  JsonWriter json;
  json.BeginArray();
  for (const BookFile& file : files) {
    json.BeginObject().Field("version", file.version).Field("name", file.name);
    json.Key("checksum").StringOrNull(file.checksum);
    json.EndObject();
  }
  json.EndArray();
  return json.str();
}

void MergeMigrations(BookReport& report, const std::vector<BookFile>& files,
                     const std::vector<HistoryRow>& history,
                     int (*compare)(const std::string&, const std::string&)) {
  report.file_count = files.size();
  report.migrations.clear();
  size_t f = 0, h = 0;
  while (f < files.size() || h < history.size()) {
    MigrationState migration;
    const int order = f == files.size()     ? 1
                      : h == history.size() ? -1
                                            : compare(files[f].version, history[h].version);
    if (order >= 0) {
      migration.in_history = true;
      migration.history = history[h++];
      migration.version = migration.history.version;
      migration.name = migration.history.name;
    }
    if (order <= 0) {
      migration.has_file = true;
      if (!migration.in_history) {
        migration.version = files[f].version;
        migration.name = files[f].name;
      }
      ++f;
    }
    report.migrations.push_back(std::move(migration));
  }
  for (const Problem& problem : report.problems) {
    if (problem.version.empty()) continue;
    for (MigrationState& migration : report.migrations)
      if (compare(migration.version, problem.version) == 0) {
        migration.problems.push_back(problem);
        break;
      }
  }
}

std::string RenderStatusText(const BookReport& report, const TextStyle& style) {
  size_t counts[6] = {};
  static const char* const kCounted[] = {"applied", "pending",  "failed",
                                         "running", "baseline", "rolled_back"};
  for (const MigrationState& migration : report.migrations)
    for (size_t i = 0; i < 6; ++i) counts[i] += migration.State() == kCounted[i];

  std::string header = "dbopt migrate status: " + Where(report) + ": ";
  if (report.migrations.empty()) {
    header += "no migrations (no files, no history)";
  } else {
    std::string summary;
    for (size_t i = 0; i < 6; ++i)
      if (counts[i] > 0)
        summary += (summary.empty() ? "" : ", ") + std::to_string(counts[i]) + " " +
                   (i == 5 ? std::string("rolled back") : std::string(kCounted[i]));
    header +=
        summary.empty() ? Plural(report.migrations.size(), "migration", "migrations") : summary;
  }
  std::string out;
  AppendWrapped(out, header, style.width);

  if (!report.migrations.empty()) {
    const std::vector<AlignedColumn> columns = {{"version", false},
                                                {"name", false},
                                                {"state", false},
                                                {"applied at", false},
                                                {"note", false}};
    std::vector<std::vector<std::string>> rows;
    for (const MigrationState& migration : report.migrations) {
      const bool applied_now = migration.in_history && migration.State() != "pending";
      rows.push_back({migration.version, migration.name, migration.State(),
                      applied_now ? migration.history.applied_at : "", migration.Note()});
    }
    const std::vector<size_t> widths = AlignedWidths(columns, rows);
    out += "\n" +
           Paint(JoinAligned("  ", columns, widths, AlignedHeaders(columns)), kBold, style.color) +
           "\n";
    for (size_t i = 0; i < rows.size(); ++i) {
      std::vector<std::string> cells = rows[i];
      std::string line = JoinAligned("  ", columns, widths, cells);
      if (style.color) {
        // Color the state cell only: pad it first so the columns stay aligned.
        const std::string state = report.migrations[i].State();
        cells[2] = Paint(state, StateColor(state), true) +
                   std::string(widths[2] > state.size() ? widths[2] - state.size() : 0, ' ');
        std::vector<size_t> painted = widths;
        painted[2] = 0;
        line = JoinAligned("  ", columns, painted, cells);
      }
      out += TrimRight(line) + "\n";
    }
  }

  out += "\n";
  const size_t drift = DriftCount(report);
  if (!report.drift_detection && drift == 0)
    AppendWrapped(out, kDriftOff, style.width);
  else if (drift == 0)
    AppendWrapped(out, "schema drift: none recorded", style.width);
  else
    AppendWrapped(out,
                  "schema drift: " + Plural(drift, "statement", "statements") +
                      " changed the schema outside a migration (dbopt migrate verify lists them)",
                  style.width);
  if (report.problems.size() > drift + counts[1])
    AppendWrapped(out, "dbopt migrate verify explains the notes and how to settle them",
                  style.width);
  return out;
}

std::string RenderStatusJson(const BookReport& report) {
  JsonWriter json;
  BeginJson(json, report);
  json.Field("drift_detection", report.drift_detection);
  const std::string migrations =
      JsonLines(report.migrations, [](JsonWriter& m, const MigrationState& migration) {
        m.BeginObject()
            .Field("version", migration.version)
            .Field("name", migration.name)
            .Field("state", migration.State())
            .Field("file", migration.has_file);
        const HistoryRow& h = migration.history;
        const bool in = migration.in_history;
        m.Key("kind").StringOrNull(in ? h.kind : "");
        m.Key("status").StringOrNull(in ? h.status : "");
        m.Key("applied_at").StringOrNull(in ? h.applied_at_iso : "");
        m.Key("applied_by").StringOrNull(in ? h.applied_by : "");
        m.Key("duration_ms");
        if (in && h.has_duration)
          m.Number(h.duration_ms);
        else
          m.Null();
        m.Key("statements_done");
        if (in)
          m.Integer(h.statements_done);
        else
          m.Null();
        m.Key("statements_total");
        if (in)
          m.Integer(h.statements_total);
        else
          m.Null();
        m.Key("error").StringOrNull(in ? h.error : "");
        m.Key("backup").StringOrNull(in ? h.backup : "");
        m.Key("note").StringOrNull(migration.Note());
        m.Key("problems").BeginArray();
        for (const Problem& problem : migration.problems) m.String(problem.check_id);
        m.EndArray().EndObject();
      });
  json.Key("migrations").Raw(migrations);
  json.Key("schema_drift").Integer(static_cast<std::int64_t>(DriftCount(report)));
  json.EndObject();
  return json.str() + "\n";
}

std::string RenderVerifyText(const BookReport& report, const TextStyle& style) {
  std::string out;
  const std::string files = Plural(report.file_count, "file", "files");
  if (report.problems.empty()) {
    AppendWrapped(out,
                  "dbopt migrate verify: " + Where(report) + " (" + files +
                      "): files, history and schema agree",
                  style.width);
    if (!report.drift_detection) AppendWrapped(out, kDriftOff, style.width);
    return out;
  }
  AppendWrapped(out,
                "dbopt migrate verify: " + Where(report) + " (" + files +
                    "): " + Plural(report.problems.size(), "difference", "differences"),
                style.width);
  size_t id_width = 0;
  for (const Problem& problem : report.problems)
    id_width = std::max(id_width, problem.check_id.size());
  const std::string indent(2 + id_width + 2, ' ');
  for (const Problem& problem : report.problems) {
    out += "\n";
    const char* color = problem.check_id == "failed"    ? kRed
                        : problem.check_id == "pending" ? kCyan
                                                        : kYellow;
    std::vector<std::string> message = WrapText(
        problem.message, style.width > indent.size() + 20 ? style.width - indent.size() : 0);
    for (size_t i = 0; i < message.size(); ++i) {
      if (i == 0)
        out += "  " + Paint(problem.check_id, color, style.color) +
               std::string(id_width - problem.check_id.size() + 2, ' ') + message[i] + "\n";
      else
        out += indent + message[i] + "\n";
    }
    AppendWrapped(out, "fix: " + problem.fix, style.width, indent);
  }
  if (!report.drift_detection) {
    out += "\n";
    AppendWrapped(out, kDriftOff, style.width);
  }
  return out;
}

std::string RenderVerifyJson(const BookReport& report) {
  JsonWriter json;
  BeginJson(json, report);
  json.Field("files", static_cast<std::int64_t>(report.file_count))
      .Field("drift_detection", report.drift_detection)
      .Field("agree", report.problems.empty());
  json.Key("problems").Raw(JsonLines(report.problems, [](JsonWriter& p, const Problem& problem) {
    ProblemJson(p, problem);
  }));
  json.EndObject();
  return json.str() + "\n";
}

}  // namespace dbopt::cli::migrate
