#include "core/health/data_checks.hpp"

#include "core/health/index_ddl.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <utility>

#include "core/common/sql_text.hpp"
#include "core/health/data_naming.hpp"

namespace dbopt {
namespace {

// Pairs compared per foreign key, at most (one probe compares them all in one pass).
constexpr size_t kMaxCopyPairs = 32;

std::string ColumnName(const Table& table, const std::string& column) {
  return QualifiedName(table) + "." + QuoteIdent(column);
}

// "ONLY s.t" for plain tables (inheritance children are tables of their own), "s.t" for
// partitioned ones.
std::string RelationRef(const Table& table) {
  return (table.Partitioned() ? "" : "ONLY ") + QualifiedName(table);
}

std::string FormatPercent(double percent) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6f", percent);
  return buffer;
}

void WriteSample(JsonWriter& json, const SamplePlan& plan, std::int64_t rows_read) {
  json.Field("sample_limit", static_cast<std::int64_t>(plan.limit));
  json.Field("sampled", plan.percent > 0 || rows_read >= plan.limit);
  json.Key("tablesample_percent");
  if (plan.percent > 0)
    json.Number(plan.percent);
  else
    json.Null();
  json.Field("table_rows_estimate", plan.estimated_rows);
}

std::string SampleWords(const SamplePlan& plan, std::int64_t rows_read) {
  const bool sampled = plan.percent > 0 || rows_read >= plan.limit;
  return std::to_string(rows_read) + (sampled ? " sampled" : "") + " row" +
         (rows_read == 1 ? "" : "s");
}

const Column* SingleColumnPrimaryKey(const Catalog& catalog, const Table& table) {
  for (const Index* index : catalog.IndexesOf(table.id)) {
    if (!index->primary || index->keys.size() != 1 || index->keys[0].IsExpression()) continue;
    return table.FindColumn(index->keys[0].column);
  }
  return nullptr;
}

DataProbe ImpliedForeignKeyProbe(const Catalog& catalog, const ImpliedForeignKey& candidate,
                                 const DataCheckOptions& options) {
  const Table& table = *catalog.FindTable(candidate.table_id);
  const Table& referenced = *catalog.FindTable(candidate.referenced_table_id);
  DataProbe probe;
  probe.check = DataCheck::kImpliedForeignKey;
  probe.table_id = table.id;
  probe.referenced_table_id = referenced.id;
  probe.columns = {candidate.column};
  probe.referenced_columns = {candidate.referenced_column};
  probe.sample = PlanSample(catalog, table, options.sample_rows);
  const std::string column = QuoteIdent(candidate.column);
  // LATERAL ... LIMIT 1 keeps the lookup a per-row index probe on the referenced key: it
  // cannot be turned into a join that reads the whole referenced table.
  probe.sql = "SELECT count(*), count(*) FILTER (WHERE r.hit IS NULL) FROM (SELECT t." + column +
              " AS v FROM " + SampledRelation(table, "t", probe.sample) + " WHERE t." + column +
              " IS NOT NULL LIMIT " + std::to_string(probe.sample.limit) +
              ") s LEFT JOIN LATERAL (SELECT 1 AS hit FROM " + RelationRef(referenced) +
              " k WHERE k." + QuoteIdent(candidate.referenced_column) + " = s.v LIMIT 1) r ON true";
  return probe;
}

std::vector<DataProbe> MissingNotNullProbes(const Catalog& catalog,
                                            const DataCheckOptions& options) {
  std::vector<DataProbe> probes;
  for (const auto& [id, table] : catalog.tables) {
    if (!catalog.InScope(table) || table.parent_id != 0) continue;
    DataProbe probe;
    probe.check = DataCheck::kMissingNotNull;
    probe.table_id = id;
    for (const Column& column : table.columns) {
      // null_fraction > 0: the statistics saw NULLs already; -1: no statistics, the sample
      // alone decides.
      if (column.not_null || column.generated || column.composite || column.null_fraction > 0)
        continue;
      probe.columns.push_back(column.name);
    }
    if (probe.columns.empty()) continue;
    probe.sample = PlanSample(catalog, table, options.sample_rows);
    std::string counts, selected;
    for (const std::string& column : probe.columns) {
      counts += ", count(s." + QuoteIdent(column) + ")";
      selected += (selected.empty() ? "t." : ", t.") + QuoteIdent(column);
    }
    probe.sql = "SELECT count(*)" + counts + " FROM (SELECT " + selected + " FROM " +
                SampledRelation(table, "t", probe.sample) + " LIMIT " +
                std::to_string(probe.sample.limit) + ") s";
    probes.push_back(std::move(probe));
  }
  return probes;
}

std::vector<DataProbe> RedundantCopyProbes(const Catalog& catalog,
                                           const DataCheckOptions& options) {
  std::vector<DataProbe> probes;
  for (const ForeignKey& fk : catalog.foreign_keys) {
    const Table* table = catalog.FindTable(fk.table_id);
    const Table* referenced = catalog.FindTable(fk.referenced_table_id);
    if (table == nullptr || referenced == nullptr || !catalog.InScope(*table)) continue;
    if (fk.columns.empty() || fk.columns.size() != fk.referenced_columns.size()) continue;
    if (std::find(fk.columns.begin(), fk.columns.end(), "") != fk.columns.end()) continue;
    DataProbe probe;
    probe.check = DataCheck::kRedundantCopy;
    probe.table_id = table->id;
    probe.referenced_table_id = referenced->id;
    probe.foreign_key = &fk;
    for (const Column& copy : table->columns) {
      if (std::find(fk.columns.begin(), fk.columns.end(), copy.name) != fk.columns.end()) continue;
      if (copy.type_name == "boolean") continue;  // two values: equality means little
      for (const Column& original : referenced->columns) {
        if (std::find(fk.referenced_columns.begin(), fk.referenced_columns.end(), original.name) !=
            fk.referenced_columns.end())
          continue;
        if (original.type_id != copy.type_id || !NamedAsCopyOf(copy.name, original.name)) continue;
        if (probe.columns.size() == kMaxCopyPairs) break;
        probe.columns.push_back(copy.name);
        probe.referenced_columns.push_back(original.name);
      }
    }
    if (probe.columns.empty()) continue;
    probe.sample = PlanSample(catalog, *table, options.sample_rows);

    std::vector<std::string> selected, looked_up;
    auto add_unique = [](std::vector<std::string>& list, const std::string& name) {
      if (std::find(list.begin(), list.end(), name) == list.end()) list.push_back(name);
    };
    for (const std::string& column : fk.columns) add_unique(selected, column);
    for (const std::string& column : probe.columns) add_unique(selected, column);
    for (const std::string& column : probe.referenced_columns) add_unique(looked_up, column);

    std::string counts;
    for (size_t i = 0; i < probe.columns.size(); ++i) {
      const std::string copy = "s." + QuoteIdent(probe.columns[i]) + "::pg_catalog.text";
      const std::string original =
          "p." + QuoteIdent(probe.referenced_columns[i]) + "::pg_catalog.text";
      counts += ", count(*) FILTER (WHERE " + copy + " IS DISTINCT FROM " + original +
                "), count(DISTINCT " + original + "), count(" + copy + ")";
    }
    std::string select_list, not_null, lookup_list, join;
    for (const std::string& column : selected)
      select_list += (select_list.empty() ? "t." : ", t.") + QuoteIdent(column);
    for (const std::string& column : fk.columns)
      not_null += (not_null.empty() ? "t." : " AND t.") + QuoteIdent(column) + " IS NOT NULL";
    for (const std::string& column : looked_up)
      lookup_list += (lookup_list.empty() ? "k." : ", k.") + QuoteIdent(column);
    for (size_t i = 0; i < fk.columns.size(); ++i)
      join += (i == 0 ? "k." : " AND k.") + QuoteIdent(fk.referenced_columns[i]) + " = s." +
              QuoteIdent(fk.columns[i]);
    probe.sql = "SELECT count(*)" + counts + " FROM (SELECT " + select_list + " FROM " +
                SampledRelation(*table, "t", probe.sample) + " WHERE " + not_null + " LIMIT " +
                std::to_string(probe.sample.limit) + ") s JOIN LATERAL (SELECT " + lookup_list +
                " FROM " + RelationRef(*referenced) + " k WHERE " + join + " LIMIT 1) p ON true";
    probes.push_back(std::move(probe));
  }
  return probes;
}

Finding ImpliedForeignKeyFinding(const Catalog& catalog, const DataProbe& probe,
                                 std::int64_t checked) {
  const Table& table = *catalog.FindTable(probe.table_id);
  const Table& referenced = *catalog.FindTable(probe.referenced_table_id);
  const std::string& column = probe.columns[0];
  const std::string& key = probe.referenced_columns[0];
  const std::string name = FreeConstraintName(catalog, table, {column}, "fkey");
  const std::string alter = "ALTER TABLE " + QualifiedName(table);
  const std::string add = alter + " ADD CONSTRAINT " + QuoteIdent(name) + " FOREIGN KEY (" +
                          QuoteIdent(column) + ") REFERENCES " + QualifiedName(referenced) + " (" +
                          QuoteIdent(key) + ")";
  Finding finding;
  finding.check_id = "fk_implied";
  finding.severity = Severity::kWarning;
  finding.object_type = "column";
  finding.object_name = ColumnName(table, column);
  finding.message = "column " + finding.object_name + " looks like a foreign key to " +
                    ColumnName(referenced, key) + " (name and type match) and every value in " +
                    SampleWords(probe.sample, checked) +
                    " exists there, but no foreign key constraint declares it";
  // The new foreign key needs an index for its referential-integrity lookups (else the next
  // report has an fk_unindexed finding): created first, unless one already leads with it.
  bool indexed = false;
  for (const Index* index : catalog.IndexesOf(table.id))
    indexed = indexed || (index->valid && !index->Partial() && !index->keys.empty() &&
                          index->keys[0].column == column && index->access_method == "btree");
  IndexDdl index_ddl;
  if (!indexed) {
    IndexNamer namer(catalog);
    NewIndex spec;
    spec.columns = {column};
    index_ddl = BuildCreateIndex(catalog, table, spec, namer);
  }
  finding.remediation = index_ddl.remediation;
  if (table.Partitioned()) {
    // PostgreSQL 15 cannot add a NOT VALID foreign key to a partitioned table: the constraint
    // is added and validated in one step.
    finding.message += " (partitioned table: the constraint is validated when added)";
    finding.remediation.push_back(add);
  } else {
    finding.remediation.push_back(add + " NOT VALID");
    finding.remediation.push_back(alter + " VALIDATE CONSTRAINT " + QuoteIdent(name));
  }
  finding.revert = {alter + " DROP CONSTRAINT IF EXISTS " + QuoteIdent(name)};
  finding.revert.insert(finding.revert.end(), index_ddl.revert.begin(), index_ddl.revert.end());
  JsonWriter json;
  json.BeginObject();
  json.Field("referenced_table", QualifiedName(referenced));
  json.Field("referenced_column", key);
  json.Field("rows_checked", checked);
  json.Field("missing_values", static_cast<std::int64_t>(0));
  WriteSample(json, probe.sample, checked);
  json.EndObject();
  finding.detail_json = json.str();
  return finding;
}

Finding MissingNotNullFinding(const Catalog& catalog, const DataProbe& probe, const Column& column,
                              std::int64_t checked) {
  const Table& table = *catalog.FindTable(probe.table_id);
  const std::string name = FreeConstraintName(catalog, table, {column.name}, "not_null");
  const std::string alter = "ALTER TABLE " + QualifiedName(table);
  const std::string quoted = QuoteIdent(column.name);
  Finding finding;
  finding.check_id = "column_missing_not_null";
  finding.severity = Severity::kInfo;
  finding.object_type = "column";
  finding.object_name = ColumnName(table, column.name);
  finding.message =
      "column " + finding.object_name + " has no NULL in " + SampleWords(probe.sample, checked) +
      (column.null_fraction == 0 ? " nor in the statistics" : "") + " but is not declared NOT NULL";
  // The CHECK is validated without blocking writes; SET NOT NULL then uses it instead of
  // scanning the table under an exclusive lock, and the CHECK is dropped as redundant.
  finding.remediation = {alter + " ADD CONSTRAINT " + QuoteIdent(name) + " CHECK (" + quoted +
                             " IS NOT NULL) NOT VALID",
                         alter + " VALIDATE CONSTRAINT " + QuoteIdent(name),
                         alter + " ALTER COLUMN " + quoted + " SET NOT NULL",
                         alter + " DROP CONSTRAINT " + QuoteIdent(name)};
  finding.revert = {alter + " ALTER COLUMN " + quoted + " DROP NOT NULL",
                    alter + " DROP CONSTRAINT IF EXISTS " + QuoteIdent(name)};
  JsonWriter json;
  json.BeginObject();
  json.Field("rows_checked", checked);
  json.Field("nulls_found", static_cast<std::int64_t>(0));
  json.Key("null_frac");
  if (column.null_fraction >= 0)
    json.Number(column.null_fraction);
  else
    json.Null();
  WriteSample(json, probe.sample, checked);
  json.EndObject();
  finding.detail_json = json.str();
  return finding;
}

Finding RedundantCopyFinding(const Catalog& catalog, const DataProbe& probe, size_t pair,
                             std::int64_t compared, std::int64_t distinct) {
  const Table& table = *catalog.FindTable(probe.table_id);
  const Table& referenced = *catalog.FindTable(probe.referenced_table_id);
  const std::string copy = ColumnName(table, probe.columns[pair]);
  const std::string original = ColumnName(referenced, probe.referenced_columns[pair]);
  Finding finding;
  finding.check_id = "column_redundant_copy";
  finding.severity = Severity::kInfo;
  finding.object_type = "column";
  finding.object_name = copy;
  finding.message = "column " + copy + " always equals " + original +
                    " of the row that foreign key " + QuoteIdent(probe.foreign_key->name) +
                    " references (" + SampleWords(probe.sample, compared) +
                    ", no mismatch): drop the copy and join " + QualifiedName(referenced) +
                    " where it is read, or keep it deliberately as a denormalized cache kept "
                    "in sync by a trigger";
  // No statement: dropping a column is an application change, not a safe remediation.
  JsonWriter json;
  json.BeginObject();
  json.Field("foreign_key", probe.foreign_key->name);
  json.Field("column", probe.columns[pair]);
  json.Field("referenced_table", QualifiedName(referenced));
  json.Field("referenced_column", probe.referenced_columns[pair]);
  json.Field("rows_compared", compared);
  json.Field("mismatches", static_cast<std::int64_t>(0));
  json.Field("distinct_values", distinct);
  WriteSample(json, probe.sample, compared);
  json.EndObject();
  finding.detail_json = json.str();
  return finding;
}

}  // namespace

SamplePlan PlanSample(const Catalog& catalog, const Table& table, std::int64_t sample_rows) {
  SamplePlan plan;
  plan.limit = std::max<std::int64_t>(1, sample_rows);
  double rows = table.rows;
  double pages = table.pages;
  if (table.Partitioned()) {
    rows = -1;
    pages = 0;
    for (const Table* leaf : catalog.Leaves(table.id)) {
      if (leaf->rows >= 0) rows = std::max(rows, 0.0) + leaf->rows;
      pages += leaf->pages;
    }
  }
  plan.estimated_rows = rows;
  if (rows > static_cast<double>(plan.limit)) {
    // Blocks for about twice the limit (NULLs filtered out by a probe leave enough rows), and
    // never fewer than about eight blocks (SYSTEM sampling picks whole blocks).
    double percent = 100.0 * 2.0 * static_cast<double>(plan.limit) / rows;
    if (pages > 0) percent = std::max(percent, 100.0 * 8.0 / pages);
    if (percent < 100) plan.percent = std::max(percent, 0.0001);
  }
  return plan;
}

std::string SampledRelation(const Table& table, const std::string& alias, const SamplePlan& plan) {
  std::string text = RelationRef(table) + " " + alias;
  if (plan.percent > 0)
    text += " TABLESAMPLE SYSTEM (" + FormatPercent(plan.percent) + ") REPEATABLE (0)";
  return text;
}

std::vector<ObjectId> DataProbe::Reads() const {
  std::vector<ObjectId> reads{table_id};
  if (referenced_table_id != 0 && referenced_table_id != table_id)
    reads.push_back(referenced_table_id);
  return reads;
}

std::string FreeConstraintName(const Catalog& catalog, const Table& table,
                               const std::vector<std::string>& parts, const std::string& suffix) {
  std::set<std::string> taken;
  for (const CheckConstraintInfo& constraint : catalog.constraints)
    if (constraint.table_id == table.id) taken.insert(constraint.name);
  std::string name = IndexName(table.name, parts, suffix);
  for (int n = 1; taken.count(name) != 0; ++n)
    name = IndexName(table.name, parts, suffix + std::to_string(n));
  return name;
}

std::vector<ImpliedForeignKey> FindImpliedForeignKeys(const Catalog& catalog) {
  struct Target {
    const Table* table;
    const Column* key;
    std::vector<std::string> key_words;
  };
  // Tables with a single-column primary key, by name key ("order_items").
  std::map<std::string, std::vector<Target>> targets;
  for (const auto& [id, table] : catalog.tables) {
    if (table.parent_id != 0) continue;  // partitions: their parent is the target
    const Column* key = SingleColumnPrimaryKey(catalog, table);
    if (key == nullptr) continue;
    targets[JoinWords(NameWords(table.name))].push_back({&table, key, NameWords(key->name)});
  }
  std::set<std::pair<ObjectId, std::string>> fk_columns;
  for (const ForeignKey& fk : catalog.foreign_keys)
    for (const std::string& column : fk.columns) fk_columns.emplace(fk.table_id, column);
  std::vector<ImpliedForeignKey> found;
  for (const auto& [id, table] : catalog.tables) {
    if (!catalog.InScope(table) || table.parent_id != 0) continue;
    for (const Column& column : table.columns) {
      if (fk_columns.count({table.id, column.name}) != 0) continue;
      std::vector<const Target*> matches;
      for (const NameReference& reference : NameReferences(column.name)) {
        auto candidates = targets.find(reference.table_key);
        if (candidates == targets.end()) continue;
        for (const Target& target : candidates->second) {
          if (target.table->id == table.id || target.key_words != reference.key_words ||
              target.key->type_id != column.type_id)
            continue;
          if (std::find(matches.begin(), matches.end(), &target) == matches.end())
            matches.push_back(&target);
        }
      }
      if (matches.empty()) continue;
      if (matches.size() > 1) {
        // Ambiguous: keep the one table in the column's own schema, if there is exactly one.
        std::vector<const Target*> same_schema;
        for (const Target* target : matches)
          if (target->table->schema == table.schema) same_schema.push_back(target);
        if (same_schema.size() != 1) continue;
        matches = same_schema;
      }
      found.push_back({table.id, column.name, matches[0]->table->id, matches[0]->key->name});
    }
  }
  return found;
}

std::vector<DataProbe> PlanDataProbes(const Catalog& catalog, const DataCheckOptions& options) {
  std::vector<DataProbe> probes;
  for (const ImpliedForeignKey& candidate : FindImpliedForeignKeys(catalog))
    probes.push_back(ImpliedForeignKeyProbe(catalog, candidate, options));
  for (DataProbe& probe : MissingNotNullProbes(catalog, options))
    probes.push_back(std::move(probe));
  for (DataProbe& probe : RedundantCopyProbes(catalog, options)) probes.push_back(std::move(probe));
  return probes;
}

std::vector<Finding> InterpretProbe(const Catalog& catalog, const DataProbe& probe,
                                    const std::vector<std::int64_t>& row) {
  std::vector<Finding> findings;
  if (row.empty() || row[0] <= 0) return findings;  // nothing read: no evidence either way
  const std::int64_t rows_read = row[0];
  switch (probe.check) {
    case DataCheck::kImpliedForeignKey:
      // Any value missing from the referenced table: not a foreign key (or one with orphans,
      // which a constraint could not validate); not reported.
      if (row.size() >= 2 && row[1] == 0)
        findings.push_back(ImpliedForeignKeyFinding(catalog, probe, rows_read));
      break;
    case DataCheck::kMissingNotNull: {
      const Table* table = catalog.FindTable(probe.table_id);
      if (table == nullptr) break;
      for (size_t i = 0; i < probe.columns.size() && i + 1 < row.size(); ++i) {
        const Column* column = table->FindColumn(probe.columns[i]);
        if (column != nullptr && row[i + 1] == rows_read)
          findings.push_back(MissingNotNullFinding(catalog, probe, *column, rows_read));
      }
      break;
    }
    case DataCheck::kRedundantCopy:
      for (size_t i = 0; i < probe.columns.size() && 3 * i + 3 < row.size(); ++i) {
        const std::int64_t mismatches = row[3 * i + 1];
        const std::int64_t distinct = row[3 * i + 2];
        const std::int64_t copies = row[3 * i + 3];
        // Trivial: a constant (or always NULL) column equals anything constant.
        if (mismatches == 0 && distinct >= 2 && copies > 0)
          findings.push_back(RedundantCopyFinding(catalog, probe, i, rows_read, distinct));
      }
      break;
  }
  return findings;
}

}  // namespace dbopt
