// Qual shapes for the capture store: what kind of comparison a relation scan's restriction
// applies to one column (equality, range, IN, LIKE with or without a leading wildcard, ...)
// and what the column is compared to (a constant, a parameter, a value from another relation).
// The server side reads operator names and constant patterns from the plan; the classifying
// and rendering rules live here, without PostgreSQL.
#pragma once
#include "core/common/no_postgres.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace dbopt::capture {

enum class QualKind : std::uint8_t {
  kOther = 0,
  kEquality,
  kRange,  // <, <=, >, >=, BETWEEN
  kIn,     // = ANY (...) / IN (...)
  kLike,   // LIKE / ILIKE (case_insensitive tells which)
  kRegex,  // ~, ~*, SIMILAR TO
  kIsNull,
  kIsNotNull,
  kFullText,     // @@
  kContainment,  // @>, <@, ?, ?|, ?&, && (jsonb, arrays, ranges)
};

enum class QualOperand : std::uint8_t {
  kNone = 0,   // IS [NOT] NULL
  kConstant,   // a literal (or a stable expression of literals)
  kParameter,  // $n of a prepared statement or a function
  kOuter,      // a value of another relation (join, correlated subquery, nested loop)
  kOther,
};

enum class Wildcard : std::uint8_t { kNotApplicable = 0, kNo, kYes, kUnknown };

// Shared-memory friendly (a trivial type of six bytes); value-initialize: `QualShape s{};`.
struct QualShape {
  std::int16_t attnum;
  QualKind kind;
  QualOperand operand;
  Wildcard leading_wildcard;
  bool case_insensitive;
  bool operator==(const QualShape& other) const {
    return attnum == other.attnum && kind == other.kind && operand == other.operand &&
           leading_wildcard == other.leading_wildcard && case_insensitive == other.case_insensitive;
  }
};

// The kind of `column <opname> value`; `any` for `column <opname> ANY (array)`, where "="
// means IN. Sets *case_insensitive for ILIKE and ~*.
QualKind ClassifyOperator(std::string_view opname, bool any, bool* case_insensitive);

// Whether a LIKE (is_like) or regular-expression pattern can match starting anywhere: a LIKE
// pattern starting with % or _, a regex not anchored with ^.
Wildcard LeadingWildcard(bool is_like, std::string_view pattern);

const char* QualKindName(QualKind kind);
const char* QualOperandName(QualOperand operand);

// Merges `shape` into shapes[0..*count) (room for `limit`): nothing when an identical one is
// there; a LIKE/regex shape that differs from a listed one only in its leading-wildcard flag
// updates that flag to the stronger of the two (seen with a leading wildcard, then without,
// then unknown) instead of being listed twice; else appended. False when there was no room.
bool MergeQualShape(QualShape* shapes, int* count, int limit, const QualShape& shape);

// Adds `shape` unless an identical one is there; false when `out` already holds `limit`.
bool AddQualShape(std::vector<QualShape>* out, const QualShape& shape, std::size_t limit);

// A JSON array of {"column", "attnum", "op", "compared_to"[, "leading_wildcard"]
// [, "case_insensitive"]}; names[i] is the column name of shapes[i] ("" when unknown).
std::string QualShapesJson(const std::vector<QualShape>& shapes,
                           const std::vector<std::string>& names);

}  // namespace dbopt::capture
