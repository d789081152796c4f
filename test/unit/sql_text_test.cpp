#include "core/common/sql_text.hpp"

#include <gtest/gtest.h>

namespace dbopt {
namespace {

TEST(QuoteIdent, LeavesPlainLowerCaseNamesAlone) {
  EXPECT_EQ(QuoteIdent("orders"), "orders");
  EXPECT_EQ(QuoteIdent("_x1"), "_x1");
}

TEST(QuoteIdent, QuotesWhatPostgresWouldQuote) {
  EXPECT_EQ(QuoteIdent("Orders"), "\"Orders\"");
  EXPECT_EQ(QuoteIdent("order items"), "\"order items\"");
  EXPECT_EQ(QuoteIdent("1st"), "\"1st\"");
  EXPECT_EQ(QuoteIdent("a\"b"), "\"a\"\"b\"");
  EXPECT_EQ(QuoteIdent(""), "\"\"");
  EXPECT_EQ(QuoteIdent("user"), "\"user\"");  // reserved
  EXPECT_EQ(QuoteIdent("select"), "\"select\"");
  EXPECT_EQ(QuoteIdent("name"), "name");  // unreserved keyword
  EXPECT_EQ(QuoteIdent("a$b"), "\"a$b\"");
}

TEST(QuoteLiteral, DoublesQuotes) {
  EXPECT_EQ(QuoteLiteral("it's"), "'it''s'");
  EXPECT_EQ(QuoteLiteral("back\\slash"), "'back\\slash'");
}

TEST(IndexName, ShortNamesAreReadable) {
  EXPECT_EQ(IndexName("orders", {"customer_id"}), "orders_customer_id_idx");
  EXPECT_EQ(IndexName("t", {"a", "b"}, "key"), "t_a_b_key");
}

TEST(IndexName, LongNamesFitAndStayDistinct) {
  std::string long_table(60, 't');
  std::string a = IndexName(long_table, {"first_column"});
  std::string b = IndexName(long_table, {"second_column"});
  EXPECT_LE(a.size(), 63u);
  EXPECT_LE(b.size(), 63u);
  EXPECT_NE(a, b);
  EXPECT_EQ(a, IndexName(long_table, {"first_column"}));  // deterministic
  EXPECT_EQ(a.substr(a.size() - 4), "_idx");
}

TEST(IndexName, NeverCutsAUtf8Character) {
  std::string table;
  for (int i = 0; i < 40; ++i) table += "\xc3\xa9";  // é
  std::string name = IndexName(table, {"x"});
  EXPECT_LE(name.size(), 63u);
  std::string head = name.substr(0, name.find("_"));
  EXPECT_EQ(head.size() % 2, 0u);
}

TEST(JsonWriter, WritesNestedValues) {
  JsonWriter json;
  json.BeginObject()
      .Field("name", std::string("a\"b\n"))
      .Field("rows", static_cast<std::int64_t>(10))
      .Field("ok", true)
      .Key("list")
      .BeginArray()
      .Integer(1)
      .Null()
      .EndArray()
      .Field("ratio", 0.5)
      .EndObject();
  EXPECT_EQ(json.str(),
            "{\"name\": \"a\\\"b\\n\", \"rows\": 10, \"ok\": true, \"list\": [1, null], "
            "\"ratio\": 0.5}");
}

}  // namespace
}  // namespace dbopt
