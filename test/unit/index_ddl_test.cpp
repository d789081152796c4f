// index_ddl: names and statements for created and dropped indexes.
#include <gtest/gtest.h>

#include <set>

#include "core/health/index_ddl.hpp"

namespace dbopt {
namespace {

Table MakeTable(const std::string& schema, const std::string& name) {
  Table table;
  table.id = 1;
  table.schema = schema;
  table.name = name;
  return table;
}

TEST(IndexDdlTest, NamerAvoidsTakenNamesAndRepeatsItself) {
  Catalog catalog;
  catalog.tables[1] = MakeTable("s", "t");
  Index taken;
  taken.id = 5;
  taken.table_id = 1;
  taken.schema = "s";
  taken.name = "t_a_idx";
  catalog.AddIndex(taken);
  IndexNamer namer(catalog);
  const Table& table = catalog.tables[1];
  EXPECT_EQ(namer.NameFor(table, {"a"}), "t_a_idx1");
  EXPECT_EQ(namer.NameFor(table, {"a"}), "t_a_idx1");
  EXPECT_EQ(namer.NameFor(table, {"b"}), "t_b_idx");
  // Another column list that spells the same name gets another one.
  EXPECT_EQ(namer.NameFor(table, {"a_b"}), "t_a_b_idx");
  EXPECT_EQ(namer.NameFor(table, {"a", "b"}), "t_a_b_idx1");
  // Same name in another schema is free.
  Table other = MakeTable("u", "t");
  EXPECT_EQ(namer.NameFor(other, {"a"}), "t_a_idx");
}

TEST(IndexDdlTest, NamerCountsTablesAndItsOwnProposalsAsTaken) {
  Catalog catalog;
  catalog.tables[1] = MakeTable("s", "t");
  catalog.tables[2] = MakeTable("s", "t_a_idx");  // a table holds the first choice
  catalog.tables[2].id = 2;
  IndexNamer namer(catalog);
  const Table& table = catalog.tables[1];
  EXPECT_EQ(namer.NameFor(table, {"a"}), "t_a_idx1");
  // Many proposals: each stays taken (their storage must not move as more are added).
  for (int i = 0; i < 200; ++i) namer.NameFor(table, {"c" + std::to_string(i)});
  EXPECT_EQ(namer.NameFor(table, {"c0"}), "t_c0_idx");
  EXPECT_EQ(namer.NameFor(table, {"c0_"}), "t_c0__idx");
  EXPECT_EQ(namer.NameFor(table, {"c", "0"}), "t_c_0_idx");
  EXPECT_EQ(namer.NameFor(table, {"c_0"}), "t_c_0_idx1");
}

// Names taken in the same schema are skipped one after the other; the same names in another
// schema do not count; every proposal stays unique as the namer's table of names grows.
TEST(IndexDdlTest, NamerSkipsRunsOfTakenNamesPerSchema) {
  Catalog catalog;
  catalog.tables[1] = MakeTable("s", "t");
  ObjectId next = 10;
  auto add_index = [&](const std::string& schema, const std::string& name) {
    Index index;
    index.id = next++;
    index.table_id = 1;
    index.schema = schema;
    index.name = name;
    catalog.AddIndex(index);
  };
  for (const char* name : {"t_a_idx", "t_a_idx1", "t_a_idx2"}) add_index("s", name);
  for (const char* name : {"t_b_idx", "t_b_idx1"}) add_index("u", name);
  for (int i = 0; i < 500; ++i) {  // many relations in other schemas
    Table other = MakeTable("x" + std::to_string(i % 7), "t_c" + std::to_string(i) + "_idx");
    other.id = 1000 + i;
    catalog.tables[other.id] = other;
  }
  IndexNamer namer(catalog);
  const Table& table = catalog.tables[1];
  EXPECT_EQ(namer.NameFor(table, {"a"}), "t_a_idx3");
  EXPECT_EQ(namer.NameFor(table, {"b"}), "t_b_idx");
  EXPECT_EQ(namer.NameFor(MakeTable("u", "t"), {"b"}), "t_b_idx2");
  EXPECT_EQ(namer.NameFor(MakeTable("x3", "t"), {"c3"}), "t_c3_idx1");  // x3.t_c3_idx exists
  EXPECT_EQ(namer.NameFor(MakeTable("x4", "t"), {"c3"}), "t_c3_idx");
  std::set<std::string> names;
  for (int i = 0; i < 1000; ++i) {
    names.insert(namer.NameFor(table, {"d" + std::to_string(i % 100)}));
    names.insert(namer.NameFor(table, {"d" + std::to_string(i % 100) + "_idx"}));
  }
  EXPECT_EQ(names.size(), 200u);
  EXPECT_EQ(namer.NameFor(table, {"d1", "idx"}), "t_d1_idx_idx1");  // t_d1_idx_idx is taken
  EXPECT_EQ(namer.NameFor(table, {"a"}), "t_a_idx3");
}

TEST(IndexDdlTest, LongNamesStayDistinctAndFitNameData) {
  Catalog catalog;
  IndexNamer namer(catalog);
  Table table = MakeTable("s", std::string(60, 't'));
  std::string one = namer.NameFor(table, {std::string(40, 'a') + "1"});
  std::string two = namer.NameFor(table, {std::string(40, 'a') + "2"});
  EXPECT_LE(one.size(), 63u);
  EXPECT_LE(two.size(), 63u);
  EXPECT_NE(one, two);
}

TEST(IndexDdlTest, StatementsQuoteAndDescribeTheIndex) {
  Table table = MakeTable("Weird Schema", "Order Lines");
  NewIndex spec;
  spec.columns = {"Line", "b"};
  EXPECT_EQ(CreateIndexStatement(table, "Order Lines_x", spec, true, false),
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS \"Order Lines_x\" ON "
            "\"Weird Schema\".\"Order Lines\" (\"Line\", b)");
  spec.access_method = "hash";
  spec.columns = {"b"};
  spec.include = {"c"};
  spec.predicate = "b IS NOT NULL";
  spec.unique = true;
  EXPECT_EQ(CreateIndexStatement(table, "i", spec, false, true),
            "CREATE UNIQUE INDEX IF NOT EXISTS i ON ONLY \"Weird Schema\".\"Order Lines\" "
            "USING hash (b) INCLUDE (c) WHERE b IS NOT NULL");
  EXPECT_EQ(DropIndexStatement("Weird Schema", "i", false),
            "DROP INDEX CONCURRENTLY IF EXISTS \"Weird Schema\".i");
  EXPECT_EQ(DropIndexStatement("s", "i", true), "DROP INDEX IF EXISTS s.i");
}

TEST(IndexDdlTest, PartitionInAnotherSchemaGetsItsIndexThere) {
  Catalog catalog;
  Table parent = MakeTable("app", "events");
  parent.kind = 'p';
  catalog.tables[1] = parent;
  Table leaf = MakeTable("archive", "events_2020");
  leaf.id = 2;
  leaf.parent_id = 1;
  catalog.tables[2] = leaf;
  catalog.Link();
  IndexNamer namer(catalog);
  NewIndex spec;
  spec.columns = {"user_id"};
  IndexDdl ddl = BuildCreateIndex(catalog, catalog.tables[1], spec, namer);
  EXPECT_EQ(ddl.index, "app.events_user_id_idx");
  EXPECT_EQ(ddl.remediation,
            (std::vector<std::string>{
                "CREATE INDEX IF NOT EXISTS events_user_id_idx ON ONLY app.events (user_id)",
                "CREATE INDEX CONCURRENTLY IF NOT EXISTS events_2020_user_id_idx ON "
                "archive.events_2020 (user_id)",
                "ALTER INDEX app.events_user_id_idx ATTACH PARTITION "
                "archive.events_2020_user_id_idx"}));
  EXPECT_EQ(ddl.revert, (std::vector<std::string>{
                            "DROP INDEX IF EXISTS app.events_user_id_idx",
                            "DROP INDEX CONCURRENTLY IF EXISTS archive.events_2020_user_id_idx"}));
}

}  // namespace
}  // namespace dbopt
