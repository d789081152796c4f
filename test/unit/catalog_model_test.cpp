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

}  // namespace
}  // namespace dbopt
