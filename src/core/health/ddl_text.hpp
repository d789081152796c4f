// Small helpers for writing DDL and messages into one buffer (the checks write tens of
// thousands of statements on a large catalog: no temporary string per piece).
#pragma once
#include "core/common/no_postgres.hpp"

#include <cstring>
#include <string>
#include <vector>

#include "core/common/sql_text.hpp"
#include "core/model/catalog.hpp"

namespace dbopt {

// text == literal, inline (std::string's operator== with a C string calls out of line).
template <size_t N>
bool SameText(const std::string& text, const char (&literal)[N]) {
  return text.size() == N - 1 && std::memcmp(text.data(), literal, N - 1) == 0;
}

// Appends QualifiedName(object) (a reference to the cached name: no copy).
template <typename Object>
void AppendQualifiedName(std::string& out, const Object& object) {
  out += QualifiedName(object);
}

// Size of QualifiedName(object), for reserve().
template <typename Object>
size_t QualifiedNameSize(const Object& object) {
  return QualifiedName(object).size();
}

// Appends the quoted identifiers separated by ", " (JoinIdents).
inline void AppendIdentList(std::string& out, const std::vector<std::string>& identifiers) {
  for (size_t i = 0; i < identifiers.size(); ++i) {
    if (i > 0) out += ", ";
    AppendQuotedIdent(out, identifiers[i]);
  }
}

}  // namespace dbopt
