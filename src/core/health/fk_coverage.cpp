#include "core/health/fk_coverage.hpp"

#include <algorithm>
#include <cmath>
#include <tuple>
#include <unordered_map>
#include <string_view>

#include "core/common/sql_text.hpp"
#include "core/health/ddl_text.hpp"
#include "core/health/index_ddl.hpp"

namespace dbopt {
namespace {

// Among indexes of equal merit: a full index before a partial one, fewer key columns, name.
bool Preferred(const Index& a, const Index& b) {
  if (a.Partial() != b.Partial()) return !a.Partial();
  if (a.keys.size() != b.keys.size()) return a.keys.size() < b.keys.size();
  return a.name < b.name;
}

LeafCoverage EvaluateLeaf(const Catalog& catalog, const Table& leaf, const ForeignKey& fk,
                          const PredicateOracle& predicates) {
  const Index* covering = nullptr;
  const Index* invalid = nullptr;
  const Index* partial = nullptr;
  int partial_columns = 0;
  for (const Index* index : catalog.IndexesOf(leaf.id)) {
    const FkIndexMatch match = MatchIndexToForeignKey(catalog, leaf, *index, fk, predicates);
    if (match.covers) {
      if (covering == nullptr || Preferred(*index, *covering)) covering = index;
      continue;
    }
    if (!index->valid || !index->ready) {
      if (match.covers_if_valid && (invalid == nullptr || Preferred(*index, *invalid)))
        invalid = index;
      continue;
    }
    const int columns = match.leading;
    if (columns == 0 || (index->Partial() && !predicates.ImpliedByNotNull(*index, fk.columns)))
      continue;
    if (partial == nullptr || columns > partial_columns ||
        (columns == partial_columns && Preferred(*index, *partial))) {
      partial = index;
      partial_columns = columns;
    }
  }
  LeafCoverage leaf_coverage;
  leaf_coverage.table_id = leaf.id;
  const int all = static_cast<int>(fk.columns.size());
  if (covering != nullptr) {
    leaf_coverage = {leaf.id, FkCoverageStatus::kCovered, covering->id, all};
  } else if (invalid != nullptr) {
    leaf_coverage = {leaf.id, FkCoverageStatus::kCoveredByInvalid, invalid->id, all};
  } else if (partial != nullptr) {
    leaf_coverage = {leaf.id, FkCoverageStatus::kPartiallyCovered, partial->id, partial_columns};
  }
  return leaf_coverage;
}

FkCoverageStatus Combine(const std::vector<LeafCoverage>& leaves) {
  bool all_covered = true, all_covered_or_invalid = true, some_help = false;
  for (const LeafCoverage& leaf : leaves) {
    all_covered = all_covered && leaf.status == FkCoverageStatus::kCovered;
    all_covered_or_invalid =
        all_covered_or_invalid && (leaf.status == FkCoverageStatus::kCovered ||
                                   leaf.status == FkCoverageStatus::kCoveredByInvalid);
    some_help = some_help || leaf.status == FkCoverageStatus::kCovered ||
                leaf.status == FkCoverageStatus::kPartiallyCovered;
  }
  if (all_covered) return FkCoverageStatus::kCovered;
  if (all_covered_or_invalid) return FkCoverageStatus::kCoveredByInvalid;
  if (some_help) return FkCoverageStatus::kPartiallyCovered;
  return FkCoverageStatus::kUnindexed;
}

// An invalid (or not ready) index on `table` itself that would cover `fk` if it were valid.
const Index* InvalidCoveringIndex(const Catalog& catalog, const Table& table, const ForeignKey& fk,
                                  const PredicateOracle& predicates) {
  const Index* best = nullptr;
  for (const Index* index : catalog.IndexesOf(table.id)) {
    if (index->valid && index->ready) continue;
    if (MatchIndexToForeignKey(catalog, table, *index, fk, predicates).covers_if_valid &&
        (best == nullptr || Preferred(*index, *best)))
      best = index;
  }
  return best;
}

const Index* FindIndex(const Catalog& catalog, ObjectId id) {
  auto it = catalog.indexes.find(id);
  return it == catalog.indexes.end() ? nullptr : &it->second;
}

// The top of the chain of partitioned indexes `index` is attached to (itself if none).
const Index* TopIndex(const Catalog& catalog, const Index* index) {
  for (int depth = 0; index != nullptr && index->parent_index_id != 0 && depth < 64; ++depth) {
    const Index* parent = FindIndex(catalog, index->parent_index_id);
    if (parent == nullptr) break;
    index = parent;
  }
  return index;
}

// The index to name in covering_index: the best index of a plain table; for a partitioned
// table, the parent index every leaf's best index is attached to, if they share one.
const Index* ReportedIndex(const Catalog& catalog, const Table& table,
                           const std::vector<LeafCoverage>& leaves) {
  const Index* shared = nullptr;
  for (const LeafCoverage& leaf : leaves) {
    const Index* top = TopIndex(catalog, FindIndex(catalog, leaf.index_id));
    if (top == nullptr || (shared != nullptr && shared != top)) return nullptr;
    shared = top;
  }
  return shared != nullptr && shared->table_id == table.id ? shared : nullptr;
}

std::string ActionName(char action) {
  switch (action) {
    case 'r':
      return "restrict";
    case 'c':
      return "cascade";
    case 'n':
      return "set null";
    case 'd':
      return "set default";
    default:
      return "no action";
  }
}

std::vector<const Table*> SortedLeaves(const Catalog& catalog, const Table& table) {
  if (!table.Partitioned()) return {&table};  // its own only leaf
  std::vector<const Table*> leaves = catalog.Leaves(table.id);
  // A partitioned table without partitions: its own (partitioned) indexes are what future
  // partitions inherit, so judge those.
  if (leaves.empty()) leaves.push_back(&table);
  std::sort(leaves.begin(), leaves.end(), [](const Table* a, const Table* b) {
    return std::tie(a->schema, a->name) < std::tie(b->schema, b->name);
  });
  return leaves;
}

std::vector<std::string> ConvertedColumns(const ForeignKey& fk) {
  std::vector<std::string> converted;
  for (size_t i = 0; i < fk.columns.size() && i < fk.lookup_casts.size(); ++i)
    if (fk.lookup_casts[i]) converted.push_back(fk.columns[i]);
  return converted;
}

JsonWriter Evidence(const Catalog& catalog, const FkCoverage& coverage, const Table& table,
                    const Index* reported, const std::string& recipe, JsonForm form) {
  const ForeignKey& fk = *coverage.foreign_key;
  const Table* referenced = catalog.FindTable(fk.referenced_table_id);
  JsonWriter json(form);
  json.BeginObject();
  json.Field("constraint", fk.name);
  json.Field("table", coverage.table_name);
  json.Field("columns", fk.columns);
  json.Field("referenced_table", coverage.referenced_table);
  json.Field("referenced_columns", fk.referenced_columns);
  json.Field("status", FkCoverageStatusName(coverage.status));
  json.Key("table_rows");
  if (coverage.table_rows < 0) {
    json.Null();
  } else {
    json.Integer(coverage.table_rows);
  }
  json.Field("referenced_updates", coverage.referenced_updates);
  json.Field("referenced_deletes", coverage.referenced_deletes);
  // Rows of the referenced table (all its leaves), null when it was never analyzed.
  double referenced_rows = -1;
  if (referenced != nullptr) {
    for (const Table* leaf : SortedLeaves(catalog, *referenced))
      if (leaf->rows >= 0) referenced_rows = std::max(referenced_rows, 0.0) + leaf->rows;
  }
  json.Key("referenced_rows");
  if (referenced_rows < 0) {
    json.Null();
  } else {
    json.Integer(static_cast<std::int64_t>(std::llround(referenced_rows)));
  }
  json.Field("on_update", ActionName(fk.on_update));
  json.Field("on_delete", ActionName(fk.on_delete));
  const Index* best = reported;
  if (best == nullptr && !table.Partitioned() && !coverage.leaves.empty())
    best = FindIndex(catalog, coverage.leaves.front().index_id);
  json.Key("best_index");
  if (best == nullptr) {
    json.Null();
  } else {
    json.BeginObject();
    json.Field("name", QualifiedName(*best));
    json.Field("valid", best->valid && best->ready);
    json.Field("access_method", best->access_method);
    if (!table.Partitioned())
      json.Field("matched_columns", coverage.leaves.front().matched_columns);
    // Deparsing is costly on large catalogs: only for the indexes a finding is about.
    if (coverage.status != FkCoverageStatus::kCovered)
      json.Field("definition", catalog.IndexDefinition(*best));
    json.EndObject();
  }
  if (table.Partitioned()) {
    json.Key("partitions").BeginArray();
    for (const LeafCoverage& leaf : coverage.leaves) {
      const Table* leaf_table = catalog.FindTable(leaf.table_id);
      const Index* index = FindIndex(catalog, leaf.index_id);
      json.BeginObject();
      json.Field("table", leaf_table != nullptr ? QualifiedName(*leaf_table) : "");
      json.Field("status", FkCoverageStatusName(leaf.status));
      json.Key("index");
      if (index == nullptr) {
        json.Null();
      } else {
        json.String(QualifiedName(*index));
      }
      json.Field("matched_columns", leaf.matched_columns);
      json.Key("rows");
      if (leaf_table == nullptr || leaf_table->rows < 0) {
        json.Null();
      } else {
        json.Integer(static_cast<std::int64_t>(std::llround(leaf_table->rows)));
      }
      json.EndObject();
    }
    json.EndArray();
  }
  const std::vector<std::string> converted = ConvertedColumns(fk);
  if (!converted.empty()) json.Field("converted_columns", converted);
  if (!recipe.empty()) json.Field("recipe", recipe);
  if (recipe == "complete_parent_index")
    json.Field("revert_note", "attached partition indexes cannot be detached; DROP INDEX " +
                                  coverage.covering_index +
                                  " removes the parent index with every index attached to it");
  json.EndObject();
  return json;
}

// The first 8 bytes of `name` as a big-endian number, 0-padded: two names compare as their
// prefixes do unless the prefixes are equal (std::string compares bytes as unsigned, and a
// name holds no NUL, so a shorter name sorts first as it should).
std::uint64_t NamePrefix(const std::string& name) {
  std::uint64_t prefix = 0;
  for (size_t i = 0; i < 8; ++i)
    prefix = (prefix << 8) | (i < name.size() ? static_cast<unsigned char>(name[i]) : 0u);
  return prefix;
}

// The in-scope foreign keys with columns, ordered by (schema, table name, constraint name, id).
// Names are compared only to rank the referencing tables, mostly as numbers (the schema's
// rank among the few schemas, the name's first bytes); tables with equal (schema, name)
// share a rank, as a comparison of names would have them. The foreign keys are then placed by
// their table's rank (a counting sort) and sorted by constraint name within one rank.
std::vector<const ForeignKey*> ForeignKeysInOrder(const Catalog& catalog) {
  struct Entry {
    const ForeignKey* fk;
    std::uint32_t table;  // position in `named`, then the table's rank
  };
  struct Named {
    std::uint32_t schema;  // the schema's id, then its rank
    std::uint64_t prefix;  // NamePrefix(name)
    const Table* table;
  };
  std::vector<Entry> entries;
  entries.reserve(catalog.foreign_keys.size());
  std::vector<Named> named;
  std::unordered_map<const Table*, std::uint32_t> table_positions;
  std::unordered_map<std::string_view, std::uint32_t> schema_ids;
  std::vector<std::string_view> schemas;
  for (const ForeignKey& fk : catalog.foreign_keys) {
    const Table* table = catalog.FindTable(fk.table_id);
    if (table == nullptr || !catalog.InScope(*table) || fk.columns.empty()) continue;
    auto position = table_positions.emplace(table, static_cast<std::uint32_t>(named.size()));
    if (position.second) {
      auto id = schema_ids.emplace(table->schema, static_cast<std::uint32_t>(schemas.size()));
      if (id.second) schemas.emplace_back(table->schema);
      named.push_back({id.first->second, NamePrefix(table->name), table});
    }
    entries.push_back({&fk, position.first->second});
  }
  // The schemas' ranks.
  std::vector<std::uint32_t> schema_order(schemas.size());
  for (std::uint32_t i = 0; i < schema_order.size(); ++i) schema_order[i] = i;
  std::sort(schema_order.begin(), schema_order.end(),
            [&schemas](std::uint32_t a, std::uint32_t b) { return schemas[a] < schemas[b]; });
  std::vector<std::uint32_t> schema_rank(schemas.size());
  for (std::uint32_t r = 0; r < schema_order.size(); ++r) schema_rank[schema_order[r]] = r;
  for (Named& n : named) n.schema = schema_rank[n.schema];
  // The tables' ranks by (schema, name).
  std::vector<std::uint32_t> by_name(named.size());
  for (std::uint32_t i = 0; i < by_name.size(); ++i) by_name[i] = i;
  std::sort(by_name.begin(), by_name.end(), [&named](std::uint32_t a, std::uint32_t b) {
    const Named& x = named[a];
    const Named& y = named[b];
    if (x.schema != y.schema) return x.schema < y.schema;
    if (x.prefix != y.prefix) return x.prefix < y.prefix;
    return x.table->name < y.table->name;
  });
  std::vector<std::uint32_t> rank(named.size());
  std::uint32_t ranks = 0;
  for (size_t i = 0; i < by_name.size(); ++i) {
    if (i > 0) {
      const Named& previous = named[by_name[i - 1]];
      const Named& next = named[by_name[i]];
      if (previous.schema != next.schema || previous.prefix != next.prefix ||
          previous.table->name != next.table->name)
        ++ranks;
    }
    rank[by_name[i]] = ranks;
  }
  if (!by_name.empty()) ++ranks;
  // Counting sort by rank, then by (constraint name, id) within each rank (a table's few).
  std::vector<std::uint32_t> start(ranks + 1, 0);
  for (Entry& entry : entries) {
    entry.table = rank[entry.table];
    ++start[entry.table + 1];
  }
  for (std::uint32_t r = 0; r < ranks; ++r) start[r + 1] += start[r];
  std::vector<const ForeignKey*> ordered(entries.size());
  {
    std::vector<std::uint32_t> next(start.begin(), start.end() - 1);
    for (const Entry& entry : entries) ordered[next[entry.table]++] = entry.fk;
  }
  for (std::uint32_t r = 0; r < ranks; ++r) {
    if (start[r + 1] - start[r] < 2) continue;
    std::sort(ordered.begin() + start[r], ordered.begin() + start[r + 1],
              [](const ForeignKey* a, const ForeignKey* b) {
                if (int c = a->name.compare(b->name); c != 0) return c < 0;
                return a->id < b->id;
              });
  }
  return ordered;
}

}  // namespace

const char* FkCoverageStatusName(FkCoverageStatus status) {
  switch (status) {
    case FkCoverageStatus::kCovered:
      return "covered";
    case FkCoverageStatus::kPartiallyCovered:
      return "partially_covered";
    case FkCoverageStatus::kCoveredByInvalid:
      return "covered_by_invalid";
    case FkCoverageStatus::kUnindexed:
      return "unindexed";
  }
  return "unindexed";
}

int LeadingForeignKeyColumns(const Catalog& catalog, const Index& index, const ForeignKey& fk) {
  const Table* table = catalog.FindTable(index.table_id);
  return table == nullptr ? 0 : LeadingForeignKeyColumns(catalog, *table, index, fk);
}

int LeadingForeignKeyColumns(const Catalog& catalog, const Table& table, const Index& index,
                             const ForeignKey& fk) {
  const bool hash = SameText(index.access_method, "hash");
  if (!hash && !SameText(index.access_method, "btree")) return 0;
  // FK columns already matched: bits of one word (PostgreSQL allows 32 key columns), a vector
  // for any beyond 64 (empty, so no allocation, otherwise).
  const size_t count = fk.columns.size();
  std::uint64_t used_bits = 0;
  std::vector<bool> used_beyond(count > 64 ? count - 64 : 0, false);
  auto used = [&](size_t position) -> bool {
    return position < 64 ? ((used_bits >> position) & 1) != 0 : used_beyond[position - 64];
  };
  int matched = 0;
  for (const IndexColumn& key : index.keys) {
    if (key.IsExpression()) break;
    size_t position = 0;
    while (position < count && (used(position) || fk.columns[position] != key.column)) ++position;
    if (position == count) break;
    if (position < fk.lookup_casts.size() && fk.lookup_casts[position]) break;
    const Column* column = table.FindColumn(key.column);
    if (column == nullptr || key.collation != column->collation) break;
    const std::vector<ObjectId>& operators =
        fk.lookup_operators.empty() ? fk.equality_operators : fk.lookup_operators;
    if (position >= operators.size() ||
        catalog.equality_members.count({key.opfamily, operators[position]}) == 0)
      break;
    if (position < 64)
      used_bits |= std::uint64_t{1} << position;
    else
      used_beyond[position - 64] = true;
    ++matched;
    if (hash) break;  // a hash index answers equality on its one column only
  }
  return matched;
}

bool IndexCoversForeignKey(const Catalog& catalog, const Index& index, const ForeignKey& fk,
                           const PredicateOracle& predicates) {
  if (!index.valid || !index.ready) return false;
  return MatchIndexToForeignKey(catalog, index, fk, predicates).covers;
}

FkIndexMatch MatchIndexToForeignKey(const Catalog& catalog, const Index& index,
                                    const ForeignKey& fk, const PredicateOracle& predicates) {
  const Table* table = catalog.FindTable(index.table_id);
  if (table == nullptr) return FkIndexMatch{};
  return MatchIndexToForeignKey(catalog, *table, index, fk, predicates);
}

FkIndexMatch MatchIndexToForeignKey(const Catalog& catalog, const Table& table, const Index& index,
                                    const ForeignKey& fk, const PredicateOracle& predicates) {
  FkIndexMatch match;
  match.leading = LeadingForeignKeyColumns(catalog, table, index, fk);
  const size_t count = fk.columns.size();
  if (count == 0 || static_cast<size_t>(match.leading) != count) return match;
  if (SameText(index.access_method, "hash") && count != 1) return match;
  match.covers_if_valid = !index.Partial() || predicates.ImpliedByNotNull(index, fk.columns);
  match.covers = match.covers_if_valid && index.valid && index.ready;
  return match;
}

std::vector<FkCoverage> CheckFkCoverage(const Catalog& catalog, const PredicateOracle& predicates,
                                        FkEvidence evidence, JsonForm evidence_form) {
  const std::vector<const ForeignKey*> in_scope = ForeignKeysInOrder(catalog);
  IndexNamer namer(catalog);
  std::vector<FkCoverage> result;
  result.reserve(in_scope.size());
  for (const ForeignKey* fk : in_scope) {
    const Table& table = *catalog.FindTable(fk->table_id);
    FkCoverage coverage;
    coverage.foreign_key = fk;
    coverage.table_name = QualifiedName(table);
    const Table* referenced = catalog.FindTable(fk->referenced_table_id);
    if (referenced != nullptr) {
      coverage.referenced_table = QualifiedName(*referenced);
      if (!referenced->Partitioned()) {  // its own only leaf (no list built)
        coverage.referenced_updates += referenced->updates;
        coverage.referenced_deletes += referenced->deletes;
      } else {
        for (const Table* leaf : SortedLeaves(catalog, *referenced)) {
          coverage.referenced_updates += leaf->updates;
          coverage.referenced_deletes += leaf->deletes;
        }
      }
    }

    std::vector<const Table*> leaves = SortedLeaves(catalog, table);
    double rows = 0;
    bool rows_known = false;
    for (const Table* leaf : leaves) {
      coverage.leaves.push_back(EvaluateLeaf(catalog, *leaf, *fk, predicates));
      if (leaf->rows >= 0) {
        rows += leaf->rows;
        rows_known = true;
      }
    }
    if (rows_known) coverage.table_rows = static_cast<std::int64_t>(std::llround(rows));
    coverage.status = Combine(coverage.leaves);
    const Index* reported = ReportedIndex(catalog, table, coverage.leaves);
    if (reported == nullptr && !table.Partitioned())
      reported = FindIndex(catalog, coverage.leaves.front().index_id);
    if (reported != nullptr) coverage.covering_index = QualifiedName(*reported);

    std::string recipe;
    // A partitioned index on the table that would cover the FK but is invalid because some
    // partitions have no index attached (CREATE INDEX ... ON ONLY): completing it is the fix,
    // with the same statements the invalid-index check proposes. Attached partition indexes
    // cannot be detached, so there is no revert short of dropping the parent index.
    if (coverage.status != FkCoverageStatus::kCovered && table.Partitioned()) {
      const Index* parent = InvalidCoveringIndex(catalog, table, *fk, predicates);
      std::vector<std::string> completion;
      if (parent != nullptr)
        AttachMissingPartitionIndexes(catalog, *parent, QualifiedName(*parent), table, true, namer,
                                      completion);
      if (!completion.empty()) {
        coverage.status = FkCoverageStatus::kCoveredByInvalid;
        coverage.covering_index = QualifiedName(*parent);
        coverage.remediation = std::move(completion);
        reported = parent;
        recipe = "complete_parent_index";
      }
    }
    // No index on the plain columns can serve a lookup that converts them: no DDL then (the
    // evidence names the columns; the fix is matching the column types).
    if (coverage.status != FkCoverageStatus::kCovered && recipe.empty() &&
        ConvertedColumns(*fk).empty()) {
      NewIndex spec;
      spec.columns = fk->columns;
      std::vector<const Table*> uncovered;
      for (size_t i = 0; i < leaves.size(); ++i)
        if (coverage.leaves[i].status != FkCoverageStatus::kCovered) uncovered.push_back(leaves[i]);
      IndexDdl ddl;
      if (!table.Partitioned()) {
        recipe = "table";
        ddl = BuildCreateIndex(catalog, table, spec, namer);
      } else if (uncovered.size() == leaves.size()) {
        recipe = "partitioned";
        ddl = BuildCreateIndex(catalog, table, spec, namer);
      } else {
        // Some leaves are covered by indexes of their own: a parent index would need a
        // second, matching index on those leaves to become valid, so index only the rest.
        recipe = "uncovered_partitions";
        ddl = BuildCreateIndexOnEach(uncovered, spec, namer);
      }
      coverage.remediation = std::move(ddl.remediation);
      coverage.revert = std::move(ddl.revert);
    }
    if (evidence == FkEvidence::kAll || coverage.status != FkCoverageStatus::kCovered) {
      // Copied out (as long as the evidence), not the writer's 512-byte buffer moved.
      const JsonWriter json = Evidence(catalog, coverage, table, reported, recipe, evidence_form);
      if (json.tape()) {
        coverage.detail_json.clear();
        coverage.detail_tape = json.str();
      } else {
        coverage.detail_json = json.str();
      }
    }
    result.push_back(std::move(coverage));
  }
  return result;
}

std::vector<Finding> FkCoverageFindings(const Catalog& catalog, std::vector<FkCoverage> coverage) {
  std::vector<Finding> findings;
  findings.reserve(coverage.size());
  for (FkCoverage& entry : coverage) {
    if (entry.status == FkCoverageStatus::kCovered) continue;
    const ForeignKey& fk = *entry.foreign_key;
    const Table* table = catalog.FindTable(fk.table_id);
    Finding finding;
    finding.object_type = "foreign key";
    finding.object_name = entry.table_name + "." + QuoteIdent(fk.name);
    const std::string subject = "foreign key " + QuoteIdent(fk.name) + " on " + entry.table_name +
                                " (" + JoinIdents(fk.columns) + ")";
    const std::string referenced =
        entry.referenced_table.empty() ? "the referenced table" : entry.referenced_table;
    size_t covered_leaves = 0;
    for (const LeafCoverage& leaf : entry.leaves)
      if (leaf.status == FkCoverageStatus::kCovered) ++covered_leaves;
    switch (entry.status) {
      case FkCoverageStatus::kUnindexed:
        finding.check_id = "fk_unindexed";
        finding.severity = Severity::kWarning;
        finding.message = subject + " has no usable index: every delete or key update in " +
                          referenced + " scans " + entry.table_name;
        break;
      case FkCoverageStatus::kPartiallyCovered:
        finding.check_id = "fk_partially_indexed";
        finding.severity = Severity::kWarning;
        if (table != nullptr && table->Partitioned() && covered_leaves > 0) {
          finding.message = subject + " is indexed on only " + std::to_string(covered_leaves) +
                            " of " + std::to_string(entry.leaves.size()) + " partitions";
        } else {
          int matched = 0;
          for (const LeafCoverage& leaf : entry.leaves)
            matched = std::max(matched, leaf.matched_columns);
          finding.message = subject + " is only partly indexed: the best index narrows the " +
                            "lookup by " + std::to_string(matched) + " of " +
                            std::to_string(fk.columns.size()) + " columns";
        }
        break;
      case FkCoverageStatus::kCoveredByInvalid:
        finding.check_id = "fk_index_invalid";
        finding.severity = Severity::kWarning;
        finding.message = subject + " would be covered only by an invalid index" +
                          (entry.covering_index.empty() ? "" : " (" + entry.covering_index + ")");
        break;
      case FkCoverageStatus::kCovered:
        break;
    }
    const std::vector<std::string> converted = ConvertedColumns(fk);
    if (!converted.empty())
      finding.message += "; the lookup converts (" + JoinIdents(converted) +
                         ") to the referenced type, so only matching column types can fix it";
    finding.detail_json = std::move(entry.detail_json);
    finding.detail_tape = std::move(entry.detail_tape);
    finding.remediation = std::move(entry.remediation);
    finding.revert = std::move(entry.revert);
    findings.push_back(std::move(finding));
  }
  return findings;
}

}  // namespace dbopt
