#include "core/model/object_map.hpp"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>
#include <vector>

namespace dbopt {
namespace {

TEST(ObjectIndex, FindsWhatWasInsertedAndNothingElse) {
  ObjectIndex index;
  EXPECT_EQ(index.Find(1), ObjectIndex::kNone);
  for (std::uint32_t i = 0; i < 1000; ++i) EXPECT_EQ(index.Insert(16384 + i * 3, i), i);
  EXPECT_EQ(index.size(), 1000u);
  for (std::uint32_t i = 0; i < 1000; ++i) {
    EXPECT_EQ(index.Find(16384 + i * 3), i);
    EXPECT_EQ(index.Find(16384 + i * 3 + 1), ObjectIndex::kNone);
  }
  // A second insert of an id keeps the first position.
  EXPECT_EQ(index.Insert(16384, 77), 0u);
  EXPECT_EQ(index.Find(16384), 0u);
  EXPECT_EQ(index.size(), 1000u);
  index.Clear();
  EXPECT_EQ(index.Find(16384), ObjectIndex::kNone);
  EXPECT_EQ(index.size(), 0u);
}

TEST(ObjectIndex, CollidingIdsAndIdZero) {
  ObjectIndex index;
  index.Reserve(4);
  // Ids that differ only above the bits the table uses land in the same home slot.
  const std::vector<ObjectId> ids = {0, 1u << 31, 1u << 30, (1u << 31) | (1u << 30), 5};
  for (std::uint32_t i = 0; i < ids.size(); ++i) index.Insert(ids[i], i);
  for (std::uint32_t i = 0; i < ids.size(); ++i) EXPECT_EQ(index.Find(ids[i]), i) << ids[i];
  EXPECT_EQ(index.Find(7), ObjectIndex::kNone);
}

TEST(ObjectMap, IteratesInIdOrderWhateverTheInsertionOrder) {
  ObjectMap<std::string> map;
  std::map<ObjectId, std::string> expected;
  std::mt19937 random(42);
  for (int i = 0; i < 2000; ++i) {
    const ObjectId id = random() % 5000;
    map[id] = "v" + std::to_string(id);
    expected[id] = "v" + std::to_string(id);
  }
  ASSERT_EQ(map.size(), expected.size());
  auto want = expected.begin();
  for (const auto& [id, value] : map) {
    ASSERT_NE(want, expected.end());
    EXPECT_EQ(id, want->first);
    EXPECT_EQ(value, want->second);
    ++want;
  }
  EXPECT_EQ(want, expected.end());
  // Adding more out of order after an ordered walk sorts again.
  map[1] = "one";
  map[0] = "zero";
  expected[1] = "one";
  expected[0] = "zero";
  std::vector<ObjectId> ids;
  for (const auto& entry : map) ids.push_back(entry.first);
  std::vector<ObjectId> expected_ids;
  for (const auto& entry : expected) expected_ids.push_back(entry.first);
  EXPECT_EQ(ids, expected_ids);
}

TEST(ObjectMap, LookupsLikeStdMap) {
  ObjectMap<std::string> map;
  EXPECT_TRUE(map.empty());
  EXPECT_EQ(map.find(3), map.end());
  EXPECT_EQ(map.count(3), 0u);
  EXPECT_THROW(map.at(3), std::out_of_range);
  auto [it, added] = map.emplace(30, std::string("thirty"));
  EXPECT_TRUE(added);
  EXPECT_EQ(it->first, 30u);
  EXPECT_EQ(it->second, "thirty");
  auto again = map.try_emplace(30, "other");
  EXPECT_FALSE(again.second);
  EXPECT_EQ(again.first->second, "thirty");
  map[10] = "ten";
  map[20] = "twenty";
  EXPECT_EQ(map.size(), 3u);
  EXPECT_EQ(map.count(20), 1u);
  EXPECT_TRUE(map.contains(10));
  EXPECT_FALSE(map.contains(15));
  EXPECT_EQ(map.at(10), "ten");
  ASSERT_NE(map.Get(20), nullptr);
  EXPECT_EQ(*map.Get(20), "twenty");
  EXPECT_EQ(map.Get(25), nullptr);
  auto found = map.find(20);
  ASSERT_NE(found, map.end());
  EXPECT_EQ(found->second, "twenty");
  // Iterators walk on from a found element, both ways.
  ++found;
  ASSERT_NE(found, map.end());
  EXPECT_EQ(found->first, 30u);
  --found;
  --found;
  EXPECT_EQ(found->first, 10u);
  EXPECT_EQ(found, map.begin());
  const ObjectMap<std::string>& constant = map;
  EXPECT_EQ(constant.find(30)->second, "thirty");
  EXPECT_EQ(constant.find(31), constant.end());
  ObjectMap<std::string>::const_iterator converted = map.begin();
  EXPECT_EQ(converted, constant.begin());
  EXPECT_EQ(std::distance(constant.begin(), constant.end()), 3);
}

TEST(ObjectMap, ElementsNeverMove) {
  ObjectMap<std::vector<int>> map;
  std::vector<int>* first = &map[100];
  first->push_back(1);
  std::vector<const std::vector<int>*> addresses;
  for (ObjectId id = 99; id > 0; --id) addresses.push_back(&map[id]);  // many chunks
  for (ObjectId id = 101; id < 3000; ++id) map[id].push_back(static_cast<int>(id));
  EXPECT_EQ(&map[100], first);
  EXPECT_EQ(map.at(100), std::vector<int>{1});
  for (ObjectId id = 99; id > 0; --id) EXPECT_EQ(&map[id], addresses[99 - id]);
  EXPECT_EQ(map.at(2999), std::vector<int>{2999});
}

TEST(ObjectMap, CopyMoveAndClear) {
  ObjectMap<std::string> map;
  for (ObjectId id : {5u, 3u, 9u, 1u}) map[id] = std::to_string(id);
  ObjectMap<std::string> copy(map);
  copy[3] = "changed";
  EXPECT_EQ(map.at(3), "3");
  EXPECT_EQ(copy.at(3), "changed");
  std::vector<ObjectId> ids;
  for (const auto& [id, value] : copy) ids.push_back(id);
  EXPECT_EQ(ids, (std::vector<ObjectId>{1, 3, 5, 9}));
  const std::string* address = &map.at(9);
  ObjectMap<std::string> moved(std::move(map));
  EXPECT_EQ(&moved.at(9), address);  // moving the map moves no element
  EXPECT_EQ(moved.size(), 4u);
  ObjectMap<std::string> assigned;
  assigned[77] = "x";
  assigned = moved;
  EXPECT_EQ(assigned.size(), 4u);
  EXPECT_EQ(assigned.count(77), 0u);
  EXPECT_EQ(assigned.at(1), "1");
  assigned.clear();
  EXPECT_TRUE(assigned.empty());
  EXPECT_EQ(assigned.find(1), assigned.end());
  assigned[2] = "two";
  EXPECT_EQ(assigned.begin()->second, "two");
}

// Destroys every element once (counted), including after copies and moves.
struct Counted {
  static int alive;
  Counted() { ++alive; }
  Counted(const Counted&) { ++alive; }
  ~Counted() { --alive; }
};
int Counted::alive = 0;

TEST(ObjectMap, DestroysEachElementOnce) {
  {
    ObjectMap<Counted> map;
    for (ObjectId id = 0; id < 500; ++id) map[(id * 7919) % 1000];
    EXPECT_EQ(Counted::alive, 500);
    ObjectMap<Counted> copy(map);
    EXPECT_EQ(Counted::alive, 1000);
    ObjectMap<Counted> moved(std::move(copy));
    EXPECT_EQ(Counted::alive, 1000);
    map.clear();
    EXPECT_EQ(Counted::alive, 500);
  }
  EXPECT_EQ(Counted::alive, 0);
}

}  // namespace
}  // namespace dbopt

namespace dbopt {
namespace {

// Large maps are ordered by a radix sort: ids that differ in every byte, inserted in an order
// unrelated to theirs, and ids that share their high bytes.
TEST(ObjectMap, LargeOutOfOrderMapsIterateInIdOrder) {
  for (ObjectId base : {0u, 16384u, 0xFFFF0000u}) {
    ObjectMap<int> map;
    std::map<ObjectId, int> expected;
    std::mt19937 random(static_cast<unsigned>(base) + 7);
    for (int i = 0; i < 5000; ++i) {
      const ObjectId id = base == 0 ? static_cast<ObjectId>(random()) : base + random() % 60000;
      map[id] = i;
      expected.emplace(id, i);  // the first value stays, as in map[id] = i for a new id only
      if (expected.at(id) != i) map[id] = expected.at(id);
    }
    ASSERT_EQ(map.size(), expected.size());
    auto want = expected.begin();
    for (const auto& [id, value] : map) {
      ASSERT_EQ(id, want->first);
      EXPECT_EQ(value, want->second);
      ++want;
    }
    // Lookups after the sort still find every element.
    for (const auto& [id, value] : expected) {
      auto found = map.find(id);
      ASSERT_NE(found, map.end());
      EXPECT_EQ(found->second, value);
    }
  }
}

}  // namespace
}  // namespace dbopt
