#include "core/antipatterns/keyset.hpp"

#include <algorithm>
#include <cctype>
#include <string_view>

#include "core/common/sql_text.hpp"

namespace dbopt::antipatterns {
namespace {

enum class Tok { kWord, kQuotedName, kParam, kNumber, kString, kPunct };

struct Token {
  Tok kind;
  std::size_t begin;
  std::size_t end;
  int depth;  // parentheses around the token
};

bool WordStart(unsigned char c) {
  return std::isalpha(c) || c == '_' || c >= 0x80;
}
bool WordChar(unsigned char c) {
  return std::isalnum(c) || c == '_' || c == '$' || c >= 0x80;
}

// The end of a quoted run starting at `pos` (the opening quote); a doubled quote continues it.
std::size_t QuotedEnd(const std::string& text, std::size_t pos, char quote, bool backslashes) {
  std::size_t i = pos + 1;
  while (i < text.size()) {
    if (backslashes && text[i] == '\\') {
      i += 2;
      continue;
    }
    if (text[i] == quote) {
      if (i + 1 < text.size() && text[i + 1] == quote) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    ++i;
  }
  return text.size();
}

// Splits `text` into tokens, skipping white space and comments.
std::vector<Token> Tokenize(const std::string& text) {
  std::vector<Token> tokens;
  int depth = 0;
  std::size_t i = 0;
  const std::size_t n = text.size();
  while (i < n) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (std::isspace(c)) {
      ++i;
      continue;
    }
    if (c == '-' && i + 1 < n && text[i + 1] == '-') {
      std::size_t eol = text.find('\n', i);
      i = eol == std::string::npos ? n : eol + 1;
      continue;
    }
    if (c == '/' && i + 1 < n && text[i + 1] == '*') {  // comments nest in PostgreSQL
      int level = 0;
      while (i < n) {
        if (text.compare(i, 2, "/*") == 0) {
          ++level;
          i += 2;
        } else if (text.compare(i, 2, "*/") == 0) {
          i += 2;
          if (--level == 0) break;
        } else {
          ++i;
        }
      }
      continue;
    }
    Token token{Tok::kPunct, i, i + 1, depth};
    if (c == '\'') {
      const bool escapes = i > 0 && (text[i - 1] == 'E' || text[i - 1] == 'e') &&
                           (i < 2 || !WordChar(static_cast<unsigned char>(text[i - 2])));
      token.kind = Tok::kString;
      token.end = QuotedEnd(text, i, '\'', escapes);
    } else if (c == '"') {
      token.kind = Tok::kQuotedName;
      token.end = QuotedEnd(text, i, '"', false);
    } else if (c == '$' && i + 1 < n && std::isdigit(static_cast<unsigned char>(text[i + 1]))) {
      token.kind = Tok::kParam;
      token.end = i + 1;
      while (token.end < n && std::isdigit(static_cast<unsigned char>(text[token.end])))
        ++token.end;
    } else if (c == '$') {  // a dollar-quoted string: $$...$$ or $tag$...$tag$
      std::size_t tag_end = i + 1;
      while (tag_end < n && WordChar(static_cast<unsigned char>(text[tag_end])) &&
             text[tag_end] != '$')
        ++tag_end;
      if (tag_end < n && text[tag_end] == '$') {
        const std::string tag = text.substr(i, tag_end - i + 1);
        std::size_t close = text.find(tag, tag_end + 1);
        token.kind = Tok::kString;
        token.end = close == std::string::npos ? n : close + tag.size();
      }
    } else if (WordStart(c)) {
      token.kind = Tok::kWord;
      while (token.end < n && WordChar(static_cast<unsigned char>(text[token.end]))) ++token.end;
      // E'...', B'...', X'...', U&'...': the prefix belongs to the string that follows.
      if (token.end < n && text[token.end] == '\'' && token.end - i == 1) {
        i = token.end;
        continue;
      }
    } else if (std::isdigit(c) ||
               (c == '.' && i + 1 < n && std::isdigit(static_cast<unsigned char>(text[i + 1])))) {
      token.kind = Tok::kNumber;
      while (token.end < n &&
             (std::isalnum(static_cast<unsigned char>(text[token.end])) || text[token.end] == '.'))
        ++token.end;
    } else if (c == '(') {
      ++depth;
    } else if (c == ')') {
      token.depth = depth = std::max(0, depth - 1);
    }
    tokens.push_back(token);
    i = token.end;
  }
  return tokens;
}

bool IsWord(const std::string& text, const Token& token, std::string_view word) {
  if (token.kind != Tok::kWord || token.end - token.begin != word.size()) return false;
  for (std::size_t k = 0; k < word.size(); ++k)
    if (std::tolower(static_cast<unsigned char>(text[token.begin + k])) != word[k]) return false;
  return true;
}

bool IsPunct(const std::string& text, const Token& token, char c) {
  return token.kind == Tok::kPunct && text[token.begin] == c;
}

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// A name written without quotes or qualification (an output alias, or a column).
bool BareName(const std::string& expression) {
  if (expression.empty() || !WordStart(static_cast<unsigned char>(expression[0]))) return false;
  return std::all_of(expression.begin(), expression.end(),
                     [](char c) { return WordChar(static_cast<unsigned char>(c)) && c != '$'; });
}

bool AllDigits(const std::string& expression) {
  return !expression.empty() && std::all_of(expression.begin(), expression.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c));
  });
}

// The ORDER BY item made of tokens [first, last].
OrderItem ReadItem(const std::string& text, const std::vector<Token>& tokens, std::size_t first,
                   std::size_t last, bool* using_op) {
  OrderItem item;
  std::size_t end = last;
  if (end > first && IsWord(text, tokens[end - 1], "nulls") &&
      (IsWord(text, tokens[end], "first") || IsWord(text, tokens[end], "last"))) {
    item.nulls_explicit = true;
    item.nulls_first = IsWord(text, tokens[end], "first");
    end -= 2;
  }
  if (end > first && (IsWord(text, tokens[end], "asc") || IsWord(text, tokens[end], "desc"))) {
    item.descending = IsWord(text, tokens[end], "desc");
    --end;
  }
  for (std::size_t k = first; k <= end; ++k)
    if (tokens[k].depth == tokens[first].depth && IsWord(text, tokens[k], "using"))
      *using_op = true;
  if (!item.nulls_explicit) item.nulls_first = item.descending;
  item.expression = text.substr(tokens[first].begin, tokens[end].end - tokens[first].begin);
  return item;
}

}  // namespace

SelectShape ScanSelect(const std::string& text) {
  SelectShape shape;
  const std::vector<Token> tokens = Tokenize(text);
  for (const Token& token : tokens)
    if (token.kind == Tok::kParam)
      shape.max_parameter =
          std::max(shape.max_parameter,
                   std::atoi(text.substr(token.begin + 1, token.end - token.begin - 1).c_str()));
  std::size_t i = 0;
  // PREPARE name [(types)] AS <statement>: the statement is what gets paged.
  if (i < tokens.size() && IsWord(text, tokens[i], "prepare")) {
    while (i < tokens.size() && !(tokens[i].depth == 0 && IsWord(text, tokens[i], "as"))) ++i;
    ++i;
  }
  if (i < tokens.size()) shape.statement_begin = tokens[i].begin;
  if (i < tokens.size() && IsWord(text, tokens[i], "with")) {
    while (i < tokens.size() && !(tokens[i].depth == 0 && IsWord(text, tokens[i], "select"))) ++i;
  }
  if (i >= tokens.size() || !IsWord(text, tokens[i], "select")) return shape;
  shape.select = true;
  std::size_t end_of_text = text.size();
  while (end_of_text > 0 && std::isspace(static_cast<unsigned char>(text[end_of_text - 1])))
    --end_of_text;
  // The top-level clause keywords after SELECT, in order: (token index, clause).
  enum Clause { kWhere, kGroup, kHaving, kWindow, kOrder, kLimit, kOffset, kFetch, kFor, kEnd };
  struct Start {
    std::size_t token;
    Clause clause;
  };
  std::vector<Start> starts;
  for (std::size_t k = i + 1; k < tokens.size(); ++k) {
    const Token& t = tokens[k];
    if (t.depth != 0) continue;
    auto next_is = [&](std::string_view word) {
      return k + 1 < tokens.size() && IsWord(text, tokens[k + 1], word);
    };
    if (IsWord(text, t, "union") || IsWord(text, t, "intersect") || IsWord(text, t, "except")) {
      shape.set_operation = true;
      starts.push_back({k, kEnd});
    } else if (IsPunct(text, t, ';')) {
      end_of_text = t.begin;
      while (end_of_text > 0 && std::isspace(static_cast<unsigned char>(text[end_of_text - 1])))
        --end_of_text;
      starts.push_back({k, kEnd});
      break;
    } else if (IsWord(text, t, "where")) {
      starts.push_back({k, kWhere});
    } else if (IsWord(text, t, "group") && next_is("by")) {
      starts.push_back({k, kGroup});
    } else if (IsWord(text, t, "having")) {
      starts.push_back({k, kHaving});
    } else if (IsWord(text, t, "window")) {
      starts.push_back({k, kWindow});
    } else if (IsWord(text, t, "order") && next_is("by")) {
      starts.push_back({k, kOrder});
    } else if (IsWord(text, t, "limit")) {
      starts.push_back({k, kLimit});
    } else if (IsWord(text, t, "offset")) {
      starts.push_back({k, kOffset});
    } else if (IsWord(text, t, "fetch") && (next_is("first") || next_is("next"))) {
      starts.push_back({k, kFetch});
    } else if (IsWord(text, t, "for") &&
               (next_is("update") || next_is("share") || next_is("no") || next_is("key"))) {
      starts.push_back({k, kFor});
    }
  }
  // Where each clause's text ends: the next clause's keyword, or the end of the statement.
  auto clause_end = [&](std::size_t s) -> std::size_t {
    std::size_t end = s + 1 < starts.size() ? tokens[starts[s + 1].token].begin : end_of_text;
    while (end > 0 && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
    return end;
  };
  // The last token before position `end`.
  auto last_token_before = [&](std::size_t end) {
    std::size_t k = 0;
    while (k + 1 < tokens.size() && tokens[k + 1].begin < end) ++k;
    return k;
  };
  bool where_insert_set = false;
  for (std::size_t s = 0; s < starts.size(); ++s) {
    const Start& start = starts[s];
    const Token& keyword = tokens[start.token];
    if (start.clause != kWhere && !where_insert_set) {
      shape.where_insert = keyword.begin;
      where_insert_set = true;
    }
    switch (start.clause) {
      case kWhere:
        if (shape.has_where || start.token + 1 >= tokens.size()) break;
        shape.has_where = true;
        shape.where_begin = tokens[start.token + 1].begin;
        shape.where_end = clause_end(s);
        break;
      case kGroup:
      case kHaving:
        shape.grouped = true;
        break;
      case kOrder: {
        if (shape.has_order) break;
        const std::size_t end = clause_end(s);
        std::size_t first = start.token + 2;  // after ORDER BY
        if (first >= tokens.size() || tokens[first].begin >= end) break;
        shape.has_order = true;
        shape.order_end = end;
        const std::size_t last = last_token_before(end);
        std::size_t item_first = first;
        for (std::size_t k = first; k <= last; ++k) {
          if (k == last || (tokens[k + 1].depth == 0 && IsPunct(text, tokens[k + 1], ','))) {
            shape.order.push_back(ReadItem(text, tokens, item_first, k, &shape.order_using));
            item_first = k + 2;
            ++k;
          }
        }
        break;
      }
      case kLimit:
      case kFetch:
        shape.has_limit = true;
        break;
      case kOffset:
        shape.has_offset = true;
        shape.offset_begin = keyword.begin;
        shape.offset_end = clause_end(s);
        break;
      default:
        break;
    }
  }
  if (!where_insert_set) shape.where_insert = end_of_text;
  shape.limit_insert = shape.has_order ? shape.order_end : end_of_text;
  return shape;
}

KeysetRewrite RewriteKeyset(const std::string& text, const std::vector<std::string>& item_columns,
                            const std::vector<std::string>& tie_breakers, bool add_limit) {
  KeysetRewrite rewrite;
  const SelectShape shape = ScanSelect(text);
  if (!shape.select) {
    rewrite.why_not = "the query is not a plain SELECT";
    return rewrite;
  }
  if (shape.set_operation) {
    rewrite.why_not =
        "the query is a UNION, INTERSECT or EXCEPT: page each branch, or the query wrapped in "
        "a subquery, by its sort keys";
    return rewrite;
  }
  if (shape.grouped) {
    rewrite.why_not =
        "the query is grouped (GROUP BY or HAVING): the condition on the sort keys belongs in "
        "HAVING or in an outer query";
    return rewrite;
  }
  if (!shape.has_order) {
    rewrite.why_not =
        "the query has no ORDER BY, so its pages are not even stable: order it by a unique key, "
        "then page by that key";
    return rewrite;
  }
  if (shape.order_using) {
    rewrite.why_not = "the query orders with USING <operator>";
    return rewrite;
  }
  std::vector<bool> descending;
  for (std::size_t k = 0; k < shape.order.size(); ++k) {
    std::string key = shape.order[k].expression;
    const std::string column = k < item_columns.size() ? item_columns[k] : "";
    // An output position or an output alias: WHERE needs the column itself.
    if (!column.empty() && (AllDigits(key) || (BareName(key) && Lower(key) != column)))
      key = QuoteIdent(column);
    else if (AllDigits(key)) {
      rewrite.why_not = "the query orders by an output column position (ORDER BY " + key + ")";
      return rewrite;
    }
    rewrite.keys.push_back(key);
    descending.push_back(shape.order[k].descending);
  }
  // Tie-breakers take the first key's qualifier ("p." of "p.created_at").
  std::string qualifier;
  const std::string& first = rewrite.keys.front();
  const std::size_t dot = first.rfind('.');
  if (dot != std::string::npos && first.find('(') == std::string::npos) {
    qualifier = first.substr(0, dot + 1);
  }
  std::string order_suffix;
  const bool last_descending = descending.back();
  for (const std::string& column : tie_breakers) {
    rewrite.keys.push_back(qualifier + QuoteIdent(column));
    descending.push_back(last_descending);
    order_suffix += ", " + rewrite.keys.back() + (last_descending ? " DESC" : "");
  }
  for (std::size_t k = 0; k < rewrite.keys.size(); ++k)
    rewrite.parameters.push_back("$" + std::to_string(shape.max_parameter + 1 + k));
  const bool one_direction =
      std::all_of(descending.begin(), descending.end(), [&](bool d) { return d == descending[0]; });
  std::string& cond = rewrite.condition;
  if (one_direction) {
    const char* op = descending[0] ? " < " : " > ";
    if (rewrite.keys.size() == 1) {
      cond = rewrite.keys[0] + op + rewrite.parameters[0];
    } else {
      std::string keys, params;
      for (std::size_t k = 0; k < rewrite.keys.size(); ++k) {
        keys += (k ? ", " : "") + rewrite.keys[k];
        params += (k ? ", " : "") + rewrite.parameters[k];
      }
      cond = "(" + keys + ")" + op + "(" + params + ")";
    }
  } else {
    // a > $1 OR (a = $1 AND (b < $2 OR (b = $2 AND c > $3)))
    for (std::size_t k = rewrite.keys.size(); k-- > 0;) {
      const std::string step =
          rewrite.keys[k] + (descending[k] ? " < " : " > ") + rewrite.parameters[k];
      if (cond.empty()) {
        cond = step;
      } else {
        cond = step + " OR (" + rewrite.keys[k] + " = " + rewrite.parameters[k] + " AND " +
               (k + 2 < rewrite.keys.size() ? "(" + cond + ")" : cond) + ")";
      }
    }
    cond = "(" + cond + ")";
  }
  // Edits from the end backwards, so earlier positions stay valid.
  struct Edit {
    std::size_t at;
    std::size_t erase;
    std::string insert;
  };
  std::vector<Edit> edits;
  if (shape.has_offset) {
    std::size_t from = shape.offset_begin;
    while (from > 0 && std::isspace(static_cast<unsigned char>(text[from - 1]))) --from;
    edits.push_back({from, shape.offset_end - from, ""});
  }
  std::string after_order = order_suffix;
  if (!shape.has_limit && add_limit) {
    rewrite.limit_parameter = "$" + std::to_string(shape.max_parameter + 1 + rewrite.keys.size());
    after_order += " LIMIT " + rewrite.limit_parameter;
  }
  if (!after_order.empty()) edits.push_back({shape.order_end, 0, after_order});
  if (shape.has_where) {
    edits.push_back({shape.where_end, 0, ") AND " + cond});
    edits.push_back({shape.where_begin, 0, "("});
  } else {
    edits.push_back({shape.where_insert, 0, "WHERE " + cond + " "});
  }
  std::stable_sort(edits.begin(), edits.end(),
                   [](const Edit& a, const Edit& b) { return a.at > b.at; });
  std::string out = text;
  for (const Edit& edit : edits) out.replace(edit.at, edit.erase, edit.insert);
  rewrite.statement = out.substr(shape.statement_begin);
  return rewrite;
}

}  // namespace dbopt::antipatterns
