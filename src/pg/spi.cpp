#include "pg/spi.hpp"

#include <cstdlib>

#include "pg/guard.hpp"

namespace dbopt::pg {

long long QueryResult::Int(size_t row, int column) const {
  return IsNull(row, column) ? 0 : std::strtoll(Text(row, column).c_str(), nullptr, 10);
}

double QueryResult::Double(size_t row, int column) const {
  return IsNull(row, column) ? 0 : std::strtod(Text(row, column).c_str(), nullptr);
}

void SpiConnect() {
  CallPg([] {
    if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "SPI_connect failed");
  });
}

void SpiFinish() {
  CallPg([] { SPI_finish(); });
}

QueryResult SpiQuery(const char* sql, const std::vector<std::optional<std::string>>& params,
                     bool read_only) {
  QueryResult result;
  const int nargs = static_cast<int>(params.size());
  CallPg([&] {
    Oid* types = static_cast<Oid*>(palloc0(sizeof(Oid) * (nargs + 1)));
    Datum* values = static_cast<Datum*>(palloc0(sizeof(Datum) * (nargs + 1)));
    char* nulls = static_cast<char*>(palloc0(nargs + 1));
    for (int i = 0; i < nargs; ++i) {
      types[i] = TEXTOID;
      nulls[i] = params[i] ? ' ' : 'n';
      if (params[i]) values[i] = CStringGetTextDatum(params[i]->c_str());
    }
    int rc = SPI_execute_with_args(sql, nargs, types, values, nulls, read_only, 0);
    if (rc < 0) elog(ERROR, "SPI_execute_with_args failed: %s", SPI_result_code_string(rc));
    if (SPI_tuptable == nullptr) return;
    TupleDesc desc = SPI_tuptable->tupdesc;
    result.columns_ = desc->natts;
    result.rows_ = SPI_processed;
    result.cells_.reserve(result.rows_ * result.columns_);
    result.nulls_.reserve(result.rows_ * result.columns_);
    for (uint64 row = 0; row < SPI_processed; ++row) {
      HeapTuple tuple = SPI_tuptable->vals[row];
      for (int column = 1; column <= desc->natts; ++column) {
        char* text = SPI_getvalue(tuple, desc, column);
        result.nulls_.push_back(text == nullptr);
        result.cells_.emplace_back(text ? text : "");
        if (text) pfree(text);
      }
    }
    SPI_freetuptable(SPI_tuptable);
  });
  return result;
}

}  // namespace dbopt::pg
