// Running a migration's statements (`dbopt migrate up` and `down`), for real or as a dry run.
//
// Steps: a run of statements that can share a transaction block runs in one transaction
// (BEGIN; dbopt_migrate.version set for the transaction; the statements; the bookkeeping of
// the step; COMMIT), a statement that cannot (CREATE INDEX CONCURRENTLY, VACUUM, ...) runs
// alone in autocommit with dbopt_migrate.version set for the session, then its bookkeeping.
// A transactional migration is one step: it and its history row commit together or not at
// all.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "cli/migrate/migrate_report.hpp"
#include "cli/migrate/migrate_runner.hpp"
#include "cli/migrate/migration_file.hpp"

namespace dbopt::cli::migrate {

struct StepPlan {
  std::string version;
  std::string origin;  // the file (or "history of V (down)") for file:line
  std::string label;   // progress: "[1/3] 20261201_add_index"
  const std::vector<MigrationStatement>* statements = nullptr;
  int start = 0;  // statements already done (resume)
  // An earlier run stopped at start (killed, or failed): a statement there that runs alone
  // may have taken effect without its progress being recorded. When the catalogs show its
  // effect (CREATE INDEX CONCURRENTLY: the index exists on its table and is valid; DROP INDEX
  // CONCURRENTLY: the index is gone; DETACH PARTITION CONCURRENTLY: the partition is no longer
  // attached) it is counted done instead of run again; a DETACH PARTITION CONCURRENTLY left
  // pending is completed with DETACH PARTITION ... FINALIZE instead.
  bool resumed = false;
};

// Called after each step with the number of statements done, inside the step's transaction
// (or in autocommit after a statement that runs alone); throws to fail the step.
using StepDone = std::function<void(int done, bool last)>;

struct StepsOutcome {
  bool ok = true;
  int done = 0;  // statements done (committed)
  StatementFailure failure;
  std::vector<std::string> cleaned_up;  // invalid indexes dropped
  std::string found_done;               // the statement at start counted done (resumed): why
};

// Runs statements start.. of the plan in steps. On a failure (or Ctrl-C) the open
// transaction is rolled back, an invalid index left by the failing statement is dropped (a
// 'cleanup' event), and the outcome says where it stopped.
StepsOutcome RunSteps(Session& session, const StepPlan& plan, const StepDone& step_done);

// A dry run: every plan's statements (from its start) in one transaction that is rolled back at the
// end, with lock_timeout and statement_timeout set; each statement's locks and rewritten tables go
// into the reports (one per plan, in order). Statements that need autocommit are listed, not run.
// False with *failure filled when a statement fails (the reports stop there).
bool DryRun(Session& session, const std::vector<StepPlan>& plans,
            std::vector<MigrationReport>* reports, StatementFailure* failure);

}  // namespace dbopt::cli::migrate
