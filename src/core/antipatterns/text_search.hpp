// Slow text search (dbopt_text_search()): LIKE/ILIKE and regular expressions that can match
// anywhere in a string, and full-text matches (@@) on an expression, evaluated row by row
// (a sequential scan's filter, or a filter above another index's scan) because no index
// serves them. PostgreSQL-free: the glue (src/pg/fn_text_search.cpp) re-plans each captured
// query with its sampled values, hands the text predicates of the plan's scans to this file,
// and verifies the index proposed here with the what-if engine before recommending it.
//
// What pg_trgm can index (its trgm_op.c, generate_wildcard_trgm): a LIKE pattern is cut into
// words of word characters (letters and digits; escaped ones included) at wildcards (% and _)
// and at any other character. A word bounded by a non-word character or the string's start
// is padded with two blanks in front, one bounded that way at its end with one blank behind;
// a word bounded by a wildcard is not padded. Each padded word of n >= 3 characters gives
// n - 2 trigrams. A pattern without any trigram ('%ab%', '%_%') makes a GIN trigram scan
// read the whole index, which the planner never prefers: such a pattern is "too short".
// Regular expressions (trgm_regexp.c) are analysed on their literal runs the same way; an
// alternation or a group is left to the planner (unknown). Bytes of multi-byte characters
// count as word characters (letters in UTF-8).
#pragma once
#include "core/common/no_postgres.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/advisor/candidates.hpp"
#include "core/health/finding.hpp"
#include "core/health/index_ddl.hpp"

namespace dbopt::antipatterns {

enum class TextOperator { kLike, kILike, kRegex, kIRegex, kFullText };

// The operator of `opname` ("~~", "~~*", "~", "~*", "@@"); nullopt for any other.
std::optional<TextOperator> ParseTextOperator(std::string_view opname);
// As SQL shows it: "LIKE", "ILIKE", "~", "~*", "@@".
const char* TextOperatorSql(TextOperator op);
bool CaseInsensitive(TextOperator op);

struct PatternAnalysis {
  bool known = true;              // false: a regex too complex to analyse here
  bool leading_wildcard = false;  // can match starting anywhere in the string
  int trigrams = 0;               // distinct trigrams pg_trgm extracts (when known)
};

// The trigrams pg_trgm's GIN index extracts from a LIKE or ILIKE pattern (the rules above),
// sorted and distinct; ASCII letters lower-cased, as pg_trgm folds case for both.
std::vector<std::string> LikeTrigrams(std::string_view pattern);
// Likewise for a regular expression's literal runs; nullopt when it has an alternation or a
// group (then pg_trgm's own analysis, and the planner, decide).
std::optional<std::vector<std::string>> RegexTrigrams(std::string_view pattern);
PatternAnalysis AnalyzePattern(TextOperator op, std::string_view pattern);

// Whether a query's text may hold a text search (LIKE, ILIKE, SIMILAR TO, ~, @@), for the
// queries whose captured quals do not show one (a searched expression, not a column).
bool MentionsTextSearch(std::string_view query);

// A text predicate of a relation scan, as the re-planned query has it.
struct TextPredicate {
  TextOperator op = TextOperator::kLike;
  std::string column;            // raw column name; empty when the searched side is an expression
  std::string expression;        // SQL text of the searched expression (to_tsvector(...))
  bool immutable = true;         // the expression can be indexed (no mutable function)
  bool tsvector_column = false;  // full text on a tsvector column
  std::optional<std::string> pattern;  // the LIKE/regex pattern, when a constant
  bool index_condition = false;        // an index scan already tests it
  std::string Searched() const { return column.empty() ? expression : column; }
};

enum class TextVerdict {
  kServed,        // an index condition: nothing to do
  kPrefix,        // case-sensitive, anchored at the start: a B-tree matter (left to the advisor)
  kTooShort,      // no trigram to search for: no index can help
  kNotIndexable,  // full text on an expression with a mutable function (to_tsvector(body))
  kCandidate,     // propose the index and verify it
};

// What to do about `p`; fills *analysis for LIKE/regex predicates with a pattern.
TextVerdict Judge(const TextPredicate& p, PatternAnalysis* analysis);

// The index that would serve `p` on `table` (qualified): GIN with the trigram operator class
// `trigram_opclass` (gin_trgm_ops, qualified with pg_trgm's schema) on the column or
// expression for LIKE/regex; GIN on the tsvector column, or on the full-text expression as
// the query spells it, for @@.
advisor::Candidate IndexFor(ObjectId table_id, const std::string& table, const TextPredicate& p,
                            const std::string& trigram_opclass = "gin_trgm_ops");

// SELECT * FROM <relation> WHERE <searched> <op> <pattern>: the search alone, for verifying
// an index when the query's LIMIT misleads the planner; "" without a pattern.
std::string SearchStatement(const std::string& relation, const TextPredicate& p);

// Everything a finding says about one (query, relation, searched column) case.
struct TextSearchCase {
  std::int64_t queryid = 0;
  bool toplevel = true;
  std::string relation;  // qualified
  TextPredicate predicate;
  PatternAnalysis analysis;
  TextVerdict verdict = TextVerdict::kCandidate;
  std::int64_t calls = 0;
  double total_ms = 0;
  std::optional<double> removed_by_filter;  // rows per execution, from sampled executions
  bool trigram_missing = false;             // pg_trgm is not installed: cannot verify
  bool verified = false;                    // the planner used the index and the cost dropped
  // Verified on the search alone (SELECT * FROM t WHERE <predicate>), not the query: its LIMIT
  // let the planner expect a sequential scan to stop early, which the captured calls did not
  // (they read most of the table).
  bool search_only = false;
  double cost_before = 0;
  double cost_after = 0;
  std::string index_ddl;  // the proposed index (CREATE INDEX ON ..., for the what-if)
  IndexDdl ddl;           // remediation when verified
};

// check_id "slow_text_search", object the relation. Remediation: the verified index; when
// pg_trgm is missing, CREATE EXTENSION IF NOT EXISTS pg_trgm alone (the index cannot be
// verified without it: run the detector again); nothing for a pattern too short or an
// expression that cannot be indexed.
Finding TextSearchFinding(const TextSearchCase& c);

}  // namespace dbopt::antipatterns
