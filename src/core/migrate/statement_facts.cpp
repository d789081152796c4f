#include "core/migrate/statement_facts.hpp"

#include <algorithm>

namespace dbopt::migrate {

namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// Past whitespace, -- comments and (nested) /* */ comments from `pos`, up to `end`.
size_t SkipBlank(const std::string& s, size_t pos, size_t end) {
  while (pos < end) {
    if (IsSpace(s[pos])) {
      ++pos;
    } else if (s.compare(pos, 2, "--") == 0) {
      while (pos < end && s[pos] != '\n') ++pos;
    } else if (s.compare(pos, 2, "/*") == 0) {
      int depth = 1;
      pos += 2;
      while (pos < end && depth > 0) {
        if (s.compare(pos, 2, "/*") == 0) {
          ++depth;
          pos += 2;
        } else if (s.compare(pos, 2, "*/") == 0) {
          --depth;
          pos += 2;
        } else {
          ++pos;
        }
      }
    } else {
      break;
    }
  }
  return std::min(pos, end);
}

}  // namespace

LineColumn LineAndColumn(const std::string& script, int offset) {
  LineColumn at;
  size_t end = std::min(static_cast<size_t>(std::max(offset, 0)), script.size());
  for (size_t i = 0; i < end; ++i) {
    unsigned char c = static_cast<unsigned char>(script[i]);
    if (c == '\n') {
      ++at.line;
      at.column = 1;
    } else if ((c & 0xC0) != 0x80) {  // count UTF-8 lead bytes only
      ++at.column;
    }
  }
  return at;
}

int CharacterOffset(const std::string& script, int characters) {
  int seen = 0;
  for (size_t i = 0; i < script.size(); ++i) {
    if ((static_cast<unsigned char>(script[i]) & 0xC0) == 0x80) continue;
    if (seen++ == characters) return static_cast<int>(i);
  }
  return static_cast<int>(script.size());
}

std::string LineText(const std::string& script, int line) {
  size_t begin = 0;
  for (int l = 1; l < line; ++l) {
    begin = script.find('\n', begin);
    if (begin == std::string::npos) return "";
    ++begin;
  }
  size_t end = script.find('\n', begin);
  std::string text =
      script.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
  if (!text.empty() && text.back() == '\r') text.pop_back();
  return text;
}

StatementPosition StatementStart(const std::string& script, int location, int length) {
  size_t begin = std::min(static_cast<size_t>(std::max(location, 0)), script.size());
  size_t end =
      length > 0 ? std::min(begin + static_cast<size_t>(length), script.size()) : script.size();
  begin = SkipBlank(script, begin, end);
  while (end > begin && (IsSpace(script[end - 1]) || script[end - 1] == ';')) --end;
  StatementPosition position;
  position.line = LineAndColumn(script, static_cast<int>(begin)).line;
  position.text = script.substr(begin, end - begin);
  return position;
}

}  // namespace dbopt::migrate
