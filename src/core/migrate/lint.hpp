// The migration linter's rule engine: statement facts (statement_facts.hpp) in, findings out.
// The same rules run offline (the CLI, no schema: conservative severities, "size unknown")
// and online (dbopt_lint_sql in the server, with a SchemaInfo over the live catalogs: table
// sizes, existing indexes and column types decide). The rules are described, one by one, in
// docs/migrations.md ("Lint rules") and listed by Rules() below.
#pragma once
#include "core/common/no_postgres.hpp"

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/migrate/statement_facts.hpp"

namespace dbopt::migrate {

enum class Severity { kInfo, kWarning, kError };
const char* SeverityName(Severity severity);  // "info", "warning", "error"

// Size thresholds for the rules whose hazard grows with the table (a rewrite, a full scan or
// an index build under a lock that blocks writes or reads). A table is
//   small  when it has fewer than kSmallTableRows rows and kSmallTablePages pages: the
//          operation takes well under a second -> info;
//   large  when it has at least kLargeTableRows rows or kLargeTablePages pages: minutes of
//          blocked traffic -> error;
//   medium in between -> warning.
// Tables created earlier in the same script are empty: no finding. Without a schema
// (offline) or for a table never analyzed (reltuples = -1 and relpages = 0) the size is
// unknown and the rule uses its conservative default severity.
constexpr double kSmallTableRows = 10'000;
constexpr double kSmallTablePages = 1'280;  // 10 MB of 8 kB pages
constexpr double kLargeTableRows = 1'000'000;
constexpr double kLargeTablePages = 131'072;  // 1 GB of 8 kB pages

// What the live schema says about one table.
struct IndexInfo {
  std::string name;
  std::vector<std::string> columns;  // key columns in order; "" for an expression key
  bool unique = false;
  bool partial = false;
  bool valid = true;
};
struct ColumnInfo {
  std::string name;
  TypeFacts type;  // the type's name (pg_type.typname, e.g. "varchar") and its modifiers
};
struct TableInfo {
  std::string qualified_name;  // resolved and quoted, e.g. public.orders
  double rows = -1;            // pg_class.reltuples (-1: never analyzed)
  double pages = 0;            // pg_class.relpages
  std::vector<ColumnInfo> columns;
  std::vector<IndexInfo> indexes;
  // Columns with a validated CHECK (column IS NOT NULL) constraint: SET NOT NULL on them
  // needs no scan (PostgreSQL 12+).
  std::vector<std::string> not_null_checked;
  const ColumnInfo* FindColumn(const std::string& name) const;
};

// Questions the rules ask of a live schema. Implemented over the catalogs in the server;
// StaticSchema below for tests (and for a CLI that loads a schema).
class SchemaInfo {
 public:
  virtual ~SchemaInfo() = default;
  // The table `name` resolves to (through the search path when unqualified); false when
  // there is none (or it is not a table).
  virtual bool FindTable(const QualifiedName& name, TableInfo* table) const = 0;
  // The table the index `name` belongs to; false when there is no such index.
  virtual bool FindIndexTable(const QualifiedName& index, TableInfo* table) const = 0;
  // The volatility of the function `name` (all its overloads: the most volatile);
  // kUnknown when there is none.
  virtual Volatility FunctionVolatility(const QualifiedName& name) const = 0;
};

// A schema given as data. Unqualified names match a table of that name in any schema of
// `search_path` (in order).
class StaticSchema : public SchemaInfo {
 public:
  std::vector<std::string> search_path = {"public"};
  // Adds a table; its qualified_name is filled in when empty.
  TableInfo& AddTable(const std::string& schema, const std::string& name, double rows,
                      double pages);
  void AddFunction(const std::string& name, Volatility volatility);
  bool FindTable(const QualifiedName& name, TableInfo* table) const override;
  bool FindIndexTable(const QualifiedName& index, TableInfo* table) const override;
  Volatility FunctionVolatility(const QualifiedName& name) const override;

 private:
  std::map<std::pair<std::string, std::string>, TableInfo> tables_;
  std::map<std::string, Volatility> functions_;
  const TableInfo* Resolve(const QualifiedName& name) const;
};

struct LintOptions {
  // The whole script runs inside one transaction (psql --single-transaction, a runner that
  // wraps it): CONCURRENTLY fails everywhere and SET LOCAL lasts to the end.
  bool single_transaction = false;
  // lock_timeout is already set by whoever runs the script.
  bool lock_timeout_preset = false;
};

struct LintFinding {
  int statement_number = 0;
  int line = 0;
  std::string rule_id;
  Severity severity = Severity::kWarning;
  std::string object_name;       // the table, index or column, quoted and qualified as known
  std::string message;           // one line, names the object
  std::string explanation;       // why it hurts
  std::string safe_alternative;  // the SQL to write instead (statements end with ';')
};

// Every rule, in the order findings of one statement are reported (lint_rules.cpp).
struct RuleInfo {
  const char* id;
  Severity default_severity;  // offline, or when the table's size is unknown
  const char* summary;        // what it flags
  const char* explanation;    // why
  // Templates of a finding's message and safe alternative: "{name}" stands for a value the
  // engine passes (FillTemplate).
  const char* message;
  const char* safe_alternative;
};
const std::vector<RuleInfo>& Rules();

// The templates of rule `id`, or of one of its variants (the same rule worded for another
// case: a named variant replaces the message, the safe alternative or both). Throws
// std::logic_error for an unknown rule or variant.
struct FindingText {
  const char* message;
  const char* safe_alternative;
};
FindingText RuleText(const std::string& id, const std::string& variant = "");

// `text` with every "{name}" replaced by its value; throws std::logic_error for a name
// without one. Values are inserted as they are (never scanned for names again).
using TemplateValues = std::vector<std::pair<std::string, std::string>>;
std::string FillTemplate(const std::string& text, const TemplateValues& values);

// Lints a script's statements in order. `schema` may be null (offline).
std::vector<LintFinding> Lint(const std::vector<StatementFacts>& statements,
                              const SchemaInfo* schema, const LintOptions& options = {});

// The canonical name of a type for the rules: aliases folded (integer, int -> int4; bigint
// -> int8; serial -> serial4; character varying -> varchar; char, character -> bpchar;
// timestamp without time zone -> timestamp; ...); pg_catalog qualification dropped.
std::string NormalizeTypeName(const TypeFacts& type);

// Whether changing a column from `from` to `to` keeps the stored bytes (no table rewrite and
// no scan): varchar(n) -> varchar(m >= n) or varchar or text, text <-> varchar without length,
// numeric(p, s) -> numeric(q >= p, s) or numeric, varbit(n) -> varbit(m >= n), and a type to
// itself with the same or no modifiers. Arrays: only the very same type.
bool BinaryCoercibleChange(const TypeFacts& from, const TypeFacts& to);

}  // namespace dbopt::migrate
