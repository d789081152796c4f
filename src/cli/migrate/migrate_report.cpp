#include "cli/migrate/migrate_report.hpp"

#include <cstdio>

#include "core/common/sql_text.hpp"

namespace dbopt::cli::migrate {
namespace {

std::string Plural(size_t count, const char* one, const char* many) {
  return std::to_string(count) + " " + (count == 1 ? one : many);
}

const char* Verb(const std::string& command) {
  if (command == "up") return "applied";
  if (command == "down") return "reverted";
  if (command == "baseline") return "recorded as baseline";
  return "settled";
}

}  // namespace

std::string FormatDuration(double ms) {
  char text[32];
  if (ms < 1000)
    std::snprintf(text, sizeof text, "%.0f ms", ms);
  else
    std::snprintf(text, sizeof text, "%.1f s", ms / 1000);
  return text;
}

std::string RenderRunText(const RunReport& report) {
  std::string out;
  const std::string database = "database \"" + report.database + "\"";
  if (report.dry_run) {
    out += "dry run of dbopt migrate " + report.command + " on " + database +
           " (rolled back: nothing changed, nothing recorded)\n";
  } else if (report.migrations.empty()) {
    out += report.command == "repair" ? "nothing to repair in " + database + "\n"
                                      : "nothing to do: " + database + " is up to date\n";
    return out;
  } else {
    size_t done = 0;
    for (const MigrationReport& m : report.migrations)
      if (m.status != "failed") ++done;
    out += Plural(done, "migration", "migrations") + " " + Verb(report.command) + " on " + database;
    if (done < report.migrations.size()) out += ", 1 failed";
    out += "\n";
  }
  for (const MigrationReport& m : report.migrations) {
    out += "  " + m.version + "  " + m.name + "  " + m.status;
    if (!m.kind.empty() && m.kind != "baseline") out += " (" + m.kind + ")";
    if (m.status == "applied" || m.status == "reverted" || m.status == "failed" ||
        m.status == "checked")
      out += "  " + FormatDuration(m.duration_ms);
    out += "\n";
    if (m.resumed_from > 0)
      out += "    resumed after statement " + std::to_string(m.resumed_from) + " of " +
             std::to_string(m.statements) + "\n";
    if (!m.backup.empty()) out += "    backup: " + m.backup + "\n";
    for (const std::string& index : m.cleaned_up)
      out += "    dropped invalid index " + index + "\n";
    if (!m.note.empty()) out += "    " + m.note + "\n";
    if (!m.error.empty()) out += "    error: " + m.error + "\n";
    for (const DryRunStatement& s : m.dry_run) {
      if (!s.ran) {
        out += "    " + s.where + ": not run (cannot run in a transaction block)\n";
        continue;
      }
      out += "    " + s.where + ": " + FormatDuration(s.duration_ms);
      if (s.locks.empty()) out += ", no table locks";
      out += "\n";
      for (const auto& lock : s.locks)
        out += "      lock " + lock.second + " on " + lock.first + "\n";
      for (const std::string& table : s.rewritten) out += "      rewrote " + table + "\n";
    }
  }
  return out;
}

std::string RenderRunJson(const RunReport& report) {
  JsonWriter json;
  json.BeginObject()
      .Field("command", report.command)
      .Field("database", report.database)
      .Field("dry_run", report.dry_run)
      .Key("migrations")
      .BeginArray();
  for (const MigrationReport& m : report.migrations) {
    json.BeginObject()
        .Field("version", m.version)
        .Field("name", m.name)
        .Key("kind")
        .StringOrNull(m.kind)
        .Field("status", m.status)
        .Field("duration_ms", m.duration_ms)
        .Field("statements", m.statements)
        .Field("resumed_from", m.resumed_from)
        .Key("backup")
        .StringOrNull(m.backup)
        .Field("cleaned_up", m.cleaned_up)
        .Key("note")
        .StringOrNull(m.note)
        .Key("error");
    if (m.error_json.empty())
      json.Null();
    else
      json.Raw(m.error_json);
    if (report.dry_run) {
      json.Key("statements_checked").BeginArray();
      for (const DryRunStatement& s : m.dry_run) {
        json.BeginObject().Field("where", s.where).Field("ran", s.ran);
        json.Field("duration_ms", s.duration_ms).Key("locks").BeginArray();
        for (const auto& lock : s.locks)
          json.BeginObject().Field("relation", lock.first).Field("mode", lock.second).EndObject();
        json.EndArray().Field("rewritten", s.rewritten).EndObject();
      }
      json.EndArray();
    }
    json.EndObject();
  }
  json.EndArray().EndObject();
  return json.str() + "\n";
}

}  // namespace dbopt::cli::migrate
