// Multi-step writes without a transaction (issue 5, detector 4): the aggregate of write pairs
// found in the statement event rings (loops.cpp feeds every event to the core detector,
// core/antipatterns/multi_step_writes.hpp, and its pairs come here). Lock rules: the header
// comment of write_pairs.cpp.
#pragma once
#include <vector>

#include "core/antipatterns/multi_step_writes.hpp"  // core headers first
#include "pg/postgres.hpp"

namespace dbopt::pg::write_pairs {

// dbopt.multi_step_write_max_gap, registered before the prefix is reserved.
void DefineGucs();
Size ShmemSize();
void Request();  // shmem_request_hook
void Startup();  // shmem_startup_hook
bool Ready();

dbopt::antipatterns::MultiWriteConfig Config();
// The detector's sink: adds one pair to the shared table (takes the LWLock; never raises).
void AddPair(void* context, const dbopt::antipatterns::WritePairFound& pair);

// One (database, user, first query, second query) aggregate.
struct WritePairAggregate {
  Oid dbid;
  Oid userid;
  uint64 first_queryid;
  bool first_toplevel;
  Oid first_relid;
  uint64 second_queryid;
  bool second_toplevel;
  Oid second_relid;
  int64 occurrences;
  int64 total_gap_ns;
  int64 max_gap_ns;
  TimestampTz first_seen;
  TimestampTz last_seen;
};
// A copy of the aggregate (callers first run loops::CatchUp() so that recent events count);
// dropped: pairs evicted for lack of room. Raises nothing but std::bad_alloc.
std::vector<WritePairAggregate> Snapshot(int64* dropped);
// Forgets the aggregate (dbopt_reset()).
void Reset();

}  // namespace dbopt::pg::write_pairs
