// index_drop_ddl: dropping and re-creating existing indexes from their definitions.
#include <gtest/gtest.h>

#include "catalog_builder.hpp"
#include "core/health/index_ddl.hpp"
#include "core/health/index_drop_ddl.hpp"

namespace dbopt {
namespace {

using test::CatalogBuilder;

TEST(IndexDropDdlTest, PlainIndexDropsAndRecreatesConcurrently) {
  CatalogBuilder b;
  Table& t = b.AddTable("My Table", {"a"});
  Index& i = b.AddIndex(t, "My Index", {"a"});
  i.definition = "CREATE INDEX \"My Index\" ON public.\"My Table\" USING btree (a) WHERE (a > 0)";
  const Catalog& c = b.Build();
  const Index& index = c.indexes.begin()->second;
  EXPECT_EQ(DropIndexStatement(index, c), "DROP INDEX CONCURRENTLY IF EXISTS public.\"My Index\"");
  EXPECT_EQ(IndexDefinitionTail(c, index), "btree (a) WHERE (a > 0)");
  EXPECT_EQ(RecreateIndexStatements(c, index),
            std::vector<std::string>{"CREATE INDEX CONCURRENTLY \"My Index\" ON public.\"My "
                                     "Table\" USING btree (a) WHERE (a > 0)"});
}

TEST(IndexDropDdlTest, UnparseableDefinitionGivesNoStatements) {
  CatalogBuilder b;
  Table& t = b.AddTable("t", {"a"});
  b.AddIndex(t, "i", {"a"}).definition = "CREATE INDEX j ON public.t USING btree (a)";
  const Catalog& c = b.Build();
  EXPECT_TRUE(RecreateIndexStatements(c, c.indexes.begin()->second).empty());
}

TEST(IndexDropDdlTest, DefinitionHeadMustMatchPieceByPiece) {
  CatalogBuilder b;
  Table& t = b.AddTable("t", {"a"});
  Index& unique = b.AddIndex(t, "u", {"a"});
  unique.unique = true;
  unique.definition = "CREATE UNIQUE INDEX u ON public.t USING btree (a)";
  const Catalog& c = b.Build();
  const Index& index = c.indexes.begin()->second;
  EXPECT_EQ(IndexDefinitionTail(c, index), "btree (a)");
  EXPECT_EQ(
      RecreateIndexStatements(c, index),
      std::vector<std::string>{"CREATE UNIQUE INDEX CONCURRENTLY u ON public.t USING btree (a)"});
  // Each piece of the head is checked: a missing UNIQUE, another table, no USING, no tail.
  for (const char* wrong :
       {"CREATE INDEX u ON public.t USING btree (a)",
        "CREATE UNIQUE INDEX u ON public.t2 USING btree (a)",
        "CREATE UNIQUE INDEX u ON public.t btree (a)", "CREATE UNIQUE INDEX u ON public.t USING ",
        "CREATE UNIQUE INDEX u ON", ""}) {
    Index copy = index;
    copy.definition = wrong;
    EXPECT_EQ(IndexDefinitionTail(c, copy), "") << wrong;
    EXPECT_TRUE(RecreateIndexStatements(c, copy).empty()) << wrong;
  }
  // An index whose table was never linked: its name is built from the schema and name.
  Catalog unlinked;
  Table plain;
  plain.id = 7;
  plain.schema = "s";
  plain.name = "Odd Name";
  unlinked.tables[7] = plain;
  Index on_plain;
  on_plain.id = 8;
  on_plain.table_id = 7;
  on_plain.schema = "s";
  on_plain.name = "i";
  on_plain.definition = "CREATE INDEX i ON ONLY s.\"Odd Name\" USING hash (a)";
  unlinked.AddIndex(on_plain);
  EXPECT_EQ(IndexDefinitionTail(unlinked, unlinked.indexes[8]), "hash (a)");
}

TEST(IndexDropDdlTest, PartitionedIndexUsesTheRecipe) {
  CatalogBuilder b;
  Table& p = b.AddTable("p", {"a"}, false, 'p');
  Table& p1 = b.AddTable("p1", {"a"}, false, 'p', p.id);
  Table& p11 = b.AddTable("p11", {"a"}, false, 'r', p1.id);
  Table& p2 = b.AddTable("p2", {"a"}, false, 'r', p.id);
  Index& parent = b.AddIndex(p, "p_a_idx", {"a"});
  CatalogBuilder::MakeUnique(parent);
  Index& mid = b.AddIndex(p1, "p1_a_idx", {"a"});
  CatalogBuilder::MakeUnique(mid);
  mid.parent_index_id = parent.id;
  Index& leaf = b.AddIndex(p11, "p11_a_idx", {"a"});
  CatalogBuilder::MakeUnique(leaf);
  leaf.parent_index_id = mid.id;
  Index& leaf2 = b.AddIndex(p2, "p2_a_idx", {"a"});
  CatalogBuilder::MakeUnique(leaf2);
  leaf2.parent_index_id = parent.id;
  const Catalog& c = b.Build();
  const Index& top = c.indexes.at(parent.id);
  EXPECT_EQ(DropIndexStatement(top, c), "DROP INDEX IF EXISTS public.p_a_idx");
  EXPECT_EQ(RecreateIndexStatements(c, top),
            (std::vector<std::string>{
                "CREATE UNIQUE INDEX p_a_idx ON ONLY public.p USING btree (a)",
                "CREATE UNIQUE INDEX p1_a_idx ON ONLY public.p1 USING btree (a)",
                "CREATE UNIQUE INDEX CONCURRENTLY p11_a_idx ON public.p11 USING btree (a)",
                "ALTER INDEX public.p1_a_idx ATTACH PARTITION public.p11_a_idx",
                "ALTER INDEX public.p_a_idx ATTACH PARTITION public.p1_a_idx",
                "CREATE UNIQUE INDEX CONCURRENTLY p2_a_idx ON public.p2 USING btree (a)",
                "ALTER INDEX public.p_a_idx ATTACH PARTITION public.p2_a_idx"}));
}

TEST(IndexDropDdlTest, SameDefinitionComparesEverythingButTheTable) {
  CatalogBuilder b;
  Table& t = b.AddTable("t", {"a", "b", "s:text"});
  Index base = b.AddIndex(t, "i1", {"a", "b"});
  Index other = base;
  other.table_id = 4242;
  EXPECT_TRUE(SameIndexDefinition(base, other));
  other.keys[1].option = 1;  // DESC
  EXPECT_FALSE(SameIndexDefinition(base, other));
  other = base;
  other.predicate = "(a > 0)";
  EXPECT_FALSE(SameIndexDefinition(base, other));
  other = base;
  other.nulls_not_distinct = true;
  EXPECT_FALSE(SameIndexDefinition(base, other));
  Index text1 = b.AddIndex(t, "i2", {"s"});
  Index text2 = text1;
  text2.keys[0].collation = test::kCCollation;
  EXPECT_FALSE(SameIndexDefinition(text1, text2));
  text2 = text1;
  text2.keys[0].opclass = test::kTextPatternOps;
  EXPECT_FALSE(SameIndexDefinition(text1, text2));
  IndexColumn x, y;
  x.column = "a";
  y.column = "b";
  Index inc1 = base, inc2 = base;
  inc1.include = {x, y};
  inc2.include = {y, x};
  EXPECT_TRUE(SameIndexDefinition(inc1, inc2));
}

TEST(IndexDropDdlTest, PredicateSqlIsTheTextAfterTheTopLevelWhere) {
  EXPECT_EQ(IndexPredicateSql("CREATE INDEX i ON public.t USING btree (a) WHERE (b > 0)"),
            "(b > 0)");
  EXPECT_EQ(IndexPredicateSql("CREATE INDEX i ON public.t USING btree (a)"), "");
  // " WHERE " inside quoted names, string literals or parentheses is not the predicate.
  EXPECT_EQ(IndexPredicateSql("CREATE INDEX \"x WHERE y\" ON public.t USING btree "
                              "((a || ' WHERE ')) WHERE (b <> 'it''s WHERE here')"),
            "(b <> 'it''s WHERE here')");
}

}  // namespace
}  // namespace dbopt
