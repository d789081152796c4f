// `dbopt migrate up [--to V] [--dry-run] [--backup DIR] [--lock-wait S]`: applies the pending
// migrations in version order (docs/migrations.md, "Running migrations").
#include <algorithm>
#include <chrono>

#include "cli/exit_codes.hpp"
#include "cli/migrate/backup.hpp"
#include "cli/migrate/book_query.hpp"
#include "cli/migrate/migrate_command.hpp"
#include "cli/migrate/migrate_report.hpp"
#include "cli/migrate/migrate_runner.hpp"
#include "cli/migrate/migrate_steps.hpp"
#include "core/common/sql_text.hpp"

namespace dbopt::cli {
namespace {

using namespace migrate;
using Clock = std::chrono::steady_clock;

bool DestroysData(const MigrationFile& file) {
  for (const MigrationStatement& statement : file.up.statements)
    if (statement.destroys_data) return true;
  return false;
}

std::string Kind(const MigrationFile& file) {
  return file.NeedsAutocommit() ? "non_transactional" : "transactional";
}

// A history row that lets a run go on where an earlier one stopped: a non-transactional
// migration partly done.
bool Resumable(const HistoryRow* row) {
  return row != nullptr && (row->status == "running" || row->status == "failed") &&
         row->kind == "non_transactional" && row->statements_done > 0;
}

bool Pending(const HistoryRow* row) {
  return row == nullptr || row->status == "rolled_back" || row->status == "failed" ||
         row->status == "running";
}

// Before anything is applied: the differences verify reports between the files and the
// history (dbopt_migration_file_problems) that make a run unsafe. An applied migration whose
// file changed (settled by restoring the file, or by dbopt migrate repair), and a pending file
// of this run below the newest applied version (unless --allow-out-of-order). Throws
// CliError(kExitUsage) listing them all.
void RefuseUnsafeFiles(Session& session, const std::vector<MigrationFile>& files,
                       const std::map<std::string, HistoryRow>& history,
                       const std::vector<const MigrationFile*>& pending,
                       const MigrateOptions& options) {
  std::string listed;
  std::vector<std::string> fixes;
  for (const Problem& problem : FileProblems(session.get(), session.schema(), files)) {
    bool refused = false;
    if (problem.check_id == "checksum_changed") {
      // A partly applied run with a changed file is refused below, with its own message; one
      // that applied nothing starts afresh from the file.
      const auto found = history.find(problem.version);
      refused = found != history.end() && found->second.status == "applied";
    } else if (problem.check_id == "out_of_order" && !options.allow_out_of_order) {
      for (const MigrationFile* file : pending)
        refused = refused || CompareVersions(file->version, problem.version) == 0;
    }
    if (!refused) continue;
    listed += "\n  " + problem.check_id + ": " + problem.message;
    if (std::find(fixes.begin(), fixes.end(), problem.fix) == fixes.end())
      fixes.push_back(problem.fix);
  }
  if (listed.empty()) return;
  std::string hint;
  for (const std::string& fix : fixes) hint += (hint.empty() ? "" : "\n") + fix;
  throw CliError(kExitUsage,
                 "the migration files disagree with the history of database \"" +
                     session.database() + "\"; nothing was applied:" + listed,
                 hint);
}

std::string ProgressDetail(int done, int total, double ms) {
  JsonWriter json;
  json.BeginObject()
      .Field("statements_done", done)
      .Field("statements_total", total)
      .Field("duration_ms", ms)
      .EndObject();
  return json.str();
}

// Applies one file; fills its report. False when it failed (recorded as failed).
bool ApplyOne(Session& session, const MigrationFile& file, const HistoryRow* row,
              const std::string& label, const MigrateOptions& options, MigrationReport* report) {
  const Clock::time_point start = Clock::now();
  const std::vector<MigrationStatement>& statements = file.up.statements;
  const int total = static_cast<int>(statements.size());
  HistoryWrite write;
  write.version = file.version;
  write.name = file.name;
  write.kind = Kind(file);
  write.checksum = file.checksum;
  write.up_sql = file.up.text;
  write.down_sql = file.down.text;
  write.statements_total = total;
  report->version = file.version;
  report->name = file.name;
  report->kind = write.kind;
  report->statements = total;

  const bool transactional = write.kind == "transactional";
  const int start_at = Resumable(row) ? row->statements_done : 0;
  const double earlier_ms = Resumable(row) ? row->duration_ms : 0;
  report->resumed_from = start_at;
  session.progress().Line(
      label + ": " + (start_at > 0 ? "resuming" : "applying") + " (" + write.kind + ", " +
      std::to_string(total) + " statement" + (total == 1 ? "" : "s") +
      (start_at > 0 ? ", " + std::to_string(start_at) + " done before" : "") + ")");
  // --backup: the dump of the tables it destroys data in, before anything of it runs (a
  // failing dump stops the run here).
  if (!options.backup_dir.empty() && DestroysData(file)) {
    const Backup backup = TakeBackup(session.get(), options.backup_dir, file);
    if (!backup.path.empty()) {
      write.backup = backup.path;
      report->backup = backup.path;
      session.progress().Line(label + ": backup of " + std::to_string(backup.tables.size()) +
                              " table" + (backup.tables.size() == 1 ? "" : "s") + " in " +
                              backup.path + "; to restore it: " + backup.restore_command);
    }
  }
  auto elapsed = [&] {
    return earlier_ms + std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  };
  if (!transactional) {
    write.status = "running";
    write.statements_done = start_at;
    write.duration_ms = earlier_ms;
    // The row says 'running' before the first statement runs: a killed run is seen.
    session.Command("BEGIN");
    session.MarkVersion(file.version, true);
    WriteHistory(session, write, start_at > 0 ? "resume" : "",
                 ProgressDetail(start_at, total, earlier_ms));
    session.Command("COMMIT");
  }

  StepPlan plan;
  plan.version = file.version;
  plan.origin = file.path;
  plan.label = label;
  plan.statements = &statements;
  plan.start = start_at;
  // An earlier run of it stopped (killed or failed) after statements_done: the statement
  // there may have run without its progress being recorded.
  plan.resumed = !transactional && row != nullptr &&
                 (row->status == "running" || row->status == "failed") &&
                 row->kind == "non_transactional";
  const StepsOutcome outcome = RunSteps(session, plan, [&](int done, bool last) {
    write.statements_done = done;
    write.duration_ms = elapsed();
    write.status = last ? "applied" : "running";
    if (last || transactional) {
      JsonWriter detail;
      detail.BeginObject().Field("duration_ms", write.duration_ms).Field("statements", total);
      if (start_at > 0) detail.Field("resumed_from", start_at);
      if (!write.backup.empty()) detail.Field("backup", write.backup);
      detail.EndObject();
      WriteHistory(session, write, "apply", detail.str());
    } else {
      session.Command(WithSchema("UPDATE /* dbopt cli */ %s.migration_history SET statements_done ="
                                 " $2::pg_catalog.int4, duration_ms = $3::pg_catalog.float8,"
                                 " status = 'running' WHERE version = $1",
                                 session.schema()),
                      {file.version.c_str(), std::to_string(done).c_str(),
                       std::to_string(write.duration_ms).c_str()});
    }
  });
  report->cleaned_up = outcome.cleaned_up;
  report->note = outcome.found_done;
  report->duration_ms = elapsed();
  if (outcome.ok) {
    report->status = "applied";
    session.progress().Line(label + ": applied in " + FormatDuration(report->duration_ms));
    return true;
  }
  // Nothing of the failed step remains (rolled back); the failure is recorded on its own.
  report->status = "failed";
  report->error = outcome.failure.Text();
  report->error_json = outcome.failure.Json();
  report->error_hint = outcome.failure.hint;
  write.status = "failed";
  write.statements_done = transactional ? 0 : outcome.done;
  write.duration_ms = report->duration_ms;
  write.error = outcome.failure.Text();
  JsonWriter detail;
  detail.BeginObject()
      .Key("error")
      .Raw(outcome.failure.Json())
      .Field("statements_done", write.statements_done)
      .Field("statements_total", total)
      .EndObject();
  WriteHistory(session, write, "fail", detail.str());
  session.progress().Line(label + ": failed" +
                          (transactional
                               ? " (rolled back: nothing of it remains)"
                               : " after statement " + std::to_string(outcome.done) + " of " +
                                     std::to_string(total) + " (dbopt migrate up resumes there)"));
  return false;
}

}  // namespace

int RunMigrateUp(const MigrateOptions& options) {
  const std::vector<MigrationFile> files = ReadFiles(options);
  if (!options.to.empty()) RequireFileVersion(files, options);
  Session session(options);
  session.Lock(options.lock_wait_seconds);
  const std::map<std::string, HistoryRow> history = session.History();

  // A file at or below the newest baseline with no row of its own is covered by it.
  std::string baseline;
  for (const auto& entry : history)
    if (entry.second.status == "baseline" &&
        (baseline.empty() || CompareVersions(entry.first, baseline) > 0))
      baseline = entry.first;
  std::vector<const MigrationFile*> pending;
  for (const MigrationFile& file : files) {
    if (!options.to.empty() && CompareVersions(file.version, options.to) > 0) continue;
    const auto found = history.find(file.version);
    const HistoryRow* row = found == history.end() ? nullptr : &found->second;
    if (!Pending(row)) continue;
    if (row == nullptr && !baseline.empty() && CompareVersions(file.version, baseline) <= 0)
      continue;
    if (Resumable(row) && row->checksum != file.checksum)
      throw CliError(kExitUsage,
                     "migration " + file.version + " was partly applied (" +
                         std::to_string(row->statements_done) + " of " +
                         std::to_string(row->statements_total) +
                         " statements) and its file's up section has changed since: " + file.path,
                     "restore the file as it was, or see dbopt migrate repair");
    pending.push_back(&file);
  }
  RefuseUnsafeFiles(session, files, history, pending, options);

  RunReport report;
  report.command = "up";
  report.database = session.database();
  report.dry_run = options.dry_run;
  bool ok = true;
  StatementFailure failure;
  if (options.dry_run) {
    std::vector<StepPlan> plans;
    for (const MigrationFile* file : pending) {
      StepPlan plan;
      plan.version = file->version;
      plan.origin = file->path;
      plan.label = "dry run of " + file->version + "_" + file->name;
      plan.statements = &file->up.statements;
      plans.push_back(plan);
      MigrationReport m;
      m.version = file->version;
      m.name = file->name;
      m.kind = Kind(*file);
      m.status = "checked";
      m.statements = static_cast<int>(file->up.statements.size());
      report.migrations.push_back(m);
    }
    ok = DryRun(session, plans, &report.migrations, &failure);
  } else {
    for (size_t i = 0; i < pending.size() && ok; ++i) {
      const MigrationFile& file = *pending[i];
      const auto found = history.find(file.version);
      const std::string label = "[" + std::to_string(i + 1) + "/" + std::to_string(pending.size()) +
                                "] " + file.version + "_" + file.name;
      MigrationReport m;
      ok = ApplyOne(session, file, found == history.end() ? nullptr : &found->second, label,
                    options, &m);
      report.migrations.push_back(m);
    }
  }
  session.progress().Clear();
  WriteReport(report, options);
  if (!ok) {
    const MigrationReport& failed = report.migrations.back();
    std::string hint = "fix the migration and run dbopt migrate up again";
    if (failed.kind == "non_transactional" && !options.dry_run)
      hint = "fix the cause and run dbopt migrate up again: it resumes at the failed statement";
    if (!failed.error_hint.empty()) hint = failed.error_hint + "\n" + hint;
    throw CliError(kExitError, "migration " + failed.version + " failed: " + failed.error, hint);
  }
  return kExitOk;
}

}  // namespace dbopt::cli
