// UnusedIndexFindings: idx_scan = 0 since the statistics reset, with its exclusions.
#include <gtest/gtest.h>

#include "catalog_builder.hpp"
#include "core/health/schema_checks.hpp"

namespace dbopt {
namespace {

using test::CatalogBuilder;

class NoPredicates : public PredicateOracle {
 public:
  bool ImpliedByNotNull(const Index&, const std::vector<std::string>&) const override {
    return false;
  }
};

std::vector<std::string> Names(const std::vector<Finding>& findings) {
  std::vector<std::string> names;
  for (const Finding& f : findings) names.push_back(f.object_name);
  std::sort(names.begin(), names.end());
  return names;
}

TEST(UnusedIndexTest, ZeroScansAreReportedWithEvidence) {
  CatalogBuilder b;
  Table& t = b.AddTable("t", {"a", "b"});
  Index& unused = b.AddIndex(t, "t_a", {"a"});
  unused.pages = 42;
  b.AddIndex(t, "t_b", {"b"}).scans = 7;
  b.catalog().stats_reset = "2026-11-01 00:00:00+00";
  b.catalog().stats_age_seconds = 30 * 86400;
  auto findings = UnusedIndexFindings(b.Build(), NoPredicates());
  ASSERT_EQ(findings.size(), 1u);
  const Finding& f = findings[0];
  EXPECT_EQ(f.check_id, "index_unused");
  EXPECT_EQ(f.object_name, "public.t_a");
  EXPECT_NE(f.message.find("since 2026-11-01 00:00:00+00 (30 days ago)"), std::string::npos);
  EXPECT_NE(f.detail_json.find("\"scans\": 0"), std::string::npos);
  EXPECT_NE(f.detail_json.find("\"pages\": 42"), std::string::npos);
  EXPECT_NE(f.detail_json.find("\"stats_reset\": \"2026-11-01 00:00:00+00\""), std::string::npos);
  EXPECT_EQ(f.remediation,
            std::vector<std::string>{"DROP INDEX CONCURRENTLY IF EXISTS public.t_a"});
  EXPECT_EQ(f.revert,
            std::vector<std::string>{"CREATE INDEX CONCURRENTLY t_a ON public.t USING btree (a)"});
}

TEST(UnusedIndexTest, ConstraintUniqueAndSpecialIndexesAreExcluded) {
  CatalogBuilder b;
  Table& t = b.AddTable("t", {"a", "b", "c", "d", "e"});
  Index& pk = b.AddIndex(t, "t_pkey", {"a"});
  pk.primary = true;
  pk.unique = true;
  CatalogBuilder::MakeUnique(b.AddIndex(t, "t_b_key", {"b"}));
  b.AddIndex(t, "t_c_excl", {"c"}, "gist").constraint_id = 77;
  b.AddIndex(t, "t_d_ref", {"d"}).referenced_by_foreign_key = true;
  b.AddIndex(t, "t_e_ident", {"e"}).replica_identity = true;
  b.AddIndex(t, "t_e_invalid", {"e"}).valid = false;
  EXPECT_TRUE(UnusedIndexFindings(b.Build(), NoPredicates()).empty());
}

TEST(UnusedIndexTest, OnlyIndexServingAForeignKeyStays) {
  CatalogBuilder b;
  Table& parent = b.AddTable("parent", {"id"});
  Table& child = b.AddTable("child", {"p", "q", "x"});
  Table& other = b.AddTable("other", {"p", "q"});
  b.AddForeignKey(child, "child_fk", {"p", "q"}, parent, {"id", "id"});
  b.AddForeignKey(other, "other_fk", {"p"}, parent, {"id"});
  b.AddIndex(child, "child_q_p", {"q", "p"});  // covers the FK: stays
  b.AddIndex(child, "child_p", {"p"});         // narrower than child_q_p: unused
  b.AddIndex(other, "other_p_1", {"p"});       // two equal ones: the older stays
  b.AddIndex(other, "other_p_2", {"p"}, "hash");
  EXPECT_EQ(Names(UnusedIndexFindings(b.Build(), NoPredicates())),
            (std::vector<std::string>{"public.child_p", "public.other_p_2"}));
}

TEST(UnusedIndexTest, ForeignKeyServedByAUsedOrUniqueIndexDoesNotProtect) {
  CatalogBuilder b;
  Table& parent = b.AddTable("parent", {"id"});
  Table& child = b.AddTable("child", {"p", "q"});
  b.AddForeignKey(child, "fk_p", {"p"}, parent, {"id"});
  b.AddForeignKey(child, "fk_q", {"q"}, parent, {"id"});
  b.AddIndex(child, "child_p_used", {"p"}).scans = 5;
  // Hash, so that they are not duplicates (check 3 would decide those).
  b.AddIndex(child, "child_p_idle", {"p"}, "hash");
  CatalogBuilder::MakeUnique(b.AddIndex(child, "child_q_key", {"q"}));
  b.AddIndex(child, "child_q_idle", {"q"}, "hash");
  EXPECT_EQ(Names(UnusedIndexFindings(b.Build(), NoPredicates())),
            (std::vector<std::string>{"public.child_p_idle", "public.child_q_idle"}));
}

TEST(UnusedIndexTest, BestPartialHelperOfAForeignKeyStays) {
  CatalogBuilder b;
  Table& parent = b.AddTable("parent", {"id"});
  Table& child = b.AddTable("child", {"a", "x", "b"});
  b.AddForeignKey(child, "child_fk", {"a", "b"}, parent, {"id", "id"});
  b.AddIndex(child, "child_a_x_b", {"a", "x", "b"});  // narrows the lookup by a: stays
  b.AddIndex(child, "child_x", {"x"});
  EXPECT_EQ(Names(UnusedIndexFindings(b.Build(), NoPredicates())),
            std::vector<std::string>{"public.child_x"});
}

TEST(UnusedIndexTest, PartitionScansAreSummedOnTheParent) {
  CatalogBuilder b;
  Table& p = b.AddTable("p", {"a", "b"}, false, 'p');
  Table& p1 = b.AddTable("p1", {"a", "b"}, false, 'r', p.id);
  Table& p2 = b.AddTable("p2", {"a", "b"}, false, 'r', p.id);
  Index& used = b.AddIndex(p, "p_a", {"a"});
  Index& used1 = b.AddIndex(p1, "p1_a", {"a"});
  used1.parent_index_id = used.id;
  Index& used2 = b.AddIndex(p2, "p2_a", {"a"});
  used2.parent_index_id = used.id;
  used2.scans = 3;
  Index& idle = b.AddIndex(p, "p_b", {"b"});
  Index& idle1 = b.AddIndex(p1, "p1_b", {"b"});
  idle1.parent_index_id = idle.id;
  idle1.pages = 10;
  Index& idle2 = b.AddIndex(p2, "p2_b", {"b"});
  idle2.parent_index_id = idle.id;
  idle2.pages = 5;
  auto findings = UnusedIndexFindings(b.Build(), NoPredicates());
  ASSERT_EQ(Names(findings), std::vector<std::string>{"public.p_b"});
  EXPECT_NE(findings[0].detail_json.find("\"pages\": 15"), std::string::npos);
  EXPECT_NE(findings[0].detail_json.find("\"partition_indexes\": 2"), std::string::npos);
  EXPECT_EQ(findings[0].remediation, std::vector<std::string>{"DROP INDEX IF EXISTS public.p_b"});
  EXPECT_EQ(findings[0].revert.size(), 5u);
}

TEST(UnusedIndexTest, ForeignKeyOnPartitionedParentProtectsTheParentIndex) {
  CatalogBuilder b;
  Table& parent = b.AddTable("parent", {"id"});
  Table& p = b.AddTable("p", {"r"}, false, 'p');
  Table& p1 = b.AddTable("p1", {"r"}, false, 'r', p.id);
  b.AddForeignKey(p, "p_fk", {"r"}, parent, {"id"});
  Index& pr = b.AddIndex(p, "p_r", {"r"});
  b.AddIndex(p1, "p1_r", {"r"}).parent_index_id = pr.id;
  // The attached p1_r serves the FK on p1 as well (hash: not a duplicate, see check 3).
  b.AddIndex(p1, "p1_r_copy", {"r"}, "hash");
  EXPECT_EQ(Names(UnusedIndexFindings(b.Build(), NoPredicates())),
            std::vector<std::string>{"public.p1_r_copy"});
}

TEST(UnusedIndexTest, TwinIndexesAreNeverBothDropped) {
  // The used twin stays (check 3 drops the unused one); neither is reported unused here.
  CatalogBuilder b;
  Table& t = b.AddTable("t", {"a", "b"});
  b.AddIndex(t, "t_a", {"a"});
  b.AddIndex(t, "t_a1", {"a"}).scans = 12;
  // Prefix-redundant: (b) goes in favour of (b, a), which then serves its queries.
  b.AddIndex(t, "t_b", {"b"}).scans = 5;
  b.AddIndex(t, "t_b_a", {"b", "a"});
  const Catalog& catalog = b.Build();
  EXPECT_TRUE(UnusedIndexFindings(catalog, NoPredicates()).empty());
  std::vector<Finding> redundant = RedundantIndexFindings(catalog);
  EXPECT_EQ(Names(redundant), (std::vector<std::string>{"public.t_a", "public.t_b"}));
}

}  // namespace
}  // namespace dbopt
