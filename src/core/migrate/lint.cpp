// The lint engine: walks a script's statement facts in order, keeps what the script has done
// so far (transaction block, lock_timeout, tables and indexes it created, CHECK (c IS NOT
// NULL) constraints it validated), asks the schema (when there is one) how big each table
// is, and reports findings. Rule texts are in lint_rules.cpp.
#include "core/migrate/lint.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <set>
#include <stdexcept>

#include "core/common/sql_text.hpp"

namespace dbopt::migrate {

// ---- StaticSchema ----------------------------------------------------------------------

const ColumnInfo* TableInfo::FindColumn(const std::string& name) const {
  for (const ColumnInfo& column : columns)
    if (column.name == name) return &column;
  return nullptr;
}

TableInfo& StaticSchema::AddTable(const std::string& schema, const std::string& name, double rows,
                                  double pages) {
  TableInfo& table = tables_[{schema, name}];
  table.qualified_name = QuoteQualified(schema, name);
  table.rows = rows;
  table.pages = pages;
  return table;
}

void StaticSchema::AddFunction(const std::string& name, Volatility volatility) {
  functions_[name] = volatility;
}

const TableInfo* StaticSchema::Resolve(const QualifiedName& name) const {
  if (!name.schema.empty()) {
    auto it = tables_.find({name.schema, name.name});
    return it == tables_.end() ? nullptr : &it->second;
  }
  for (const std::string& schema : search_path) {
    auto it = tables_.find({schema, name.name});
    if (it != tables_.end()) return &it->second;
  }
  return nullptr;
}

bool StaticSchema::FindTable(const QualifiedName& name, TableInfo* table) const {
  const TableInfo* found = Resolve(name);
  if (found != nullptr) *table = *found;
  return found != nullptr;
}

bool StaticSchema::FindIndexTable(const QualifiedName& index, TableInfo* table) const {
  for (const auto& [key, info] : tables_) {
    if (!index.schema.empty() && key.first != index.schema) continue;
    if (index.schema.empty() &&
        std::find(search_path.begin(), search_path.end(), key.first) == search_path.end())
      continue;
    for (const IndexInfo& candidate : info.indexes) {
      if (candidate.name == index.name) {
        *table = info;
        return true;
      }
    }
  }
  return false;
}

Volatility StaticSchema::FunctionVolatility(const QualifiedName& name) const {
  auto it = functions_.find(name.name);
  return it == functions_.end() ? Volatility::kUnknown : it->second;
}

// ---- types -------------------------------------------------------------------------------

std::string NormalizeTypeName(const TypeFacts& type) {
  std::string name = type.name.name;
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  static const std::pair<const char*, const char*> kAliases[] = {
      {"integer", "int4"},
      {"int", "int4"},
      {"smallint", "int2"},
      {"bigint", "int8"},
      {"serial", "serial4"},
      {"bigserial", "serial8"},
      {"smallserial", "serial2"},
      {"character varying", "varchar"},
      {"character", "bpchar"},
      {"boolean", "bool"},
      {"real", "float4"},
      {"double precision", "float8"},
      {"decimal", "numeric"},
      {"timestamp without time zone", "timestamp"},
      {"timestamp with time zone", "timestamptz"},
      {"time without time zone", "time"},
      {"time with time zone", "timetz"},
      {"bit varying", "varbit"},
  };
  for (const auto& [alias, canonical] : kAliases)
    if (name == alias) return canonical;
  // `char` is bpchar only as the grammar's keyword (pg_catalog.bpchar); a quoted "char" is
  // the one-byte internal type and keeps its name.
  return name;
}

bool BinaryCoercibleChange(const TypeFacts& from, const TypeFacts& to) {
  if (from.is_array != to.is_array || from.other_modifiers || to.other_modifiers) return false;
  // An array's elements are coerced one by one (ArrayCoerceExpr): only the same type keeps
  // the bytes.
  if (from.is_array)
    return NormalizeTypeName(from) == NormalizeTypeName(to) && from.modifiers == to.modifiers;
  const std::string a = NormalizeTypeName(from);
  const std::string b = NormalizeTypeName(to);
  const auto& fm = from.modifiers;
  const auto& tm = to.modifiers;
  if ((a == "varchar" || a == "varbit") && b == a)
    return tm.empty() || (!fm.empty() && tm[0] >= fm[0]);
  if (a == "varchar" && b == "text") return true;
  if (a == "text" && b == "varchar") return tm.empty();
  if (a == "numeric" && b == "numeric") {
    if (tm.empty()) return true;
    if (fm.empty()) return false;
    const std::int64_t from_scale = fm.size() > 1 ? fm[1] : 0;
    const std::int64_t to_scale = tm.size() > 1 ? tm[1] : 0;
    return from_scale == to_scale && tm[0] >= fm[0];
  }
  return a == b && (tm.empty() || tm == fm);
}

namespace {

// ---- small text helpers ----------------------------------------------------------------

std::string Display(const QualifiedName& name) {
  return name.schema.empty() ? QuoteIdent(name.name) : QuoteQualified(name.schema, name.name);
}

std::string FormatCount(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.0f", value < 0 ? 0 : value);
  std::string digits = buffer;
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string RenderType(const TypeFacts& type) {
  std::string name = NormalizeTypeName(type);
  static const std::pair<const char*, const char*> kSpelled[] = {
      {"int4", "integer"},       {"int2", "smallint"},  {"int8", "bigint"},
      {"bpchar", "char"},        {"bool", "boolean"},   {"float8", "double precision"},
      {"float4", "real"},        {"serial4", "serial"}, {"serial8", "bigserial"},
      {"serial2", "smallserial"}};
  for (const auto& [internal, spelled] : kSpelled)
    if (name == internal) name = spelled;
  std::string out = (type.name.schema.empty() || type.name.schema == "pg_catalog")
                        ? name
                        : QuoteQualified(type.name.schema, type.name.name);
  if (!type.modifiers.empty()) {
    out += "(";
    for (size_t i = 0; i < type.modifiers.size(); ++i)
      out += (i ? ", " : "") + std::to_string(type.modifiers[i]);
    out += ")";
  }
  if (type.is_array) out += "[]";
  return out;
}

// Inserts `word` after the first occurrence of the keyword `after` (case-insensitive, as a
// whole word) in a statement's text; the text unchanged if it is not found.
std::string InsertAfterKeyword(const std::string& text, const std::string& after,
                               const std::string& word) {
  std::string upper = text;
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  auto is_word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  for (size_t pos = upper.find(after); pos != std::string::npos; pos = upper.find(after, pos + 1)) {
    const size_t end = pos + after.size();
    if ((pos == 0 || !is_word(upper[pos - 1])) && (end == upper.size() || !is_word(upper[end])))
      return text.substr(0, end) + " " + word + text.substr(end);
  }
  return text;
}

bool SameName(const QualifiedName& a, const QualifiedName& b) {
  return a.name == b.name && (a.schema.empty() || b.schema.empty() || a.schema == b.schema);
}

bool IsZeroSetting(const std::string& value) {
  // "0", "0ms", "0s", "'0'": a disabled timeout.
  std::string digits;
  for (char c : value)
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') digits += c;
  if (digits.empty()) return false;
  for (char c : digits)
    if (c != '0' && c != '.') return false;
  return true;
}

Volatility MaxVolatility(Volatility a, Volatility b) {
  return static_cast<int>(a) > static_cast<int>(b) ? a : b;
}

// Built-in functions a default commonly calls, for when there is no schema to ask.
Volatility BuiltinVolatility(const std::string& name) {
  static const char* const kVolatile[] = {"random",
                                          "gen_random_uuid",
                                          "uuid_generate_v1",
                                          "uuid_generate_v1mc",
                                          "uuid_generate_v4",
                                          "clock_timestamp",
                                          "timeofday",
                                          "nextval",
                                          "txid_current",
                                          "setseed",
                                          "random_normal",
                                          "uuidv4",
                                          "uuidv7"};
  static const char* const kStable[] = {"now",
                                        "transaction_timestamp",
                                        "statement_timestamp",
                                        "current_setting",
                                        "localtimestamp",
                                        "current_timestamp"};
  for (const char* f : kVolatile)
    if (name == f) return Volatility::kVolatile;
  for (const char* f : kStable)
    if (name == f) return Volatility::kStable;
  return Volatility::kUnknown;
}

int RuleOrder(const std::string& id) {
  const auto& rules = Rules();
  for (size_t i = 0; i < rules.size(); ++i)
    if (id == rules[i].id) return static_cast<int>(i);
  return static_cast<int>(rules.size());
}

const RuleInfo& Rule(const std::string& id) {
  for (const RuleInfo& rule : Rules())
    if (id == rule.id) return rule;
  throw std::logic_error("lint: no rule " + id);
}

bool IsSerial(const std::string& type) {
  return type == "serial4" || type == "serial8" || type == "serial2";
}

// ---- the engine ----------------------------------------------------------------------------

enum class SizeClass { kNew, kSmall, kMedium, kLarge, kUnknown };

struct TableSize {
  SizeClass size = SizeClass::kUnknown;
  bool found = false;  // the schema knows the table
  TableInfo info;
  std::string label;  // " (about 12,000 rows)", " (size unknown offline)"
};

struct ScriptIndex {
  QualifiedName table;
  std::string name;
  std::vector<std::string> columns;
  bool partial = false;
};

struct NotNullCheck {
  QualifiedName table;
  std::string name;
  std::string column;
  bool validated = false;
};

class Engine {
 public:
  Engine(const SchemaInfo* schema, const LintOptions& options)
      : schema_(schema), options_(options), in_transaction_(options.single_transaction) {}

  std::vector<LintFinding> Run(const std::vector<StatementFacts>& statements) {
    CollectScriptIndexes(statements);
    for (const StatementFacts& statement : statements) {
      current_ = &statement;
      switch (statement.kind) {
        case StatementKind::kTransaction:
          Transaction(statement);
          break;
        case StatementKind::kSet:
          Set(statement.setting);
          break;
        case StatementKind::kCreateTable:
          CreateTable(statement);
          break;
        case StatementKind::kAlterTable:
          AlterTable(statement);
          break;
        case StatementKind::kDropTable:
          DropTable(statement);
          break;
        case StatementKind::kCreateIndex:
          CreateIndex(statement);
          break;
        case StatementKind::kDropIndex:
          DropIndex(statement);
          break;
        case StatementKind::kReindex:
          Reindex(statement);
          break;
        case StatementKind::kTruncate:
          LockTables(statement.objects, LockMode::kAccessExclusive);
          break;
        case StatementKind::kLockTable:
          if (statement.nowait) break;  // fails at once rather than queue
          LockTables(statement.objects, statement.lock_mode == LockMode::kNone
                                            ? LockMode::kAccessExclusive
                                            : statement.lock_mode);
          break;
        case StatementKind::kCreateTrigger:
          LockTables({statement.relation}, LockMode::kShareRowExclusive);
          break;
        case StatementKind::kDropTrigger:
          LockTables({statement.relation}, LockMode::kAccessExclusive);
          break;
        case StatementKind::kCreateTableAs:
          created_tables_.push_back(statement.relation);
          break;
        case StatementKind::kRefreshMaterializedView:
          RefreshMaterializedView(statement);
          break;
        case StatementKind::kCluster:
          Cluster(statement);
          break;
        case StatementKind::kVacuum:
          Vacuum(statement);
          break;
        case StatementKind::kOther:
          break;
      }
    }
    std::stable_sort(findings_.begin(), findings_.end(),
                     [](const LintFinding& a, const LintFinding& b) {
                       if (a.statement_number != b.statement_number)
                         return a.statement_number < b.statement_number;
                       return RuleOrder(a.rule_id) < RuleOrder(b.rule_id);
                     });
    return std::move(findings_);
  }

 private:
  const SchemaInfo* schema_;
  LintOptions options_;
  const StatementFacts* current_ = nullptr;
  bool in_transaction_;
  bool session_lock_timeout_ = false;
  int local_lock_timeout_ = -1;  // -1 unset in this transaction, else 0/1
  std::vector<QualifiedName> created_tables_;
  std::vector<StatementFacts> created_table_facts_;
  std::vector<ScriptIndex> script_indexes_;  // every index the script builds, anywhere
  std::vector<NotNullCheck> not_null_checks_;
  std::vector<LintFinding> findings_;

  // A finding of `rule` (worded as its `variant`, if given): the templates are filled with
  // `values`, then {object} (the finding's object) and {text} (the statement's text).
  void Add(const std::string& rule, Severity severity, const std::string& object,
           TemplateValues values, const std::string& variant = "") {
    values.emplace_back("object", object);
    values.emplace_back("text", current_->text);
    const FindingText text = RuleText(rule, variant);
    LintFinding finding;
    finding.statement_number = current_->number;
    finding.line = current_->line;
    finding.rule_id = rule;
    finding.severity = severity;
    finding.object_name = object;
    finding.message = FillTemplate(text.message, values);
    finding.explanation = Rule(rule).explanation;
    finding.safe_alternative = FillTemplate(text.safe_alternative, values);
    findings_.push_back(std::move(finding));
  }

  // Severity of a hazard that grows with the table; false: nothing to report.
  static bool SizedSeverity(const TableSize& size, Severity unknown, Severity* severity) {
    switch (size.size) {
      case SizeClass::kNew:
        return false;
      case SizeClass::kSmall:
        *severity = Severity::kInfo;
        return true;
      case SizeClass::kMedium:
        *severity = Severity::kWarning;
        return true;
      case SizeClass::kLarge:
        *severity = Severity::kError;
        return true;
      case SizeClass::kUnknown:
        *severity = unknown;
        return true;
    }
    return false;
  }

  bool CreatedInScript(const QualifiedName& table) const {
    for (const QualifiedName& created : created_tables_)
      if (SameName(created, table)) return true;
    return false;
  }

  const StatementFacts* CreatedTableFacts(const QualifiedName& table) const {
    for (auto it = created_table_facts_.rbegin(); it != created_table_facts_.rend(); ++it)
      if (SameName(it->relation, table)) return &*it;
    return nullptr;
  }

  static void Classify(TableSize* size) {
    const TableInfo& t = size->info;
    if (t.rows < 0 && t.pages <= 0) {
      size->size = SizeClass::kUnknown;
      size->label = " (size unknown: never analyzed)";
      return;
    }
    const double rows = std::max(t.rows, 0.0);
    if (rows >= kLargeTableRows || t.pages >= kLargeTablePages)
      size->size = SizeClass::kLarge;
    else if (rows < kSmallTableRows && t.pages < kSmallTablePages)
      size->size = SizeClass::kSmall;
    else
      size->size = SizeClass::kMedium;
    size->label = t.rows < 0 ? " (about " + FormatCount(t.pages) + " pages)"
                             : " (about " + FormatCount(rows) + " rows)";
  }

  TableSize SizeOf(const QualifiedName& table) const {
    TableSize size;
    if (CreatedInScript(table)) {
      size.size = SizeClass::kNew;
      size.label = " (created in this script)";
      return size;
    }
    if (schema_ == nullptr) {
      size.label = " (size unknown offline)";
      return size;
    }
    if (!schema_->FindTable(table, &size.info)) {
      size.label = " (table not found)";
      return size;
    }
    size.found = true;
    Classify(&size);
    return size;
  }

  TableSize SizeOfIndexTable(const QualifiedName& index) const {
    TableSize size;
    for (const ScriptIndex& built : script_indexes_) {
      if (!built.name.empty() && built.name == index.name && CreatedInScript(built.table)) {
        size.size = SizeClass::kNew;
        return size;
      }
    }
    if (schema_ == nullptr) {
      size.label = " (size unknown offline)";
      return size;
    }
    if (!schema_->FindIndexTable(index, &size.info)) {
      size.label = " (index not found)";
      return size;
    }
    size.found = true;
    Classify(&size);
    return size;
  }

  static std::string Object(const TableSize& size, const QualifiedName& written) {
    return size.found && !size.info.qualified_name.empty() ? size.info.qualified_name
                                                           : Display(written);
  }

  bool LockTimeoutActive() const {
    if (options_.lock_timeout_preset) return true;
    if (in_transaction_ && local_lock_timeout_ >= 0) return local_lock_timeout_ == 1;
    return session_lock_timeout_;
  }

  // ---- statements -----------------------------------------------------------------------

  void CollectScriptIndexes(const std::vector<StatementFacts>& statements) {
    for (const StatementFacts& s : statements) {
      if (s.kind == StatementKind::kCreateIndex)
        script_indexes_.push_back({s.relation, s.index.name, s.index.columns, s.index.partial});
      auto add_constraint = [&](const ConstraintFacts& c) {
        if ((c.kind == ConstraintFacts::Kind::kUnique ||
             c.kind == ConstraintFacts::Kind::kPrimaryKey) &&
            c.using_index.empty())
          script_indexes_.push_back({s.relation, c.name, c.columns, false});
      };
      if (s.kind == StatementKind::kCreateTable) {
        for (const ConstraintFacts& c : s.constraints) add_constraint(c);
        for (const ColumnFacts& column : s.columns)
          for (const ConstraintFacts& c : column.constraints) add_constraint(c);
      }
      if (s.kind == StatementKind::kAlterTable) {
        for (const AlterCommandFacts& command : s.commands) {
          if (command.kind == AlterCommandFacts::Kind::kAddConstraint)
            add_constraint(command.constraint);
          for (const ConstraintFacts& c : command.column.constraints) add_constraint(c);
        }
      }
    }
  }

  void Transaction(const StatementFacts& s) {
    if (options_.single_transaction) return;
    if (s.transaction == TransactionKind::kBegin) {
      in_transaction_ = true;
      local_lock_timeout_ = -1;
    } else if (s.transaction == TransactionKind::kCommit ||
               s.transaction == TransactionKind::kRollback) {
      in_transaction_ = false;
      local_lock_timeout_ = -1;
    }
  }

  void Set(const SetFacts& set) {
    std::string name = set.name;
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (name == "all" && set.reset) {  // RESET ALL
      session_lock_timeout_ = false;
      if (in_transaction_) local_lock_timeout_ = 0;
      return;
    }
    if (name != "lock_timeout") return;
    const bool active = !set.reset && !IsZeroSetting(set.value);
    if (set.is_local) {
      if (in_transaction_) local_lock_timeout_ = active ? 1 : 0;  // outside: no effect
    } else {
      session_lock_timeout_ = active;
    }
  }

  void ConcurrentlyInTransaction(const StatementFacts& s, const std::string& object) {
    Add("concurrently-in-transaction", Severity::kError, object,
        {{"statement", s.kind == StatementKind::kCreateIndex ? "CREATE INDEX"
                       : s.kind == StatementKind::kDropIndex ? "DROP INDEX"
                                                             : "REINDEX"},
         {"block", options_.single_transaction ? "the script's single transaction"
                                               : "a transaction block"}});
  }

  // A table-level lock a statement takes: `object` as the message names it.
  struct TableLock {
    std::string object;
    LockMode mode;
  };

  static const char* LockPhrase(LockMode mode) {
    switch (mode) {
      case LockMode::kShare:
        return "a SHARE (write-blocking)";
      case LockMode::kShareRowExclusive:
        return "a SHARE ROW EXCLUSIVE (write-blocking)";
      case LockMode::kExclusive:
        return "an EXCLUSIVE (write-blocking)";
      default:
        return "an ACCESS EXCLUSIVE";
    }
  }

  // "a", "a and b", "a, b and c".
  static std::string JoinAnd(const std::vector<std::string>& items) {
    std::string out;
    for (size_t i = 0; i < items.size(); ++i)
      out += (i == 0 ? "" : i + 1 == items.size() ? " and " : ", ") + items[i];
    return out;
  }

  // One finding for the statement when it takes a lock that blocks writes (SHARE and up:
  // every mode that conflicts with ROW EXCLUSIVE) and lock_timeout is not set: waiting for
  // it behind a long transaction, it queues every later query on the table.
  void MissingLockTimeout(const std::vector<TableLock>& taken) {
    if (LockTimeoutActive()) return;
    std::vector<TableLock> locks;  // write-blocking ones, each object once, its strongest mode
    for (const TableLock& lock : taken) {
      if (lock.mode < LockMode::kShare) continue;
      auto same = std::find_if(locks.begin(), locks.end(),
                               [&](const TableLock& l) { return l.object == lock.object; });
      if (same == locks.end())
        locks.push_back(lock);
      else
        same->mode = std::max(same->mode, lock.mode);
    }
    if (locks.empty()) return;
    std::string text;
    for (size_t i = 0; i < locks.size();) {
      std::vector<std::string> objects;
      size_t j = i;
      for (; j < locks.size() && locks[j].mode == locks[i].mode; ++j)
        objects.push_back(locks[j].object);
      text += std::string(i == 0 ? "" : " and ") + LockPhrase(locks[i].mode) + " lock on " +
              JoinAnd(objects);
      i = j;
    }
    Add("missing-lock-timeout", Severity::kWarning, locks[0].object, {{"locks", text}});
  }

  // `mode` on each of `tables` that the script did not create.
  void LockTables(const std::vector<QualifiedName>& tables, LockMode mode) {
    std::vector<TableLock> locks;
    for (const QualifiedName& table : tables)
      if (!table.empty() && !CreatedInScript(table))
        locks.push_back({Object(SizeOf(table), table), mode});
    MissingLockTimeout(locks);
  }

  // A new foreign key adds triggers to the table it references: SHARE ROW EXCLUSIVE there
  // too, unless that is the table itself or one the script created.
  void ReferencedTableLock(const QualifiedName& table, const ConstraintFacts& c,
                           std::vector<TableLock>* locks) const {
    if (c.kind != ConstraintFacts::Kind::kForeignKey || c.referenced_table.empty() ||
        SameName(c.referenced_table, table) || CreatedInScript(c.referenced_table))
      return;
    locks->push_back(
        {Object(SizeOf(c.referenced_table), c.referenced_table), LockMode::kShareRowExclusive});
  }

  void CreateIndex(const StatementFacts& s) {
    TableSize size = SizeOf(s.relation);
    const std::string object = Object(size, s.relation);
    if (s.concurrently) {
      if (in_transaction_) ConcurrentlyInTransaction(s, object);
      return;
    }
    // SHARE on the table, even ON ONLY a partitioned parent (which builds nothing).
    if (size.size != SizeClass::kNew) MissingLockTimeout({{object, LockMode::kShare}});
    // CREATE INDEX ON ONLY a partitioned parent builds nothing (an invalid index the leaves'
    // concurrent builds are attached to): the partitioned recipe's first step.
    if (s.index.only) return;
    Severity severity;
    if (!SizedSeverity(size, Severity::kWarning, &severity)) return;
    Add("index-without-concurrently", severity, object,
        {{"index", s.index.name.empty() ? std::string() : " " + QuoteIdent(s.index.name)},
         {"size", size.label},
         {"concurrent_text", InsertAfterKeyword(s.text, "INDEX", "CONCURRENTLY")}});
  }

  void DropIndex(const StatementFacts& s) {
    for (const QualifiedName& index : s.objects) {
      TableSize size = SizeOfIndexTable(index);
      const std::string object = Display(index);
      if (s.concurrently) {
        if (in_transaction_) ConcurrentlyInTransaction(s, object);
        continue;
      }
      if (size.size == SizeClass::kNew) continue;
      const std::string table =
          size.found ? " on " + size.info.qualified_name + size.label : std::string();
      Add("drop-index-without-concurrently",
          size.found && size.size == SizeClass::kSmall ? Severity::kInfo : Severity::kWarning,
          object, {{"on_table", table}, {"if_exists", s.if_exists ? "IF EXISTS " : ""}});
      MissingLockTimeout(
          {{size.found ? size.info.qualified_name : object, LockMode::kAccessExclusive}});
    }
  }

  void Reindex(const StatementFacts& s) {
    static const char* const kKinds[] = {"INDEX", "TABLE", "SCHEMA", "DATABASE", "SYSTEM"};
    const char* kind = kKinds[static_cast<int>(s.reindex_kind)];
    const bool on_relation = s.reindex_kind == StatementFacts::ReindexKind::kIndex ||
                             s.reindex_kind == StatementFacts::ReindexKind::kTable;
    std::string target = on_relation ? Display(s.relation) : QuoteIdent(s.reindex_target);
    if (s.concurrently) {
      if (in_transaction_) ConcurrentlyInTransaction(s, target);
      return;
    }
    TableSize size;
    if (s.reindex_kind == StatementFacts::ReindexKind::kIndex)
      size = SizeOfIndexTable(s.relation);
    else if (s.reindex_kind == StatementFacts::ReindexKind::kTable)
      size = SizeOf(s.relation);
    else
      size.label = "";
    // SHARE on each table, ACCESS EXCLUSIVE on each index it rebuilds.
    switch (s.reindex_kind) {
      case StatementFacts::ReindexKind::kIndex: {
        std::vector<TableLock> locks = {{target, LockMode::kAccessExclusive}};
        if (size.found) locks.push_back({size.info.qualified_name, LockMode::kShare});
        if (size.size != SizeClass::kNew) MissingLockTimeout(locks);
        break;
      }
      case StatementFacts::ReindexKind::kTable:
        if (size.size != SizeClass::kNew)
          MissingLockTimeout({{Object(size, s.relation), LockMode::kShare},
                              {"its indexes", LockMode::kAccessExclusive}});
        break;
      default:
        MissingLockTimeout(
            {{s.reindex_kind == StatementFacts::ReindexKind::kSystem
                  ? std::string("every system catalog")
                  : "every table in " +
                        std::string(s.reindex_kind == StatementFacts::ReindexKind::kSchema
                                        ? "schema "
                                        : "database ") +
                        target,
              LockMode::kShare},
             {"their indexes", LockMode::kAccessExclusive}});
        break;
    }
    Severity severity;
    if (!SizedSeverity(size, Severity::kWarning, &severity)) return;
    std::string on = size.found ? " on " + size.info.qualified_name + size.label : size.label;
    if (s.reindex_kind == StatementFacts::ReindexKind::kTable) {
      on = size.label;
      target = Object(size, s.relation);
    }
    Add("reindex-without-concurrently", severity, target,
        {{"kind", kind}, {"target", target}, {"on", on}});
  }

  void CheckColumnType(const std::string& table, const ColumnFacts& column, bool primary_key) {
    const std::string type = NormalizeTypeName(column.type);
    const std::string object = table + "." + QuoteIdent(column.name);
    const bool pg_type = column.type.name.schema.empty() || column.type.name.schema == "pg_catalog";
    if (!pg_type) return;
    const TemplateValues values = {{"name", QuoteIdent(column.name)},
                                   {"type", RenderType(column.type)},
                                   {"array", column.type.is_array ? "[]" : ""}};
    if (IsSerial(type)) {
      TemplateValues serial = values;
      serial.emplace_back("primary_key", primary_key ? " PRIMARY KEY" : "");
      Add("serial-column", Severity::kWarning, object, serial);
    }
    if (primary_key &&
        (type == "int4" || type == "int2" || type == "serial4" || type == "serial2")) {
      TemplateValues key = values;
      key.emplace_back("limit", type == "int2" || type == "serial2" ? "32,767" : "2,147,483,647");
      Add("int-primary-key", Severity::kWarning, object, key);
    }
    if (type == "json") Add("json-column", Severity::kWarning, object, values);
    if (type == "timestamp") Add("timestamp-without-time-zone", Severity::kWarning, object, values);
    if (type == "bpchar") {
      TemplateValues limit = values;
      limit.emplace_back(
          "limit", column.type.modifiers.empty() ? "1" : std::to_string(column.type.modifiers[0]));
      Add("char-column", Severity::kWarning, object, limit);
    }
  }

  static bool ColumnIsPrimaryKey(const ColumnFacts& column,
                                 const std::vector<ConstraintFacts>& table_constraints) {
    for (const ConstraintFacts& c : column.constraints)
      if (c.kind == ConstraintFacts::Kind::kPrimaryKey) return true;
    for (const ConstraintFacts& c : table_constraints)
      if (c.kind == ConstraintFacts::Kind::kPrimaryKey &&
          std::find(c.columns.begin(), c.columns.end(), column.name) != c.columns.end())
        return true;
    return false;
  }

  static bool Covers(const std::vector<std::string>& index, bool partial,
                     const std::vector<std::string>& fk) {
    if (partial || fk.empty() || index.size() < fk.size()) return false;
    std::multiset<std::string> leading(index.begin(), index.begin() + fk.size());
    return leading == std::multiset<std::string>(fk.begin(), fk.end());
  }

  bool ForeignKeyCovered(const QualifiedName& table, const TableSize& size,
                         const std::vector<std::string>& columns) const {
    for (const ScriptIndex& built : script_indexes_)
      if (SameName(built.table, table) && Covers(built.columns, built.partial, columns))
        return true;
    if (size.found)
      for (const IndexInfo& index : size.info.indexes)
        if (index.valid && Covers(index.columns, index.partial, columns)) return true;
    return false;
  }

  void ForeignKeyWithoutIndex(const QualifiedName& table, const TableSize& size,
                              const ConstraintFacts& fk) {
    if (ForeignKeyCovered(table, size, fk.columns)) return;
    const std::string object = Object(size, table);
    const std::string index = IndexName(table.name, fk.columns);
    Add("foreign-key-without-index", Severity::kWarning, object,
        {{"named", fk.name.empty() ? std::string() : QuoteIdent(fk.name) + " "},
         {"columns", JoinIdents(fk.columns)},
         {"referenced", Display(fk.referenced_table)},
         {"index", QuoteIdent(index)},
         {"table", Display(table)}});
  }

  void CreateTable(const StatementFacts& s) {
    created_tables_.push_back(s.relation);
    created_table_facts_.push_back(s);
    if (s.temporary) return;
    TableSize size;
    size.size = SizeClass::kNew;
    const std::string table = Display(s.relation);
    for (const ColumnFacts& column : s.columns) {
      CheckColumnType(table, column, ColumnIsPrimaryKey(column, s.constraints));
      for (const ConstraintFacts& c : column.constraints)
        if (c.kind == ConstraintFacts::Kind::kForeignKey)
          ForeignKeyWithoutIndex(s.relation, size, c);
    }
    for (const ConstraintFacts& c : s.constraints)
      if (c.kind == ConstraintFacts::Kind::kForeignKey) ForeignKeyWithoutIndex(s.relation, size, c);
    // A partition is attached to its parent under ACCESS EXCLUSIVE; a foreign key locks the
    // table it references.
    std::vector<TableLock> locks;
    if (s.partition_of)
      for (const QualifiedName& parent : s.parents)
        if (!CreatedInScript(parent))
          locks.push_back({Object(SizeOf(parent), parent), LockMode::kAccessExclusive});
    for (const ColumnFacts& column : s.columns)
      for (const ConstraintFacts& c : column.constraints)
        ReferencedTableLock(s.relation, c, &locks);
    for (const ConstraintFacts& c : s.constraints) ReferencedTableLock(s.relation, c, &locks);
    MissingLockTimeout(locks);
  }

  void DropTable(const StatementFacts& s) {
    std::string first;  // the first existing table dropped, for the lock finding
    for (const QualifiedName& name : s.objects) {
      if (CreatedInScript(name)) continue;
      TableSize size = SizeOf(name);
      const std::string object = Object(size, name);
      if (first.empty()) first = object;
      Add("drop-table", Severity::kWarning, object,
          {{"size", size.label},
           {"if_exists", s.if_exists ? "IF EXISTS " : ""},
           {"table", Display(name)}});
    }
    if (!first.empty()) MissingLockTimeout({{first, LockMode::kAccessExclusive}});
  }

  // The lock an ALTER TABLE subcommand takes on the table it alters (PostgreSQL 15's
  // AlterTableGetLockLevel, checked in pg_locks): SHARE UPDATE EXCLUSIVE lets reads and
  // writes go on; a foreign key and ENABLE/DISABLE TRIGGER take SHARE ROW EXCLUSIVE (writes
  // wait); ATTACH PARTITION and DETACH PARTITION CONCURRENTLY / FINALIZE take SHARE UPDATE
  // EXCLUSIVE on the parent (PartitionLock: their lock on the partition); the rest ACCESS
  // EXCLUSIVE. The statement takes the strongest of its subcommands'.
  static LockMode TableLockOf(const AlterCommandFacts& command) {
    using Kind = AlterCommandFacts::Kind;
    switch (command.kind) {
      case Kind::kValidateConstraint:
      case Kind::kAttachPartition:
        return LockMode::kShareUpdateExclusive;
      case Kind::kDetachPartition:
        return command.concurrently || command.finalize ? LockMode::kShareUpdateExclusive
                                                        : LockMode::kAccessExclusive;
      case Kind::kEnableDisableTrigger:
        return LockMode::kShareRowExclusive;
      case Kind::kAddConstraint:
        return command.constraint.kind == ConstraintFacts::Kind::kForeignKey
                   ? LockMode::kShareRowExclusive
                   : LockMode::kAccessExclusive;
      case Kind::kOther: {
        static const char* const kWeak[] = {"AT_SetStatistics", "AT_SetOptions", "AT_ResetOptions",
                                            "AT_ClusterOn", "AT_DropCluster"};
        for (const char* weak : kWeak)
          if (command.node == weak) return LockMode::kShareUpdateExclusive;
        return LockMode::kAccessExclusive;
      }
      default:
        return LockMode::kAccessExclusive;
    }
  }

  // The lock ATTACH / DETACH PARTITION takes on the partition: ACCESS EXCLUSIVE (the
  // partition constraint changes under it). DETACH ... CONCURRENTLY takes SHARE UPDATE
  // EXCLUSIVE first and ACCESS EXCLUSIVE on the partition only in its second transaction,
  // after waiting for every transaction that uses the parent; a lock_timeout there would
  // leave the detach pending (to be completed with FINALIZE), so it is not asked for.
  // (ATTACH and plain DETACH also lock a DEFAULT partition ACCESS EXCLUSIVE, if the parent
  // has one: not modelled, the schema does not say.)
  static LockMode PartitionLock(const AlterCommandFacts& command) {
    using Kind = AlterCommandFacts::Kind;
    if (command.kind == Kind::kAttachPartition) return LockMode::kAccessExclusive;
    if (command.kind == Kind::kDetachPartition)
      return command.concurrently ? LockMode::kShareUpdateExclusive : LockMode::kAccessExclusive;
    return LockMode::kNone;
  }

  void AlterTable(const StatementFacts& s) {
    const bool created = CreatedInScript(s.relation);
    TableSize size = SizeOf(s.relation);
    const std::string object = Object(size, s.relation);
    const std::string table = Display(s.relation);
    LockMode mode = LockMode::kNone;
    for (const AlterCommandFacts& command : s.commands) {
      mode = std::max(mode, TableLockOf(command));
      AlterCommand(s, command, created, size, object, table);
    }
    std::vector<TableLock> locks;
    if (!created && mode != LockMode::kNone) locks.push_back({object, mode});
    for (const AlterCommandFacts& command : s.commands) {
      if (command.kind == AlterCommandFacts::Kind::kAddConstraint)
        ReferencedTableLock(s.relation, command.constraint, &locks);
      for (const ConstraintFacts& c : command.column.constraints)
        ReferencedTableLock(s.relation, c, &locks);
      const LockMode partition = PartitionLock(command);
      if (partition != LockMode::kNone && !command.partition.empty() &&
          !CreatedInScript(command.partition))
        locks.push_back({Object(SizeOf(command.partition), command.partition), partition});
    }
    MissingLockTimeout(locks);
    // Renames of a table created in this script move it.
    for (const AlterCommandFacts& command : s.commands) {
      if (command.kind != AlterCommandFacts::Kind::kRenameTable || !created) continue;
      QualifiedName renamed{s.relation.schema, command.new_name};
      created_tables_.push_back(renamed);
    }
  }

  // ---- rewrites and refreshes -----------------------------------------------------------

  // REFRESH MATERIALIZED VIEW: ACCESS EXCLUSIVE on the view for the whole refresh (every
  // read waits); CONCURRENTLY takes EXCLUSIVE, which reads pass (only another refresh
  // waits). WITH NO DATA empties the view at once: a short lock, and no finding here.
  void RefreshMaterializedView(const StatementFacts& s) {
    if (s.concurrently) return;
    const TableSize size = SizeOf(s.relation);
    if (size.size == SizeClass::kNew) return;
    const std::string object = Object(size, s.relation);
    MissingLockTimeout({{object, LockMode::kAccessExclusive}});
    Severity severity;
    if (s.with_no_data || !SizedSeverity(size, Severity::kWarning, &severity)) return;
    // CONCURRENTLY needs a unique index on plain columns, without WHERE, valid.
    std::string existing;
    if (size.found) {
      for (const IndexInfo& index : size.info.indexes) {
        const bool plain = std::none_of(index.columns.begin(), index.columns.end(),
                                        [](const std::string& c) { return c.empty(); });
        if (index.unique && index.valid && !index.partial && plain && !index.columns.empty()) {
          existing = index.name;
          break;
        }
      }
    }
    Add("refresh-without-concurrently", severity, object,
        {{"size", size.label},
         {"view", Display(s.relation)},
         {"index", QuoteIdent(IndexName(s.relation.name, {"key"}))},
         {"existing", QuoteIdent(existing)},
         {"concurrent_text", InsertAfterKeyword(s.text, "VIEW", "CONCURRENTLY")}},
        existing.empty() ? "" : "unique-index");
  }

  // CLUSTER: rewrites the table and its indexes under ACCESS EXCLUSIVE. Without a table it
  // re-clusters every table clustered before.
  void Cluster(const StatementFacts& s) {
    if (s.relation.empty()) {
      const std::string every = "every table clustered before";
      MissingLockTimeout({{every, LockMode::kAccessExclusive}});
      Add("cluster", Severity::kWarning, every, {}, "all-tables");
      return;
    }
    const TableSize size = SizeOf(s.relation);
    if (size.size == SizeClass::kNew) return;
    const std::string object = Object(size, s.relation);
    MissingLockTimeout({{object, LockMode::kAccessExclusive}});
    Severity severity;
    if (!SizedSeverity(size, Severity::kWarning, &severity)) return;
    Add("cluster", severity, object,
        {{"size", size.label},
         {"table", Display(s.relation)},
         {"using", s.index_name.empty() ? "" : " USING " + QuoteIdent(s.index_name)}});
  }

  // VACUUM FULL: a new copy of each table and its indexes under ACCESS EXCLUSIVE; without a
  // table, every table of the database. Plain VACUUM (SHARE UPDATE EXCLUSIVE) is no hazard.
  void Vacuum(const StatementFacts& s) {
    if (!s.vacuum_full) return;
    if (s.objects.empty()) {
      const std::string every = "every table of the database";
      MissingLockTimeout({{every, LockMode::kAccessExclusive}});
      Add("vacuum-full", Severity::kWarning, every, {}, "all-tables");
      return;
    }
    std::vector<TableLock> locks;
    for (const QualifiedName& name : s.objects) {
      if (name.empty() || CreatedInScript(name)) continue;
      const TableSize size = SizeOf(name);
      const std::string object = Object(size, name);
      locks.push_back({object, LockMode::kAccessExclusive});
      Severity severity;
      if (SizedSeverity(size, Severity::kWarning, &severity))
        Add("vacuum-full", severity, object, {{"size", size.label}, {"table", Display(name)}});
    }
    MissingLockTimeout(locks);
  }

  Volatility DefaultVolatility(const DefaultFacts& d, std::string* unknown) const {
    if (d.volatility != Volatility::kUnknown) return d.volatility;
    Volatility result = d.sql_value_function ? Volatility::kStable : Volatility::kImmutable;
    for (const QualifiedName& function : d.functions) {
      Volatility v = Volatility::kUnknown;
      if (schema_ != nullptr) v = schema_->FunctionVolatility(function);
      if (v == Volatility::kUnknown && (function.schema.empty() || function.schema == "pg_catalog"))
        v = BuiltinVolatility(function.name);
      if (v == Volatility::kUnknown) {
        if (unknown->empty()) *unknown = Display(function) + "()";
        continue;
      }
      result = MaxVolatility(result, v);
    }
    return result;
  }

  void AddColumn(const StatementFacts& s, const ColumnFacts& column, bool created,
                 const TableSize& size, const std::string& object, const std::string& table) {
    bool primary_key = false;
    for (const ConstraintFacts& c : column.constraints)
      if (c.kind == ConstraintFacts::Kind::kPrimaryKey) primary_key = true;
    CheckColumnType(object, column, primary_key);
    const std::string column_name = object + "." + QuoteIdent(column.name);
    const std::string type = NormalizeTypeName(column.type);
    const bool fills_values = IsSerial(type) || column.identity != ColumnFacts::Identity::kNone ||
                              column.generated_stored;
    Severity severity;
    const TemplateValues values = {{"column", column_name},
                                   {"object", object},
                                   {"size", size.label},
                                   {"table", table},
                                   {"name", QuoteIdent(column.name)},
                                   {"type", RenderType(column.type)}};
    if ((column.not_null || primary_key) && !column.default_value.present && !fills_values &&
        !created) {
      const bool known_empty = size.found && size.info.rows == 0 && size.info.pages == 0;
      Add("not-null-column-without-default", known_empty ? Severity::kInfo : Severity::kError,
          column_name, values);
    }
    std::string unknown;
    Volatility volatility = DefaultVolatility(column.default_value, &unknown);
    std::string why;
    if (IsSerial(type))
      why = "serial (nextval())";
    else if (column.identity != ColumnFacts::Identity::kNone)
      why = "an identity column";
    else if (column.generated_stored)
      why = "a stored generated column";
    else if (column.default_value.present && volatility == Volatility::kVolatile)
      why = "a volatile DEFAULT";
    if (!why.empty()) {
      // serial's column without its default is the plain integer type
      TemplateValues rewrite = {
          {"why", why},
          {"type", IsSerial(type) ? std::string(type == "serial2"   ? "smallint"
                                                : type == "serial4" ? "integer"
                                                                    : "bigint")
                                  : RenderType(column.type)}};
      rewrite.insert(rewrite.end(), values.begin(), values.end());
      if (SizedSeverity(size, Severity::kWarning, &severity))
        Add("volatile-default", severity, column_name, rewrite);
    } else if (column.default_value.present && !unknown.empty() && !created) {
      TemplateValues maybe = {{"function", unknown}};
      maybe.insert(maybe.end(), values.begin(), values.end());
      if (SizedSeverity(size, Severity::kWarning, &severity))
        Add("volatile-default", std::min(severity, Severity::kWarning), column_name, maybe,
            "unknown-volatility");
    }
    for (const ConstraintFacts& c : column.constraints)
      AddConstraint(s, c, created, size, object, table);
  }

  void AddConstraint(const StatementFacts& s, const ConstraintFacts& c, bool created,
                     const TableSize& size, const std::string& object, const std::string& table) {
    (void)s;
    Severity severity;
    using Kind = ConstraintFacts::Kind;
    if (c.kind == Kind::kForeignKey) {
      if (!c.not_valid && !created && SizedSeverity(size, Severity::kWarning, &severity)) {
        const std::string name =
            c.name.empty() ? IndexName(s.relation.name, c.columns, "fkey") : c.name;
        Add("foreign-key-without-not-valid", severity, object,
            {{"name", QuoteIdent(name)},
             {"referenced", Display(c.referenced_table)},
             {"referenced_columns", c.referenced_columns.empty()
                                        ? std::string()
                                        : " (" + JoinIdents(c.referenced_columns) + ")"},
             {"columns", JoinIdents(c.columns)},
             {"size", size.label},
             {"table", table}});
      }
      ForeignKeyWithoutIndex(s.relation, size, c);
    } else if (c.kind == Kind::kCheck) {
      if (!c.not_null_column.empty())
        not_null_checks_.push_back({s.relation, c.name, c.not_null_column, !c.not_valid});
      if (!c.not_valid && !created && SizedSeverity(size, Severity::kWarning, &severity)) {
        Add("check-without-not-valid", severity, object,
            {{"named", c.name.empty() ? std::string() : QuoteIdent(c.name) + " "},
             {"name", c.name.empty() ? "<name>" : QuoteIdent(c.name)},
             {"size", size.label},
             {"table", table}});
      }
    } else if (c.kind == Kind::kUnique || c.kind == Kind::kPrimaryKey ||
               c.kind == Kind::kExclusion) {
      if (c.kind == Kind::kPrimaryKey) PrimaryKeyTypes(s, c, size, object);
      if (!c.using_index.empty() || created || !SizedSeverity(size, Severity::kWarning, &severity))
        return;
      const char* what = c.kind == Kind::kUnique       ? "UNIQUE"
                         : c.kind == Kind::kPrimaryKey ? "PRIMARY KEY"
                                                       : "EXCLUDE";
      const std::string name =
          c.name.empty()
              ? IndexName(s.relation.name, c.columns, c.kind == Kind::kPrimaryKey ? "pkey" : "key")
              : c.name;
      // A valid unique index on exactly these columns already exists: attach it instead.
      std::string existing;
      if (size.found && c.kind != Kind::kExclusion)
        for (const IndexInfo& index : size.info.indexes)
          if (index.unique && index.valid && !index.partial && index.columns == c.columns)
            existing = index.name;
      Add("unique-constraint-without-index", severity, object,
          {{"what", what},
           {"columns", JoinIdents(c.columns)},
           {"size", size.label},
           {"name", QuoteIdent(name)},
           {"table", table},
           {"existing", QuoteIdent(existing)}},
          c.kind == Kind::kExclusion ? "exclusion"
          : existing.empty()         ? ""
                                     : "existing-index");
    }
  }

  // ADD PRIMARY KEY on columns whose type the script or the schema knows.
  void PrimaryKeyTypes(const StatementFacts& s, const ConstraintFacts& c, const TableSize& size,
                       const std::string& object) {
    for (const std::string& name : c.columns) {
      ColumnFacts column;
      column.name = name;
      if (const StatementFacts* created = CreatedTableFacts(s.relation)) {
        for (const ColumnFacts& defined : created->columns)
          if (defined.name == name) column.type = defined.type;
      } else if (size.found) {
        if (const ColumnInfo* info = size.info.FindColumn(name)) column.type = info->type;
      }
      const std::string type = NormalizeTypeName(column.type);
      if (type == "int4" || type == "int2")
        Add("int-primary-key", Severity::kWarning, object + "." + QuoteIdent(name),
            {{"type", RenderType(column.type)},
             {"limit", type == "int2" ? "32,767" : "2,147,483,647"},
             {"table", Display(s.relation)},
             {"name", QuoteIdent(name)}},
            "add-primary-key");
    }
  }

  bool NotNullProven(const QualifiedName& table, const TableSize& size,
                     const std::string& column) const {
    for (const NotNullCheck& check : not_null_checks_)
      if (check.validated && check.column == column && SameName(check.table, table)) return true;
    if (size.found)
      for (const std::string& checked : size.info.not_null_checked)
        if (checked == column) return true;
    return false;
  }

  void AlterCommand(const StatementFacts& s, const AlterCommandFacts& command, bool created,
                    const TableSize& size, const std::string& object, const std::string& table) {
    using Kind = AlterCommandFacts::Kind;
    const std::string column = object + "." + QuoteIdent(command.name);
    Severity severity;
    switch (command.kind) {
      case Kind::kAddColumn:
        AddColumn(s, command.column, created, size, object, table);
        break;
      case Kind::kAddConstraint:
        AddConstraint(s, command.constraint, created, size, object, table);
        break;
      case Kind::kValidateConstraint:
        for (NotNullCheck& check : not_null_checks_)
          if (check.name == command.name && SameName(check.table, s.relation))
            check.validated = true;
        break;
      case Kind::kSetNotNull: {
        if (created || NotNullProven(s.relation, size, command.name)) break;
        if (!SizedSeverity(size, Severity::kWarning, &severity)) break;
        const std::string check = IndexName(s.relation.name, {command.name}, "not_null");
        Add("set-not-null", severity, column,
            {{"column", column},
             {"object", object},
             {"size", size.label},
             {"table", table},
             {"check", QuoteIdent(check)},
             {"name", QuoteIdent(command.name)}});
        break;
      }
      case Kind::kAlterColumnType: {
        ColumnFacts facts;
        facts.name = command.name;
        facts.type = command.type;
        CheckColumnType(object, facts, false);
        if (created) break;
        std::string from;
        if (size.found) {
          const ColumnInfo* info = size.info.FindColumn(command.name);
          if (info != nullptr) {
            if (!command.has_using && BinaryCoercibleChange(info->type, command.type)) break;
            from = " from " + RenderType(info->type);
          }
        }
        if (!SizedSeverity(size, Severity::kWarning, &severity)) break;
        Add("alter-column-type", severity, column,
            {{"column", column},
             {"from", from},
             {"type", RenderType(command.type)},
             {"verb", size.found && !from.empty() ? " rewrites " : " may rewrite "},
             {"object", object},
             {"size", size.label},
             {"table", table},
             {"name", QuoteIdent(command.name)},
             {"new_column", QuoteIdent(command.name + "_new")},
             {"old_column", QuoteIdent(command.name + "_old")}});
        break;
      }
      case Kind::kRenameColumn:
        if (created) break;
        Add("rename-column", Severity::kWarning, column,
            {{"column", column}, {"new_name", QuoteIdent(command.new_name)}, {"table", table}});
        break;
      case Kind::kRenameTable:
      case Kind::kSetSchema: {
        if (created) break;
        const bool rename = command.kind == Kind::kRenameTable;
        const std::string target =
            rename
                ? (s.relation.schema.empty() ? QuoteIdent(command.new_name)
                                             : QuoteQualified(s.relation.schema, command.new_name))
                : QuoteQualified(command.new_name, s.relation.name);
        Add("rename-table", Severity::kWarning, object,
            {{"verb", rename ? "renaming" : "moving"}, {"target", target}, {"table", table}});
        break;
      }
      case Kind::kDropColumn:
        if (created) break;
        Add("drop-column", Severity::kWarning, column,
            {{"column", column},
             {"table", table},
             {"if_exists", command.if_exists ? "IF EXISTS " : ""},
             {"name", QuoteIdent(command.name)}});
        break;
      default:
        break;
    }
  }
};

}  // namespace

std::vector<LintFinding> Lint(const std::vector<StatementFacts>& statements,
                              const SchemaInfo* schema, const LintOptions& options) {
  return Engine(schema, options).Run(statements);
}

}  // namespace dbopt::migrate
