// dbopt_offset_pagination() and dbopt_large_results(): the captured queries of the current
// database whose executions skipped a deep OFFSET, or returned a large result without LIMIT
// (counted at ExecutorEnd, capture.cpp NoteTopNode), one row each in the common finding shape
// plus the figures. The findings and their fix (keyset rewrite, index) are built by
// src/core/antipatterns/offset_pagination.cpp; this file reads the store and the catalogs.
// Texts follow dbopt_queries' visibility rule: no rewrite from a text the caller may not read.
#include "core/antipatterns/offset_pagination.hpp"
#include "pg/result_set.hpp"  // first: includes core headers
#include "pg/capture_sql.hpp"
#include "pg/catalog.hpp"
#include "pg/guard.hpp"
#include "pg/spi.hpp"

#include <algorithm>
#include <string>
#include <vector>

namespace {

using dbopt::pg::Cell;
namespace capture = dbopt::pg::capture;
namespace antipatterns = dbopt::antipatterns;

enum class Detector { kOffset, kLarge };

int32 MinCallsArgument(FunctionCallInfo fcinfo) {
  if (PG_ARGISNULL(0))
    dbopt::pg::Fail(ERRCODE_NULL_VALUE_NOT_ALLOWED, "min_calls must not be NULL",
                    "Pass a number of executions of at least 1, or omit the argument.");
  int32 min_calls = PG_GETARG_INT32(0);
  if (min_calls < 1)
    dbopt::pg::Fail(ERRCODE_INVALID_PARAMETER_VALUE,
                    "min_calls must be at least 1, not " + std::to_string(min_calls),
                    "It is the number of flagged executions a query needs to be listed.");
  return min_calls;
}

// The table a relation's figures belong to: a partition's partitioned root (capture names
// the parent in sort keys and the partitions in scans).
const dbopt::Table* RootTable(const dbopt::Catalog& catalog, Oid relid) {
  const dbopt::Table* table = catalog.FindTable(relid);
  for (int depth = 0; table != nullptr && table->parent_id != 0 && depth < 32; ++depth) {
    const dbopt::Table* parent = catalog.FindTable(table->parent_id);
    if (parent == nullptr) break;
    table = parent;
  }
  return table;
}

std::string ColumnName(const dbopt::Table* table, int attnum) {
  if (table == nullptr) return "";
  for (const dbopt::Column& column : table->columns)
    if (column.attnum == attnum) return column.name;
  return "";
}

// The query as the core sees it: counters, visible text, sort keys and equality columns.
antipatterns::PagedQuery Describe(const capture::EntryCopy& entry, const dbopt::Catalog& catalog,
                                  bool visible) {
  antipatterns::PagedQuery q;
  const capture::Counters& c = entry.counters;
  q.queryid = entry.key.queryid;
  q.toplevel = entry.key.toplevel;
  if (visible && entry.text != nullptr) q.text = entry.text;
  q.calls = c.calls;
  q.total_ms = c.total_time;
  q.offset_calls = c.deep_offset_calls;
  q.max_offset = c.deep_offset_max;
  q.sum_offset = c.deep_offset_sum;
  q.skipped_rows = c.deep_offset_skipped;
  q.offset_ms = c.deep_offset_time;
  q.large_calls = c.large_result_calls;
  q.max_rows = c.large_result_max_rows;
  q.sum_rows = c.large_result_rows;
  q.large_ms = c.large_result_time;
  for (int k = 0; k < entry.key_count; ++k) {
    const capture::OrderKey& key = entry.keys[k];
    if (key.group) continue;
    const dbopt::Table* table = catalog.FindTable(key.relid);
    q.sort_keys.push_back({key.relid, ColumnName(table, key.attnum), key.descending});
  }
  for (int a = 0; a < entry.access_count; ++a) {
    const capture::AccessRecord& record = entry.access[a];
    const dbopt::Table* table = RootTable(catalog, record.relid);
    if (table == nullptr) continue;
    for (int k = 0; k < record.qual_count; ++k) {
      const dbopt::capture::QualShape& shape = record.quals[k];
      bool equality = shape.kind == dbopt::capture::QualKind::kEquality ||
                      shape.kind == dbopt::capture::QualKind::kIn;
      bool fixed = shape.operand == dbopt::capture::QualOperand::kConstant ||
                   shape.operand == dbopt::capture::QualOperand::kParameter;
      std::string column = ColumnName(catalog.FindTable(record.relid), shape.attnum);
      if (equality && fixed && !column.empty()) q.equality.push_back({table->id, column});
    }
  }
  return q;
}

void Run(FunctionCallInfo fcinfo, Detector detector, const char* name) {
  int32 min_calls = MinCallsArgument(fcinfo);
  capture::StoreCopy snapshot = capture::TakeSnapshot(name, true);
  std::vector<const capture::EntryCopy*> flagged;
  for (int i = 0; i < snapshot.count; ++i) {
    const capture::EntryCopy& entry = snapshot.entries[i];
    int64 calls = detector == Detector::kOffset ? entry.counters.deep_offset_calls
                                                : entry.counters.large_result_calls;
    if (entry.key.dbid == MyDatabaseId && calls >= min_calls) flagged.push_back(&entry);
  }
  // Most time lost first.
  auto time_of = [&](const capture::EntryCopy* e) {
    return detector == Detector::kOffset ? e->counters.deep_offset_time
                                         : e->counters.large_result_time;
  };
  std::sort(flagged.begin(), flagged.end(),
            [&](const capture::EntryCopy* a, const capture::EntryCopy* b) {
              if (time_of(a) != time_of(b)) return time_of(a) > time_of(b);
              return a->key.queryid < b->key.queryid;
            });
  dbopt::pg::ResultSet result(fcinfo);
  if (flagged.empty()) return;
  dbopt::pg::SpiConnect();
  dbopt::Catalog catalog = dbopt::pg::LoadCatalog(std::nullopt);
  dbopt::IndexNamer namer(catalog);
  bool see_all = capture::MaySeeAllTexts();
  Oid me = GetUserId();
  struct Row {
    dbopt::Finding finding;
    const capture::EntryCopy* entry;
    Cell text;
  };
  std::vector<Row> rows;
  for (const capture::EntryCopy* entry : flagged) {
    bool visible = see_all || entry->key.userid == me;
    Cell text = entry->text == nullptr ? Cell::Null()
                : visible              ? Cell::Text(entry->text)
                                       : Cell::Text("<insufficient privilege>");
    antipatterns::PagedQuery query = Describe(*entry, catalog, visible);
    dbopt::Finding finding =
        detector == Detector::kOffset
            ? antipatterns::OffsetPaginationFinding(query, catalog, namer, capture::offset_min_rows)
            : antipatterns::LargeResultFinding(query, catalog, namer, capture::large_result_rows);
    rows.push_back({std::move(finding), entry, text});
  }
  dbopt::pg::SpiFinish();
  for (const Row& row : rows) {
    const dbopt::Finding& f = row.finding;
    const capture::EntryCopy& e = *row.entry;
    const capture::Counters& c = e.counters;
    std::vector<Cell> cells = dbopt::pg::FindingCells(f);
    cells.insert(cells.end(),
                 {Cell::Int(e.key.userid), Cell::Int(e.key.dbid),
                  Cell::Int(static_cast<int64>(e.key.queryid)), Cell::Bool(e.key.toplevel),
                  row.text, Cell::Int(c.calls), Cell::Float(c.total_time)});
    if (detector == Detector::kOffset) {
      double n = static_cast<double>(c.deep_offset_calls);
      cells.push_back(Cell::Int(c.deep_offset_calls));
      cells.push_back(Cell::Float(c.deep_offset_sum / n));
      cells.push_back(Cell::Int(c.deep_offset_max));
      cells.push_back(Cell::Float(c.deep_offset_skipped));
      cells.push_back(Cell::Float(c.deep_offset_time));
    } else {
      double n = static_cast<double>(c.large_result_calls);
      cells.push_back(Cell::Int(c.large_result_calls));
      cells.push_back(Cell::Float(c.large_result_rows / n));
      cells.push_back(Cell::Int(c.large_result_max_rows));
      cells.push_back(Cell::Float(c.large_result_time));
    }
    result.AddRow(cells);
  }
}

}  // namespace

DBOPT_FUNCTION(dbopt_offset_pagination) {
  Run(fcinfo, Detector::kOffset, "dbopt_offset_pagination");
  return (Datum)0;
}

DBOPT_FUNCTION(dbopt_large_results) {
  Run(fcinfo, Detector::kLarge, "dbopt_large_results");
  return (Datum)0;
}
