// Per-backend rings of statement events and the N+1 loop aggregate, in shared memory.
//
// Layout: one LoopSlot per backend id (1..MaxBackends, sized at shmem request time), each a
// ring of kRingSize StatementEvents (core/antipatterns/n_plus_one.hpp) with a head counter,
// plus that backend's detector state; then one LoopShared header with a fixed table of
// kMaxLoopEntries aggregates keyed by (database, user, source query, repeated query).
//
// Lock rules:
//  * A ring is written only by the backend that owns the slot: it stores the event at
//    head % kRingSize, then (write barrier) advances head. That is the whole hot path: no
//    lock, no allocation, no hashing. Readers never block it: they read head, copy the events
//    they want, read head again, and keep only the events the writer cannot have overwritten
//    meanwhile (index > head_after - kRingSize); events lost that way are counted.
//  * LoopSlot::busy (an atomic flag, taken with test-and-set, never waited on by the hot
//    path) serializes detection passes over one slot: `consumed`, `lost` and the detector
//    state are read and written only while holding it.
//  * LoopShared::lock (LWLock, tranche "dbopt loops") guards the aggregate table: exclusive to
//    add a loop or reset, shared to copy it.
// When detection runs (a pass feeds a slot's new events to the core detector):
//  * in the owning backend, at the ExecutorEnd of every kPassEvery-th event, so a ring of
//    kRingSize never wraps over unread events unless that backend's pass is skipped
//    (another pass on the slot holds `busy`) three times in a row;
//  * in dbopt_n_plus_one(), over every slot (idle windows are closed, open ones evaluated on
//    a copy);
//  * at backend exit (before_shmem_exit): the owner's last pass closes its window.
// Times are CLOCK_MONOTONIC nanoseconds (instr_time), which all processes share; they come
// from the clock reads capture already does in ExecutorRun, so events cost no extra clock
// read.
#include "pg/capture_store.hpp"  // first: includes core headers; dbopt.save
#include "pg/loops.hpp"
#include "pg/frequency_table.hpp"
#include "pg/saved_file.hpp"
#include "pg/write_pairs.hpp"

extern "C" {
#include "pgstat.h"
#include "port/atomics.h"
#include "port/pg_crc32c.h"
#include "storage/fd.h"
#include "storage/ipc.h"
#include "storage/lwlock.h"
#include "storage/proc.h"
#include "storage/shmem.h"
#include "utils/guc.h"
#include "utils/timestamp.h"
}

#include <type_traits>

#include "pg/guard.hpp"

namespace dbopt::pg::loops {
namespace {

using dbopt::antipatterns::LoopFound;
using dbopt::antipatterns::MultiWriteConfig;
using dbopt::antipatterns::MultiWriteState;
using dbopt::antipatterns::NPlusOneConfig;
using dbopt::antipatterns::NPlusOneState;
using dbopt::antipatterns::StatementEvent;

constexpr int kRingSize = 128;  // power of two
constexpr int kPassEvery = 32;  // power of two, kRingSize / 4
constexpr int kMaxLoopEntries = 1000;
static_assert(std::is_trivially_copyable_v<StatementEvent> &&
                  std::is_standard_layout_v<StatementEvent> &&
                  std::is_trivially_copyable_v<NPlusOneState> &&
                  std::is_standard_layout_v<NPlusOneState> &&
                  std::is_trivially_copyable_v<MultiWriteState> &&
                  std::is_standard_layout_v<MultiWriteState>,
              "shared memory holds plain structs only");

struct LoopSlot {
  pg_atomic_uint64 head;   // events written so far (the owner only)
  pg_atomic_flag busy;     // a detection pass holds this slot
  uint64 consumed;         // events fed to the detector (under busy)
  int64 lost;              // events overwritten before a pass read them (under busy)
  NPlusOneState state;     // under busy
  MultiWriteState writes;  // the multi-step write detector's state (write_pairs.cpp), under busy
  StatementEvent ring[kRingSize];
};

struct LoopEntry {
  bool used;
  LoopAggregate loop;
};
static_assert(std::is_trivially_copyable_v<LoopEntry> && std::is_standard_layout_v<LoopEntry>,
              "shared memory holds plain structs only");

struct LoopShared {
  LWLock* lock;
  int slot_count;
  int64 dropped_loops;  // under lock
  LoopEntry entries[kMaxLoopEntries];
};

int min_repeats = 5;
int max_gap_ms = 1000;
int max_rows = 10;

LoopShared* shared = nullptr;
LoopSlot* slots = nullptr;
int slot_count = 0;

// This backend's slot: looked up at its first event (nullptr until then, or when it has no
// backend id).
LoopSlot* my_slot = nullptr;
bool my_slot_known = false;

NPlusOneConfig Config() {
  NPlusOneConfig config;
  config.min_repeats = min_repeats;
  config.max_gap_ns = static_cast<int64>(max_gap_ms) * 1000000;
  config.max_rows = max_rows;
  return config;
}

int64 Nanoseconds(const instr_time& time) {
  return static_cast<int64>(time.tv_sec) * 1000000000 + time.tv_nsec;
}

bool SamePair(const LoopAggregate& a, const LoopFound& loop) {
  return a.dbid == loop.dbid && a.userid == loop.userid &&
         a.source_queryid == loop.source_queryid && a.source_toplevel == loop.source_toplevel &&
         a.repeated_queryid == loop.repeated_queryid &&
         a.repeated_toplevel == loop.repeated_toplevel;
}

// Adds one loop to an aggregate; a new one (occurrences 0) takes the loop's key.
void Accumulate(LoopAggregate* a, const LoopFound& loop, TimestampTz now) {
  if (a->occurrences == 0) {
    memset(a, 0, sizeof(*a));
    a->dbid = loop.dbid;
    a->userid = loop.userid;
    a->source_queryid = loop.source_queryid;
    a->source_toplevel = loop.source_toplevel;
    a->repeated_queryid = loop.repeated_queryid;
    a->repeated_toplevel = loop.repeated_toplevel;
    a->writes = loop.writes;
    a->first_seen = now;
  }
  ++a->occurrences;
  if (loop.weak != 0) ++a->weak_occurrences;
  a->total_repeats += loop.repeats;
  if (loop.repeats > a->max_repeats) a->max_repeats = loop.repeats;
  a->total_source_rows += loop.source_rows;
  a->loop_ns += loop.loop_ns;
  a->repeat_ns += loop.repeat_ns;
  a->last_seen = now;
}

// Adds one loop to the shared table (the detector's sink).
void AddLoop(void*, const LoopFound& loop) {
  TimestampTz now = GetCurrentTimestamp();
  LWLockAcquire(shared->lock, LW_EXCLUSIVE);
  SlotState state;
  LoopEntry* entry = FindOrMakeRoom(
      shared->entries, static_cast<LoopEntry*>(nullptr),
      [&loop](const LoopEntry& e) { return SamePair(e.loop, loop); },
      [](const LoopEntry& e) -> const LoopAggregate& { return e.loop; }, &state);
  if (state != SlotState::kFound) {
    if (state == SlotState::kEvicted) ++shared->dropped_loops;
    entry->used = true;
    entry->loop.occurrences = 0;
  }
  Accumulate(&entry->loop, loop, now);
  LWLockRelease(shared->lock);
}

// Feeds one event to the multi-step write detector (its pairs go to write_pairs.cpp).
inline void FeedWrites(LoopSlot* slot, const StatementEvent& event,
                       const MultiWriteConfig& config) {
  dbopt::antipatterns::FeedWrite(&slot->writes, event, config, write_pairs::AddPair, nullptr);
}

// Feeds the slot's unread events to its detectors; with now_ns > 0 also closes an idle window.
// The caller holds slot->busy. No PostgreSQL call can raise here (LWLocks aside).
void PassLocked(LoopSlot* slot, const NPlusOneConfig& config, int64 now_ns) {
  MultiWriteConfig write_config = write_pairs::Config();
  static StatementEvent copy[kRingSize];
  uint64 head = pg_atomic_read_u64(&slot->head);
  pg_read_barrier();
  uint64 from = slot->consumed;
  if (slot == my_slot) {
    // The owner: nobody writes the ring meanwhile, so the events are read in place.
    if (head - from > static_cast<uint64>(kRingSize)) {
      slot->lost += static_cast<int64>(head - kRingSize - from);
      from = head - kRingSize;
    }
    for (uint64 i = from; i < head; ++i) {
      const StatementEvent& event = slot->ring[i % kRingSize];
      dbopt::antipatterns::Feed(&slot->state, event, config, AddLoop, nullptr);
      FeedWrites(slot, event, write_config);
    }
    slot->consumed = head;
    if (now_ns > 0)
      dbopt::antipatterns::CloseIfIdle(&slot->state, now_ns, config, AddLoop, nullptr);
    return;
  }
  if (head - from > static_cast<uint64>(kRingSize)) from = head - kRingSize;
  for (uint64 i = from; i < head; ++i) copy[i - from] = slot->ring[i % kRingSize];
  pg_read_barrier();
  uint64 after = pg_atomic_read_u64(&slot->head);
  // The owner may be writing event `after`, over event after - kRingSize.
  uint64 safe_from = after >= static_cast<uint64>(kRingSize) ? after - kRingSize + 1 : 0;
  uint64 start = from < safe_from ? safe_from : from;
  slot->lost += static_cast<int64>(start - slot->consumed);
  for (uint64 i = start; i < head; ++i) {
    dbopt::antipatterns::Feed(&slot->state, copy[i - from], config, AddLoop, nullptr);
    FeedWrites(slot, copy[i - from], write_config);
  }
  slot->consumed = head;
  if (now_ns > 0) dbopt::antipatterns::CloseIfIdle(&slot->state, now_ns, config, AddLoop, nullptr);
}

// Takes slot->busy, waiting up to about a second for another pass to finish.
bool AcquireSlot(LoopSlot* slot, bool wait) {
  for (int tries = 0; !pg_atomic_test_set_flag(&slot->busy); ++tries) {
    if (!wait || tries >= 10000) return false;
    pg_usleep(100);
  }
  return true;
}

void OwnPass(void*) {
  if (!AcquireSlot(my_slot, false)) return;  // another pass is reading this slot
  PassLocked(my_slot, Config(), 0);
  pg_atomic_clear_flag(&my_slot->busy);
}

// At backend exit: the last events, and the window they leave, are complete.
void FlushOwn(void*) {
  if (my_slot == nullptr || !AcquireSlot(my_slot, true)) return;
  NPlusOneConfig config = Config();
  PassLocked(my_slot, config, 0);
  dbopt::antipatterns::Flush(&my_slot->state, config, AddLoop, nullptr);
  pg_atomic_clear_flag(&my_slot->busy);
}

void dbopt_loops_exit(int, Datum) {
  RunHookGuarded("backend exit", FlushOwn, nullptr);
}

pg_noinline LoopSlot* FindMySlot() {
  my_slot_known = true;
  if (shared == nullptr || MyBackendId < 1 || MyBackendId > slot_count || MyProc == nullptr)
    return nullptr;
  my_slot = &slots[MyBackendId - 1];
  before_shmem_exit(dbopt_loops_exit, (Datum)0);
  return my_slot;
}

// Persistence, as the capture store's (capture_store.cpp): the postmaster writes the aggregate
// to pg_stat/dbopt_loops.stat at a clean shutdown (after every backend has closed its window)
// and reads it back at start, then removes it; a file that fails a check is ignored with a LOG
// line. Loops of windows open at shutdown are closed by their backends' exit.
constexpr uint32 kFileMagic = 0x44424e31;  // "DBN1"
constexpr uint32 kFileVersion = 2;
constexpr const char* kFilePath = PGSTAT_STAT_PERMANENT_DIRECTORY "/dbopt_loops.stat";
constexpr const char* kTempPath = PGSTAT_STAT_PERMANENT_DIRECTORY "/dbopt_loops.stat.tmp";

struct FileHeader {
  uint32 magic;
  uint32 version;
  uint32 entry_size;
  int32 count;
  int64 dropped_loops;
};

void SaveFile(int code, Datum) {
  if (code != 0 || shared == nullptr || !capture::save_on_exit) return;
  FileHeader header;
  memset(&header, 0, sizeof(header));
  header.magic = kFileMagic;
  header.version = kFileVersion;
  header.entry_size = sizeof(LoopEntry);
  for (const LoopEntry& e : shared->entries)
    if (e.used) ++header.count;
  header.dropped_loops = shared->dropped_loops;
  SavedFileWriter file(kTempPath, kFilePath);
  file.Write(&header, sizeof(header));
  for (const LoopEntry& e : shared->entries)
    if (e.used && file.ok()) file.Write(&e, sizeof(e));
  file.Finish();
}

void LoadFile() {
  FILE* file = AllocateFile(kFilePath, PG_BINARY_R);
  if (file == nullptr) return;  // none saved
  FileHeader header;
  pg_crc32c crc;
  INIT_CRC32C(crc);
  bool ok = fread(&header, sizeof(header), 1, file) == 1 && header.magic == kFileMagic &&
            header.version == kFileVersion && header.entry_size == sizeof(LoopEntry) &&
            header.count >= 0 && header.count <= kMaxLoopEntries;
  if (ok) COMP_CRC32C(crc, &header, sizeof(header));
  static LoopEntry loaded[kMaxLoopEntries];
  for (int i = 0; ok && i < header.count; ++i) {
    ok = fread(&loaded[i], sizeof(LoopEntry), 1, file) == 1 && loaded[i].used;
    if (ok) COMP_CRC32C(crc, &loaded[i], sizeof(LoopEntry));
  }
  pg_crc32c stored;
  FIN_CRC32C(crc);
  ok = ok && fread(&stored, sizeof(stored), 1, file) == 1 && EQ_CRC32C(crc, stored);
  FreeFile(file);
  if (ok) {
    memcpy(shared->entries, loaded, sizeof(LoopEntry) * header.count);
    shared->dropped_loops = header.dropped_loops;
  } else {
    ereport(LOG, (errmsg("dbopt: ignoring \"%s\": not a valid saved N+1 loop file", kFilePath)));
  }
  unlink(kFilePath);
}

}  // namespace

void DefineGucs() {
  DefineCustomIntVariable("dbopt.n_plus_one_min_repeats",
                          "Executions of one query after a source query that make an N+1 loop.",
                          "A source query returning at least this many rows starts a loop.",
                          &min_repeats, 5, 2, 1000000, PGC_SIGHUP, 0, nullptr, nullptr, nullptr);
  DefineCustomIntVariable(
      "dbopt.n_plus_one_max_gap", "Longest idle gap between autocommit statements of one N+1 loop.",
      "Statements of one explicit transaction belong together whatever the "
      "gaps.",
      &max_gap_ms, 1000, 1, 3600 * 1000, PGC_SIGHUP, GUC_UNIT_MS, nullptr, nullptr, nullptr);
  DefineCustomIntVariable("dbopt.n_plus_one_max_rows",
                          "Most rows one repeated execution of an N+1 loop returns.", nullptr,
                          &max_rows, 10, 0, 1000000, PGC_SIGHUP, 0, nullptr, nullptr, nullptr);
}

Size ShmemSize() {
  Size size = MAXALIGN(sizeof(LoopShared));
  return add_size(size, mul_size(MaxBackends, sizeof(LoopSlot)));
}

void Request() {
  RequestAddinShmemSpace(ShmemSize());
  RequestNamedLWLockTranche("dbopt loops", 1);
}

void Startup() {
  LWLockAcquire(AddinShmemInitLock, LW_EXCLUSIVE);
  bool found = false;
  shared = static_cast<LoopShared*>(ShmemInitStruct("dbopt loops", ShmemSize(), &found));
  slots =
      reinterpret_cast<LoopSlot*>(reinterpret_cast<char*>(shared) + MAXALIGN(sizeof(LoopShared)));
  if (!found) {
    memset(shared, 0, sizeof(LoopShared));
    shared->lock = &(GetNamedLWLockTranche("dbopt loops"))->lock;
    shared->slot_count = MaxBackends;
    for (int i = 0; i < MaxBackends; ++i) {
      LoopSlot* slot = &slots[i];
      pg_atomic_init_u64(&slot->head, 0);
      pg_atomic_init_flag(&slot->busy);
      slot->consumed = 0;
      slot->lost = 0;
      dbopt::antipatterns::ResetState(&slot->state);
      dbopt::antipatterns::ResetState(&slot->writes);
    }
  }
  slot_count = shared->slot_count;
  LWLockRelease(AddinShmemInitLock);
  if (found || IsUnderPostmaster) return;
  // The postmaster (or a single-user backend): load the saved loops, save them at shutdown.
  on_shmem_exit(SaveFile, (Datum)0);
  if (capture::save_on_exit)
    LoadFile();
  else
    unlink(kFilePath);
}

bool Ready() {
  return shared != nullptr;
}

void Record(uint64 queryid, const Span& span, int level, bool select, Oid written) {
  LoopSlot* slot = my_slot_known ? my_slot : FindMySlot();
  if (slot == nullptr) return;
  uint64 head = pg_atomic_read_u64(&slot->head);  // only this backend writes it
  StatementEvent* event = &slot->ring[head % kRingSize];
  event->queryid = queryid;
  event->start_ns = Nanoseconds(span.first_start);
  event->end_ns = Nanoseconds(span.last_end);
  event->rows = span.rows > PG_UINT32_MAX ? PG_UINT32_MAX : static_cast<uint32>(span.rows);
  event->xact = MyProc->lxid;
  event->session = MyProcPid;
  event->userid = GetUserId();
  event->dbid = MyDatabaseId;
  event->level = static_cast<uint8>(level > 255 ? 255 : level);
  event->flags = (IsTransactionBlock() ? dbopt::antipatterns::kEventInBlock : 0) |
                 (select ? dbopt::antipatterns::kEventSelect : 0);
  event->relid = written;
  pg_write_barrier();
  pg_atomic_write_u64(&slot->head, head + 1);
  if (((head + 1) & (kPassEvery - 1)) == 0) RunHookGuarded("ExecutorEnd", OwnPass, nullptr);
}

std::vector<LoopAggregate> Snapshot(LoopsInfo* info) {
  NPlusOneConfig config = Config();
  instr_time now;
  INSTR_TIME_SET_CURRENT(now);
  int64 now_ns = Nanoseconds(now);
  // Loops of windows still open, counted in the copy only.
  struct Pending {
    std::vector<LoopFound> loops;
    static void Add(void* context, const LoopFound& loop) {
      static_cast<Pending*>(context)->loops.push_back(loop);
    }
  } pending;
  *info = LoopsInfo{};
  static NPlusOneState state;
  for (int i = 0; i < slot_count; ++i) {
    LoopSlot* slot = &slots[i];
    if (pg_atomic_read_u64(&slot->head) == 0) continue;  // never used
    if (!AcquireSlot(slot, true)) continue;
    PassLocked(slot, config, now_ns);
    state = slot->state;
    info->lost_events += slot->lost;
    info->dropped_shapes += slot->state.dropped;
    pg_atomic_clear_flag(&slot->busy);
    if (state.open) dbopt::antipatterns::Flush(&state, config, Pending::Add, &pending);
  }
  std::vector<LoopAggregate> out;
  out.reserve(kMaxLoopEntries + pending.loops.size());
  LWLockAcquire(shared->lock, LW_SHARED);
  for (const LoopEntry& e : shared->entries)
    if (e.used) out.push_back(e.loop);
  info->dropped_loops = shared->dropped_loops;
  LWLockRelease(shared->lock);
  TimestampTz now_ts = GetCurrentTimestamp();
  for (const LoopFound& loop : pending.loops) {
    LoopAggregate* entry = nullptr;
    for (LoopAggregate& e : out)
      if (SamePair(e, loop)) entry = &e;
    if (entry == nullptr) {
      out.push_back(LoopAggregate{});
      entry = &out.back();
    }
    Accumulate(entry, loop, now_ts);
  }
  return out;
}

void CatchUp() {
  NPlusOneConfig config = Config();
  for (int i = 0; i < slot_count; ++i) {
    LoopSlot* slot = &slots[i];
    if (pg_atomic_read_u64(&slot->head) == 0) continue;  // never used
    if (!AcquireSlot(slot, true)) continue;
    PassLocked(slot, config, 0);
    pg_atomic_clear_flag(&slot->busy);
  }
}

void Reset() {
  // Events not read yet and windows still open are forgotten too.
  for (int i = 0; i < slot_count; ++i) {
    LoopSlot* slot = &slots[i];
    if (!AcquireSlot(slot, true)) continue;
    slot->consumed = pg_atomic_read_u64(&slot->head);
    slot->lost = 0;
    dbopt::antipatterns::ResetState(&slot->state);
    dbopt::antipatterns::ResetState(&slot->writes);
    pg_atomic_clear_flag(&slot->busy);
  }
  LWLockAcquire(shared->lock, LW_EXCLUSIVE);
  memset(shared->entries, 0, sizeof(shared->entries));
  shared->dropped_loops = 0;
  LWLockRelease(shared->lock);
}

}  // namespace dbopt::pg::loops
