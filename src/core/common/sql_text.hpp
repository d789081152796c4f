// Building SQL and JSON text safely: identifier and literal quoting as PostgreSQL's
// quote_ident()/quote_literal() do, deterministic index names, and a small JSON writer.
#pragma once
#include "core/common/no_postgres.hpp"

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

// Writes one JSON value; keys and strings are escaped. Usage:
//   JsonWriter j; j.BeginObject(); j.Key("rows"); j.Number(10); j.EndObject(); j.str()
class JsonWriter {
 public:
  // Room for an evidence object's usual size in one allocation. Below 1 kB on purpose: glibc
  // serves 1 kB and more from its large bins, and every such request while small chunks are
  // waiting in its fast bins first merges them all (malloc_consolidate), once per finding.
  JsonWriter() { out_.reserve(512); }
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
  const std::string& str() const { return out_; }

 private:
  void Separate();
  std::string out_;
  std::string first_;  // per open container: no element written yet (inline up to 15 levels)
  bool after_key_ = false;
};

std::string JsonEscape(const std::string& text);

}  // namespace dbopt
