#include "core/model/index_definition.hpp"

#include <gtest/gtest.h>

namespace dbopt {
namespace {

Table MakeTable(char kind = 'r') {
  Table table;
  table.id = 1;
  table.schema = "app";
  table.name = "Order Lines";
  table.kind = kind;
  return table;
}

Index MakeIndex(std::vector<std::string> keys, std::string method = "btree") {
  Index index;
  index.id = 10;
  index.table_id = 1;
  index.schema = "app";
  index.name = "order_lines_idx";
  index.access_method = std::move(method);
  for (std::string& key : keys) {
    IndexColumn column;
    column.column = std::move(key);
    index.keys.push_back(std::move(column));
  }
  return index;
}

TEST(PlainIndexDefinition, WritesWhatPgGetIndexdefWrites) {
  Index index = MakeIndex({"a", "Note"});
  index.unique = true;
  index.keys[0].option = 3;  // DESC NULLS FIRST: the default for DESC, not printed
  index.keys[1].option = 1;  // DESC NULLS LAST
  IndexColumn include;
  include.column = "b";
  index.include.push_back(include);
  index.reloptions = {"fillfactor=70", "deduplicate_items=off"};
  KeyDecoration note;
  note.collation = "\"C\"";
  note.opclass = "text_pattern_ops";
  EXPECT_EQ(PlainIndexDefinition(MakeTable(), index, {{}, note}),
            "CREATE UNIQUE INDEX order_lines_idx ON app.\"Order Lines\" USING btree (a DESC, "
            "\"Note\" COLLATE \"C\" text_pattern_ops DESC NULLS LAST) INCLUDE (b) WITH "
            "(fillfactor='70', deduplicate_items=off)");
}

TEST(PlainIndexDefinition, NullsFirstOnAscendingAndNullsNotDistinct) {
  Index index = MakeIndex({"a"});
  index.keys[0].option = 2;
  index.nulls_not_distinct = true;
  index.unique = true;
  EXPECT_EQ(PlainIndexDefinition(MakeTable(), index, {{}}),
            "CREATE UNIQUE INDEX order_lines_idx ON app.\"Order Lines\" USING btree (a NULLS "
            "FIRST) NULLS NOT DISTINCT");
}

TEST(PlainIndexDefinition, PartitionedTablesGetOnlyAndUnorderedMethodsNoDirection) {
  Index index = MakeIndex({"a"}, "hash");
  index.keys[0].option = 1;
  EXPECT_EQ(PlainIndexDefinition(MakeTable('p'), index, {{}}),
            "CREATE INDEX order_lines_idx ON ONLY app.\"Order Lines\" USING hash (a)");
}

TEST(PlainIndexDefinition, LeavesExpressionsAndPredicatesToTheDeparser) {
  Index partial = MakeIndex({"a"});
  partial.predicate = "{NULLTEST}";
  EXPECT_EQ(PlainIndexDefinition(MakeTable(), partial, {{}}), "");
  Index expression = MakeIndex({"a"});
  expression.keys[0].column.clear();
  expression.keys[0].expression = "{FUNCEXPR}";
  EXPECT_EQ(PlainIndexDefinition(MakeTable(), expression, {{}}), "");
  EXPECT_EQ(PlainIndexDefinition(MakeTable(), MakeIndex({"a"}), {}), "");
}

TEST(IndexDefinition, ExpressionKeysAndPredicateFromTheirDeparsedSql) {
  Index index = MakeIndex({"a", "b"});
  index.keys[1].column.clear();
  index.keys[1].expression = "{FUNCEXPR}";
  index.keys[1].option = 1;
  index.predicate = "{OPEXPR}";
  KeyDecoration expression;
  expression.expression = "lower(b)";
  expression.opclass = "text_pattern_ops";
  EXPECT_EQ(IndexDefinition(MakeTable(), index, {{}, expression}, "(a > 0)"),
            "CREATE INDEX order_lines_idx ON app.\"Order Lines\" USING btree (a, lower(b) "
            "text_pattern_ops DESC NULLS LAST) WHERE (a > 0)");
  // Each expression key needs its SQL, a column key none, a partial index its predicate.
  EXPECT_EQ(IndexDefinition(MakeTable(), index, {{}, {}}, "(a > 0)"), "");
  EXPECT_EQ(IndexDefinition(MakeTable(), index, {expression, expression}, "(a > 0)"), "");
  EXPECT_EQ(IndexDefinition(MakeTable(), index, {{}, expression}, ""), "");
  EXPECT_EQ(IndexDefinition(MakeTable(), MakeIndex({"a"}), {{}}, "(a > 0)"), "");
}

}  // namespace
}  // namespace dbopt
