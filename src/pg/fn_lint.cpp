// dbopt_lint_sql(sql, single_transaction, search_path): the migration linter in the server.
// The script is parsed with the server's own raw_parser (never analysed, never executed: no
// lock is taken on the tables it names), each RawStmt becomes statement facts
// (lint_facts.cpp), and the rules (core/migrate/lint.hpp) ask the live catalogs through
// LiveSchema below: table sizes, indexes, column types, NOT NULL proofs, function
// volatility. Unqualified names resolve through the caller's search_path (captured once, at
// the start); the catalog queries themselves run under the function's pinned search_path.
// Everything read comes from pg_class, pg_index, pg_attribute, pg_type, pg_constraint,
// pg_inherits and pg_proc, which every user may read.
#include "core/common/pg_array.hpp"
#include "core/migrate/lint.hpp"
#include "pg/lint_facts.hpp"
#include "pg/result_set.hpp"
#include "pg/caller_search_path.hpp"
#include "pg/guard.hpp"
#include "pg/spi.hpp"

extern "C" {
#include "catalog/namespace.h"
#include "parser/parser.h"
#include "utils/lsyscache.h"
}

#include <map>
#include <string>
#include <vector>

namespace {

using dbopt::pg::CallPg;
using dbopt::pg::Cell;
namespace migrate = dbopt::migrate;

// A type's modifiers from its typmod, for the types whose rules read them.
std::vector<std::int64_t> Modifiers(const std::string& type, long long typmod) {
  if (typmod < 0) return {};
  if (type == "varchar" || type == "bpchar") return {typmod - 4};
  if (type == "numeric") {
    const long long packed = typmod - 4;
    const long long precision = (packed >> 16) & 0xffff;
    const long long scale = ((packed & 0x7ff) ^ 1024) - 1024;
    return {precision, scale};
  }
  if (type == "bit" || type == "varbit" || type == "timestamp" || type == "timestamptz" ||
      type == "time" || type == "timetz")
    return {typmod};
  return {};
}

class LiveSchema : public migrate::SchemaInfo {
 public:
  explicit LiveSchema(std::vector<Oid> search_path) : search_path_(std::move(search_path)) {}

  bool FindTable(const migrate::QualifiedName& name, migrate::TableInfo* table) const override {
    Oid relation = Resolve(name);
    char kind = 0;
    if (OidIsValid(relation)) CallPg([&] { kind = get_rel_relkind(relation); });
    if (kind != RELKIND_RELATION && kind != RELKIND_PARTITIONED_TABLE && kind != RELKIND_MATVIEW)
      return false;
    return Load(relation, table);
  }

  bool FindIndexTable(const migrate::QualifiedName& index,
                      migrate::TableInfo* table) const override {
    Oid relation = Resolve(index);
    if (!OidIsValid(relation)) return false;
    dbopt::pg::QueryResult owner = dbopt::pg::SpiQuery(
        "SELECT indrelid FROM pg_index WHERE indexrelid = $1::oid", {std::to_string(relation)});
    if (owner.rows() == 0) return false;
    return Load(static_cast<Oid>(owner.Int(0, 0)), table);
  }

  migrate::Volatility FunctionVolatility(const migrate::QualifiedName& name) const override {
    std::string path = "{";
    for (size_t i = 0; i < search_path_.size(); ++i)
      path += (i ? "," : "") + std::to_string(search_path_[i]);
    path += "}";
    dbopt::pg::QueryResult result = dbopt::pg::SpiQuery(
        "SELECT max(CASE p.provolatile WHEN 'v' THEN 3 WHEN 's' THEN 2 ELSE 1 END) "
        "FROM pg_proc p WHERE p.proname = $1 AND CASE WHEN $2 IS NULL "
        "THEN p.pronamespace = ANY ($3::oid[]) "
        "ELSE p.pronamespace = (SELECT oid FROM pg_namespace WHERE nspname = $2) END",
        {name.name, name.schema.empty() ? std::nullopt : std::optional<std::string>(name.schema),
         path});
    if (result.rows() == 0 || result.IsNull(0, 0)) return migrate::Volatility::kUnknown;
    switch (result.Int(0, 0)) {
      case 3:
        return migrate::Volatility::kVolatile;
      case 2:
        return migrate::Volatility::kStable;
      default:
        return migrate::Volatility::kImmutable;
    }
  }

 private:
  std::vector<Oid> search_path_;
  mutable std::map<Oid, migrate::TableInfo> loaded_;

  // The relation a name resolves to, as the caller would see it; InvalidOid if none. An
  // explicit schema the caller may not use still resolves (pg_class shows it to everyone).
  Oid Resolve(const migrate::QualifiedName& name) const {
    Oid relation = InvalidOid;
    const char* relname = name.name.c_str();
    const char* schema = name.schema.c_str();
    const bool qualified = !name.schema.empty();
    const std::vector<Oid>& path = search_path_;
    CallPg([&] {
      if (qualified) {
        Oid nsp = get_namespace_oid(schema, true);
        if (OidIsValid(nsp)) relation = get_relname_relid(relname, nsp);
        return;
      }
      for (size_t i = 0; i < path.size() && !OidIsValid(relation); ++i)
        relation = get_relname_relid(relname, path[i]);
    });
    return relation;
  }

  bool Load(Oid relation, migrate::TableInfo* table) const {
    auto cached = loaded_.find(relation);
    if (cached != loaded_.end()) {
      *table = cached->second;
      return true;
    }
    const std::string oid = std::to_string(relation);
    // Size: a partitioned table's leaves added up (pg_inherits, no lock taken).
    dbopt::pg::QueryResult size = dbopt::pg::SpiQuery(
        "WITH RECURSIVE tree(relid) AS ("
        "  SELECT $1::oid UNION ALL"
        "  SELECT i.inhrelid FROM pg_inherits i JOIN tree t ON i.inhparent = t.relid) "
        "SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname),"
        " (SELECT CASE WHEN bool_or(l.reltuples >= 0) THEN sum(greatest(l.reltuples, 0))"
        "         ELSE -1 END"
        "    FROM tree JOIN pg_class l ON l.oid = tree.relid WHERE l.relkind IN ('r', 'm')),"
        " (SELECT coalesce(sum(l.relpages), 0)"
        "    FROM tree JOIN pg_class l ON l.oid = tree.relid WHERE l.relkind IN ('r', 'm')) "
        "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = $1::oid",
        {oid});
    if (size.rows() == 0) return false;
    migrate::TableInfo info;
    info.qualified_name = size.Text(0, 0);
    info.rows = size.IsNull(0, 1) ? -1 : size.Double(0, 1);
    info.pages = size.Double(0, 2);

    dbopt::pg::QueryResult indexes = dbopt::pg::SpiQuery(
        "SELECT ic.relname, i.indisunique, i.indpred IS NOT NULL, i.indisvalid AND i.indisready,"
        " ARRAY(SELECT coalesce(a.attname::text, '')"
        "         FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, ord)"
        "         LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum"
        "        WHERE k.ord <= i.indnkeyatts ORDER BY k.ord) "
        "FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid "
        "WHERE i.indrelid = $1::oid ORDER BY ic.relname",
        {oid});
    for (size_t r = 0; r < indexes.rows(); ++r) {
      migrate::IndexInfo index;
      index.name = indexes.Text(r, 0);
      index.unique = indexes.Bool(r, 1);
      index.partial = indexes.Bool(r, 2);
      index.valid = indexes.Bool(r, 3);
      index.columns = dbopt::ParseTextArray(indexes.Text(r, 4));
      info.indexes.push_back(index);
    }

    dbopt::pg::QueryResult columns = dbopt::pg::SpiQuery(
        "SELECT a.attname, coalesce(et.typname, t.typname), tn.nspname, a.atttypmod,"
        " et.oid IS NOT NULL, a.attnotnull "
        "FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid"
        " LEFT JOIN pg_type et ON t.typcategory = 'A' AND et.oid = t.typelem"
        " JOIN pg_namespace tn ON tn.oid = coalesce(et.typnamespace, t.typnamespace) "
        "WHERE a.attrelid = $1::oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
        {oid});
    for (size_t r = 0; r < columns.rows(); ++r) {
      migrate::ColumnInfo column;
      column.name = columns.Text(r, 0);
      column.type.name = {columns.Text(r, 2), columns.Text(r, 1)};
      column.type.modifiers = Modifiers(columns.Text(r, 1), columns.Int(r, 3));
      column.type.is_array = columns.Bool(r, 4);
      if (columns.Bool(r, 5)) info.not_null_checked.push_back(column.name);
      info.columns.push_back(column);
    }

    // Validated CHECK (column IS NOT NULL) constraints prove NOT NULL without a scan.
    dbopt::pg::QueryResult checks = dbopt::pg::SpiQuery(
        "SELECT a.attname FROM pg_constraint c"
        " JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] "
        "WHERE c.conrelid = $1::oid AND c.contype = 'c' AND c.convalidated"
        " AND cardinality(c.conkey) = 1"
        " AND pg_get_constraintdef(c.oid) = 'CHECK ((' || quote_ident(a.attname) || ' IS NOT "
        "NULL))'",
        {oid});
    for (size_t r = 0; r < checks.rows(); ++r) info.not_null_checked.push_back(checks.Text(r, 0));

    loaded_[relation] = info;
    *table = std::move(info);
    return true;
  }
};

const char* kSqlHint =
    "Pass the migration script as text, e.g. "
    "dbopt_lint_sql($$ALTER TABLE orders ADD COLUMN note text$$).";

// Raises the parser's error again with the line and column in the script: the position the
// parser reports is relative to the script, not to the statement that called us.
[[noreturn]] void SyntaxError(const dbopt::pg::PgError& error, const std::string& sql) {
  const ErrorData* data = error.data();
  std::string message = data->message != nullptr ? data->message : "syntax error";
  std::string detail;
  // Called through SPI (a PL/pgSQL EXECUTE), SPI's error callback has moved the position to
  // internalpos; it still counts characters of our script.
  const int position = data->cursorpos > 0 ? data->cursorpos : data->internalpos;
  if (position > 0) {
    migrate::LineColumn at =
        migrate::LineAndColumn(sql, migrate::CharacterOffset(sql, position - 1));
    message += " at line " + std::to_string(at.line) + ", column " + std::to_string(at.column);
    detail = "line " + std::to_string(at.line) + ": " + migrate::LineText(sql, at.line);
  }
  throw dbopt::pg::SqlError(
      data->sqlerrcode, message,
      "dbopt_lint_sql parses the script with this server's SQL grammar and runs none of it; "
      "fix the statement there (statements are separated by semicolons).",
      detail);
}

}  // namespace

DBOPT_FUNCTION(dbopt_lint_sql) {
  if (PG_ARGISNULL(0))
    dbopt::pg::Fail(ERRCODE_NULL_VALUE_NOT_ALLOWED, "sql must not be NULL", kSqlHint);
  std::string sql;
  bool single_transaction = false;
  CallPg([&] {
    sql = text_to_cstring(PG_GETARG_TEXT_PP(0));
    single_transaction = !PG_ARGISNULL(1) && PG_GETARG_BOOL(1);
  });

  // The caller's search_path, as a list of namespaces (pg_catalog and pg_temp included where
  // PostgreSQL would search them).
  std::vector<Oid> search_path;
  const int level = dbopt::pg::BeginCallerSearchPath(fcinfo, 2);
  CallPg([&] {
    List* path = fetch_search_path(true);
    ListCell* cell;
    foreach (cell, path) search_path.push_back(lfirst_oid(cell));
  });
  dbopt::pg::EndCallerSearchPath(level);

  List* parsed = NIL;
  try {
    CallPg([&] { parsed = raw_parser(sql.c_str(), RAW_PARSE_DEFAULT); });
  } catch (const dbopt::pg::PgError& error) {
    SyntaxError(error, sql);
  }
  std::vector<migrate::StatementFacts> statements;
  int number = 0;
  ListCell* cell;
  foreach (cell, parsed)
    statements.push_back(
        dbopt::pg::LintFacts(static_cast<const RawStmt*>(lfirst(cell)), sql, ++number));

  dbopt::pg::ResultSet result(fcinfo);
  dbopt::pg::SpiConnect();
  LiveSchema schema(std::move(search_path));
  migrate::LintOptions options;
  options.single_transaction = single_transaction;
  std::vector<migrate::LintFinding> findings = migrate::Lint(statements, &schema, options);
  dbopt::pg::SpiFinish();
  for (const migrate::LintFinding& f : findings)
    result.AddRow({Cell::Int(f.statement_number), Cell::Int(f.line), Cell::Text(f.rule_id),
                   Cell::Text(migrate::SeverityName(f.severity)), Cell::Text(f.object_name),
                   Cell::Text(f.message), Cell::Text(f.explanation),
                   Cell::Text(f.safe_alternative)});
  return (Datum)0;
}
