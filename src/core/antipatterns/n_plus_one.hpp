// N+1 loop detection over a stream of statement events (one backend's, in the order the
// statements ended). PostgreSQL-free; the glue (src/pg/loops.cpp) keeps the events in a
// per-backend ring in shared memory and the detector state beside it, so every type here is
// a plain fixed-size struct (no pointers, no allocation): the state lives in shared memory
// and any process may continue it.
//
// The model. Events are grouped into *windows*: one explicit transaction, or a run of
// autocommit statements of one session separated by idle gaps shorter than max_gap. Within a
// window, a SELECT that returned at least min_repeats rows is a *source*; it opens a *frame*
// that collects the statements run after it (each query shape, top level or nested, one
// counter; SELECTs, and writes: an INSERT or UPDATE per row is a write loop). A frame ends
// when its source runs again, when the window ends, or when frames run out; then every
// counter that ran at least min_repeats times, returning at most max_rows rows nearly every
// time (big executions at most one in ten), and about as many times as the source returned
// rows (between a third of them and one more) is a loop. Three kinds of loops are *weak*: up
// to two and a half repeats per row (two lookups of one shape per row, or a batch that
// happens to follow a list), fewer than two thirds of the rows (rows skipped, or a smaller
// batch after a list), and loops whose first repeat came after a pause (more than a tenth of
// max_gap after the source: the application did other work first, or moved on); the report
// keeps a weak loop only when the tables show a relation (LoopRelations below).
// Sources that end after their repeats (a PL/pgSQL FOR loop reads its query through a
// cursor that ends when the loop does; a function in a select list runs per row) adopt the
// counters of statements that started after them, and close that loop at once.
#pragma once
#include "core/common/no_postgres.hpp"

#include <cstdint>
#include <string>
#include <vector>

#include "core/health/finding.hpp"

namespace dbopt::antipatterns {

// One finished statement, as the capture hooks saw it (fixed size: it is the ring's slot).
struct StatementEvent {
  std::uint64_t queryid;
  std::int64_t start_ns;  // monotonic clock: the statement's first ExecutorRun
  std::int64_t end_ns;    // monotonic clock: its last ExecutorRun/ExecutorFinish ended
  std::uint32_t rows;     // rows returned or affected over all its runs (capped)
  std::uint32_t xact;     // the backend's local transaction counter
  std::int32_t session;   // the backend's process id (a new session starts a new window)
  std::uint32_t userid;
  std::uint32_t dbid;
  std::uint8_t level;  // nesting level, 0 = sent by the client
  std::uint8_t flags;  // kEventInBlock | kEventSelect
  std::uint16_t padding;
  std::uint32_t relid;  // the table an INSERT/UPDATE/DELETE/MERGE wrote (0: not a write)
  std::uint32_t spare;
};
constexpr std::uint8_t kEventInBlock = 1;  // ran inside an explicit transaction block
constexpr std::uint8_t kEventSelect = 2;   // a SELECT (the only statements loops are made of)

struct NPlusOneConfig {
  int min_repeats = 5;                   // dbopt.n_plus_one_min_repeats
  std::int64_t max_gap_ns = 1000000000;  // dbopt.n_plus_one_max_gap
  int max_rows = 10;                     // dbopt.n_plus_one_max_rows
};

// One loop found: a source query, then `repeats` executions of one repeated query.
struct LoopFound {
  std::uint32_t dbid;
  std::uint32_t userid;
  std::uint64_t source_queryid;
  bool source_toplevel;
  std::uint64_t repeated_queryid;
  bool repeated_toplevel;
  std::int64_t repeats;
  std::int64_t source_rows;
  std::int64_t loop_ns;    // from the source's start to the last repeat's end
  std::int64_t repeat_ns;  // the repeats' own time, summed
  bool writes;             // the repeated statement writes (INSERT, UPDATE, DELETE, MERGE)
  std::uint8_t weak;       // kLoopLate | kLoopMultiple | kLoopFewer
};
constexpr std::uint8_t kLoopLate = 1;      // the first repeat came after a pause
constexpr std::uint8_t kLoopMultiple = 2;  // more repeats than source rows + 1
constexpr std::uint8_t kLoopFewer = 4;     // fewer repeats than two thirds of the source rows

using LoopSink = void (*)(void* context, const LoopFound& loop);

constexpr int kMaxFrames = 4;
constexpr int kMaxCounters = 8;

struct LoopCounter {
  std::uint64_t queryid;  // 0: free
  std::uint32_t userid;
  bool toplevel;
  bool write;          // the shape writes
  bool late;           // joined its frame after a pause (a weak loop)
  std::int64_t small;  // executions returning at most max_rows rows
  std::int64_t big;    // the others
  std::int64_t first_start_ns;
  std::int64_t last_end_ns;
  std::int64_t time_ns;
};

struct LoopFrame {
  bool used;
  bool has_source;
  bool source_toplevel;
  std::uint64_t source_queryid;
  std::int64_t source_rows;
  std::int64_t source_start_ns;
  std::int64_t source_end_ns;
  std::uint64_t opened;  // frame order (larger: newer)
  LoopCounter counters[kMaxCounters];
};

// The detector's state for one backend's stream.
struct NPlusOneState {
  bool open;  // a window is open
  bool last_in_block;
  std::int32_t session;
  std::uint32_t xact;
  std::uint32_t dbid;
  std::int64_t last_end_ns;
  std::uint64_t frames_opened;
  std::int64_t dropped;  // statements no counter had room for
  // The counter the last statement went to (hot_queryid 0: none); while the frames do not
  // change, the same shape goes to the same counter (Feed's fast path).
  std::uint64_t hot_queryid;
  bool hot_toplevel;
  std::int8_t hot_frame;
  std::int8_t hot_counter;
  LoopFrame frames[kMaxFrames];
};

// Starts empty (the state may also be zero-filled memory).
void ResetState(NPlusOneState* state);
// Counts one execution of a shape (events have end_ns >= start_ns).
inline void CountRepeat(LoopCounter* counter, const StatementEvent& event,
                        const NPlusOneConfig& config) {
  if (event.rows <= static_cast<std::uint32_t>(config.max_rows))
    ++counter->small;
  else
    ++counter->big;
  counter->time_ns += event.end_ns - event.start_ns;
  if (event.end_ns > counter->last_end_ns) counter->last_end_ns = event.end_ns;
}

// Everything but the fast path below.
void FeedSlow(NPlusOneState* state, const StatementEvent& event, const NPlusOneConfig& config,
              LoopSink sink, void* context);

// Feeds one event; loops that end with it go to sink. Fast path, inline because every
// statement of a batch or a loop takes it: the shape of the last statement again, outside a
// transaction block, within max_gap, not a source — the same counter as last time (while no
// frame changes, FeedSlow would pick it again).
inline void Feed(NPlusOneState* state, const StatementEvent& event, const NPlusOneConfig& config,
                 LoopSink sink, void* context) {
  if (event.queryid == state->hot_queryid && event.queryid != 0 &&
      event.session == state->session && (event.level == 0) == state->hot_toplevel &&
      event.flags == kEventSelect && !state->last_in_block && state->open &&
      event.rows < static_cast<std::uint32_t>(config.min_repeats) &&
      event.start_ns - state->last_end_ns < config.max_gap_ns) {
    state->xact = event.xact;
    if (event.end_ns > state->last_end_ns) state->last_end_ns = event.end_ns;
    CountRepeat(&state->frames[state->hot_frame].counters[state->hot_counter], event, config);
    return;
  }
  FeedSlow(state, event, config, sink, context);
}
// Ends the open window when the session has been idle (outside a transaction block) for
// max_gap by now_ns (same clock as the events): its loops are complete.
void CloseIfIdle(NPlusOneState* state, std::int64_t now_ns, const NPlusOneConfig& config,
                 LoopSink sink, void* context);
// Ends the open window whatever its state (the session ended; or, on a copy, to see the
// loops of a window still open).
void Flush(NPlusOneState* state, const NPlusOneConfig& config, LoopSink sink, void* context);

// The batched form of a repeated query: its first `column = $n` (or `column = variable`
// of a PL/pgSQL loop, then fed from the source query) turned into `column = ANY(...)`.
// Returns "" when no such comparison is found.
struct BatchedRewrite {
  std::string statement;  // the rewritten query
  std::string column;     // the compared column as written (e.g. "a.author_id")
  std::string operand;    // what it was compared to ("$1", "r.author_id")
};
BatchedRewrite RewriteBatched(const std::string& repeated, const std::string& source);

// True when a repeated query pages with OFFSET (outside string literals): reading a list page
// by page is not a lookup per row, even right after a query of about as many rows.
bool PagesWithOffset(const std::string& repeated);

// What the catalog says about the tables of a loop's source and repeated queries.
enum class RelationEvidence {
  kUnknown,    // a side's tables are not known, or the schema declares no foreign key there
  kRelated,    // a table in common, a foreign key between the two sides, or (no foreign key
               // declared on the source's tables) a column named after the other side's table
  kUnrelated,  // the source's tables declare foreign keys, none to or from the repeated's
};
struct ForeignKeyEdge {
  std::uint32_t from;  // the referencing table
  std::uint32_t to;    // the referenced table
};
// A table's name and column names, for the naming convention of schemas without foreign keys.
struct TableNames {
  std::uint32_t table;
  std::string name;
  std::vector<std::string> columns;
};
// Where the schema declares no foreign key on the source's tables, the naming convention of
// ORMs stands in: a column <singular of the other table>_id on one side (posts.user_id and
// users; order_items.order_id and orders; a prefix before the last word is allowed:
// shop_cart_items.product_id and shop_products).
RelationEvidence LoopRelations(const std::vector<std::uint32_t>& source_tables,
                               const std::vector<std::uint32_t>& repeated_tables,
                               const std::vector<ForeignKeyEdge>& foreign_keys,
                               const std::vector<TableNames>& names = {});
// True when a column of `from` is named after `to` (<singular of to's name>_id).
bool ColumnNamedAfter(const TableNames& from, const TableNames& to);
// True for the statements PostgreSQL's foreign-key triggers run (a row lock on the referenced
// row for each row inserted, cascades): they repeat with every write of a write loop, but the
// application did not send them.
bool ForeignKeyCheck(const std::string& text);
// Whether a (source, repeated) pair is reported: never when the tables are unrelated; when
// every loop of the pair was weak (see the model above), only when they are related.
bool ReportLoop(RelationEvidence evidence, bool only_weak_loops);
const char* RelationEvidenceName(RelationEvidence evidence);

// The aggregate of one (source, repeated) pair, with the texts the caller may read ("" when
// unknown or not visible), for the finding.
struct LoopSummary {
  std::uint64_t source_queryid = 0;
  bool source_toplevel = true;
  std::uint64_t repeated_queryid = 0;
  bool repeated_toplevel = true;
  std::int64_t occurrences = 0;
  std::int64_t total_repeats = 0;
  std::int64_t max_repeats = 0;
  std::int64_t total_source_rows = 0;
  std::int64_t weak_occurrences = 0;
  bool writes = false;
  RelationEvidence relation = RelationEvidence::kUnknown;
  double loop_ms = 0;    // total
  double repeat_ms = 0;  // total
  std::string source_text;
  std::string repeated_text;
};
// check_id "n_plus_one" ("n_plus_one_writes" for a write loop): the message with the numbers,
// the evidence, and as remediation the batched statement (RewriteBatched) when the repeated
// query's text shows its key column (not for an INSERT: the message says how to batch it).
Finding NPlusOneFinding(const LoopSummary& loop);

}  // namespace dbopt::antipatterns
