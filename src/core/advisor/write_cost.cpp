#include "core/advisor/write_cost.hpp"

#include <algorithm>

namespace dbopt::advisor {

double VacuumCycles(double dead_tuples, double rows, const WriteCostModel& model) {
  const double trigger =
      std::max(1.0, model.vacuum_threshold + model.vacuum_scale_factor * std::max(0.0, rows));
  return std::max(0.0, dead_tuples) / trigger;
}

double IndexMaintenanceCost(const TableWrites& writes, const TableIndexes& indexes,
                            const WriteCostModel& model) {
  if (indexes.added == 0 && indexes.replacing == 0) return 0;
  const double non_hot = std::max(0.0, writes.updated - writes.hot_updated);
  const double lost_hot = std::clamp(indexes.lost_hot_updates, 0.0, writes.hot_updated);
  const double all = static_cast<double>(indexes.existing + indexes.added);
  // Entries written at write time (as before: a replacing index swaps one for another).
  const double entries = (writes.inserted + non_hot) * indexes.added + lost_hot * all;
  double cost = model.index_entry_cost * entries + model.lost_hot_heap_cost * lost_hot;
  // Dead entries and VACUUM passes: with the new indexes, less without them.
  const double dead_before = std::max(0.0, writes.deleted) + non_hot;
  const double dead_after = dead_before + lost_hot;
  const double pages_before = std::max(0.0, indexes.existing_pages);
  const double pages_after = std::max(0.0, pages_before + indexes.added_pages);
  const double vacuum_before =
      model.vacuum_entry_cost * dead_before * indexes.existing +
      model.vacuum_page_cost * VacuumCycles(dead_before, indexes.table_rows, model) * pages_before;
  const double vacuum_after =
      model.vacuum_entry_cost * dead_after * all +
      model.vacuum_page_cost * VacuumCycles(dead_after, indexes.table_rows, model) * pages_after;
  cost += std::max(0.0, vacuum_after - vacuum_before);
  return cost;
}

}  // namespace dbopt::advisor
