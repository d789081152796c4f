// PlainIndexDefinition: index definitions built from the model, as pg_get_indexdef prints
// them (the regress test 23_health_unused compares them with the server's on every shape).
#include <gtest/gtest.h>

#include "catalog_builder.hpp"
#include "core/health/index_drop_ddl.hpp"

namespace dbopt {
namespace {

using test::CatalogBuilder;

TEST(PlainIndexDefinitionTest, PlainColumnsOptionsIncludeAndUniqueness) {
  CatalogBuilder b;
  Table& t = b.AddTable("My Table", {"Id", "a", "s:text"});
  Index& i = b.AddIndex(t, "i", {"Id", "a", "s"});
  i.definition.clear();
  i.keys[0].option = 1 | 2;  // DESC (NULLS FIRST is DESC's default)
  i.keys[1].option = 2;      // NULLS FIRST
  i.keys[2].option = 1 | 2;
  IndexColumn included;
  included.column = "a";
  i.include.push_back(included);
  i.unique = true;
  i.nulls_not_distinct = true;
  const Catalog& c = b.Build();
  EXPECT_EQ(PlainIndexDefinition(c, c.indexes.at(i.id)),
            "CREATE UNIQUE INDEX i ON public.\"My Table\" USING btree (\"Id\" DESC, a NULLS FIRST, "
            "s DESC) INCLUDE (a) NULLS NOT DISTINCT");
}

TEST(PlainIndexDefinitionTest, DescNullsLastAndPartitionedParent) {
  CatalogBuilder b;
  Table& p = b.AddTable("p", {"a"}, false, 'p');
  Index& i = b.AddIndex(p, "p_a", {"a"});
  i.keys[0].option = 1;  // DESC without the NULLS FIRST bit
  const Catalog& c = b.Build();
  EXPECT_EQ(PlainIndexDefinition(c, c.indexes.at(i.id)),
            "CREATE INDEX p_a ON ONLY public.p USING btree (a DESC NULLS LAST)");
}

TEST(PlainIndexDefinitionTest, OtherIndexesNeedTheServer) {
  CatalogBuilder b;
  Table& t = b.AddTable("t", {"a", "s:text"});
  b.AddIndex(t, "expr", {"(lower(s))"});
  b.AddIndex(t, "partial", {"a"}).predicate = "{OPEXPR ...}";
  b.AddIndex(t, "opclass", {"s"}).default_opclasses = false;
  b.AddIndex(t, "collation", {"s"}).keys[0].collation = test::kCCollation;
  b.AddIndex(t, "options", {"a"}).has_reloptions = true;
  const Catalog& c = b.Build();
  for (const auto& [id, index] : c.indexes)
    EXPECT_EQ(PlainIndexDefinition(c, index), "") << index.name;
}

}  // namespace
}  // namespace dbopt
