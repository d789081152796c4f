// The capture store in shared memory.
//
// Layout: a hash table of Entry (fixed size, keyed by QueryKey), a SharedStore header and a
// text area of dbopt.text_memory bytes holding one normalized text per entry (entries point
// into it by offset; holes left by evicted entries are reclaimed by compaction).
//
// Lock rules:
//  * store->lock (LWLock, tranche "dbopt") guards the hash table's membership and the text
//    area: shared to look entries up and to read texts; exclusive to add or remove entries,
//    to write texts and to compact the area. Nothing else is done while it is held.
//  * Entry::mutex (spinlock) guards an entry's counters, access records and plan shapes, and
//    its `dead` flag. It is taken under at least the shared lock, except on the hot path
//    (StoreRecordKnown): a backend that remembers where an entry of its key was takes just the
//    spinlock and checks that the entry is not dead and still holds that key. This is safe
//    because an entry is marked dead under its spinlock before it is removed (exclusive
//    lock), and a hash element is (re)initialized under its spinlock: every element's
//    spinlock is initialized once at startup and never reset. The hot path (an existing
//    entry, a known plan) thus takes no LWLock at all and allocates nothing.
//  * store->mutex guards the store-wide counters.
//  * store->generation grows (under the exclusive lock) whenever entries are removed, so a
//    backend may remember which keys it saw in the store (KnownKeys below) and trust that
//    memory, without any lock, as long as the generation has not moved.
// Eviction: each call adds 1 to an entry's usage; when the table is full (or the text area
// cannot take a new text) the least used ~5% go, every survivor's usage is halved (so old
// bursts fade), and new entries start just above the usage of the last entry evicted.
// Persistence: the postmaster writes the store to pg_stat/dbopt.stat at a clean shutdown and
// reads it back at start (then removes it, so a crash never resurrects stale counters). The
// file carries a magic number, a format version, the entry size and a CRC-32C; a file that
// fails any check is ignored with a LOG line and removed.
// Origins: imported entries (StoreImport) carry a small origin slot in their key; the labels
// live in store->origins (slot 0 is "local"), written under the exclusive lock and read under
// at least the shared one; slots no entry uses any more are reused.
#include "pg/capture_store.hpp"
#include "pg/saved_file.hpp"

extern "C" {
#include "common/hashfn.h"
#include "mb/pg_wchar.h"
#include "pgstat.h"
#include "port/pg_crc32c.h"
#include "storage/fd.h"
#include "storage/ipc.h"
#include "storage/lwlock.h"
#include "storage/shmem.h"
#include "storage/spin.h"
#include "utils/hsearch.h"
#include "utils/timestamp.h"
}

#include <cstddef>
#include <type_traits>

namespace dbopt::pg::capture {

using dbopt::capture::QualShape;

int max_queries = 5000;
int text_memory_kb = 4096;
bool save_on_exit = true;
bool track_constants = true;
int offset_min_rows = 1000;
int large_result_rows = 10000;

namespace {

constexpr uint32 kFileMagic = 0x44425143;  // "DBQC"
// 2: plan shapes; 3: Limit figures; 4: qual shapes; 5: origin labels after the header;
// 6: ORDER BY / GROUP BY keys; 7: replayable samples after the text; 8: parameter values;
// 9: needs_text; 10: deep OFFSET and large result counters
constexpr uint32 kFileVersion = 10;
constexpr const char* kFilePath = PGSTAT_STAT_PERMANENT_DIRECTORY "/dbopt.stat";
constexpr const char* kTempPath = PGSTAT_STAT_PERMANENT_DIRECTORY "/dbopt.stat.tmp";

struct Entry {
  QueryKey key;  // hash key, first
  slock_t mutex;
  bool dead;  // removed from the hash table (or never in it); under mutex
  Counters counters;
  double usage;
  Size text_offset;
  int text_len;  // 0: no text
  int encoding;
  Size sample_offset;        // the replayable sample in the sample area (nodeToString of the Query)
  int sample_len;            // 0: no sample
  bool sample_wants_params;  // the sample has $n parameters and no values yet
  bool needs_text;           // re-created by an execution without its text: the next parse adds it
  int access_count;
  AccessRecord access[kMaxAccessRecords];
  int key_count;  // ORDER BY / GROUP BY column keys
  OrderKey keys[kMaxOrderKeys];
  int plan_next;  // the plan slot to overwrite next
  PlanShape plans[kMaxPlanShapes];
};
static_assert(std::is_trivially_copyable_v<Entry> && std::is_standard_layout_v<Entry>,
              "shared memory holds plain structs only");
static_assert(std::is_trivially_copyable_v<QueryKey> && sizeof(QueryKey) == 24,
              "QueryKey is compared as bytes");

struct SharedStore {
  LWLock* lock;
  slock_t mutex;
  Size text_size;
  Size text_used;
  double new_entry_usage;
  int64 evictions;
  int64 dropped_access;
  int64 dropped_samples;
  Size sample_size;
  Size sample_used;
  TimestampTz since;
  pg_atomic_uint64 generation;
  char origins[kMaxOrigins][NAMEDATALEN];  // "" = free slot
};
static_assert(std::is_standard_layout_v<SharedStore>, "shared memory holds plain structs only");

struct FileHeader {
  uint32 magic;
  uint32 version;
  uint32 entry_size;
  uint32 reserved;
  int64 count;
  TimestampTz since;
};

SharedStore* store = nullptr;
HTAB* hash = nullptr;
char* texts = nullptr;
char* samples = nullptr;

// Backend-local: keys seen in the store during generation known_generation, with their
// entries (direct-mapped). An entry is only removed under the exclusive lock after a
// generation bump, so a remembered pointer is valid while the generation has not moved.
constexpr int kKnownSlots = 256;
struct KnownKey {
  QueryKey key;
  Entry* entry;
  bool complete;  // the entry had its text (not needs_text) when remembered
};
KnownKey known_keys[kKnownSlots];
uint64 known_generation = 0;

// queryid is already a well-mixed 64-bit hash: folding it with the rest is enough (cheaper
// than hashing the 24 key bytes on every lookup).
uint32 KeyHash(const void* key, Size) {
  const QueryKey* k = static_cast<const QueryKey*>(key);
  uint32 h = static_cast<uint32>(k->queryid) ^ static_cast<uint32>(k->queryid >> 32);
  h = hash_combine(h, murmurhash32(k->userid));
  return hash_combine(h, murmurhash32(k->dbid ^ (k->toplevel ? 0x80000000u : 0u) ^
                                      (static_cast<uint32>(k->origin) << 23)));
}

// queryid is a well-mixed hash already: its low bits, with the rest folded in, pick the slot.
int KnownSlot(const QueryKey& key) {
  uint32 h = static_cast<uint32>(key.queryid) ^ key.userid ^ (key.dbid << 8) ^
             (key.toplevel ? 0x80u : 0u) ^ (static_cast<uint32>(key.origin) << 4);
  return static_cast<int>(h % kKnownSlots);
}

inline bool SameKey(const QueryKey& a, const QueryKey& b) {
  return a.queryid == b.queryid && a.userid == b.userid && a.dbid == b.dbid &&
         a.toplevel == b.toplevel && a.origin == b.origin;
}

// Remembers that `entry` holds `key`; under the shared or exclusive lock.
void Remember(const QueryKey& key, Entry* entry) {
  uint64 generation = pg_atomic_read_u64(&store->generation);
  if (generation != known_generation) {
    memset(known_keys, 0, sizeof(known_keys));
    known_generation = generation;
  }
  KnownKey* slot = &known_keys[KnownSlot(key)];
  slot->key = key;
  slot->entry = entry;
  slot->complete = !entry->needs_text;  // written under the exclusive lock only
}

// The entry of `key`, from the backend's memory when it can be trusted, else from the hash
// table (then remembered); nullptr when missing. Shared or exclusive lock held, so the
// generation cannot move meanwhile.
Entry* FindEntryLocked(const QueryKey& key) {
  const KnownKey* slot = &known_keys[KnownSlot(key)];
  if (SameKey(slot->key, key) && pg_atomic_read_u64(&store->generation) == known_generation)
    return slot->entry;
  Entry* entry = static_cast<Entry*>(hash_search(hash, &key, HASH_FIND, nullptr));
  if (entry != nullptr) Remember(key, entry);
  return entry;
}

// Entries are about to be removed; exclusive lock held.
void BumpGeneration() {
  pg_atomic_fetch_add_u64(&store->generation, 1);
}

// Removes an entry from the hash table (after BumpGeneration); exclusive lock held. It is
// marked dead first, under its spinlock, for backends that reach it without the lock.
void RemoveEntryLocked(Entry* entry) {
  SpinLockAcquire(&entry->mutex);
  entry->dead = true;
  SpinLockRelease(&entry->mutex);
  hash_search(hash, &entry->key, HASH_REMOVE, nullptr);
}

Size TextSize() {
  return static_cast<Size>(text_memory_kb) * 1024;
}
// One text may take at most this much of the area, so a few huge statements cannot starve it.
Size MaxTextLen() {
  return Min(TextSize() / 8, static_cast<Size>(64 * 1024));
}

// The replayable sample area: twice the text area (no GUC of its own). A sample that does not
// fit is dropped (counted), never a reason to evict entries.
Size SampleSize() {
  return TextSize() * 2;
}

int CompareUsage(const void* a, const void* b) {
  double ua = (*static_cast<Entry* const*>(a))->usage;
  double ub = (*static_cast<Entry* const*>(b))->usage;
  return ua < ub ? -1 : ua > ub ? 1 : 0;
}

int CompareOffset(const void* a, const void* b) {
  Size oa = (*static_cast<Entry* const*>(a))->text_offset;
  Size ob = (*static_cast<Entry* const*>(b))->text_offset;
  return oa < ob ? -1 : oa > ob ? 1 : 0;
}

int CompareSampleOffset(const void* a, const void* b) {
  Size oa = (*static_cast<Entry* const*>(a))->sample_offset;
  Size ob = (*static_cast<Entry* const*>(b))->sample_offset;
  return oa < ob ? -1 : oa > ob ? 1 : 0;
}

// All entries, palloc'd; exclusive or shared lock held.
Entry** AllEntries(long* count) {
  *count = hash_get_num_entries(hash);
  Entry** all = static_cast<Entry**>(palloc(sizeof(Entry*) * (*count + 1)));
  HASH_SEQ_STATUS scan;
  hash_seq_init(&scan, hash);
  long n = 0;
  Entry* entry;
  while ((entry = static_cast<Entry*>(hash_seq_search(&scan))) != nullptr) {
    if (n < *count) {
      all[n++] = entry;
    }
  }
  *count = n;
  return all;
}

// Removes the least used ~5% (at least `minimum`); exclusive lock held.
void EvictLocked(long minimum) {
  long count = 0;
  Entry** all = AllEntries(&count);
  if (count == 0) {
    pfree(all);
    return;
  }
  qsort(all, count, sizeof(Entry*), CompareUsage);
  long victims = Min(count, Max(minimum, count / 20));
  store->new_entry_usage = all[victims - 1]->usage / 2 + 1;
  BumpGeneration();
  for (long i = 0; i < victims; ++i) RemoveEntryLocked(all[i]);
  for (long i = victims; i < count; ++i) all[i]->usage /= 2;
  pfree(all);
  SpinLockAcquire(&store->mutex);
  store->evictions += victims;
  SpinLockRelease(&store->mutex);
}

// Moves every live text to the front of the area; exclusive lock held.
void CompactTextsLocked() {
  long count = 0;
  Entry** all = AllEntries(&count);
  qsort(all, count, sizeof(Entry*), CompareOffset);
  Size cursor = 0;
  for (long i = 0; i < count; ++i) {
    Entry* entry = all[i];
    if (entry->text_len == 0) continue;
    if (entry->text_offset != cursor)
      memmove(texts + cursor, texts + entry->text_offset, entry->text_len);
    entry->text_offset = cursor;
    cursor += entry->text_len;
  }
  store->text_used = cursor;
  pfree(all);
}

// Moves every live sample to the front of the sample area; exclusive lock held.
void CompactSamplesLocked() {
  long count = 0;
  Entry** all = AllEntries(&count);
  qsort(all, count, sizeof(Entry*), CompareSampleOffset);
  Size cursor = 0;
  for (long i = 0; i < count; ++i) {
    Entry* entry = all[i];
    if (entry->sample_len == 0) continue;
    if (entry->sample_offset != cursor)
      memmove(samples + cursor, samples + entry->sample_offset, entry->sample_len);
    entry->sample_offset = cursor;
    cursor += entry->sample_len;
  }
  store->sample_used = cursor;
  pfree(all);
}

// A new entry in a hash element that dynahash just gave out (key set). Its spinlock was
// initialized at startup; a backend may still hold it for the element's previous entry.
void InitEntry(Entry* entry, double usage) {
  SpinLockAcquire(&entry->mutex);
  constexpr size_t kBody = offsetof(Entry, mutex) + sizeof(slock_t);
  memset(reinterpret_cast<char*>(entry) + kBody, 0, sizeof(Entry) - kBody);
  entry->usage = usage;
  entry->counters.first_seen = GetCurrentStatementStartTimestamp();
  entry->dead = false;
  SpinLockRelease(&entry->mutex);
}

// Gives every element of the new hash table an initialized spinlock and the dead mark, by
// entering and removing max_queries placeholder keys (InitEntry relies on it).
void InitElements() {
  Entry** elements = static_cast<Entry**>(palloc(sizeof(Entry*) * max_queries));
  int count = 0;
  for (; count < max_queries; ++count) {
    QueryKey key;
    memset(&key, 0, sizeof(key));
    key.queryid = static_cast<uint64>(count) + 1;
    bool found = false;
    Entry* entry = static_cast<Entry*>(hash_search(hash, &key, HASH_ENTER_NULL, &found));
    if (entry == nullptr) break;
    SpinLockInit(&entry->mutex);
    entry->dead = true;
    elements[count] = entry;
  }
  for (int i = 0; i < count; ++i) hash_search(hash, &elements[i]->key, HASH_REMOVE, nullptr);
  pfree(elements);
}

void ResetOriginsLocked() {
  memset(store->origins, 0, sizeof(store->origins));
  strlcpy(store->origins[kLocalOriginId], "local", NAMEDATALEN);
}

void RemoveAllLocked() {
  BumpGeneration();
  long count = 0;
  Entry** all = AllEntries(&count);
  for (long i = 0; i < count; ++i) RemoveEntryLocked(all[i]);
  pfree(all);
  store->text_used = 0;
  store->sample_used = 0;
  ResetOriginsLocked();
}

bool QualCountsValid(const Entry& entry) {
  for (int i = 0; i < kMaxAccessRecords; ++i)
    if (entry.access[i].qual_count < 0 || entry.access[i].qual_count > kMaxQuals) return false;
  return true;
}

// Reads the saved file into the empty store (postmaster, before any backend exists).
void LoadFile() {
  FILE* file = AllocateFile(kFilePath, PG_BINARY_R);
  if (file == nullptr) {
    if (errno != ENOENT)
      ereport(LOG,
              (errcode_for_file_access(), errmsg("dbopt: could not read \"%s\": %m", kFilePath)));
    return;
  }
  const char* problem = nullptr;
  pg_crc32c crc;
  INIT_CRC32C(crc);
  FileHeader header;
  int64 loaded = 0;
  if (fread(&header, sizeof(header), 1, file) != 1) {
    problem = "it is truncated";
  } else if (header.magic != kFileMagic) {
    problem = "it is not a dbopt capture file";
  } else if (header.version != kFileVersion || header.entry_size != sizeof(Entry)) {
    problem = "it was written by another version of dbopt";
  } else if (header.count < 0) {
    problem = "its header is corrupt";
  }
  if (problem == nullptr) {
    COMP_CRC32C(crc, &header, sizeof(header));
    if (fread(store->origins, sizeof(store->origins), 1, file) != 1) problem = "it is truncated";
    COMP_CRC32C(crc, store->origins, sizeof(store->origins));
    for (int i = 0; i < kMaxOrigins; ++i) store->origins[i][NAMEDATALEN - 1] = '\0';
    strlcpy(store->origins[kLocalOriginId], "local", NAMEDATALEN);
  }
  if (problem == nullptr) {
    char* buffer = static_cast<char*>(palloc(MaxTextLen() + 1));
    char* sample = static_cast<char*>(palloc(kMaxStoredSampleLen + 1));
    for (int64 i = 0; i < header.count && problem == nullptr; ++i) {
      Entry saved;
      if (fread(&saved, sizeof(saved), 1, file) != 1) {
        problem = "it is truncated";
        break;
      }
      COMP_CRC32C(crc, &saved, sizeof(saved));
      if (saved.text_len < 0 || static_cast<Size>(saved.text_len) > MaxTextLen() ||
          saved.sample_len < 0 || saved.sample_len > kMaxStoredSampleLen ||
          saved.access_count < 0 || saved.access_count > kMaxAccessRecords || saved.plan_next < 0 ||
          saved.plan_next >= kMaxPlanShapes || !QualCountsValid(saved) || saved.key_count < 0 ||
          saved.key_count > kMaxOrderKeys || saved.key.origin >= kMaxOrigins ||
          store->origins[saved.key.origin][0] == '\0') {
        problem = "an entry is corrupt";
        break;
      }
      if (saved.text_len > 0) {
        if (fread(buffer, saved.text_len, 1, file) != 1) {
          problem = "it is truncated";
          break;
        }
        COMP_CRC32C(crc, buffer, saved.text_len);
      }
      if (saved.sample_len > 0) {
        if (fread(sample, saved.sample_len, 1, file) != 1) {
          problem = "it is truncated";
          break;
        }
        COMP_CRC32C(crc, sample, saved.sample_len);
      }
      memset(saved.key.padding, 0, sizeof(saved.key.padding));
      if (hash_get_num_entries(hash) >= max_queries) continue;  // the store got smaller
      bool found = false;
      Entry* entry = static_cast<Entry*>(hash_search(hash, &saved.key, HASH_ENTER_NULL, &found));
      if (entry == nullptr || found) continue;
      memcpy(entry, &saved, sizeof(Entry));
      SpinLockInit(&entry->mutex);
      entry->dead = false;
      entry->text_offset = 0;
      if (entry->text_len > 0 && store->text_used + entry->text_len <= store->text_size) {
        entry->text_offset = store->text_used;
        memcpy(texts + store->text_used, buffer, entry->text_len);
        store->text_used += entry->text_len;
      } else {
        entry->text_len = 0;
      }
      entry->sample_offset = 0;
      if (entry->sample_len > 0 && store->sample_used + entry->sample_len <= store->sample_size) {
        entry->sample_offset = store->sample_used;
        memcpy(samples + store->sample_used, sample, entry->sample_len);
        store->sample_used += entry->sample_len;
      } else {
        entry->sample_len = 0;
        entry->sample_wants_params = false;
      }
      ++loaded;
    }
    pfree(buffer);
    pfree(sample);
    if (problem == nullptr) {
      FIN_CRC32C(crc);
      pg_crc32c saved_crc;
      char extra;
      if (fread(&saved_crc, sizeof(saved_crc), 1, file) != 1) {
        problem = "it is truncated";
      } else if (!EQ_CRC32C(crc, saved_crc)) {
        problem = "its checksum does not match";
      } else if (fread(&extra, 1, 1, file) == 1) {
        problem = "it has trailing data";
      }
    }
  }
  FreeFile(file);
  if (problem != nullptr) {
    RemoveAllLocked();
    ereport(LOG,
            (errmsg("dbopt: ignoring saved query statistics in \"%s\": %s", kFilePath, problem)));
  } else {
    store->since = header.since;
    ereport(LOG,
            (errmsg("dbopt: loaded %lld saved query entries", static_cast<long long>(loaded))));
  }
  unlink(kFilePath);
}

// Writes the store at a clean postmaster shutdown (every backend is gone: no lock needed).
void SaveFile(int code, Datum) {
  if (code != 0 || store == nullptr || hash == nullptr || !save_on_exit) return;
  SavedFileWriter file(kTempPath, kFilePath);
  if (!file.ok()) return;
  FileHeader header;
  memset(&header, 0, sizeof(header));
  header.magic = kFileMagic;
  header.version = kFileVersion;
  header.entry_size = sizeof(Entry);
  header.count = hash_get_num_entries(hash);
  header.since = store->since;
  if (file.Write(&header, sizeof(header))) file.Write(store->origins, sizeof(store->origins));
  HASH_SEQ_STATUS scan;
  hash_seq_init(&scan, hash);
  Entry* entry;
  int64 written = 0;
  while ((entry = static_cast<Entry*>(hash_seq_search(&scan))) != nullptr) {
    if (!file.ok() || written == header.count) continue;  // finish the scan
    if (file.Write(entry, sizeof(Entry)) && entry->text_len > 0)
      file.Write(texts + entry->text_offset, entry->text_len);
    if (file.ok() && entry->sample_len > 0)
      file.Write(samples + entry->sample_offset, entry->sample_len);
    ++written;
  }
  file.Finish(written == header.count);
}

}  // namespace

const char* ScanKindName(ScanKind kind) {
  switch (kind) {
    case ScanKind::kSeq:
      return "seq";
    case ScanKind::kIndex:
      return "index";
    case ScanKind::kIndexOnly:
      return "index_only";
    case ScanKind::kBitmap:
      return "bitmap";
    case ScanKind::kTid:
      return "tid";
  }
  return "unknown";
}

Size StoreShmemSize() {
  Size size = MAXALIGN(sizeof(SharedStore));
  size = add_size(size, hash_estimate_size(max_queries, sizeof(Entry)));
  size = add_size(size, MAXALIGN(TextSize()));
  size = add_size(size, MAXALIGN(SampleSize()));
  return size;
}

void StoreRequest() {
  RequestAddinShmemSpace(StoreShmemSize());
  RequestNamedLWLockTranche("dbopt", 1);
}

void StoreStartup() {
  LWLockAcquire(AddinShmemInitLock, LW_EXCLUSIVE);
  bool found = false;
  store = static_cast<SharedStore*>(ShmemInitStruct("dbopt capture", sizeof(SharedStore), &found));
  if (!found) {
    store->lock = &(GetNamedLWLockTranche("dbopt"))->lock;
    SpinLockInit(&store->mutex);
    store->text_size = TextSize();
    store->text_used = 0;
    store->new_entry_usage = 1;
    store->evictions = 0;
    store->dropped_access = 0;
    store->dropped_samples = 0;
    store->sample_size = SampleSize();
    store->sample_used = 0;
    store->since = GetCurrentTimestamp();
    pg_atomic_init_u64(&store->generation, 1);
    ResetOriginsLocked();
  }
  bool texts_found = false;
  texts = static_cast<char*>(ShmemInitStruct("dbopt capture texts", TextSize(), &texts_found));
  bool samples_found = false;
  samples =
      static_cast<char*>(ShmemInitStruct("dbopt capture samples", SampleSize(), &samples_found));
  HASHCTL info;
  memset(&info, 0, sizeof(info));
  info.keysize = sizeof(QueryKey);
  info.entrysize = sizeof(Entry);
  info.hash = KeyHash;
  hash = ShmemInitHash("dbopt capture queries", max_queries, max_queries, &info,
                       HASH_ELEM | HASH_FUNCTION);
  if (!found) InitElements();
  LWLockRelease(AddinShmemInitLock);
  if (found || IsUnderPostmaster) return;
  // The postmaster (or a single-user backend): load the saved store, save it at shutdown.
  on_shmem_exit(SaveFile, (Datum)0);
  if (save_on_exit)
    LoadFile();
  else
    unlink(kFilePath);
}

bool StoreReady() {
  return store != nullptr && hash != nullptr;
}

bool StoreSurelyHasEntry(const QueryKey& key) {
  const KnownKey* slot = &known_keys[KnownSlot(key)];
  return SameKey(slot->key, key) && slot->complete &&
         pg_atomic_read_u64(&store->generation) == known_generation;
}

bool StoreHasEntry(const QueryKey& key, bool complete) {
  LWLockAcquire(store->lock, LW_SHARED);
  Entry* entry = FindEntryLocked(key);
  bool found = entry != nullptr && !(complete && entry->needs_text);
  // Remembered again (it may have got its text since); an entry waiting for its text is
  // remembered as incomplete, so that the next parse analysis still supplies it.
  if (found) Remember(key, entry);
  LWLockRelease(store->lock);
  return found;
}

namespace {

// Adds a new entry (the key must be absent), making room by eviction and text compaction;
// exclusive lock held. Returns nullptr when the hash table refuses it.
Entry* InsertLocked(const QueryKey& key, const char* text, int len, int encoding) {
  if (text == nullptr || len < 0) len = 0;
  if (static_cast<Size>(len) > MaxTextLen())
    len = pg_encoding_mbcliplen(encoding, text, len, static_cast<int>(MaxTextLen()));
  if (hash_get_num_entries(hash) >= max_queries) EvictLocked(1);
  // Make room for the text: compact, then evict and compact again, a bounded number of times.
  for (int round = 0; len > 0 && store->text_used + len > store->text_size; ++round) {
    CompactTextsLocked();
    if (store->text_used + len <= store->text_size) break;
    if (round == 20 || hash_get_num_entries(hash) == 0) {
      len = 0;  // keep the counters; the text does not fit
      break;
    }
    EvictLocked(1);
  }
  bool found = false;
  Entry* entry = static_cast<Entry*>(hash_search(hash, &key, HASH_ENTER_NULL, &found));
  if (entry == nullptr || found) return nullptr;
  InitEntry(entry, store->new_entry_usage);
  if (len > 0) {
    entry->text_offset = store->text_used;
    entry->text_len = len;
    entry->encoding = encoding;
    memcpy(texts + store->text_used, text, len);
    store->text_used += len;
  }
  return entry;
}

}  // namespace

namespace {

// Stores `sample` (len bytes) as the entry's replayable sample, compacting the sample area
// when needed; a sample that is too long or does not fit is dropped and counted. Exclusive
// lock held.
void SetSampleLocked(Entry* entry, const char* sample, int len) {
  if (sample == nullptr || len <= 0 || entry->sample_len > 0) return;
  bool fits = len <= kMaxSampleLen;
  if (fits && store->sample_used + len > store->sample_size) {
    CompactSamplesLocked();
    fits = store->sample_used + len <= store->sample_size;
  }
  if (!fits) {
    SpinLockAcquire(&store->mutex);
    ++store->dropped_samples;
    SpinLockRelease(&store->mutex);
    return;
  }
  entry->sample_offset = store->sample_used;
  memcpy(samples + store->sample_used, sample, len);
  store->sample_used += len;
  entry->sample_len = len;
}

}  // namespace

namespace {

// Gives an entry that an execution re-created without its text (needs_text) the text and
// sample its statement's parse analysis produced. No eviction (the entry itself could go):
// compaction only, and a text that still does not fit is left out. Exclusive lock held.
void AddTextLocked(Entry* entry, const char* text, int len, int encoding, const char* sample,
                   int sample_len, bool wants_params) {
  entry->needs_text = false;
  if (text != nullptr && len > 0 && entry->text_len == 0) {
    if (static_cast<Size>(len) > MaxTextLen())
      len = pg_encoding_mbcliplen(encoding, text, len, static_cast<int>(MaxTextLen()));
    if (store->text_used + len > store->text_size) CompactTextsLocked();
    if (store->text_used + len <= store->text_size) {
      entry->text_offset = store->text_used;
      entry->text_len = len;
      entry->encoding = encoding;
      memcpy(texts + store->text_used, text, len);
      store->text_used += len;
    }
  }
  if (entry->sample_len == 0) {
    SetSampleLocked(entry, sample, sample_len);
    entry->sample_wants_params = wants_params && entry->sample_len > 0;
    // Backends may have cached this entry as settled (StoreWantsParams): make them look again.
    if (entry->sample_wants_params) BumpGeneration();
  }
}

// Creates the entry, or completes one waiting for its text; `needs_text` marks a new entry
// created without one. Exclusive lock taken here.
void CreateEntry(const QueryKey& key, const char* text, int len, int encoding, const char* sample,
                 int sample_len, bool wants_params, bool needs_text) {
  LWLockAcquire(store->lock, LW_EXCLUSIVE);
  Entry* entry = static_cast<Entry*>(hash_search(hash, &key, HASH_FIND, nullptr));
  if (entry == nullptr) {
    entry = InsertLocked(key, text, len, encoding);
    if (entry != nullptr) {
      SetSampleLocked(entry, sample, sample_len);
      entry->sample_wants_params = wants_params && entry->sample_len > 0;
      entry->needs_text = needs_text;
      Remember(key, entry);
    }
  } else if (entry->needs_text && text != nullptr) {
    AddTextLocked(entry, text, len, encoding, sample, sample_len, wants_params);
    Remember(key, entry);
  }
  LWLockRelease(store->lock);
}

// Backend-local: the text, sample and ORDER BY / GROUP BY keys of the entries this backend
// created lately at parse analysis, so that an entry evicted before its statement's
// ExecutorEnd is re-created with them (in TopMemoryContext; new entries only pay the copy).
// Top-level and nested entries have rings of their own, so that a long statement whose
// nested statements create many entries (a PL/pgSQL loop, say) still finds its own.
struct RecentEntry {
  QueryKey key;  // zeroed: empty slot
  char* text;
  int text_len;
  int encoding;
  char* sample;
  int sample_len;
  bool wants_params;
  int key_count;
  OrderKey keys[kMaxOrderKeys];
};
constexpr int kRecentTop = 4;
constexpr int kRecentNested = 16;
constexpr int kRecentSlots = kRecentTop + kRecentNested;
RecentEntry recent[kRecentSlots];  // top-level ones first
int recent_next_top = 0;
int recent_next_nested = 0;

char* CopyToTop(const char* bytes, int len) {
  if (bytes == nullptr || len <= 0) return nullptr;
  char* copy = static_cast<char*>(MemoryContextAlloc(TopMemoryContext, len));
  memcpy(copy, bytes, len);
  return copy;
}

void RememberRecent(const QueryKey& key, const char* text, int len, int encoding,
                    const char* sample, int sample_len, bool wants_params) {
  RecentEntry* slot;
  if (key.toplevel) {
    slot = &recent[recent_next_top];
    recent_next_top = (recent_next_top + 1) % kRecentTop;
  } else {
    slot = &recent[kRecentTop + recent_next_nested];
    recent_next_nested = (recent_next_nested + 1) % kRecentNested;
  }
  if (slot->text != nullptr) pfree(slot->text);
  if (slot->sample != nullptr) pfree(slot->sample);
  memset(slot, 0, sizeof(*slot));
  if (static_cast<Size>(len) > MaxTextLen())
    len = pg_encoding_mbcliplen(encoding, text, len, static_cast<int>(MaxTextLen()));
  if (sample_len > kMaxSampleLen) sample_len = 0;  // would be dropped anyway
  slot->text = CopyToTop(text, len);
  slot->text_len = slot->text != nullptr ? len : 0;
  slot->encoding = encoding;
  slot->sample = CopyToTop(sample, sample_len);
  slot->sample_len = slot->sample != nullptr ? sample_len : 0;
  slot->wants_params = wants_params;
  slot->key = key;
}

RecentEntry* FindRecent(const QueryKey& key) {
  for (int i = 0; i < kRecentSlots; ++i)
    if (memcmp(&recent[i].key, &key, sizeof(QueryKey)) == 0) return &recent[i];
  return nullptr;
}

}  // namespace

void StoreCreate(const QueryKey& key, const char* text, int len, int encoding, const char* sample,
                 int sample_len, bool wants_params) {
  if (text != nullptr && len > 0)
    RememberRecent(key, text, len, encoding, sample, sample_len, wants_params);
  CreateEntry(key, text, len, encoding, sample, sample_len, wants_params, false);
}

namespace {

// Backend-local: keys whose sample does not (or no longer) wait for parameter values, seen
// during generation settled_generation, so that sampled executions of a prepared statement
// ask the store once. An entry's flag only goes from waiting to settled, except when the
// entry is created again (after a removal: the generation moves) or gets its sample late
// (AddTextLocked moves the generation).
constexpr int kSettledSlots = 64;
QueryKey settled_keys[kSettledSlots];
uint64 settled_generation = 0;

}  // namespace

bool StoreWantsParams(const QueryKey& key) {
  uint64 generation = pg_atomic_read_u64(&store->generation);
  QueryKey* settled = &settled_keys[static_cast<uint32>(key.queryid) % kSettledSlots];
  if (generation == settled_generation && memcmp(settled, &key, sizeof(QueryKey)) == 0)
    return false;
  LWLockAcquire(store->lock, LW_SHARED);
  Entry* entry = static_cast<Entry*>(hash_search(hash, &key, HASH_FIND, nullptr));
  // Written under the exclusive lock only: stable under the shared one.
  bool wants = entry != nullptr && entry->sample_wants_params;
  if (entry != nullptr && !wants) {
    generation = pg_atomic_read_u64(&store->generation);  // cannot move under the lock
    if (generation != settled_generation) {
      memset(settled_keys, 0, sizeof(settled_keys));
      settled_generation = generation;
    }
    *settled = key;
  }
  LWLockRelease(store->lock);
  return wants;
}

void StoreSetSampleParams(const QueryKey& key, const char* params, int len) {
  LWLockAcquire(store->lock, LW_EXCLUSIVE);
  Entry* entry = static_cast<Entry*>(hash_search(hash, &key, HASH_FIND, nullptr));
  if (entry == nullptr || !entry->sample_wants_params || entry->sample_len == 0) {
    LWLockRelease(store->lock);
    return;
  }
  entry->sample_wants_params = false;  // one execution's values, or none: asked once
  bool fits = params != nullptr && len > 0 && len <= kMaxParamsLen;
  Size total = static_cast<Size>(entry->sample_len) + len + 3;
  if (fits && store->sample_used + total > store->sample_size) {
    CompactSamplesLocked();
    fits = store->sample_used + total <= store->sample_size;
  }
  if (fits) {
    // "(<query> <values>)" in a new place; the old one is a hole until the next compaction.
    char* out = samples + store->sample_used;
    out[0] = '(';
    memcpy(out + 1, samples + entry->sample_offset, entry->sample_len);
    out[entry->sample_len + 1] = ' ';
    memcpy(out + entry->sample_len + 2, params, len);
    out[total - 1] = ')';
    entry->sample_offset = store->sample_used;
    entry->sample_len = static_cast<int>(total);
    store->sample_used += total;
  } else if (params != nullptr || len > 0) {
    SpinLockAcquire(&store->mutex);
    ++store->dropped_samples;
    SpinLockRelease(&store->mutex);
  }
  LWLockRelease(store->lock);
}

char* StoreGetSample(const QueryKey& key) {
  char* copy = nullptr;
  LWLockAcquire(store->lock, LW_SHARED);
  Entry* entry = static_cast<Entry*>(hash_search(hash, &key, HASH_FIND, nullptr));
  // The sample only changes under the exclusive lock, so the shared lock keeps it stable.
  if (entry != nullptr && entry->sample_len > 0) {
    copy = static_cast<char*>(palloc(entry->sample_len + 1));
    memcpy(copy, samples + entry->sample_offset, entry->sample_len);
    copy[entry->sample_len] = '\0';
  }
  LWLockRelease(store->lock);
  return copy;
}

namespace {

// The record of (relid, kind, index), created if there is room; entry->mutex held.
AccessRecord* FindOrAddRecord(Entry* entry, const AccessSample& sample) {
  for (int j = 0; j < entry->access_count; ++j) {
    AccessRecord* candidate = &entry->access[j];
    if (candidate->relid == sample.relid && candidate->kind == sample.kind &&
        candidate->indexid == sample.indexid)
      return candidate;
  }
  if (entry->access_count == kMaxAccessRecords) return nullptr;
  AccessRecord* record = &entry->access[entry->access_count++];
  memset(record, 0, sizeof(*record));
  record->relid = sample.relid;
  record->indexid = sample.indexid;
  record->kind = sample.kind;
  return record;
}

// Adds a qual shape to a record (see dbopt::capture::MergeQualShape: a later plan or
// sampled execution whose pattern starts with a wildcard updates the flag). entry->mutex held.
void MergeQualLocked(AccessRecord* record, const QualShape& shape) {
  (void)dbopt::capture::MergeQualShape(record->quals, &record->qual_count, kMaxQuals, shape);
}

// Counts one execution of the plan `fingerprint` in the records it uses; when the plan is new
// and the execution lists its scans, remembers it first. Returns false when the plan is
// unknown and there is no shape to learn it from. entry->mutex held; *dropped counts scans
// that found no record.
bool CountPlanLocked(Entry* entry, const Execution& execution, int* dropped) {
  const PlanShape* shape = nullptr;
  for (int i = 0; i < kMaxPlanShapes && shape == nullptr; ++i)
    if (entry->plans[i].fingerprint == execution.plan_fingerprint) shape = &entry->plans[i];
  if (shape == nullptr) {
    if (!execution.has_shape) return false;
    uint8 mask = 0;
    for (int i = 0; i < execution.access_count; ++i) {
      const AccessSample& sample = execution.access[i];
      AccessRecord* record = FindOrAddRecord(entry, sample);
      if (record == nullptr) {
        ++*dropped;
        continue;
      }
      record->plan_rows = sample.plan_rows;
      for (int q = 0; q < sample.qual_count; ++q) MergeQualLocked(record, sample.quals[q]);
      mask |= static_cast<uint8>(1u << (record - entry->access));
    }
    if (execution.access_truncated) ++*dropped;
    PlanShape* slot = &entry->plans[entry->plan_next];
    entry->plan_next = (entry->plan_next + 1) % kMaxPlanShapes;
    slot->fingerprint = execution.plan_fingerprint;
    slot->mask = mask;
    shape = slot;
  }
  for (int j = 0; j < entry->access_count; ++j)
    if ((shape->mask & (1u << j)) != 0) entry->access[j].plan_calls += 1;
  return true;
}

// The rare part of MergeLocked: an execution with a deep OFFSET or a large result.
pg_noinline void MergeAntipatternsLocked(Counters* c, const Execution& execution) {
  if ((execution.antipatterns & kDeepOffset) != 0) {
    c->deep_offset_calls += 1;
    c->deep_offset_max = Max(c->deep_offset_max, execution.deep_offset);
    c->deep_offset_sum += static_cast<double>(execution.deep_offset);
    c->deep_offset_skipped += static_cast<double>(execution.offset_skipped);
    c->deep_offset_time += execution.time_ms;
  }
  if ((execution.antipatterns & kLargeResult) != 0) {
    c->large_result_calls += 1;
    c->large_result_max_rows = Max(c->large_result_max_rows, static_cast<int64>(execution.rows));
    c->large_result_rows += static_cast<double>(execution.rows);
    c->large_result_time += execution.time_ms;
  }
}

// Folds one execution into an entry; entry->mutex held. *dropped counts scans that found no
// slot. Returns CountPlanLocked's answer.
bool MergeLocked(Entry* entry, const Execution& execution, TimestampTz now, int* dropped) {
  Counters* c = &entry->counters;
  c->calls += 1;
  entry->usage += 1;
  c->total_time += execution.time_ms;
  if (c->calls == 1 || execution.time_ms < c->min_time) c->min_time = execution.time_ms;
  if (execution.time_ms > c->max_time) c->max_time = execution.time_ms;
  c->rows += static_cast<int64>(execution.rows);
  c->last_seen = now;
  if (execution.sampled && execution.limit_seen) {
    c->limit_calls += 1;
    if (execution.limit_offset > 0) {
      c->offset_calls += 1;
      c->sum_offset += static_cast<double>(execution.limit_offset);
      if (execution.limit_offset > c->max_offset) c->max_offset = execution.limit_offset;
    }
    if (execution.limit_count >= 0) {
      c->count_calls += 1;
      c->sum_count += static_cast<double>(execution.limit_count);
    }
  }
  if (execution.antipatterns != 0) MergeAntipatternsLocked(c, execution);
  if (execution.sampled) {
    c->sampled_calls += 1;
    for (int i = 0; i < execution.access_count; ++i) {
      const AccessSample& sample = execution.access[i];
      AccessRecord* record = FindOrAddRecord(entry, sample);
      if (record == nullptr) continue;  // counted by CountPlanLocked when the plan is new
      record->plan_rows = sample.plan_rows;
      record->loops += sample.loops;
      record->rows += sample.rows;
      record->removed_by_filter += sample.removed_by_filter;
      record->samples += 1;
      // A sampled execution of a known plan lists only the LIKE/regex patterns it read.
      for (int q = 0; q < sample.qual_count; ++q) MergeQualLocked(record, sample.quals[q]);
    }
  }
  return CountPlanLocked(entry, execution, dropped);
}

void AddDropped(int dropped) {
  if (dropped == 0) return;
  SpinLockAcquire(&store->mutex);
  store->dropped_access += dropped;
  SpinLockRelease(&store->mutex);
}

}  // namespace

namespace {

// The entry of an execution is gone (evicted, or reset, since parse analysis): create it
// again, with what this backend's parse analysis stored if it created it lately, else without
// text (needs_text: the next parse of the statement, in any backend, adds it).
void RecreateEntry(const QueryKey& key) {
  RecentEntry* made = FindRecent(key);
  if (made == nullptr) {
    CreateEntry(key, nullptr, 0, 0, nullptr, 0, false, true);
    return;
  }
  CreateEntry(key, made->text, made->text_len, made->encoding, made->sample, made->sample_len,
              made->wants_params, false);
  if (made->key_count > 0) StoreSetOrderKeys(key, made->keys, made->key_count);
}

}  // namespace

bool StoreRecord(const QueryKey& key, const Execution& execution) {
  TimestampTz now = GetCurrentStatementStartTimestamp();
  for (int attempt = 0; attempt < 2; ++attempt) {
    LWLockAcquire(store->lock, LW_SHARED);
    Entry* entry = FindEntryLocked(key);
    if (entry != nullptr) {
      int dropped = 0;
      SpinLockAcquire(&entry->mutex);
      bool known = MergeLocked(entry, execution, now, &dropped);
      SpinLockRelease(&entry->mutex);
      AddDropped(dropped);
      LWLockRelease(store->lock);
      return known;
    }
    LWLockRelease(store->lock);
    if (attempt == 0) RecreateEntry(key);
  }
  return true;  // no room for the entry: nothing to add a plan to
}

void StoreSetOrderKeys(const QueryKey& key, const OrderKey* keys, int count) {
  count = Min(Max(count, 0), kMaxOrderKeys);
  RecentEntry* made = FindRecent(key);
  if (made != nullptr && made->keys != keys) {
    memcpy(made->keys, keys, sizeof(OrderKey) * count);
    made->key_count = count;
  }
  LWLockAcquire(store->lock, LW_SHARED);
  Entry* entry = static_cast<Entry*>(hash_search(hash, &key, HASH_FIND, nullptr));
  if (entry != nullptr) {
    SpinLockAcquire(&entry->mutex);
    memcpy(entry->keys, keys, sizeof(OrderKey) * count);
    entry->key_count = count;
    SpinLockRelease(&entry->mutex);
  }
  LWLockRelease(store->lock);
}

namespace {

// StoreRecordKnown's work on the entry; entry->mutex held.
bool RecordKnownLocked(Entry* entry, const Execution& execution) {
  bool known = false;
  for (int i = 0; i < kMaxPlanShapes && !known; ++i)
    known = entry->plans[i].fingerprint == execution.plan_fingerprint;
  int dropped = 0;  // none: the plan is known
  if (known) (void)MergeLocked(entry, execution, GetCurrentStatementStartTimestamp(), &dropped);
  return known;
}

}  // namespace

bool StoreRecordKnown(const QueryKey& key, const Execution& execution) {
  // Where this backend last found the key, checked under the entry's spinlock alone (see the
  // lock rules above); the generation need not match.
  const KnownKey* slot = &known_keys[KnownSlot(key)];
  if (slot->entry != nullptr && SameKey(slot->key, key)) {
    Entry* entry = slot->entry;
    SpinLockAcquire(&entry->mutex);
    if (!entry->dead && SameKey(entry->key, key)) {
      bool known = RecordKnownLocked(entry, execution);
      SpinLockRelease(&entry->mutex);
      return known;
    }
    SpinLockRelease(&entry->mutex);
  }
  bool known = false;
  LWLockAcquire(store->lock, LW_SHARED);
  Entry* entry = FindEntryLocked(key);
  if (entry != nullptr) {
    SpinLockAcquire(&entry->mutex);
    known = RecordKnownLocked(entry, execution);
    SpinLockRelease(&entry->mutex);
  }
  LWLockRelease(store->lock);
  return known;
}

void StoreAddPlan(const QueryKey& key, const Execution& execution) {
  LWLockAcquire(store->lock, LW_SHARED);
  Entry* entry = FindEntryLocked(key);
  if (entry != nullptr) {
    int dropped = 0;
    SpinLockAcquire(&entry->mutex);
    (void)CountPlanLocked(entry, execution, &dropped);
    SpinLockRelease(&entry->mutex);
    AddDropped(dropped);
  }
  LWLockRelease(store->lock);
}

int StoreSnapshot(EntryCopy** entries, bool want_text, StoreInfo* info) {
  LWLockAcquire(store->lock, LW_SHARED);
  long count = hash_get_num_entries(hash);
  EntryCopy* out = static_cast<EntryCopy*>(palloc0(sizeof(EntryCopy) * (count + 1)));
  HASH_SEQ_STATUS scan;
  hash_seq_init(&scan, hash);
  Entry* entry;
  int n = 0;
  while ((entry = static_cast<Entry*>(hash_seq_search(&scan))) != nullptr) {
    if (n >= count) continue;
    EntryCopy* copy = &out[n++];
    SpinLockAcquire(&entry->mutex);
    copy->key = entry->key;
    copy->counters = entry->counters;
    copy->access_count = entry->access_count;
    memcpy(copy->access, entry->access, sizeof(entry->access));
    copy->key_count = entry->key_count;
    memcpy(copy->keys, entry->keys, sizeof(entry->keys));
    SpinLockRelease(&entry->mutex);
    strlcpy(copy->origin, store->origins[copy->key.origin], NAMEDATALEN);
    // The text only changes under the exclusive lock, so the shared lock keeps it stable.
    if (want_text && entry->text_len > 0 && entry->encoding == GetDatabaseEncoding()) {
      copy->text = static_cast<char*>(palloc(entry->text_len + 1));
      memcpy(copy->text, texts + entry->text_offset, entry->text_len);
      copy->text[entry->text_len] = '\0';
    }
  }
  if (info != nullptr) {
    info->entries = n;
    SpinLockAcquire(&store->mutex);
    info->evictions = store->evictions;
    info->dropped_access = store->dropped_access;
    info->dropped_samples = store->dropped_samples;
    info->since = store->since;
    SpinLockRelease(&store->mutex);
  }
  LWLockRelease(store->lock);
  *entries = out;
  return n;
}

void StoreReset() {
  LWLockAcquire(store->lock, LW_EXCLUSIVE);
  RemoveAllLocked();
  SpinLockAcquire(&store->mutex);
  store->evictions = 0;
  store->dropped_access = 0;
  store->dropped_samples = 0;
  store->since = GetCurrentTimestamp();
  SpinLockRelease(&store->mutex);
  store->new_entry_usage = 1;
  LWLockRelease(store->lock);
}

namespace {

// The slot of origin `label`, taking a free one (after freeing the slots no entry uses) when
// it is new; -1 when every slot is taken. Slots marked `reserved` stay (labels of the import
// under way, whose entries are not stored yet). Exclusive lock held.
int OriginSlotLocked(const char* label, const bool* reserved) {
  for (int i = 0; i < kMaxOrigins; ++i)
    if (strcmp(store->origins[i], label) == 0) return i;
  for (int pass = 0; pass < 2; ++pass) {
    for (int i = 1; i < kMaxOrigins; ++i) {
      if (store->origins[i][0] == '\0') {
        strlcpy(store->origins[i], label, NAMEDATALEN);
        return i;
      }
    }
    if (pass == 1) break;
    bool used[kMaxOrigins] = {};
    HASH_SEQ_STATUS scan;
    hash_seq_init(&scan, hash);
    Entry* entry;
    while ((entry = static_cast<Entry*>(hash_seq_search(&scan))) != nullptr)
      used[entry->key.origin] = true;
    for (int i = 1; i < kMaxOrigins; ++i)
      if (!used[i] && !reserved[i]) store->origins[i][0] = '\0';
  }
  return -1;
}

}  // namespace

int StoreImport(const ImportEntry* entries, int count) {
  uint8* slots = static_cast<uint8*>(palloc(sizeof(uint8) * (count + 1)));
  bool reserved[kMaxOrigins] = {};
  char saved_origins[kMaxOrigins][NAMEDATALEN];
  LWLockAcquire(store->lock, LW_EXCLUSIVE);
  // Every label gets its slot first, so a shortage changes nothing.
  memcpy(saved_origins, store->origins, sizeof(saved_origins));
  for (int i = 0; i < count; ++i) {
    int slot = OriginSlotLocked(entries[i].origin, reserved);
    if (slot <= 0) {  // 0 would be "local": the caller never passes it
      memcpy(store->origins, saved_origins, sizeof(saved_origins));
      LWLockRelease(store->lock);
      pfree(slots);
      return -1;
    }
    slots[i] = static_cast<uint8>(slot);
    reserved[slot] = true;
  }
  int stored = 0;
  for (int i = 0; i < count; ++i) {
    const ImportEntry& imported = entries[i];
    QueryKey key = imported.key;
    memset(key.padding, 0, sizeof(key.padding));
    key.origin = slots[i];
    Entry* existing = static_cast<Entry*>(hash_search(hash, &key, HASH_FIND, nullptr));
    if (existing != nullptr) {
      BumpGeneration();
      RemoveEntryLocked(existing);
    }
    Entry* entry = InsertLocked(key, imported.text, imported.text_len, imported.encoding);
    if (entry == nullptr) continue;
    entry->counters = imported.counters;
    entry->access_count = Min(Max(imported.access_count, 0), kMaxAccessRecords);
    memcpy(entry->access, imported.access, sizeof(AccessRecord) * entry->access_count);
    entry->key_count = Min(Max(imported.key_count, 0), kMaxOrderKeys);
    memcpy(entry->keys, imported.keys, sizeof(OrderKey) * entry->key_count);
    ++stored;
  }
  LWLockRelease(store->lock);
  pfree(slots);
  return stored;
}

}  // namespace dbopt::pg::capture
