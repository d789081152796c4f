#include "pg/spi.hpp"

#include <cstdlib>

#include "pg/guard.hpp"

extern "C" {
#include "utils/lsyscache.h"
}

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

namespace {

// An int2vector's or oidvector's elements, space-separated (as their output functions print).
template <typename Vector>
std::string JoinVector(const Vector* vector) {
  std::string text;
  for (int i = 0; i < vector->dim1; ++i) {
    if (i > 0) text += ' ';
    text += std::to_string(vector->values[i]);
  }
  return text;
}

}  // namespace

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
    const int natts = desc->natts;
    result.columns_ = natts;
    result.rows_ = SPI_processed;
    result.cells_.reserve(result.rows_ * natts);
    result.nulls_.reserve(result.rows_ * natts);
    // Catalog reads return tens of thousands of rows: deform each tuple once, look the output
    // functions up once, and print the common scalar types without going through them.
    Oid* type_ids = static_cast<Oid*>(palloc(sizeof(Oid) * natts));
    FmgrInfo* outputs = static_cast<FmgrInfo*>(palloc(sizeof(FmgrInfo) * natts));
    for (int column = 0; column < natts; ++column) {
      type_ids[column] = TupleDescAttr(desc, column)->atttypid;
      Oid output = InvalidOid;
      bool varlena = false;
      getTypeOutputInfo(type_ids[column], &output, &varlena);
      fmgr_info(output, &outputs[column]);
    }
    Datum* row_values = static_cast<Datum*>(palloc(sizeof(Datum) * natts));
    bool* row_nulls = static_cast<bool*>(palloc(sizeof(bool) * natts));
    char number[32];
    for (uint64 row = 0; row < SPI_processed; ++row) {
      heap_deform_tuple(SPI_tuptable->vals[row], desc, row_values, row_nulls);
      for (int column = 0; column < natts; ++column) {
        result.nulls_.push_back(row_nulls[column]);
        if (row_nulls[column]) {
          result.cells_.emplace_back();
          continue;
        }
        const Datum value = row_values[column];
        switch (type_ids[column]) {
          case OIDOID:
            snprintf(number, sizeof number, "%u", DatumGetObjectId(value));
            result.cells_.emplace_back(number);
            break;
          case INT2OID:
            snprintf(number, sizeof number, "%d", DatumGetInt16(value));
            result.cells_.emplace_back(number);
            break;
          case INT4OID:
            snprintf(number, sizeof number, "%d", DatumGetInt32(value));
            result.cells_.emplace_back(number);
            break;
          case INT8OID:
            snprintf(number, sizeof number, "%lld", static_cast<long long>(DatumGetInt64(value)));
            result.cells_.emplace_back(number);
            break;
          case BOOLOID:
            result.cells_.emplace_back(DatumGetBool(value) ? "t" : "f");
            break;
          case INT2VECTOROID:  // pg_index.indkey, indoption: "1 3"
            result.cells_.push_back(
                JoinVector(reinterpret_cast<int2vector*>(PG_DETOAST_DATUM(value))));
            break;
          case OIDVECTOROID:  // pg_index.indclass, indcollation
            result.cells_.push_back(
                JoinVector(reinterpret_cast<oidvector*>(PG_DETOAST_DATUM(value))));
            break;
          default: {
            char* text = OutputFunctionCall(&outputs[column], value);
            result.cells_.emplace_back(text);
            pfree(text);
          }
        }
      }
    }
    SPI_freetuptable(SPI_tuptable);
  });
  return result;
}

}  // namespace dbopt::pg
