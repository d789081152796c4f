#include "core/antipatterns/offset_pagination.hpp"

#include <gtest/gtest.h>

#include "catalog_builder.hpp"
#include "core/antipatterns/keyset.hpp"

namespace dbopt::antipatterns {
namespace {

using test::CatalogBuilder;

TEST(ScanSelect, FindsTopLevelClauses) {
  const std::string text =
      "SELECT id, (SELECT max(x) FROM t WHERE y = 'ORDER BY') FROM posts p WHERE p.a = $1 "
      "ORDER BY p.created DESC NULLS LAST, lower(p.title) LIMIT $2 OFFSET $3";
  SelectShape shape = ScanSelect(text);
  ASSERT_TRUE(shape.select);
  EXPECT_FALSE(shape.set_operation);
  EXPECT_FALSE(shape.grouped);
  ASSERT_TRUE(shape.has_where);
  EXPECT_EQ(text.substr(shape.where_begin, shape.where_end - shape.where_begin), "p.a = $1");
  ASSERT_EQ(shape.order.size(), 2u);
  EXPECT_EQ(shape.order[0].expression, "p.created");
  EXPECT_TRUE(shape.order[0].descending);
  EXPECT_FALSE(shape.order[0].nulls_first);
  EXPECT_TRUE(shape.order[0].nulls_explicit);
  EXPECT_EQ(shape.order[1].expression, "lower(p.title)");
  EXPECT_FALSE(shape.order[1].descending);
  EXPECT_TRUE(shape.has_limit);
  ASSERT_TRUE(shape.has_offset);
  EXPECT_EQ(text.substr(shape.offset_begin, shape.offset_end - shape.offset_begin), "OFFSET $3");
  EXPECT_EQ(shape.max_parameter, 3);
}

TEST(ScanSelect, CommentsStringsAndSetOperations) {
  SelectShape shape = ScanSelect("/* ORDER BY x */ SELECT a FROM t -- WHERE b\n UNION SELECT 1");
  ASSERT_TRUE(shape.select);
  EXPECT_TRUE(shape.set_operation);
  EXPECT_FALSE(shape.has_where);
  EXPECT_FALSE(shape.has_order);
  EXPECT_FALSE(ScanSelect("UPDATE t SET a = 1").select);
  EXPECT_TRUE(ScanSelect("SELECT a FROM t GROUP BY a ORDER BY a").grouped);
  SelectShape with = ScanSelect("WITH w AS (SELECT a FROM t ORDER BY a) SELECT a FROM w");
  ASSERT_TRUE(with.select);
  EXPECT_FALSE(with.has_order);
  EXPECT_FALSE(ScanSelect("SELECT percentile_cont($1) WITHIN GROUP (ORDER BY a) FROM t").grouped);
}

TEST(RewriteKeyset, OneDirectionIsARowComparison) {
  KeysetRewrite r = RewriteKeyset(
      "SELECT id, title FROM posts WHERE author_id = $1 ORDER BY created_at DESC LIMIT $2 "
      "OFFSET $3",
      {}, {"id"});
  EXPECT_EQ(r.statement,
            "SELECT id, title FROM posts WHERE (author_id = $1) AND (created_at, id) < ($4, $5) "
            "ORDER BY created_at DESC, id DESC LIMIT $2");
  EXPECT_EQ(r.parameters, (std::vector<std::string>{"$4", "$5"}));
  EXPECT_EQ(r.keys, (std::vector<std::string>{"created_at", "id"}));
}

TEST(RewriteKeyset, SingleKeyWithoutWhere) {
  KeysetRewrite r = RewriteKeyset("SELECT * FROM t ORDER BY id OFFSET $1 LIMIT $2;", {}, {});
  EXPECT_EQ(r.statement, "SELECT * FROM t WHERE id > $3 ORDER BY id LIMIT $2;");
  EXPECT_EQ(r.condition, "id > $3");
}

TEST(RewriteKeyset, MixedDirectionsExpandToOr) {
  KeysetRewrite r = RewriteKeyset(
      "SELECT * FROM t WHERE a = $1 OR b = $2 ORDER BY x, y DESC, z OFFSET $3 ROWS FETCH NEXT $4 "
      "ROWS ONLY",
      {}, {});
  EXPECT_EQ(r.condition, "(x > $5 OR (x = $5 AND (y < $6 OR (y = $6 AND z > $7))))");
  EXPECT_EQ(r.statement,
            "SELECT * FROM t WHERE (a = $1 OR b = $2) AND (x > $5 OR (x = $5 AND (y < $6 OR "
            "(y = $6 AND z > $7)))) ORDER BY x, y DESC, z FETCH NEXT $4 ROWS ONLY");
}

TEST(RewriteKeyset, TieBreakerTakesTheQualifierAndPositionsBecomeColumns) {
  KeysetRewrite r = RewriteKeyset(
      "SELECT p.id FROM posts p JOIN users u ON u.id = p.author_id ORDER BY p.created LIMIT $1 "
      "OFFSET $2",
      {"created"}, {"id"});
  EXPECT_EQ(r.condition, "(p.created, p.id) > ($3, $4)");
  KeysetRewrite position =
      RewriteKeyset("SELECT created AS c FROM posts ORDER BY 1 OFFSET $1", {"created"}, {});
  EXPECT_EQ(position.statement, "SELECT created AS c FROM posts WHERE created > $2 ORDER BY 1");
  KeysetRewrite alias =
      RewriteKeyset("SELECT created AS c FROM posts ORDER BY c OFFSET $1", {"created"}, {});
  EXPECT_EQ(alias.condition, "created > $2");
  EXPECT_TRUE(RewriteKeyset("SELECT a FROM t ORDER BY 1 OFFSET $1", {}, {}).statement.empty());
}

TEST(RewriteKeyset, PreparedStatementsLoseTheirPrefix) {
  KeysetRewrite r = RewriteKeyset(
      "PREPARE page(int, int) AS SELECT id, title FROM posts ORDER BY id LIMIT $1 OFFSET $2", {},
      {});
  EXPECT_EQ(r.statement, "SELECT id, title FROM posts WHERE id > $3 ORDER BY id LIMIT $1");
}

TEST(RewriteKeyset, AddsAPageSizeWhenAsked) {
  KeysetRewrite r = RewriteKeyset("SELECT * FROM events ORDER BY ts, id", {}, {}, true);
  EXPECT_EQ(r.statement, "SELECT * FROM events WHERE (ts, id) > ($1, $2) ORDER BY ts, id LIMIT $3");
  EXPECT_EQ(r.limit_parameter, "$3");
}

TEST(RewriteKeyset, GivesUpWithAReason) {
  EXPECT_NE(RewriteKeyset("SELECT * FROM t OFFSET $1", {}, {}).why_not.find("no ORDER BY"),
            std::string::npos);
  EXPECT_NE(RewriteKeyset("SELECT a, count(*) FROM t GROUP BY a ORDER BY a OFFSET $1", {}, {})
                .why_not.find("grouped"),
            std::string::npos);
  EXPECT_NE(RewriteKeyset("SELECT a FROM t UNION SELECT b FROM u ORDER BY 1 OFFSET $1", {}, {})
                .why_not.find("UNION"),
            std::string::npos);
  EXPECT_FALSE(RewriteKeyset("DELETE FROM t", {}, {}).why_not.empty());
}

struct Posts {
  CatalogBuilder b;
  Table* posts = nullptr;
  Posts(bool with_pk = true) {
    posts = &b.AddTable("posts", {"id", "author_id", "created_at", "title:text"}, true);
    posts->columns[3].not_null = false;
    if (with_pk) {
      Index& pk = b.AddIndex(*posts, "posts_pkey", {"id"});
      CatalogBuilder::MakeUnique(pk);
      pk.primary = true;
    }
  }
};

PagedQuery DeepQuery(ObjectId table) {
  PagedQuery q;
  q.queryid = 42;
  q.text =
      "SELECT id, title FROM posts WHERE author_id = $1 ORDER BY created_at DESC LIMIT $2 "
      "OFFSET $3";
  q.calls = 20;
  q.offset_calls = 12;
  q.max_offset = 5000;
  q.sum_offset = 36000;
  q.skipped_rows = 36000;
  q.offset_ms = 240;
  q.sort_keys = {{table, "created_at", true}};
  q.equality = {{table, "author_id"}};
  return q;
}

TEST(OffsetPaginationFinding, KeysetWithTieBreakerAndIndex) {
  Posts p;
  const Catalog& catalog = p.b.Build();
  IndexNamer namer(catalog);
  Finding f = OffsetPaginationFinding(DeepQuery(p.posts->id), catalog, namer, 1000);
  EXPECT_EQ(f.check_id, "offset_pagination");
  EXPECT_EQ(f.severity, Severity::kWarning);
  EXPECT_EQ(f.object_name, "42");
  EXPECT_NE(f.message.find("skipped 3000 rows with OFFSET on average (at most 5000) in 12 of its "
                           "20 executions, reading and throwing away 36000 rows in 240.0 ms"),
            std::string::npos)
      << f.message;
  EXPECT_NE(f.message.find("primary key (id) is added as a tie-breaker"), std::string::npos);
  ASSERT_EQ(f.remediation.size(), 2u);
  EXPECT_EQ(f.remediation[0],
            "SELECT id, title FROM posts WHERE (author_id = $1) AND (created_at, id) < ($4, $5) "
            "ORDER BY created_at DESC, id DESC LIMIT $2");
  EXPECT_EQ(f.remediation[1],
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS posts_author_id_created_at_id_idx ON "
            "public.posts USING btree (author_id, created_at, id)");
  ASSERT_EQ(f.revert.size(), 1u);
  EXPECT_EQ(f.revert[0],
            "DROP INDEX CONCURRENTLY IF EXISTS public.posts_author_id_created_at_id_idx");
  EXPECT_NE(f.detail_json.find("\"existing_index\": null"), std::string::npos) << f.detail_json;
}

TEST(OffsetPaginationFinding, ExistingIndexServesTheOrder) {
  Posts p;
  p.b.AddIndex(*p.posts, "posts_by_author", {"author_id", "created_at", "id"});
  const Catalog& catalog = p.b.Build();
  IndexNamer namer(catalog);
  Finding f = OffsetPaginationFinding(DeepQuery(p.posts->id), catalog, namer, 1000);
  EXPECT_NE(f.message.find("the index public.posts_by_author already serves this order"),
            std::string::npos)
      << f.message;
  EXPECT_EQ(f.remediation.size(), 1u);  // the rewrite only
  EXPECT_TRUE(f.revert.empty());
}

TEST(OffsetPaginationFinding, UniqueSortKeysNeedNoTieBreaker) {
  Posts p;
  const Catalog& catalog = p.b.Build();
  IndexNamer namer(catalog);
  PagedQuery q = DeepQuery(p.posts->id);
  q.text = "SELECT * FROM posts ORDER BY id OFFSET $1";
  q.sort_keys = {{p.posts->id, "id", false}};
  q.equality.clear();
  q.offset_calls = 2;
  q.offset_ms = 5;
  Finding f = OffsetPaginationFinding(q, catalog, namer, 1000);
  EXPECT_EQ(f.severity, Severity::kInfo);
  EXPECT_EQ(f.message.find("tie-breaker"), std::string::npos);
  EXPECT_NE(f.message.find("the index public.posts_pkey already serves this order"),
            std::string::npos)
      << f.message;
  ASSERT_EQ(f.remediation.size(), 1u);
  EXPECT_EQ(f.remediation[0], "SELECT * FROM posts WHERE id > $2 ORDER BY id");
}

TEST(OffsetPaginationFinding, NullableKeysAndNoPrimaryKey) {
  Posts p(false);
  const Catalog& catalog = p.b.Build();
  IndexNamer namer(catalog);
  PagedQuery q = DeepQuery(p.posts->id);
  q.text = "SELECT * FROM posts ORDER BY title OFFSET $1";
  q.sort_keys = {{p.posts->id, "title", false}};
  Finding f = OffsetPaginationFinding(q, catalog, namer, 1000);
  EXPECT_NE(f.message.find("no primary key"), std::string::npos) << f.message;
  EXPECT_NE(f.message.find("title allows NULLs"), std::string::npos) << f.message;
}

TEST(OffsetPaginationFinding, ExpressionKeysGetTheRewriteButNoIndex) {
  Posts p;
  const Catalog& catalog = p.b.Build();
  IndexNamer namer(catalog);
  PagedQuery q = DeepQuery(p.posts->id);
  q.text = "SELECT * FROM posts ORDER BY lower(title), id OFFSET $1";
  q.sort_keys = {{p.posts->id, "id", false}};  // the expression is not captured
  Finding f = OffsetPaginationFinding(q, catalog, namer, 1000);
  ASSERT_EQ(f.remediation.size(), 1u);
  EXPECT_EQ(f.remediation[0],
            "SELECT * FROM posts WHERE (lower(title), id) > ($2, $3) ORDER BY "
            "lower(title), id");
  EXPECT_TRUE(f.revert.empty());
}

TEST(OffsetPaginationFinding, NoTextNoOrder) {
  Posts p;
  const Catalog& catalog = p.b.Build();
  IndexNamer namer(catalog);
  PagedQuery q = DeepQuery(p.posts->id);
  q.text.clear();
  Finding f = OffsetPaginationFinding(q, catalog, namer, 1000);
  EXPECT_TRUE(f.remediation.empty());
  EXPECT_NE(f.message.find("text is not available"), std::string::npos);
  q.text = "SELECT * FROM posts OFFSET $1";
  q.sort_keys.clear();
  f = OffsetPaginationFinding(q, catalog, namer, 1000);
  EXPECT_TRUE(f.remediation.empty());
  EXPECT_NE(f.message.find("no ORDER BY"), std::string::npos);
}

TEST(LargeResultFinding, CursorAdviceAndKeysetPage) {
  Posts p;
  const Catalog& catalog = p.b.Build();
  IndexNamer namer(catalog);
  PagedQuery q;
  q.queryid = 7;
  q.text = "SELECT * FROM posts ORDER BY created_at";
  q.calls = 3;
  q.large_calls = 3;
  q.max_rows = 50000;
  q.sum_rows = 120000;
  q.large_ms = 2100;
  q.sort_keys = {{p.posts->id, "created_at", false}};
  Finding f = LargeResultFinding(q, catalog, namer, 10000);
  EXPECT_EQ(f.check_id, "large_result");
  EXPECT_EQ(f.severity, Severity::kWarning);
  EXPECT_NE(f.message.find("returned 40000 rows on average (at most 50000) without LIMIT in 3 of "
                           "its 3 executions (2100.0 ms)"),
            std::string::npos)
      << f.message;
  EXPECT_NE(f.message.find("cursor"), std::string::npos);
  ASSERT_EQ(f.remediation.size(), 2u);
  EXPECT_EQ(f.remediation[0],
            "SELECT * FROM posts WHERE (created_at, id) > ($1, $2) ORDER BY created_at, id LIMIT "
            "$3");
  EXPECT_EQ(f.remediation[1],
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS posts_created_at_id_idx ON public.posts "
            "USING btree (created_at, id)");
}

}  // namespace
}  // namespace dbopt::antipatterns
