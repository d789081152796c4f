// Core headers before the server's (pg/result_set.hpp includes them).
#include "core/common/json_text.hpp"
#include "pg/result_set.hpp"

#include <algorithm>
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

// Builds jsonb from JSON text as jsonb_in makes it, for the JSON dbopt's JsonWriter prints:
// objects, arrays, strings with the short escapes, numbers, true/false/null. It declines
// (returns false) on anything else -- \u escapes, raw control characters, a top-level
// scalar, malformed text, deep nesting -- and the caller falls back to jsonb_in, which
// handles (or rejects) it as before. jsonb_in feeds pushJsonbValue, which collects the same
// tree of JsonbValues this builds and sorts each object's keys on the way (qsort per object,
// the larger part of its cost); here the keys are put in jsonb's order (shorter first, then
// bytewise; of equal keys the last one written wins) by an insertion sort, which is quick on
// the few keys of an evidence object, and the tree goes to JsonbValueToJsonb as pushJsonbValue's
// would. Runs under CallPg: no C++ objects, everything palloc'd in CurrentMemoryContext.
class JsonbBuilder {
 public:
  JsonbBuilder(const char* text, size_t length) : at_(text), end_(text + length) {}

  bool Build(Datum* result) {
    SkipSpace();
    if (at_ == end_ || (*at_ != '{' && *at_ != '[')) return false;
    JsonbValue root;
    if (!Container(0, &root)) return false;
    SkipSpace();
    if (at_ != end_) return false;
    *result = JsonbPGetDatum(JsonbValueToJsonb(&root));
    return true;
  }

  // One value of any kind (a tape's raw item or number), the whole text.
  bool BuildValue(JsonbValue* value) {
    SkipSpace();
    if (at_ == end_) return false;
    if (*at_ == '{' || *at_ == '[') {
      if (!Container(1, value)) return false;
    } else if (!Scalar(value)) {
      return false;
    }
    SkipSpace();
    return at_ == end_;
  }

  static constexpr int kMaxDepth = 64;

  // Room for one more element in a palloc'd array of `count` used out of `*capacity`.
  template <typename T>
  static T* Grow(T* items, int count, int* capacity) {
    if (count < *capacity) return items;
    *capacity = *capacity == 0 ? 8 : *capacity * 2;
    const Size size = sizeof(T) * static_cast<Size>(*capacity);
    return static_cast<T*>(items == nullptr ? palloc(size) : repalloc(items, size));
  }

 private:
  void SkipSpace() {
    while (at_ < end_ && (*at_ == ' ' || *at_ == '\n' || *at_ == '\r' || *at_ == '\t')) ++at_;
  }

  // jsonb's key order (lengthCompareJsonbStringValue): length first, then bytes.
 public:
  static int CompareKeys(const JsonbValue& a, const JsonbValue& b) {
    if (a.val.string.len != b.val.string.len) return a.val.string.len < b.val.string.len ? -1 : 1;
    return memcmp(a.val.string.val, b.val.string.val, a.val.string.len);
  }

  // Sorts the pairs stably by key and keeps the last of equal keys, as pushJsonbValue's
  // uniqueifyJsonbObject does (its `order` tie-break).
  static int SortAndUnify(JsonbPair* pairs, int count) {
    for (int i = 1; i < count; ++i) {
      const JsonbPair pair = pairs[i];
      int j = i;
      for (; j > 0 && CompareKeys(pairs[j - 1].key, pair.key) > 0; --j) pairs[j] = pairs[j - 1];
      pairs[j] = pair;
    }
    int kept = 0;
    for (int i = 0; i < count; ++i) {
      if (i + 1 < count && CompareKeys(pairs[i].key, pairs[i + 1].key) == 0) continue;
      pairs[kept++] = pairs[i];
    }
    return kept;
  }

 private:
  // An object or array at at_, into *value.
  bool Container(int depth, JsonbValue* value) {
    if (depth > kMaxDepth) return false;
    const bool object = *at_ == '{';
    const char close = object ? '}' : ']';
    ++at_;
    JsonbPair* pairs = nullptr;
    JsonbValue* elements = nullptr;
    int count = 0;
    int capacity = 0;
    SkipSpace();
    if (at_ < end_ && *at_ == close) {
      ++at_;
    } else {
      for (;;) {
        JsonbValue* item = nullptr;
        if (object) {
          pairs = Grow(pairs, count, &capacity);
          JsonbPair& pair = pairs[count];
          pair.order = static_cast<uint32>(count);
          if (at_ == end_ || *at_ != '"' || !String(&pair.key)) return false;
          SkipSpace();
          if (at_ == end_ || *at_ != ':') return false;
          ++at_;
          SkipSpace();
          item = &pair.value;
        } else {
          elements = Grow(elements, count, &capacity);
          item = &elements[count];
        }
        ++count;
        if (at_ == end_) return false;
        if (*at_ == '{' || *at_ == '[') {
          if (!Container(depth + 1, item)) return false;
        } else if (!Scalar(item)) {
          return false;
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
        break;
      }
    }
    if (object) {
      if (count > static_cast<int>(JB_CMASK)) return false;
      value->type = jbvObject;
      value->val.object.nPairs = SortAndUnify(pairs, count);
      value->val.object.pairs = pairs;
    } else {
      if (count > static_cast<int>(JB_CMASK)) return false;
      value->type = jbvArray;
      value->val.array.nElems = count;
      value->val.array.elems = elements;
      value->val.array.rawScalar = false;
    }
    return true;
  }

  // A string at at_ (the opening quote). Points into the text when it has no escapes.
  bool String(JsonbValue* value) {
    const char* start = ++at_;
    bool escaped = false;
    for (;;) {
      at_ += JsonPlainLength(at_, end_);  // plain characters, most of every string
      if (at_ == end_ || *at_ == '"') break;
      const unsigned char c = static_cast<unsigned char>(*at_);
      if (c < 0x20) return false;
      // A backslash: skip the escaped character.
      if (at_ + 1 == end_) return false;
      escaped = true;
      at_ += 2;
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
    value->type = jbvNumeric;
    // Integers (most evidence numbers) without numeric_in's parser: the same value, scale 0,
    // and the same bytes once make_result has normalized it.
    const bool negative = *start == '-';
    const char* digit = negative ? start + 1 : start;
    if (p - digit <= 18 && std::all_of(digit, p, [](char c) { return c >= '0' && c <= '9'; })) {
      int64 integer = 0;
      for (; digit < p; ++digit) integer = integer * 10 + (*digit - '0');
      value->val.numeric = int64_to_numeric(negative ? -integer : integer);
      return true;
    }
    char* literal = pnstrdup(start, static_cast<Size>(p - start));
    value->val.numeric = DatumGetNumeric(DirectFunctionCall3(
        numeric_in, CStringGetDatum(literal), ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1)));
    return true;
  }

  const char* at_;
  const char* end_;
};

// Builds jsonb from a JSON tape (core/common/sql_text.hpp) as jsonb_in makes it from the text
// JsonTapeToText gives: the same JsonbValue tree JsonbBuilder builds from that text, without
// the text. Strings point into the tape (raw already: nothing to scan or unescape); integers
// of up to 18 digits through int64_to_numeric, longer ones, like numbers given as text and
// raw items, through JsonbBuilder as the text would go. Declines (false) on a tape it does not
// understand or a value jsonb_in would have to decide; the caller then takes the text path.
// Runs under CallPg: no C++ objects, everything palloc'd in CurrentMemoryContext.
class JsonbTapeBuilder {
 public:
  JsonbTapeBuilder(const char* tape, size_t length) : at_(tape), end_(tape + length) {}

  bool Build(Datum* result) {
    if (at_ == end_ || (*at_ != json_tape::kBeginObject && *at_ != json_tape::kBeginArray))
      return false;
    JsonbValue root;
    if (!Value(0, &root) || at_ != end_) return false;
    *result = JsonbPGetDatum(JsonbValueToJsonb(&root));
    return true;
  }

 private:
  bool Bytes(const char** bytes, uint32* length) {
    if (static_cast<size_t>(end_ - at_) < sizeof *length) return false;
    memcpy(length, at_, sizeof *length);
    at_ += sizeof *length;
    if (static_cast<size_t>(end_ - at_) < *length) return false;
    *bytes = at_;
    at_ += *length;
    return true;
  }

  bool String(JsonbValue* value) {
    const char* bytes = nullptr;
    uint32 length = 0;
    if (!Bytes(&bytes, &length) || length > JENTRY_OFFLENMASK) return false;
    // jsonb_in refuses \u0000 (the text path would have written a NUL that way); and text
    // never reaches the server with one, so this does not happen.
    if (memchr(bytes, '\0', length) != nullptr) return false;
    value->type = jbvString;
    value->val.string.val = const_cast<char*>(bytes);
    value->val.string.len = static_cast<int>(length);
    return true;
  }

  bool Value(int depth, JsonbValue* value) {
    if (at_ == end_) return false;
    const char tag = *at_++;
    switch (tag) {
      case json_tape::kBeginObject:
      case json_tape::kBeginArray:
        return Container(depth, tag == json_tape::kBeginObject, value);
      case json_tape::kString:
        return String(value);
      case json_tape::kInteger: {
        int64 integer = 0;
        if (static_cast<size_t>(end_ - at_) < sizeof integer) return false;
        memcpy(&integer, at_, sizeof integer);
        at_ += sizeof integer;
        value->type = jbvNumeric;
        if (integer >= 0 && integer < kSmallIntegers) {
          value->val.numeric = SmallInteger(static_cast<int>(integer));
          return true;
        }
        if (integer > -1000000000000000000LL && integer < 1000000000000000000LL) {
          value->val.numeric = int64_to_numeric(integer);  // as JsonbBuilder::Number does
          return true;
        }
        char digits[32];
        const int length = snprintf(digits, sizeof digits, INT64_FORMAT, integer);
        return JsonbBuilder(digits, static_cast<size_t>(length)).BuildValue(value) &&
               value->type == jbvNumeric;
      }
      case json_tape::kNumberText:
      case json_tape::kRaw: {
        const char* bytes = nullptr;
        uint32 length = 0;
        if (!Bytes(&bytes, &length)) return false;
        if (tag == json_tape::kRaw && LastRawNumber(bytes, length, value)) return true;
        // A raw item nests no deeper than the depth limit allows either (JsonbBuilder counts
        // from 1 here).
        if (depth + 1 > JsonbBuilder::kMaxDepth) return false;
        if (!JsonbBuilder(bytes, length).BuildValue(value)) return false;
        if (tag == json_tape::kRaw) RememberRawNumber(bytes, length, *value);
        return true;
      }
      case json_tape::kTrue:
      case json_tape::kFalse:
        value->type = jbvBool;
        value->val.boolean = tag == json_tape::kTrue;
        return true;
      case json_tape::kNull:
        value->type = jbvNull;
        return true;
      default:
        return false;
    }
  }

  // Numerics of the integers evidence holds most (counts and pages, mostly 0 and 1), made
  // once per backend: int64_to_numeric built a new one for each. Values, never changed
  // (JsonbValueToJsonb copies their bytes).
  static constexpr int kSmallIntegers = 256;
  static Numeric SmallInteger(int integer) {
    static Numeric made[kSmallIntegers];
    if (made[integer] == nullptr) {
      MemoryContext old = MemoryContextSwitchTo(TopMemoryContext);
      made[integer] = int64_to_numeric(integer);
      MemoryContextSwitchTo(old);
    }
    return made[integer];
  }

  // The numeric of the last raw number item, by its text (the statistics' age in every
  // index_unused evidence object: numeric_in once, not 13,000 times).
  struct RawNumber {
    char* text = nullptr;
    uint32 length = 0;
    Numeric numeric = nullptr;
  };
  static RawNumber& LastRaw() {
    static RawNumber last;
    return last;
  }
  static bool LastRawNumber(const char* bytes, uint32 length, JsonbValue* value) {
    const RawNumber& last = LastRaw();
    if (last.numeric == nullptr || last.length != length || memcmp(last.text, bytes, length) != 0)
      return false;
    value->type = jbvNumeric;
    value->val.numeric = last.numeric;
    return true;
  }
  static void RememberRawNumber(const char* bytes, uint32 length, const JsonbValue& value) {
    if (value.type != jbvNumeric || length > 64) return;
    RawNumber& last = LastRaw();
    MemoryContext old = MemoryContextSwitchTo(TopMemoryContext);
    char* text = static_cast<char*>(palloc(length + 1));
    const Size size = VARSIZE(value.val.numeric);
    Numeric numeric = static_cast<Numeric>(palloc(size));
    MemoryContextSwitchTo(old);
    memcpy(text, bytes, length);
    memcpy(numeric, value.val.numeric, size);
    if (last.text != nullptr) pfree(last.text);
    if (last.numeric != nullptr) pfree(last.numeric);
    last.text = text;
    last.length = length;
    last.numeric = numeric;
  }

  bool Container(int depth, bool object, JsonbValue* value) {
    if (depth > JsonbBuilder::kMaxDepth) return false;
    const char close = object ? json_tape::kEndObject : json_tape::kEndArray;
    JsonbPair* pairs = nullptr;
    JsonbValue* elements = nullptr;
    int count = 0;
    int capacity = 0;
    for (;;) {
      if (at_ == end_) return false;
      if (*at_ == close) {
        ++at_;
        break;
      }
      JsonbValue* item = nullptr;
      if (object) {
        pairs = JsonbBuilder::Grow(pairs, count, &capacity);
        JsonbPair& pair = pairs[count];
        pair.order = static_cast<uint32>(count);
        if (*at_++ != json_tape::kKey || !String(&pair.key)) return false;
        item = &pair.value;
      } else {
        elements = JsonbBuilder::Grow(elements, count, &capacity);
        item = &elements[count];
      }
      ++count;
      if (!Value(depth + 1, item)) return false;
    }
    if (count > static_cast<int>(JB_CMASK)) return false;
    if (object) {
      value->type = jbvObject;
      value->val.object.nPairs = JsonbBuilder::SortAndUnify(pairs, count);
      value->val.object.pairs = pairs;
    } else {
      value->type = jbvArray;
      value->val.array.nElems = count;
      value->val.array.elems = elements;
      value->val.array.rawScalar = false;
    }
    return true;
  }

  const char* at_;
  const char* end_;
};

// JsonbFromText of `length` bytes at `json`, followed by a NUL.
Datum JsonbFrom(const char* json, size_t length) {
  Datum result;
  if (JsonbBuilder(json, length).Build(&result)) return result;
  return DirectFunctionCall1(jsonb_in, CStringGetDatum(json));
}

// Text of `length` bytes (followed by a NUL) as a value of the column's type. Runs under CallPg.
Datum TextDatum(const char* text, size_t length, Oid type) {
  if (type == TEXTOID) return PointerGetDatum(cstring_to_text_with_len(text, length));
  if (type == JSONBOID) return JsonbFrom(text, length);
  // The others need a C string (`text` always ends with one).
  if (type == NAMEOID) return DirectFunctionCall1(namein, CStringGetDatum(text));
  // Any other column type: its input function (a text Datum there would be garbage).
  Oid input = InvalidOid;
  Oid io_param = InvalidOid;
  getTypeInputInfo(type, &input, &io_param);
  return OidInputFunctionCall(input, const_cast<char*>(text), io_param, -1);
}

Datum TextArrayDatum(const std::vector<std::string>& values) {
  const int count = static_cast<int>(values.size());
  Datum* elements = static_cast<Datum*>(palloc(sizeof(Datum) * (count + 1)));
  for (int i = 0; i < count; ++i)
    elements[i] = PointerGetDatum(cstring_to_text_with_len(values[i].data(), values[i].size()));
  return PointerGetDatum(construct_array(elements, count, TEXTOID, -1, false, TYPALIGN_INT));
}

// Converts one cell to a Datum of the column's type. Runs under CallPg.
Datum ToDatum(const Cell& cell, Oid type) {
  switch (cell.kind) {
    case Cell::Kind::kText:
      return TextDatum(cell.text.c_str(), cell.text.size(), type);
    case Cell::Kind::kJson:
      return JsonbFromText(cell.text);
    case Cell::Kind::kTextArray:
      return TextArrayDatum(cell.array);
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

// Stores one row of `count` values: value(i, type, &datum) fills column i (of that type) and
// returns false for NULL. Runs it under CallPg, allocating in `row_context`, reset after.
template <typename Value>
void PutRow(FunctionCallInfo fcinfo, MemoryContext row_context, size_t count, Value&& value) {
  CallPg([&] {
    ReturnSetInfo* rsinfo = reinterpret_cast<ReturnSetInfo*>(fcinfo->resultinfo);
    TupleDesc desc = rsinfo->setDesc;
    if (static_cast<int>(count) != desc->natts)
      elog(ERROR, "dbopt: row has %d values, result has %d columns", static_cast<int>(count),
           desc->natts);
    MemoryContext old = MemoryContextSwitchTo(row_context);
    Datum* values = static_cast<Datum*>(palloc0(sizeof(Datum) * desc->natts));
    bool* nulls = static_cast<bool*>(palloc0(sizeof(bool) * desc->natts));
    for (int i = 0; i < desc->natts; ++i)
      nulls[i] = !value(i, TupleDescAttr(desc, i)->atttypid, &values[i]);
    tuplestore_putvalues(rsinfo->setResult, desc, values, nulls);
    MemoryContextSwitchTo(old);
    MemoryContextReset(row_context);
  });
}

}  // namespace

bool BuildJsonbFromTape(const std::string& tape, Datum* result) {
  return JsonbTapeBuilder(tape.data(), tape.size()).Build(result);
}

bool TryBuildJsonb(const std::string& json, Datum* result) {
  return JsonbBuilder(json.data(), json.size()).Build(result);
}

Datum JsonbFromText(const std::string& json) {
  return JsonbFrom(json.c_str(), json.size());
}

ResultSet::ResultSet(FunctionCallInfo fcinfo) : fcinfo_(fcinfo) {
  CallPg([&] {
    InitMaterializedSRF(fcinfo, 0);
    row_context_ =
        // An 8 kB first block, kept across resets: a finding's row (its text, arrays and the
        // evidence jsonb with the JsonbValue tree it is built from) fits in it, so rows allocate
        // without a malloc each (a small context's 1 kB block overflowed on every row).
        AllocSetContextCreate(CurrentMemoryContext, "dbopt result row", ALLOCSET_DEFAULT_SIZES);
  });
}

void ResultSet::AllowMemory(size_t bytes) {
  // A result of at most 256 MB stays in memory; beyond that the file is the better place.
  constexpr size_t kMaxKilobytes = 256 * 1024;
  const size_t kilobytes = std::min(bytes / 1024 + 1, kMaxKilobytes);
  if (has_rows_ || kilobytes <= static_cast<size_t>(work_mem)) return;
  CallPg([&] {
    // The empty store InitMaterializedSRF made, replaced by one with the larger allowance.
    ReturnSetInfo* rsinfo = reinterpret_cast<ReturnSetInfo*>(fcinfo_->resultinfo);
    MemoryContext old = MemoryContextSwitchTo(rsinfo->econtext->ecxt_per_query_memory);
    const bool random_access = (rsinfo->allowedModes & SFRM_Materialize_Random) != 0;
    tuplestore_end(rsinfo->setResult);
    rsinfo->setResult = tuplestore_begin_heap(random_access, false, static_cast<int>(kilobytes));
    MemoryContextSwitchTo(old);
  });
}

size_t ResultSet::RowBytes(const std::vector<Finding>& findings) {
  size_t bytes = 0;
  for (const Finding& finding : findings) {
    // jsonb takes about twice its JSON text on these small objects; each row has a header,
    // array headers and the allocator's rounding (tuples are palloc'd one by one).
    bytes += 256 + finding.check_id.size() + finding.object_type.size() +
             finding.object_name.size() + finding.message.size() +
             2 * (finding.detail_json.size() + finding.detail_tape.size());
    for (const std::string& statement : finding.remediation) bytes += 8 + statement.size();
    for (const std::string& statement : finding.revert) bytes += 8 + statement.size();
  }
  // Tuples are allocated in power-of-two chunks: about a third more on average.
  return bytes + bytes / 3;
}

void ResultSet::AddRow(const std::vector<Cell>& cells) {
  has_rows_ = true;
  PutRow(fcinfo_, row_context_, cells.size(), [&](int i, Oid type, Datum* datum) {
    if (cells[i].kind == Cell::Kind::kNull) return false;
    *datum = ToDatum(cells[i], type);
    return true;
  });
}

std::vector<Cell> FindingCells(const Finding& finding) {
  return {Cell::Text(finding.check_id),     Cell::Text(SeverityName(finding.severity)),
          Cell::Text(finding.object_type),  Cell::Text(finding.object_name),
          Cell::Text(finding.message),      Cell::Json(finding.detail_json),
          Cell::Array(finding.remediation), Cell::Array(finding.revert)};
}

void ResultSet::AddFinding(const Finding& finding) {
  has_rows_ = true;
  // The finding's strings converted where they are, without copying them into Cells first.
  const char* severity = SeverityName(finding.severity);
  const std::string* texts[] = {&finding.check_id, nullptr, &finding.object_type,
                                &finding.object_name, &finding.message};
  // Evidence given as a tape: its jsonb built first, in the row's context (reset with the row).
  Datum evidence = 0;
  bool evidence_built = false;
  if (!finding.detail_tape.empty()) {
    CallPg([&] {
      MemoryContext old = MemoryContextSwitchTo(row_context_);
      evidence_built = BuildJsonbFromTape(finding.detail_tape, &evidence);
      MemoryContextSwitchTo(old);
    });
  }
  // A tape the builder declines goes the text way (jsonb_in decides).
  const std::string tape_text = !finding.detail_tape.empty() && !evidence_built
                                    ? JsonTapeToText(finding.detail_tape)
                                    : std::string();
  const std::string& evidence_text = finding.detail_tape.empty() ? finding.detail_json : tape_text;
  PutRow(fcinfo_, row_context_, 8, [&](int i, Oid type, Datum* datum) {
    if (i == 1)
      *datum = TextDatum(severity, strlen(severity), type);
    else if (i < 5)
      *datum = TextDatum(texts[i]->c_str(), texts[i]->size(), type);
    else if (i == 5)
      *datum = evidence_built ? evidence : JsonbFromText(evidence_text);
    else
      *datum = TextArrayDatum(i == 6 ? finding.remediation : finding.revert);
    return true;
  });
}

}  // namespace dbopt::pg
