// What the index advisor knows about a workload: per query, how it reads each table (the
// captured qual shapes, ORDER BY / GROUP BY keys, LIMIT, the columns it reads) and how often
// it runs; per table, the writes that every new index would have to follow. The server glue
// fills it from the capture store and the replayable samples; unit tests by hand.
#pragma once
#include "core/common/no_postgres.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/capture/qual_shape.hpp"
#include "core/capture/workload.hpp"
#include "core/model/catalog.hpp"

namespace dbopt::advisor {

// One condition of a query on a column (or an expression) of one table.
struct Predicate {
  std::string column;      // raw column name; empty for an expression
  std::string expression;  // SQL text of an indexable expression, e.g. "lower(email)"; capture
                           // does not record expressions yet, so only callers that parse
                           // the query fill it
  capture::QualKind kind = capture::QualKind::kOther;
  capture::QualOperand operand = capture::QualOperand::kOther;
  bool leading_wildcard = false;  // LIKE '%x' / unanchored regex
  bool case_insensitive = false;  // ILIKE, ~*
  // The whole condition as SQL with its constant ("status = 'open'", "deleted_at IS NULL"),
  // when known: what a partial index's WHERE clause says. IS [NOT] NULL is derived here.
  std::string condition;
  double selectivity = -1;  // fraction of the rows it keeps; -1 unknown
};

struct SortKey {
  std::string column;
  bool descending = false;
};

// How one query reads one table.
struct TableUse {
  ObjectId table_id = 0;
  std::vector<Predicate> predicates;
  std::vector<SortKey> order_by;  // the query's ORDER BY when all of it is on this table
  std::vector<std::string> group_by;
  std::vector<std::string> columns_read;  // every column of the table it reads; empty: unknown
};

struct Query {
  std::int64_t queryid = 0;
  std::string text;  // normalized
  double calls = 1;
  bool has_limit = false;  // a LIMIT (or FETCH FIRST) over the ORDER BY
  bool is_write = false;   // INSERT/UPDATE/DELETE: their index maintenance is in TableWrites
  std::vector<TableUse> tables;
};

// Row writes of one table over the same period as the queries' calls.
struct TableWrites {
  double inserted = 0;
  double updated = 0;
  double hot_updated = 0;  // updates that were HOT (no index entry written)
  double deleted = 0;
  // Rows updated per column set by UPDATE statements: an index on such a column turns that
  // many HOT updates into non-HOT ones (every index of the table gets an entry). Unknown
  // columns: absent.
  std::map<std::string, double> updated_columns;
};

struct Workload {
  std::vector<Query> queries;
  std::map<ObjectId, TableWrites> writes;
};

// The advisor's view of captured entries: qual shapes and sort/group keys of every access
// record become predicates of a TableUse (several records of one relation merge), a Limit
// seen at runtime marks has_limit. Relations not in `catalog` (dropped, other databases) are
// left out; entries without any known relation are skipped.
Workload WorkloadFromCapture(const std::vector<capture::WorkloadEntry>& entries,
                             const Catalog& catalog);

// Partitioned tables have no statistics counters or row counts of their own in pg_stat and
// (until ANALYZE of the parent) pg_class: fills them from their leaf partitions, summed
// (rows and pages only when the parent's are unknown, i.e. <= 0).
void SumPartitionStatistics(Catalog* catalog);

// The table a use of `table_id` is advised on: queries may name a partition (a leaf, or a
// sub-partitioned table) directly. The rule: the workload's uses and writes of a partition
// tree go to its root, where one partitioned index serves every partition (and future ones),
// unless the workload only ever reads one relation of the tree, named directly (one
// partition): then they stay on it, and a plain index on that partition is proposed. Writes
// follow their table's uses: to the root, or, for the single partition, its own writes plus
// its share (by rows) of the writes made through its ancestors. Uses that end up on the same
// table within one query are merged.
void MapPartitionsToRoots(const Catalog& catalog, Workload* workload);

// Writes without a capture (dbopt_recommend_indexes_for()): each table's statistics counters
// (inserts, updates, HOT updates, deletes since the last reset; SumPartitionStatistics first
// for partitioned tables) brought to the workload's period by the table's reads over the same
// counters: writes per read (seq_scan + idx_scan of its indexes, partitions summed, at least
// 1) × the calls of the workload's queries that read it. Replaces workload->writes of every
// table the workload reads; a column that a given UPDATE sets counts as set by all of the
// table's updates (an upper bound for the HOT updates an index on it would cost). A table
// read fewer than `min_reads` times since the reset gets no writes at all: its counters are
// mostly the load that filled it, not traffic (a bulk load of N rows read a few times would
// charge thousands of rows per read).
void AddCounterWritesPerRead(const Catalog& catalog, double min_reads, Workload* workload);

// Writes of every table in `catalog` from its statistics counters (inserts, updates, HOT
// updates, deletes), scaled by `scale` (to bring counters kept since a statistics reset to
// the period the calls were counted over).
void AddTableWrites(const Catalog& catalog, double scale, Workload* workload);

}  // namespace dbopt::advisor
