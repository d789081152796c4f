#include "core/model/catalog.hpp"

#include <gtest/gtest.h>

namespace dbopt {
namespace {

Table MakeTable(ObjectId id, const std::string& schema, const std::string& name) {
  Table table;
  table.id = id;
  table.schema = schema;
  table.name = name;
  return table;
}

TEST(CatalogModel, FindTableBeforeAndAfterLinkAndForTablesAddedLater) {
  Catalog catalog;
  catalog.tables[10] = MakeTable(10, "public", "a");
  EXPECT_EQ(catalog.FindTable(10)->name, "a");  // not linked yet
  EXPECT_EQ(catalog.FindTable(11), nullptr);
  catalog.Link();
  EXPECT_EQ(catalog.FindTable(10), &catalog.tables[10]);
  EXPECT_EQ(catalog.FindTable(11), nullptr);
  catalog.tables[11] = MakeTable(11, "public", "b");  // added after Link()
  ASSERT_NE(catalog.FindTable(11), nullptr);
  EXPECT_EQ(catalog.FindTable(11)->name, "b");
  EXPECT_EQ(catalog.FindTable(10), &catalog.tables[10]);
}

TEST(CatalogModel, QualifiedNamesAreQuotedAndCachedByLink) {
  Catalog catalog;
  catalog.tables[1] = MakeTable(1, "My Schema", "order");
  Index index;
  index.id = 2;
  index.table_id = 1;
  index.schema = "My Schema";
  index.name = "i1";
  catalog.AddIndex(index);
  EXPECT_EQ(QualifiedName(catalog.tables[1]), "\"My Schema\".\"order\"");  // built
  catalog.Link();
  EXPECT_EQ(catalog.tables[1].qualified_name, "\"My Schema\".\"order\"");
  EXPECT_EQ(QualifiedName(catalog.tables[1]), "\"My Schema\".\"order\"");
  EXPECT_EQ(QualifiedName(catalog.indexes[2]), "\"My Schema\".i1");
  EXPECT_EQ(QualifiedName(index), "\"My Schema\".i1");  // an unlinked copy
}

// Link() quotes a schema once per run of objects in it: names must still follow each
// object's own schema when schemas alternate, and relinking must give the same result.
TEST(CatalogModel, LinkNamesIndexListsAndPrimaryKeysAcrossAlternatingSchemas) {
  Catalog catalog;
  catalog.tables[1] = MakeTable(1, "s", "a");
  catalog.tables[2] = MakeTable(2, "Other", "b");
  catalog.tables[3] = MakeTable(3, "s", "select");
  catalog.tables[4] = MakeTable(4, "s", "part");
  catalog.tables[4].parent_id = 3;
  catalog.tables[3].kind = 'p';
  auto add_index = [&catalog](ObjectId id, ObjectId table_id, const std::string& schema,
                              const std::string& name, bool primary) {
    Index index;
    index.id = id;
    index.table_id = table_id;
    index.schema = schema;
    index.name = name;
    index.primary = primary;
    catalog.AddIndex(index);
  };
  add_index(10, 2, "Other", "b_pkey", true);
  add_index(11, 1, "s", "a_x", false);
  add_index(12, 2, "Other", "B_y", false);
  add_index(13, 1, "s", "a_pkey", true);
  add_index(14, 3, "s", "user", false);
  for (int pass = 0; pass < 2; ++pass) {
    catalog.Link();
    EXPECT_EQ(catalog.tables[1].qualified_name, "s.a");
    EXPECT_EQ(catalog.tables[2].qualified_name, "\"Other\".b");
    EXPECT_EQ(catalog.tables[3].qualified_name, "s.\"select\"");
    EXPECT_EQ(catalog.indexes[10].qualified_name, "\"Other\".b_pkey");
    EXPECT_EQ(catalog.indexes[11].qualified_name, "s.a_x");
    EXPECT_EQ(catalog.indexes[12].qualified_name, "\"Other\".\"B_y\"");
    EXPECT_EQ(catalog.indexes[14].qualified_name, "s.\"user\"");
    const std::vector<const Index*>& of_a = catalog.IndexesOf(1);
    ASSERT_EQ(of_a.size(), 2u);  // in OID order
    EXPECT_EQ(of_a[0]->id, 11u);
    EXPECT_EQ(of_a[1]->id, 13u);
    ASSERT_EQ(catalog.IndexesOf(2).size(), 2u);
    EXPECT_TRUE(catalog.IndexesOf(4).empty());
    EXPECT_TRUE(catalog.tables[1].has_primary_key);
    EXPECT_TRUE(catalog.tables[2].has_primary_key);
    EXPECT_FALSE(catalog.tables[3].has_primary_key);
    EXPECT_EQ(catalog.tables[3].children, std::vector<ObjectId>{4});
  }
}

}  // namespace
}  // namespace dbopt
