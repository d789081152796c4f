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

// The relation locks this backend holds: oid, and the name unless the relation is gone (a
// dropped table's lock stays until the end of the transaction).
const char kOwnLocksSql[] =
    "SELECT /* dbopt cli */ l.relation::pg_catalog.text, "
    "c.oid::pg_catalog.regclass::pg_catalog.text,"
    " l.mode FROM pg_catalog.pg_locks l LEFT JOIN pg_catalog.pg_class c ON c.oid = l.relation"
    " WHERE l.pid = pg_catalog.pg_backend_pid() AND l.locktype = 'relation' AND l.granted"
    " AND l.database = (SELECT oid FROM pg_catalog.pg_database"
    " WHERE datname = pg_catalog.current_database())";

// Every relation outside the system schemas, with its storage: a table or materialized view
// with a new relfilenode was rewritten.
const char kRelationsSql[] =
    "SELECT /* dbopt cli */ c.oid::pg_catalog.text, c.relfilenode::pg_catalog.text,"
    " c.oid::pg_catalog.regclass::pg_catalog.text, c.relkind IN ('r', 'm')"
    " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
    " WHERE n.nspname <> ALL ('{pg_catalog,information_schema}') AND n.nspname !~ '^pg_toast'";

// A timeout for the transaction: $2, or the session's own if it is shorter (and not off).
const char kLimitSql[] =
    "SELECT /* dbopt cli */ pg_catalog.set_config($1, CASE WHEN s.v::pg_catalog.interval >"
    " '0'::pg_catalog.interval AND s.v::pg_catalog.interval < "
    "$2::pg_catalog.text::pg_catalog.interval"
    " THEN s.v ELSE $2::pg_catalog.text END, true)"
    " FROM (SELECT pg_catalog.current_setting($1::pg_catalog.text) AS v) s";

struct Relation {
  std::string filenode;
  std::string name;
  bool table = false;
};
using Relations = std::map<std::string, Relation>;  // by oid

Relations ReadRelations(Session& session) {
  Result rows = Query(session.get(), kRelationsSql, {});
  Relations relations;
  for (int i = 0; i < PQntuples(rows.get()); ++i)
    relations[Cell(rows.get(), i, 0)] = {Cell(rows.get(), i, 1), Cell(rows.get(), i, 2),
                                         Cell(rows.get(), i, 3) == "t"};
  return relations;
}

using Locks = std::set<std::pair<std::string, std::string>>;  // (name, mode)

// The locks on relations outside the system schemas (known: in now or before), by name.
Locks OwnLocks(Session& session, const Relations& now, const Relations& before) {
  Result rows = Query(session.get(), kOwnLocksSql, {});
  Locks locks;
  for (int i = 0; i < PQntuples(rows.get()); ++i) {
    const std::string oid = Cell(rows.get(), i, 0);
    const std::string mode = Cell(rows.get(), i, 2);
    if (now.count(oid) > 0)
      locks.emplace(now.at(oid).name, mode);
    else if (before.count(oid) > 0)
      locks.emplace(before.at(oid).name + " (dropped)", mode);
  }
  return locks;
}

// The index a CREATE INDEX CONCURRENTLY builds: 't' valid on its table, 'f' invalid, none
// when there is no such index on the table.
const char kIndexValidSql[] =
    "SELECT /* dbopt cli */ i.indisvalid FROM pg_catalog.pg_index i"
    " WHERE i.indexrelid = pg_catalog.to_regclass($1) AND i.indrelid = pg_catalog.to_regclass($2)";
const char kRelationGoneSql[] = "SELECT /* dbopt cli */ pg_catalog.to_regclass($1) IS NULL";
// A DETACH PARTITION ... CONCURRENTLY of $1 from $2: whether both tables exist, and the
// partition's pg_inherits row under that parent (NULL: not attached any more; 't': the detach
// is pending, an interrupted run got past its first transaction).
const char kDetachStateSql[] =
    "SELECT /* dbopt cli */ pg_catalog.to_regclass($1) IS NOT NULL"
    " AND pg_catalog.to_regclass($2) IS NOT NULL,"
    " (SELECT i.inhdetachpending FROM pg_catalog.pg_inherits i"
    " WHERE i.inhrelid = pg_catalog.to_regclass($1) AND i.inhparent = pg_catalog.to_regclass($2))";

// What an interrupted run may have left of a statement that runs alone: `why` it took effect
// (for the progress line and the report), and `finish`, a statement that completes it when it
// got only part-way; both empty when it must run as written.
struct Leftover {
  std::string why;
  std::string finish;
};

Leftover AlreadyDone(Session& session, const MigrationStatement& statement) {
  if (!statement.created_index.empty() && !statement.index_table.empty()) {
    Result valid = Query(session.get(), kIndexValidSql,
                         {statement.created_index.c_str(), statement.index_table.c_str()});
    if (PQntuples(valid.get()) == 1 && Cell(valid.get(), 0, 0) == "t")
      return {"index " + statement.created_index + " exists on " + statement.index_table +
                  " and is valid",
              ""};
  }
  if (!statement.dropped_index.empty()) {
    Result gone = Query(session.get(), kRelationGoneSql, {statement.dropped_index.c_str()});
    if (Cell(gone.get(), 0, 0) == "t") return {"index " + statement.dropped_index + " is gone", ""};
  }
  if (!statement.detached_partition.empty() && !statement.detach_parent.empty()) {
    Result state = Query(session.get(), kDetachStateSql,
                         {statement.detached_partition.c_str(), statement.detach_parent.c_str()});
    if (Cell(state.get(), 0, 0) == "t") {
      if (PQgetisnull(state.get(), 0, 1))
        return {"partition " + statement.detached_partition + " is no longer attached to " +
                    statement.detach_parent,
                ""};
      if (Cell(state.get(), 0, 1) == "t")
        return {"the detach of partition " + statement.detached_partition + " from " +
                    statement.detach_parent + " is pending",
                "ALTER TABLE " + statement.detach_parent + " DETACH PARTITION " +
                    statement.detached_partition + " FINALIZE"};
    }
  }
  return {};
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
      // Killed after the statement and before its progress commit: its effect is there, and
      // running it again would fail ("already exists", "does not exist").
      if (plan.resumed && next == plan.start) {
        const Leftover leftover = AlreadyDone(session, first);
        const std::string statement_at = "statement " + std::to_string(next + 1) + "/" +
                                         std::to_string(count) + " (line " +
                                         std::to_string(first.line) + ")";
        if (!leftover.why.empty() && leftover.finish.empty()) {
          session.progress().Line(plan.label + ": " + statement_at +
                                  " took effect before the earlier run stopped (" + leftover.why +
                                  "): counted done");
          outcome.found_done =
              "statement " + std::to_string(next + 1) + " found done: " + leftover.why;
          ++next;
          step_done(next, next == count);
          outcome.done = next;
          continue;
        }
        if (!leftover.finish.empty()) {
          // Interrupted part-way (a pending detach): completed by its own statement, which
          // runs alone too; its failure is the statement's.
          session.progress().Line(plan.label + ": " + statement_at +
                                  " got part-way before the earlier run stopped (" + leftover.why +
                                  "): completing it with " + leftover.finish);
          session.MarkVersion(plan.version, false);
          const bool ok = session.Execute(leftover.finish, &outcome.failure);
          session.ClearVersion();
          if (!ok) {
            outcome.failure.where = Where(plan.origin, first);
            return fail(nullptr);
          }
          outcome.found_done = "statement " + std::to_string(next + 1) +
                               " completed: " + leftover.why + ", ran " + leftover.finish;
          ++next;
          step_done(next, next == count);
          outcome.done = next;
          continue;
        }
      }
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
    for (size_t i = static_cast<size_t>(plan.start); i < plan.statements->size(); ++i) {
      const MigrationStatement& statement = (*plan.statements)[i];
      DryRunStatement checked;
      checked.where = Where(plan.origin, statement);
      if (statement.needs_autocommit) {
        report.dry_run.push_back(checked);
        continue;
      }
      const Relations relations_before = ReadRelations(session);
      const Locks locks_before = OwnLocks(session, relations_before, relations_before);
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
      const Relations relations_after = ReadRelations(session);
      for (const auto& lock : OwnLocks(session, relations_after, relations_before))
        if (locks_before.count(lock) == 0) checked.locks.push_back(lock);
      for (const auto& relation : relations_after) {
        const auto old = relations_before.find(relation.first);
        if (relation.second.table && old != relations_before.end() &&
            old->second.filenode != relation.second.filenode)
          checked.rewritten.push_back(relation.second.name);
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
