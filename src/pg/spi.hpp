// Running catalog queries from C++ through SPI, every call behind CallPg. Results are copied
// into C++ memory as text, so nothing refers to SPI memory after SpiFinish().
#pragma once
#include "pg/postgres.hpp"

#include <optional>
#include <string>
#include <vector>

namespace dbopt::pg {

class QueryResult {
 public:
  size_t rows() const { return rows_; }
  int columns() const { return columns_; }
  bool IsNull(size_t row, int column) const { return nulls_[row * columns_ + column]; }
  const std::string& Text(size_t row, int column) const { return cells_[row * columns_ + column]; }
  long long Int(size_t row, int column) const;
  double Double(size_t row, int column) const;
  bool Bool(size_t row, int column) const { return Text(row, column) == "t"; }

 private:
  friend QueryResult SpiQuery(const char*, const std::vector<std::optional<std::string>>&, bool);
  size_t rows_ = 0;
  int columns_ = 0;
  std::vector<std::string> cells_;
  std::vector<bool> nulls_;
};

void SpiConnect();
void SpiFinish();
// Runs sql with text parameters $1..$n (NULL for nullopt); the SQL casts them as needed.
QueryResult SpiQuery(const char* sql, const std::vector<std::optional<std::string>>& params = {},
                     bool read_only = true);

}  // namespace dbopt::pg
