// `dbopt migrate down [--to V | --steps N] [--dry-run] [--lock-wait S]`: reverts applied
// migrations, newest first, with the down section recorded in the history when they were
// applied (else the file's) (docs/migrations.md, "Running migrations").
#include <algorithm>
#include <chrono>

#include "cli/exit_codes.hpp"
#include "cli/migrate/migrate_command.hpp"
#include "cli/migrate/migrate_report.hpp"
#include "cli/migrate/migrate_runner.hpp"
#include "cli/migrate/migrate_steps.hpp"
#include "core/common/sql_text.hpp"

namespace dbopt::cli {
namespace {

using namespace migrate;
using Clock = std::chrono::steady_clock;

// The row's status and a 'rollback' event, in the step's transaction.
const char kRevertedSql[] =
    "WITH /* dbopt cli */ h AS (UPDATE %s.migration_history SET status = 'rolled_back',"
    " error = NULL, down_statements_done = NULL WHERE version = $1 RETURNING 1),"
    " e AS (INSERT INTO %s.migration_event (event, version, detail)"
    " VALUES ('rollback', $1, $2::pg_catalog.jsonb) RETURNING 1)"
    " SELECT (SELECT pg_catalog.count(*) FROM h), (SELECT pg_catalog.count(*) FROM e)";

// A revert in steps: its progress, committed with each step (and before the first, so that
// an interrupted revert is seen); the next down resumes there.
const char kDownProgressSql[] =
    "UPDATE /* dbopt cli */ %s.migration_history SET down_statements_done = $2::pg_catalog.int4"
    " WHERE version = $1";

bool InSteps(const std::vector<MigrationStatement>& statements) {
  for (const MigrationStatement& statement : statements)
    if (statement.needs_autocommit) return true;
  return false;
}

struct Target {
  const HistoryRow* row = nullptr;
  const MigrationFile* file = nullptr;  // null when the folder has none for the version
  std::vector<MigrationStatement> statements;
  std::string origin;
  std::string source;  // "history" | "file"
};

bool AllZeros(const std::string& version) {
  return version.find_first_not_of("0.") == std::string::npos;
}

}  // namespace

int RunMigrateDown(const MigrateOptions& options) {
  const std::vector<MigrationFile> files = ReadFiles(options);
  Session session(options);
  session.Lock(options.lock_wait_seconds);
  const std::map<std::string, HistoryRow> history = session.History();

  if (!options.to.empty() && !AllZeros(options.to)) {
    bool known = FindFile(files, options.to) != nullptr;
    for (const auto& entry : history)
      known = known || CompareVersions(entry.first, options.to) == 0;
    if (!known)
      throw UsageError("unknown version \"" + options.to +
                       "\" for --to: neither a migration file nor in the history (--to 0 "
                       "reverts every migration)");
  }
  // Applied rows (and baselines, which stop a revert), newest first.
  std::vector<const HistoryRow*> applied;
  for (const auto& entry : history)
    if (entry.second.status == "applied" || entry.second.status == "baseline")
      applied.push_back(&entry.second);
  std::sort(applied.begin(), applied.end(), [](const HistoryRow* a, const HistoryRow* b) {
    return CompareVersions(a->version, b->version) > 0;
  });
  std::vector<const HistoryRow*> chosen;
  if (!options.to.empty()) {
    for (const HistoryRow* row : applied)
      if (CompareVersions(row->version, options.to) > 0) chosen.push_back(row);
  } else {
    const size_t steps = options.steps > 0 ? static_cast<size_t>(options.steps) : 1;
    for (size_t i = 0; i < applied.size() && i < steps; ++i) chosen.push_back(applied[i]);
  }

  // Everything is checked before anything runs.
  std::vector<Target> targets;
  for (const HistoryRow* row : chosen) {
    if (row->status == "baseline")
      throw CliError(kExitError,
                     "cannot revert " + row->version + " (" + row->name +
                         "): it is a baseline, the schema before it was not made by migrations",
                     "choose a --to version at or after the newest baseline");
    Target target;
    target.row = row;
    target.file = FindFile(files, row->version);
    if (row->has_down_sql) {
      target.source = "history";
      if (target.file != nullptr && target.file->down.text == row->down_sql) {
        target.statements = target.file->down.statements;  // same text: the file's line numbers
        target.origin = target.file->path;
      } else {
        target.statements = SplitSection(row->down_sql, row->version);
        target.origin = "migration_history(" + row->version + ").down_sql";
      }
    } else if (target.file != nullptr) {
      target.source = "file";
      target.statements = target.file->down.statements;
      target.origin = target.file->path;
    } else {
      throw CliError(kExitError, "cannot revert " + row->version +
                                     ": the history has no down section for it and " +
                                     options.directory + " has no file for it");
    }
    if (target.statements.empty())
      throw CliError(
          kExitError,
          "cannot revert " + row->version + " (" + row->name + "): its down section is empty",
          "write the down section, or revert it by hand");
    targets.push_back(std::move(target));
  }

  RunReport report;
  report.command = "down";
  report.database = session.database();
  report.dry_run = options.dry_run;
  bool ok = true;
  std::vector<StepPlan> plans;
  for (size_t i = 0; i < targets.size(); ++i) {
    const Target& target = targets[i];
    StepPlan plan;
    plan.version = target.row->version;
    plan.origin = target.origin;
    plan.label = (options.dry_run ? "dry run of reverting "
                                  : "[" + std::to_string(i + 1) + "/" +
                                        std::to_string(targets.size()) + "] reverting ") +
                 target.row->version + "_" + target.row->name;
    plan.statements = &target.statements;
    // A revert in steps that stopped part-way resumes where it stopped; the statement there
    // may have taken effect without its progress being recorded.
    const int done = target.row->down_statements_done;
    if (done >= 0 && done < static_cast<int>(target.statements.size()) &&
        InSteps(target.statements)) {
      plan.start = done;
      plan.resumed = true;
    }
    plans.push_back(plan);
    MigrationReport m;
    m.version = target.row->version;
    m.name = target.row->name;
    m.kind = target.row->kind;
    m.status = options.dry_run ? "checked" : "reverted";
    m.statements = static_cast<int>(target.statements.size());
    m.resumed_from = plan.start;
    report.migrations.push_back(m);
  }
  StatementFailure failure;
  if (options.dry_run) {
    ok = DryRun(session, plans, &report.migrations, &failure);
  } else {
    size_t done = 0;
    for (; done < targets.size() && ok; ++done) {
      const Target& target = targets[done];
      MigrationReport& m = report.migrations[done];
      const Clock::time_point start = Clock::now();
      auto elapsed = [&] {
        return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
      };
      const StepPlan& plan = plans[done];
      const bool in_steps = InSteps(target.statements);
      session.progress().Line(
          plan.label + " (" + std::to_string(m.statements) + " statement" +
          (m.statements == 1 ? "" : "s") + ", down section from the " + target.source +
          (plan.start > 0 ? ", resuming: " + std::to_string(plan.start) + " done before" : "") +
          ")");
      const std::string version = target.row->version;
      auto record_progress = [&](int statements_done) {
        session.Command(WithSchema(kDownProgressSql, session.schema()),
                        {version.c_str(), std::to_string(statements_done).c_str()});
      };
      if (in_steps && !plan.resumed) record_progress(0);
      if (plan.resumed) {
        JsonWriter detail;
        detail.BeginObject()
            .Field("direction", "down")
            .Field("statements_done", plan.start)
            .Field("statements_total", m.statements)
            .EndObject();
        WriteEvent(session, "resume", version, detail.str());
      }
      const StepsOutcome outcome = RunSteps(session, plan, [&](int statements_done, bool last) {
        if (!last) {
          if (in_steps) record_progress(statements_done);
          return;
        }
        JsonWriter detail;
        detail.BeginObject()
            .Field("duration_ms", elapsed())
            .Field("statements", m.statements)
            .Field("down_sql_from", target.source)
            .EndObject();
        session.Command(WithSchema(kRevertedSql, session.schema()),
                        {target.row->version.c_str(), detail.str().c_str()});
      });
      m.duration_ms = elapsed();
      m.cleaned_up = outcome.cleaned_up;
      m.note = outcome.found_done;
      if (outcome.ok) {
        session.progress().Line(plans[done].label + ": reverted in " +
                                FormatDuration(m.duration_ms));
        continue;
      }
      ok = false;
      m.status = "failed";
      m.error = outcome.failure.Text();
      m.error_json = outcome.failure.Json();
      m.error_hint = outcome.failure.hint;
      JsonWriter detail;
      detail.BeginObject()
          .Field("direction", "down")
          .Key("error")
          .Raw(outcome.failure.Json())
          .Field("statements_done", outcome.done)
          .Field("statements_total", m.statements)
          .EndObject();
      WriteEvent(session, "fail", target.row->version, detail.str());
    }
    report.migrations.resize(done);
  }
  session.progress().Clear();
  WriteReport(report, options);
  if (!ok) {
    const MigrationReport& failed = report.migrations.back();
    std::string hint = failed.error_hint;
    if (!options.dry_run) {
      const int total = failed.statements;
      bool partial = false;
      for (const MigrationStatement& s : *plans[report.migrations.size() - 1].statements)
        partial = partial || s.needs_autocommit;
      hint += std::string(hint.empty() ? "" : "\n") +
              (partial && total > 1
                   ? "the down section runs in steps: the steps before the failing one stay done "
                     "(dbopt migrate down resumes at the failed statement); the migration is "
                     "still recorded as applied"
                   : "nothing of the revert remains; the migration is still recorded as applied");
    }
    throw CliError(kExitError, "reverting " + failed.version + " failed: " + failed.error, hint);
  }
  return kExitOk;
}

}  // namespace dbopt::cli
