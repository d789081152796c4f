#include "core/capture/normalize.hpp"

#include <gtest/gtest.h>

#include <string>

namespace dbopt::capture {
namespace {

// Offsets of every occurrence of `needle` in `text`, for building location lists.
std::vector<int> At(const std::string& text, std::initializer_list<const char*> needles) {
  std::vector<int> out;
  for (const char* needle : needles) out.push_back(static_cast<int>(text.find(needle)));
  return out;
}

TEST(ConstantLength, Numbers) {
  EXPECT_EQ(ConstantLength("42", 0), 2u);
  EXPECT_EQ(ConstantLength("x = 3.25)", 4), 4u);
  EXPECT_EQ(ConstantLength("1.5e-3 ", 0), 6u);
  EXPECT_EQ(ConstantLength(".5", 0), 2u);
  EXPECT_EQ(ConstantLength("- 7,", 0), 3u);
  EXPECT_EQ(ConstantLength("-x", 0), 0u);
  EXPECT_EQ(ConstantLength("1..3", 0), 1u);  // not a decimal point
  EXPECT_EQ(ConstantLength("2e", 0), 1u);    // no exponent digits
}

TEST(ConstantLength, Strings) {
  EXPECT_EQ(ConstantLength("'it''s' x", 0), 7u);
  EXPECT_EQ(ConstantLength("E'a\\'b' x", 0), 7u);
  EXPECT_EQ(ConstantLength("'a\\' x", 0), 4u);  // standard strings: backslash is literal
  EXPECT_EQ(ConstantLength("X'ff'", 0), 5u);
  EXPECT_EQ(ConstantLength("b'101'", 0), 6u);
  EXPECT_EQ(ConstantLength("U&'d\\0061t'", 0), 11u);
  EXPECT_EQ(ConstantLength("'a'\n  'b' x", 0), 9u);  // continuation across a newline
  EXPECT_EQ(ConstantLength("'a' 'b'", 0), 3u);       // no newline: not a continuation
  EXPECT_EQ(ConstantLength("'open", 0), 5u);         // unterminated: to the end
}

TEST(ConstantLength, DollarQuotesAndWords) {
  EXPECT_EQ(ConstantLength("$$a'b$$ x", 0), 7u);
  EXPECT_EQ(ConstantLength("$t$ $$ $t$;", 0), 10u);
  EXPECT_EQ(ConstantLength("$1", 0), 0u);  // a parameter, not a constant
  EXPECT_EQ(ConstantLength("TRUE)", 0), 4u);
  EXPECT_EQ(ConstantLength("null", 0), 4u);
  EXPECT_EQ(ConstantLength("(", 0), 0u);
  EXPECT_EQ(ConstantLength("1", 5), 0u);
}

TEST(NormalizeStatement, ReplacesConstantsInTextOrder) {
  std::string q = "SELECT * FROM t WHERE a = 'x' AND b > 10";
  EXPECT_EQ(NormalizeStatement(q, 0, 0, At(q, {"10", "'x'"}), 1),
            "SELECT * FROM t WHERE a = $1 AND b > $2");
}

TEST(NormalizeStatement, ContinuesAfterExistingParameters) {
  std::string q = "SELECT $1 + 5";
  EXPECT_EQ(NormalizeStatement(q, 0, 0, At(q, {"5"}), 2), "SELECT $1 + $2");
}

TEST(NormalizeStatement, DuplicatesAndOutOfRangeLocationsAreIgnored) {
  std::string q = "SELECT 1";
  EXPECT_EQ(NormalizeStatement(q, 0, 0, {7, 7, -1, 99}, 1), "SELECT $1");
  EXPECT_EQ(NormalizeStatement(q, 0, 0, {}, 1), "SELECT 1");
  EXPECT_EQ(NormalizeStatement(q, 0, 0, {0}, 1), "$1 1");  // a word at a reported location
  EXPECT_EQ(NormalizeStatement("", 0, 0, {0}, 1), "");
}

TEST(NormalizeStatement, ExtractsOneStatementOfSeveral) {
  std::string q = "SELECT 1;  SELECT 'a', -2 ;";
  int second = static_cast<int>(q.find(';')) + 1;
  EXPECT_EQ(NormalizeStatement(q, second, static_cast<int>(q.size()) - 1 - second,
                               At(q, {"'a'", "-2", "1"}), 1),
            "SELECT $1, $2");
  EXPECT_EQ(NormalizeStatement(q, 0, 8, At(q, {"1"}), 1), "SELECT $1");
}

TEST(NormalizeStatement, KeepsNonAsciiText) {
  std::string q = "SELECT 'é' AS \"naïve\" WHERE x IN (1, 2)";
  EXPECT_EQ(NormalizeStatement(q, 0, 0, At(q, {"'é'", "1,", "2)"}), 1),
            "SELECT $1 AS \"naïve\" WHERE x IN ($2, $3)");
}

}  // namespace
}  // namespace dbopt::capture
