// Foreign-key coverage: can the referential-integrity lookup
//   SELECT 1 FROM fk_table WHERE fk_col1 = $1 AND ... FOR KEY SHARE
// (ri_triggers.c), and joins on the FK, use an index on every leaf partition?
#pragma once
#include "core/common/no_postgres.hpp"

#include <cstdint>
#include <string>
#include <vector>

#include "core/health/finding.hpp"
#include "core/model/catalog.hpp"

namespace dbopt {

enum class FkCoverageStatus { kCovered, kPartiallyCovered, kCoveredByInvalid, kUnindexed };
const char* FkCoverageStatusName(FkCoverageStatus status);

// Coverage of one leaf table (the referencing table itself when it is not partitioned, or
// when it is partitioned but has no partitions yet).
// Leaf status: covered (a valid index covers), else covered_by_invalid (an invalid or
// not-ready index would), else partially_covered (a usable index narrows the lookup by some
// FK columns), else unindexed.
struct LeafCoverage {
  ObjectId table_id = 0;
  FkCoverageStatus status = FkCoverageStatus::kUnindexed;
  ObjectId index_id = 0;    // the best index for that status, 0 if none
  int matched_columns = 0;  // FK columns that index narrows the lookup by
};

struct FkCoverage {
  const ForeignKey* foreign_key = nullptr;
  // All leaves covered: covered. Every leaf covered or covered_by_invalid: covered_by_invalid.
  // Some leaf covered or partially covered: partially_covered. Otherwise unindexed.
  FkCoverageStatus status = FkCoverageStatus::kUnindexed;
  std::string table_name;        // qualified referencing table
  std::string referenced_table;  // qualified
  // Qualified name of the best index (for a partitioned table: the parent index all leaves'
  // best indexes are attached to, if there is one); empty if none.
  std::string covering_index;
  std::vector<LeafCoverage> leaves;     // sorted by leaf name
  std::int64_t table_rows = -1;         // sum of the leaves' reltuples, -1 if never analyzed
  std::int64_t referenced_updates = 0;  // n_tup_upd of the referenced table (all leaves)
  std::int64_t referenced_deletes = 0;  // n_tup_del
  std::string detail_json = "{}";       // evidence
  std::string detail_tape;  // or the evidence as a JSON tape (JsonForm::kTape; detail_json "")
  std::vector<std::string> remediation;  // empty when covered
  std::vector<std::string> revert;
};

// How many of the FK's columns the index can narrow the lookup by: its leading key columns,
// up to the first that is not an FK column usable with the FK's equality operator (plain
// column, operator in the index column's family, same collation as the column). Ignores
// validity and predicate. (a,x,b) for FK (a,b) gives 1; (b,a) gives 2.
int LeadingForeignKeyColumns(const Catalog& catalog, const Index& index, const ForeignKey& fk);
// The same with the index's table already looked up (`table` is the index's table).
int LeadingForeignKeyColumns(const Catalog& catalog, const Table& table, const Index& index,
                             const ForeignKey& fk);

// True when `index` alone lets the RI lookup of `fk` on the index's table use every FK
// column: valid btree (or hash, one column) whose leading key columns are exactly the FK
// columns in some order, with matching operator family and collation, and whose predicate (if
// any) is implied by those columns being non-null.
bool IndexCoversForeignKey(const Catalog& catalog, const Index& index, const ForeignKey& fk,
                           const PredicateOracle& predicates);

// Both answers above from one pass over the index's keys (the checks ask them of every index
// of every table with a foreign key): `leading` is LeadingForeignKeyColumns, `covers`
// IndexCoversForeignKey, and `covers_if_valid` what `covers` would be if the index were
// valid and ready (an invalid index that would cover: covered_by_invalid).
struct FkIndexMatch {
  int leading = 0;
  bool covers = false;
  bool covers_if_valid = false;
};
FkIndexMatch MatchIndexToForeignKey(const Catalog& catalog, const Index& index,
                                    const ForeignKey& fk, const PredicateOracle& predicates);
FkIndexMatch MatchIndexToForeignKey(const Catalog& catalog, const Table& table, const Index& index,
                                    const ForeignKey& fk, const PredicateOracle& predicates);

// One entry per logical FK in scope (Catalog::InScope of the referencing table), sorted by
// table and constraint name. Remediation creates one index in FK column order (the
// partitioned recipe when no leaf is covered yet; otherwise only on the uncovered leaves).
// With FkEvidence::kUncoveredOnly (dbopt_health(), which reports only FKs that are not
// covered) the evidence of covered FKs is not built: their detail_json stays "{}".
// evidence_form: as text (detail_json) or as a tape (detail_tape), see RunCatalogChecks.
enum class FkEvidence { kAll, kUncoveredOnly };
std::vector<FkCoverage> CheckFkCoverage(const Catalog& catalog, const PredicateOracle& predicates,
                                        FkEvidence evidence = FkEvidence::kAll,
                                        JsonForm evidence_form = JsonForm::kText);

// Findings for FKs that are not fully covered (fk_unindexed, fk_partially_indexed,
// fk_index_invalid).
std::vector<Finding> FkCoverageFindings(const Catalog& catalog, std::vector<FkCoverage> coverage);

}  // namespace dbopt
