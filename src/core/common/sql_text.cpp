#include "core/common/sql_text.hpp"
#include "core/common/json_text.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <iterator>

namespace dbopt {
namespace {

// PostgreSQL 15 keywords other than UNRESERVED_KEYWORD (parser/kwlist.h): quote_ident quotes
// these. Sorted, searched with binary search.
const char* const kQuotedKeywords[] = {
    "all",
    "analyse",
    "analyze",
    "and",
    "any",
    "array",
    "as",
    "asc",
    "asymmetric",
    "authorization",
    "between",
    "bigint",
    "binary",
    "bit",
    "boolean",
    "both",
    "case",
    "cast",
    "char",
    "character",
    "check",
    "coalesce",
    "collate",
    "collation",
    "column",
    "concurrently",
    "constraint",
    "create",
    "cross",
    "current_catalog",
    "current_date",
    "current_role",
    "current_schema",
    "current_time",
    "current_timestamp",
    "current_user",
    "dec",
    "decimal",
    "default",
    "deferrable",
    "desc",
    "distinct",
    "do",
    "else",
    "end",
    "except",
    "exists",
    "extract",
    "false",
    "fetch",
    "float",
    "for",
    "foreign",
    "freeze",
    "from",
    "full",
    "grant",
    "greatest",
    "group",
    "grouping",
    "having",
    "ilike",
    "in",
    "initially",
    "inner",
    "inout",
    "int",
    "integer",
    "intersect",
    "interval",
    "into",
    "is",
    "isnull",
    "join",
    "lateral",
    "leading",
    "least",
    "left",
    "like",
    "limit",
    "localtime",
    "localtimestamp",
    "national",
    "natural",
    "nchar",
    "none",
    "normalize",
    "not",
    "notnull",
    "null",
    "nullif",
    "numeric",
    "offset",
    "on",
    "only",
    "or",
    "order",
    "out",
    "outer",
    "overlaps",
    "overlay",
    "placing",
    "position",
    "precision",
    "primary",
    "real",
    "references",
    "returning",
    "right",
    "row",
    "select",
    "session_user",
    "setof",
    "similar",
    "smallint",
    "some",
    "substring",
    "symmetric",
    "table",
    "tablesample",
    "then",
    "time",
    "timestamp",
    "to",
    "trailing",
    "treat",
    "trim",
    "true",
    "union",
    "unique",
    "user",
    "using",
    "values",
    "varchar",
    "variadic",
    "verbose",
    "when",
    "where",
    "window",
    "with",
    "xmlattributes",
    "xmlconcat",
    "xmlelement",
    "xmlexists",
    "xmlforest",
    "xmlnamespaces",
    "xmlparse",
    "xmlpi",
    "xmlroot",
    "xmlserialize",
    "xmltable",
};

bool IsQuotedKeyword(const std::string& word) {
  // This runs for every identifier of every finding: the search looks only at the keywords
  // with the word's first letter (the list is sorted), and words shorter or longer than any
  // keyword are not searched at all. The ranges are computed once, on first use.
  struct Ranges {
    unsigned short begin[27];  // per first letter 'a'..'z', and the end
    size_t min_length = 1000, max_length = 0;
  };
  static const Ranges ranges = [] {
    Ranges r{};
    r.min_length = 1000;
    const size_t count = std::size(kQuotedKeywords);
    size_t k = 0;
    for (int letter = 0; letter < 26; ++letter) {
      while (k < count && kQuotedKeywords[k][0] < 'a' + letter) ++k;
      r.begin[letter] = static_cast<unsigned short>(k);
    }
    r.begin[26] = static_cast<unsigned short>(count);
    for (const char* keyword : kQuotedKeywords) {
      r.min_length = std::min(r.min_length, std::strlen(keyword));
      r.max_length = std::max(r.max_length, std::strlen(keyword));
    }
    return r;
  }();
  if (word.size() < ranges.min_length || word.size() > ranges.max_length || word[0] < 'a' ||
      word[0] > 'z')
    return false;
  const int letter = word[0] - 'a';
  const char* const* first = kQuotedKeywords + ranges.begin[letter];
  const char* const* last = kQuotedKeywords + ranges.begin[letter + 1];
  // Compares as C strings: no std::string is built per comparison.
  auto found = std::lower_bound(first, last, word, [](const char* keyword, const std::string& w) {
    return std::strcmp(keyword, w.c_str()) < 0;
  });
  return found != last && word == *found;
}

}  // namespace

// Appends the identifier, double-quoted where PostgreSQL needs it (quote_identifier's rule).
void AppendQuotedIdent(std::string& out, const std::string& identifier) {
  bool safe = !identifier.empty() &&
              ((identifier[0] >= 'a' && identifier[0] <= 'z') || identifier[0] == '_');
  bool digit = false;
  for (char c : identifier) {
    if (c >= '0' && c <= '9')
      digit = true;
    else if (!((c >= 'a' && c <= 'z') || c == '_'))
      safe = false;
  }
  // No keyword contains a digit: most generated names skip the keyword search.
  if (safe && (digit || !IsQuotedKeyword(identifier))) {
    out += identifier;
    return;
  }
  out += '"';
  for (char c : identifier) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

std::string QuoteIdent(const std::string& identifier) {
  std::string quoted;
  quoted.reserve(identifier.size() + 2);
  AppendQuotedIdent(quoted, identifier);
  return quoted;
}

std::string QuoteQualified(const std::string& schema, const std::string& name) {
  std::string quoted;
  quoted.reserve(schema.size() + name.size() + 5);
  AppendQuotedIdent(quoted, schema);
  quoted += '.';
  AppendQuotedIdent(quoted, name);
  return quoted;
}

std::string QuoteLiteral(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) {
    if (c == '\'') quoted += '\'';
    quoted += c;
  }
  return quoted + "'";
}

std::string JoinIdents(const std::vector<std::string>& identifiers, const std::string& separator) {
  std::string joined;
  for (size_t i = 0; i < identifiers.size(); ++i) {
    if (i > 0) joined += separator;
    joined += QuoteIdent(identifiers[i]);
  }
  return joined;
}

std::uint64_t StableHash(const std::string& text) {
  std::uint64_t hash = 1469598103934665603ULL;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  return hash;
}

std::string IndexName(const std::string& table, const std::vector<std::string>& parts,
                      const std::string& suffix) {
  std::string name = table;
  for (const std::string& part : parts) name += "_" + part;
  name += "_" + suffix;
  const size_t kMaxBytes = 63;  // NAMEDATALEN - 1
  if (name.size() <= kMaxBytes) return name;
  char hash[16];
  std::snprintf(hash, sizeof hash, "%08llx",
                static_cast<unsigned long long>(StableHash(name) & 0xffffffffULL));
  std::string tail = "_" + std::string(hash) + "_" + suffix;
  std::string head = name.substr(0, kMaxBytes - tail.size());
  // Do not cut a multi-byte UTF-8 character in half.
  while (!head.empty() && (static_cast<unsigned char>(head.back()) & 0xC0) == 0x80) head.pop_back();
  if (!head.empty() && (static_cast<unsigned char>(head.back()) & 0x80)) head.pop_back();
  return head + tail;
}

namespace {

// Appends text to out as the inside of a JSON string. Runs of plain characters are copied
// whole: this runs for every key and value of every finding's evidence.
void AppendJsonEscaped(std::string& out, std::string_view text) {
  const char* const end = text.data() + text.size();
  size_t plain = 0;  // start of the run not yet copied
  for (size_t i = 0;; ++i) {
    i += JsonPlainLength(text.data() + i, end);
    if (i >= text.size()) break;
    const unsigned char c = static_cast<unsigned char>(text[i]);
    out.append(text.data() + plain, i - plain);
    plain = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default: {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", c);
        out += buf;
      }
    }
  }
  out.append(text.data() + plain, text.size() - plain);
}

}  // namespace

std::string JsonEscape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  AppendJsonEscaped(out, text);
  return out;
}

void JsonWriter::Separate() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!first_.empty()) {
    if (!first_.back()) out_ += ", ";
    first_.back() = false;
  }
}

void JsonWriter::TapeItem(char tag, std::string_view bytes) {
  const std::uint32_t length = static_cast<std::uint32_t>(bytes.size());
  char* at = TapeRoom(1 + sizeof length + bytes.size());
  at[0] = tag;
  std::memcpy(at + 1, &length, sizeof length);
  std::memcpy(at + 1 + sizeof length, bytes.data(), bytes.size());
}

JsonWriter& JsonWriter::BeginObject() {
  if (tape_) {
    *TapeRoom(1) = json_tape::kBeginObject;
    return *this;
  }
  Separate();
  out_ += '{';
  first_.push_back(true);
  return *this;
}
JsonWriter& JsonWriter::EndObject() {
  if (tape_) {
    *TapeRoom(1) = json_tape::kEndObject;
    return *this;
  }
  out_ += '}';
  first_.pop_back();
  return *this;
}
JsonWriter& JsonWriter::BeginArray() {
  if (tape_) {
    *TapeRoom(1) = json_tape::kBeginArray;
    return *this;
  }
  Separate();
  out_ += '[';
  first_.push_back(true);
  return *this;
}
JsonWriter& JsonWriter::EndArray() {
  if (tape_) {
    *TapeRoom(1) = json_tape::kEndArray;
    return *this;
  }
  out_ += ']';
  first_.pop_back();
  return *this;
}
JsonWriter& JsonWriter::Key(std::string_view key) {
  if (tape_) {
    TapeItem(json_tape::kKey, key);
    return *this;
  }
  Separate();
  out_ += '"';
  AppendJsonEscaped(out_, key);
  out_ += "\": ";
  after_key_ = true;
  return *this;
}
JsonWriter& JsonWriter::String(std::string_view value) {
  if (tape_) {
    TapeItem(json_tape::kString, value);
    return *this;
  }
  Separate();
  out_ += '"';
  AppendJsonEscaped(out_, value);
  out_ += '"';
  return *this;
}
JsonWriter& JsonWriter::Number(double value) {
  if (!std::isfinite(value)) return Null();
  // Whole numbers below 1e15 (counts, pages) print as "%.15g" prints them: their digits.
  if (value == std::trunc(value) && std::fabs(value) < 1e15 && (value != 0 || !std::signbit(value)))
    return Integer(static_cast<std::int64_t>(value));
  char buf[32];
  const int length = std::snprintf(buf, sizeof buf, "%.15g", value);
  if (tape_) {
    TapeItem(json_tape::kNumberText, std::string_view(buf, static_cast<size_t>(length)));
    return *this;
  }
  Separate();
  out_ += buf;
  return *this;
}
JsonWriter& JsonWriter::Integer(std::int64_t value) {
  if (tape_) {
    char* at = TapeRoom(1 + sizeof value);
    at[0] = json_tape::kInteger;
    std::memcpy(at + 1, &value, sizeof value);
    return *this;
  }
  Separate();
  out_ += std::to_string(value);
  return *this;
}
JsonWriter& JsonWriter::Bool(bool value) {
  if (tape_) {
    *TapeRoom(1) = value ? json_tape::kTrue : json_tape::kFalse;
    return *this;
  }
  Separate();
  out_ += value ? "true" : "false";
  return *this;
}
JsonWriter& JsonWriter::Null() {
  if (tape_) {
    *TapeRoom(1) = json_tape::kNull;
    return *this;
  }
  Separate();
  out_ += "null";
  return *this;
}
JsonWriter& JsonWriter::StringOrNull(const std::string& value) {
  return value.empty() ? Null() : String(value);
}
JsonWriter& JsonWriter::Raw(const std::string& json) {
  if (tape_) {
    TapeItem(json_tape::kRaw, json);
    return *this;
  }
  Separate();
  out_ += json;
  return *this;
}
JsonWriter& JsonWriter::Field(std::string_view key, const std::vector<std::string>& values) {
  Key(key).BeginArray();
  for (const std::string& value : values) String(value);
  return EndArray();
}

std::string JsonTapeToText(std::string_view tape) {
  JsonWriter text;
  size_t at = 0;
  auto bytes = [&tape, &at](std::string_view* out) {
    std::uint32_t length = 0;
    if (tape.size() - at < sizeof length) return false;
    std::memcpy(&length, tape.data() + at, sizeof length);
    at += sizeof length;
    if (tape.size() - at < length) return false;
    *out = tape.substr(at, length);
    at += length;
    return true;
  };
  int depth = 0;
  while (at < tape.size()) {
    const char tag = tape[at++];
    std::string_view item;
    switch (tag) {
      case json_tape::kBeginObject:
        text.BeginObject();
        ++depth;
        break;
      case json_tape::kBeginArray:
        text.BeginArray();
        ++depth;
        break;
      case json_tape::kEndObject:
      case json_tape::kEndArray:
        if (--depth < 0) return "";
        if (tag == json_tape::kEndObject)
          text.EndObject();
        else
          text.EndArray();
        break;
      case json_tape::kKey:
        if (!bytes(&item)) return "";
        text.Key(item);
        break;
      case json_tape::kString:
        if (!bytes(&item)) return "";
        text.String(item);
        break;
      case json_tape::kNumberText:
      case json_tape::kRaw:
        if (!bytes(&item)) return "";
        text.Raw(std::string(item));
        break;
      case json_tape::kInteger: {
        std::int64_t value = 0;
        if (tape.size() - at < sizeof value) return "";
        std::memcpy(&value, tape.data() + at, sizeof value);
        at += sizeof value;
        text.Integer(value);
        break;
      }
      case json_tape::kTrue:
      case json_tape::kFalse:
        text.Bool(tag == json_tape::kTrue);
        break;
      case json_tape::kNull:
        text.Null();
        break;
      default:
        return "";
    }
  }
  if (depth != 0) return "";
  return text.Take();
}

}  // namespace dbopt
