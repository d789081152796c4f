#include "core/capture/qual_shape.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace dbopt::capture {
namespace {

QualKind Classify(const char* op, bool any = false, bool* ci = nullptr) {
  bool ignored = false;
  return ClassifyOperator(op, any, ci != nullptr ? ci : &ignored);
}

TEST(ClassifyOperator, ComparisonFamilies) {
  EXPECT_EQ(Classify("="), QualKind::kEquality);
  EXPECT_EQ(Classify("=", true), QualKind::kIn);
  EXPECT_EQ(Classify("<"), QualKind::kRange);
  EXPECT_EQ(Classify(">="), QualKind::kRange);
  EXPECT_EQ(Classify("<", true), QualKind::kRange);  // x < ANY (...)
  EXPECT_EQ(Classify("<>"), QualKind::kOther);
  EXPECT_EQ(Classify("@@"), QualKind::kFullText);
  EXPECT_EQ(Classify("@>"), QualKind::kContainment);
  EXPECT_EQ(Classify("<@"), QualKind::kContainment);
  EXPECT_EQ(Classify("?"), QualKind::kContainment);
  EXPECT_EQ(Classify("&&"), QualKind::kContainment);
  EXPECT_EQ(Classify("||"), QualKind::kOther);
}

TEST(ClassifyOperator, PatternsAndCase) {
  bool ci = true;
  EXPECT_EQ(Classify("~~", false, &ci), QualKind::kLike);
  EXPECT_FALSE(ci);
  EXPECT_EQ(Classify("~~*", false, &ci), QualKind::kLike);
  EXPECT_TRUE(ci);
  EXPECT_EQ(Classify("~", false, &ci), QualKind::kRegex);
  EXPECT_FALSE(ci);
  EXPECT_EQ(Classify("~*", false, &ci), QualKind::kRegex);
  EXPECT_TRUE(ci);
  EXPECT_EQ(Classify("!~~", false, &ci), QualKind::kOther);  // NOT LIKE serves no index
}

TEST(LeadingWildcard, Like) {
  EXPECT_EQ(LeadingWildcard(true, "abc%"), Wildcard::kNo);
  EXPECT_EQ(LeadingWildcard(true, "%abc"), Wildcard::kYes);
  EXPECT_EQ(LeadingWildcard(true, "_bc"), Wildcard::kYes);
  EXPECT_EQ(LeadingWildcard(true, "a%c"), Wildcard::kNo);
  EXPECT_EQ(LeadingWildcard(true, ""), Wildcard::kNo);
}

TEST(LeadingWildcard, Regex) {
  EXPECT_EQ(LeadingWildcard(false, "^abc"), Wildcard::kNo);
  EXPECT_EQ(LeadingWildcard(false, "abc"), Wildcard::kYes);
  EXPECT_EQ(LeadingWildcard(false, "^.*abc"), Wildcard::kYes);
  EXPECT_EQ(LeadingWildcard(false, ""), Wildcard::kYes);
}

TEST(AddQualShape, DeduplicatesAndBounds) {
  std::vector<QualShape> shapes;
  QualShape a{};
  a.attnum = 2;
  a.kind = QualKind::kEquality;
  a.operand = QualOperand::kConstant;
  QualShape b = a;
  b.operand = QualOperand::kParameter;
  EXPECT_TRUE(AddQualShape(&shapes, a, 2));
  EXPECT_TRUE(AddQualShape(&shapes, a, 2));
  EXPECT_EQ(shapes.size(), 1u);
  EXPECT_TRUE(AddQualShape(&shapes, b, 2));
  QualShape c = a;
  c.attnum = 3;
  EXPECT_FALSE(AddQualShape(&shapes, c, 2));
  EXPECT_EQ(shapes.size(), 2u);
}

TEST(MergeQualShape, UpdatesTheLeadingWildcardInPlace) {
  QualShape shapes[3] = {};
  int count = 0;
  QualShape like{};
  like.attnum = 2;
  like.kind = QualKind::kLike;
  like.operand = QualOperand::kConstant;
  like.leading_wildcard = Wildcard::kNo;
  EXPECT_TRUE(MergeQualShape(shapes, &count, 3, like));
  EXPECT_TRUE(MergeQualShape(shapes, &count, 3, like));
  EXPECT_EQ(count, 1);
  // A later pattern with a leading wildcard: the flag is raised, not listed twice.
  QualShape wild = like;
  wild.leading_wildcard = Wildcard::kYes;
  EXPECT_TRUE(MergeQualShape(shapes, &count, 3, wild));
  EXPECT_EQ(count, 1);
  EXPECT_EQ(shapes[0].leading_wildcard, Wildcard::kYes);
  // Weaker flags never lower it.
  EXPECT_TRUE(MergeQualShape(shapes, &count, 3, like));
  QualShape unknown = like;
  unknown.leading_wildcard = Wildcard::kUnknown;
  EXPECT_TRUE(MergeQualShape(shapes, &count, 3, unknown));
  EXPECT_EQ(count, 1);
  EXPECT_EQ(shapes[0].leading_wildcard, Wildcard::kYes);
  // Unknown is raised by a known flag.
  QualShape param = unknown;
  param.operand = QualOperand::kParameter;
  EXPECT_TRUE(MergeQualShape(shapes, &count, 3, param));
  EXPECT_EQ(count, 2);
  QualShape param_no = param;
  param_no.leading_wildcard = Wildcard::kNo;
  EXPECT_TRUE(MergeQualShape(shapes, &count, 3, param_no));
  EXPECT_EQ(count, 2);
  EXPECT_EQ(shapes[1].leading_wildcard, Wildcard::kNo);
  // Another operand, case sensitivity or column is another shape; equality has no flag to merge.
  QualShape ilike = like;
  ilike.case_insensitive = true;
  EXPECT_TRUE(MergeQualShape(shapes, &count, 3, ilike));
  EXPECT_EQ(count, 3);
  QualShape equality{};
  equality.attnum = 2;
  equality.kind = QualKind::kEquality;
  equality.operand = QualOperand::kOuter;
  EXPECT_FALSE(MergeQualShape(shapes, &count, 3, equality));
  EXPECT_EQ(count, 3);
}

TEST(QualShapesJson, Renders) {
  QualShape like{};
  like.attnum = 3;
  like.kind = QualKind::kLike;
  like.operand = QualOperand::kConstant;
  like.leading_wildcard = Wildcard::kYes;
  like.case_insensitive = true;
  QualShape null_check{};
  null_check.attnum = 1;
  null_check.kind = QualKind::kIsNull;
  null_check.operand = QualOperand::kNone;
  QualShape unknown = like;
  unknown.leading_wildcard = Wildcard::kUnknown;
  unknown.case_insensitive = false;
  unknown.operand = QualOperand::kParameter;
  EXPECT_EQ(QualShapesJson({like, null_check, unknown}, {"no\"te", "id"}),
            "[{\"column\": \"no\\\"te\", \"attnum\": 3, \"op\": \"like\", "
            "\"compared_to\": \"constant\", \"leading_wildcard\": true, "
            "\"case_insensitive\": true}, "
            "{\"column\": \"id\", \"attnum\": 1, \"op\": \"is_null\", \"compared_to\": \"none\"}, "
            "{\"column\": null, \"attnum\": 3, \"op\": \"like\", \"compared_to\": \"parameter\", "
            "\"leading_wildcard\": null}]");
  EXPECT_EQ(QualShapesJson({}, {}), "[]");
}

}  // namespace
}  // namespace dbopt::capture
