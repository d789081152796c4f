#include "core/capture/qual_shape.hpp"

#include "core/common/sql_text.hpp"

namespace dbopt::capture {

QualKind ClassifyOperator(std::string_view opname, bool any, bool* case_insensitive) {
  *case_insensitive = false;
  if (opname == "=") return any ? QualKind::kIn : QualKind::kEquality;
  if (opname == "<" || opname == "<=" || opname == ">" || opname == ">=") return QualKind::kRange;
  if (opname == "~~" || opname == "~~*") {
    *case_insensitive = opname == "~~*";
    return QualKind::kLike;
  }
  if (opname == "~" || opname == "~*") {
    *case_insensitive = opname == "~*";
    return QualKind::kRegex;
  }
  if (opname == "@@" || opname == "@@@") return QualKind::kFullText;
  if (opname == "@>" || opname == "<@" || opname == "?" || opname == "?|" || opname == "?&" ||
      opname == "&&")
    return QualKind::kContainment;
  return QualKind::kOther;
}

Wildcard LeadingWildcard(bool is_like, std::string_view pattern) {
  if (is_like) {
    if (pattern.empty()) return Wildcard::kNo;
    return pattern[0] == '%' || pattern[0] == '_' ? Wildcard::kYes : Wildcard::kNo;
  }
  if (!pattern.empty() && pattern[0] == '^') {
    // "^.*x" and "^.+x" are anchored in name only.
    std::string_view rest = pattern.substr(1);
    if (rest.size() >= 2 && rest[0] == '.' && (rest[1] == '*' || rest[1] == '+'))
      return Wildcard::kYes;
    return Wildcard::kNo;
  }
  return Wildcard::kYes;
}

const char* QualKindName(QualKind kind) {
  switch (kind) {
    case QualKind::kEquality:
      return "equality";
    case QualKind::kRange:
      return "range";
    case QualKind::kIn:
      return "in";
    case QualKind::kLike:
      return "like";
    case QualKind::kRegex:
      return "regex";
    case QualKind::kIsNull:
      return "is_null";
    case QualKind::kIsNotNull:
      return "is_not_null";
    case QualKind::kFullText:
      return "full_text";
    case QualKind::kContainment:
      return "containment";
    case QualKind::kOther:
      break;
  }
  return "other";
}

const char* QualOperandName(QualOperand operand) {
  switch (operand) {
    case QualOperand::kNone:
      return "none";
    case QualOperand::kConstant:
      return "constant";
    case QualOperand::kParameter:
      return "parameter";
    case QualOperand::kOuter:
      return "outer";
    case QualOperand::kOther:
      break;
  }
  return "other";
}

namespace {

int WildcardRank(Wildcard flag) {
  return flag == Wildcard::kYes ? 2 : flag == Wildcard::kNo ? 1 : 0;
}

}  // namespace

bool MergeQualShape(QualShape* shapes, int* count, int limit, const QualShape& shape) {
  bool pattern = shape.kind == QualKind::kLike || shape.kind == QualKind::kRegex;
  for (int i = 0; i < *count; ++i) {
    QualShape* listed = &shapes[i];
    if (*listed == shape) return true;
    if (pattern && listed->attnum == shape.attnum && listed->kind == shape.kind &&
        listed->operand == shape.operand && listed->case_insensitive == shape.case_insensitive) {
      if (WildcardRank(shape.leading_wildcard) > WildcardRank(listed->leading_wildcard))
        listed->leading_wildcard = shape.leading_wildcard;
      return true;
    }
  }
  if (*count >= limit) return false;
  shapes[(*count)++] = shape;
  return true;
}

bool AddQualShape(std::vector<QualShape>* out, const QualShape& shape, std::size_t limit) {
  for (const QualShape& existing : *out)
    if (existing == shape) return true;
  if (out->size() >= limit) return false;
  out->push_back(shape);
  return true;
}

std::string QualShapesJson(const std::vector<QualShape>& shapes,
                           const std::vector<std::string>& names) {
  JsonWriter json;
  json.BeginArray();
  for (std::size_t i = 0; i < shapes.size(); ++i) {
    const QualShape& shape = shapes[i];
    json.BeginObject();
    if (i < names.size() && !names[i].empty())
      json.Field("column", names[i]);
    else
      json.Key("column").Null();
    json.Field("attnum", static_cast<int>(shape.attnum));
    json.Field("op", QualKindName(shape.kind));
    json.Field("compared_to", QualOperandName(shape.operand));
    if (shape.leading_wildcard != Wildcard::kNotApplicable) {
      json.Key("leading_wildcard");
      if (shape.leading_wildcard == Wildcard::kUnknown)
        json.Null();
      else
        json.Bool(shape.leading_wildcard == Wildcard::kYes);
    }
    if (shape.case_insensitive) json.Field("case_insensitive", true);
    json.EndObject();
  }
  json.EndArray();
  return json.str();
}

}  // namespace dbopt::capture
