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

// Writes jsonb's binary form straight from a JSON tape (core/common/sql_text.hpp): the bytes
// jsonb_in makes of the text JsonTapeToText gives, without that text and without the
// JsonbValue tree pushJsonbValue and JsonbValueToJsonb go through. The layout is
// JsonbValueToJsonb's (utils/adt/jsonb_util.c, convertJsonbObject and friends): a container is
// its header word (count and kind), one JEntry per element (type and length; every
// JB_OFFSET_STRIDE'th, the first included, holds the end offset instead), then the elements'
// data, each container and numeric padded to 4 bytes from the start of the value; an object
// has its keys first, in jsonb's order (shorter first, then bytewise; of equal keys the last
// written wins), then their values in the same order. Strings are the tape's raw bytes;
// integers become numerics as int64_to_numeric makes them (the short form), longer ones,
// numbers given as text and raw items through JsonbBuilder as their text would go. Declines
// (false) on a tape it does not understand or a value jsonb_in would have to decide; the
// caller then takes the text path. dbopt_selftest('jsonb') compares it with jsonb_in byte for
// byte. Runs under CallPg: no C++ objects, everything palloc'd in CurrentMemoryContext.
class JsonbTapeEncoder {
 public:
  JsonbTapeEncoder(const char* tape, size_t length) : at_(tape), end_(tape + length) {}

  bool Build(Datum* result) {
    if (at_ == end_ || (*at_ != json_tape::kBeginObject && *at_ != json_tape::kBeginArray))
      return false;
    // The jsonb takes about as many bytes as the tape (a key or string's 5-byte head becomes a
    // 4-byte JEntry; integers shrink, containers grow a little).
    Reserve(VARHDRSZ + static_cast<size_t>(end_ - at_) + static_cast<size_t>(end_ - at_) / 4 + 64);
    length_ = VARHDRSZ;
    uint32 entry = 0;
    if (!Value(0, &entry) || at_ != end_) return false;
    SET_VARSIZE(data_, length_);
    *result = PointerGetDatum(data_);
    return true;
  }

 private:
  static constexpr int kMaxDepth = JsonbBuilder::kMaxDepth;

  // An object's key while its object is written: where it is, and its place in jsonb's order.
  struct Key {
    const char* bytes;
    uint32 length;
    // Length in the high half, the first 4 bytes (big-endian, zero-padded) in the low half:
    // jsonb's order up to the fifth byte in one comparison.
    uint64 prefix;
    const char* value;  // the value's first tape byte
  };

  // --- output ---
  void Reserve(size_t more) {
    if (length_ + more <= capacity_) return;
    size_t capacity = capacity_ == 0 ? 256 : capacity_;
    while (capacity < length_ + more) capacity *= 2;
    data_ = static_cast<char*>(data_ == nullptr ? palloc(capacity) : repalloc(data_, capacity));
    capacity_ = capacity;
  }
  void Append(const void* bytes, size_t length) {
    Reserve(length);
    memcpy(data_ + length_, bytes, length);
    length_ += length;
  }
  // Zero bytes up to a multiple of 4 (padBufferToInt); how many.
  uint32 PadToInt() {
    const size_t padding = INTALIGN(length_) - length_;
    Reserve(padding);
    for (size_t i = 0; i < padding; ++i) data_[length_++] = '\0';
    return static_cast<uint32>(padding);
  }

  // --- tape ---
  bool Bytes(const char** bytes, uint32* length) {
    if (static_cast<size_t>(end_ - at_) < sizeof *length) return false;
    memcpy(length, at_, sizeof *length);
    at_ += sizeof *length;
    if (static_cast<size_t>(end_ - at_) < *length) return false;
    *bytes = at_;
    at_ += *length;
    return true;
  }
  // A string's or key's bytes as jsonb keeps them: jsonb_in refuses \u0000 (the text path
  // would have written a NUL that way; text never reaches the server with one).
  bool StringBytes(const char** bytes, uint32* length) {
    return Bytes(bytes, length) && *length <= JENTRY_OFFLENMASK &&
           memchr(*bytes, '\0', *length) == nullptr;
  }

  // Steps over one value (for an object's first pass and an array's count).
  bool Skip(int depth) {
    if (at_ == end_) return false;
    const char tag = *at_++;
    const char* bytes = nullptr;
    uint32 length = 0;
    switch (tag) {
      case json_tape::kBeginObject:
      case json_tape::kBeginArray: {
        if (depth > kMaxDepth) return false;
        const char close =
            tag == json_tape::kBeginObject ? json_tape::kEndObject : json_tape::kEndArray;
        for (;;) {
          if (at_ == end_) return false;
          if (*at_ == close) {
            ++at_;
            return true;
          }
          if (tag == json_tape::kBeginObject &&
              (*at_++ != json_tape::kKey || !Bytes(&bytes, &length)))
            return false;
          if (!Skip(depth + 1)) return false;
        }
      }
      case json_tape::kString:
      case json_tape::kNumberText:
      case json_tape::kRaw:
        return Bytes(&bytes, &length);
      case json_tape::kInteger:
        if (static_cast<size_t>(end_ - at_) < sizeof(int64)) return false;
        at_ += sizeof(int64);
        return true;
      case json_tape::kTrue:
      case json_tape::kFalse:
      case json_tape::kNull:
        return true;
      default:
        return false;
    }
  }

  // --- values ---
  // Writes the value at at_ and sets *entry to its JEntry (type and length, no offset).
  bool Value(int depth, uint32* entry) {
    if (at_ == end_) return false;
    const char tag = *at_++;
    switch (tag) {
      case json_tape::kBeginObject:
        return Object(depth, entry);
      case json_tape::kBeginArray:
        return Array(depth, entry);
      case json_tape::kString: {
        const char* bytes = nullptr;
        uint32 length = 0;
        if (!StringBytes(&bytes, &length)) return false;
        Append(bytes, length);
        *entry = JENTRY_ISSTRING | length;
        return true;
      }
      case json_tape::kInteger: {
        int64 integer = 0;
        if (static_cast<size_t>(end_ - at_) < sizeof integer) return false;
        memcpy(&integer, at_, sizeof integer);
        at_ += sizeof integer;
        if (integer > -1000000000000000000LL && integer < 1000000000000000000LL) {
          Integer(integer, entry);  // as JsonbBuilder::Number does, through int64_to_numeric
          return true;
        }
        char digits[32];
        const int length = snprintf(digits, sizeof digits, INT64_FORMAT, integer);
        JsonbValue value;
        return JsonbBuilder(digits, static_cast<size_t>(length)).BuildValue(&value) &&
               value.type == jbvNumeric && JsonbValueEntry(value, depth, entry);
      }
      case json_tape::kNumberText:
      case json_tape::kRaw: {
        const char* bytes = nullptr;
        uint32 length = 0;
        if (!Bytes(&bytes, &length)) return false;
        JsonbValue value;
        if (tag == json_tape::kRaw && LastRawNumber(bytes, length, &value))
          return JsonbValueEntry(value, depth, entry);
        // A raw item nests no deeper than the depth limit allows either (JsonbBuilder counts
        // from 1 here).
        if (depth + 1 > kMaxDepth) return false;
        if (!JsonbBuilder(bytes, length).BuildValue(&value)) return false;
        if (tag == json_tape::kRaw) RememberRawNumber(bytes, length, value);
        return JsonbValueEntry(value, depth, entry);
      }
      case json_tape::kTrue:
        *entry = JENTRY_ISBOOL_TRUE;
        return true;
      case json_tape::kFalse:
        *entry = JENTRY_ISBOOL_FALSE;
        return true;
      case json_tape::kNull:
        *entry = JENTRY_ISNULL;
        return true;
      default:
        return false;
    }
  }

  // A numeric's bytes (as they are: a 4-byte header), padded like convertJsonbScalar does.
  void NumericEntry(const void* numeric, uint32 size, uint32* entry) {
    const uint32 padding = PadToInt();
    Append(numeric, size);
    *entry = JENTRY_ISNUMERIC | (padding + size);
  }

  // int64_to_numeric's value, written without building it: base-10000 digits, most
  // significant first, trailing zero digits dropped (make_result), in the short format
  // (dscale 0, weight = digits before the point - 1; zero has no digits and weight 0).
  void Integer(int64 integer, uint32* entry) {
    constexpr uint16 kShort = 0x8000;          // NUMERIC_SHORT
    constexpr uint16 kShortNegative = 0x2000;  // NUMERIC_SHORT_SIGN_MASK
    constexpr uint16 kShortWeightMask = 0x003F;
    uint64 magnitude =
        integer < 0 ? 0 - static_cast<uint64>(integer) : static_cast<uint64>(integer);
    int16 digits[5];  // below 1e18: at most 5 base-10000 digits
    int count = 0;
    while (magnitude != 0) {
      digits[4 - count++] = static_cast<int16>(magnitude % 10000);
      magnitude /= 10000;
    }
    const int weight = count == 0 ? 0 : count - 1;
    int kept = count;
    while (kept > 0 && digits[5 - count + kept - 1] == 0) --kept;
    struct {
      uint32 varlena_header;
      uint16 numeric_header;
      int16 digits[5];
    } numeric;
    const uint32 size = VARHDRSZ + sizeof(uint16) + sizeof(int16) * static_cast<uint32>(kept);
    SET_VARSIZE(&numeric, size);
    numeric.numeric_header = static_cast<uint16>(kShort | (integer < 0 ? kShortNegative : 0) |
                                                 (weight & kShortWeightMask));
    memcpy(numeric.digits, digits + 5 - count, sizeof(int16) * static_cast<size_t>(kept));
    NumericEntry(&numeric, size, entry);
  }

  // A JsonbValue (of a raw item or number text): scalars as convertJsonbScalar writes them, a
  // container as JsonbValueToJsonb makes it, its root copied (4-byte aligned there and here,
  // so its inner padding stays right).
  bool JsonbValueEntry(const JsonbValue& value, int depth, uint32* entry) {
    switch (value.type) {
      case jbvNull:
        *entry = JENTRY_ISNULL;
        return true;
      case jbvBool:
        *entry = value.val.boolean ? JENTRY_ISBOOL_TRUE : JENTRY_ISBOOL_FALSE;
        return true;
      case jbvString:
        if (static_cast<uint32>(value.val.string.len) > JENTRY_OFFLENMASK) return false;
        Append(value.val.string.val, static_cast<size_t>(value.val.string.len));
        *entry = JENTRY_ISSTRING | static_cast<uint32>(value.val.string.len);
        return true;
      case jbvNumeric:
        NumericEntry(value.val.numeric, static_cast<uint32>(VARSIZE_ANY(value.val.numeric)), entry);
        return true;
      case jbvObject:
      case jbvArray: {
        if (depth > kMaxDepth) return false;
        const Jsonb* jsonb = JsonbValueToJsonb(const_cast<JsonbValue*>(&value));
        const size_t start = length_;
        PadToInt();
        Append(&jsonb->root, VARSIZE(jsonb) - VARHDRSZ);
        const size_t total = length_ - start;
        if (total > JENTRY_OFFLENMASK) return false;
        *entry = JENTRY_ISCONTAINER | static_cast<uint32>(total);
        return true;
      }
      default:
        return false;
    }
  }

  // Stores an element's JEntry at `slot` (a byte position in data_): the end offset of the
  // container's data so far on every JB_OFFSET_STRIDE'th element, its length otherwise.
  bool PutEntry(size_t slot, int index, uint32 entry, uint32* total) {
    *total += JBE_OFFLENFLD(entry);
    if (*total > JENTRY_OFFLENMASK) return false;
    if (index % JB_OFFSET_STRIDE == 0) entry = (entry & JENTRY_TYPEMASK) | *total | JENTRY_HAS_OFF;
    memcpy(data_ + slot, &entry, sizeof entry);
    return true;
  }

  // The container's header word and room for its JEntries; the first JEntry's position.
  size_t Header(uint32 header, int entries) {
    Append(&header, sizeof header);
    const size_t slots = length_;
    Reserve(sizeof(JEntry) * static_cast<size_t>(entries));
    length_ += sizeof(JEntry) * static_cast<size_t>(entries);
    return slots;
  }

  bool Array(int depth, uint32* entry) {
    if (depth > kMaxDepth) return false;
    // Counted first: the header and the JEntries come before the elements' data.
    const char* first = at_;
    int count = 0;
    while (at_ < end_ && *at_ != json_tape::kEndArray) {
      if (!Skip(depth + 1)) return false;
      ++count;
    }
    if (at_ == end_ || count > static_cast<int>(JB_CMASK)) return false;
    at_ = first;
    const size_t start = length_;
    PadToInt();
    size_t slot = Header(static_cast<uint32>(count) | JB_FARRAY, count);
    uint32 total = 0;
    for (int i = 0; i < count; ++i, slot += sizeof(JEntry)) {
      uint32 element = 0;
      if (!Value(depth + 1, &element) || !PutEntry(slot, i, element, &total)) return false;
    }
    ++at_;  // kEndArray
    return Finish(start, entry);
  }

  bool Finish(size_t start, uint32* entry) {
    const size_t total = length_ - start;
    if (total > JENTRY_OFFLENMASK) return false;
    *entry = JENTRY_ISCONTAINER | static_cast<uint32>(total);
    return true;
  }

  static uint64 Prefix(const char* bytes, uint32 length) {
    uint32 head = 0;
    for (uint32 i = 0; i < 4; ++i)
      head = (head << 8) | (i < length ? static_cast<unsigned char>(bytes[i]) : 0u);
    return (static_cast<uint64>(length) << 32) | head;
  }
  // jsonb's key order (lengthCompareJsonbStringValue).
  static int Compare(const Key& a, const Key& b) {
    if (a.prefix != b.prefix) return a.prefix < b.prefix ? -1 : 1;
    return a.length <= 4 ? 0 : memcmp(a.bytes + 4, b.bytes + 4, a.length - 4);
  }

  bool Object(int depth, uint32* entry) {
    if (depth > kMaxDepth) return false;
    // First pass: the keys and where their values are. They live in keys_ from `base` on while
    // this object is written (a nested object's keys go above them).
    const size_t base = key_count_;
    while (at_ < end_ && *at_ != json_tape::kEndObject) {
      Key key;
      if (*at_++ != json_tape::kKey || !StringBytes(&key.bytes, &key.length)) return false;
      key.prefix = Prefix(key.bytes, key.length);
      key.value = at_;
      if (!Skip(depth + 1)) return false;
      PushKey(key);
    }
    if (at_ == end_) return false;
    const char* after = at_ + 1;
    // Sorted stably (insertion: an evidence object has a dozen keys), then of equal keys the
    // last one kept, as pushJsonbValue's uniqueifyJsonbObject does.
    Key* keys = keys_ + base;
    int count = static_cast<int>(key_count_ - base);
    for (int i = 1; i < count; ++i) {
      const Key key = keys[i];
      int j = i;
      for (; j > 0 && Compare(keys[j - 1], key) > 0; --j) keys[j] = keys[j - 1];
      keys[j] = key;
    }
    int kept = 0;
    for (int i = 0; i < count; ++i) {
      if (i + 1 < count && Compare(keys[i], keys[i + 1]) == 0) continue;
      keys[kept++] = keys[i];
    }
    count = kept;
    if (count > static_cast<int>(JB_CMASK)) return false;

    const size_t start = length_;
    PadToInt();
    size_t slot = Header(static_cast<uint32>(count) | JB_FOBJECT, 2 * count);
    uint32 total = 0;
    for (int i = 0; i < count; ++i, slot += sizeof(JEntry)) {
      const Key& key = keys_[base + i];
      Append(key.bytes, key.length);
      if (!PutEntry(slot, i, JENTRY_ISSTRING | key.length, &total)) return false;
    }
    for (int i = 0; i < count; ++i, slot += sizeof(JEntry)) {
      at_ = keys_[base + i].value;  // keys_ may move while nested objects are written
      uint32 value = 0;
      if (!Value(depth + 1, &value) || !PutEntry(slot, i + count, value, &total)) return false;
    }
    key_count_ = base;
    at_ = after;
    return Finish(start, entry);
  }

  void PushKey(const Key& key) {
    if (key_count_ == key_capacity_) {
      key_capacity_ = key_capacity_ == 0 ? 32 : key_capacity_ * 2;
      const Size size = sizeof(Key) * key_capacity_;
      keys_ = static_cast<Key*>(keys_ == nullptr ? palloc(size) : repalloc(keys_, size));
    }
    keys_[key_count_++] = key;
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

  const char* at_;
  const char* end_;
  char* data_ = nullptr;
  size_t length_ = 0;
  size_t capacity_ = 0;
  Key* keys_ = nullptr;
  size_t key_count_ = 0;
  size_t key_capacity_ = 0;
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

}  // namespace

Datum TextArrayDatum(const std::vector<std::string>& values) {
  // The array construct_array makes of the values' text datums (a one-dimensional text[]
  // without nulls: header, dimension and lower bound, then each element's 4-byte varlena
  // header and bytes, padded to 4 with zeros), written in one allocation.
  const size_t count = values.size();
  size_t bytes = ARR_OVERHEAD_NONULLS(1);
  for (const std::string& value : values) bytes += INTALIGN(VARHDRSZ + value.size());
  if (count == 0 || count > static_cast<size_t>(MaxArraySize) || bytes > MaxAllocSize) {
    // No elements: construct_array's empty array. Too many or too large: its error.
    Datum* elements = static_cast<Datum*>(palloc(sizeof(Datum) * (count + 1)));
    for (size_t i = 0; i < count; ++i)
      elements[i] = PointerGetDatum(cstring_to_text_with_len(values[i].data(), values[i].size()));
    return PointerGetDatum(
        construct_array(elements, static_cast<int>(count), TEXTOID, -1, false, TYPALIGN_INT));
  }
  ArrayType* array = static_cast<ArrayType*>(palloc(bytes));
  SET_VARSIZE(array, bytes);
  array->ndim = 1;
  array->dataoffset = 0;
  array->elemtype = TEXTOID;
  ARR_DIMS(array)[0] = static_cast<int>(count);
  ARR_LBOUND(array)[0] = 1;
  char* at = ARR_DATA_PTR(array);
  for (const std::string& value : values) {
    const size_t size = VARHDRSZ + value.size();
    const size_t padded = INTALIGN(size);
    // The padding zeroed first (the element's last word), then the header and text over it.
    memset(at + padded - 4, 0, 4);
    SET_VARSIZE(at, size);
    memcpy(at + VARHDRSZ, value.data(), value.size());
    at += padded;
  }
  return PointerGetDatum(array);
}

namespace {

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
  return JsonbTapeEncoder(tape.data(), tape.size()).Build(result);
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
