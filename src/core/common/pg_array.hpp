// Parses PostgreSQL's text output of one-dimensional arrays ("{a,\"b c\",NULL}") and of
// int2vector/oidvector ("1 2 3"), as SPI returns them.
#pragma once
#include "core/common/no_postgres.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace dbopt {

// Elements of a one-dimensional array literal; NULL elements are std::nullopt.
// Throws std::invalid_argument on malformed input.
std::vector<std::optional<std::string>> ParseArrayLiteral(const std::string& literal);
std::vector<std::string> ParseTextArray(const std::string& literal);  // NULLs become ""
std::vector<std::int64_t> ParseIntArray(const std::string& literal);
// Space-separated integers (int2vector, oidvector).
std::vector<std::int64_t> ParseIntVector(const std::string& text);

}  // namespace dbopt
