// FkTypeMismatchFindings: referencing vs referenced column types and modifiers.
#include <gtest/gtest.h>

#include "catalog_builder.hpp"
#include "core/health/schema_checks.hpp"

namespace dbopt {
namespace {

using test::CatalogBuilder;

TEST(FkTypeMismatchTest, SameTypesAreFine) {
  CatalogBuilder b;
  Table& parent = b.AddTable("parent", {"id"});
  Table& child = b.AddTable("child", {"parent_id"});
  b.AddForeignKey(child, "child_fk", {"parent_id"}, parent, {"id"});
  EXPECT_TRUE(FkTypeMismatchFindings(b.Build()).empty());
}

TEST(FkTypeMismatchTest, IntegerToBigintRewrites) {
  CatalogBuilder b;
  Table& parent = b.AddTable("parent", {"id:int8"});
  Table& child = b.AddTable("child", {"parent_id"});
  b.AddForeignKey(child, "child_fk", {"parent_id"}, parent, {"id"});
  auto findings = FkTypeMismatchFindings(b.Build());
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].object_name, "public.child.child_fk");
  EXPECT_EQ(
      findings[0].remediation,
      std::vector<std::string>{
          "ALTER TABLE public.child ALTER COLUMN parent_id TYPE bigint USING parent_id::bigint"});
  EXPECT_EQ(
      findings[0].revert,
      std::vector<std::string>{
          "ALTER TABLE public.child ALTER COLUMN parent_id TYPE integer USING parent_id::integer"});
  EXPECT_NE(findings[0].message.find("REWRITES THE TABLE"), std::string::npos);
  EXPECT_NE(findings[0].detail_json.find("\"rewrites_table\": true"), std::string::npos);
}

TEST(FkTypeMismatchTest, LongerVarcharDoesNotRewrite) {
  CatalogBuilder b;
  Table& parent = b.AddTable("parent", {"code:varchar(50)"});
  Table& child = b.AddTable("child", {"code:varchar(20)"});
  b.AddForeignKey(child, "child_fk", {"code"}, parent, {"code"});
  auto findings = FkTypeMismatchFindings(b.Build());
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].remediation,
            std::vector<std::string>{
                "ALTER TABLE public.child ALTER COLUMN code TYPE character varying(50)"});
  EXPECT_NE(findings[0].detail_json.find("\"rewrites_table\": false"), std::string::npos);
}

TEST(FkTypeMismatchTest, NumericPrecisionAndScale) {
  CatalogBuilder b;
  Table& parent = b.AddTable("parent", {"a:numeric(12,2)", "b:numeric(10,3)"});
  Table& child = b.AddTable("child", {"a:numeric(10,2)", "b:numeric(10,2)"});
  b.AddForeignKey(child, "fa", {"a"}, parent, {"a"});
  b.AddForeignKey(child, "fb", {"b"}, parent, {"b"});
  auto findings = FkTypeMismatchFindings(b.Build());
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_NE(findings[0].detail_json.find("\"rewrites_table\": false"), std::string::npos);
  EXPECT_NE(findings[1].detail_json.find("\"rewrites_table\": true"), std::string::npos);
}

TEST(FkTypeMismatchTest, MultiColumnForeignKeyIsOneStatement) {
  CatalogBuilder b;
  Table& parent = b.AddTable("parent", {"a:int8", "b", "c:text"});
  Table& child = b.AddTable("child", {"x", "y", "z:varchar(5)"});
  b.AddForeignKey(child, "child_fk", {"x", "y", "z"}, parent, {"a", "b", "c"});
  auto findings = FkTypeMismatchFindings(b.Build());
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].remediation,
            std::vector<std::string>{"ALTER TABLE public.child ALTER COLUMN x TYPE bigint USING "
                                     "x::bigint, ALTER COLUMN z TYPE text USING z::text"});
}

TEST(FkTypeMismatchTest, OutOfScopeTablesAreSkipped) {
  CatalogBuilder b;
  Table& parent = b.AddTable("parent", {"id:int8"});
  Table& child = b.AddTable("child", {"parent_id"});
  child.schema = "other";
  b.AddForeignKey(child, "child_fk", {"parent_id"}, parent, {"id"});
  b.catalog().scope_schema = "public";
  EXPECT_TRUE(FkTypeMismatchFindings(b.Build()).empty());
}

}  // namespace
}  // namespace dbopt
