#include "core/antipatterns/text_search.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace dbopt::antipatterns {
namespace {

using Trigrams = std::vector<std::string>;

TEST(TextSearchTest, ParsesTheTextOperators) {
  EXPECT_EQ(ParseTextOperator("~~"), TextOperator::kLike);
  EXPECT_EQ(ParseTextOperator("~~*"), TextOperator::kILike);
  EXPECT_EQ(ParseTextOperator("~"), TextOperator::kRegex);
  EXPECT_EQ(ParseTextOperator("~*"), TextOperator::kIRegex);
  EXPECT_EQ(ParseTextOperator("@@"), TextOperator::kFullText);
  EXPECT_FALSE(ParseTextOperator("="));
  EXPECT_FALSE(ParseTextOperator("!~~"));  // NOT LIKE: no index serves it
  EXPECT_STREQ(TextOperatorSql(TextOperator::kILike), "ILIKE");
  EXPECT_TRUE(CaseInsensitive(TextOperator::kIRegex));
  EXPECT_FALSE(CaseInsensitive(TextOperator::kLike));
}

// pg_trgm's generate_wildcard_trgm: words between wildcards are not padded, words at the
// string's start or next to a non-word character are.
TEST(TextSearchTest, LikeTrigramsFollowPgTrgm) {
  EXPECT_EQ(LikeTrigrams("%abc%"), (Trigrams{"abc"}));
  EXPECT_EQ(LikeTrigrams("%abcd%"), (Trigrams{"abc", "bcd"}));
  EXPECT_EQ(LikeTrigrams("%ab%"), Trigrams{});
  EXPECT_EQ(LikeTrigrams("%a%"), Trigrams{});
  EXPECT_EQ(LikeTrigrams("%%"), Trigrams{});
  EXPECT_EQ(LikeTrigrams(""), Trigrams{});
  EXPECT_EQ(LikeTrigrams("_abc_"), (Trigrams{"abc"}));
  EXPECT_EQ(LikeTrigrams("abc%"), (Trigrams{"  a", " ab", "abc"}));
  EXPECT_EQ(LikeTrigrams("%abc"), (Trigrams{"abc", "bc "}));
  EXPECT_EQ(LikeTrigrams("%Smith%"), (Trigrams{"ith", "mit", "smi"}));  // case folded
  // A blank is a word boundary: "ab " and "  c", " cd".
  EXPECT_EQ(LikeTrigrams("%ab cd%"), (Trigrams{"  c", " cd", "ab "}));
  // An escaped wildcard is a literal non-word character, hence a boundary.
  EXPECT_EQ(LikeTrigrams("%a\\%bc%"), (Trigrams{"  b", " bc"}));
  // An escaped word character is the character itself.
  EXPECT_EQ(LikeTrigrams("%\\abc%"), (Trigrams{"abc"}));
  // Multi-byte characters are word characters, one each.
  EXPECT_EQ(LikeTrigrams("%\xC3\xBCmla%").size(), 2u);
}

TEST(TextSearchTest, RegexTrigramsFromLiteralRuns) {
  EXPECT_EQ(RegexTrigrams("abc"), (Trigrams{"abc"}));
  EXPECT_EQ(RegexTrigrams("^abc"), (Trigrams{"  a", " ab", "abc"}));
  EXPECT_EQ(RegexTrigrams("abc$"), (Trigrams{"abc", "bc "}));
  EXPECT_EQ(RegexTrigrams("ab"), Trigrams{});
  EXPECT_EQ(RegexTrigrams("ab.*cd"), Trigrams{});
  EXPECT_EQ(RegexTrigrams("abc+"), (Trigrams{"abc"}));
  EXPECT_EQ(RegexTrigrams("abcd?"), (Trigrams{"abc"}));  // d may be missing
  EXPECT_EQ(RegexTrigrams("abx*"), Trigrams{});
  EXPECT_EQ(RegexTrigrams("[0-9]{3}abc"), (Trigrams{"abc"}));
  EXPECT_EQ(RegexTrigrams("[]ab]cd"), Trigrams{});
  EXPECT_EQ(RegexTrigrams("a\\.bc"), (Trigrams{"  b", " bc"}));
  EXPECT_EQ(RegexTrigrams("\\dabc"), (Trigrams{"abc"}));
  EXPECT_EQ(RegexTrigrams("ERROR"), (Trigrams{"err", "ror", "rro"}));
  EXPECT_FALSE(RegexTrigrams("foo|bar"));
  EXPECT_FALSE(RegexTrigrams("(abc)?"));
}

TEST(TextSearchTest, MentionsTextSearch) {
  EXPECT_TRUE(MentionsTextSearch("SELECT id FROM t WHERE name ILIKE $1"));
  EXPECT_TRUE(MentionsTextSearch("SELECT id FROM t WHERE to_tsvector($1, body) @@ q"));
  EXPECT_TRUE(MentionsTextSearch("SELECT id FROM t WHERE name ~ $1"));
  EXPECT_TRUE(MentionsTextSearch("SELECT id FROM t WHERE name Similar TO $1"));
  EXPECT_FALSE(MentionsTextSearch("SELECT id FROM t WHERE id = $1"));
}

TEST(TextSearchTest, AnalyzesLeadingWildcards) {
  PatternAnalysis a = AnalyzePattern(TextOperator::kLike, "%smith%");
  EXPECT_TRUE(a.known);
  EXPECT_TRUE(a.leading_wildcard);
  EXPECT_EQ(a.trigrams, 3);
  a = AnalyzePattern(TextOperator::kLike, "smith%");
  EXPECT_FALSE(a.leading_wildcard);
  a = AnalyzePattern(TextOperator::kRegex, "smith");
  EXPECT_TRUE(a.leading_wildcard);  // unanchored
  a = AnalyzePattern(TextOperator::kRegex, "^smith");
  EXPECT_FALSE(a.leading_wildcard);
  a = AnalyzePattern(TextOperator::kRegex, "^.*smith");
  EXPECT_TRUE(a.leading_wildcard);
  a = AnalyzePattern(TextOperator::kIRegex, "smith|jones");
  EXPECT_FALSE(a.known);
}

TextPredicate Like(TextOperator op, const std::string& column, const std::string& pattern) {
  TextPredicate p;
  p.op = op;
  p.column = column;
  p.pattern = pattern;
  return p;
}

TEST(TextSearchTest, JudgesPredicates) {
  PatternAnalysis a;
  EXPECT_EQ(Judge(Like(TextOperator::kLike, "name", "%smith%"), &a), TextVerdict::kCandidate);
  EXPECT_EQ(a.trigrams, 3);
  EXPECT_EQ(Judge(Like(TextOperator::kLike, "name", "%sm%"), &a), TextVerdict::kTooShort);
  EXPECT_EQ(Judge(Like(TextOperator::kILike, "name", "%s%"), &a), TextVerdict::kTooShort);
  // A case-sensitive prefix is a B-tree (text_pattern_ops) matter; ILIKE's is not.
  EXPECT_EQ(Judge(Like(TextOperator::kLike, "name", "smith%"), &a), TextVerdict::kPrefix);
  EXPECT_EQ(Judge(Like(TextOperator::kRegex, "name", "^smith"), &a), TextVerdict::kPrefix);
  EXPECT_EQ(Judge(Like(TextOperator::kILike, "name", "smith%"), &a), TextVerdict::kCandidate);
  EXPECT_EQ(Judge(Like(TextOperator::kIRegex, "name", "^smith"), &a), TextVerdict::kCandidate);
  // Alternations are left to the planner.
  EXPECT_EQ(Judge(Like(TextOperator::kRegex, "name", "ab|cd"), &a), TextVerdict::kCandidate);
  TextPredicate served = Like(TextOperator::kLike, "name", "%smith%");
  served.index_condition = true;
  EXPECT_EQ(Judge(served, &a), TextVerdict::kServed);
  TextPredicate unknown;
  unknown.op = TextOperator::kLike;
  unknown.column = "name";
  EXPECT_EQ(Judge(unknown, &a), TextVerdict::kCandidate);

  TextPredicate fts;
  fts.op = TextOperator::kFullText;
  fts.expression = "to_tsvector('english'::regconfig, body)";
  EXPECT_EQ(Judge(fts, &a), TextVerdict::kCandidate);
  fts.expression = "to_tsvector(body)";
  fts.immutable = false;
  EXPECT_EQ(Judge(fts, &a), TextVerdict::kNotIndexable);
  TextPredicate column;
  column.op = TextOperator::kFullText;
  column.column = "tsv";
  column.tsvector_column = true;
  EXPECT_EQ(Judge(column, &a), TextVerdict::kCandidate);
  column.tsvector_column = false;  // text @@ tsquery: to_tsvector with the default config
  EXPECT_EQ(Judge(column, &a), TextVerdict::kNotIndexable);
}

TEST(TextSearchTest, ProposesGinIndexes) {
  advisor::Candidate c = IndexFor(7, "public.people", Like(TextOperator::kILike, "name", "%a%"));
  EXPECT_EQ(c.Ddl(), "CREATE INDEX ON public.people USING gin (name gin_trgm_ops)");
  EXPECT_EQ(c.requires_extension, "pg_trgm");
  EXPECT_EQ(c.NameParts(), (std::vector<std::string>{"name", "trgm"}));
  // The function runs with its own search_path: pg_trgm's schema qualifies the class.
  c = IndexFor(7, "public.people", Like(TextOperator::kLike, "name", "%abc%"), "ext.gin_trgm_ops");
  EXPECT_EQ(c.Ddl(), "CREATE INDEX ON public.people USING gin (name ext.gin_trgm_ops)");
  EXPECT_EQ(c.NameParts(), (std::vector<std::string>{"name", "trgm"}));
  TextPredicate fts;
  fts.op = TextOperator::kFullText;
  fts.expression = "to_tsvector('english'::regconfig, body)";
  c = IndexFor(7, "public.docs", fts);
  EXPECT_EQ(c.Ddl(),
            "CREATE INDEX ON public.docs USING gin ((to_tsvector('english'::regconfig, body)))");
  EXPECT_TRUE(c.requires_extension.empty());
  TextPredicate column;
  column.op = TextOperator::kFullText;
  column.column = "Tsv";
  column.tsvector_column = true;
  EXPECT_EQ(IndexFor(7, "public.docs", column).Ddl(),
            "CREATE INDEX ON public.docs USING gin (\"Tsv\")");
}

TextSearchCase Case(TextVerdict verdict) {
  TextSearchCase c;
  c.queryid = -42;
  c.relation = "public.people";
  c.predicate = Like(TextOperator::kILike, "name", "%smith%");
  c.verdict = verdict;
  c.calls = 3;
  c.total_ms = 12.5;
  c.removed_by_filter = 9990;
  c.index_ddl = "CREATE INDEX ON public.people USING gin (name gin_trgm_ops)";
  return c;
}

TEST(TextSearchTest, VerifiedFindingRecommendsTheIndex) {
  TextSearchCase c = Case(TextVerdict::kCandidate);
  c.analysis = AnalyzePattern(c.predicate.op, *c.predicate.pattern);
  c.verified = true;
  c.cost_before = 180.5;
  c.cost_after = 20.25;
  c.ddl.remediation = {
      "CREATE INDEX CONCURRENTLY IF NOT EXISTS people_name_trgm_idx ON public.people USING gin "
      "(name gin_trgm_ops)"};
  c.ddl.revert = {"DROP INDEX CONCURRENTLY IF EXISTS public.people_name_trgm_idx"};
  Finding f = TextSearchFinding(c);
  EXPECT_EQ(f.check_id, "slow_text_search");
  EXPECT_EQ(f.severity, Severity::kWarning);
  EXPECT_EQ(f.object_type, "table");
  EXPECT_EQ(f.object_name, "public.people");
  EXPECT_EQ(f.message,
            "query -42 searches public.people for name ILIKE '%smith%' row by row (3 calls, "
            "12.5 ms, 9990.0 rows removed by the filter per call): a GIN trigram index lets the "
            "planner find the matching rows (estimated cost 180.5 -> 20.2)");
  EXPECT_EQ(f.remediation, c.ddl.remediation);
  EXPECT_EQ(f.revert, c.ddl.revert);
  EXPECT_NE(f.detail_json.find("\"reason\": \"trigram_index\""), std::string::npos)
      << f.detail_json;
  EXPECT_NE(f.detail_json.find("\"trigrams\": 3"), std::string::npos) << f.detail_json;
  EXPECT_NE(f.detail_json.find("\"verified\": true"), std::string::npos) << f.detail_json;
}

TEST(TextSearchTest, SearchAloneForQueriesWithLimit) {
  EXPECT_EQ(SearchStatement("public.people", Like(TextOperator::kILike, "Name", "%o'k%")),
            "SELECT * FROM public.people WHERE \"Name\" ILIKE '%o''k%'");
  TextPredicate fts;
  fts.op = TextOperator::kFullText;
  fts.expression = "to_tsvector('english'::regconfig, body)";
  fts.pattern = "'cat'";
  EXPECT_EQ(SearchStatement("public.docs", fts),
            "SELECT * FROM public.docs WHERE to_tsvector('english'::regconfig, body) @@ "
            "'''cat'''::tsquery");
  TextPredicate unknown;
  EXPECT_EQ(SearchStatement("public.docs", unknown), "");

  TextSearchCase c = Case(TextVerdict::kCandidate);
  c.verified = true;
  c.search_only = true;
  c.cost_before = 837;
  c.cost_after = 39.3;
  Finding f = TextSearchFinding(c);
  EXPECT_NE(f.message.find("(estimated cost of the search alone 837.0 -> 39.3; the planner "
                           "expects the query's LIMIT to stop a sequential scan early, the "
                           "captured calls read the whole table)"),
            std::string::npos)
      << f.message;
  EXPECT_NE(f.detail_json.find("\"verified_on\": \"search\""), std::string::npos);
}

TEST(TextSearchTest, TooShortPatternRecommendsNothing) {
  TextSearchCase c = Case(TextVerdict::kTooShort);
  c.predicate.pattern = "%sm%";
  c.analysis = AnalyzePattern(c.predicate.op, *c.predicate.pattern);
  Finding f = TextSearchFinding(c);
  EXPECT_EQ(f.severity, Severity::kInfo);
  EXPECT_TRUE(f.remediation.empty());
  EXPECT_TRUE(f.revert.empty());
  EXPECT_NE(f.message.find("the pattern has no trigram"), std::string::npos) << f.message;
  EXPECT_NE(f.detail_json.find("\"reason\": \"pattern_too_short\""), std::string::npos);
  EXPECT_NE(f.detail_json.find("\"trigrams\": 0"), std::string::npos);
}

TEST(TextSearchTest, MissingPgTrgmIsUnverified) {
  TextSearchCase c = Case(TextVerdict::kCandidate);
  c.trigram_missing = true;
  Finding f = TextSearchFinding(c);
  EXPECT_EQ(f.severity, Severity::kInfo);
  EXPECT_EQ(f.remediation, std::vector<std::string>{"CREATE EXTENSION IF NOT EXISTS pg_trgm"});
  EXPECT_EQ(f.revert, std::vector<std::string>{"DROP EXTENSION IF EXISTS pg_trgm"});
  EXPECT_NE(f.message.find("unverified"), std::string::npos);
  EXPECT_NE(f.detail_json.find("\"verified\": false"), std::string::npos);
  EXPECT_NE(f.detail_json.find("\"proposed_index\""), std::string::npos);
}

TEST(TextSearchTest, UnknownPatternAndNestedQuery) {
  TextSearchCase c = Case(TextVerdict::kNotIndexable);
  c.toplevel = false;
  c.predicate = TextPredicate{};
  c.predicate.op = TextOperator::kFullText;
  c.predicate.expression = "to_tsvector(body)";
  c.predicate.immutable = false;
  c.removed_by_filter.reset();
  Finding f = TextSearchFinding(c);
  EXPECT_EQ(f.message.rfind("query -42 (nested) searches public.people for to_tsvector(body) @@ "
                            "a value row by row (3 calls, 12.5 ms): ",
                            0),
            0u)
      << f.message;
  EXPECT_TRUE(f.remediation.empty());
  EXPECT_NE(f.detail_json.find("\"rows_removed_by_filter\": null"), std::string::npos);
  EXPECT_NE(f.detail_json.find("\"pattern\": null"), std::string::npos);
}

}  // namespace
}  // namespace dbopt::antipatterns
