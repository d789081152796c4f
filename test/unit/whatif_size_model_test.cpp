// The what-if size model (src/core/whatif/size_model.hpp). Expected figures are what
// PostgreSQL 15 builds for the same data (measured with test/bench/whatif_accuracy.sh) or
// follow from its page layout by hand.
#include "core/whatif/size_model.hpp"

#include <gtest/gtest.h>

namespace dbopt::whatif {
namespace {

ColumnStats Int4(double n_distinct = -1, double null_frac = 0) {
  ColumnStats c;
  c.typlen = 4;
  c.align = 4;
  c.avg_width = 4;
  c.n_distinct = n_distinct;
  c.null_frac = null_frac;
  return c;
}

ColumnStats Int8(double n_distinct = -1) {
  ColumnStats c = Int4(n_distinct);
  c.typlen = 8;
  c.align = 8;
  c.avg_width = 8;
  return c;
}

ColumnStats Text(double width, double n_distinct = -1) {
  ColumnStats c;
  c.typlen = -1;
  c.align = 4;
  c.avg_width = width;
  c.n_distinct = n_distinct;
  return c;
}

BtreeInput Btree(std::vector<ColumnStats> keys, double rows) {
  BtreeInput input;
  input.keys = std::move(keys);
  input.table_rows = rows;
  input.indexed_rows = rows;
  return input;
}

double Ratio(double a, double b) {
  return a / b;
}

TEST(WhatifSizeModel, MaxAlign) {
  EXPECT_EQ(MaxAlign(12), 16);
  EXPECT_EQ(MaxAlign(16), 16);
  EXPECT_EQ(MaxAlign(17), 24);
}

TEST(WhatifSizeModel, EmptyBtreeIsTheMetapage) {
  IndexSizeEstimate e = EstimateBtree(Btree({Int4()}, 0));
  EXPECT_EQ(e.pages, 1);
  EXPECT_EQ(e.tree_height, 0);
}

TEST(WhatifSizeModel, UniqueInt4MatchesARealBuild) {
  // CREATE INDEX on 1,000,000 distinct int4 values: 2745 pages (PostgreSQL 15.x), height 2.
  IndexSizeEstimate e = EstimateBtree(Btree({Int4(-1)}, 1e6));
  EXPECT_NEAR(Ratio(e.pages, 2745), 1.0, 0.03);
  EXPECT_EQ(e.tree_height, 2);
  EXPECT_NEAR(e.tuples, 1e6, 1);
}

TEST(WhatifSizeModel, SmallTableIsOneLeafUnderTheMetapage) {
  IndexSizeEstimate e = EstimateBtree(Btree({Int4(-1)}, 100));
  EXPECT_EQ(e.pages, 2);
  EXPECT_EQ(e.tree_height, 0);
}

TEST(WhatifSizeModel, DeduplicationShrinksDuplicateHeavyKeys) {
  BtreeInput plain = Btree({Int4(100)}, 1e6);
  plain.deduplicate = false;
  BtreeInput dedup = Btree({Int4(100)}, 1e6);
  IndexSizeEstimate p = EstimateBtree(plain);
  IndexSizeEstimate d = EstimateBtree(dedup);
  // 100 keys of 10,000 rows: posting lists of 132 TIDs in 816-byte tuples, about a third.
  EXPECT_LT(d.pages, p.pages * 0.4);
  EXPECT_GT(d.pages, p.pages * 0.25);
  EXPECT_LT(d.tuples, 1e6 / 100);
}

TEST(WhatifSizeModel, NoDeduplicationForUniqueOrIncludeIndexes) {
  BtreeInput unique = Btree({Int4(100)}, 1e6);
  unique.unique = true;
  BtreeInput include = Btree({Int4(100)}, 1e6);
  include.include = {Int8()};
  BtreeInput plain = Btree({Int4(100)}, 1e6);
  plain.deduplicate = false;
  EXPECT_EQ(EstimateBtree(unique).pages, EstimateBtree(plain).pages);
  EXPECT_GT(EstimateBtree(include).pages, EstimateBtree(plain).pages);
}

TEST(WhatifSizeModel, MostCommonValuesDrivePostingLists) {
  // Half the rows hold one value, the rest are distinct.
  ColumnStats skewed = Int4(500001);
  skewed.mcv_freqs = {0.5};
  IndexSizeEstimate e = EstimateBtree(Btree({skewed}, 1e6));
  IndexSizeEstimate unique = EstimateBtree(Btree({Int4(-1)}, 1e6));
  EXPECT_NEAR(Ratio(e.pages, unique.pages), 0.5 + 0.5 * 0.33, 0.08);
}

TEST(WhatifSizeModel, NullsAreIndexedWithABitmap) {
  IndexSizeEstimate none = EstimateBtree(Btree({Int8(-1)}, 1e5));
  BtreeInput half = Btree({Int8(-1)}, 1e5);
  half.keys[0].null_frac = 0.5;
  half.deduplicate = false;
  IndexSizeEstimate e = EstimateBtree(half);
  // A NULL key is 16 bytes (header and bitmap), like a present int8 key.
  EXPECT_NEAR(Ratio(e.pages, none.pages), 1.0, 0.02);
}

TEST(WhatifSizeModel, FillfactorAndIncludeGrowTheLeaves) {
  BtreeInput full = Btree({Int4(-1)}, 1e6);
  full.fillfactor = 100;
  EXPECT_LT(EstimateBtree(full).pages, EstimateBtree(Btree({Int4(-1)}, 1e6)).pages * 0.92);
  BtreeInput covering = Btree({Int4(-1)}, 1e6);
  covering.include = {Text(30)};
  EXPECT_GT(EstimateBtree(covering).pages, EstimateBtree(Btree({Int4(-1)}, 1e6)).pages * 1.8);
}

TEST(WhatifSizeModel, PartialIndexCountsItsRowsOnly) {
  BtreeInput partial = Btree({Int4(-1)}, 1e6);
  partial.indexed_rows = 1e5;
  EXPECT_NEAR(Ratio(EstimateBtree(partial).pages, EstimateBtree(Btree({Int4(-1)}, 1e5)).pages), 1.0,
              0.02);
}

TEST(WhatifSizeModel, TextKeysUseTheirWidth) {
  IndexSizeEstimate narrow = EstimateBtree(Btree({Text(10)}, 1e5));
  IndexSizeEstimate wide = EstimateBtree(Btree({Text(60)}, 1e5));
  EXPECT_GT(wide.pages, narrow.pages * 2.5);
}

TEST(WhatifSizeModel, SampledTupleSizesOverrideWidths) {
  // Measured 16-byte tuples (short text) size like int4 keys, whatever avg_width says.
  BtreeInput sampled = Btree({Text(30)}, 1e6);
  sampled.sampled.leaf_bytes = 16;
  sampled.sampled.key_bytes = 16;
  sampled.sampled.present_key_bytes = 16;
  sampled.sampled.prefix_bytes = {16};
  EXPECT_EQ(EstimateBtree(sampled).pages, EstimateBtree(Btree({Int4(-1)}, 1e6)).pages);
}

TEST(WhatifSizeModel, CombinedKeyStatisticsDriveMultiColumnDeduplication) {
  BtreeInput independent = Btree({Int4(1000), Int4(1000)}, 1e6);  // a million combinations
  BtreeInput correlated = independent;
  correlated.combined.n_distinct = 1000;  // the sample saw the columns move together
  EXPECT_LT(EstimateBtree(correlated).pages, EstimateBtree(independent).pages * 0.5);
}

TEST(WhatifSizeModel, GroupKeysSplitsMostCommonValuesAndTheRest) {
  ColumnStats c = Int4(11);
  c.mcv_freqs = {0.5};
  c.null_frac = 0.1;
  KeyGroups g = GroupKeys({c}, 1000, 1000);
  ASSERT_EQ(g.mcv_rows.size(), 1u);
  EXPECT_DOUBLE_EQ(g.mcv_rows[0], 500);
  EXPECT_DOUBLE_EQ(g.null_rows, 100);
  EXPECT_DOUBLE_EQ(g.other_groups, 10);
  EXPECT_DOUBLE_EQ(g.other_rows_each, 40);
}

TEST(WhatifSizeModel, DistinctValuesFollowsPgStats) {
  EXPECT_DOUBLE_EQ(DistinctValues(Int4(-0.5), 1000), 500);
  EXPECT_DOUBLE_EQ(DistinctValues(Int4(20), 1000), 20);
  EXPECT_DOUBLE_EQ(DistinctValues(Int4(5000), 1000), 1000);
}

TEST(WhatifSizeModel, HashBucketsFollowSplitpoints) {
  EXPECT_EQ(HashBuckets(0, 75), 2);
  EXPECT_EQ(HashBuckets(307 * 100, 75), 128);
  // 1,000,000 / 307 = 3257 wanted: 2048 plus three steps of 512.
  EXPECT_EQ(HashBuckets(1e6, 75), 3584);
}

TEST(WhatifSizeModel, HashBucketsNotSplitYetOverflow) {
  // Measured on PostgreSQL 15: 1,000,000 distinct int4 keys give 3584 buckets, 512 of them
  // (whose twin is not split yet) with twice the load and one overflow page: 4098 pages.
  HashInput input;
  input.key = Int4(-1);
  input.table_rows = 1e6;
  input.indexed_rows = 1e6;
  EXPECT_NEAR(EstimateHash(input).pages, 4098, 10);
  // 900,000: 3072 buckets, 1024 doubled, 959 overflow pages.
  input.table_rows = input.indexed_rows = 9e5;
  EXPECT_NEAR(EstimateHash(input).pages, 4032, 40);
  // 600,000: 2048 buckets, a power of two: no overflow.
  input.table_rows = input.indexed_rows = 6e5;
  EXPECT_NEAR(EstimateHash(input).pages, 2050, 2);
}

TEST(WhatifSizeModel, HashOfDuplicateKeysOverflows) {
  HashInput input;
  input.key = Int4(10);
  input.key.mcv_freqs = std::vector<double>(10, 0.1);
  input.table_rows = 1e6;
  input.indexed_rows = 1e6;
  IndexSizeEstimate e = EstimateHash(input);
  // 10 buckets hold 100,000 entries each: about 246 pages per chain.
  EXPECT_GT(e.pages, 3586 + 10 * 240);
  EXPECT_LT(e.pages, 3586 + 10 * 250 + 20);
}

TEST(WhatifSizeModel, HashSkipsNulls) {
  HashInput input;
  input.key = Int4(-1, 0.5);
  input.table_rows = 1e6;
  input.indexed_rows = 1e6;
  EXPECT_NEAR(EstimateHash(input).tuples, 5e5, 1);
}

TEST(WhatifSizeModel, GinGrowsWithKeysPerRow) {
  GinInput few;
  few.indexed_rows = 1e5;
  few.keys_per_row = 10;
  few.distinct_keys = 5000;
  GinInput many = few;
  many.keys_per_row = 30;
  EXPECT_GT(EstimateGin(many).pages, EstimateGin(few).pages * 2);
  GinInput empty;
  EXPECT_EQ(EstimateGin(empty).pages, 2);
}

}  // namespace
}  // namespace dbopt::whatif
