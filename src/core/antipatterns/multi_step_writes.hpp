// Multi-step writes without a transaction (issue 5, detector 4), over the same per-backend
// stream of statement events as the N+1 detector (n_plus_one.hpp). PostgreSQL-free; the state
// is a plain fixed-size struct that lives in shared memory beside the ring.
//
// The model. A *write* is an event with a written relation (INSERT, UPDATE, DELETE, MERGE;
// top level or nested) that ran outside an explicit transaction block. Writes of one session
// separated by gaps shorter than max_gap form a *run*; the run remembers its last
// kMaxWriteShapes write shapes (query id, top level, user), each with the transaction and the
// end of its latest execution and the order in which the shapes first appeared in the run.
// A new write W pairs with every remembered shape E that
//   - first appeared before W's shape in the run (in a repeated order-then-items sequence,
//     the items follow the order; the next order does not "follow" the previous items),
//   - wrote another table (the same table twice is a batch, not an order and its items),
//   - ran in another transaction (writes of one statement, one function call or one trigger
//     share their transaction and are atomic),
//   - ended less than max_gap before W started,
//   - has not yet been paired with W's shape since E's latest execution (one order followed
//     by ten items is one occurrence, not ten).
// Whether the two tables are related by a foreign key is decided when the pairs are read
// (the catalog is not at hand here): see RelatingConstraint.
#pragma once
#include "core/common/no_postgres.hpp"

#include <cstdint>
#include <string>
#include <vector>

#include "core/antipatterns/n_plus_one.hpp"  // StatementEvent, ForeignKeyEdge
#include "core/health/finding.hpp"

namespace dbopt::antipatterns {

struct MultiWriteConfig {
  std::int64_t max_gap_ns = 1000000000;  // dbopt.multi_step_write_max_gap
};

// Two writes of one session in separate transactions, the first ending `gap_ns` before the
// second started.
struct WritePairFound {
  std::uint32_t dbid;
  std::uint32_t userid;
  std::uint64_t first_queryid;
  bool first_toplevel;
  std::uint32_t first_relid;
  std::uint64_t second_queryid;
  bool second_toplevel;
  std::uint32_t second_relid;
  std::int64_t gap_ns;
};

using WritePairSink = void (*)(void* context, const WritePairFound& pair);

constexpr int kMaxWriteShapes = 4;

struct WriteShape {
  std::uint64_t queryid;  // 0: free
  std::uint32_t userid;
  std::uint32_t relid;
  std::uint32_t xact;  // of its latest execution
  bool toplevel;
  std::uint8_t paired;  // bit j: already paired with shape j since its latest execution
  std::uint32_t order;  // when the shape first appeared in the run (smaller: earlier)
  std::int64_t end_ns;  // its latest execution's end
};

// The detector's state for one backend's stream (zero-filled memory is a valid empty state).
struct MultiWriteState {
  bool open;  // a run is open
  std::int32_t session;
  std::uint32_t next_order;
  std::int64_t last_end_ns;  // the run's latest write end
  WriteShape shapes[kMaxWriteShapes];
};

void ResetState(MultiWriteState* state);

void FeedWriteSlow(MultiWriteState* state, const StatementEvent& event,
                   const MultiWriteConfig& config, WritePairSink sink, void* context);

// Feeds one event; pairs it completes go to sink. Reads and statements inside a transaction
// block leave the state alone (inline: most events are those).
inline void FeedWrite(MultiWriteState* state, const StatementEvent& event,
                      const MultiWriteConfig& config, WritePairSink sink, void* context) {
  if (event.relid == 0 || (event.flags & kEventInBlock) != 0) return;
  FeedWriteSlow(state, event, config, sink, context);
}

// A foreign key between two tables with its name, as read from pg_constraint.
struct NamedForeignKey {
  ForeignKeyEdge edge;  // conrelid -> confrelid (n_plus_one.hpp)
  std::string name;     // conname
};
// The foreign key relating two written tables, in either direction (the first by name when
// there are several), or nullptr: different tables only (a table referencing itself is not
// a pair; see the header comment), and directly (a chain through a third table is not).
const NamedForeignKey* RelatingConstraint(const std::vector<NamedForeignKey>& keys,
                                          std::uint32_t first_relid, std::uint32_t second_relid);

// One (first query, second query) aggregate with what the caller may see, for the finding.
struct WritePairSummary {
  std::uint64_t first_queryid = 0;
  bool first_toplevel = true;
  std::uint64_t second_queryid = 0;
  bool second_toplevel = true;
  std::string first_table;  // qualified, quoted as needed
  std::string second_table;
  std::string constraint_name;
  std::string referencing_table;  // the constraint's table (one of the two)
  std::int64_t occurrences = 0;
  double mean_gap_ms = 0;
  double max_gap_ms = 0;
  std::string first_text;  // normalized texts; "" when unknown or not visible
  std::string second_text;
};
// check_id "unsafe_multi_step_write": the message with the numbers, the evidence, and as
// remediation the two statements in one transaction (BEGIN, the first, the second, COMMIT)
// when both texts are visible.
Finding MultiStepWriteFinding(const WritePairSummary& pair);

}  // namespace dbopt::antipatterns
