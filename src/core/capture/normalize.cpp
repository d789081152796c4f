#include "core/capture/normalize.hpp"

#include <algorithm>

namespace dbopt::capture {
namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}
// Identifier characters as PostgreSQL's lexer sees them: any byte >= 0x80 is part of one.
bool IsIdentStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}
bool IsIdentChar(char c) {
  return IsIdentStart(c) || IsDigit(c) || c == '$';
}

// End of a single-quoted string whose opening quote is at `open`; `backslash_escapes` for
// E'' strings. Adjacent strings separated by white space containing a newline are one
// literal (SQL's continuation rule). Returns text.size() when unterminated.
std::size_t QuotedEnd(std::string_view text, std::size_t open, bool backslash_escapes) {
  std::size_t i = open + 1;
  for (;;) {
    while (i < text.size()) {
      char c = text[i];
      if (backslash_escapes && c == '\\') {
        i += 2;
        continue;
      }
      if (c == '\'') {
        if (i + 1 < text.size() && text[i + 1] == '\'') {
          i += 2;
          continue;
        }
        break;
      }
      ++i;
    }
    if (i >= text.size()) return text.size();
    std::size_t end = i + 1;
    std::size_t j = end;
    bool newline = false;
    while (j < text.size() && IsSpace(text[j])) newline |= text[j++] == '\n';
    if (!newline || j >= text.size() || text[j] != '\'') return end;
    i = j + 1;
  }
}

std::size_t NumberEnd(std::string_view text, std::size_t i) {
  std::size_t start = i;
  while (i < text.size() && IsDigit(text[i])) ++i;
  if (i < text.size() && text[i] == '.' && !(i + 1 < text.size() && text[i + 1] == '.')) {
    ++i;
    while (i < text.size() && IsDigit(text[i])) ++i;
  }
  if (i == start || (i == start + 1 && text[start] == '.')) return start;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    std::size_t j = i + 1;
    if (j < text.size() && (text[j] == '+' || text[j] == '-')) ++j;
    if (j < text.size() && IsDigit(text[j])) {
      while (j < text.size() && IsDigit(text[j])) ++j;
      i = j;
    }
  }
  return i;
}

// A dollar quote's opening tag at i ("$$" or "$tag$"); returns its length or 0.
std::size_t DollarTagLength(std::string_view text, std::size_t i) {
  if (i >= text.size() || text[i] != '$') return 0;
  std::size_t j = i + 1;
  if (j < text.size() && IsIdentStart(text[j])) {
    while (j < text.size() && IsIdentChar(text[j]) && text[j] != '$') ++j;
  }
  if (j < text.size() && text[j] == '$') return j + 1 - i;
  return 0;
}

}  // namespace

std::size_t ConstantLength(std::string_view text, std::size_t offset) {
  if (offset >= text.size()) return 0;
  std::size_t i = offset;
  char c = text[i];
  if (c == '\'') return QuotedEnd(text, i, false) - offset;
  if (c == '$') {
    std::size_t tag = DollarTagLength(text, i);
    if (tag == 0) return 0;
    std::size_t close = text.find(text.substr(i, tag), i + tag);
    return close == std::string_view::npos ? text.size() - offset : close + tag - offset;
  }
  if (c == '-') {  // a negated number: the parser folds the minus into the constant
    std::size_t j = i + 1;
    while (j < text.size() && IsSpace(text[j])) ++j;
    std::size_t end = NumberEnd(text, j);
    return end == j ? 0 : end - offset;
  }
  if (IsDigit(c) || c == '.') {
    std::size_t end = NumberEnd(text, i);
    return end - offset;
  }
  if (IsIdentStart(c)) {
    char lower = static_cast<char>(c | 0x20);
    // Prefixed strings: E'..', B'..', X'..', N'..', U&'..'.
    if (i + 1 < text.size() && text[i + 1] == '\'' &&
        (lower == 'e' || lower == 'b' || lower == 'x' || lower == 'n'))
      return QuotedEnd(text, i + 1, lower == 'e') - offset;
    if (lower == 'u' && i + 2 < text.size() && text[i + 1] == '&' && text[i + 2] == '\'')
      return QuotedEnd(text, i + 2, false) - offset;
    std::size_t j = i;
    while (j < text.size() && IsIdentChar(text[j])) ++j;
    return j - offset;
  }
  return 0;
}

std::string NormalizeStatement(std::string_view source, int location, int length,
                               std::vector<int> constant_locations, int first_param) {
  std::size_t begin = location < 0 ? 0 : std::min<std::size_t>(location, source.size());
  std::size_t end = length <= 0 ? source.size() : std::min(source.size(), begin + length);
  while (begin < end && IsSpace(source[begin])) ++begin;
  while (end > begin && IsSpace(source[end - 1])) --end;
  std::string_view statement = source.substr(begin, end - begin);

  std::sort(constant_locations.begin(), constant_locations.end());
  constant_locations.erase(std::unique(constant_locations.begin(), constant_locations.end()),
                           constant_locations.end());
  std::string out;
  out.reserve(statement.size() + 16);
  std::size_t copied = 0;  // offset in statement up to which text has been written
  int param = first_param < 1 ? 1 : first_param;
  for (int absolute : constant_locations) {
    if (absolute < 0 || static_cast<std::size_t>(absolute) < begin) continue;
    std::size_t offset = static_cast<std::size_t>(absolute) - begin;
    if (offset >= statement.size() || offset < copied) continue;
    std::size_t token = ConstantLength(statement, offset);
    if (token == 0) continue;
    out.append(statement.substr(copied, offset - copied));
    out += '$';
    out += std::to_string(param++);
    copied = offset + token;
  }
  out.append(statement.substr(copied));
  return out;
}

}  // namespace dbopt::capture
