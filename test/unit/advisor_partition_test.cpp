// Index advisor on partitioned tables: uses of partitions move to the partitioned root unless
// only one partition is ever read, partition statistics add up to the parent, widening is not
// proposed on a partitioned table, and the recommendation follows the partitioned recipe.
#include <gtest/gtest.h>

#include "catalog_builder.hpp"
#include "core/advisor/candidates.hpp"
#include "core/advisor/render.hpp"
#include "core/advisor/workload_input.hpp"

namespace dbopt::advisor {
namespace {

using capture::QualKind;
using capture::QualOperand;
using test::CatalogBuilder;

// measures (p) -> measures_2024, measures_2025 (p) -> measures_2025_eu, measures_2025_other.
struct Tree {
  CatalogBuilder builder;
  ObjectId root = 0, y2024 = 0, y2025 = 0, eu = 0, other = 0, plain = 0;
  Tree() {
    const std::vector<std::string> columns = {"id", "region:text", "amount"};
    root = builder.AddTable("measures", columns, true, 'p').id;
    y2024 = builder.AddTable("measures_2024", columns, true, 'r', root).id;
    y2025 = builder.AddTable("measures_2025", columns, true, 'p', root).id;
    eu = builder.AddTable("measures_2025_eu", columns, true, 'r', y2025).id;
    other = builder.AddTable("measures_2025_other", columns, true, 'r', y2025).id;
    plain = builder.AddTable("plain", {"id"}).id;
  }
};

Query Reads(ObjectId table, const std::string& column) {
  Query q;
  TableUse use;
  use.table_id = table;
  Predicate p;
  p.column = column;
  p.kind = QualKind::kEquality;
  p.operand = QualOperand::kConstant;
  use.predicates.push_back(p);
  q.tables.push_back(use);
  return q;
}

TEST(PartitionMappingTest, UsesOfSeveralPartitionsMoveToTheRoot) {
  Tree tree;
  const Catalog& catalog = tree.builder.Build();
  Workload workload;
  workload.queries = {Reads(tree.y2024, "id"), Reads(tree.eu, "amount"), Reads(tree.plain, "id")};
  // A query that reads two relations of one tree: one use of the root, merged.
  Query both = Reads(tree.y2024, "id");
  both.tables.push_back(Reads(tree.root, "amount").tables[0]);
  workload.queries.push_back(both);
  workload.writes[tree.eu].inserted = 10;
  workload.writes[tree.root].deleted = 4;
  workload.writes[tree.plain].updated = 3;
  MapPartitionsToRoots(catalog, &workload);
  EXPECT_EQ(workload.queries[0].tables[0].table_id, tree.root);
  EXPECT_EQ(workload.queries[1].tables[0].table_id, tree.root);
  EXPECT_EQ(workload.queries[2].tables[0].table_id, tree.plain);
  ASSERT_EQ(workload.queries[3].tables.size(), 1u);
  EXPECT_EQ(workload.queries[3].tables[0].table_id, tree.root);
  EXPECT_EQ(workload.queries[3].tables[0].predicates.size(), 2u);
  EXPECT_DOUBLE_EQ(workload.writes[tree.root].inserted, 10);
  EXPECT_DOUBLE_EQ(workload.writes[tree.root].deleted, 4);
  EXPECT_DOUBLE_EQ(workload.writes[tree.plain].updated, 3);
  EXPECT_EQ(workload.writes.count(tree.eu), 0u);
}

TEST(PartitionMappingTest, OnlyOnePartitionEverReadStaysThere) {
  Tree tree;
  tree.builder.AddTable("unused", {"id"});
  Catalog catalog = tree.builder.Build();
  catalog.tables.at(tree.root).rows = 1000;
  catalog.tables.at(tree.y2025).rows = 400;
  catalog.tables.at(tree.eu).rows = 100;
  catalog.Link();
  Workload workload;
  workload.queries = {Reads(tree.eu, "id"), Reads(tree.eu, "amount")};
  workload.writes[tree.eu].inserted = 10;
  workload.writes[tree.other].inserted = 50;  // a sibling: no index there
  workload.writes[tree.root].inserted = 100;  // through the root: the leaf's share by rows
  workload.writes[tree.y2025].deleted = 40;   // through its parent: 100 of 400 rows
  MapPartitionsToRoots(catalog, &workload);
  EXPECT_EQ(workload.queries[0].tables[0].table_id, tree.eu);
  EXPECT_EQ(workload.queries[1].tables[0].table_id, tree.eu);
  ASSERT_EQ(workload.writes.size(), 1u);
  EXPECT_DOUBLE_EQ(workload.writes[tree.eu].inserted, 10 + 100 * 0.1);
  EXPECT_DOUBLE_EQ(workload.writes[tree.eu].deleted, 40 * 0.25);
}

TEST(PartitionMappingTest, StatisticsOfLeavesAddUpToTheirParents) {
  Tree tree;
  Catalog catalog = tree.builder.Build();
  auto set = [&](ObjectId id, double rows, std::int64_t ins, std::int64_t upd, std::int64_t hot,
                 std::int64_t del) {
    Table& t = catalog.tables.at(id);
    t.rows = rows;
    t.pages = rows / 100;
    t.inserts = ins;
    t.updates = upd;
    t.hot_updates = hot;
    t.deletes = del;
  };
  set(tree.root, -1, 0, 0, 0, 0);
  set(tree.y2025, 0, 0, 0, 0, 0);
  set(tree.y2024, 1000, 10, 20, 5, 1);
  set(tree.eu, 300, 1, 2, 1, 0);
  set(tree.other, 700, 3, 4, 2, 2);
  SumPartitionStatistics(&catalog);
  EXPECT_DOUBLE_EQ(catalog.tables.at(tree.y2025).rows, 1000);
  EXPECT_EQ(catalog.tables.at(tree.y2025).inserts, 4);
  EXPECT_DOUBLE_EQ(catalog.tables.at(tree.root).rows, 2000);
  EXPECT_DOUBLE_EQ(catalog.tables.at(tree.root).pages, 20);
  EXPECT_EQ(catalog.tables.at(tree.root).inserts, 14);
  EXPECT_EQ(catalog.tables.at(tree.root).updates, 26);
  EXPECT_EQ(catalog.tables.at(tree.root).hot_updates, 8);
  EXPECT_EQ(catalog.tables.at(tree.root).deletes, 3);
  // A parent analyzed on its own keeps its row count.
  Catalog analyzed = tree.builder.Build();
  analyzed.tables.at(tree.root).rows = 5;
  SumPartitionStatistics(&analyzed);
  EXPECT_DOUBLE_EQ(analyzed.tables.at(tree.root).rows, 5);
}

TEST(PartitionRenderTest, PartitionedRecipeWithNamedStatements) {
  Tree tree;
  const Catalog& catalog = tree.builder.Build();
  const Table& root = catalog.tables.at(tree.root);
  IndexNamer namer(catalog);
  Recommendation r;
  r.index = BtreeCandidate(root, {"id"});
  r.index.keys[0].descending = true;
  r.index.predicate = "region = 'eu'::text";
  IndexDdl ddl = RenderRecommendation(catalog, r, namer);
  EXPECT_EQ(ddl.index, "public.measures_id_part_idx");
  EXPECT_EQ(
      ddl.remediation,
      (std::vector<std::string>{
          "CREATE INDEX IF NOT EXISTS measures_id_part_idx ON ONLY public.measures USING btree "
          "(id DESC) WHERE region = 'eu'::text",
          "CREATE INDEX CONCURRENTLY IF NOT EXISTS measures_2024_id_part_idx ON "
          "public.measures_2024 USING btree (id DESC) WHERE region = 'eu'::text",
          "ALTER INDEX public.measures_id_part_idx ATTACH PARTITION "
          "public.measures_2024_id_part_idx",
          "CREATE INDEX IF NOT EXISTS measures_2025_id_part_idx ON ONLY public.measures_2025 "
          "USING btree (id DESC) WHERE region = 'eu'::text",
          "ALTER INDEX public.measures_id_part_idx ATTACH PARTITION "
          "public.measures_2025_id_part_idx",
          "CREATE INDEX CONCURRENTLY IF NOT EXISTS measures_2025_eu_id_part_idx ON "
          "public.measures_2025_eu USING btree (id DESC) WHERE region = 'eu'::text",
          "ALTER INDEX public.measures_2025_id_part_idx ATTACH PARTITION "
          "public.measures_2025_eu_id_part_idx",
          "CREATE INDEX CONCURRENTLY IF NOT EXISTS measures_2025_other_id_part_idx ON "
          "public.measures_2025_other USING btree (id DESC) WHERE region = 'eu'::text",
          "ALTER INDEX public.measures_2025_id_part_idx ATTACH PARTITION "
          "public.measures_2025_other_id_part_idx"}));
  EXPECT_EQ(ddl.revert,
            (std::vector<std::string>{
                "DROP INDEX IF EXISTS public.measures_id_part_idx",
                "DROP INDEX CONCURRENTLY IF EXISTS public.measures_2024_id_part_idx",
                "DROP INDEX CONCURRENTLY IF EXISTS public.measures_2025_eu_id_part_idx",
                "DROP INDEX CONCURRENTLY IF EXISTS public.measures_2025_other_id_part_idx"}));
}

// A partition that already has exactly the recommended index gets it attached instead of a
// new one built; the revert builds it again after the parent's DROP (which drops it). A
// unique index, or another definition, is not reused.
TEST(PartitionRenderTest, MatchingPartitionIndexIsAttached) {
  Tree tree;
  Index& own = tree.builder.AddIndex(tree.builder.catalog().tables.at(tree.y2024),
                                     "measures_2024_own", {"id"});
  (void)own;
  Index& unique = tree.builder.AddIndex(tree.builder.catalog().tables.at(tree.eu),
                                        "measures_2025_eu_unique", {"id"});
  CatalogBuilder::MakeUnique(unique);
  tree.builder.AddIndex(tree.builder.catalog().tables.at(tree.other), "measures_2025_other_amount",
                        {"amount"});
  const Catalog& catalog = tree.builder.Build();
  IndexNamer namer(catalog);
  Recommendation r;
  r.index = BtreeCandidate(catalog.tables.at(tree.root), {"id"});
  IndexDdl ddl = RenderRecommendation(catalog, r, namer);
  EXPECT_EQ(ddl.remediation,
            (std::vector<std::string>{
                "CREATE INDEX IF NOT EXISTS measures_id_idx ON ONLY public.measures USING btree "
                "(id)",
                "ALTER INDEX public.measures_id_idx ATTACH PARTITION public.measures_2024_own",
                "CREATE INDEX IF NOT EXISTS measures_2025_id_idx ON ONLY public.measures_2025 "
                "USING btree (id)",
                "ALTER INDEX public.measures_id_idx ATTACH PARTITION public.measures_2025_id_idx",
                "CREATE INDEX CONCURRENTLY IF NOT EXISTS measures_2025_eu_id_idx ON "
                "public.measures_2025_eu USING btree (id)",
                "ALTER INDEX public.measures_2025_id_idx ATTACH PARTITION "
                "public.measures_2025_eu_id_idx",
                "CREATE INDEX CONCURRENTLY IF NOT EXISTS measures_2025_other_id_idx ON "
                "public.measures_2025_other USING btree (id)",
                "ALTER INDEX public.measures_2025_id_idx ATTACH PARTITION "
                "public.measures_2025_other_id_idx"}));
  EXPECT_EQ(ddl.revert, (std::vector<std::string>{
                            "DROP INDEX IF EXISTS public.measures_id_idx",
                            "DROP INDEX CONCURRENTLY IF EXISTS public.measures_2025_eu_id_idx",
                            "DROP INDEX CONCURRENTLY IF EXISTS public.measures_2025_other_id_idx",
                            "CREATE INDEX CONCURRENTLY IF NOT EXISTS measures_2024_own ON "
                            "public.measures_2024 USING btree (id)"}));
}

TEST(PartitionCandidateTest, ExistingMatchesIsExact) {
  Tree tree;
  const Table& leaf = tree.builder.catalog().tables.at(tree.y2024);
  const ObjectId plain_id = tree.builder.AddIndex(leaf, "a", {"id"}).id;
  Index& partial = tree.builder.AddIndex(leaf, "b", {"id"});
  partial.predicate = "{OPEXPR}";
  partial.definition += " WHERE (region = 'eu'::text)";
  const ObjectId partial_id = partial.id;
  Index& attached = tree.builder.AddIndex(leaf, "c", {"amount"});
  attached.parent_index_id = 999;
  const ObjectId attached_id = attached.id;
  const Catalog& catalog = tree.builder.Build();
  const Table& root = catalog.tables.at(tree.root);
  const Index& a = catalog.indexes.at(plain_id);
  const Index& b = catalog.indexes.at(partial_id);
  Candidate id = BtreeCandidate(root, {"id"});
  EXPECT_TRUE(ExistingMatches(catalog, a, id));
  EXPECT_FALSE(ExistingMatches(catalog, b, id));
  Candidate eu = id;
  eu.predicate = "region = 'eu'";
  EXPECT_TRUE(ExistingMatches(catalog, b, eu));
  EXPECT_FALSE(ExistingMatches(catalog, a, eu));
  Candidate descending = id;
  descending.keys[0].descending = true;
  EXPECT_FALSE(ExistingMatches(catalog, a, descending));
  Candidate covering = id;
  covering.include = {"amount"};
  EXPECT_FALSE(ExistingMatches(catalog, a, covering));
  Candidate two = BtreeCandidate(root, {"id", "amount"});
  EXPECT_FALSE(ExistingMatches(catalog, a, two));
  EXPECT_FALSE(
      ExistingMatches(catalog, catalog.indexes.at(attached_id), BtreeCandidate(root, {"amount"})));
}

TEST(PartitionRenderTest, NamesAvoidCollisionsAndFit63Bytes) {
  CatalogBuilder builder;
  const std::string long_name(60, 'p');
  Table& root = builder.AddTable("events", {"id"}, true, 'p');
  Table& leaf = builder.AddTable(long_name, {"id"}, true, 'r', root.id);
  // An index of another name (unique: not one the recipe could attach instead).
  CatalogBuilder::MakeUnique(builder.AddIndex(leaf, long_name.substr(0, 10), {"id"}));
  builder.AddTable("events_id_idx", {"x"});  // a table taking the parent's name
  const Catalog& catalog = builder.Build();
  IndexNamer namer(catalog);
  Recommendation r;
  r.index = BtreeCandidate(catalog.tables.at(root.id), {"id"});
  IndexDdl ddl = RenderRecommendation(catalog, r, namer);
  EXPECT_EQ(ddl.index, "public.events_id_idx1");
  ASSERT_EQ(ddl.remediation.size(), 3u);
  const std::string& leaf_create = ddl.remediation[1];
  const std::size_t start = leaf_create.find("EXISTS ") + 7;
  const std::string leaf_index = leaf_create.substr(start, leaf_create.find(" ON ") - start);
  EXPECT_LE(leaf_index.size(), 63u);
  EXPECT_NE(leaf_index.find("id"), std::string::npos);
}

TEST(PartitionCandidateTest, CandidatesOnThePartitionedRoot) {
  Tree tree;
  Catalog catalog = tree.builder.Build();
  catalog.tables.at(tree.y2024).rows = 1000;
  catalog.tables.at(tree.eu).rows = 1000;
  SumPartitionStatistics(&catalog);
  Workload workload;
  workload.queries = {Reads(tree.y2024, "id"), Reads(tree.eu, "id")};
  MapPartitionsToRoots(catalog, &workload);
  const std::vector<Candidate> candidates = GenerateCandidates(catalog, workload, {});
  ASSERT_FALSE(candidates.empty());
  EXPECT_EQ(candidates[0].Ddl(), "CREATE INDEX ON public.measures USING btree (id)");
  EXPECT_EQ(SingleColumnCandidates(catalog, workload).size(), 1u);
}

TEST(PartitionCandidateTest, NoWideningOnAPartitionedTable) {
  Tree tree;
  CatalogBuilder& b = tree.builder;
  b.AddIndex(b.Build().tables.at(tree.root), "measures_id", {"id"});
  b.AddIndex(b.Build().tables.at(tree.y2024), "measures_2024_id", {"id"});
  const Catalog& catalog = b.Build();
  Candidate on_root = BtreeCandidate(catalog.tables.at(tree.root), {"id", "amount"});
  EXPECT_EQ(WidenedIndex(catalog, on_root), nullptr);
  Candidate on_leaf = BtreeCandidate(catalog.tables.at(tree.y2024), {"id", "amount"});
  ASSERT_NE(WidenedIndex(catalog, on_leaf), nullptr);
  // The existing partitioned index counts as existing.
  Candidate same = BtreeCandidate(catalog.tables.at(tree.root), {"id"});
  bool covered = false;
  for (const Index* index : catalog.IndexesOf(tree.root))
    covered = covered || ExistingCovers(catalog, *index, same);
  EXPECT_TRUE(covered);
}

}  // namespace
}  // namespace dbopt::advisor
