// A small JSON reader for documents dbopt reads back (workload exports): parses text into a
// tree of JsonValue. Numbers keep their literal text, so 64-bit integers survive exactly.
#pragma once
#include "core/common/no_postgres.hpp"

#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace dbopt {

class JsonParseError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class JsonValue {
 public:
  enum class Type { kNull, kBool, kNumber, kString, kArray, kObject };

  // Parses one JSON value (whitespace around it allowed); throws JsonParseError.
  static JsonValue Parse(const std::string& text);

  Type type() const { return type_; }
  bool IsNull() const { return type_ == Type::kNull; }
  bool IsObject() const { return type_ == Type::kObject; }
  bool IsArray() const { return type_ == Type::kArray; }
  bool IsString() const { return type_ == Type::kString; }
  bool IsNumber() const { return type_ == Type::kNumber; }
  bool IsBool() const { return type_ == Type::kBool; }

  // Accessors for a value known to have the type (unchecked otherwise: empty results).
  bool boolean() const { return boolean_; }
  const std::string& string() const { return text_; }  // a string, or a number's literal
  const std::vector<JsonValue>& items() const { return items_; }
  const std::vector<std::pair<std::string, JsonValue>>& members() const { return members_; }
  // The member named `key` of an object, nullptr when absent (or not an object).
  const JsonValue* Find(const std::string& key) const;
  // A number as a double; as an integer when it is one exactly (false otherwise).
  double AsDouble() const;
  bool AsInt64(std::int64_t* out) const;

  static const char* TypeName(Type type);

 private:
  friend class JsonReader;
  Type type_ = Type::kNull;
  bool boolean_ = false;
  std::string text_;
  std::vector<JsonValue> items_;
  std::vector<std::pair<std::string, JsonValue>> members_;
};

}  // namespace dbopt
