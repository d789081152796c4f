#include "pg/result_set.hpp"

#include "pg/guard.hpp"

extern "C" {
#include "utils/lsyscache.h"
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

// Converts one cell to a Datum of the column's type. Runs under CallPg.
Datum ToDatum(const Cell& cell, Oid type) {
  switch (cell.kind) {
    case Cell::Kind::kText:
      if (type == JSONBOID)
        return DirectFunctionCall1(jsonb_in, CStringGetDatum(cell.text.c_str()));
      if (type == NAMEOID) return DirectFunctionCall1(namein, CStringGetDatum(cell.text.c_str()));
      if (type == TEXTOID) return CStringGetTextDatum(cell.text.c_str());
      {
        // Any other column type: its input function (a text Datum there would be garbage).
        Oid input = InvalidOid;
        Oid io_param = InvalidOid;
        getTypeInputInfo(type, &input, &io_param);
        return OidInputFunctionCall(input, const_cast<char*>(cell.text.c_str()), io_param, -1);
      }
    case Cell::Kind::kJson:
      return DirectFunctionCall1(jsonb_in, CStringGetDatum(cell.text.c_str()));
    case Cell::Kind::kTextArray: {
      int count = static_cast<int>(cell.array.size());
      Datum* elements = static_cast<Datum*>(palloc(sizeof(Datum) * (count + 1)));
      for (int i = 0; i < count; ++i) elements[i] = CStringGetTextDatum(cell.array[i].c_str());
      return PointerGetDatum(construct_array(elements, count, TEXTOID, -1, false, TYPALIGN_INT));
    }
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

}  // namespace

ResultSet::ResultSet(FunctionCallInfo fcinfo) : fcinfo_(fcinfo) {
  CallPg([&] {
    InitMaterializedSRF(fcinfo, 0);
    row_context_ =
        AllocSetContextCreate(CurrentMemoryContext, "dbopt result row", ALLOCSET_SMALL_SIZES);
  });
}

void ResultSet::AddRow(const std::vector<Cell>& cells) {
  CallPg([&] {
    ReturnSetInfo* rsinfo = reinterpret_cast<ReturnSetInfo*>(fcinfo_->resultinfo);
    TupleDesc desc = rsinfo->setDesc;
    if (static_cast<int>(cells.size()) != desc->natts)
      elog(ERROR, "dbopt: row has %d values, result has %d columns", static_cast<int>(cells.size()),
           desc->natts);
    MemoryContext old = MemoryContextSwitchTo(row_context_);
    Datum* values = static_cast<Datum*>(palloc0(sizeof(Datum) * desc->natts));
    bool* nulls = static_cast<bool*>(palloc0(sizeof(bool) * desc->natts));
    for (int i = 0; i < desc->natts; ++i) {
      nulls[i] = cells[i].kind == Cell::Kind::kNull;
      if (!nulls[i]) values[i] = ToDatum(cells[i], TupleDescAttr(desc, i)->atttypid);
    }
    tuplestore_putvalues(rsinfo->setResult, desc, values, nulls);
    MemoryContextSwitchTo(old);
    MemoryContextReset(row_context_);
  });
}

void ResultSet::AddFinding(const Finding& finding) {
  AddRow({Cell::Text(finding.check_id), Cell::Text(SeverityName(finding.severity)),
          Cell::Text(finding.object_type), Cell::Text(finding.object_name),
          Cell::Text(finding.message), Cell::Json(finding.detail_json),
          Cell::Array(finding.remediation), Cell::Array(finding.revert)});
}

}  // namespace dbopt::pg
