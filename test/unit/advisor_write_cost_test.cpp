// The advisor's write-cost model (core/advisor/write_cost): entries written by inserts and
// non-HOT updates, HOT updates lost, and the VACUUM work that deletes (and the old versions of
// non-HOT updates) leave in every index; writes from statistics counters per read.
#include <gtest/gtest.h>

#include "catalog_builder.hpp"
#include "core/advisor/workload_input.hpp"
#include "core/advisor/write_cost.hpp"

namespace dbopt::advisor {
namespace {

TEST(WriteCostTest, NothingAddedCostsNothing) {
  TableWrites writes;
  writes.inserted = 1000;
  writes.deleted = 1000;
  TableIndexes indexes;
  indexes.existing = 3;
  indexes.existing_pages = 300;
  EXPECT_DOUBLE_EQ(IndexMaintenanceCost(writes, indexes, WriteCostModel{}), 0);
}

TEST(WriteCostTest, InsertsWriteOneEntryPerNewIndex) {
  WriteCostModel model;
  model.vacuum_entry_cost = 0;
  model.vacuum_page_cost = 0;
  TableWrites writes;
  writes.inserted = 100;
  writes.updated = 50;
  writes.hot_updated = 20;
  TableIndexes indexes;
  indexes.existing = 2;
  indexes.added = 2;
  // (100 inserted + 30 non-HOT) entries in each of 2 new indexes.
  EXPECT_DOUBLE_EQ(IndexMaintenanceCost(writes, indexes, model), 260);
  // 10 HOT updates lost: an entry in all 4 indexes and a heap write each.
  indexes.lost_hot_updates = 10;
  EXPECT_DOUBLE_EQ(IndexMaintenanceCost(writes, indexes, model), 260 + 40 + 10);
  // Never more than the HOT updates there are.
  indexes.lost_hot_updates = 1e9;
  EXPECT_DOUBLE_EQ(IndexMaintenanceCost(writes, indexes, model), 260 + 80 + 20);
}

TEST(WriteCostTest, DeletesCostVacuumWorkPerIndex) {
  WriteCostModel model;
  TableWrites writes;
  writes.deleted = 10000;
  TableIndexes indexes;
  indexes.table_rows = 100000;
  indexes.existing = 1;
  indexes.existing_pages = 300;
  indexes.added = 1;
  indexes.added_pages = 200;
  // No entry at delete time; 10,000 dead entries to remove from the new index, and the new
  // index's pages read by each VACUUM cycle: 10,000 / (50 + 0.2 × 100,000) cycles.
  const double cycles = 10000.0 / (50 + 20000);
  EXPECT_NEAR(VacuumCycles(10000, 100000, model), cycles, 1e-12);
  EXPECT_NEAR(IndexMaintenanceCost(writes, indexes, model), 10000 * 0.01 + cycles * 200, 1e-9);
  // A larger index costs more VACUUM reading; more deletes cost more.
  indexes.added_pages = 2000;
  const double bigger = IndexMaintenanceCost(writes, indexes, model);
  EXPECT_GT(bigger, 10000 * 0.01 + cycles * 200);
  writes.deleted = 20000;
  EXPECT_GT(IndexMaintenanceCost(writes, indexes, model), bigger);
}

TEST(WriteCostTest, LostHotUpdatesAddVacuumCyclesForExistingIndexes) {
  WriteCostModel model;
  model.index_entry_cost = 0;
  model.lost_hot_heap_cost = 0;
  model.vacuum_entry_cost = 0;
  TableWrites writes;
  writes.updated = 5000;
  writes.hot_updated = 5000;
  TableIndexes indexes;
  indexes.table_rows = 1000;
  indexes.existing = 1;
  indexes.existing_pages = 100;
  indexes.added = 1;
  indexes.added_pages = 10;
  EXPECT_DOUBLE_EQ(IndexMaintenanceCost(writes, indexes, model), 0);  // all stay HOT
  indexes.lost_hot_updates = 2500;
  // 2,500 more dead tuples: 2,500 / 250 = 10 more cycles, each reading 110 pages.
  EXPECT_NEAR(IndexMaintenanceCost(writes, indexes, model), 10 * 110, 1e-9);
}

TEST(WriteCostTest, CounterWritesPerRead) {
  test::CatalogBuilder builder;
  Table& t = builder.AddTable("t", {"id", "flag"});
  t.inserts = 10000;
  t.updates = 4000;
  t.hot_updates = 1000;
  t.deletes = 2000;
  t.seq_scans = 1500;
  Index& index = builder.AddIndex(t, "t_id", {"id"});
  index.scans = 500;
  Table& loaded = builder.AddTable("loaded", {"id"});
  loaded.inserts = 1000000;
  loaded.seq_scans = 3;
  const Catalog& catalog = builder.Build();
  Workload workload;
  Query q1, q2, q3;
  q1.tables.push_back(TableUse{});
  q1.tables[0].table_id = t.id;
  q2 = q1;
  q3.tables.push_back(TableUse{});
  q3.tables[0].table_id = loaded.id;
  workload.queries = {q1, q2, q3};
  workload.writes[t.id].updated_columns["flag"] = 1;  // a given UPDATE sets flag
  AddCounterWritesPerRead(catalog, 1000, &workload);
  // 2 given reads of t, which was read 2,000 times: a thousandth of its counters.
  const TableWrites& w = workload.writes.at(t.id);
  EXPECT_DOUBLE_EQ(w.inserted, 10);
  EXPECT_DOUBLE_EQ(w.updated, 4);
  EXPECT_DOUBLE_EQ(w.hot_updated, 1);
  EXPECT_DOUBLE_EQ(w.deleted, 2);
  EXPECT_DOUBLE_EQ(w.updated_columns.at("flag"), 4);
  // Read 3 times: the counters are its load, not charged.
  EXPECT_EQ(workload.writes.count(loaded.id), 0u);
  AddCounterWritesPerRead(catalog, 0, &workload);
  EXPECT_DOUBLE_EQ(workload.writes.at(loaded.id).inserted, 1000000.0 / 3);
}

}  // namespace
}  // namespace dbopt::advisor
