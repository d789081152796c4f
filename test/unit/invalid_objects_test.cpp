// InvalidObjectFindings: index_invalid, constraint_not_valid, table_no_primary_key.
#include <gtest/gtest.h>

#include "catalog_builder.hpp"
#include "core/health/schema_checks.hpp"

namespace dbopt {
namespace {

using test::CatalogBuilder;

std::vector<Finding> Only(const std::vector<Finding>& findings, const std::string& check_id) {
  std::vector<Finding> result;
  for (const Finding& f : findings)
    if (f.check_id == check_id) result.push_back(f);
  return result;
}

TEST(InvalidIndexTest, PlainInvalidIndexIsDroppedAndBuiltAgain) {
  CatalogBuilder b;
  Table& t = b.AddTable("t", {"id", "a"});
  b.AddIndex(t, "t_pkey", {"id"}).primary = true;
  b.AddIndex(t, "t_a_idx", {"a"}).valid = false;
  auto findings = Only(InvalidObjectFindings(b.Build()), "index_invalid");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].object_name, "public.t_a_idx");
  // Not REINDEX CONCURRENTLY: when that fails it leaves an invalid t_a_idx_ccnew behind.
  EXPECT_EQ(
      findings[0].remediation,
      (std::vector<std::string>{"DROP INDEX CONCURRENTLY IF EXISTS public.t_a_idx",
                                "CREATE INDEX CONCURRENTLY t_a_idx ON public.t USING btree (a)"}));
  EXPECT_TRUE(findings[0].revert.empty());
  EXPECT_NE(findings[0].detail_json.find("revert_note"), std::string::npos);
  EXPECT_EQ(findings[0].detail_json.find("duplicates_query"), std::string::npos);
}

TEST(InvalidIndexTest, UniqueIndexNamesTheDuplicatesToRemoveFirst) {
  CatalogBuilder b;
  Table& t = b.AddTable("t", {"id", "a", "Code"});
  Index& index = b.AddIndex(t, "t_a_code_key", {"a", "Code"});
  CatalogBuilder::MakeUnique(index);
  index.valid = false;
  auto findings = Only(InvalidObjectFindings(b.Build()), "index_invalid");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(
      findings[0].remediation,
      (std::vector<std::string>{
          "DROP INDEX CONCURRENTLY IF EXISTS public.t_a_code_key",
          "CREATE UNIQUE INDEX CONCURRENTLY t_a_code_key ON public.t USING btree (a, Code)"}));
  EXPECT_NE(findings[0].message.find("remove them first"), std::string::npos);
  // NULL keys are never duplicates of each other (NULLS DISTINCT).
  EXPECT_NE(findings[0].detail_json.find(
                "\"duplicates_query\": \"SELECT a, \\\"Code\\\", count(*) AS copies FROM public.t "
                "WHERE a IS NOT NULL AND \\\"Code\\\" IS NOT NULL GROUP BY a, \\\"Code\\\" "
                "HAVING count(*) > 1\""),
            std::string::npos)
      << findings[0].detail_json;
  EXPECT_NE(findings[0].detail_json.find("unique_note"), std::string::npos);
}

TEST(InvalidIndexTest, DuplicatesQueryFollowsNullsNotDistinctAndThePredicate) {
  CatalogBuilder b;
  Table& t = b.AddTable("t", {"a", "b"});
  Index& index = b.AddIndex(t, "t_a_key", {"a"});
  CatalogBuilder::MakeUnique(index);
  index.valid = false;
  index.nulls_not_distinct = true;
  index.predicate = "{OPEXPR ...}";
  index.definition += " NULLS NOT DISTINCT WHERE (b > 0)";
  auto findings = Only(InvalidObjectFindings(b.Build()), "index_invalid");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_NE(findings[0].detail_json.find("SELECT a, count(*) AS copies FROM public.t WHERE "
                                         "(b > 0) GROUP BY a HAVING count(*) > 1"),
            std::string::npos)
      << findings[0].detail_json;
}

TEST(InvalidIndexTest, UniqueExpressionIndexHasNoDuplicatesQuery) {
  CatalogBuilder b;
  Table& t = b.AddTable("t", {"email"});
  Index& index = b.AddIndex(t, "t_lower_key", {"(lower(email))"});
  CatalogBuilder::MakeUnique(index);
  index.valid = false;
  auto findings = Only(InvalidObjectFindings(b.Build()), "index_invalid");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].detail_json.find("duplicates_query"), std::string::npos);
  EXPECT_NE(findings[0].message.find("key expressions"), std::string::npos);
  EXPECT_EQ(findings[0].remediation.size(), 2u);
}

TEST(InvalidIndexTest, IndexesThatCannotBeDroppedAloneAreReindexed) {
  CatalogBuilder b;
  Table& t = b.AddTable("t", {"a", "b", "c"});
  Index& constraint_index = b.AddIndex(t, "t_a_key", {"a"});
  constraint_index.constraint_id = 900;
  Index& attached = b.AddIndex(t, "t_b_idx", {"b"});
  attached.parent_index_id = 901;
  Index& replica_identity = b.AddIndex(t, "t_c_key", {"c"});
  replica_identity.replica_identity = true;
  for (Index* index : {&constraint_index, &attached, &replica_identity}) index->valid = false;
  auto findings = Only(InvalidObjectFindings(b.Build()), "index_invalid");
  ASSERT_EQ(findings.size(), 3u);
  for (const Finding& finding : findings) {
    ASSERT_EQ(finding.remediation.size(), 1u);
    EXPECT_EQ(finding.remediation[0], "REINDEX INDEX CONCURRENTLY " + finding.object_name);
    EXPECT_NE(finding.message.find("cannot be dropped alone"), std::string::npos);
  }
}

TEST(InvalidIndexTest, UnknownDefinitionFallsBackToReindex) {
  CatalogBuilder b;
  Table& t = b.AddTable("t", {"a"});
  Index& index = b.AddIndex(t, "t_a_idx", {"a"});
  index.valid = false;
  index.definition = "/* definition unavailable */";
  auto findings = Only(InvalidObjectFindings(b.Build()), "index_invalid");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].remediation,
            std::vector<std::string>{"REINDEX INDEX CONCURRENTLY public.t_a_idx"});
}

TEST(InvalidIndexTest, BuildInProgressIsNotReported) {
  CatalogBuilder b;
  Table& t = b.AddTable("t", {"a"});
  Index& i = b.AddIndex(t, "t_a_idx", {"a"});
  i.valid = false;
  i.build_in_progress = true;
  EXPECT_TRUE(Only(InvalidObjectFindings(b.Build()), "index_invalid").empty());
}

TEST(InvalidIndexTest, ReindexLeftoverIsDropped) {
  CatalogBuilder b;
  Table& t = b.AddTable("t", {"a"});
  b.AddIndex(t, "t_a_idx", {"a"});
  b.AddIndex(t, "t_a_idx_ccnew1", {"a"}).valid = false;
  auto findings = Only(InvalidObjectFindings(b.Build()), "index_invalid");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].remediation,
            std::vector<std::string>{"DROP INDEX CONCURRENTLY IF EXISTS public.t_a_idx_ccnew1"});
}

TEST(InvalidIndexTest, PartitionedIndexGetsMissingPartitionIndexes) {
  CatalogBuilder b;
  Table& p = b.AddTable("p", {"a"}, false, 'p');
  Table& p1 = b.AddTable("p1", {"a"}, false, 'r', p.id);
  Table& p2 = b.AddTable("p2", {"a"}, false, 'r', p.id);
  Table& p3 = b.AddTable("p3", {"a"}, false, 'r', p.id);
  Index& parent = b.AddIndex(p, "p_a_idx", {"a"});
  parent.valid = false;
  b.AddIndex(p1, "p1_a_idx", {"a"}).parent_index_id = parent.id;
  b.AddIndex(p2, "p2_mine", {"a"});  // matching, not attached
  auto findings = Only(InvalidObjectFindings(b.Build()), "index_invalid");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(
      findings[0].remediation,
      (std::vector<std::string>{"ALTER INDEX public.p_a_idx ATTACH PARTITION public.p2_mine",
                                "CREATE INDEX CONCURRENTLY p3_a_idx ON public.p3 USING btree (a)",
                                "ALTER INDEX public.p_a_idx ATTACH PARTITION public.p3_a_idx"}));
  (void)p3;
}

TEST(NotValidConstraintTest, ForeignKeyAndCheckAreValidated) {
  CatalogBuilder b;
  Table& t = b.AddTable("Orders", {"id"});
  b.AddIndex(t, "orders_pkey", {"id"}).primary = true;
  b.AddConstraint(t, "orders_fk", 'f').validated = false;
  b.AddConstraint(t, "positive", 'c').validated = false;
  b.AddConstraint(t, "ok", 'c');
  auto findings = Only(InvalidObjectFindings(b.Build()), "constraint_not_valid");
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].object_name, "public.\"Orders\".orders_fk");
  EXPECT_EQ(
      findings[0].remediation,
      std::vector<std::string>{"ALTER TABLE public.\"Orders\" VALIDATE CONSTRAINT orders_fk"});
  EXPECT_TRUE(findings[0].revert.empty());
}

TEST(NotValidConstraintTest, InheritedCopyIsReportedOnTheParentOnly) {
  CatalogBuilder b;
  Table& p = b.AddTable("p", {"a"}, false, 'p');
  Table& p1 = b.AddTable("p1", {"a"}, false, 'r', p.id);
  b.AddConstraint(p, "c", 'c').validated = false;
  CheckConstraintInfo& copy = b.AddConstraint(p1, "c", 'c');
  copy.validated = false;
  copy.local = false;
  auto findings = Only(InvalidObjectFindings(b.Build()), "constraint_not_valid");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].object_name, "public.p.c");
}

TEST(NoPrimaryKeyTest, UniqueNotNullIndexIsPromoted) {
  CatalogBuilder b;
  Table& t = b.AddTable("t", {"a", "b"}, true);
  Index& wide = b.AddIndex(t, "t_a_b_key", {"a", "b"});
  CatalogBuilder::MakeUnique(wide);
  Index& narrow = b.AddIndex(t, "t_b_key", {"b"});
  CatalogBuilder::MakeUnique(narrow);
  auto findings = Only(InvalidObjectFindings(b.Build()), "table_no_primary_key");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].remediation,
            std::vector<std::string>{
                "ALTER TABLE public.t ADD CONSTRAINT t_b_key PRIMARY KEY USING INDEX t_b_key"});
  EXPECT_EQ(findings[0].revert,
            (std::vector<std::string>{
                "ALTER TABLE public.t DROP CONSTRAINT t_b_key",
                "CREATE UNIQUE INDEX CONCURRENTLY t_b_key ON public.t USING btree (b)"}));
}

TEST(NoPrimaryKeyTest, NullablePartialOrNonDefaultIndexesAreNotPromoted) {
  CatalogBuilder b;
  Table& t = b.AddTable("t", {"a", "b"});  // nullable
  CatalogBuilder::MakeUnique(b.AddIndex(t, "t_a_key", {"a"}));
  Table& u = b.AddTable("u", {"a", "b"}, true);
  Index& partial = b.AddIndex(u, "u_a_key", {"a"});
  CatalogBuilder::MakeUnique(partial);
  partial.predicate = "(b > 0)";
  Index& desc = b.AddIndex(u, "u_b_key", {"b"});
  CatalogBuilder::MakeUnique(desc);
  desc.keys[0].option = 1;
  Index& expression = b.AddIndex(u, "u_expr_key", {"(a + b)"});
  CatalogBuilder::MakeUnique(expression);
  auto findings = Only(InvalidObjectFindings(b.Build()), "table_no_primary_key");
  ASSERT_EQ(findings.size(), 2u);
  for (const Finding& f : findings) {
    EXPECT_TRUE(f.remediation.empty()) << f.object_name;
    EXPECT_NE(f.message.find("IDENTITY"), std::string::npos);
  }
}

TEST(NoPrimaryKeyTest, PartitionsAreReportedThroughTheirParent) {
  CatalogBuilder b;
  Table& p = b.AddTable("p", {"a"}, true, 'p');
  b.AddTable("p1", {"a"}, true, 'r', p.id);
  Table& q = b.AddTable("q", {"a"}, true, 'p');
  Table& q1 = b.AddTable("q1", {"a"}, true, 'r', q.id);
  Index& pk = b.AddIndex(q, "q_pkey", {"a"});
  pk.primary = true;
  Index& leaf = b.AddIndex(q1, "q1_pkey", {"a"});
  leaf.primary = true;
  leaf.parent_index_id = pk.id;
  auto findings = Only(InvalidObjectFindings(b.Build()), "table_no_primary_key");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].object_name, "public.p");
  EXPECT_TRUE(findings[0].remediation.empty());  // USING INDEX is refused on partitioned tables
}

TEST(SchemaScopeTest, OtherSchemasAreNotReported) {
  CatalogBuilder b;
  Table& t = b.AddTable("t", {"a"});
  t.schema = "other";
  b.catalog().scope_schema = "public";
  EXPECT_TRUE(InvalidObjectFindings(b.Build()).empty());
}

}  // namespace
}  // namespace dbopt
