// Per-backend rings of recent statement events and the N+1 loops found in them (issue 5,
// detector 1). Layout, lock rules and when detection runs: the header comment of loops.cpp.
#pragma once
#include <vector>

#include "core/antipatterns/multi_step_writes.hpp"  // core headers first (n_plus_one.hpp too)
#include "pg/postgres.hpp"

extern "C" {
#include "portability/instr_time.h"
}

namespace dbopt::pg::loops {

// GUCs (dbopt.n_plus_one_*), registered by DefineGucs before the prefix is reserved.
void DefineGucs();
Size ShmemSize();
void Request();  // shmem_request_hook
void Startup();  // shmem_startup_hook
bool Ready();

// What capture's executor wrappers gather for an event: the first run's start, the last
// run's end, and the rows of every run (ExecutorRun counts es_processed afresh each time: a
// cursor's last fetch alone would be left).
struct Span {
  instr_time first_start;
  instr_time last_end;
  uint64 rows;
};

// The hot path (capture's ExecutorEnd): appends one event to this backend's ring; every
// kPassEvery events this backend also feeds its new events to the detector. Never raises.
// written: the table a data-modifying statement wrote (InvalidOid for the others).
void Record(uint64 queryid, const Span& span, int level, bool select, Oid written);

// One (database, user, source, repeated) aggregate: in shared memory, and as the SQL
// function reads it.
struct LoopAggregate {
  Oid dbid;
  Oid userid;
  uint64 source_queryid;
  bool source_toplevel;
  uint64 repeated_queryid;
  bool repeated_toplevel;
  bool writes;  // a write loop (the repeated statement writes)
  int64 occurrences;
  int64 weak_occurrences;  // loops that were weak (core/antipatterns/n_plus_one.hpp)
  int64 total_repeats;
  int64 max_repeats;
  int64 total_source_rows;
  int64 loop_ns;
  int64 repeat_ns;
  TimestampTz first_seen;
  TimestampTz last_seen;
};
struct LoopsInfo {
  int64 lost_events;     // overwritten in a ring before detection read them
  int64 dropped_loops;   // aggregates evicted for lack of room
  int64 dropped_shapes;  // statements the detector had no counter for
};
// Reads every backend's new events and closes idle windows (their loops join the
// aggregate), then returns the aggregate plus the loops of windows still open (counted in the
// copy only). Raises nothing but std::bad_alloc.
std::vector<LoopAggregate> Snapshot(LoopsInfo* info);
// Feeds every backend's new events to the detectors (multi-step writes report their pairs as
// they are found; N+1 loops of open windows are left to Snapshot).
void CatchUp();
// Forgets the aggregate (dbopt_reset()).
void Reset();

}  // namespace dbopt::pg::loops
