#include "pg/result_set.hpp"

#include <cctype>
#include <cstring>

#include "pg/guard.hpp"

extern "C" {
#include "utils/lsyscache.h"
#include "utils/numeric.h"
#include "utils/timestamp.h"
}

namespace dbopt::pg {

Cell Cell::Text(std::string value) {
  Cell cell;
  cell.kind = Kind::kText;
  cell.text = std::move(value);
  return cell;
}
Cell Cell::Array(std::vector<std::string> values) {
  Cell cell;
  cell.kind = Kind::kTextArray;
  cell.array = std::move(values);
  return cell;
}
Cell Cell::Json(std::string value) {
  Cell cell;
  cell.kind = Kind::kJson;
  cell.text = std::move(value);
  return cell;
}
Cell Cell::Int(std::int64_t value) {
  Cell cell;
  cell.kind = Kind::kInt;
  cell.integer = value;
  return cell;
}
Cell Cell::Float(double value) {
  Cell cell;
  cell.kind = Kind::kFloat;
  cell.real = value;
  return cell;
}
Cell Cell::Bool(bool value) {
  Cell cell;
  cell.kind = Kind::kBool;
  cell.boolean = value;
  return cell;
}

Cell Cell::Timestamp(std::int64_t value) {
  Cell cell;
  cell.kind = Kind::kTimestamp;
  cell.integer = value;
  return cell;
}

namespace {

// Builds jsonb from JSON text the way jsonb_in does (the same pushJsonbValue calls, so the same
// value: keys sorted and de-duplicated by PostgreSQL), for the JSON dbopt's JsonWriter prints:
// objects, arrays, strings with the short escapes, numbers, true/false/null. It declines
// (returns false) on anything else -- \u escapes, raw control characters, a top-level
// scalar, malformed text, deep nesting -- and the caller falls back to jsonb_in, which
// handles (or rejects) it as before. Runs under CallPg; allocates in CurrentMemoryContext.
class JsonbBuilder {
 public:
  JsonbBuilder(const char* text, size_t length) : at_(text), end_(text + length) {}

  bool Build(Datum* result) {
    SkipSpace();
    if (at_ == end_ || (*at_ != '{' && *at_ != '[')) return false;
    JsonbValue* value = nullptr;
    if (!Container(0, &value)) return false;
    SkipSpace();
    if (at_ != end_ || value == nullptr) return false;
    *result = JsonbPGetDatum(JsonbValueToJsonb(value));
    return true;
  }

 private:
  static constexpr int kMaxDepth = 64;

  void SkipSpace() {
    while (at_ < end_ && (*at_ == ' ' || *at_ == '\n' || *at_ == '\r' || *at_ == '\t')) ++at_;
  }

  // An object or array at at_; *result receives pushJsonbValue's value at the outermost end.
  bool Container(int depth, JsonbValue** result) {
    if (depth > kMaxDepth) return false;
    const bool object = *at_ == '{';
    ++at_;
    pushJsonbValue(&state_, object ? WJB_BEGIN_OBJECT : WJB_BEGIN_ARRAY, nullptr);
    SkipSpace();
    const char close = object ? '}' : ']';
    if (at_ < end_ && *at_ == close) {
      ++at_;
      *result = pushJsonbValue(&state_, object ? WJB_END_OBJECT : WJB_END_ARRAY, nullptr);
      return true;
    }
    for (;;) {
      if (object) {
        JsonbValue key;
        if (at_ == end_ || *at_ != '"' || !String(&key)) return false;
        pushJsonbValue(&state_, WJB_KEY, &key);
        SkipSpace();
        if (at_ == end_ || *at_ != ':') return false;
        ++at_;
        SkipSpace();
      }
      if (at_ == end_) return false;
      if (*at_ == '{' || *at_ == '[') {
        JsonbValue* ignored = nullptr;
        if (!Container(depth + 1, &ignored)) return false;
      } else {
        JsonbValue scalar;
        if (!Scalar(&scalar)) return false;
        pushJsonbValue(&state_, object ? WJB_VALUE : WJB_ELEM, &scalar);
      }
      SkipSpace();
      if (at_ == end_) return false;
      if (*at_ == ',') {
        ++at_;
        SkipSpace();
        continue;
      }
      if (*at_ != close) return false;
      ++at_;
      *result = pushJsonbValue(&state_, object ? WJB_END_OBJECT : WJB_END_ARRAY, nullptr);
      return true;
    }
  }

  // A string at at_ (the opening quote). Points into the text when it has no escapes.
  bool String(JsonbValue* value) {
    const char* start = ++at_;
    bool escaped = false;
    while (at_ < end_ && *at_ != '"') {
      const unsigned char c = static_cast<unsigned char>(*at_);
      if (c < 0x20) return false;
      if (c == '\\') {
        if (at_ + 1 == end_) return false;
        escaped = true;
        ++at_;
      }
      ++at_;
    }
    if (at_ == end_) return false;
    const size_t length = static_cast<size_t>(at_ - start);
    ++at_;  // closing quote
    char* text = const_cast<char*>(start);
    size_t out_length = length;
    if (escaped) {
      text = static_cast<char*>(palloc(length + 1));
      out_length = 0;
      for (const char* p = start; p < start + length; ++p) {
        if (*p != '\\') {
          text[out_length++] = *p;
          continue;
        }
        switch (*++p) {
          case '"':
            text[out_length++] = '"';
            break;
          case '\\':
            text[out_length++] = '\\';
            break;
          case '/':
            text[out_length++] = '/';
            break;
          case 'b':
            text[out_length++] = '\b';
            break;
          case 'f':
            text[out_length++] = '\f';
            break;
          case 'n':
            text[out_length++] = '\n';
            break;
          case 'r':
            text[out_length++] = '\r';
            break;
          case 't':
            text[out_length++] = '\t';
            break;
          default:
            return false;  // \u and invalid escapes: jsonb_in's business
        }
      }
    }
    if (out_length > JENTRY_OFFLENMASK) return false;
    value->type = jbvString;
    value->val.string.val = text;
    value->val.string.len = static_cast<int>(out_length);
    return true;
  }

  bool Literal(const char* word, size_t length) {
    if (static_cast<size_t>(end_ - at_) < length || strncmp(at_, word, length) != 0) return false;
    const char* after = at_ + length;
    // json_lex reads a whole word: "truex" is an error, left to jsonb_in.
    if (after < end_ && (isalnum(static_cast<unsigned char>(*after)) || *after == '_'))
      return false;
    at_ = after;
    return true;
  }

  bool Scalar(JsonbValue* value) {
    switch (*at_) {
      case '"':
        return String(value);
      case 't':
      case 'f':
        value->type = jbvBool;
        value->val.boolean = *at_ == 't';
        return *at_ == 't' ? Literal("true", 4) : Literal("false", 5);
      case 'n':
        value->type = jbvNull;
        return Literal("null", 4);
      default:
        return Number(value);
    }
  }

  // -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?, converted by numeric_in as jsonb_in does.
  bool Number(JsonbValue* value) {
    const char* start = at_;
    const char* p = at_;
    auto digits = [&p, this] {
      const char* first = p;
      while (p < end_ && *p >= '0' && *p <= '9') ++p;
      return p > first;
    };
    if (p < end_ && *p == '-') ++p;
    if (p < end_ && *p == '0') {
      ++p;
    } else if (!digits()) {
      return false;
    }
    if (p < end_ && *p == '.') {
      ++p;
      if (!digits()) return false;
    }
    if (p < end_ && (*p == 'e' || *p == 'E')) {
      ++p;
      if (p < end_ && (*p == '+' || *p == '-')) ++p;
      if (!digits()) return false;
    }
    if (p < end_ && (isalnum(static_cast<unsigned char>(*p)) || *p == '_' || *p == '.'))
      return false;  // "01", "1.2.3": jsonb_in reports them
    at_ = p;
    char* literal = pnstrdup(start, static_cast<Size>(p - start));
    value->type = jbvNumeric;
    value->val.numeric = DatumGetNumeric(DirectFunctionCall3(
        numeric_in, CStringGetDatum(literal), ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1)));
    return true;
  }

  const char* at_;
  const char* end_;
  JsonbParseState* state_ = nullptr;
};

// Converts one cell to a Datum of the column's type. Runs under CallPg.
Datum ToDatum(const Cell& cell, Oid type) {
  switch (cell.kind) {
    case Cell::Kind::kText:
      if (type == JSONBOID) return JsonbFromText(cell.text);
      if (type == NAMEOID) return DirectFunctionCall1(namein, CStringGetDatum(cell.text.c_str()));
      if (type == TEXTOID) return CStringGetTextDatum(cell.text.c_str());
      {
        // Any other column type: its input function (a text Datum there would be garbage).
        Oid input = InvalidOid;
        Oid io_param = InvalidOid;
        getTypeInputInfo(type, &input, &io_param);
        return OidInputFunctionCall(input, const_cast<char*>(cell.text.c_str()), io_param, -1);
      }
    case Cell::Kind::kJson:
      return JsonbFromText(cell.text);
    case Cell::Kind::kTextArray: {
      int count = static_cast<int>(cell.array.size());
      Datum* elements = static_cast<Datum*>(palloc(sizeof(Datum) * (count + 1)));
      for (int i = 0; i < count; ++i) elements[i] = CStringGetTextDatum(cell.array[i].c_str());
      return PointerGetDatum(construct_array(elements, count, TEXTOID, -1, false, TYPALIGN_INT));
    }
    case Cell::Kind::kInt:
      if (type == INT4OID) return Int32GetDatum(static_cast<int32>(cell.integer));
      if (type == OIDOID) return ObjectIdGetDatum(static_cast<Oid>(cell.integer));
      if (type == FLOAT8OID) return Float8GetDatum(static_cast<double>(cell.integer));
      return Int64GetDatum(cell.integer);
    case Cell::Kind::kFloat:
      if (type == INT8OID) return Int64GetDatum(static_cast<int64>(cell.real));
      return Float8GetDatum(cell.real);
    case Cell::Kind::kBool:
      return BoolGetDatum(cell.boolean);
    case Cell::Kind::kTimestamp:
      return TimestampTzGetDatum(cell.integer);
    case Cell::Kind::kNull:
      break;
  }
  return (Datum)0;
}

}  // namespace

bool TryBuildJsonb(const std::string& json, Datum* result) {
  return JsonbBuilder(json.data(), json.size()).Build(result);
}

Datum JsonbFromText(const std::string& json) {
  Datum result;
  if (TryBuildJsonb(json, &result)) return result;
  return DirectFunctionCall1(jsonb_in, CStringGetDatum(json.c_str()));
}

ResultSet::ResultSet(FunctionCallInfo fcinfo) : fcinfo_(fcinfo) {
  CallPg([&] {
    InitMaterializedSRF(fcinfo, 0);
    row_context_ =
        AllocSetContextCreate(CurrentMemoryContext, "dbopt result row", ALLOCSET_SMALL_SIZES);
  });
}

void ResultSet::AddRow(const std::vector<Cell>& cells) {
  CallPg([&] {
    ReturnSetInfo* rsinfo = reinterpret_cast<ReturnSetInfo*>(fcinfo_->resultinfo);
    TupleDesc desc = rsinfo->setDesc;
    if (static_cast<int>(cells.size()) != desc->natts)
      elog(ERROR, "dbopt: row has %d values, result has %d columns", static_cast<int>(cells.size()),
           desc->natts);
    MemoryContext old = MemoryContextSwitchTo(row_context_);
    Datum* values = static_cast<Datum*>(palloc0(sizeof(Datum) * desc->natts));
    bool* nulls = static_cast<bool*>(palloc0(sizeof(bool) * desc->natts));
    for (int i = 0; i < desc->natts; ++i) {
      nulls[i] = cells[i].kind == Cell::Kind::kNull;
      if (!nulls[i]) values[i] = ToDatum(cells[i], TupleDescAttr(desc, i)->atttypid);
    }
    tuplestore_putvalues(rsinfo->setResult, desc, values, nulls);
    MemoryContextSwitchTo(old);
    MemoryContextReset(row_context_);
  });
}

void ResultSet::AddFinding(const Finding& finding) {
  AddRow({Cell::Text(finding.check_id), Cell::Text(SeverityName(finding.severity)),
          Cell::Text(finding.object_type), Cell::Text(finding.object_name),
          Cell::Text(finding.message), Cell::Json(finding.detail_json),
          Cell::Array(finding.remediation), Cell::Array(finding.revert)});
}

}  // namespace dbopt::pg
