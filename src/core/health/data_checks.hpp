// The data checks of dbopt_health(include_data => true) (issue 2, checks 6-8):
//   fk_implied               a column named after another table whose single-column primary
//                            key has the same type, with no FK, and every sampled value found;
//   column_missing_not_null  a nullable column with no NULL in the sample nor the statistics;
//   column_redundant_copy    a column always equal to a column of the row its FK points to.
// The core decides everything: which candidates to probe, the probe SQL (bounded samples,
// every identifier quoted), and what a probe's numbers mean. The server (src/pg/data_checks)
// only runs each probe (a single-row query of bigint counters) and hands the row back.
#pragma once
#include "core/common/no_postgres.hpp"

#include <cstdint>
#include <string>
#include <vector>

#include "core/health/finding.hpp"
#include "core/model/catalog.hpp"

namespace dbopt {

struct DataCheckOptions {
  std::int64_t sample_rows = 10000;  // at most this many rows read per probe
};

// How a probe reads its table: LIMIT sample_rows always; on a table whose estimated row
// count exceeds the limit, also TABLESAMPLE SYSTEM (percent) REPEATABLE (0), so a probe reads a
// bounded number of blocks (about twice the limit in rows) instead of the whole table.
struct SamplePlan {
  std::int64_t limit = 0;
  double percent = 0;         // 0: no TABLESAMPLE
  double estimated_rows = 0;  // reltuples (summed over leaf partitions), -1 when unknown
};
SamplePlan PlanSample(const Catalog& catalog, const Table& table, std::int64_t sample_rows);

// "ONLY s.t alias TABLESAMPLE SYSTEM (p) REPEATABLE (0)" (no ONLY for partitioned tables, which
// are read through their partitions).
std::string SampledRelation(const Table& table, const std::string& alias, const SamplePlan& plan);

enum class DataCheck { kImpliedForeignKey, kMissingNotNull, kRedundantCopy };

// One query to run. Its result is one row of bigint counters, described per check:
//  kImpliedForeignKey: rows_checked, missing
//  kMissingNotNull:    rows_checked, then per column its non-null count
//  kRedundantCopy:     rows_compared, then per pair: mismatches, distinct parent values,
//                      non-null copies
struct DataProbe {
  DataCheck check = DataCheck::kMissingNotNull;
  ObjectId table_id = 0;                        // the sampled table
  ObjectId referenced_table_id = 0;             // looked up by key (0 for kMissingNotNull)
  std::vector<std::string> columns;             // implied FK: the column; not null: the candidates;
                                                // copy: the copy column of each pair
  std::vector<std::string> referenced_columns;  // implied FK: the key; copy: the original
  const ForeignKey* foreign_key = nullptr;      // copy: the FK joined through
  SamplePlan sample;
  std::string sql;
  // Tables the probe reads (SELECT privilege needed; AccessShareLock taken).
  std::vector<ObjectId> Reads() const;
};

// Candidates of checks 6-8 for the tables in scope, each with its probe. Partitions are judged
// through their partitioned parent (fk_implied, column_missing_not_null).
std::vector<DataProbe> PlanDataProbes(const Catalog& catalog, const DataCheckOptions& options);

// The findings a probe's row means (none when the data does not confirm the candidate).
std::vector<Finding> InterpretProbe(const Catalog& catalog, const DataProbe& probe,
                                    const std::vector<std::int64_t>& row);

// Implied-FK candidates alone (also used by PlanDataProbes): for each column of a table in
// scope, the one table its name and type point at; skipped when no FK-free column matches or
// when the match is ambiguous (two tables, neither alone in the column's schema).
struct ImpliedForeignKey {
  ObjectId table_id = 0;
  std::string column;
  ObjectId referenced_table_id = 0;
  std::string referenced_column;
};
std::vector<ImpliedForeignKey> FindImpliedForeignKeys(const Catalog& catalog);

// A constraint name for `table` that no constraint of the table has yet: the deterministic
// IndexName(table, parts, suffix), with a number added to the suffix when taken.
std::string FreeConstraintName(const Catalog& catalog, const Table& table,
                               const std::vector<std::string>& parts, const std::string& suffix);

}  // namespace dbopt
