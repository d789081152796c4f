#include "cli/text_layout.hpp"

#include <gtest/gtest.h>

namespace dbopt::cli {
namespace {

using Lines = std::vector<std::string>;

TEST(DisplayWidth, CountsCharactersNotBytes) {
  EXPECT_EQ(DisplayWidth(""), 0u);
  EXPECT_EQ(DisplayWidth("abc"), 3u);
  EXPECT_EQ(DisplayWidth("b\xC3\xA4r"), 3u);  // "bär"
  EXPECT_EQ(DisplayWidth("\xE2\x82\xAC"
                         "5"),
            2u);  // "€5"
}

TEST(WrapText, BreaksAtSpaces) {
  EXPECT_EQ(WrapText("the quick brown fox", 10), (Lines{"the quick", "brown fox"}));
  EXPECT_EQ(WrapText("the quick brown fox", 0), (Lines{"the quick brown fox"}));
  EXPECT_EQ(WrapText("fits", 10), (Lines{"fits"}));
  EXPECT_EQ(WrapText("", 10), (Lines{""}));
}

TEST(WrapText, KeepsNewlinesAndCutsLongWords) {
  EXPECT_EQ(WrapText("a\nb c", 0), (Lines{"a", "b c"}));
  EXPECT_EQ(WrapText("ab abcdefghij", 4), (Lines{"ab", "abcd", "efgh", "ij"}));
  // never cuts inside a UTF-8 character
  EXPECT_EQ(WrapText("\xC3\xA4\xC3\xA4\xC3\xA4", 2), (Lines{"\xC3\xA4\xC3\xA4", "\xC3\xA4"}));
}

TEST(WrapText, CutsQualifiedNamesAfterADot) {
  EXPECT_EQ(WrapText("public.orders.orders_customer_id_fkey", 29),
            (Lines{"public.orders.", "orders_customer_id_fkey"}));
  EXPECT_EQ(WrapText(".abcdef", 4), (Lines{".abc", "def"}));  // a leading dot is no break
}

TEST(WrapText, LeavesLinesThatFitUntouched) {
  EXPECT_EQ(WrapText("a  b", 10), (Lines{"a  b"}));  // inner spaces kept
}

TEST(LayoutTable, AlignsColumnsWithoutTrailingSpaces) {
  const Lines lines =
      LayoutTable({{"id"}, {"name"}, {"note"}}, {{"1", "orders", "x"}, {"22", "t", ""}}, 0, "  ");
  EXPECT_EQ(lines, (Lines{"  id  name    note",  //
                          "  1   orders  x",     //
                          "  22  t"}));
}

TEST(LayoutTable, WrapsTheLastColumnToFitTheWidth) {
  const Lines lines = LayoutTable(
      {{"check"}, {"message"}},
      {{"fk_unindexed", "foreign key orders_customer_fkey has no covering index at all"}}, 40);
  EXPECT_EQ(lines, (Lines{"check         message",                   //
                          "fk_unindexed  foreign key",               //
                          "              orders_customer_fkey has",  //
                          "              no covering index at all"}));
  for (const std::string& line : lines) EXPECT_LE(DisplayWidth(line), 40u);
}

TEST(LayoutTable, CapsEarlierColumnsAndWrapsThem) {
  const Lines lines =
      LayoutTable({{"object", 8}, {"message"}}, {{"abcdefghijklmnopqrstuvwx", "m"}}, 80);
  EXPECT_EQ(lines, (Lines{"object    message",  //
                          "abcdefgh  m",        //
                          "ijklmnop",           //
                          "qrstuvwx"}));
}

TEST(LayoutTable, ColumnsWrappedAtDotsGiveTheirSpareWidthToTheLastColumn) {
  const Lines lines = LayoutTable({{"object", 20}, {"message"}},
                                  {{"public.orders.orders_fkey", "has no index at all here"}}, 40);
  EXPECT_EQ(lines, (Lines{"object          message",                   //
                          "public.orders.  has no index at all here",  //
                          "orders_fkey"}));
}

TEST(LayoutTable, NarrowsCappedColumnsBeforeSqueezingTheLastOne) {
  const Lines lines = LayoutTable({{"c", 30}, {"message"}},
                                  {{"abcdefghijklmnopqrstuvwxyz", "short words only here"}}, 35);
  EXPECT_EQ(lines, (Lines{"c              message",           //
                          "abcdefghijklm  short words only",  //
                          "nopqrstuvwxyz  here"}));
}

TEST(LayoutTable, LastColumnKeepsAMinimumWidthOnTinyTerminals) {
  const Lines lines =
      LayoutTable({{"c"}, {"message"}}, {{"x", "aaaa bbbb cccc dddd eeee ffff gggg"}}, 10);
  EXPECT_EQ(lines, (Lines{"c  message", "x  aaaa bbbb cccc dddd", "   eeee ffff gggg"}));
}

}  // namespace
}  // namespace dbopt::cli
