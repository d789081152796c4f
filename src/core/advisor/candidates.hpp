// Index candidates from a workload's access paths: what the advisor may propose, before any
// cost is known. Each candidate is rendered as one CREATE INDEX statement (schema-qualified
// table, no index name), which is the contract with the what-if engine: the same text is
// planned hypothetically, sized, and finally turned into the recommended DDL.
#pragma once
#include "core/common/no_postgres.hpp"

#include <cstddef>
#include <string>
#include <vector>

#include "core/advisor/workload_input.hpp"
#include "core/model/catalog.hpp"

namespace dbopt::advisor {

struct IndexKey {
  std::string column;      // raw column name; empty for an expression
  std::string expression;  // SQL text, e.g. "lower(email)"
  bool descending = false;
  std::string opclass;  // empty: the type's default (e.g. "gin_trgm_ops" for trigram GIN)
  bool operator==(const IndexKey& o) const {
    return column == o.column && expression == o.expression && descending == o.descending &&
           opclass == o.opclass;
  }
};

// What a candidate is for (the most specific reason it was generated).
enum class CandidateKind {
  kSingle,       // one column
  kMultiColumn,  // equality columns, then a range column
  kJoin,         // a join column (compared to another relation's value)
  kSort,         // ORDER BY (... LIMIT) served in index order, after the equality columns
  kGroup,        // GROUP BY in index order
  kCovering,     // INCLUDE columns: an index-only scan
  kPartial,      // WHERE a constant condition that keeps few rows
  kExpression,   // an expression key such as lower(email)
  kTrigram,      // GIN gin_trgm_ops for LIKE/ILIKE/regex with a leading wildcard
  kWiden,        // an existing index with more columns, replacing it
};
const char* CandidateKindName(CandidateKind kind);

struct Candidate {
  ObjectId table_id = 0;
  std::string table;  // qualified, quoted as needed
  std::string access_method = "btree";
  std::vector<IndexKey> keys;
  std::vector<std::string> include;
  std::string predicate;                       // WHERE clause SQL, empty for none
  std::vector<std::string> predicate_columns;  // columns the predicate reads
  CandidateKind kind = CandidateKind::kSingle;
  ObjectId replaces = 0;             // the existing index this one widens (then droppable)
  std::string requires_extension;    // "pg_trgm" for trigram indexes
  std::vector<std::size_t> queries;  // workload queries it was generated for

  // CREATE INDEX ON <schema>.<table> USING <am> (<keys>) [INCLUDE (...)] [WHERE ...]
  std::string Ddl() const;
  // Every column the index stores or tests (keys, INCLUDE, predicate): an UPDATE of one of
  // them cannot be HOT.
  std::vector<std::string> Columns() const;
  // Key columns (expressions as their text) and INCLUDE columns for an index name.
  std::vector<std::string> NameParts() const;
};

struct CandidateOptions {
  std::size_t max_columns = 3;          // key columns per index
  std::size_t max_include_columns = 4;  // INCLUDE columns per index
  // A condition keeping at most this fraction of the rows makes a partial index.
  double partial_max_fraction = 0.1;
  // ... on a column with at most this many distinct values (a status, a flag), or IS [NOT]
  // NULL: a constant compared to a column of many values is one value of a parameter, and a
  // partial index for it would serve that value only.
  double partial_max_distinct = 100;
  bool trigram = true;        // pg_trgm is available (installed or installable)
  double min_table_rows = 0;  // tables with fewer rows get no candidates
};

// True when the existing index `index` already serves what `candidate` would: same table and
// access method; the candidate's keys (same column or expression text, direction and
// operator class, if any) are the leading keys of the index; its INCLUDE columns are among the
// index's columns; the index is not partial (or has the same predicate text); valid. The same
// rule as the health check's IndexCoversIndex, on names: candidates have no OIDs.
bool ExistingCovers(const Catalog& catalog, const Index& index, const Candidate& candidate);

// True when the existing index `index`, on `candidate`'s table or on a partition of it (same
// column names), is exactly the index `candidate` creates, as ALTER INDEX ... ATTACH
// PARTITION needs of a partition index: valid and ready, not attached to another index, not
// unique or backing a constraint; same access method, keys in order (column or expression,
// operator class, direction, default NULLS order and collation), INCLUDE columns in order and
// predicate.
bool ExistingMatches(const Catalog& catalog, const Index& index, const Candidate& candidate);

// The existing index `candidate` would replace when created: a valid, non-unique,
// non-partial btree index not backing a constraint, whose keys are a strict prefix of the
// candidate's (or equal, when the candidate adds INCLUDE columns) and whose INCLUDE columns
// the candidate keeps. nullptr when none, and always on a partitioned table (a partitioned
// index cannot be dropped concurrently).
const Index* WidenedIndex(const Catalog& catalog, const Candidate& candidate);

// All candidates for `workload`, deduplicated by DDL, without those an existing index already
// serves; each lists the queries it came from. Candidates that extend an existing index are
// marked kWiden with `replaces` set. Deterministic order.
std::vector<Candidate> GenerateCandidates(const Catalog& catalog, const Workload& workload,
                                          const CandidateOptions& options);

// The single-column btree candidates of every column a query filters, joins, sorts or
// groups on (Extend's starting set), without those an existing index serves.
std::vector<Candidate> SingleColumnCandidates(const Catalog& catalog, const Workload& workload);

// A btree candidate on `table` with plain ascending `columns` (tests, Extend).
Candidate BtreeCandidate(const Table& table, const std::vector<std::string>& columns);

// Whether the planner could use `candidate` for a query reading its table as `use` describes:
// its leading key is a column the query filters, joins, sorts or groups on; or it is partial
// on a column the query filters; or it has an expression key (not traced to queries here); or
// the query has no such condition on the table and reads the leading column (a full
// index-only scan, min()/max()). The advisor plans a query with a candidate only when this
// holds (a candidate cannot help a query otherwise).
bool MayServe(const Candidate& candidate, const TableUse& use);

// The columns a query uses on a table as index keys would (equality, range, join, sort,
// group), in a stable order; Extend widens indexes with these.
std::vector<std::string> IndexableColumns(const TableUse& use);

}  // namespace dbopt::advisor
