// Check 2 of dbopt_health(): fk_type_mismatch. A referencing column whose type or type
// modifier differs from the referenced column's: int4 -> int8 keys overflow when the parent
// grows, varchar(20) -> varchar(50) rejects valid parent keys, and cross-type comparisons in
// joins and RI lookups are easier to get wrong.
#include "core/common/sql_text.hpp"
#include "core/health/schema_checks.hpp"

namespace dbopt {
namespace {

constexpr ObjectId kVarbitOid = 1562;
constexpr ObjectId kVarcharOid = 1043;
constexpr ObjectId kNumericOid = 1700;
constexpr ObjectId kTextOid = 25;

// ALTER COLUMN TYPE from `from` to `to` keeps the table as it is only for the binary-compatible
// widenings PostgreSQL recognises (longer varchar/varbit, more numeric precision at the same
// scale, or dropping the modifier); everything else rewrites the table and its indexes.
bool RewritesTable(const Column& from, const Column& to) {
  if (from.type_id == kVarcharOid && to.type_id == kTextOid) return false;  // binary coercible
  if (from.type_id != to.type_id) return true;
  if (to.typmod == -1) return false;
  if (from.typmod == -1) return true;
  if (from.type_id == kVarcharOid || from.type_id == kVarbitOid) return to.typmod < from.typmod;
  if (from.type_id == kNumericOid) {
    const int from_scale = (from.typmod - 4) & 0xffff;
    const int to_scale = (to.typmod - 4) & 0xffff;
    const int from_precision = ((from.typmod - 4) >> 16) & 0xffff;
    const int to_precision = ((to.typmod - 4) >> 16) & 0xffff;
    return from_scale != to_scale || to_precision < from_precision;
  }
  return true;
}

struct Mismatch {
  const Column* column;
  const Column* referenced;
};

std::string AlterTypes(const Table& table, const std::vector<Mismatch>& mismatches,
                       bool to_referenced) {
  std::string statement = "ALTER TABLE " + QualifiedName(table);
  const char* separator = " ";
  for (const Mismatch& m : mismatches) {
    const Column& from = to_referenced ? *m.column : *m.referenced;
    const Column& to = to_referenced ? *m.referenced : *m.column;
    statement += separator;
    statement += "ALTER COLUMN " + QuoteIdent(m.column->name) + " TYPE " + to.type_name;
    // An explicit cast only where the types differ: a typmod change needs none, and USING
    // would hide nothing but the type's own assignment cast.
    if (from.type_id != to.type_id)
      statement += " USING " + QuoteIdent(m.column->name) + "::" + to.type_name;
    separator = ", ";
  }
  return statement;
}

}  // namespace

std::vector<Finding> FkTypeMismatchFindings(const Catalog& catalog) {
  std::vector<Finding> findings;
  for (const ForeignKey& fk : catalog.foreign_keys) {
    const Table* table = catalog.FindTable(fk.table_id);
    const Table* referenced = catalog.FindTable(fk.referenced_table_id);
    if (table == nullptr || referenced == nullptr || !catalog.InScope(*table)) continue;
    std::vector<Mismatch> mismatches;
    for (size_t i = 0; i < fk.columns.size() && i < fk.referenced_columns.size(); ++i) {
      const Column* column = table->FindColumn(fk.columns[i]);
      const Column* target = referenced->FindColumn(fk.referenced_columns[i]);
      if (column == nullptr || target == nullptr) continue;
      if (column->type_id != target->type_id || column->typmod != target->typmod)
        mismatches.push_back({column, target});
    }
    if (mismatches.empty()) continue;

    bool rewrites = false;
    std::string pairs;
    JsonWriter detail;
    detail.BeginObject()
        .Field("constraint", fk.name)
        .Field("table", QualifiedName(*table))
        .Field("referenced_table", QualifiedName(*referenced))
        .Key("columns")
        .BeginArray();
    for (const Mismatch& m : mismatches) {
      rewrites = rewrites || RewritesTable(*m.column, *m.referenced);
      if (!pairs.empty()) pairs += ", ";
      pairs += QuoteIdent(m.column->name) + " (" + m.column->type_name + ") -> " +
               QuoteIdent(m.referenced->name) + " (" + m.referenced->type_name + ")";
      detail.BeginObject()
          .Field("column", m.column->name)
          .Field("type", m.column->type_name)
          .Field("referenced_column", m.referenced->name)
          .Field("referenced_type", m.referenced->type_name)
          .EndObject();
    }
    detail.EndArray()
        .Field("rewrites_table", rewrites)
        .Field("lock", "ACCESS EXCLUSIVE")
        .Field("validated", fk.validated)
        .EndObject();

    Finding finding;
    finding.check_id = "fk_type_mismatch";
    finding.severity = Severity::kWarning;
    finding.object_type = "foreign key";
    finding.object_name = QualifiedName(*table) + "." + QuoteIdent(fk.name);
    finding.message = "foreign key " + QuoteIdent(fk.name) + " on " + QualifiedName(*table) +
                      " compares columns of different types: " + pairs +
                      "; the remediation changes the referencing column to the referenced type (" +
                      (rewrites ? "it REWRITES THE TABLE and its indexes under an ACCESS "
                                  "EXCLUSIVE lock"
                                : "a brief ACCESS EXCLUSIVE lock, no table rewrite") +
                      ")" +
                      (fk.validated ? "" : " (the FK is NOT VALID: unchecked rows may not fit)");
    finding.detail_json = detail.str();
    finding.remediation.push_back(AlterTypes(*table, mismatches, true));
    finding.revert.push_back(AlterTypes(*table, mismatches, false));
    findings.push_back(std::move(finding));
  }
  return findings;
}

}  // namespace dbopt
