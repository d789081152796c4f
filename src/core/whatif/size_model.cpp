// See size_model.hpp. Constants are PostgreSQL 15's on-disk layout for 8 kB pages.
#include "core/whatif/size_model.hpp"

#include <algorithm>
#include <cmath>

namespace dbopt::whatif {
namespace {

constexpr double kPageHeader = 24;    // PageHeaderData
constexpr double kLinePointer = 4;    // ItemIdData
constexpr double kBtreeSpecial = 16;  // BTPageOpaqueData
constexpr double kHashSpecial = 16;   // HashPageOpaqueData
constexpr double kGinSpecial = 8;     // GinPageOpaqueData
constexpr double kTupleHeader = 8;    // IndexTupleData
constexpr double kNullBitmap = 4;     // IndexAttributeBitMapData
constexpr double kHeapTid = 6;        // ItemPointerData
constexpr double kInternalFill = 70;  // BTREE_NONLEAF_FILLFACTOR
// A build caps posting-list tuples at a tenth of a page (MAXALIGN_DOWN(BLCKSZ / 10), less a
// line pointer); a MAXALIGNed tuple therefore holds at most 808 bytes of key and TIDs.
constexpr double kMaxPostingBytes = 808;
constexpr double kGinMaxItem = 2712;  // GinMaxItemSize: a third of a page
constexpr double kGinSegment = 384;   // GinPostingListSegmentMaxSize (posting trees)
// Fill of GIN pages after a build: entry pages are split in the middle as keys arrive in
// order (measured: half full); posting trees are packed, but each key's tree has whole pages.
constexpr double kGinEntryFill = 0.5;
constexpr double kGinDataFill = 0.95;

double AlignUp(double bytes, double align) {
  return std::ceil(bytes / align - 1e-9) * align;
}

double Width(const ColumnStats& column) {
  if (column.typlen > 0) return column.typlen;
  if (column.avg_width > 0) return column.avg_width;
  return 32;  // PostgreSQL's own guess for a variable-width value of unknown size
}

// Bytes of the data area for the present (non-null) columns, and whether the result is exact
// (every width fixed) or an average over varying widths.
double DataBytes(const std::vector<const ColumnStats*>& columns, unsigned null_mask, bool* exact) {
  double offset = 0;
  *exact = true;
  for (size_t i = 0; i < columns.size(); ++i) {
    if (null_mask & (1u << i)) continue;
    const ColumnStats& column = *columns[i];
    double width = Width(column);
    bool aligned = column.typlen > 0 || (column.typlen == -1 && width > 127);
    if (aligned) {
      double align = column.typlen > 0 ? std::max(1, column.align) : 4;
      if (*exact)
        offset = AlignUp(offset, align);
      else
        offset += (align - 1) / 2;  // expected padding after a value of varying width
    }
    offset += width;
    if (column.typlen <= 0) *exact = false;
  }
  return offset;
}

// Expected size of an index tuple (header, null bitmap when a column is null, data,
// MAXALIGN), over the columns' independent null fractions.
double TupleBytes(const std::vector<const ColumnStats*>& columns) {
  size_t n = std::min<size_t>(columns.size(), 12);
  double expected = 0;
  for (unsigned mask = 0; mask < (1u << n); ++mask) {
    double probability = 1;
    for (size_t i = 0; i < n; ++i) {
      double null_frac = std::clamp(columns[i]->null_frac, 0.0, 1.0);
      probability *= (mask & (1u << i)) ? null_frac : 1 - null_frac;
    }
    if (probability <= 0) continue;
    bool exact = true;
    double header = mask != 0 ? MaxAlign(kTupleHeader + kNullBitmap) : kTupleHeader;
    double raw = header + DataBytes(columns, mask, &exact);
    double size = exact ? MaxAlign(raw) : raw + 3.5;  // MAXALIGN of varying sizes: +3.5 on average
    expected += probability * size;
  }
  return expected;
}

std::vector<const ColumnStats*> Pointers(const std::vector<ColumnStats>& a,
                                         const std::vector<ColumnStats>* b = nullptr) {
  std::vector<const ColumnStats*> out;
  for (const ColumnStats& column : a) out.push_back(&column);
  if (b != nullptr)
    for (const ColumnStats& column : *b) out.push_back(&column);
  return out;
}

// Leaf bytes (tuples and line pointers) and tuples of one group of `rows` equal keys after
// build-time deduplication, for a whole number of rows.
void DedupGroupWhole(double rows, double key_bytes, double* bytes, double* tuples) {
  double per_posting = std::floor((kMaxPostingBytes - key_bytes) / kHeapTid);
  if (per_posting < 2) {
    *bytes = rows * (key_bytes + kLinePointer);
    *tuples = rows;
    return;
  }
  double full = std::floor(rows / per_posting);
  double rest = rows - full * per_posting;
  *bytes = full * (MaxAlign(key_bytes + per_posting * kHeapTid) + kLinePointer);
  *tuples = full;
  if (rest >= 2) {
    *bytes += MaxAlign(key_bytes + rest * kHeapTid) + kLinePointer;
    *tuples += 1;
  } else if (rest >= 1) {
    *bytes += key_bytes + kLinePointer;
    *tuples += 1;
  }
}

// The same for a fractional (average) group size: interpolated between whole sizes.
void DedupGroup(double rows, double key_bytes, double* bytes, double* tuples) {
  rows = std::max(rows, 1.0);
  double low = std::floor(rows);
  double t = rows - low;
  double b0, n0, b1, n1;
  DedupGroupWhole(low, key_bytes, &b0, &n0);
  DedupGroupWhole(low + 1, key_bytes, &b1, &n1);
  *bytes = b0 + t * (b1 - b0);
  *tuples = n0 + t * (n1 - n0);
}

// Groups of values that are not among the most common: sizes vary around their mean. With a
// small mean they follow a zero-truncated Poisson law (values drawn at random: some once,
// some many times); a large mean is concentrated enough to interpolate. Below a mean of 2.5
// pg_stats' n_distinct is itself too low for such data (ANALYZE's estimator sees mostly
// singletons), so the Poisson spread would count duplicates twice: interpolate there too.
void DedupRestGroup(double mean, double key_bytes, double* bytes, double* tuples) {
  if (mean < 2.5 || mean > 30) {
    DedupGroup(mean, key_bytes, bytes, tuples);
    return;
  }
  // Solve lambda / (1 - exp(-lambda)) = mean by bisection.
  double lo = 1e-9, hi = mean + 10;
  for (int i = 0; i < 100; ++i) {
    double mid = (lo + hi) / 2;
    (mid / (1 - std::exp(-mid)) < mean ? lo : hi) = mid;
  }
  double lambda = (lo + hi) / 2;
  double norm = 1 - std::exp(-lambda);
  double p = std::exp(-lambda);  // P(k) of the untruncated law, from k = 0
  double total_bytes = 0, total_tuples = 0, mass = 0;
  for (int k = 1; k < 200 && (k < mean || mass < 0.999999); ++k) {
    p *= lambda / k;
    double weight = p / norm;
    double b, n;
    DedupGroupWhole(k, key_bytes, &b, &n);
    total_bytes += weight * b;
    total_tuples += weight * n;
    mass += weight;
  }
  *bytes = total_bytes / mass;
  *tuples = total_tuples / mass;
}

// Bytes a varbyte-encoded TID delta of `gap` takes (7 bits per byte).
double VarbyteBytes(double gap) {
  gap = std::max(gap, 1.0);
  return std::max(1.0, std::ceil(std::log2(gap + 1) / 7));
}

// Mean compressed bytes per TID of a posting list holding `fraction` of the rows.
double PostingBytesPerItem(double fraction, double rows_per_page) {
  fraction = std::clamp(fraction, 1e-12, 1.0);
  double per_page = fraction * rows_per_page;
  // TIDs are encoded as (block << 11 | offset).
  if (per_page >= 1)
    return ((per_page - 1) * VarbyteBytes(1 / fraction) + VarbyteBytes(2048)) / per_page;
  return VarbyteBytes(2048 / per_page);
}

// Standard normal upper tail.
double UpperTail(double z) {
  return 0.5 * std::erfc(z / std::sqrt(2.0));
}

// Expected overflow pages of a bucket whose load has this mean and variance.
double ExpectedOverflow(double mean, double variance, double capacity) {
  if (mean <= 0) return 0;
  double sd = std::sqrt(std::max(variance, 1e-9));
  double expected = 0;
  for (int k = 1; k < 100000; ++k) {
    double tail = UpperTail((k * capacity - mean) / sd);
    if (k * capacity > mean && tail < 1e-7) break;
    expected += tail;
  }
  return expected;
}

}  // namespace

double MaxAlign(double bytes) {
  return AlignUp(bytes, 8);
}

double DistinctValues(const ColumnStats& column, double table_rows) {
  double distinct = column.n_distinct;
  if (distinct < 0) distinct = -distinct * table_rows;
  if (distinct <= 0) distinct = std::min(table_rows, 200.0);  // the planner's default guess
  return std::clamp(distinct, 1.0, std::max(1.0, table_rows));
}

KeyGroups GroupKeys(const std::vector<ColumnStats>& keys, double table_rows, double indexed_rows) {
  KeyGroups groups;
  if (keys.empty() || indexed_rows <= 0) return groups;
  double share = table_rows > 0 ? std::min(1.0, indexed_rows / table_rows) : 1.0;
  double rows = indexed_rows;
  if (keys.size() == 1) {
    const ColumnStats& key = keys[0];
    groups.null_rows = std::clamp(key.null_frac, 0.0, 1.0) * rows;
    double distinct = DistinctValues(key, table_rows);
    double mcv_total = 0;
    for (double freq : key.mcv_freqs) {
      double mcv_rows = freq * table_rows * share;
      if (mcv_rows < 0.5) continue;
      groups.mcv_rows.push_back(mcv_rows);
      mcv_total += mcv_rows;
    }
    double rest_rows = std::max(0.0, rows - groups.null_rows - mcv_total);
    double rest_groups = std::max(1.0, distinct - groups.mcv_rows.size());
    // A partial index sees only part of the rare values.
    rest_groups = std::min(rest_groups, rest_rows);
    groups.other_groups = rest_groups;
    groups.other_rows_each = rest_groups > 0 ? rest_rows / rest_groups : 0;
    return groups;
  }
  double combined = 1;
  for (const ColumnStats& key : keys) combined *= DistinctValues(key, table_rows);
  combined = std::clamp(combined, 1.0, std::max(1.0, rows));
  groups.other_groups = combined;
  groups.other_rows_each = rows / combined;
  return groups;
}

IndexSizeEstimate EstimateBtree(const BtreeInput& input) {
  IndexSizeEstimate out;
  double rows = std::max(0.0, input.indexed_rows);
  if (rows < 0.5) {
    out.pages = 1;  // the metapage alone
    out.tree_height = 0;
    return out;
  }
  std::vector<const ColumnStats*> key_columns = Pointers(input.keys);
  std::vector<const ColumnStats*> leaf_columns = Pointers(input.keys, &input.include);
  const SampledTuples& sampled = input.sampled;
  double key_bytes = sampled.Valid() ? sampled.key_bytes : TupleBytes(key_columns);
  double leaf_bytes = sampled.Valid() ? sampled.leaf_bytes : TupleBytes(leaf_columns);

  double total_bytes = 0;
  double tuples = 0;
  bool dedup = input.deduplicate && !input.unique && input.include.empty();
  if (dedup) {
    KeyGroups groups = input.keys.size() > 1 && input.combined.n_distinct != 0
                           ? GroupKeys({input.combined}, input.table_rows, rows)
                           : GroupKeys(input.keys, input.table_rows, rows);
    double bytes, count;
    for (double group : groups.mcv_rows) {
      DedupGroup(group, key_bytes, &bytes, &count);
      total_bytes += bytes;
      tuples += count;
    }
    if (groups.null_rows >= 1) {
      // All-NULL keys: header and null bitmap only.
      DedupGroup(groups.null_rows, MaxAlign(kTupleHeader + kNullBitmap), &bytes, &count);
      total_bytes += bytes;
      tuples += count;
    }
    if (groups.other_groups > 0) {
      // Non-null keys: their size without the NULL share.
      std::vector<ColumnStats> present = input.keys;
      if (present.size() == 1) present[0].null_frac = 0;
      double present_bytes = sampled.Valid() && sampled.present_key_bytes > 0
                                 ? sampled.present_key_bytes
                             : present.size() == 1 ? TupleBytes(Pointers(present))
                                                   : key_bytes;
      DedupRestGroup(groups.other_rows_each, present_bytes, &bytes, &count);
      total_bytes += bytes * groups.other_groups;
      tuples += count * groups.other_groups;
    }
  } else {
    total_bytes = rows * (leaf_bytes + kLinePointer);
    tuples = rows;
  }
  double mean_item = tuples > 0 ? total_bytes / tuples : leaf_bytes + kLinePointer;

  // Pivot tuples: suffix truncation keeps the shortest key prefix that separates neighbouring
  // leaf pages; when whole keys repeat across pages, the heap TID is kept too.
  double usable = kBlockSize - kPageHeader - kBtreeSpecial;
  double leaf_reserve = std::floor(kBlockSize * (100 - input.fillfactor) / 100);
  double leaf_estimate = std::max(1.0, total_bytes / (usable - leaf_reserve));
  double pivot = 0;
  double prefix_distinct = 1;
  for (size_t j = 0; j < input.keys.size() && pivot == 0; ++j) {
    prefix_distinct *= DistinctValues(input.keys[j], input.table_rows);
    if (prefix_distinct >= 2 * leaf_estimate) {
      std::vector<const ColumnStats*> prefix(key_columns.begin(), key_columns.begin() + j + 1);
      pivot = j < sampled.prefix_bytes.size() ? sampled.prefix_bytes[j] : TupleBytes(prefix);
    }
  }
  if (pivot == 0) pivot = key_bytes + 8;  // key plus a MAXALIGNed heap TID

  // Leaf pages: an item is added while the free space exceeds it plus the fillfactor's
  // reserve (a whole number of items per page); the high key takes a slot.
  double per_leaf = std::max(
      1.0, std::floor((usable - leaf_reserve - (pivot + kLinePointer)) / mean_item + 1e-9));
  double leaf_pages = std::max(1.0, std::ceil(total_bytes / (per_leaf * mean_item)));

  double internal_reserve = std::floor(kBlockSize * (100 - kInternalFill) / 100);
  double internal_item = pivot + kLinePointer;
  double per_internal =
      std::max(2.0, std::floor((usable - internal_reserve - internal_item) / internal_item));
  double pages = 1 + leaf_pages;  // metapage and leaves
  double level = leaf_pages;
  int height = 0;
  while (level > 1) {
    level = std::ceil(level / per_internal);
    pages += level;
    ++height;
  }
  out.pages = pages;
  out.leaf_pages = leaf_pages;
  out.tuples = tuples;
  out.tree_height = height;
  return out;
}

double HashBuckets(double tuples, int fillfactor) {
  double item = kTupleHeader + 8 + kLinePointer;  // header, MAXALIGNed hash code, line pointer
  double ffactor = std::max(10.0, std::floor(std::floor(kBlockSize * fillfactor / 100) / item));
  double wanted = std::floor(tuples / ffactor);
  if (wanted <= 2) return 2;
  if (wanted >= 1073741824.0) return 1073741824.0;
  // Bucket counts grow by doubling up to 512; beyond, each doubling comes in four steps.
  int group = static_cast<int>(std::ceil(std::log2(wanted) - 1e-12));
  if (group < 10) return std::pow(2.0, group);
  double base = std::pow(2.0, group - 1);
  double step = base / 4;
  return base + step * std::ceil((wanted - base) / step - 1e-12);
}

IndexSizeEstimate EstimateHash(const HashInput& input) {
  IndexSizeEstimate out;
  double null_frac = std::clamp(input.key.null_frac, 0.0, 1.0);
  double entries = std::max(0.0, input.indexed_rows * (1 - null_frac));
  // The build sizes its buckets for the table's whole row estimate.
  double buckets = HashBuckets(std::max(input.table_rows, entries), input.fillfactor);
  double item = kTupleHeader + 8 + kLinePointer;
  double capacity = std::floor((kBlockSize - kPageHeader - kHashSpecial - kLinePointer) / item);
  // Equal keys hash to the same bucket: most common values are placed one by one, the rest
  // spread as groups of equal keys (a compound Poisson load).
  ColumnStats key = input.key;
  KeyGroups groups = GroupKeys({key}, input.table_rows, input.indexed_rows);
  double rest_rows = groups.other_groups * groups.other_rows_each;
  double per_group = std::max(1.0, groups.other_rows_each);
  // Linear hashing: hash codes are spread over the next power of two of buckets; the codes of
  // buckets not split yet land in their lower twin, which gets twice the load.
  double span = std::pow(2.0, std::ceil(std::log2(buckets) - 1e-12));
  double doubled = span - buckets;
  double single = buckets - doubled;
  double mean = rest_rows / span;
  double overflow = single * ExpectedOverflow(mean, mean * per_group, capacity) +
                    doubled * ExpectedOverflow(2 * mean, 2 * mean * per_group, capacity);
  double average = rest_rows / buckets;
  for (double group : groups.mcv_rows) {
    double pages_needed = std::ceil((group + average) / capacity);
    double usual = 1 + ExpectedOverflow(average, average * per_group, capacity);
    overflow += std::max(0.0, pages_needed - usual);
  }
  double bitmaps = 1 + std::floor(overflow / (8 * 4096.0));
  out.pages = 1 + buckets + bitmaps + std::ceil(overflow);
  out.leaf_pages = buckets + std::ceil(overflow);
  out.tuples = entries;
  return out;
}

IndexSizeEstimate EstimateGin(const GinInput& input) {
  IndexSizeEstimate out;
  double rows = std::max(0.0, input.indexed_rows);
  double distinct = std::max(0.0, input.distinct_keys);
  if (rows < 0.5 || distinct < 0.5 || input.keys_per_row <= 0) {
    out.pages = 2;  // metapage and an empty root
    return out;
  }
  double occurrences = rows * input.keys_per_row;
  double entry_head = MaxAlign(kTupleHeader + input.key_width);
  double page = kBlockSize - kPageHeader - kGinSpecial;
  double entry_bytes = 0;
  double data_pages = 0;
  auto add_key = [&](double count, double weight) {
    count = std::clamp(count, 1.0, rows);
    double per_item = PostingBytesPerItem(count / rows, input.rows_per_heap_page);
    double list = count * per_item;
    double inline_size = MaxAlign(entry_head + list);
    if (inline_size <= kGinMaxItem) {
      entry_bytes += weight * (inline_size + kLinePointer);
    } else {
      entry_bytes += weight * (entry_head + kLinePointer);
      double segments = std::ceil(list / kGinSegment);
      double tree_bytes = list + segments * (kHeapTid + 2);
      data_pages += weight * std::max(1.0, std::ceil(tree_bytes / (page * kGinDataFill)));
    }
  };
  double top_occurrences = 0;
  double top_count = 0;
  for (double fraction : input.top_key_fractions) {
    if (top_count >= distinct) break;
    double count = fraction * rows;
    add_key(count, 1);
    top_occurrences += count;
    top_count += 1;
  }
  double rest_keys = std::max(0.0, distinct - top_count);
  if (rest_keys > 0) {
    double each = std::max(1.0, (occurrences - top_occurrences) / rest_keys);
    add_key(each, rest_keys);
  }
  double entry_pages = std::ceil(entry_bytes / (page * kGinEntryFill));
  // Entry tree internal pages: one downlink per leaf page.
  double internal =
      entry_pages > 1
          ? std::ceil(entry_pages * (entry_head + kLinePointer + 8) / (page * kGinEntryFill))
          : 0;
  out.pages = 1 + entry_pages + internal + data_pages;
  out.leaf_pages = entry_pages;
  out.tuples = distinct;
  return out;
}

}  // namespace dbopt::whatif
