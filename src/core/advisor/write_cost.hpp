// What new indexes cost the writes of their table, in planner cost units, over the period the
// workload's calls were counted in. The model (docs/advisor.md, "Write cost"):
//
//  * Entries written: every inserted row and every non-HOT update writes one entry into each
//    new index (index_entry_cost each: a descent, a leaf page, WAL).
//  * Lost HOT updates: an update of a column that a new index stores cannot be HOT; it writes
//    an entry into every index of the table, old and new, and a new heap tuple version
//    (lost_hot_heap_cost).
//  * Dead entries (deletes): a DELETE touches no index when it runs, but each deleted row
//    leaves a dead entry in every index, and so does the old version of every non-HOT update.
//    VACUUM removes them: per dead entry and index a small amount of work (vacuum_entry_cost),
//    and per VACUUM cycle a full pass over every index (its pages × vacuum_page_cost:
//    B-tree, hash and GIN bulk-delete read the whole index). Cycles over the period are
//    autovacuum's: dead tuples / (vacuum_threshold + vacuum_scale_factor × table rows). A new
//    index adds its own entries and passes; lost HOT updates add dead tuples, hence cycles,
//    which every existing index pays too. Only the difference to the table without the new
//    indexes is charged.
#pragma once
#include "core/common/no_postgres.hpp"

#include "core/advisor/workload_input.hpp"

namespace dbopt::advisor {

struct WriteCostModel {
  double index_entry_cost = 1.0;
  double lost_hot_heap_cost = 1.0;
  double vacuum_entry_cost = 0.01;   // 2 × cpu_index_tuple_cost: bulk-delete marks, compacts
  double vacuum_page_cost = 1.0;     // seq_page_cost: the bulk-delete pass reads pages in order
  double vacuum_threshold = 50;      // autovacuum_vacuum_threshold
  double vacuum_scale_factor = 0.2;  // autovacuum_vacuum_scale_factor
};

// The indexes of one table, before and after.
struct TableIndexes {
  double table_rows = 0;
  int existing = 0;             // valid indexes the table has
  double existing_pages = 0;    // their pages
  int added = 0;                // new indexes (a widening counts in replacing, not here)
  int replacing = 0;            // new indexes that replace an existing one of the same table
  double added_pages = 0;       // pages of the new indexes, less those of the replaced ones
  double lost_hot_updates = 0;  // HOT updates that would set a column a new index stores
};

// The cost the new indexes add to `writes` (0 when none is added).
double IndexMaintenanceCost(const TableWrites& writes, const TableIndexes& indexes,
                            const WriteCostModel& model);

// VACUUM cycles over the period for this many dead tuples on a table of `rows` rows.
double VacuumCycles(double dead_tuples, double rows, const WriteCostModel& model);

}  // namespace dbopt::advisor
