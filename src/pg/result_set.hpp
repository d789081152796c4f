// Writing the rows of a set-returning function (materialize mode) from C++ values.
// Core headers refuse to compile after postgres.h, so they come first here and in every
// glue file.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/health/finding.hpp"
#include "pg/postgres.hpp"

namespace dbopt::pg {

// One output value; the column's SQL type decides how it is converted.
struct Cell {
  enum class Kind { kNull, kText, kTextArray, kJson, kInt, kFloat, kBool, kTimestamp };
  Kind kind = Kind::kNull;
  std::string text;                // kText, kJson
  std::vector<std::string> array;  // kTextArray
  std::int64_t integer = 0;
  double real = 0;
  bool boolean = false;

  static Cell Null() { return Cell{}; }
  static Cell Text(std::string value);
  static Cell TextOrNull(const std::string& value) { return value.empty() ? Null() : Text(value); }
  static Cell Array(std::vector<std::string> values);
  static Cell Json(std::string value);
  static Cell Int(std::int64_t value);
  static Cell Float(double value);
  static Cell Bool(bool value);
  // A TimestampTz value (microseconds since 2000-01-01 UTC) for a timestamptz column.
  static Cell Timestamp(std::int64_t value);
};

// jsonb from JSON text, as jsonb_in would make it (and raising what it would raise). Evidence
// objects from core/common/sql_text.hpp's JsonWriter take a fast path that skips jsonb_in's
// general parser; other text goes through jsonb_in. Runs under CallPg.
Datum JsonbFromText(const std::string& json);
// The fast path alone: false (and nothing built) when the text needs jsonb_in. For the
// self-test that compares both.
bool TryBuildJsonb(const std::string& json, Datum* result);
// jsonb from a JSON tape (core/common/sql_text.hpp): the jsonb JsonbFromText makes of the
// tape's text (JsonTapeToText), built without that text. False (nothing built) when the tape
// needs the text path. Runs under CallPg.
bool BuildJsonbFromTape(const std::string& tape, Datum* result);

// A text[] of the values (construct_array's array of their text datums). Runs under CallPg.
Datum TextArrayDatum(const std::vector<std::string>& values);

// The common finding shape's cells (check_id ... revert), for rows that add their own columns.
std::vector<Cell> FindingCells(const Finding& finding);

class ResultSet {
 public:
  // Sets up materialize mode for the function being called (before any SPI use).
  explicit ResultSet(FunctionCallInfo fcinfo);
  // Before the first row: lets the result keep up to `bytes` in memory (instead of work_mem,
  // never less) before it spills to a temporary file. For a result that is already whole in
  // the function's own memory (dbopt_health()'s findings), whose rows the executor reads right
  // after the call: writing them to a file and reading them back would only add I/O.
  void AllowMemory(size_t bytes);
  // The memory the findings' rows take in a result, about (their text, jsonb evidence and
  // tuple headers; for AllowMemory).
  static size_t RowBytes(const std::vector<Finding>& findings);
  void AddRow(const std::vector<Cell>& cells);
  // The common finding shape (check_id ... revert), DESIGN.md "The SQL contract".
  void AddFinding(const Finding& finding);

 private:
  FunctionCallInfo fcinfo_;
  MemoryContext row_context_ = nullptr;
  bool has_rows_ = false;
};

}  // namespace dbopt::pg
