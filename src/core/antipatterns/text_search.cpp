#include "core/antipatterns/text_search.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "core/capture/qual_shape.hpp"
#include "core/common/sql_text.hpp"

namespace dbopt::antipatterns {
namespace {

// The pattern cut into characters: one byte, or a whole UTF-8 sequence.
std::vector<std::string> Characters(std::string_view text) {
  std::vector<std::string> chars;
  for (std::size_t i = 0; i < text.size();) {
    const unsigned char lead = static_cast<unsigned char>(text[i]);
    std::size_t len = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    len = std::min(len, text.size() - i);
    chars.emplace_back(text.substr(i, len));
    i += len;
  }
  return chars;
}

bool WordChar(const std::string& c) {
  const unsigned char lead = static_cast<unsigned char>(c[0]);
  return lead >= 0x80 || std::isalnum(lead) != 0;
}

std::string Lower(const std::string& c) {
  if (c.size() != 1) return c;
  return std::string(1, static_cast<char>(std::tolower(static_cast<unsigned char>(c[0]))));
}

// Adds the trigrams of one word: left padding two blanks, right padding one.
void AddWord(const std::vector<std::string>& word, bool left_pad, bool right_pad,
             std::vector<std::string>* out) {
  std::vector<std::string> padded;
  if (left_pad) padded.insert(padded.end(), 2, " ");
  for (const std::string& c : word) padded.push_back(Lower(c));
  if (right_pad) padded.push_back(" ");
  for (std::size_t i = 0; i + 3 <= padded.size(); ++i)
    out->push_back(padded[i] + padded[i + 1] + padded[i + 2]);
}

std::vector<std::string> Distinct(std::vector<std::string> trigrams) {
  std::sort(trigrams.begin(), trigrams.end());
  trigrams.erase(std::unique(trigrams.begin(), trigrams.end()), trigrams.end());
  return trigrams;
}

std::string Number(double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%.1f", value);
  return buffer;
}

}  // namespace

std::optional<TextOperator> ParseTextOperator(std::string_view opname) {
  if (opname == "~~") return TextOperator::kLike;
  if (opname == "~~*") return TextOperator::kILike;
  if (opname == "~") return TextOperator::kRegex;
  if (opname == "~*") return TextOperator::kIRegex;
  if (opname == "@@") return TextOperator::kFullText;
  return std::nullopt;
}

const char* TextOperatorSql(TextOperator op) {
  switch (op) {
    case TextOperator::kLike:
      return "LIKE";
    case TextOperator::kILike:
      return "ILIKE";
    case TextOperator::kRegex:
      return "~";
    case TextOperator::kIRegex:
      return "~*";
    case TextOperator::kFullText:
      break;
  }
  return "@@";
}

bool CaseInsensitive(TextOperator op) {
  return op == TextOperator::kILike || op == TextOperator::kIRegex;
}

std::vector<std::string> LikeTrigrams(std::string_view pattern) {
  // pg_trgm's get_wildcard_part, word after word.
  const std::vector<std::string> chars = Characters(pattern);
  std::vector<std::string> trigrams;
  std::size_t pos = 0;
  const std::size_t n = chars.size();
  while (pos < n) {
    bool leading_wildcard = false;
    bool escape = false;
    for (; pos < n; ++pos) {
      const std::string& c = chars[pos];
      if (escape) {
        if (WordChar(c)) break;
        escape = false;
        leading_wildcard = false;
      } else if (c == "\\") {
        escape = true;
      } else if (c == "%" || c == "_") {
        leading_wildcard = true;
      } else if (WordChar(c)) {
        break;
      } else {
        leading_wildcard = false;
      }
    }
    if (pos >= n) break;
    std::vector<std::string> word;
    bool trailing_wildcard = false;
    for (; pos < n; ++pos) {
      const std::string& c = chars[pos];
      if (escape) {
        if (!WordChar(c)) {
          --pos;  // the next word starts again at the escape character
          break;
        }
        word.push_back(c);
        escape = false;
      } else if (c == "\\") {
        escape = true;
      } else if (c == "%" || c == "_") {
        trailing_wildcard = true;
        break;
      } else if (WordChar(c)) {
        word.push_back(c);
      } else {
        break;
      }
    }
    AddWord(word, !leading_wildcard, !trailing_wildcard, &trigrams);
  }
  return Distinct(trigrams);
}

std::optional<std::vector<std::string>> RegexTrigrams(std::string_view pattern) {
  const std::vector<std::string> chars = Characters(pattern);
  std::vector<std::string> trigrams;
  std::vector<std::string> word;
  bool left_pad = false;  // the current word starts at a boundary (string start, non-word char)
  bool started = false;
  // Ends the current word; `boundary`: what follows it is a non-word character or the end.
  auto end_word = [&](bool boundary) {
    if (!word.empty()) AddWord(word, left_pad, boundary, &trigrams);
    word.clear();
    started = false;
    left_pad = boundary;
  };
  const std::size_t n = chars.size();
  for (std::size_t pos = 0; pos < n; ++pos) {
    const std::string& c = chars[pos];
    if (c == "|" || c == "(" || c == ")") return std::nullopt;
    if (c == "^" || c == "$") {
      end_word(true);
    } else if (c == "." || c == "[") {
      end_word(false);
      left_pad = false;
      if (c == "[") {  // skip the bracket expression; ']' first in it is literal
        std::size_t close = pos + 1;
        if (close < n && chars[close] == "^") ++close;
        if (close < n && chars[close] == "]") ++close;
        while (close < n && chars[close] != "]") ++close;
        pos = close;
      }
    } else if (c == "*" || c == "?" || c == "+" || c == "{") {
      // A quantifier: the atom before it may be missing (*, ?, {0) or repeated (+, {n}).
      bool optional = c == "*" || c == "?" || (c == "{" && pos + 1 < n && chars[pos + 1] == "0");
      if (optional && !word.empty()) word.pop_back();
      end_word(false);
      left_pad = false;
      if (c == "{")
        while (pos < n && chars[pos] != "}") ++pos;
      while (pos + 1 < n && (chars[pos + 1] == "?" || chars[pos + 1] == "+")) ++pos;  // lazy
    } else if (c == "\\") {
      if (pos + 1 >= n) break;
      const std::string& next = chars[++pos];
      if (WordChar(next)) {  // \d, \w, \y, ...: a class or a constraint
        end_word(false);
        left_pad = false;
      } else {  // an escaped literal such as \. : a word boundary for pg_trgm
        end_word(true);
      }
    } else if (WordChar(c)) {
      if (!started && word.empty()) started = true;
      word.push_back(c);
    } else {
      end_word(true);
    }
  }
  end_word(false);
  return Distinct(trigrams);
}

PatternAnalysis AnalyzePattern(TextOperator op, std::string_view pattern) {
  PatternAnalysis analysis;
  const bool like = op == TextOperator::kLike || op == TextOperator::kILike;
  analysis.leading_wildcard = capture::LeadingWildcard(like, pattern) == capture::Wildcard::kYes;
  if (like) {
    analysis.trigrams = static_cast<int>(LikeTrigrams(pattern).size());
  } else {
    std::optional<std::vector<std::string>> trigrams = RegexTrigrams(pattern);
    analysis.known = trigrams.has_value();
    analysis.trigrams = trigrams ? static_cast<int>(trigrams->size()) : 0;
  }
  return analysis;
}

TextVerdict Judge(const TextPredicate& p, PatternAnalysis* analysis) {
  if (p.index_condition) return TextVerdict::kServed;
  if (p.op == TextOperator::kFullText) {
    if (p.tsvector_column) return TextVerdict::kCandidate;
    return !p.expression.empty() && p.immutable ? TextVerdict::kCandidate
                                                : TextVerdict::kNotIndexable;
  }
  if (!p.pattern) return TextVerdict::kCandidate;  // unknown pattern: the planner decides
  *analysis = AnalyzePattern(p.op, *p.pattern);
  if (!analysis->leading_wildcard && !CaseInsensitive(p.op)) return TextVerdict::kPrefix;
  if (analysis->known && analysis->trigrams == 0) return TextVerdict::kTooShort;
  return TextVerdict::kCandidate;
}

bool MentionsTextSearch(std::string_view query) {
  std::string lower;
  lower.reserve(query.size());
  for (char ch : query) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return lower.find("like") != std::string::npos || lower.find("similar") != std::string::npos ||
         lower.find('~') != std::string::npos || lower.find("@@") != std::string::npos;
}

advisor::Candidate IndexFor(ObjectId table_id, const std::string& table, const TextPredicate& p,
                            const std::string& trigram_opclass) {
  advisor::Candidate c;
  c.table_id = table_id;
  c.table = table;
  c.access_method = "gin";
  advisor::IndexKey key;
  key.column = p.column;
  if (p.column.empty()) key.expression = p.expression;
  if (p.op == TextOperator::kFullText) {
    c.kind =
        p.column.empty() ? advisor::CandidateKind::kExpression : advisor::CandidateKind::kSingle;
  } else {
    key.opclass = trigram_opclass;
    c.kind = advisor::CandidateKind::kTrigram;
    c.requires_extension = "pg_trgm";
  }
  c.keys.push_back(key);
  return c;
}

std::string SearchStatement(const std::string& relation, const TextPredicate& p) {
  if (!p.pattern) return "";
  std::string value = QuoteLiteral(*p.pattern);
  if (p.op == TextOperator::kFullText) value += "::tsquery";
  return "SELECT * FROM " + relation + " WHERE " +
         (p.column.empty() ? p.expression : QuoteIdent(p.column)) + " " + TextOperatorSql(p.op) +
         " " + value;
}

Finding TextSearchFinding(const TextSearchCase& c) {
  const TextPredicate& p = c.predicate;
  Finding finding;
  finding.check_id = "slow_text_search";
  finding.object_type = "table";
  finding.object_name = c.relation;
  finding.severity = c.verified ? Severity::kWarning : Severity::kInfo;
  const bool full_text = p.op == TextOperator::kFullText;
  std::string what = "query " + std::to_string(c.queryid) + (c.toplevel ? "" : " (nested)") +
                     " searches " + c.relation + " for " +
                     (p.column.empty() ? p.expression : QuoteIdent(p.column)) + " " +
                     TextOperatorSql(p.op) +
                     (p.pattern ? " " + QuoteLiteral(*p.pattern) : std::string(" a value"));
  std::string numbers = std::to_string(c.calls) + (c.calls == 1 ? " call, " : " calls, ") +
                        Number(c.total_ms) + " ms";
  if (c.removed_by_filter)
    numbers += ", " + Number(*c.removed_by_filter) + " rows removed by the filter per call";
  std::string reason;
  if (c.verdict == TextVerdict::kTooShort) {
    reason = "pattern_too_short";
    finding.message =
        what + " row by row (" + numbers +
        "): the pattern has no trigram (three letters or digits in a row, or a word at a "
        "boundary), so a pg_trgm index could not narrow the search; no index is "
        "recommended (require a longer search term, or use full text search)";
  } else if (c.verdict == TextVerdict::kNotIndexable) {
    reason = "not_indexable";
    finding.message =
        what + " row by row (" + numbers +
        "): the expression depends on a setting (default_text_search_config) and cannot be "
        "indexed; name the text search configuration in the query (to_tsvector('english', "
        "...)) and index that expression with GIN";
  } else if (c.trigram_missing) {
    reason = "pg_trgm_missing";
    finding.message = what + " row by row (" + numbers +
                      "); unverified: pg_trgm is not installed, so dbopt cannot check that a "
                      "trigram index would be used. Install it and run dbopt_text_search() "
                      "again to verify " +
                      c.index_ddl;
    finding.remediation.push_back("CREATE EXTENSION IF NOT EXISTS pg_trgm");
    finding.revert.push_back("DROP EXTENSION IF EXISTS pg_trgm");
  } else {
    reason = full_text ? "full_text_index" : "trigram_index";
    finding.message =
        what + " row by row (" + numbers + "): a GIN " +
        (full_text ? std::string("index on ") + (p.column.empty() ? "the expression" : "the column")
                   : std::string("trigram index")) +
        " lets the planner find the matching rows (estimated cost " +
        (c.search_only ? std::string("of the search alone ") : std::string()) +
        Number(c.cost_before) + " -> " + Number(c.cost_after) +
        (c.search_only ? std::string("; the planner expects the query's LIMIT to stop a "
                                     "sequential scan early, the captured calls read the whole "
                                     "table")
                       : std::string()) +
        ")";
    finding.remediation = c.ddl.remediation;
    finding.revert = c.ddl.revert;
  }
  JsonWriter json;
  json.BeginObject();
  json.Field("reason", reason);
  json.Field("queryid", c.queryid);
  json.Field("toplevel", c.toplevel);
  if (p.column.empty())
    json.Field("expression", p.expression);
  else
    json.Field("column", p.column);
  json.Field("operator", TextOperatorSql(p.op));
  json.Key("pattern");
  if (p.pattern)
    json.String(*p.pattern);
  else
    json.Null();
  if (!full_text && p.pattern) {
    json.Field("leading_wildcard", c.analysis.leading_wildcard);
    json.Key("trigrams");
    if (c.analysis.known)
      json.Integer(c.analysis.trigrams);
    else
      json.Null();
  }
  json.Field("calls", c.calls);
  json.Field("total_time_ms", c.total_ms);
  json.Key("rows_removed_by_filter");
  if (c.removed_by_filter)
    json.Number(*c.removed_by_filter);
  else
    json.Null();
  json.Field("verified", c.verified);
  if (c.verified) {
    json.Field("verified_on", c.search_only ? "search" : "query");
    json.Field("cost_before", c.cost_before);
    json.Field("cost_after", c.cost_after);
  }
  if (!c.index_ddl.empty()) json.Field("proposed_index", c.index_ddl);
  json.EndObject();
  finding.detail_json = json.str();
  return finding;
}

}  // namespace dbopt::antipatterns
