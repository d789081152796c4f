// Building SQL and JSON text safely: identifier and literal quoting as PostgreSQL's
// quote_ident()/quote_literal() do, deterministic index names, and a small JSON writer.
#pragma once
#include "core/common/no_postgres.hpp"

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace dbopt {

// Quotes an identifier when PostgreSQL would need it (upper case, special characters,
// leading digit, or a keyword that is not unreserved).
std::string QuoteIdent(const std::string& identifier);
std::string QuoteQualified(const std::string& schema, const std::string& name);
// Appends QuoteIdent(identifier) to `out`.
void AppendQuotedIdent(std::string& out, const std::string& identifier);
// A standard-conforming string literal ('it''s'); E'' is never needed.
std::string QuoteLiteral(const std::string& text);
// Comma-separated quoted identifiers.
std::string JoinIdents(const std::vector<std::string>& identifiers,
                       const std::string& separator = ", ");

// Deterministic index name "<table>_<part>_<part>_<suffix>", shortened to PostgreSQL's 63-byte
// limit with a hash of the full name so distinct long names stay distinct.
std::string IndexName(const std::string& table, const std::vector<std::string>& parts,
                      const std::string& suffix = "idx");

// FNV-1a, stable across platforms and runs (used for names, never for security).
std::uint64_t StableHash(const std::string& text);

// How a JsonWriter records what it is given: JSON text, or a JSON tape -- the same value as a
// sequence of tagged items with raw (unescaped) strings and binary integers, for a reader that
// builds a tree from it (src/pg/result_set.cpp makes jsonb of it directly: no text written, no
// text lexed back). JsonTapeToText turns a tape into exactly the text the writer would have
// written.
enum class JsonForm { kText, kTape };

// The tape's items, each a tag byte; after kString, kKey, kNumberText and kRaw a 4-byte length
// (host order) and that many bytes; after kInteger 8 bytes (host order).
namespace json_tape {
constexpr char kBeginObject = '{';
constexpr char kEndObject = '}';
constexpr char kBeginArray = '[';
constexpr char kEndArray = ']';
constexpr char kKey = 'k';
constexpr char kString = 's';
constexpr char kInteger = 'i';
constexpr char kNumberText = 'd';  // a number as the text form writes it
constexpr char kRaw = 'r';         // an already-encoded JSON value (JsonWriter::Raw)
constexpr char kTrue = 't';
constexpr char kFalse = 'f';
constexpr char kNull = 'n';
}  // namespace json_tape

// Writes one JSON value; keys and strings are escaped. Usage:
//   JsonWriter j; j.BeginObject(); j.Key("rows"); j.Number(10); j.EndObject(); j.str()
// With JsonForm::kTape, str() is the tape (see above) instead.
class JsonWriter {
 public:
  // Room for an evidence object's usual size in one allocation. Below 1 kB on purpose: glibc
  // serves 1 kB and more from its large bins, and every such request while small chunks are
  // waiting in its fast bins first merges them all (malloc_consolidate), once per finding.
  explicit JsonWriter(JsonForm form = JsonForm::kText) : tape_(form == JsonForm::kTape) {
    if (tape_)
      out_.resize(512);
    else
      out_.reserve(512);
  }
  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  JsonWriter& Key(std::string_view key);
  JsonWriter& String(std::string_view value);
  JsonWriter& Number(double value);
  JsonWriter& Integer(std::int64_t value);
  JsonWriter& Bool(bool value);
  JsonWriter& Null();
  JsonWriter& StringOrNull(const std::string& value);  // null when value is empty
  JsonWriter& Raw(const std::string& json);            // an already-encoded value
  // Convenience: "key": value
  JsonWriter& Field(std::string_view key, const std::string& value) {
    return Key(key).String(value);
  }
  JsonWriter& Field(std::string_view key, const char* value) { return Key(key).String(value); }
  JsonWriter& Field(std::string_view key, std::int64_t value) { return Key(key).Integer(value); }
  JsonWriter& Field(std::string_view key, int value) { return Key(key).Integer(value); }
  JsonWriter& Field(std::string_view key, double value) { return Key(key).Number(value); }
  JsonWriter& Field(std::string_view key, bool value) { return Key(key).Bool(value); }
  JsonWriter& Field(std::string_view key, const std::vector<std::string>& values);
  const std::string& str() const {
    if (tape_) out_.resize(used_);  // the room not written yet goes
    return out_;
  }
  bool tape() const { return tape_; }
  // The text or tape, moved out (the writer is empty after).
  std::string Take() {
    str();
    used_ = 0;
    return std::move(out_);
  }

 private:
  void Separate();
  void TapeItem(char tag, std::string_view bytes);
  // Tape items are written in place: out_ is kept longer than what is written (used_), so an
  // item costs one bounds check and its bytes (std::string's append checks and copies per
  // call, and an item is up to three pieces); str() trims it.
  char* TapeRoom(size_t bytes) {
    if (used_ + bytes > out_.size()) out_.resize(std::max(2 * out_.size(), used_ + bytes));
    char* at = &out_[used_];
    used_ += bytes;
    return at;
  }
  mutable std::string out_;
  size_t used_ = 0;    // tape: the bytes of out_ written
  std::string first_;  // per open container: no element written yet (inline up to 15 levels)
  bool after_key_ = false;
  bool tape_ = false;
};

// The JSON text of a tape, exactly as JsonWriter(JsonForm::kText) writes it when given the
// same calls. Empty when `tape` is not a well-formed tape.
std::string JsonTapeToText(std::string_view tape);

std::string JsonEscape(const std::string& text);

}  // namespace dbopt
