// Check 5 of dbopt_health(): index_invalid, constraint_not_valid, table_no_primary_key.
#include <cctype>

#include "core/common/sql_text.hpp"
#include "core/health/index_ddl.hpp"
#include "core/health/index_drop_ddl.hpp"
#include "core/health/schema_checks.hpp"

namespace dbopt {
namespace {

// REINDEX CONCURRENTLY leaves "<name>_ccnew[N]" / "<name>_ccold[N]" behind when it fails.
bool ReindexLeftover(const Index& index) {
  size_t end = index.name.size();
  while (end > 0 && std::isdigit(static_cast<unsigned char>(index.name[end - 1]))) --end;
  const std::string stem = index.name.substr(0, end);
  auto ends_with = [&stem](const std::string& suffix) {
    return stem.size() > suffix.size() &&
           stem.compare(stem.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  return ends_with("_ccnew") || ends_with("_ccold");
}

// Why `index` cannot be dropped and built again on its own (empty when it can): DROP INDEX
// refuses an index that a constraint or a partitioned index needs, and dropping the replica
// identity index would silently change what logical replication sends.
std::string DropBlocker(const Index& index) {
  if (index.constraint_id != 0) return "it backs a constraint";
  if (index.parent_index_id != 0) return "it is attached to a partitioned index";
  if (index.replica_identity) return "it is the table's replica identity";
  return "";
}

// For a UNIQUE index on plain columns: a query listing the keys stored more than once, which
// make its build fail. Rows with a NULL key are never duplicates unless NULLS NOT DISTINCT; a
// partial index only counts the rows its predicate selects. Empty when a key is an
// expression or the predicate's SQL is unknown.
std::string DuplicateKeysQuery(const Index& index, const Table& table,
                               const std::string& definition) {
  std::vector<std::string> columns;
  for (const IndexColumn& key : index.keys) {
    if (key.IsExpression()) return "";
    columns.push_back(key.column);
  }
  if (columns.empty()) return "";
  const std::string list = JoinIdents(columns, ", ");
  std::vector<std::string> conditions;
  if (!index.nulls_not_distinct)
    for (const std::string& column : columns)
      conditions.push_back(QuoteIdent(column) + " IS NOT NULL");
  if (index.Partial()) {
    const std::string predicate = IndexPredicateSql(definition);
    if (predicate.empty()) return "";
    conditions.push_back(predicate);
  }
  std::string query = "SELECT " + list + ", count(*) AS copies FROM " + QualifiedName(table);
  for (size_t i = 0; i < conditions.size(); ++i)
    query += (i == 0 ? " WHERE " : " AND ") + conditions[i];
  return query + " GROUP BY " + list + " HAVING count(*) > 1";
}

// An invalid index on a plain table: dropped and built again under its name. A build that
// fails again (a UNIQUE index over duplicate keys) then leaves the state as it was, one
// invalid index, where REINDEX INDEX CONCURRENTLY leaves an invalid "<name>_ccnew" copy
// behind as well. Indexes that cannot be dropped on their own are rebuilt in place.
void RebuildInvalidIndex(const Catalog& catalog, const Index& index, const Table& table,
                         const std::string& name, Finding& finding, JsonWriter& detail) {
  finding.message = "index " + name +
                    " is invalid (a failed CREATE INDEX CONCURRENTLY or REINDEX): queries "
                    "cannot use it, yet every write still updates it; ";
  const std::string blocker = DropBlocker(index);
  std::string definition = catalog.IndexDefinition(index);
  std::vector<std::string> create;
  if (blocker.empty()) create = RecreateIndexStatements(catalog, index);
  if (create.size() == 1) {
    finding.message +=
        "drop it and build it again with the same definition (a build that fails again "
        "leaves this same invalid index and nothing else)";
    finding.remediation.push_back(DropIndexStatement(index, catalog));
    finding.remediation.push_back(create[0]);
    detail.Field("revert_note",
                 "nothing to revert: the index is built again under its name with its "
                 "original definition");
  } else {
    finding.message += "rebuild it in place";
    if (!blocker.empty()) finding.message += " (" + blocker + ", so it cannot be dropped alone)";
    finding.remediation.push_back("REINDEX INDEX CONCURRENTLY " + name);
    detail.Field("revert_note",
                 "nothing to revert: REINDEX rebuilds the index under the same name and "
                 "definition; if it fails it leaves an invalid \"_ccnew\" index, to drop");
  }
  if (!index.unique) return;
  finding.message +=
      "; it is UNIQUE, so the build fails while duplicate keys exist: remove them first";
  const std::string query = DuplicateKeysQuery(index, table, definition);
  if (query.empty()) {
    finding.message += " (group the rows by the index's key expressions, see the definition)";
  } else {
    finding.message += " (detail.duplicates_query lists them)";
    detail.Field("duplicates_query", query);
  }
  if (create.size() == 1 && index.ready)
    detail.Field("unique_note",
                 "while it is invalid but ready the index still rejects new duplicate keys; "
                 "between the DROP and the end of the new build nothing does");
}

void InvalidIndexFinding(const Catalog& catalog, const Index& index, const Table& table,
                         std::vector<Finding>& findings) {
  Finding finding;
  finding.check_id = "index_invalid";
  finding.severity = Severity::kWarning;
  finding.object_type = "index";
  finding.object_name = QualifiedName(index);
  const std::string name = QualifiedName(index);
  JsonWriter detail;
  detail.BeginObject()
      .Field("index", name)
      .Field("table", QualifiedName(table))
      .Field("valid", index.valid)
      .Field("ready", index.ready)
      .Field("unique", index.unique)
      .Field("pages", index.pages)
      .Field("definition", catalog.IndexDefinition(index));
  if (table.Partitioned()) {
    std::vector<std::string> missing;
    std::vector<std::string> attached_invalid;
    for (ObjectId child_id : table.children) {
      const Table* child = catalog.FindTable(child_id);
      if (child == nullptr) continue;
      const Index* attached = nullptr;
      for (const Index* candidate : catalog.IndexesOf(child_id))
        if (candidate->parent_index_id == index.id) attached = candidate;
      if (attached == nullptr)
        missing.push_back(QualifiedName(*child));
      else if (!attached->valid)
        attached_invalid.push_back(QualifiedName(*attached));
    }
    detail.Field("partitions_without_index", missing)
        .Field("invalid_partition_indexes", attached_invalid);
    finding.message = "partitioned index " + name + " is invalid: ";
    if (!missing.empty()) {
      finding.message += std::to_string(missing.size()) +
                         " partition(s) have no index attached to it (e.g. after CREATE INDEX "
                         "... ON ONLY); attach or create the partition indexes";
      IndexNamer namer(catalog);
      AttachMissingPartitionIndexes(catalog, index, name, table, true, namer, finding.remediation);
      detail.Field("revert_note", "attached partition indexes cannot be detached; DROP INDEX " +
                                      name +
                                      " removes the parent index with every index attached to it");
    } else {
      finding.message += "some attached partition indexes are invalid (reported separately)";
    }
  } else if (ReindexLeftover(index)) {
    finding.message = "index " + name +
                      " is an invalid leftover of a failed REINDEX CONCURRENTLY; it is not "
                      "used by queries but is still updated on every write: drop it";
    finding.remediation.push_back(DropIndexStatement(index, catalog));
    detail.Field("revert_note", "nothing to revert: the leftover index held no usable data");
  } else {
    RebuildInvalidIndex(catalog, index, table, name, finding, detail);
  }
  detail.EndObject();
  finding.detail_json = detail.str();
  findings.push_back(std::move(finding));
}

// Whether `constraint` is a NOT VALID copy inherited from a parent whose own constraint is
// NOT VALID too: validating the parent's validates it, so only the parent is reported.
bool InheritedFromNotValid(const Catalog& catalog, const CheckConstraintInfo& constraint) {
  if (constraint.local) return false;
  const Table* table = catalog.FindTable(constraint.table_id);
  if (table == nullptr || table->parent_id == 0) return false;
  for (const CheckConstraintInfo& other : catalog.constraints)
    if (other.table_id == table->parent_id && other.name == constraint.name && !other.validated)
      return true;
  return false;
}

void NotValidFinding(const CheckConstraintInfo& constraint, const Table& table,
                     std::vector<Finding>& findings) {
  const bool foreign = constraint.type == 'f';
  Finding finding;
  finding.check_id = "constraint_not_valid";
  finding.severity = Severity::kInfo;
  finding.object_type = "constraint";
  finding.object_name = QualifiedName(table) + "." + QuoteIdent(constraint.name);
  finding.message = std::string(foreign ? "foreign key" : "check constraint") + " " +
                    QuoteIdent(constraint.name) + " on " + QualifiedName(table) +
                    " is NOT VALID: rows that existed when it was added were never checked" +
                    (foreign ? "" : " and the planner cannot rely on it") +
                    "; VALIDATE CONSTRAINT scans the table under a SHARE UPDATE EXCLUSIVE lock "
                    "that does not block reads or writes";
  finding.remediation.push_back("ALTER TABLE " + QualifiedName(table) + " VALIDATE CONSTRAINT " +
                                QuoteIdent(constraint.name));
  JsonWriter detail;
  detail.BeginObject()
      .Field("constraint", constraint.name)
      .Field("table", QualifiedName(table))
      .Field("type", foreign ? "foreign key" : "check")
      .Field("definition", constraint.definition)
      .Field("revert_note", "nothing to revert: validation only marks the constraint valid")
      .EndObject();
  finding.detail_json = detail.str();
  findings.push_back(std::move(finding));
}

// A unique index that can become the primary key with ADD CONSTRAINT ... USING INDEX: valid
// btree, plain NOT NULL key columns in default order and operator class, not partial, not
// already a constraint's index. PostgreSQL refuses USING INDEX on partitioned tables.
bool PrimaryKeyCandidate(const Index& index, const Table& table) {
  if (!index.unique || !index.valid || !index.ready || index.Partial() || index.exclusion ||
      index.constraint_id != 0 || index.access_method != "btree" || !index.default_opclasses ||
      index.keys.empty() || table.Partitioned())
    return false;
  for (const IndexColumn& key : index.keys) {
    if (key.IsExpression() || key.option != 0) return false;
    const Column* column = table.FindColumn(key.column);
    if (column == nullptr || !column->not_null) return false;
  }
  return true;
}

void NoPrimaryKeyFinding(const Catalog& catalog, const Table& table,
                         std::vector<Finding>& findings) {
  const Index* candidate = nullptr;
  for (const Index* index : catalog.IndexesOf(table.id)) {
    if (!PrimaryKeyCandidate(*index, table)) continue;
    if (candidate == nullptr || index->keys.size() < candidate->keys.size() ||
        (index->keys.size() == candidate->keys.size() && index->id < candidate->id))
      candidate = index;
  }
  Finding finding;
  finding.check_id = "table_no_primary_key";
  finding.severity = Severity::kWarning;
  finding.object_type = "table";
  finding.object_name = QualifiedName(table);
  finding.message = std::string(table.Partitioned() ? "partitioned table " : "table ") +
                    QualifiedName(table) +
                    " has no primary key: rows cannot be identified reliably (logical "
                    "replication of UPDATE/DELETE, tools, ORMs)";
  JsonWriter detail;
  detail.BeginObject().Field("table", QualifiedName(table)).Field("rows", table.rows);
  if (candidate != nullptr) {
    std::vector<std::string> columns;
    for (const IndexColumn& key : candidate->keys) columns.push_back(key.column);
    finding.message += "; the unique index " + QualifiedName(*candidate) +
                       " on NOT NULL columns can become the primary key without a table scan "
                       "(brief ACCESS EXCLUSIVE lock)";
    finding.remediation.push_back("ALTER TABLE " + QualifiedName(table) + " ADD CONSTRAINT " +
                                  QuoteIdent(candidate->name) + " PRIMARY KEY USING INDEX " +
                                  QuoteIdent(candidate->name));
    std::vector<std::string> recreate = RecreateIndexStatements(catalog, *candidate);
    if (!recreate.empty()) {
      finding.revert.push_back("ALTER TABLE " + QualifiedName(table) + " DROP CONSTRAINT " +
                               QuoteIdent(candidate->name));
      finding.revert.insert(finding.revert.end(), recreate.begin(), recreate.end());
    }
    detail.Field("unique_index", QualifiedName(*candidate)).Field("key_columns", columns);
  } else {
    finding.message +=
        "; no unique index on NOT NULL columns exists to promote: add a key "
        "column (e.g. bigint GENERATED ALWAYS AS IDENTITY) or declare one";
    detail.Key("unique_index").Null();
  }
  detail.EndObject();
  finding.detail_json = detail.str();
  findings.push_back(std::move(finding));
}

}  // namespace

std::vector<Finding> InvalidObjectFindings(const Catalog& catalog) {
  std::vector<Finding> findings;
  for (const auto& [id, index] : catalog.indexes) {
    if ((index.valid && index.ready) || index.build_in_progress) continue;
    const Table* table = catalog.FindTable(index.table_id);
    if (table == nullptr || !catalog.InScope(*table)) continue;
    InvalidIndexFinding(catalog, index, *table, findings);
  }
  for (const CheckConstraintInfo& constraint : catalog.constraints) {
    if (constraint.validated || (constraint.type != 'f' && constraint.type != 'c')) continue;
    const Table* table = catalog.FindTable(constraint.table_id);
    if (table == nullptr || !catalog.InScope(*table)) continue;
    if (InheritedFromNotValid(catalog, constraint)) continue;
    NotValidFinding(constraint, *table, findings);
  }
  for (const auto& [id, table] : catalog.tables) {
    if (table.has_primary_key || !catalog.InScope(table)) continue;
    // Partitions are reported through their partitioned parent (a parent's primary key is
    // every partition's).
    if (table.parent_id != 0 && catalog.FindTable(table.parent_id) != nullptr) continue;
    NoPrimaryKeyFinding(catalog, table, findings);
  }
  return findings;
}

}  // namespace dbopt
