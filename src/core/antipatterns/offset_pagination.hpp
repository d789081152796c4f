// Deep OFFSET pagination and unbounded result sets: the findings of dbopt_offset_pagination()
// and dbopt_large_results() from the capture store's per-query counters (src/pg counts, at
// each execution's end, the runtime OFFSET of the plan's top Limit node and the rows of
// top-level SELECTs without one; see docs/antipatterns.md). The fix is keyset pagination
// (core/antipatterns/keyset.hpp) with the index its ORDER BY needs, checked against the
// table's existing indexes.
#pragma once
#include "core/common/no_postgres.hpp"

#include <cstdint>
#include <string>
#include <vector>

#include "core/health/finding.hpp"
#include "core/health/index_ddl.hpp"
#include "core/model/catalog.hpp"

namespace dbopt::antipatterns {

// An ORDER BY item of the query that is a plain table column, as the capture resolved it.
struct CapturedSortKey {
  ObjectId table_id = 0;
  std::string column;  // raw name
  bool descending = false;
};

// A column the query compares with `=` (or IN) to a constant or parameter.
struct EqualityColumn {
  ObjectId table_id = 0;
  std::string column;
};

// One captured query with its deep-OFFSET or large-result figures.
struct PagedQuery {
  std::uint64_t queryid = 0;
  bool toplevel = true;
  std::string text;  // normalized; "" when unknown or not visible to the caller
  std::int64_t calls = 0;
  double total_ms = 0;
  // Deep OFFSET: executions, the largest and summed OFFSET, rows read and thrown away for
  // it, their executor time.
  std::int64_t offset_calls = 0;
  std::int64_t max_offset = 0;
  double sum_offset = 0;
  double skipped_rows = 0;
  double offset_ms = 0;
  // Large results: executions, the largest and summed row counts, their executor time.
  std::int64_t large_calls = 0;
  std::int64_t max_rows = 0;
  double sum_rows = 0;
  double large_ms = 0;
  std::vector<CapturedSortKey> sort_keys;  // ORDER BY keys that are columns, in order
  std::vector<EqualityColumn> equality;
};

// The sort keys' index and what the keyset rewrite must add, on one table.
struct KeysetPlan {
  const Table* table = nullptr;            // the table every captured sort key is on
  std::vector<std::string> tie_breakers;   // primary key columns to add (keys not unique)
  std::vector<std::string> nullable;       // sort key columns that allow NULLs
  std::vector<std::string> index_columns;  // the index the keyset query needs (DESC marked)
  const Index* existing = nullptr;         // an existing index that serves it
  bool no_unique_key = false;              // the keys are not unique and there is no PK
  IndexDdl ddl;                            // empty when `existing` or no table
};
KeysetPlan PlanKeyset(const PagedQuery& query, const Catalog& catalog, IndexNamer& namer);

// check_id "offset_pagination".
Finding OffsetPaginationFinding(const PagedQuery& query, const Catalog& catalog, IndexNamer& namer,
                                std::int64_t min_offset);
// check_id "large_result".
Finding LargeResultFinding(const PagedQuery& query, const Catalog& catalog, IndexNamer& namer,
                           std::int64_t min_rows);

}  // namespace dbopt::antipatterns
