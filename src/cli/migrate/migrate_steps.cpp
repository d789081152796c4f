#include "cli/migrate/migrate_steps.hpp"

#include <chrono>
#include <map>
#include <set>

#include "cli/cancel.hpp"
#include "cli/connection.hpp"
#include "cli/exit_codes.hpp"

namespace dbopt::cli::migrate {
namespace {

using Clock = std::chrono::steady_clock;

double MsSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// The relation locks this backend holds (outside the system schemas): what a dry-run
// statement took is what it adds.
const char kOwnLocksSql[] =
    "SELECT /* dbopt cli */ l.relation::pg_catalog.regclass::pg_catalog.text, l.mode"
    " FROM pg_catalog.pg_locks l JOIN pg_catalog.pg_class c ON c.oid = l.relation"
    " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
    " WHERE l.pid = pg_catalog.pg_backend_pid() AND l.locktype = 'relation' AND l.granted"
    " AND n.nspname <> ALL ('{pg_catalog,information_schema,pg_toast}') ORDER BY 1, 2";

// Tables and materialized views with their storage: a new relfilenode is a rewrite.
const char kFilesSql[] =
    "SELECT /* dbopt cli */ c.oid::pg_catalog.text, c.relfilenode::pg_catalog.text,"
    " c.oid::pg_catalog.regclass::pg_catalog.text FROM pg_catalog.pg_class c"
    " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
    " WHERE c.relkind IN ('r', 'm') AND n.nspname <> ALL ('{pg_catalog,information_schema}')"
    " AND n.nspname !~ '^pg_toast'";

// A timeout for the transaction: $2, or the session's own if it is shorter (and not off).
const char kLimitSql[] =
    "SELECT /* dbopt cli */ pg_catalog.set_config($1, CASE WHEN s.v::pg_catalog.interval >"
    " '0'::pg_catalog.interval AND s.v::pg_catalog.interval < $2::pg_catalog.interval THEN s.v"
    " ELSE $2 END, true) FROM (SELECT pg_catalog.current_setting($1) AS v) s";

using Locks = std::set<std::pair<std::string, std::string>>;

Locks OwnLocks(Session& session) {
  Result rows = Query(session.get(), kOwnLocksSql, {});
  Locks locks;
  for (int i = 0; i < PQntuples(rows.get()); ++i)
    locks.emplace(Cell(rows.get(), i, 0), Cell(rows.get(), i, 1));
  return locks;
}

// oid -> (relfilenode, name)
std::map<std::string, std::pair<std::string, std::string>> Files(Session& session) {
  Result rows = Query(session.get(), kFilesSql, {});
  std::map<std::string, std::pair<std::string, std::string>> files;
  for (int i = 0; i < PQntuples(rows.get()); ++i)
    files[Cell(rows.get(), i, 0)] = {Cell(rows.get(), i, 1), Cell(rows.get(), i, 2)};
  return files;
}

StatementFailure Interruption(const std::string& where) {
  StatementFailure failure;
  failure.where = where;
  failure.message = "interrupted (Ctrl-C)";
  failure.cancelled = true;
  return failure;
}

void Rollback(Session& session) {
  if (PQtransactionStatus(session.get()) != PQTRANS_IDLE) {
    StatementFailure ignored;
    session.Execute("ROLLBACK", &ignored);
  }
}

// Runs one statement of the plan with progress.
bool RunOne(Session& session, const StepPlan& plan, int index, bool alone,
            StatementFailure* failure) {
  const MigrationStatement& statement = (*plan.statements)[index];
  const std::string where = Where(plan.origin, statement);
  const std::string step = plan.label + ": statement " + std::to_string(index + 1) + "/" +
                           std::to_string(plan.statements->size()) + " (line " +
                           std::to_string(statement.line) + ")";
  if (Interrupted()) {
    *failure = Interruption(where);
    return false;
  }
  if (alone) session.progress().Line(step + " runs alone, outside a transaction block");
  session.progress().Status(step);
  const bool ok = session.Execute(statement.sql, failure, [&](double seconds) {
    char elapsed[32];
    std::snprintf(elapsed, sizeof elapsed, " %.0f s", seconds);
    session.progress().Status(step + elapsed);
  });
  if (!ok) failure->where = where;
  return ok;
}

}  // namespace

StepsOutcome RunSteps(Session& session, const StepPlan& plan, const StepDone& step_done) {
  const std::vector<MigrationStatement>& statements = *plan.statements;
  const int count = static_cast<int>(statements.size());
  StepsOutcome outcome;
  outcome.done = plan.start;
  int next = plan.start;
  auto fail = [&](const MigrationStatement* statement) {
    outcome.ok = false;
    Rollback(session);
    if (statement != nullptr && !statement->concurrent_index.empty()) {
      const std::vector<std::string> dropped =
          CleanUpInvalidIndex(session, plan.version, statement->concurrent_index);
      outcome.cleaned_up.insert(outcome.cleaned_up.end(), dropped.begin(), dropped.end());
    }
    return outcome;
  };
  if (count == 0) {  // still one step: the bookkeeping commits
    session.Command("BEGIN");
    try {
      step_done(0, true);
    } catch (const CliError& error) {
      outcome.failure.where = "recording " + plan.version + " in migration_history";
      outcome.failure.message = error.what();
      return fail(nullptr);
    }
    if (!session.Execute("COMMIT", &outcome.failure)) {
      outcome.failure.where = "COMMIT of " + plan.origin;
      return fail(nullptr);
    }
    return outcome;
  }
  while (next < count) {
    const MigrationStatement& first = statements[next];
    if (first.needs_autocommit) {
      // A build that failed or was killed before may have left the index invalid: a rerun
      // would fail on its name.
      if (!first.concurrent_index.empty()) {
        const std::vector<std::string> dropped =
            CleanUpInvalidIndex(session, plan.version, first.concurrent_index);
        outcome.cleaned_up.insert(outcome.cleaned_up.end(), dropped.begin(), dropped.end());
      }
      session.MarkVersion(plan.version, false);
      const bool ok = RunOne(session, plan, next, true, &outcome.failure);
      session.ClearVersion();
      if (!ok) return fail(&first);
      ++next;
      step_done(next, next == count);
      outcome.done = next;
      continue;
    }
    int end = next;
    while (end < count && !statements[end].needs_autocommit) ++end;
    session.Command("BEGIN");
    session.MarkVersion(plan.version, true);
    for (int i = next; i < end; ++i)
      if (!RunOne(session, plan, i, false, &outcome.failure)) return fail(&statements[i]);
    if (Interrupted()) {
      outcome.failure = Interruption(Where(plan.origin, statements[end - 1]));
      return fail(nullptr);
    }
    try {
      step_done(end, end == count);
    } catch (const CliError& error) {
      outcome.failure.where = "recording " + plan.version + " in migration_history";
      outcome.failure.message = error.what();
      return fail(nullptr);
    }
    if (!session.Execute("COMMIT", &outcome.failure)) {  // deferred constraints fail here
      outcome.failure.where = "COMMIT of " + plan.origin;
      return fail(nullptr);
    }
    next = end;
    outcome.done = next;
  }
  session.progress().Clear();
  return outcome;
}

bool DryRun(Session& session, const std::vector<StepPlan>& plans,
            std::vector<MigrationReport>* reports, StatementFailure* failure) {
  session.Command("BEGIN");
  session.Command(kLimitSql, {"lock_timeout", kDryRunLockTimeout});
  session.Command(kLimitSql, {"statement_timeout", kDryRunStatementTimeout});
  bool ok = true;
  for (size_t p = 0; p < plans.size() && ok; ++p) {
    const StepPlan& plan = plans[p];
    MigrationReport& report = (*reports)[p];
    session.MarkVersion(plan.version, true);
    const Clock::time_point migration_start = Clock::now();
    for (size_t i = 0; i < plan.statements->size(); ++i) {
      const MigrationStatement& statement = (*plan.statements)[i];
      DryRunStatement checked;
      checked.where = Where(plan.origin, statement);
      if (statement.needs_autocommit) {
        report.dry_run.push_back(checked);
        continue;
      }
      const Locks before = OwnLocks(session);
      const auto files_before = Files(session);
      const Clock::time_point start = Clock::now();
      if (!RunOne(session, plan, static_cast<int>(i), false, failure)) {
        ok = false;
        report.status = "failed";
        report.error = failure->Text();
        report.error_json = failure->Json();
        break;
      }
      checked.ran = true;
      checked.duration_ms = MsSince(start);
      for (const auto& lock : OwnLocks(session))
        if (before.count(lock) == 0) checked.locks.push_back(lock);
      for (const auto& file : Files(session)) {
        const auto old = files_before.find(file.first);
        if (old != files_before.end() && old->second.first != file.second.first)
          checked.rewritten.push_back(file.second.second);
      }
      report.dry_run.push_back(checked);
    }
    report.duration_ms = MsSince(migration_start);
  }
  session.progress().Clear();
  Rollback(session);
  return ok;
}

}  // namespace dbopt::cli::migrate
