#include "core/common/node_tree.hpp"

#include <gtest/gtest.h>

namespace dbopt {
namespace {

TEST(StripNodeLocations, RemovesEveryLocationField) {
  EXPECT_EQ(StripNodeLocations("{VAR :varno 1 :location 17} {CONST :location -1 :x 2}"),
            "{VAR :varno 1} {CONST :x 2}");
  EXPECT_EQ(StripNodeLocations("{FUNCEXPR :funcid 870 :location 33}"),
            StripNodeLocations("{FUNCEXPR :funcid 870 :location 5}"));
  EXPECT_EQ(StripNodeLocations(""), "");
}

TEST(StripNodeLocations, KeepsOtherFieldsThatMerelyLookSimilar) {
  EXPECT_EQ(StripNodeLocations("{X :locationx 3}"), "{X :locationx 3}");
}

TEST(SplitNodeList, SplitsTopLevelElements) {
  std::vector<std::string> parts =
      SplitNodeList("({FUNCEXPR :args ({VAR :varno 1})} {OPEXPR :args ({VAR} {CONST})})");
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0], "{FUNCEXPR :args ({VAR :varno 1})}");
  EXPECT_EQ(parts[1], "{OPEXPR :args ({VAR} {CONST})}");
}

TEST(SplitNodeList, IgnoresEscapedBraces) {
  std::vector<std::string> parts = SplitNodeList("({CONST :s a\\{b} {CONST :s c\\}d})");
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0], "{CONST :s a\\{b}");
}

TEST(SplitNodeList, NonListIsOneElement) {
  EXPECT_EQ(SplitNodeList("{OPEXPR}"), std::vector<std::string>{"{OPEXPR}"});
  EXPECT_TRUE(SplitNodeList("").empty());
}

}  // namespace
}  // namespace dbopt
