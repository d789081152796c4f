// Size of an index as a fresh CREATE INDEX would build it, from table statistics only (no
// PostgreSQL): the what-if engine (src/pg/whatif) feeds it pg_stats figures and hands the
// result to the planner as the hypothetical index's pages, tuples and tree height.
//
// The model follows what PostgreSQL 15 writes on disk (8 kB pages):
//  * B-tree: tuples are an 8-byte header (16 with a null bitmap) plus the key columns laid
//    out with their type alignment, MAXALIGNed; leaf pages are filled to the fillfactor (90
//    by default), internal pages to 70%; INCLUDE columns exist in leaf tuples only; internal
//    pivot tuples are suffix-truncated; duplicates are merged into posting lists (at most
//    about a tenth of a page each during a build) unless the index is unique, has INCLUDE
//    columns or a key type without "equal image" support (numeric, float, ...).
//  * Hash: one 4-byte hash code per non-null row; the bucket count follows the build's
//    fill factor (75) and the splitpoint rounding; equal keys share a bucket, so duplicate-
//    heavy columns add overflow pages.
//  * GIN: one entry per distinct key with a varbyte-compressed posting list, moved to a
//    posting tree when it outgrows a third of a page.
#pragma once
#include "core/common/no_postgres.hpp"

#include <vector>

namespace dbopt::whatif {

constexpr double kBlockSize = 8192;

// One column (or expression) of the index, as pg_stats and pg_type describe it.
struct ColumnStats {
  int typlen = -1;        // pg_type.typlen: > 0 fixed width, -1 varlena, -2 cstring
  int align = 4;          // pg_type.typalign in bytes: 1, 2, 4 or 8
  double avg_width = 0;   // pg_stats.avg_width (stored bytes); <= 0: unknown
  double null_frac = 0;   // pg_stats.null_frac
  double n_distinct = 0;  // pg_stats.n_distinct: > 0 a count, < 0 minus a fraction, 0 unknown
  std::vector<double> mcv_freqs;  // pg_stats.most_common_freqs (may be empty)
};

struct IndexSizeEstimate {
  double pages = 1;       // every page, metapage included
  double leaf_pages = 0;  // B-tree leaf pages; GIN entry leaf pages; hash bucket pages
  double tuples = 0;      // leaf entries (B-tree: after deduplication), hash entries, GIN keys
  int tree_height = -1;   // B-tree levels above the leaves (0: the root is a leaf)
  double Bytes() const { return pages * kBlockSize; }
};

// Tuple sizes measured on a sample of the table (exact layout of each sampled row), which
// beat averages of pg_stats widths for variable-width columns (MAXALIGN of a varying size).
struct SampledTuples {
  double leaf_bytes = 0;             // mean leaf tuple (keys and INCLUDE columns), MAXALIGNed
  double key_bytes = 0;              // mean key-only tuple
  double present_key_bytes = 0;      // mean key tuple of rows without NULL keys
  std::vector<double> prefix_bytes;  // mean tuple of the first 1, 2, ... key columns
  bool Valid() const { return leaf_bytes > 0; }
};

struct BtreeInput {
  std::vector<ColumnStats> keys;
  std::vector<ColumnStats> include;
  SampledTuples sampled;  // optional: used when Valid()
  // Optional: the whole key's distinct count and most common combinations (from a sample),
  // for multi-column keys; used when n_distinct != 0.
  ColumnStats combined;
  double table_rows = 0;    // rows of the table (pg_class.reltuples)
  double indexed_rows = 0;  // rows the index holds (partial: the predicate's share)
  int fillfactor = 90;      // leaf fillfactor
  bool deduplicate = true;  // key types support deduplication (all "equal image")
  bool unique = false;
};
IndexSizeEstimate EstimateBtree(const BtreeInput& input);

struct HashInput {
  ColumnStats key;
  double table_rows = 0;
  double indexed_rows = 0;  // before removing NULLs (hash indexes do not store them)
  int fillfactor = 75;
};
IndexSizeEstimate EstimateHash(const HashInput& input);

// GIN over one column, described by a sample of its values' keys (e.g. pg_trgm trigrams).
struct GinInput {
  double indexed_rows = 0;   // rows with at least one key
  double keys_per_row = 0;   // mean distinct keys per indexed row
  double distinct_keys = 0;  // distinct keys in the whole column (scaled from the sample)
  // Share of indexed rows holding each key, for the most frequent keys of the sample (others
  // are assumed to share the remaining occurrences evenly).
  std::vector<double> top_key_fractions;
  double key_width = 4;  // stored key bytes (pg_trgm: int4)
  double rows_per_heap_page = 100;
};
IndexSizeEstimate EstimateGin(const GinInput& input);

// Helpers, exposed for the tests.
double MaxAlign(double bytes);
// The number of rows of each distinct key group, for deduplication: most common values
// first (one group each), then the rest spread evenly; NULLs form one group.
struct KeyGroups {
  std::vector<double> mcv_rows;  // rows of each most common value
  double other_groups = 0;       // the rest: this many groups ...
  double other_rows_each = 0;    // ... of this many rows each
  double null_rows = 0;
};
KeyGroups GroupKeys(const std::vector<ColumnStats>& keys, double table_rows, double indexed_rows);
// Distinct values of one column among `table_rows` (pg_stats convention for n_distinct).
double DistinctValues(const ColumnStats& column, double table_rows);
// Bucket count of a fresh hash index of `tuples` entries (PostgreSQL's splitpoint rounding).
double HashBuckets(double tuples, int fillfactor);

}  // namespace dbopt::whatif
