// IndexCoversForeignKey / LeadingForeignKeyColumns: which indexes serve the RI lookup.
#include <gtest/gtest.h>

#include "core/health/fk_coverage.hpp"

namespace dbopt {
namespace {

constexpr ObjectId kIntOps = 1976;  // btree integer_ops family
constexpr ObjectId kHashIntOps = 1977;
constexpr ObjectId kTextOps = 1994;
constexpr ObjectId kIntEq = 96;
constexpr ObjectId kDefaultCollation = 100;
constexpr ObjectId kCCollation = 950;

class FakePredicates : public PredicateOracle {
 public:
  bool ImpliedByNotNull(const Index& index,
                        const std::vector<std::string>& columns) const override {
    // "<col> IS NOT NULL" predicates only, for the test.
    for (const std::string& c : columns)
      if (index.predicate == c + " IS NOT NULL") return true;
    return false;
  }
};

class FkIndexMatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Table t;
    t.id = 10;
    t.schema = "public";
    t.name = "child";
    int attnum = 1;
    for (const char* name : {"a", "b", "x"}) {
      Column c;
      c.attnum = attnum++;
      c.name = name;
      t.columns.push_back(c);
    }
    Column s;
    s.attnum = attnum;
    s.name = "s";
    s.collation = kDefaultCollation;
    t.columns.push_back(s);
    catalog.tables[10] = t;
    catalog.equality_members = {{kIntOps, kIntEq}, {kHashIntOps, kIntEq}, {kTextOps, 98}};
    fk.table_id = 10;
    fk.columns = {"a", "b"};
    fk.equality_operators = {kIntEq, kIntEq};
  }
  Index MakeIndex(std::vector<std::string> columns, std::string am = "btree") {
    Index index;
    index.id = 100;
    index.table_id = 10;
    index.access_method = am;
    for (const std::string& c : columns) {
      IndexColumn key;
      key.column = c;
      key.opfamily = am == "hash" ? kHashIntOps : kIntOps;
      index.keys.push_back(key);
    }
    return index;
  }
  Catalog catalog;
  ForeignKey fk;
  FakePredicates predicates;
};

TEST_F(FkIndexMatchTest, SameColumnsInEitherOrderCover) {
  EXPECT_TRUE(IndexCoversForeignKey(catalog, MakeIndex({"a", "b"}), fk, predicates));
  EXPECT_TRUE(IndexCoversForeignKey(catalog, MakeIndex({"b", "a"}), fk, predicates));
  EXPECT_TRUE(IndexCoversForeignKey(catalog, MakeIndex({"b", "a", "x"}), fk, predicates));
}

TEST_F(FkIndexMatchTest, GapOrMissingColumnDoesNotCover) {
  EXPECT_EQ(LeadingForeignKeyColumns(catalog, MakeIndex({"a", "x", "b"}), fk), 1);
  EXPECT_FALSE(IndexCoversForeignKey(catalog, MakeIndex({"a", "x", "b"}), fk, predicates));
  EXPECT_FALSE(IndexCoversForeignKey(catalog, MakeIndex({"a"}), fk, predicates));
  EXPECT_EQ(LeadingForeignKeyColumns(catalog, MakeIndex({"x", "a", "b"}), fk), 0);
  EXPECT_EQ(LeadingForeignKeyColumns(catalog, MakeIndex({"a", "a"}), fk), 1);
}

TEST_F(FkIndexMatchTest, IncludeColumnsDoNotCount) {
  Index index = MakeIndex({"a"});
  IndexColumn included;
  included.column = "b";
  index.include.push_back(included);
  EXPECT_FALSE(IndexCoversForeignKey(catalog, index, fk, predicates));
}

TEST_F(FkIndexMatchTest, InvalidExpressionAndOtherMethodsDoNotCover) {
  Index invalid = MakeIndex({"a", "b"});
  invalid.valid = false;
  EXPECT_FALSE(IndexCoversForeignKey(catalog, invalid, fk, predicates));
  Index expression = MakeIndex({"a", "b"});
  expression.keys[0].column.clear();
  expression.keys[0].expression = "(a + 0)";
  EXPECT_FALSE(IndexCoversForeignKey(catalog, expression, fk, predicates));
  EXPECT_FALSE(IndexCoversForeignKey(catalog, MakeIndex({"a", "b"}, "gin"), fk, predicates));
}

TEST_F(FkIndexMatchTest, HashCoversOnlySingleColumnForeignKeys) {
  EXPECT_FALSE(IndexCoversForeignKey(catalog, MakeIndex({"a"}, "hash"), fk, predicates));
  fk.columns = {"a"};
  fk.equality_operators = {kIntEq};
  EXPECT_TRUE(IndexCoversForeignKey(catalog, MakeIndex({"a"}, "hash"), fk, predicates));
}

TEST_F(FkIndexMatchTest, OperatorFamilyAndCollationMustMatch) {
  Index other_family = MakeIndex({"a", "b"});
  other_family.keys[1].opfamily = kTextOps;
  EXPECT_FALSE(IndexCoversForeignKey(catalog, other_family, fk, predicates));
  fk.columns = {"s"};
  fk.equality_operators = {98};
  Index text_index = MakeIndex({"s"});
  text_index.keys[0].opfamily = kTextOps;
  text_index.keys[0].collation = kDefaultCollation;
  EXPECT_TRUE(IndexCoversForeignKey(catalog, text_index, fk, predicates));
  text_index.keys[0].collation = kCCollation;
  EXPECT_FALSE(IndexCoversForeignKey(catalog, text_index, fk, predicates));
}

TEST_F(FkIndexMatchTest, PartialIndexNeedsImpliedPredicate) {
  Index partial = MakeIndex({"a", "b"});
  partial.predicate = "a IS NOT NULL";
  EXPECT_TRUE(IndexCoversForeignKey(catalog, partial, fk, predicates));
  partial.predicate = "x IS NOT NULL";
  EXPECT_FALSE(IndexCoversForeignKey(catalog, partial, fk, predicates));
}

TEST_F(FkIndexMatchTest, OneMatchAnswersBothQuestionsAndTheInvalidCase) {
  Index partial = MakeIndex({"b", "a", "x"});
  partial.predicate = "a IS NOT NULL";
  std::vector<Index> indexes = {MakeIndex({"a", "b"}), MakeIndex({"a", "x", "b"}),
                                MakeIndex({"x", "a"}), MakeIndex({"a"}, "hash"),
                                MakeIndex({"a", "a"}), partial};
  Index invalid = MakeIndex({"b", "a"});
  invalid.valid = false;
  indexes.push_back(invalid);
  Index not_ready = partial;
  not_ready.ready = false;
  indexes.push_back(not_ready);
  Index unproven = MakeIndex({"a", "b"});
  unproven.predicate = "x IS NOT NULL";
  indexes.push_back(unproven);
  for (const Index& index : indexes) {
    const FkIndexMatch match = MatchIndexToForeignKey(catalog, index, fk, predicates);
    EXPECT_EQ(match.leading, LeadingForeignKeyColumns(catalog, index, fk));
    EXPECT_EQ(match.covers, IndexCoversForeignKey(catalog, index, fk, predicates));
    Index repaired = index;
    repaired.valid = repaired.ready = true;
    EXPECT_EQ(match.covers_if_valid, IndexCoversForeignKey(catalog, repaired, fk, predicates));
  }
  EXPECT_TRUE(MatchIndexToForeignKey(catalog, invalid, fk, predicates).covers_if_valid);
  EXPECT_FALSE(MatchIndexToForeignKey(catalog, invalid, fk, predicates).covers);
  EXPECT_FALSE(MatchIndexToForeignKey(catalog, unproven, fk, predicates).covers_if_valid);
}

TEST_F(FkIndexMatchTest, WideForeignKeysMatchBeyondSixtyFourColumns) {
  // The matched-column set is a word up to 64 columns and a vector beyond.
  Table& table = catalog.tables[10];
  fk.columns.clear();
  fk.equality_operators.clear();
  std::vector<std::string> names;
  for (int i = 0; i < 70; ++i) {
    Column column;
    column.attnum = 10 + i;
    column.name = "c" + std::to_string(i);
    table.columns.push_back(column);
    names.push_back(column.name);
    fk.columns.push_back(column.name);
    fk.equality_operators.push_back(kIntEq);
  }
  std::vector<std::string> reversed(names.rbegin(), names.rend());
  EXPECT_EQ(LeadingForeignKeyColumns(catalog, MakeIndex(reversed), fk), 70);
  EXPECT_TRUE(IndexCoversForeignKey(catalog, MakeIndex(reversed), fk, predicates));
  reversed[3] = reversed[2];  // a repeated column stops the match there
  EXPECT_EQ(LeadingForeignKeyColumns(catalog, MakeIndex(reversed), fk), 3);
}

}  // namespace
}  // namespace dbopt
