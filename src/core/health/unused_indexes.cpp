// Check 4 of dbopt_health(): index_unused. An index no scan has used since the statistics
// were reset (pg_stat_*_indexes.idx_scan = 0) costs every write and buys nothing, unless it
// is there for what it enforces or for the referential-integrity lookups of a foreign key
// (those do count as scans once they happen, but a parent that is never deleted from never
// triggers them, and dropping the index would turn the first delete into a table scan).
//
// Never reported: indexes that back a constraint, unique indexes, exclusion and replica
// identity indexes, indexes FKs reference, invalid ones (index_invalid), and the only index
// that serves a foreign key's lookup. A partitioned index counts the scans of all its
// partition indexes and is reported once, on the parent.
#include <algorithm>
#include <cstdio>
#include <unordered_map>
#include <unordered_set>

#include "core/common/sql_text.hpp"
#include "core/health/fk_coverage.hpp"
#include "core/health/index_ddl.hpp"
#include "core/health/index_drop_ddl.hpp"
#include "core/health/redundant_indexes.hpp"
#include "core/health/schema_checks.hpp"

namespace dbopt {
namespace {

struct Usage {
  std::int64_t scans = 0;
  double pages = 0;
  int partition_indexes = 0;
};

// Scans and pages of the index plus, for a partitioned index, of every attached partition
// index below it (the parent itself is never scanned).
void AddUsage(const Catalog& catalog, const Index& index, Usage& usage) {
  usage.scans += index.scans;
  usage.pages += index.pages;
  for (const Index* child : AttachedIndexes(catalog, index)) {
    ++usage.partition_indexes;
    AddUsage(catalog, *child, usage);
  }
}

bool Usable(const Index& index) {
  return index.valid && index.ready && !index.build_in_progress;
}

// How well `index` serves the RI lookup of `fk`: all columns (and usable) beats some columns.
// `table` is the index's table.
int ForeignKeyScore(const Catalog& catalog, const Table& table, const Index& index,
                    const ForeignKey& fk, const PredicateOracle& predicates) {
  if (!Usable(index)) return 0;
  const FkIndexMatch match = MatchIndexToForeignKey(catalog, table, index, fk, predicates);
  if (match.covers) return static_cast<int>(fk.columns.size()) + 1;
  return index.Partial() ? 0 : match.leading;
}

// Indexes this check never proposes to drop, whatever their scans.
bool Excluded(const Index& index) {
  return !Usable(index) || index.parent_index_id != 0 || index.constraint_id != 0 || index.unique ||
         index.primary || index.exclusion || index.referenced_by_foreign_key ||
         index.replica_identity;
}

// True when `index` must stay for the lookup of an FK declared on its table or a partitioned
// ancestor: no other index of the table serves the FK better, and of the ones that serve it
// as well none stays anyway (excluded or scanned) and none is older. So of two equal unused
// indexes one is reported, never both.
using ForeignKeysByTable = std::unordered_map<ObjectId, std::vector<const ForeignKey*>>;

// ForeignKeyScore of each (index, FK) pair of one table, computed once: NeededForForeignKey
// compares every candidate index of a table with all the others, FK by FK. The catalog's
// indexes come in OID order, so a table's indexes mostly come one after the other: the
// answers are kept until another table's are asked for, per FK by the index's position in
// Catalog::IndexesOf(table).
class TableScores {
 public:
  TableScores(const Catalog& catalog, const PredicateOracle& predicates)
      : catalog_(catalog), predicates_(predicates) {}
  int Score(const Table& table, const std::vector<const Index*>& indexes, size_t position,
            const ForeignKey& fk) {
    if (table_ != &table) {
      table_ = &table;
      per_fk_.clear();
    }
    std::vector<int>* scores = nullptr;
    for (auto& [known, values] : per_fk_)
      if (known == &fk) scores = &values;
    if (scores == nullptr) {
      per_fk_.emplace_back(&fk, std::vector<int>(indexes.size(), -1));
      scores = &per_fk_.back().second;
    }
    int& score = (*scores)[position];
    if (score < 0) score = ForeignKeyScore(catalog_, table, *indexes[position], fk, predicates_);
    return score;
  }

 private:
  const Catalog& catalog_;
  const PredicateOracle& predicates_;
  const Table* table_ = nullptr;
  std::vector<std::pair<const ForeignKey*, std::vector<int>>> per_fk_;
};

bool NeededForForeignKey(const Catalog& catalog, const ForeignKeysByTable& foreign_keys,
                         const Index& index, const Table& table, const PredicateOracle& predicates,
                         TableScores& scores) {
  const std::vector<const Index*>& indexes = catalog.IndexesOf(table.id);
  const size_t self =
      static_cast<size_t>(std::find(indexes.begin(), indexes.end(), &index) - indexes.begin());
  // The table and its partitioned ancestors (64 at most).
  int depth = 0;
  for (const Table* t = &table; t != nullptr && depth < 64;
       t = t->parent_id == 0 ? nullptr : catalog.FindTable(t->parent_id), ++depth) {
    auto declared = foreign_keys.find(t->id);
    if (declared == foreign_keys.end()) continue;
    for (const ForeignKey* fk_pointer : declared->second) {
      const ForeignKey& fk = *fk_pointer;
      const int score = self < indexes.size()
                            ? scores.Score(table, indexes, self, fk)
                            : ForeignKeyScore(catalog, table, index, fk, predicates);
      if (score == 0) continue;
      bool served_otherwise = false;
      for (size_t position = 0; position < indexes.size(); ++position) {
        const Index* other = indexes[position];
        if (other->id == index.id) continue;
        const int other_score = scores.Score(table, indexes, position, fk);
        if (other_score < score) continue;
        Usage usage;
        AddUsage(catalog, *other, usage);
        if (other_score > score || Excluded(*other) || usage.scans > 0 || other->id < index.id)
          served_otherwise = true;
      }
      if (!served_otherwise) return true;
    }
  }
  return false;
}

std::string Age(double seconds) {
  char text[64];
  if (seconds < 0) return "an unknown time";
  if (seconds < 2 * 3600) {
    std::snprintf(text, sizeof text, "%.0f minutes", seconds / 60);
  } else if (seconds < 2 * 86400) {
    std::snprintf(text, sizeof text, "%.0f hours", seconds / 3600);
  } else {
    std::snprintf(text, sizeof text, "%.0f days", seconds / 86400);
  }
  return text;
}

}  // namespace

std::vector<Finding> UnusedIndexFindings(const Catalog& catalog,
                                         const PredicateOracle& predicates) {
  return UnusedIndexFindings(catalog, predicates, RedundantIndexPairs(catalog));
}

std::vector<Finding> UnusedIndexFindings(const Catalog& catalog, const PredicateOracle& predicates,
                                         const std::vector<RedundantPair>& pairs,
                                         JsonForm evidence_form) {
  std::vector<Finding> findings;
  ForeignKeysByTable foreign_keys;
  for (const ForeignKey& fk : catalog.foreign_keys) foreign_keys[fk.table_id].push_back(&fk);
  TableScores scores(catalog, predicates);
  std::unordered_set<ObjectId> redundancy_decided;  // see RedundantIndexPairs
  for (const RedundantPair& pair : pairs) {
    redundancy_decided.insert(pair.dropped->id);
    redundancy_decided.insert(pair.kept->id);
  }
  // The same for every finding: written once.
  const std::string since =
      " has not been scanned since " +
      (catalog.stats_reset.empty() ? std::string("the statistics were last reset")
                                   : catalog.stats_reset) +
      " (" + Age(catalog.stats_age_seconds) +
      " ago), yet every write maintains it; make sure that period covers the "
      "whole workload (monthly jobs, reports) and that standbys do not use "
      "it, whose scans are not counted here";
  // The statistics' age as the evidence prints it, formatted once (a "%.15g" each otherwise).
  JsonWriter age_json;
  age_json.Number(catalog.stats_age_seconds);
  const std::string& stats_age = age_json.str();
  for (const auto& [id, index] : catalog.indexes) {
    if (Excluded(index) || redundancy_decided.count(id) != 0) continue;
    const Table* table = catalog.FindTable(index.table_id);
    if (table == nullptr || !catalog.InScope(*table)) continue;
    Usage usage;
    AddUsage(catalog, index, usage);
    if (usage.scans != 0) continue;
    if (NeededForForeignKey(catalog, foreign_keys, index, *table, predicates, scores)) continue;

    const std::string name = QualifiedName(index);
    Finding finding;
    finding.check_id = "index_unused";
    finding.severity = Severity::kInfo;
    finding.object_type = "index";
    finding.object_name = name;
    finding.message.reserve(6 + name.size() + since.size());
    finding.message.append("index ").append(name).append(since);
    if (table->Partitioned())
      finding.message += "; scans of its " + std::to_string(usage.partition_indexes) +
                         " partition indexes are included; a partitioned index cannot be "
                         "dropped CONCURRENTLY (DROP INDEX locks the table and all partitions)";
    JsonWriter detail(evidence_form);
    detail.BeginObject()
        .Field("index", name)
        .Field("table", QualifiedName(*table))
        .Field("scans", usage.scans)
        .Field("pages", usage.pages)
        .Field("partition_indexes", usage.partition_indexes)
        .Key("stats_reset");
    if (catalog.stats_reset.empty())
      detail.Null();
    else
      detail.String(catalog.stats_reset);
    // The cached definition itself (no copy): valid as long as the catalog's source is.
    const std::string& definition = catalog.IndexDefinition(index);
    finding.revert = RecreateIndexStatements(catalog, index);
    detail.Key("stats_age_seconds").Raw(stats_age).Field("definition", definition).EndObject();
    SetDetail(finding, detail);
    finding.remediation.push_back(DropIndexStatement(index, catalog));
    findings.push_back(std::move(finding));
  }
  return findings;
}

}  // namespace dbopt
