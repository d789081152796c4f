// The capture store: per (database, user, queryId, top level) counters, one normalized query
// text and a few access-path records, in shared memory. Lock rules and layout: see the header
// comment of capture_store.cpp. Every function here is plain C-style code (no C++ object with
// a destructor on the stack) because hooks call it directly and a PostgreSQL error may
// longjmp through it; SQL functions call it through CallPg.
#pragma once
#include "core/capture/qual_shape.hpp"  // core headers first
#include "pg/postgres.hpp"

namespace dbopt::pg::capture {

enum class ScanKind : uint8 { kSeq = 1, kIndex, kIndexOnly, kBitmap, kTid };

constexpr int kMaxQuals = 6;  // qual shapes kept per access record

// An ORDER BY or GROUP BY key of a query that is a plain column of a table.
struct OrderKey {
  Oid relid;
  int16 attnum;
  bool group;       // GROUP BY (else ORDER BY)
  bool descending;  // ORDER BY ... DESC
};
constexpr int kMaxOrderKeys = 8;
const char* ScanKindName(ScanKind kind);

struct QueryKey {
  Oid userid;
  Oid dbid;
  uint64 queryid;
  bool toplevel;
  uint8 origin;     // kLocalOriginId, or the slot of an import's origin label
  char padding[6];  // zeroed: the hash table compares keys as bytes
};

// Entries captured here have origin 0 ("local"); imported ones (dbopt_import_workload) carry
// the slot of their origin label, so they never mix with local counters.
constexpr uint8 kLocalOriginId = 0;
constexpr int kMaxOrigins = 16;  // labels, "local" included

// One relation scan seen in a sampled execution (per plan node).
struct AccessSample {
  Oid relid;
  Oid indexid;  // InvalidOid for sequential and TID scans
  ScanKind kind;
  double plan_rows;  // planner estimate per loop
  double loops;
  double rows;               // actual rows over all loops
  double removed_by_filter;  // over all loops
  int qual_count;            // filled only when the plan's shape is being learned
  dbopt::capture::QualShape quals[kMaxQuals];
};

// Accumulated per (relation, scan kind, index) of one query.
struct AccessRecord {
  Oid relid;
  Oid indexid;
  ScanKind kind;
  double plan_rows;  // the latest estimate per loop
  int64 plan_calls;  // executions whose plan had this scan (every execution, sampled or not)
  double loops;      // loops, rows and removed_by_filter: over the sampled executions
  double rows;
  double removed_by_filter;
  int64 samples;
  int qual_count;  // restriction and index quals of the scan, over the plans seen
  dbopt::capture::QualShape quals[kMaxQuals];
};

constexpr int kMaxAccessRecords = 8;   // fits PlanShape::mask
constexpr int kMaxAccessSamples = 32;  // per execution; more scans than that are not recorded
constexpr int kMaxPlanShapes = 4;      // distinct plan fingerprints remembered per entry

// A plan seen for an entry: its fingerprint and the access records it uses (bit i: access[i]).
struct PlanShape {
  uint64 fingerprint;  // 0: empty slot
  uint8 mask;
};

// One execution, as the executor hooks saw it.
struct Execution {
  double time_ms;
  uint64 rows;
  uint64 plan_fingerprint;  // of the plan's relation scans (kind, relation, index); never 0
  bool sampled;             // access[] has actual rows (rows-only instrumentation was on)
  bool limit_seen;          // sampled and a Limit node ran: its runtime OFFSET and LIMIT
  int64 limit_offset;
  int64 limit_count;  // -1: no LIMIT (OFFSET only)
  bool has_shape;     // access[] lists every relation scan of the plan
  // Workload anti-patterns seen at the plan's top node, on every execution (the hot path
  // included; capture.cpp NoteTopNode): kDeepOffset / kLargeResult bits, 0 for neither.
  uint8 antipatterns;
  int64 deep_offset;     // kDeepOffset: the top Limit node's runtime OFFSET
  int64 offset_skipped;  // kDeepOffset: rows read from below it and thrown away for it
  int access_count;
  bool access_truncated;
  AccessSample access[kMaxAccessSamples];
};

// Execution::antipatterns bits.
constexpr uint8 kDeepOffset = 1;   // top Limit node with OFFSET >= dbopt.offset_min_rows
constexpr uint8 kLargeResult = 2;  // top-level SELECT, no top Limit, no cursor fetch, rows >
                                   // dbopt.large_result_rows

// An entry's counters (times in milliseconds).
struct Counters {
  int64 calls;
  double total_time;
  double min_time;
  double max_time;
  int64 rows;
  int64 sampled_calls;
  TimestampTz first_seen;
  TimestampTz last_seen;
  // Sampled executions whose (outermost) Limit node ran, with their runtime values.
  int64 limit_calls;
  int64 offset_calls;  // of those, with OFFSET > 0
  int64 max_offset;
  double sum_offset;
  int64 count_calls;  // of limit_calls, with a LIMIT count
  double sum_count;
  // Every execution (sampled or not) with a deep OFFSET (kDeepOffset).
  int64 deep_offset_calls;
  int64 deep_offset_max;
  double deep_offset_sum;
  double deep_offset_skipped;  // rows read and thrown away for the OFFSET, summed
  double deep_offset_time;     // ms, those executions' executor time
  // Every execution returning a large unbounded result (kLargeResult).
  int64 large_result_calls;
  int64 large_result_max_rows;
  double large_result_rows;  // summed
  double large_result_time;  // ms
};

// A copy of one entry, for the SQL functions.
struct EntryCopy {
  QueryKey key;
  char origin[NAMEDATALEN];  // the origin's label
  Counters counters;
  char* text;  // palloc'd, NULL when not stored
  int access_count;
  AccessRecord access[kMaxAccessRecords];
  int key_count;
  OrderKey keys[kMaxOrderKeys];
};

struct StoreInfo {
  int64 entries;
  int64 evictions;
  int64 dropped_access;
  int64 dropped_samples;  // replayable samples not stored (too long, or no room)
  TimestampTz since;
};

// Longest replayable sample kept (nodeToString of a Query); longer ones are dropped. A join
// of four tables already takes more than 16 kB (each join lists the columns of both sides).
constexpr int kMaxSampleLen = 256 * 1024;
// Longest serialized parameter values kept with a sample; longer ones are dropped (the sample
// then plans generic only). A sample with values is "(<query> <values>)": see replan.hpp.
constexpr int kMaxParamsLen = 16 * 1024;
constexpr int kMaxStoredSampleLen = kMaxSampleLen + kMaxParamsLen + 3;

// GUC variables (registered in capture.cpp).
extern int max_queries;        // dbopt.max_queries
extern int text_memory_kb;     // dbopt.text_memory
extern bool save_on_exit;      // dbopt.save
extern bool track_constants;   // dbopt.track_constants
extern int offset_min_rows;    // dbopt.offset_min_rows (read at every execution's end)
extern int large_result_rows;  // dbopt.large_result_rows (likewise)

// GUC-dependent sizing, in shmem_request_hook; attaching (and loading the saved file), in
// shmem_startup_hook.
Size StoreShmemSize();
void StoreRequest();
void StoreStartup();
bool StoreReady();

// True when this backend saw the entry in the store and nothing was removed from the store
// since (no lock, no PostgreSQL call: a backend-local cache checked against the store's
// removal generation). False means "look it up", not "missing".
bool StoreSurelyHasEntry(const QueryKey& key);
// True when an entry exists (a check under the shared lock); remembers a hit in the cache.
// `complete`: an entry an execution re-created without its text counts as missing (parse
// analysis then supplies the text).
bool StoreHasEntry(const QueryKey& key, bool complete = false);
// Creates the entry if missing, with `text` (len bytes, may be NULL) as its query text and
// `sample` (sample_len bytes, may be NULL: dbopt.track_constants = off) as its replayable
// sample.
// wants_params: the sample has $n parameters (extended protocol, PREPARE, PL/pgSQL variables)
// whose values an execution should add (StoreWantsParams / StoreSetSampleParams).
void StoreCreate(const QueryKey& key, const char* text, int len, int encoding,
                 const char* sample = nullptr, int sample_len = 0, bool wants_params = false);
// True when the entry's replayable sample still waits for the values of its parameters.
bool StoreWantsParams(const QueryKey& key);
// Attaches the serialized parameter values of one execution (len bytes) to the entry's
// sample, once. NULL with len 0: there were none (stop asking); NULL with len > 0, longer than
// kMaxParamsLen, or no room: dropped and counted in dropped_samples.
void StoreSetSampleParams(const QueryKey& key, const char* params, int len);
// A palloc'd copy of the entry's replayable sample; NULL when the entry or its sample is
// missing.
char* StoreGetSample(const QueryKey& key);
// Records the ORDER BY / GROUP BY column keys of an existing entry (from parse analysis).
void StoreSetOrderKeys(const QueryKey& key, const OrderKey* keys, int count);
// Adds one execution; creates the entry (without text) when it is missing. Returns false when
// the entry does not know execution.plan_fingerprint and the execution has no shape: the
// caller then lists the plan's scans (has_shape) and calls StoreAddPlan.
bool StoreRecord(const QueryKey& key, const Execution& execution);
// The hot path: adds one execution to an existing entry that knows
// execution.plan_fingerprint (shared lock, spinlock, no allocation, no error raised). Returns
// false, having changed nothing, otherwise: the caller then goes through StoreRecord.
bool StoreRecordKnown(const QueryKey& key, const Execution& execution);
// Records the plan shape of an execution already counted by StoreRecord.
void StoreAddPlan(const QueryKey& key, const Execution& execution);
// Copies every entry into palloc'd memory; texts only with want_text. Returns the count.
int StoreSnapshot(EntryCopy** entries, bool want_text, StoreInfo* info);
void StoreReset();

// One entry of an imported workload (dbopt_import_workload), already mapped to local OIDs.
struct ImportEntry {
  QueryKey key;        // key.origin is ignored: `origin` names it
  const char* origin;  // label, 1..NAMEDATALEN-1 bytes, not "local"
  Counters counters;
  const char* text;  // NULL: no text
  int text_len;
  int encoding;
  int access_count;
  AccessRecord access[kMaxAccessRecords];
  int key_count;
  OrderKey keys[kMaxOrderKeys];
};
// Merges imported entries under one exclusive lock: an entry of the same key and origin is
// replaced (an export holds its source's running totals, so importing again does not count
// twice). Returns how many were stored, or -1 (and changes nothing) when the labels would
// need more than kMaxOrigins origin slots.
int StoreImport(const ImportEntry* entries, int count);

}  // namespace dbopt::pg::capture
