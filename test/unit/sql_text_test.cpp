#include "core/common/json_text.hpp"
#include "core/common/sql_text.hpp"

#include <gtest/gtest.h>

#include <cmath>

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

// The same calls written as a tape (JsonForm::kTape): JsonTapeToText gives back the text form,
// byte for byte; a cut or unknown tape gives "".
TEST(JsonWriter, TapeGivesTheTextOfTheSameCalls) {
  auto write = [](JsonWriter& json) {
    json.BeginObject()
        .Field("name", std::string("a\"b\n\x01"))
        .Field("rows", static_cast<std::int64_t>(10))
        .Field("ok", true)
        .Field("no", false)
        .Key("list")
        .BeginArray()
        .Integer(-9223372036854775807LL - 1)
        .Null()
        .BeginObject()
        .EndObject()
        .BeginArray()
        .EndArray()
        .EndArray()
        .Field("ratio", 0.5)
        .Field("pages", 42.0)
        .Field("minus_zero", -0.0)
        .Field("huge", 1e300)
        .Field("nan", std::nan(""))
        .Field("cols", std::vector<std::string>{"a", "", "c d"})
        .Key("raw")
        .Raw("{\"x\": 1}")
        .Key("empty")
        .StringOrNull("")
        .EndObject();
  };
  JsonWriter text;
  JsonWriter tape(JsonForm::kTape);
  write(text);
  write(tape);
  EXPECT_FALSE(text.tape());
  EXPECT_TRUE(tape.tape());
  EXPECT_NE(tape.str(), text.str());
  EXPECT_EQ(JsonTapeToText(tape.str()), text.str());
  EXPECT_EQ(JsonTapeToText(""), "");
  EXPECT_EQ(JsonTapeToText(tape.str().substr(0, tape.str().size() - 1)), "");  // unclosed
  EXPECT_EQ(JsonTapeToText(tape.str().substr(0, 5)), "");                      // cut length
  EXPECT_EQ(JsonTapeToText("{x}"), "");                                        // unknown tag
  EXPECT_EQ(JsonTapeToText("}"), "");
  const std::string moved = tape.Take();
  EXPECT_EQ(JsonTapeToText(moved), text.str());
}

// The plain run ends at the first quote, backslash or control character wherever it is: in
// the first eight-byte word, later ones, the bytewise tail; bytes of 0x20 and above (UTF-8,
// DEL, characters one above the stops) are plain.
TEST(JsonPlainLength, StopsAtTheFirstCharacterJsonMustEscape) {
  const std::string plain = "abcdefghij KLMNOP 0123456789 !#$%&'()*+,-./:;<=>?@[]^_`{|}~\x7f";
  for (const char stop : {'"', '\\', '\n', '\t', '\0', '\x01', '\x1f'}) {
    for (size_t length = 0; length <= 40; ++length) {
      for (size_t at = 0; at <= length; ++at) {
        std::string text = plain.substr(0, length);
        if (at < length) text[at] = stop;
        const size_t expected = at < length ? at : length;
        EXPECT_EQ(JsonPlainLength(text.data(), text.data() + text.size()), expected)
            << "stop " << static_cast<int>(stop) << " at " << at << " of " << length;
      }
    }
  }
  const std::string utf8 =
      "\xc3\xa9t\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \x20\x21\x23\x5b\x5d\xff\x80";
  EXPECT_EQ(JsonPlainLength(utf8.data(), utf8.data() + utf8.size()), utf8.size());
  // The stop after a run of high bytes (borrows between bytes must not hide it).
  const std::string high = std::string("\x80\xff\xa0\x20\x21\xc3\xa9\x80\x00", 9) + "x";
  EXPECT_EQ(JsonPlainLength(high.data(), high.data() + high.size()), 8u);
  EXPECT_EQ(JsonPlainLength(nullptr, nullptr), 0u);
  EXPECT_EQ(JsonEscape("plain text of more than eight bytes \"quoted\" \\ \n\x01 end"),
            "plain text of more than eight bytes \\\"quoted\\\" \\\\ \\n\\u0001 end");
}

}  // namespace
}  // namespace dbopt
