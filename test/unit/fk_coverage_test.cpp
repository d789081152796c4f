// CheckFkCoverage / FkCoverageFindings: statuses per leaf and per FK, evidence, DDL.
#include <gtest/gtest.h>

#include "core/health/fk_coverage.hpp"

namespace dbopt {
namespace {

constexpr ObjectId kIntOps = 1976;
constexpr ObjectId kInt4Eq = 96;
constexpr ObjectId kInt84Eq = 416;  // int8 = int4 (conpfeqop of an int4 FK to an int8 PK)
constexpr ObjectId kInt48Eq = 15;   // int4 = int8, its commutator

class NoPartialIndexes : public PredicateOracle {
 public:
  bool ImpliedByNotNull(const Index& index, const std::vector<std::string>&) const override {
    return index.predicate == "implied";
  }
};

class FkCoverageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    catalog.equality_members = {{kIntOps, kInt4Eq}, {kIntOps, kInt48Eq}, {kIntOps, kInt84Eq}};
    AddTable(1, "public", "parent", {"id"});
    AddTable(2, "public", "child", {"a", "b", "x"});
    fk.id = 500;
    fk.name = "child_fk";
    fk.table_id = 2;
    fk.referenced_table_id = 1;
    fk.columns = {"a", "b"};
    fk.referenced_columns = {"id", "id2"};
    fk.equality_operators = {kInt4Eq, kInt4Eq};
  }
  Table& AddTable(ObjectId id, const std::string& schema, const std::string& name,
                  const std::vector<std::string>& columns, char kind = 'r', ObjectId parent = 0) {
    Table t;
    t.id = id;
    t.schema = schema;
    t.name = name;
    t.kind = kind;
    t.parent_id = parent;
    t.rows = 100;
    int attnum = 1;
    for (const std::string& c : columns) {
      Column column;
      column.attnum = attnum++;
      column.name = c;
      t.columns.push_back(column);
    }
    return catalog.tables[id] = t;
  }
  Index& AddIndex(ObjectId id, ObjectId table, const std::string& name,
                  const std::vector<std::string>& columns, ObjectId parent_index = 0) {
    Index index;
    index.id = id;
    index.table_id = table;
    index.schema = catalog.tables[table].schema;
    index.name = name;
    index.access_method = "btree";
    index.parent_index_id = parent_index;
    for (const std::string& c : columns) {
      IndexColumn key;
      key.column = c;
      key.opfamily = kIntOps;
      index.keys.push_back(key);
    }
    catalog.AddIndex(index);
    return catalog.indexes[id];
  }
  std::vector<FkCoverage> Run() {
    catalog.foreign_keys = {fk};
    catalog.Link();
    return CheckFkCoverage(catalog, predicates);
  }
  // A table "orders" partitioned into o1, o2 and o3 (itself partitioned into o3a).
  void MakePartitioned() {
    AddTable(10, "public", "orders", {"a", "b"}, 'p');
    AddTable(11, "public", "o1", {"a", "b"}, 'r', 10);
    AddTable(12, "public", "o2", {"a", "b"}, 'r', 10);
    AddTable(13, "public", "o3", {"a", "b"}, 'p', 10);
    AddTable(14, "public", "o3a", {"a", "b"}, 'r', 13);
    fk.table_id = 10;
  }
  Catalog catalog;
  ForeignKey fk;
  NoPartialIndexes predicates;
};

TEST_F(FkCoverageTest, UnindexedGetsConcurrentIndexAndRevert) {
  std::vector<FkCoverage> result = Run();
  ASSERT_EQ(result.size(), 1u);
  EXPECT_EQ(result[0].status, FkCoverageStatus::kUnindexed);
  EXPECT_EQ(result[0].table_name, "public.child");
  EXPECT_EQ(result[0].referenced_table, "public.parent");
  EXPECT_EQ(result[0].covering_index, "");
  EXPECT_EQ(result[0].table_rows, 100);
  EXPECT_EQ(result[0].remediation,
            std::vector<std::string>{
                "CREATE INDEX CONCURRENTLY IF NOT EXISTS child_a_b_idx ON public.child (a, b)"});
  EXPECT_EQ(result[0].revert,
            std::vector<std::string>{"DROP INDEX CONCURRENTLY IF EXISTS public.child_a_b_idx"});
  std::vector<Finding> findings = FkCoverageFindings(catalog, result);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].check_id, "fk_unindexed");
  EXPECT_EQ(findings[0].object_name, "public.child.child_fk");
  EXPECT_EQ(findings[0].remediation, result[0].remediation);
}

TEST_F(FkCoverageTest, CoveredInAnyOrderHasNoRemediationOrFinding) {
  AddIndex(100, 2, "child_b_a", {"b", "a", "x"});
  std::vector<FkCoverage> result = Run();
  EXPECT_EQ(result[0].status, FkCoverageStatus::kCovered);
  EXPECT_EQ(result[0].covering_index, "public.child_b_a");
  EXPECT_TRUE(result[0].remediation.empty());
  EXPECT_TRUE(FkCoverageFindings(catalog, result).empty());
}

TEST_F(FkCoverageTest, UncoveredOnlyEvidenceSkipsCoveredForeignKeys) {
  AddIndex(100, 2, "child_b_a", {"b", "a"});
  ForeignKey second = fk;
  second.id = 501;
  second.name = "child_x_fk";
  second.columns = {"x"};
  second.referenced_columns = {"id"};
  second.equality_operators = {kInt4Eq};
  catalog.foreign_keys = {fk, second};
  catalog.Link();
  const std::vector<FkCoverage> all = CheckFkCoverage(catalog, predicates);
  const std::vector<FkCoverage> some =
      CheckFkCoverage(catalog, predicates, FkEvidence::kUncoveredOnly);
  ASSERT_EQ(all.size(), 2u);
  ASSERT_EQ(some.size(), 2u);
  EXPECT_EQ(some[0].status, FkCoverageStatus::kCovered);
  EXPECT_EQ(some[0].detail_json, "{}");
  EXPECT_NE(all[0].detail_json, "{}");
  EXPECT_EQ(some[0].covering_index, all[0].covering_index);
  // The uncovered FK gets the same evidence, DDL and finding either way.
  EXPECT_EQ(some[1].status, FkCoverageStatus::kUnindexed);
  EXPECT_EQ(some[1].detail_json, all[1].detail_json);
  EXPECT_EQ(some[1].remediation, all[1].remediation);
  const std::vector<Finding> from_all = FkCoverageFindings(catalog, all);
  const std::vector<Finding> from_some = FkCoverageFindings(catalog, some);
  ASSERT_EQ(from_all.size(), 1u);
  ASSERT_EQ(from_some.size(), 1u);
  EXPECT_EQ(from_some[0].message, from_all[0].message);
  EXPECT_EQ(from_some[0].detail_json, from_all[0].detail_json);
}

TEST_F(FkCoverageTest, GapMeansPartiallyCovered) {
  AddIndex(100, 2, "child_a_x_b", {"a", "x", "b"});
  std::vector<FkCoverage> result = Run();
  EXPECT_EQ(result[0].status, FkCoverageStatus::kPartiallyCovered);
  EXPECT_EQ(result[0].leaves[0].matched_columns, 1);
  EXPECT_EQ(result[0].covering_index, "public.child_a_x_b");
  EXPECT_NE(result[0].detail_json.find("\"matched_columns\": 1"), std::string::npos);
  EXPECT_EQ(FkCoverageFindings(catalog, result)[0].check_id, "fk_partially_indexed");
}

TEST_F(FkCoverageTest, TwoSingleColumnIndexesArePartial) {
  AddIndex(100, 2, "child_a", {"a"});
  AddIndex(101, 2, "child_b", {"b"});
  EXPECT_EQ(Run()[0].status, FkCoverageStatus::kPartiallyCovered);
}

TEST_F(FkCoverageTest, PartialIndexCountsOnlyWhenImplied) {
  AddIndex(100, 2, "child_a_b_part", {"a", "b"}).predicate = "x > 0";
  EXPECT_EQ(Run()[0].status, FkCoverageStatus::kUnindexed);
  catalog.indexes[100].predicate = "implied";
  EXPECT_EQ(Run()[0].status, FkCoverageStatus::kCovered);
}

TEST_F(FkCoverageTest, InvalidIndexIsReportedAndItsNameNotReused) {
  AddIndex(100, 2, "child_a_b_idx", {"a", "b"}).valid = false;
  AddIndex(101, 2, "child_a", {"a"});
  std::vector<FkCoverage> result = Run();
  EXPECT_EQ(result[0].status, FkCoverageStatus::kCoveredByInvalid);
  EXPECT_EQ(result[0].covering_index, "public.child_a_b_idx");
  EXPECT_EQ(result[0].remediation[0],
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS child_a_b_idx1 ON public.child (a, b)");
  EXPECT_EQ(FkCoverageFindings(catalog, result)[0].check_id, "fk_index_invalid");
}

TEST_F(FkCoverageTest, CrossTypeKeyNeedsTheCommutatorInTheFamily) {
  fk.columns = {"a"};
  fk.equality_operators = {kInt84Eq};
  fk.lookup_operators = {kInt48Eq};
  AddIndex(100, 2, "child_a", {"a"});
  EXPECT_EQ(Run()[0].status, FkCoverageStatus::kCovered);
  catalog.equality_members = {{kIntOps, kInt84Eq}};  // a family lacking int4 = int8
  EXPECT_EQ(Run()[0].status, FkCoverageStatus::kUnindexed);
}

TEST_F(FkCoverageTest, ConvertedColumnGetsNoIndexProposal) {
  // An int4 FK to a numeric key: the lookup reads `$1 = p_id::numeric`.
  fk.columns = {"a"};
  fk.equality_operators = {kInt4Eq};
  fk.lookup_casts = {true};
  AddIndex(100, 2, "child_a", {"a"});
  std::vector<FkCoverage> result = Run();
  EXPECT_EQ(result[0].status, FkCoverageStatus::kUnindexed);
  EXPECT_TRUE(result[0].remediation.empty());
  EXPECT_TRUE(result[0].revert.empty());
  EXPECT_NE(result[0].detail_json.find("\"converted_columns\": [\"a\"]"), std::string::npos);
  std::vector<Finding> findings = FkCoverageFindings(catalog, result);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_NE(findings[0].message.find("only matching column types can fix it"), std::string::npos);
}

TEST_F(FkCoverageTest, PartitionedWithoutCoveredLeavesGetsTheRecipe) {
  MakePartitioned();
  std::vector<FkCoverage> result = Run();
  ASSERT_EQ(result.size(), 1u);
  EXPECT_EQ(result[0].status, FkCoverageStatus::kUnindexed);
  ASSERT_EQ(result[0].leaves.size(), 3u);
  EXPECT_EQ(result[0].table_rows, 300);
  EXPECT_EQ(result[0].remediation,
            (std::vector<std::string>{
                "CREATE INDEX IF NOT EXISTS orders_a_b_idx ON ONLY public.orders (a, b)",
                "CREATE INDEX CONCURRENTLY IF NOT EXISTS o1_a_b_idx ON public.o1 (a, b)",
                "ALTER INDEX public.orders_a_b_idx ATTACH PARTITION public.o1_a_b_idx",
                "CREATE INDEX CONCURRENTLY IF NOT EXISTS o2_a_b_idx ON public.o2 (a, b)",
                "ALTER INDEX public.orders_a_b_idx ATTACH PARTITION public.o2_a_b_idx",
                "CREATE INDEX IF NOT EXISTS o3_a_b_idx ON ONLY public.o3 (a, b)",
                "ALTER INDEX public.orders_a_b_idx ATTACH PARTITION public.o3_a_b_idx",
                "CREATE INDEX CONCURRENTLY IF NOT EXISTS o3a_a_b_idx ON public.o3a (a, b)",
                "ALTER INDEX public.o3_a_b_idx ATTACH PARTITION public.o3a_a_b_idx"}));
  EXPECT_EQ(result[0].revert,
            (std::vector<std::string>{"DROP INDEX IF EXISTS public.orders_a_b_idx",
                                      "DROP INDEX CONCURRENTLY IF EXISTS public.o1_a_b_idx",
                                      "DROP INDEX CONCURRENTLY IF EXISTS public.o2_a_b_idx",
                                      "DROP INDEX CONCURRENTLY IF EXISTS public.o3a_a_b_idx"}));
  EXPECT_NE(result[0].detail_json.find("\"recipe\": \"partitioned\""), std::string::npos);
}

TEST_F(FkCoverageTest, OnlyParentIndexDoesNotCoverLeaves) {
  MakePartitioned();
  AddIndex(200, 10, "orders_only", {"a", "b"}).valid = false;  // CREATE INDEX ON ONLY
  // Without its definition the parent cannot be completed: a new index is proposed.
  std::vector<FkCoverage> result = Run();
  EXPECT_EQ(result[0].status, FkCoverageStatus::kUnindexed);
  EXPECT_EQ(result[0].leaves[0].status, FkCoverageStatus::kUnindexed);
  EXPECT_EQ(result[0].remediation[0],
            "CREATE INDEX IF NOT EXISTS orders_a_b_idx ON ONLY public.orders (a, b)");
}

TEST_F(FkCoverageTest, InvalidParentIndexIsCompletedNotDuplicated) {
  MakePartitioned();
  Index& parent = AddIndex(200, 10, "orders_only", {"a", "b"});
  parent.valid = false;
  parent.definition = "CREATE INDEX orders_only ON ONLY public.orders USING btree (a, b)";
  AddIndex(201, 11, "o1_ab", {"a", "b"}, 200);  // o1 is attached already
  std::vector<FkCoverage> result = Run();
  EXPECT_EQ(result[0].status, FkCoverageStatus::kCoveredByInvalid);
  EXPECT_EQ(result[0].covering_index, "public.orders_only");
  EXPECT_EQ(result[0].remediation,
            (std::vector<std::string>{
                "CREATE INDEX CONCURRENTLY o2_a_b_idx ON public.o2 USING btree (a, b)",
                "ALTER INDEX public.orders_only ATTACH PARTITION public.o2_a_b_idx",
                "CREATE INDEX o3_a_b_idx ON ONLY public.o3 USING btree (a, b)",
                "CREATE INDEX CONCURRENTLY o3a_a_b_idx ON public.o3a USING btree (a, b)",
                "ALTER INDEX public.o3_a_b_idx ATTACH PARTITION public.o3a_a_b_idx",
                "ALTER INDEX public.orders_only ATTACH PARTITION public.o3_a_b_idx"}));
  EXPECT_TRUE(result[0].revert.empty());
  EXPECT_NE(result[0].detail_json.find("\"recipe\": \"complete_parent_index\""), std::string::npos);
  EXPECT_EQ(FkCoverageFindings(catalog, result)[0].check_id, "fk_index_invalid");
}

TEST_F(FkCoverageTest, AllLeavesCoveredThroughParentIndex) {
  MakePartitioned();
  AddIndex(200, 10, "orders_ab", {"a", "b"});
  AddIndex(203, 13, "o3_ab", {"a", "b"}, 200);
  AddIndex(201, 11, "o1_ab", {"a", "b"}, 200);
  AddIndex(202, 12, "o2_ab", {"a", "b"}, 200);
  AddIndex(204, 14, "o3a_ab", {"a", "b"}, 203);
  std::vector<FkCoverage> result = Run();
  EXPECT_EQ(result[0].status, FkCoverageStatus::kCovered);
  EXPECT_EQ(result[0].covering_index, "public.orders_ab");
}

TEST_F(FkCoverageTest, SomeLeavesCoveredIndexesOnlyTheRest) {
  MakePartitioned();
  AddIndex(201, 11, "o1_ba", {"b", "a"});
  AddIndex(202, 12, "o2_a", {"a"});
  std::vector<FkCoverage> result = Run();
  EXPECT_EQ(result[0].status, FkCoverageStatus::kPartiallyCovered);
  EXPECT_EQ(result[0].covering_index, "");
  EXPECT_EQ(result[0].leaves[0].status, FkCoverageStatus::kCovered);
  EXPECT_EQ(result[0].leaves[1].status, FkCoverageStatus::kPartiallyCovered);
  EXPECT_EQ(result[0].leaves[2].status, FkCoverageStatus::kUnindexed);
  EXPECT_EQ(result[0].remediation,
            (std::vector<std::string>{
                "CREATE INDEX CONCURRENTLY IF NOT EXISTS o2_a_b_idx ON public.o2 (a, b)",
                "CREATE INDEX CONCURRENTLY IF NOT EXISTS o3a_a_b_idx ON public.o3a (a, b)"}));
  EXPECT_EQ(FkCoverageFindings(catalog, result)[0].message,
            "foreign key child_fk on public.orders (a, b) is indexed on only 1 of 3 partitions");
}

TEST_F(FkCoverageTest, LeavesCoveredOrInvalidAreCoveredByInvalid) {
  MakePartitioned();
  AddIndex(201, 11, "o1_ab", {"a", "b"});
  AddIndex(202, 12, "o2_ab", {"a", "b"});
  AddIndex(204, 14, "o3a_ab", {"a", "b"}).ready = false;
  EXPECT_EQ(Run()[0].status, FkCoverageStatus::kCoveredByInvalid);
}

TEST_F(FkCoverageTest, PartitionedWithoutPartitionsJudgesItsOwnIndexes) {
  AddTable(10, "public", "orders", {"a", "b"}, 'p');
  fk.table_id = 10;
  std::vector<FkCoverage> result = Run();
  EXPECT_EQ(result[0].status, FkCoverageStatus::kUnindexed);
  EXPECT_EQ(result[0].remediation,
            std::vector<std::string>{
                "CREATE INDEX IF NOT EXISTS orders_a_b_idx ON ONLY public.orders (a, b)"});
  AddIndex(200, 10, "orders_ab", {"a", "b"});
  EXPECT_EQ(Run()[0].status, FkCoverageStatus::kCovered);
}

TEST_F(FkCoverageTest, QuotedNamesAndScope) {
  AddTable(3, "Weird Schema", "Order Lines", {"Order Id", "b"});
  fk.table_id = 3;
  fk.columns = {"Order Id"};
  fk.equality_operators = {kInt4Eq};
  std::vector<FkCoverage> result = Run();
  EXPECT_EQ(result[0].table_name, "\"Weird Schema\".\"Order Lines\"");
  EXPECT_EQ(result[0].remediation[0],
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS \"Order Lines_Order Id_idx\" ON "
            "\"Weird Schema\".\"Order Lines\" (\"Order Id\")");
  EXPECT_EQ(result[0].revert[0],
            "DROP INDEX CONCURRENTLY IF EXISTS \"Weird Schema\".\"Order Lines_Order Id_idx\"");
  catalog.scope_schema = "public";
  EXPECT_TRUE(Run().empty());
  catalog.scope_schema = "Weird Schema";
  EXPECT_EQ(Run().size(), 1u);
}

TEST_F(FkCoverageTest, EvidenceCarriesReferencedTableActivity) {
  catalog.tables[1].updates = 7;
  catalog.tables[1].deletes = 3;
  catalog.tables[2].rows = -1;  // never analyzed
  fk.on_delete = 'c';
  std::vector<FkCoverage> result = Run();
  EXPECT_EQ(result[0].referenced_updates, 7);
  EXPECT_EQ(result[0].referenced_deletes, 3);
  EXPECT_EQ(result[0].table_rows, -1);
  const std::string& json = result[0].detail_json;
  EXPECT_NE(json.find("\"table_rows\": null"), std::string::npos);
  EXPECT_NE(json.find("\"referenced_updates\": 7"), std::string::npos);
  EXPECT_NE(json.find("\"on_delete\": \"cascade\""), std::string::npos);
}

TEST_F(FkCoverageTest, SameIndexProposedOnceForTwoForeignKeys) {
  ForeignKey second = fk;
  second.id = 501;
  second.name = "child_fk2";
  catalog.foreign_keys = {fk, second};
  catalog.Link();
  std::vector<FkCoverage> result = CheckFkCoverage(catalog, predicates);
  ASSERT_EQ(result.size(), 2u);
  EXPECT_EQ(result[0].remediation, result[1].remediation);
}

// Ordered by (schema, table name, constraint name, id), whatever the order of the catalog's
// foreign keys and table ids; two tables with the same qualified name (only in hand-built
// catalogs) interleave their foreign keys by constraint name, then id.
TEST_F(FkCoverageTest, OrderedBySchemaTableConstraintNameAndId) {
  AddTable(3, "public", "alpha", {"a", "b"});
  AddTable(4, "other", "zeta", {"a", "b"});
  AddTable(5, "public", "child", {"a", "b"});  // same qualified name as table 2
  AddTable(6, "public", "child2", {"a", "b"});
  // Names that share their first 8 bytes, and one with a byte above ASCII.
  AddTable(7, "public", "customers_b", {"a", "b"});
  AddTable(8, "public", "customers", {"a", "b"});
  AddTable(9, "public", "customers_a", {"a", "b"});
  AddTable(11, "public", "\xc3\xa9t", {"a", "b"});
  std::vector<ForeignKey> fks;
  auto add = [&](ObjectId id, const std::string& name, ObjectId table) {
    ForeignKey copy = fk;
    copy.id = id;
    copy.name = name;
    copy.table_id = table;
    fks.push_back(copy);
  };
  add(600, "m_fk", 2);
  add(601, "b_fk", 6);
  add(602, "z_fk", 3);
  add(603, "a_fk", 3);
  add(604, "k_fk", 4);
  add(605, "b_fk", 5);
  add(606, "m_fk", 5);  // same name as 600: by id
  add(599, "m_fk", 5);
  add(607, "c_fk", 2);
  add(611, "x_fk", 11);
  add(608, "x_fk", 7);
  add(609, "x_fk", 8);
  add(610, "x_fk", 9);
  catalog.foreign_keys = fks;
  catalog.Link();
  std::vector<ObjectId> order;
  for (const FkCoverage& coverage : CheckFkCoverage(catalog, predicates))
    order.push_back(coverage.foreign_key->id);
  EXPECT_EQ(order, (std::vector<ObjectId>{604, 603, 602, 605, 607, 599, 600, 606, 601, 609, 610,
                                          608, 611}));
}

}  // namespace
}  // namespace dbopt
