// RedundantIndexFindings / IndexCoversIndex: duplicates and prefix-redundant indexes.
#include <gtest/gtest.h>

#include "catalog_builder.hpp"
#include "core/health/redundant_indexes.hpp"
#include "core/health/schema_checks.hpp"

namespace dbopt {
namespace {

using test::CatalogBuilder;

std::vector<std::string> Names(const std::vector<Finding>& findings) {
  std::vector<std::string> names;
  for (const Finding& f : findings) names.push_back(f.check_id + " " + f.object_name);
  std::sort(names.begin(), names.end());
  return names;
}

TEST(RedundantIndexTest, ExactDuplicateKeepsTheOldest) {
  CatalogBuilder b;
  Table& t = b.AddTable("t", {"a", "b"});
  b.AddIndex(t, "t_a_1", {"a", "b"});
  b.AddIndex(t, "t_a_2", {"a", "b"});
  auto findings = RedundantIndexFindings(b.Build());
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].check_id, "index_duplicate");
  EXPECT_EQ(findings[0].object_name, "public.t_a_2");
  EXPECT_EQ(findings[0].remediation,
            std::vector<std::string>{"DROP INDEX CONCURRENTLY IF EXISTS public.t_a_2"});
  EXPECT_EQ(
      findings[0].revert,
      std::vector<std::string>{"CREATE INDEX CONCURRENTLY t_a_2 ON public.t USING btree (a, b)"});
}

TEST(RedundantIndexTest, PrefixIsRedundantOnlyForBtree) {
  CatalogBuilder b;
  Table& t = b.AddTable("t", {"a", "b", "c"});
  b.AddIndex(t, "t_a", {"a"});
  b.AddIndex(t, "t_a_b", {"a", "b"});
  b.AddIndex(t, "t_a_b_c", {"a", "b", "c"});
  b.AddIndex(t, "t_b", {"b"});  // not a prefix
  b.AddIndex(t, "g_a", {"a"}, "gist");
  b.AddIndex(t, "g_a_b", {"a", "b"}, "gist");
  auto findings = RedundantIndexFindings(b.Build());
  EXPECT_EQ(Names(findings), (std::vector<std::string>{"index_redundant public.t_a",
                                                       "index_redundant public.t_a_b"}));
  for (const Finding& f : findings)
    EXPECT_NE(f.detail_json.find("\"kept_index\": \"public.t_a_b_c\""), std::string::npos);
}

TEST(RedundantIndexTest, OptionsOpclassCollationPredicateAndExpressionsMatter) {
  CatalogBuilder b;
  Table& t = b.AddTable("t", {"a", "s:text"});
  b.AddIndex(t, "plain", {"a"});
  b.AddIndex(t, "descending", {"a"}).keys[0].option = 3;  // DESC NULLS FIRST
  b.AddIndex(t, "partial", {"a"}).predicate = "(a > 0)";
  b.AddIndex(t, "text_default", {"s"});
  b.AddIndex(t, "text_pattern", {"s"}).keys[0].opclass = test::kTextPatternOps;
  b.AddIndex(t, "text_c", {"s"}).keys[0].collation = test::kCCollation;
  b.AddIndex(t, "expr_1", {"(lower(s))"});
  b.AddIndex(t, "expr_2", {"(upper(s))"});
  b.AddIndex(t, "hash_a", {"a"}, "hash");
  EXPECT_TRUE(RedundantIndexFindings(b.Build()).empty());
}

TEST(RedundantIndexTest, SameExpressionAndPredicateAreDuplicates) {
  CatalogBuilder b;
  Table& t = b.AddTable("t", {"a", "s:text"});
  b.AddIndex(t, "e1", {"(lower(s))"}).predicate = "(a > 0)";
  b.AddIndex(t, "e2", {"(lower(s))"}).predicate = "(a > 0)";
  EXPECT_EQ(Names(RedundantIndexFindings(b.Build())),
            std::vector<std::string>{"index_duplicate public.e2"});
}

TEST(RedundantIndexTest, UniqueIsNeverRedundantToNonUniqueOrWider) {
  CatalogBuilder b;
  Table& t = b.AddTable("t", {"a", "b"});
  CatalogBuilder::MakeUnique(b.AddIndex(t, "u_a", {"a"}));
  b.AddIndex(t, "n_a_b", {"a", "b"});
  CatalogBuilder::MakeUnique(b.AddIndex(t, "u_a_b", {"a", "b"}));
  b.AddIndex(t, "n_a", {"a"});  // redundant to u_a (and the others)
  auto findings = RedundantIndexFindings(b.Build());
  // u_a stays (u_a_b does not enforce its uniqueness); n_a_b goes (u_a_b serves it).
  EXPECT_EQ(Names(findings), (std::vector<std::string>{"index_redundant public.n_a",
                                                       "index_redundant public.n_a_b"}));
  // n_a is reported against the closest survivor, u_a (same keys, fewer columns).
  for (const Finding& f : findings)
    EXPECT_NE(
        f.detail_json.find(f.object_name == "public.n_a" ? "\"kept_index\": \"public.u_a\""
                                                         : "\"kept_index\": \"public.u_a_b\""),
        std::string::npos);
}

TEST(RedundantIndexTest, NullsNotDistinctAndDeferrableMatter) {
  CatalogBuilder b;
  Table& t = b.AddTable("t", {"a"});
  Index& nnd = b.AddIndex(t, "u_nnd", {"a"});
  CatalogBuilder::MakeUnique(nnd);
  nnd.nulls_not_distinct = true;
  CatalogBuilder::MakeUnique(b.AddIndex(t, "u_plain", {"a"}));
  // u_plain's uniqueness is implied by u_nnd's (stricter); not the other way round.
  EXPECT_EQ(Names(RedundantIndexFindings(b.Build())),
            std::vector<std::string>{"index_redundant public.u_plain"});

  CatalogBuilder d;
  Table& u = d.AddTable("u", {"a"});
  Index& deferrable = d.AddIndex(u, "u_a_key", {"a"});
  CatalogBuilder::MakeUnique(deferrable);
  CheckConstraintInfo& constraint = d.AddConstraint(u, "u_a_key", 'u');
  constraint.deferrable = true;
  deferrable.constraint_id = constraint.id;
  CatalogBuilder::MakeUnique(d.AddIndex(u, "u_a_immediate", {"a"}));
  // The immediate unique index is not replaced by a deferrable constraint; the deferrable
  // constraint is replaced by the immediate index (it enforces more).
  EXPECT_EQ(Names(RedundantIndexFindings(d.Build())),
            std::vector<std::string>{"index_duplicate public.u_a_key"});
}

TEST(RedundantIndexTest, ConstraintBackingIndexesStay) {
  CatalogBuilder b;
  Table& t = b.AddTable("t", {"a", "b"});
  Index& pk = b.AddIndex(t, "t_pkey", {"a"});
  CatalogBuilder::MakeUnique(pk);
  pk.primary = true;
  pk.constraint_id = b.AddConstraint(t, "t_pkey", 'p').id;
  b.AddIndex(t, "t_a_idx", {"a"});  // non-unique copy of the PK: goes
  Index& referenced = b.AddIndex(t, "t_a_ref", {"a"});
  CatalogBuilder::MakeUnique(referenced);
  referenced.referenced_by_foreign_key = true;  // an FK uses it: stays
  b.AddIndex(t, "t_b_idx", {"b"}).replica_identity = true;
  b.AddIndex(t, "t_b_copy", {"b"});
  auto findings = RedundantIndexFindings(b.Build());
  EXPECT_EQ(Names(findings), (std::vector<std::string>{"index_duplicate public.t_b_copy",
                                                       "index_redundant public.t_a_idx"}));
}

TEST(RedundantIndexTest, UniqueConstraintGoesThroughDropConstraint) {
  CatalogBuilder b;
  Table& t = b.AddTable("t", {"a"});
  Index& pk = b.AddIndex(t, "t_pkey", {"a"});
  CatalogBuilder::MakeUnique(pk);
  pk.primary = true;
  Index& key = b.AddIndex(t, "t_a_key", {"a"});
  CatalogBuilder::MakeUnique(key);
  key.constraint_id = b.AddConstraint(t, "t_a_key", 'u').id;
  auto findings = RedundantIndexFindings(b.Build());
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].object_name, "public.t_a_key");
  EXPECT_EQ(findings[0].remediation,
            std::vector<std::string>{"ALTER TABLE public.t DROP CONSTRAINT t_a_key"});
  EXPECT_EQ(findings[0].revert,
            (std::vector<std::string>{
                "CREATE UNIQUE INDEX CONCURRENTLY t_a_key ON public.t USING btree (a)",
                "ALTER TABLE public.t ADD CONSTRAINT t_a_key UNIQUE USING INDEX t_a_key"}));
}

TEST(RedundantIndexTest, ConstraintIndexIsKeptOverAPlainCopy) {
  CatalogBuilder b;
  Table& t = b.AddTable("t", {"a"});
  CatalogBuilder::MakeUnique(b.AddIndex(t, "plain_unique", {"a"}));
  Index& key = b.AddIndex(t, "t_a_key", {"a"});
  CatalogBuilder::MakeUnique(key);
  key.constraint_id = b.AddConstraint(t, "t_a_key", 'u').id;
  EXPECT_EQ(Names(RedundantIndexFindings(b.Build())),
            std::vector<std::string>{"index_duplicate public.plain_unique"});
}

TEST(RedundantIndexTest, IncludeColumns) {
  CatalogBuilder b;
  Table& t = b.AddTable("t", {"a", "b", "c"});
  Index& narrow = b.AddIndex(t, "a_inc_b", {"a"});
  IndexColumn included;
  included.column = "b";
  narrow.include.push_back(included);
  b.AddIndex(t, "a_b", {"a", "b"});  // covers a INCLUDE (b)
  Index& other = b.AddIndex(t, "a_inc_c", {"a"});
  included.column = "c";
  other.include.push_back(included);  // c is nowhere else: stays
  EXPECT_EQ(Names(RedundantIndexFindings(b.Build())),
            std::vector<std::string>{"index_redundant public.a_inc_b"});
}

TEST(RedundantIndexTest, InvalidIndexesAreLeftToIndexInvalid) {
  CatalogBuilder b;
  Table& t = b.AddTable("t", {"a"});
  b.AddIndex(t, "i1", {"a"}).valid = false;
  b.AddIndex(t, "i2", {"a"});
  EXPECT_TRUE(RedundantIndexFindings(b.Build()).empty());
}

TEST(RedundantIndexTest, PartitionedParentsAndAttachedLeaves) {
  CatalogBuilder b;
  Table& p = b.AddTable("p", {"a", "b"}, false, 'p');
  Table& p1 = b.AddTable("p1", {"a", "b"}, false, 'r', p.id);
  Index& wide = b.AddIndex(p, "p_a_b", {"a", "b"});
  Index& narrow = b.AddIndex(p, "p_a", {"a"});
  b.AddIndex(p1, "p1_a_b", {"a", "b"}).parent_index_id = wide.id;
  b.AddIndex(p1, "p1_a", {"a"}).parent_index_id = narrow.id;
  b.AddIndex(p1, "p1_mine", {"a"});  // standalone copy of attached p1_a: dropped concurrently
  auto findings = RedundantIndexFindings(b.Build());
  ASSERT_EQ(Names(findings), (std::vector<std::string>{"index_duplicate public.p1_mine",
                                                       "index_redundant public.p_a"}));
  for (const Finding& f : findings) {
    if (f.object_name == "public.p_a") {
      EXPECT_EQ(f.remediation, std::vector<std::string>{"DROP INDEX IF EXISTS public.p_a"});
      EXPECT_EQ(f.revert, (std::vector<std::string>{
                              "CREATE INDEX p_a ON ONLY public.p USING btree (a)",
                              "CREATE INDEX CONCURRENTLY p1_a ON public.p1 USING btree (a)",
                              "ALTER INDEX public.p_a ATTACH PARTITION public.p1_a"}));
      EXPECT_NE(f.message.find("cannot be dropped CONCURRENTLY"), std::string::npos);
    } else {
      EXPECT_EQ(f.remediation,
                std::vector<std::string>{"DROP INDEX CONCURRENTLY IF EXISTS public.p1_mine"});
    }
  }
}

}  // namespace
}  // namespace dbopt
