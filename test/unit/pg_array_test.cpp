#include "core/common/pg_array.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace dbopt {
namespace {

TEST(ParseArrayLiteral, HandlesQuotingAndNulls) {
  auto values = ParseArrayLiteral("{a,\"b c\",NULL,\"NULL\",\"x\\\"y\",\"\"}");
  ASSERT_EQ(values.size(), 6u);
  EXPECT_EQ(*values[0], "a");
  EXPECT_EQ(*values[1], "b c");
  EXPECT_FALSE(values[2].has_value());
  EXPECT_EQ(*values[3], "NULL");
  EXPECT_EQ(*values[4], "x\"y");
  EXPECT_EQ(*values[5], "");
}

TEST(ParseArrayLiteral, EmptyAndBounded) {
  EXPECT_TRUE(ParseArrayLiteral("{}").empty());
  EXPECT_EQ(ParseIntArray("[0:1]={3,4}"), (std::vector<std::int64_t>{3, 4}));
}

TEST(ParseArrayLiteral, RejectsGarbage) {
  EXPECT_THROW(ParseArrayLiteral("1,2"), std::invalid_argument);
  EXPECT_THROW(ParseArrayLiteral("{\"open}"), std::invalid_argument);
}

TEST(ParseIntVector, SplitsOnSpaces) {
  EXPECT_EQ(ParseIntVector("1 0 -3"), (std::vector<std::int64_t>{1, 0, -3}));
  EXPECT_TRUE(ParseIntVector("").empty());
}

}  // namespace
}  // namespace dbopt
