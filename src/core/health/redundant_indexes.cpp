// Check 3 of dbopt_health(): index_duplicate and index_redundant.
//
// An index is dropped only when another index of the same table that stays covers it
// (IndexCoversIndex). Among identical indexes the one that backs a constraint, or else the
// oldest, stays. Indexes that PostgreSQL or the schema still need are never dropped: primary
// keys, exclusion constraints, indexes FKs reference (pg_constraint.conindid), the replica
// identity, and partition indexes attached to a partitioned index (those are reported on the
// parent). A UNIQUE constraint's index is dropped only through its constraint, and only when
// the covering index enforces the same uniqueness.
#include "core/health/redundant_indexes.hpp"

#include <algorithm>
#include <tuple>

#include "core/common/sql_text.hpp"
#include "core/health/ddl_text.hpp"
#include "core/health/index_ddl.hpp"
#include "core/health/index_drop_ddl.hpp"
#include "core/health/schema_checks.hpp"

namespace dbopt {
namespace {

bool Usable(const Index& index) {
  return index.valid && index.ready && !index.build_in_progress;
}

std::string ColumnText(const IndexColumn& column) {
  return column.IsExpression() ? "(" + column.expression + ")" : column.column;
}

// Key columns for messages; expressions (stored trees in the model) as "<expression>".
void AppendKeyList(std::string& out, const Index& index) {
  out += '(';
  for (size_t k = 0; k < index.keys.size(); ++k) {
    if (k > 0) out += ", ";
    if (index.keys[k].IsExpression())
      out += "<expression>";
    else
      AppendQuotedIdent(out, index.keys[k].column);
  }
  out += ')';
}

const CheckConstraintInfo* BackedConstraint(const Catalog& catalog, const Index& index) {
  return index.constraint_id == 0 ? nullptr : catalog.FindConstraint(index.constraint_id);
}

// The UNIQUE constraint whose index may be dropped (through ALTER TABLE ... DROP CONSTRAINT)
// when another index enforces the same uniqueness; nullptr when the index backs none or one
// that must stay.
const CheckConstraintInfo* DroppableUniqueConstraint(const Catalog& catalog, const Index& index,
                                                     const Table& table) {
  const CheckConstraintInfo* constraint = BackedConstraint(catalog, index);
  if (constraint == nullptr || constraint->type != 'u') return nullptr;
  // ADD CONSTRAINT ... USING INDEX (the revert) is refused on partitioned tables.
  if (table.Partitioned() || table.parent_id != 0) return nullptr;
  return constraint;
}

bool Droppable(const Catalog& catalog, const Index& index, const Table& table) {
  if (!Usable(index) || index.primary || index.exclusion || index.referenced_by_foreign_key ||
      index.replica_identity || index.parent_index_id != 0)
    return false;
  return index.constraint_id == 0 || DroppableUniqueConstraint(catalog, index, table) != nullptr;
}

// Which of two equivalent indexes stays: one that cannot be dropped at all, then one that
// backs a constraint, then the unique one, then the one queries use most, then the oldest.
bool PreferredToKeep(const Index& a, const Index& b) {
  auto rank = [](const Index& i) {
    const bool required =
        i.primary || i.referenced_by_foreign_key || i.replica_identity || i.parent_index_id != 0;
    return std::make_tuple(!required, i.constraint_id == 0, !i.unique, -i.scans, i.id);
  };
  return rank(a) < rank(b);
}

Finding MakeFinding(const Catalog& catalog, const Index& index, const Index& kept,
                    const Table& table, JsonForm evidence_form) {
  const bool duplicate = SameIndexDefinition(index, kept);
  const std::string name = QualifiedName(index);
  const std::string kept_name = QualifiedName(kept);
  Finding finding;
  finding.check_id = duplicate ? "index_duplicate" : "index_redundant";
  finding.severity = Severity::kWarning;
  finding.object_type = "index";
  finding.object_name = name;
  if (duplicate) {
    finding.message = "index " + name + " duplicates " + kept_name +
                      " (same columns, operator classes, collations, order and predicate)";
  } else {
    std::string& message = finding.message;
    message.reserve(96 + name.size() + kept_name.size() +
                    24 * (index.keys.size() + kept.keys.size()));
    message.append("index ").append(name).append(" ");
    AppendKeyList(message, index);
    message.append(" is redundant: ").append(kept_name).append(" ");
    AppendKeyList(message, kept);
    message += " starts with the same keys and serves its queries";
  }
  finding.message += "; every write maintains both";

  // The cached definition itself (no copy): valid as long as the catalog's source is.
  const std::string& definition = catalog.IndexDefinition(index);
  std::vector<std::string> recreate = RecreateIndexStatements(catalog, index);
  JsonWriter detail(evidence_form);
  detail.BeginObject()
      .Field("index", name)
      .Field("kept_index", kept_name)
      .Field("table", QualifiedName(table))
      .Field("definition", definition)
      .Field("kept_definition", catalog.IndexDefinition(kept))
      .Field("pages", index.pages)
      .Field("scans", static_cast<std::int64_t>(index.scans))
      .Field("kept_scans", static_cast<std::int64_t>(kept.scans));

  const CheckConstraintInfo* constraint = DroppableUniqueConstraint(catalog, index, table);
  if (constraint != nullptr) {
    const std::string quoted = QuoteIdent(constraint->name);
    finding.message += "; it backs the UNIQUE constraint " + quoted + ", which " + kept_name +
                       " already enforces: the remediation drops the constraint (brief ACCESS "
                       "EXCLUSIVE lock; ON CONFLICT ON CONSTRAINT " +
                       quoted + " would stop working)";
    finding.remediation.push_back("ALTER TABLE " + QualifiedName(table) + " DROP CONSTRAINT " +
                                  quoted);
    if (!recreate.empty()) {
      finding.revert = std::move(recreate);
      finding.revert.push_back("ALTER TABLE " + QualifiedName(table) + " ADD CONSTRAINT " + quoted +
                               " UNIQUE USING INDEX " + QuoteIdent(index.name) +
                               (constraint->deferrable ? " DEFERRABLE" : "") +
                               (constraint->deferred ? " INITIALLY DEFERRED" : ""));
    }
    detail.Field("constraint", constraint->name);
  } else {
    finding.remediation.push_back(DropIndexStatement(index, catalog));
    finding.revert = std::move(recreate);
    if (table.Partitioned())
      finding.message +=
          "; a partitioned index cannot be dropped CONCURRENTLY: DROP INDEX locks the table "
          "and all its partitions (ACCESS EXCLUSIVE) and drops the attached partition indexes";
  }
  detail.Field("partitioned", table.Partitioned());
  if (finding.revert.empty())
    detail.Field("revert_note",
                 "the definition could not be parsed; recreate it from "
                 "\"definition\" with CONCURRENTLY");
  detail.EndObject();
  SetDetail(finding, detail);
  return finding;
}

}  // namespace

bool IndexCoversIndex(const Catalog& catalog, const Index& kept, const Index& index) {
  if (&kept == &index || kept.id == index.id || kept.table_id != index.table_id) return false;
  if (!Usable(kept) || !Usable(index) || index.exclusion) return false;
  if (index.keys.empty() || index.keys.size() > kept.keys.size()) return false;
  // The first key first: it tells most pairs of a table's indexes apart (all of them are
  // compared with each other), before the longer comparisons.
  if (!SameIndexKey(index.keys[0], kept.keys[0])) return false;
  if (kept.access_method != index.access_method || kept.predicate != index.predicate) return false;
  if (index.keys.size() < kept.keys.size() && !SameText(kept.access_method, "btree")) return false;
  for (size_t k = 1; k < index.keys.size(); ++k)
    if (!SameIndexKey(index.keys[k], kept.keys[k])) return false;
  for (const IndexColumn& included : index.include) {
    bool found = false;
    for (const auto* list : {&kept.keys, &kept.include})
      for (const IndexColumn& column : *list)
        if (ColumnText(column) == ColumnText(included)) found = true;
    if (!found) return false;
  }
  if (index.unique) {
    if (!kept.unique || kept.keys.size() != index.keys.size()) return false;
    if (index.nulls_not_distinct && !kept.nulls_not_distinct) return false;
    const CheckConstraintInfo* constraint = BackedConstraint(catalog, kept);
    if (constraint != nullptr && constraint->deferrable) return false;
  }
  return true;
}

std::vector<RedundantPair> RedundantIndexPairs(const Catalog& catalog) {
  std::vector<RedundantPair> pairs;
  for (const auto& [table_id, table] : catalog.tables) {
    if (!catalog.InScope(table)) continue;
    const std::vector<const Index*>& indexes = catalog.IndexesOf(table_id);
    if (indexes.size() < 2) continue;
    // Dropped: covered by another index that is either strictly wider or, among equivalent
    // ones, preferred. Coverage is transitive, so every dropped index has a covering index
    // that stays (the widest, most preferred one).
    std::vector<bool> dropped(indexes.size(), false);
    for (size_t x = 0; x < indexes.size(); ++x) {
      if (!Droppable(catalog, *indexes[x], table)) continue;
      for (size_t w = 0; w < indexes.size() && !dropped[x]; ++w)
        if (IndexCoversIndex(catalog, *indexes[w], *indexes[x]) &&
            (!IndexCoversIndex(catalog, *indexes[x], *indexes[w]) ||
             PreferredToKeep(*indexes[w], *indexes[x])))
          dropped[x] = true;
    }
    for (size_t x = 0; x < indexes.size(); ++x) {
      if (!dropped[x]) continue;
      // Report against the closest index that stays: an identical one if any, else the one
      // with the fewest columns, then the preferred one.
      const Index* best = nullptr;
      auto closer = [&](const Index* a, const Index* b) {
        auto key = [&](const Index* i) {
          return std::make_tuple(!SameIndexDefinition(*i, *indexes[x]), i->keys.size(),
                                 i->include.size());
        };
        return key(a) < key(b) || (key(a) == key(b) && PreferredToKeep(*a, *b));
      };
      for (size_t w = 0; w < indexes.size(); ++w)
        if (!dropped[w] && IndexCoversIndex(catalog, *indexes[w], *indexes[x]) &&
            (best == nullptr || closer(indexes[w], best)))
          best = indexes[w];
      if (best != nullptr) pairs.push_back({indexes[x], best});
    }
  }
  return pairs;
}

std::vector<Finding> RedundantIndexFindings(const Catalog& catalog) {
  return RedundantIndexFindings(catalog, RedundantIndexPairs(catalog));
}

std::vector<Finding> RedundantIndexFindings(const Catalog& catalog,
                                            const std::vector<RedundantPair>& pairs,
                                            JsonForm evidence_form) {
  std::vector<Finding> findings;
  findings.reserve(pairs.size());
  for (const RedundantPair& pair : pairs)
    findings.push_back(MakeFinding(catalog, *pair.dropped, *pair.kept,
                                   *catalog.FindTable(pair.dropped->table_id), evidence_form));
  return findings;
}

}  // namespace dbopt
