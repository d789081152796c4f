#include "core/common/pg_array.hpp"

#include <cstdlib>
#include <stdexcept>

namespace dbopt {

std::vector<std::optional<std::string>> ParseArrayLiteral(const std::string& literal) {
  std::vector<std::optional<std::string>> elements;
  size_t pos = 0;
  if (pos < literal.size() && literal[pos] == '[') {  // explicit bounds "[0:1]={...}"
    pos = literal.find('=');
    if (pos == std::string::npos) throw std::invalid_argument("malformed array: " + literal);
    ++pos;
  }
  if (pos >= literal.size() || literal[pos] != '{' || literal.back() != '}')
    throw std::invalid_argument("malformed array: " + literal);
  ++pos;
  const size_t end = literal.size() - 1;
  if (pos == end) return elements;
  while (pos <= end) {
    std::string value;
    bool quoted = false;
    if (literal[pos] == '"') {
      quoted = true;
      ++pos;
      while (pos < end && literal[pos] != '"') {
        if (literal[pos] == '\\') ++pos;
        if (pos < end) value += literal[pos++];
      }
      if (pos >= end) throw std::invalid_argument("malformed array: " + literal);
      ++pos;  // closing quote
    } else {
      while (pos < end && literal[pos] != ',') value += literal[pos++];
    }
    if (!quoted && value == "NULL")
      elements.emplace_back(std::nullopt);
    else
      elements.emplace_back(value);
    if (pos == end) break;
    if (literal[pos] != ',') throw std::invalid_argument("malformed array: " + literal);
    ++pos;
  }
  return elements;
}

std::vector<std::string> ParseTextArray(const std::string& literal) {
  std::vector<std::string> values;
  for (auto& element : ParseArrayLiteral(literal)) values.push_back(element.value_or(""));
  return values;
}

std::vector<std::int64_t> ParseIntArray(const std::string& literal) {
  std::vector<std::int64_t> values;
  for (auto& element : ParseArrayLiteral(literal))
    values.push_back(element ? std::stoll(*element) : 0);
  return values;
}

std::vector<std::int64_t> ParseIntVector(const std::string& text) {
  // Space-separated integers (int2vector, oidvector); strtoll, as streams are slow here.
  std::vector<std::int64_t> values;
  const char* at = text.c_str();
  char* end = nullptr;
  for (long long value = std::strtoll(at, &end, 10); end != at;
       value = std::strtoll(at, &end, 10)) {
    values.push_back(value);
    at = end;
  }
  return values;
}

}  // namespace dbopt
