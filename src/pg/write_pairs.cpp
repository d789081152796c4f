// The aggregate of multi-step writes without a transaction, in shared memory: a fixed table of
// kMaxPairEntries pairs keyed by (database, user, first query, second query), filled by the
// detection passes of loops.cpp (the detector's state lives in each backend's LoopSlot there).
//
// Lock rules: WritePairShared::lock (LWLock, tranche "dbopt write pairs") guards the table:
// exclusive to add a pair or reset, shared to copy it. AddPair is called from detection passes
// (an owner's ExecutorEnd every 32 events, a reader's catch-up, backend exit), under the
// slot's busy flag; it takes only this lock.
// Not saved across restarts: the table starts empty at every server start.
#include "pg/write_pairs.hpp"  // first: includes core headers
#include "pg/frequency_table.hpp"

extern "C" {
#include "storage/lwlock.h"
#include "storage/shmem.h"
#include "utils/guc.h"
#include "utils/timestamp.h"
}

#include <type_traits>

namespace dbopt::pg::write_pairs {
namespace {

using dbopt::antipatterns::WritePairFound;

constexpr int kMaxPairEntries = 1000;

struct PairEntry {
  bool used;
  WritePairAggregate pair;
};
static_assert(std::is_trivially_copyable_v<PairEntry> && std::is_standard_layout_v<PairEntry>,
              "shared memory holds plain structs only");

struct WritePairShared {
  LWLock* lock;
  int64 dropped;  // under lock
  PairEntry entries[kMaxPairEntries];
};

int max_gap_ms = 1000;
WritePairShared* shared = nullptr;
// Where this process last added a pair: a workload repeats its pairs, so the next one is
// usually there, without a scan of the table (checked under the lock like any entry).
int last_entry = 0;

bool SamePair(const WritePairAggregate& a, const WritePairFound& pair) {
  return a.dbid == pair.dbid && a.userid == pair.userid && a.first_queryid == pair.first_queryid &&
         a.first_toplevel == pair.first_toplevel && a.second_queryid == pair.second_queryid &&
         a.second_toplevel == pair.second_toplevel;
}

}  // namespace

void DefineGucs() {
  DefineCustomIntVariable(
      "dbopt.multi_step_write_max_gap",
      "Longest gap between two autocommit writes of one session that dbopt pairs as one "
      "multi-step write.",
      "Writes to tables related by a foreign key this close together, in separate "
      "transactions, are reported by dbopt_unsafe_multi_step_writes().",
      &max_gap_ms, 1000, 1, 3600 * 1000, PGC_SIGHUP, GUC_UNIT_MS, nullptr, nullptr, nullptr);
}

dbopt::antipatterns::MultiWriteConfig Config() {
  dbopt::antipatterns::MultiWriteConfig config;
  config.max_gap_ns = static_cast<int64>(max_gap_ms) * 1000000;
  return config;
}

Size ShmemSize() {
  return MAXALIGN(sizeof(WritePairShared));
}

void Request() {
  RequestAddinShmemSpace(ShmemSize());
  RequestNamedLWLockTranche("dbopt write pairs", 1);
}

void Startup() {
  LWLockAcquire(AddinShmemInitLock, LW_EXCLUSIVE);
  bool found = false;
  shared = static_cast<WritePairShared*>(ShmemInitStruct("dbopt write pairs", ShmemSize(), &found));
  if (!found) {
    memset(shared, 0, sizeof(WritePairShared));
    shared->lock = &(GetNamedLWLockTranche("dbopt write pairs"))->lock;
  }
  LWLockRelease(AddinShmemInitLock);
}

bool Ready() {
  return shared != nullptr;
}

void AddPair(void*, const WritePairFound& pair) {
  if (shared == nullptr) return;
  TimestampTz now = GetCurrentTimestamp();
  LWLockAcquire(shared->lock, LW_EXCLUSIVE);
  SlotState state;
  PairEntry* entry = FindOrMakeRoom(
      shared->entries, &shared->entries[last_entry],
      [&pair](const PairEntry& e) { return SamePair(e.pair, pair); },
      [](const PairEntry& e) -> const WritePairAggregate& { return e.pair; }, &state);
  if (state != SlotState::kFound) {
    if (state == SlotState::kEvicted) ++shared->dropped;
    memset(entry, 0, sizeof(*entry));
    entry->used = true;
    WritePairAggregate* a = &entry->pair;
    a->dbid = pair.dbid;
    a->userid = pair.userid;
    a->first_queryid = pair.first_queryid;
    a->first_toplevel = pair.first_toplevel;
    a->second_queryid = pair.second_queryid;
    a->second_toplevel = pair.second_toplevel;
    a->first_seen = now;
  }
  last_entry = static_cast<int>(entry - shared->entries);
  WritePairAggregate* a = &entry->pair;
  a->first_relid = pair.first_relid;  // a query id writes one table; the latest wins
  a->second_relid = pair.second_relid;
  ++a->occurrences;
  a->total_gap_ns += pair.gap_ns;
  if (pair.gap_ns > a->max_gap_ns) a->max_gap_ns = pair.gap_ns;
  a->last_seen = now;
  LWLockRelease(shared->lock);
}

std::vector<WritePairAggregate> Snapshot(int64* dropped) {
  std::vector<WritePairAggregate> out;
  out.reserve(kMaxPairEntries);
  LWLockAcquire(shared->lock, LW_SHARED);
  for (const PairEntry& e : shared->entries)
    if (e.used) out.push_back(e.pair);
  *dropped = shared->dropped;
  LWLockRelease(shared->lock);
  return out;
}

void Reset() {
  LWLockAcquire(shared->lock, LW_EXCLUSIVE);
  memset(shared->entries, 0, sizeof(shared->entries));
  shared->dropped = 0;
  LWLockRelease(shared->lock);
}

}  // namespace dbopt::pg::write_pairs
