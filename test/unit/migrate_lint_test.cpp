// The migration lint rules (core/migrate/lint.hpp), each both ways: it fires, and it stays
// quiet on the safe form; offline (no schema) and online (a StaticSchema with sizes).
#include <gtest/gtest.h>

#include <stdexcept>

#include "core/migrate/lint.hpp"

namespace dbopt::migrate {
namespace {

using Kind = AlterCommandFacts::Kind;
using CKind = ConstraintFacts::Kind;

QualifiedName Name(const std::string& name, const std::string& schema = "") {
  return QualifiedName{schema, name};
}

TypeFacts Type(const std::string& name, std::vector<std::int64_t> modifiers = {},
               const std::string& schema = "pg_catalog") {
  TypeFacts type;
  type.name = Name(name, schema);
  type.modifiers = std::move(modifiers);
  return type;
}

ColumnFacts Column(const std::string& name, TypeFacts type) {
  ColumnFacts column;
  column.name = name;
  column.type = std::move(type);
  return column;
}

StatementFacts Statement(StatementKind kind, const std::string& table = "",
                         const std::string& text = "") {
  StatementFacts s;
  s.kind = kind;
  s.relation = Name(table);
  s.text = text;
  return s;
}

StatementFacts Alter(const std::string& table, AlterCommandFacts command,
                     const std::string& text = "ALTER TABLE t ...") {
  StatementFacts s = Statement(StatementKind::kAlterTable, table, text);
  s.commands.push_back(std::move(command));
  return s;
}

AlterCommandFacts Command(Kind kind, const std::string& name = "") {
  AlterCommandFacts command;
  command.kind = kind;
  command.name = name;
  return command;
}

AlterCommandFacts AddColumn(ColumnFacts column) {
  AlterCommandFacts command = Command(Kind::kAddColumn, column.name);
  command.column = std::move(column);
  return command;
}

ConstraintFacts Constraint(CKind kind, std::vector<std::string> columns,
                           const std::string& name = "") {
  ConstraintFacts c;
  c.kind = kind;
  c.columns = std::move(columns);
  c.name = name;
  return c;
}

ConstraintFacts ForeignKey(std::vector<std::string> columns, const std::string& referenced,
                           bool not_valid = false) {
  ConstraintFacts c = Constraint(CKind::kForeignKey, std::move(columns), "fk");
  c.referenced_table = Name(referenced);
  c.referenced_columns = {"id"};
  c.not_valid = not_valid;
  return c;
}

AlterCommandFacts AddConstraint(ConstraintFacts c) {
  AlterCommandFacts command = Command(Kind::kAddConstraint, c.name);
  command.constraint = std::move(c);
  return command;
}

StatementFacts CreateTable(const std::string& table, std::vector<ColumnFacts> columns,
                           std::vector<ConstraintFacts> constraints = {}) {
  StatementFacts s = Statement(StatementKind::kCreateTable, table, "CREATE TABLE " + table);
  s.columns = std::move(columns);
  s.constraints = std::move(constraints);
  return s;
}

StatementFacts CreateIndex(const std::string& table, std::vector<std::string> columns,
                           bool concurrently = false) {
  StatementFacts s =
      Statement(StatementKind::kCreateIndex, table, "CREATE INDEX i ON " + table + " (x)");
  s.index.name = "i";
  s.index.columns = std::move(columns);
  s.concurrently = concurrently;
  return s;
}

StatementFacts Transaction(TransactionKind kind) {
  StatementFacts s = Statement(StatementKind::kTransaction);
  s.transaction = kind;
  return s;
}

StatementFacts SetTimeout(const std::string& value, bool local = false, bool reset = false) {
  StatementFacts s = Statement(StatementKind::kSet);
  s.setting.name = "lock_timeout";
  s.setting.value = value;
  s.setting.is_local = local;
  s.setting.reset = reset;
  return s;
}

// Runs the rules over `statements` (numbered 1.., each on its own line).
std::vector<LintFinding> LintScript(std::vector<StatementFacts> statements,
                                    const SchemaInfo* schema = nullptr, LintOptions options = {}) {
  for (size_t i = 0; i < statements.size(); ++i) {
    statements[i].number = static_cast<int>(i) + 1;
    statements[i].line = static_cast<int>(i) + 1;
  }
  return Lint(statements, schema, options);
}

// Findings of one rule.
std::vector<LintFinding> Of(const std::vector<LintFinding>& findings, const std::string& rule) {
  std::vector<LintFinding> out;
  for (const LintFinding& f : findings)
    if (f.rule_id == rule) out.push_back(f);
  return out;
}

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// A schema with three sizes of table: tiny (10 rows), mid (100,000), big (10,000,000).
struct Sizes {
  StaticSchema schema;
  Sizes() {
    schema.AddTable("public", "tiny", 10, 1);
    schema.AddTable("public", "mid", 100'000, 800);
    TableInfo& big = schema.AddTable("public", "big", 10'000'000, 200'000);
    big.columns = {{"name", Type("varchar", {10}, "")},
                   {"total", Type("int4", {}, "")},
                   {"id", Type("int4", {}, "")}};
    big.indexes = {{"big_pkey", {"id"}, true, false, true},
                   {"big_b_a_idx", {"b", "a"}, false, false, true},
                   {"big_c_partial", {"c"}, false, true, true}};
    schema.AddTable("public", "fresh", -1, 0);  // never analyzed
    schema.AddTable("public", "empty", 0, 0);
  }
};

// ---- index-without-concurrently, concurrently-in-transaction --------------------------

TEST(MigrateLint, IndexWithoutConcurrentlyOffline) {
  auto findings =
      Of(LintScript({CreateIndex("orders", {"customer_id"})}), "index-without-concurrently");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].severity, Severity::kWarning);
  EXPECT_TRUE(Has(findings[0].message, "size unknown offline")) << findings[0].message;
  EXPECT_TRUE(Has(findings[0].message, "orders"));
  EXPECT_EQ(findings[0].safe_alternative.substr(0, 34), "CREATE INDEX CONCURRENTLY i ON ord");
  EXPECT_EQ(findings[0].statement_number, 1);
  EXPECT_FALSE(findings[0].explanation.empty());
}

TEST(MigrateLint, IndexConcurrentlyOrOnNewTableIsFine) {
  EXPECT_TRUE(
      Of(LintScript({CreateIndex("orders", {"a"}, true)}), "index-without-concurrently").empty());
  EXPECT_TRUE(
      LintScript({CreateTable("orders", {Column("a", Type("int8"))}), CreateIndex("orders", {"a"})})
          .empty());
}

TEST(MigrateLint, IndexOnOnlyPartitionedParentBuildsNothing) {
  StatementFacts only = CreateIndex("measures", {"a"});
  only.index.only = true;
  // It builds nothing, but still takes its SHARE lock on the parent.
  auto f = LintScript({only});
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].rule_id, "missing-lock-timeout");
  EXPECT_TRUE(LintScript({SetTimeout("1s"), only}).empty());
}

TEST(MigrateLint, IndexSeverityFollowsTableSize) {
  Sizes s;
  auto severity = [&](const std::string& table) {
    auto f = Of(LintScript({CreateIndex(table, {"a"})}, &s.schema), "index-without-concurrently");
    EXPECT_EQ(f.size(), 1u) << table;
    return f.empty() ? Severity::kInfo : f[0].severity;
  };
  EXPECT_EQ(severity("tiny"), Severity::kInfo);
  EXPECT_EQ(severity("mid"), Severity::kWarning);
  EXPECT_EQ(severity("big"), Severity::kError);
  EXPECT_EQ(severity("fresh"), Severity::kWarning);  // never analyzed: unknown
  auto big = Of(LintScript({CreateIndex("big", {"a"})}, &s.schema), "index-without-concurrently");
  EXPECT_TRUE(Has(big[0].message, "10,000,000 rows")) << big[0].message;
  EXPECT_EQ(big[0].object_name, "public.big");
}

TEST(MigrateLint, ConcurrentlyInsideTransaction) {
  auto findings =
      LintScript({Transaction(TransactionKind::kBegin), CreateIndex("orders", {"a"}, true),
                  Transaction(TransactionKind::kCommit), CreateIndex("orders", {"b"}, true)});
  auto f = Of(findings, "concurrently-in-transaction");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].statement_number, 2);
  EXPECT_EQ(f[0].severity, Severity::kError);

  StatementFacts drop = Statement(StatementKind::kDropIndex, "", "DROP INDEX CONCURRENTLY i");
  drop.objects = {Name("i")};
  drop.concurrently = true;
  StatementFacts reindex = Statement(StatementKind::kReindex, "i", "REINDEX INDEX CONCURRENTLY i");
  reindex.concurrently = true;
  LintOptions single;
  single.single_transaction = true;
  EXPECT_EQ(Of(LintScript({drop, reindex}, nullptr, single), "concurrently-in-transaction").size(),
            2u);
  EXPECT_TRUE(Of(LintScript({drop, reindex}), "concurrently-in-transaction").empty());
}

// ---- drop index / reindex -------------------------------------------------------------

TEST(MigrateLint, DropIndexWithoutConcurrently) {
  StatementFacts drop = Statement(StatementKind::kDropIndex, "", "DROP INDEX big_b_a_idx");
  drop.objects = {Name("big_b_a_idx")};
  auto f = Of(LintScript({drop}), "drop-index-without-concurrently");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].safe_alternative.substr(0, 36), "DROP INDEX CONCURRENTLY big_b_a_idx;");
  Sizes s;
  f = Of(LintScript({drop}, &s.schema), "drop-index-without-concurrently");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_TRUE(Has(f[0].message, "public.big")) << f[0].message;
  drop.concurrently = true;
  EXPECT_TRUE(Of(LintScript({drop}), "drop-index-without-concurrently").empty());
  // An index the script built on a table it created: nothing.
  drop.concurrently = false;
  drop.objects = {Name("i")};
  EXPECT_TRUE(LintScript({CreateTable("t", {Column("x", Type("text", {}, ""))}),
                          CreateIndex("t", {"x"}), drop})
                  .empty());
}

TEST(MigrateLint, ReindexWithoutConcurrently) {
  StatementFacts reindex = Statement(StatementKind::kReindex, "big", "REINDEX TABLE big");
  reindex.reindex_kind = StatementFacts::ReindexKind::kTable;
  Sizes s;
  auto f = Of(LintScript({reindex}, &s.schema), "reindex-without-concurrently");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kError);
  EXPECT_EQ(f[0].safe_alternative.substr(0, 38), "REINDEX TABLE CONCURRENTLY public.big;");
  reindex.concurrently = true;
  EXPECT_TRUE(LintScript({reindex}, &s.schema).empty());
}

// ---- constraints ----------------------------------------------------------------------

TEST(MigrateLint, ForeignKeyWithoutNotValid) {
  auto f =
      Of(LintScript({Alter("orders", AddConstraint(ForeignKey({"customer_id"}, "customers")))}),
         "foreign-key-without-not-valid");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_TRUE(Has(f[0].safe_alternative, "NOT VALID;")) << f[0].safe_alternative;
  EXPECT_TRUE(Has(f[0].safe_alternative, "VALIDATE CONSTRAINT fk"));
  EXPECT_TRUE(Of(LintScript({Alter("orders", AddConstraint(ForeignKey({"c"}, "customers", true)))}),
                 "foreign-key-without-not-valid")
                  .empty());
  Sizes s;
  f = Of(LintScript({Alter("tiny", AddConstraint(ForeignKey({"c"}, "customers")))}, &s.schema),
         "foreign-key-without-not-valid");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kInfo);
}

TEST(MigrateLint, CheckWithoutNotValid) {
  auto check = Constraint(CKind::kCheck, {}, "positive");
  auto f = Of(LintScript({Alter("orders", AddConstraint(check))}), "check-without-not-valid");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_TRUE(Has(f[0].safe_alternative, "VALIDATE CONSTRAINT positive"));
  check.not_valid = true;
  EXPECT_TRUE(
      Of(LintScript({Alter("orders", AddConstraint(check))}), "check-without-not-valid").empty());
  check.not_valid = false;
  EXPECT_TRUE(Of(LintScript({CreateTable("orders", {}), Alter("orders", AddConstraint(check))}),
                 "check-without-not-valid")
                  .empty());
}

TEST(MigrateLint, UniqueConstraintWithoutIndex) {
  auto unique = Constraint(CKind::kUnique, {"email"});
  auto f =
      Of(LintScript({Alter("users", AddConstraint(unique))}), "unique-constraint-without-index");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_TRUE(Has(f[0].safe_alternative, "CREATE UNIQUE INDEX CONCURRENTLY users_email_key"))
      << f[0].safe_alternative;
  EXPECT_TRUE(Has(f[0].safe_alternative, "UNIQUE USING INDEX users_email_key"));
  auto pk = Constraint(CKind::kPrimaryKey, {"id"});
  EXPECT_EQ(
      Of(LintScript({Alter("users", AddConstraint(pk))}), "unique-constraint-without-index").size(),
      1u);
  // Online, a unique index on the same columns already exists: attach it.
  Sizes s;
  TableInfo& users = s.schema.AddTable("public", "users", 50'000, 500);
  users.indexes = {{"users_email_idx", {"email"}, true, false, true}};
  f = Of(LintScript({Alter("users", AddConstraint(unique))}, &s.schema),
         "unique-constraint-without-index");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kWarning);
  EXPECT_TRUE(Has(f[0].message, "unique index users_email_idx already")) << f[0].message;
  EXPECT_EQ(f[0].safe_alternative.substr(0, 84),
            "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_idx;");
  unique.using_index = "users_email_key";
  EXPECT_TRUE(
      Of(LintScript({Alter("users", AddConstraint(unique))}), "unique-constraint-without-index")
          .empty());
}

TEST(MigrateLint, InlineConstraintsOnAddColumn) {
  Sizes s;
  ColumnFacts owner = Column("owner_id", Type("int8"));
  owner.constraints = {ForeignKey({"owner_id"}, "users")};
  auto f = LintScript({SetTimeout("1s"), Alter("big", AddColumn(owner))}, &s.schema);
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].rule_id, "foreign-key-without-not-valid");
  EXPECT_EQ(f[0].severity, Severity::kError);
  EXPECT_EQ(f[1].rule_id, "foreign-key-without-index");
  ColumnFacts key = Column("k", Type("text", {}, ""));
  key.constraints = {Constraint(CKind::kUnique, {"k"})};
  f = LintScript({SetTimeout("1s"), Alter("tiny", AddColumn(key))}, &s.schema);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].rule_id, "unique-constraint-without-index");
  EXPECT_EQ(f[0].severity, Severity::kInfo);
  // DROP INDEX on a small table: info.
  StatementFacts drop = Statement(StatementKind::kDropIndex);
  drop.objects = {Name("tiny_idx")};
  s.schema.AddTable("public", "tiny2", 10, 1).indexes = {{"tiny_idx", {"a"}, false, false, true}};
  f = Of(LintScript({drop}, &s.schema), "drop-index-without-concurrently");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kInfo);
}

// ---- columns --------------------------------------------------------------------------

TEST(MigrateLint, NotNullColumnWithoutDefault) {
  ColumnFacts column = Column("status", Type("text", {}, ""));
  column.not_null = true;
  auto f = Of(LintScript({Alter("orders", AddColumn(column))}), "not-null-column-without-default");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kError);
  EXPECT_EQ(f[0].object_name, "orders.status");
  Sizes s;
  f = Of(LintScript({Alter("empty", AddColumn(column))}, &s.schema),
         "not-null-column-without-default");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kInfo);  // analyzed and empty: it works
  ColumnFacts with_default = column;
  with_default.default_value.present = true;
  with_default.default_value.constant = true;
  EXPECT_TRUE(
      LintScript({Alter("orders", AddColumn(with_default))}, nullptr, LintOptions{false, true})
          .empty());
  ColumnFacts identity = column;
  identity.type = Type("int8");
  identity.identity = ColumnFacts::Identity::kAlways;
  EXPECT_TRUE(
      Of(LintScript({Alter("orders", AddColumn(identity))}), "not-null-column-without-default")
          .empty());
}

TEST(MigrateLint, VolatileDefault) {
  ColumnFacts column = Column("token", Type("uuid", {}, ""));
  column.default_value.present = true;
  column.default_value.functions = {Name("gen_random_uuid")};
  Sizes s;
  auto f = Of(LintScript({Alter("big", AddColumn(column))}, &s.schema), "volatile-default");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kError);
  EXPECT_TRUE(Has(f[0].safe_alternative, "SET DEFAULT")) << f[0].safe_alternative;
  // now() and CURRENT_TIMESTAMP are stable: stored once, no rewrite.
  ColumnFacts stable = column;
  stable.default_value.functions = {Name("now")};
  EXPECT_TRUE(
      Of(LintScript({Alter("big", AddColumn(stable))}, &s.schema), "volatile-default").empty());
  stable.default_value.functions = {};
  stable.default_value.sql_value_function = true;
  EXPECT_TRUE(Of(LintScript({Alter("big", AddColumn(stable))}), "volatile-default").empty());
  // A function the rules do not know: offline, a warning saying so; online, the schema decides.
  ColumnFacts custom = column;
  custom.default_value.functions = {Name("make_token")};
  f = Of(LintScript({Alter("big", AddColumn(custom))}), "volatile-default");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kWarning);
  EXPECT_TRUE(Has(f[0].message, "unknown")) << f[0].message;
  s.schema.AddFunction("make_token", Volatility::kImmutable);
  EXPECT_TRUE(
      Of(LintScript({Alter("big", AddColumn(custom))}, &s.schema), "volatile-default").empty());
  s.schema.AddFunction("make_token", Volatility::kVolatile);
  EXPECT_EQ(Of(LintScript({Alter("big", AddColumn(custom))}, &s.schema), "volatile-default").size(),
            1u);
  // Adding a serial column fills every row from a sequence.
  EXPECT_EQ(
      Of(LintScript({Alter("mid", AddColumn(Column("n", Type("serial", {}, ""))))}, &s.schema),
         "volatile-default")
          .size(),
      1u);
  // On a table created in the script: nothing.
  EXPECT_TRUE(Of(LintScript({CreateTable("big", {}), Alter("big", AddColumn(column))}, &s.schema),
                 "volatile-default")
                  .empty());
}

TEST(MigrateLint, SetNotNull) {
  Sizes s;
  auto run = [&](const std::string& table) {
    return Of(LintScript({Alter(table, Command(Kind::kSetNotNull, "name"))}, &s.schema),
              "set-not-null");
  };
  ASSERT_EQ(run("big").size(), 1u);
  EXPECT_EQ(run("big")[0].severity, Severity::kError);
  EXPECT_EQ(run("tiny")[0].severity, Severity::kInfo);
  EXPECT_TRUE(Has(run("big")[0].safe_alternative,
                  "ADD CONSTRAINT big_name_not_null CHECK (name IS NOT NULL) NOT VALID;"))
      << run("big")[0].safe_alternative;
  // The safe pattern in the script: CHECK NOT VALID, VALIDATE, then SET NOT NULL.
  auto check = Constraint(CKind::kCheck, {}, "big_name_not_null");
  check.not_null_column = "name";
  check.not_valid = true;
  auto safe = LintScript({Alter("big", AddConstraint(check)),
                          Alter("big", Command(Kind::kValidateConstraint, "big_name_not_null")),
                          Alter("big", Command(Kind::kSetNotNull, "name"))},
                         &s.schema);
  EXPECT_TRUE(Of(safe, "set-not-null").empty());
  EXPECT_TRUE(Of(safe, "check-without-not-valid").empty());
  // Without the VALIDATE it still scans.
  EXPECT_EQ(Of(LintScript({Alter("big", AddConstraint(check)),
                           Alter("big", Command(Kind::kSetNotNull, "name"))},
                          &s.schema),
               "set-not-null")
                .size(),
            1u);
  // A validated CHECK (name IS NOT NULL) already in the schema.
  TableInfo& proven = s.schema.AddTable("public", "proven", 10'000'000, 200'000);
  proven.not_null_checked = {"name"};
  EXPECT_TRUE(run("proven").empty());
}

TEST(MigrateLint, AlterColumnType) {
  AlterCommandFacts widen = Command(Kind::kAlterColumnType, "name");
  widen.type = Type("varchar", {20});
  auto offline = Of(LintScript({Alter("big", widen)}), "alter-column-type");
  ASSERT_EQ(offline.size(), 1u);
  EXPECT_TRUE(Has(offline[0].message, "may rewrite")) << offline[0].message;
  Sizes s;
  EXPECT_TRUE(Of(LintScript({Alter("big", widen)}, &s.schema), "alter-column-type").empty());
  AlterCommandFacts to_text = Command(Kind::kAlterColumnType, "name");
  to_text.type = Type("text", {}, "");
  EXPECT_TRUE(Of(LintScript({Alter("big", to_text)}, &s.schema), "alter-column-type").empty());
  AlterCommandFacts narrow = Command(Kind::kAlterColumnType, "name");
  narrow.type = Type("varchar", {5});
  EXPECT_EQ(Of(LintScript({Alter("big", narrow)}, &s.schema), "alter-column-type").size(), 1u);
  AlterCommandFacts bigint = Command(Kind::kAlterColumnType, "total");
  bigint.type = Type("int8");
  auto f = Of(LintScript({Alter("big", bigint)}, &s.schema), "alter-column-type");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kError);
  EXPECT_TRUE(Has(f[0].message, "from integer to bigint rewrites public.big")) << f[0].message;
  widen.has_using = true;
  EXPECT_EQ(Of(LintScript({Alter("big", widen)}, &s.schema), "alter-column-type").size(), 1u);
}

TEST(MigrateLint, RenamesAndDrops) {
  AlterCommandFacts rename_column = Command(Kind::kRenameColumn, "name");
  rename_column.new_name = "full_name";
  AlterCommandFacts rename_table = Command(Kind::kRenameTable);
  rename_table.new_name = "clients";
  AlterCommandFacts set_schema = Command(Kind::kSetSchema);
  set_schema.new_name = "archive";
  StatementFacts drop_table = Statement(StatementKind::kDropTable, "", "DROP TABLE old");
  drop_table.objects = {Name("old")};
  auto findings = LintScript({Alter("users", rename_column), Alter("users", rename_table),
                              Alter("users", set_schema),
                              Alter("users", Command(Kind::kDropColumn, "legacy")), drop_table});
  EXPECT_EQ(Of(findings, "rename-column").size(), 1u);
  EXPECT_EQ(Of(findings, "rename-table").size(), 2u);
  EXPECT_EQ(Of(findings, "drop-column").size(), 1u);
  EXPECT_EQ(Of(findings, "drop-table").size(), 1u);
  EXPECT_TRUE(Has(Of(findings, "rename-table")[0].safe_alternative, "CREATE VIEW users AS"));
  // Objects the script created itself break nobody.
  findings = LintScript({CreateTable("users", {}), Alter("users", rename_column),
                         Alter("users", Command(Kind::kDropColumn, "legacy")),
                         Alter("users", rename_table), Statement(StatementKind::kDropTable)});
  StatementFacts drop_new = Statement(StatementKind::kDropTable);
  drop_new.objects = {Name("clients")};
  findings = LintScript({CreateTable("users", {}), Alter("users", rename_column),
                         Alter("users", Command(Kind::kDropColumn, "legacy")),
                         Alter("users", rename_table), drop_new});
  EXPECT_TRUE(findings.empty()) << findings[0].rule_id;
}

// ---- lock_timeout ---------------------------------------------------------------------

TEST(MigrateLint, MissingLockTimeout) {
  auto drop = Alter("users", Command(Kind::kDropDefault, "name"));
  EXPECT_EQ(Of(LintScript({drop}), "missing-lock-timeout").size(), 1u);
  EXPECT_TRUE(LintScript({SetTimeout("5s"), drop}).empty());
  // Set to 0 again: back to waiting forever.
  EXPECT_EQ(
      Of(LintScript({SetTimeout("5s"), SetTimeout("0"), drop}), "missing-lock-timeout").size(), 1u);
  EXPECT_EQ(Of(LintScript({SetTimeout("", false, true), drop}), "missing-lock-timeout").size(), 1u);
  StatementFacts reset_all = SetTimeout("", false, true);
  reset_all.setting.name = "all";
  EXPECT_EQ(Of(LintScript({SetTimeout("5s"), reset_all, drop}), "missing-lock-timeout").size(), 1u);
  // SET LOCAL outside a transaction block does nothing; inside, it lasts to COMMIT.
  EXPECT_EQ(Of(LintScript({SetTimeout("5s", true), drop}), "missing-lock-timeout").size(), 1u);
  auto in_block = LintScript({Transaction(TransactionKind::kBegin), SetTimeout("5s", true), drop,
                              Transaction(TransactionKind::kCommit), drop});
  auto f = Of(in_block, "missing-lock-timeout");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].statement_number, 5);
  // VALIDATE CONSTRAINT lets reads and writes go on; new tables have no traffic.
  EXPECT_TRUE(LintScript({Alter("users", Command(Kind::kValidateConstraint, "c"))}).empty());
  EXPECT_TRUE(LintScript({CreateTable("users", {}), drop}).empty());
  LintOptions preset;
  preset.lock_timeout_preset = true;
  EXPECT_TRUE(LintScript({drop}, nullptr, preset).empty());
  // A foreign key blocks writes on both tables: also flagged.
  auto fk = LintScript({Alter("orders", AddConstraint(ForeignKey({"c"}, "customers", true)))});
  ASSERT_EQ(Of(fk, "missing-lock-timeout").size(), 1u);
  EXPECT_TRUE(Has(Of(fk, "missing-lock-timeout")[0].message, "SHARE ROW EXCLUSIVE"));
}

// Every lock that blocks writes queues behind long transactions, not only ACCESS EXCLUSIVE.
TEST(MigrateLint, MissingLockTimeoutOnWriteBlockingLocks) {
  auto lock_finding = [](const std::vector<LintFinding>& findings) {
    auto f = Of(findings, "missing-lock-timeout");
    return f.size() == 1 ? f[0].message : "(" + std::to_string(f.size()) + " findings)";
  };
  // CREATE INDEX: SHARE; not with CONCURRENTLY, lock_timeout set, or on a new table.
  EXPECT_EQ(lock_finding(LintScript({CreateIndex("orders", {"a"})})),
            "statement takes a SHARE (write-blocking) lock on orders without lock_timeout set");
  EXPECT_TRUE(LintScript({CreateIndex("orders", {"a"}, true)}).empty());
  EXPECT_TRUE(
      Of(LintScript({SetTimeout("1s"), CreateIndex("orders", {"a"})}), "missing-lock-timeout")
          .empty());
  EXPECT_TRUE(LintScript({CreateTable("t", {}), CreateIndex("t", {"a"})}).empty());
  // REINDEX: SHARE on the table, ACCESS EXCLUSIVE on the index.
  StatementFacts reindex = Statement(StatementKind::kReindex, "big", "REINDEX TABLE big");
  reindex.reindex_kind = StatementFacts::ReindexKind::kTable;
  EXPECT_EQ(lock_finding(LintScript({reindex})),
            "statement takes a SHARE (write-blocking) lock on big and an ACCESS EXCLUSIVE lock "
            "on its indexes without lock_timeout set");
  Sizes s;
  StatementFacts reindex_index = Statement(StatementKind::kReindex, "big_b_a_idx", "REINDEX ...");
  EXPECT_EQ(lock_finding(LintScript({reindex_index}, &s.schema)),
            "statement takes an ACCESS EXCLUSIVE lock on big_b_a_idx and a SHARE (write-blocking) "
            "lock on public.big without lock_timeout set");
  reindex_index.concurrently = true;
  EXPECT_TRUE(LintScript({reindex_index}, &s.schema).empty());
  // A new foreign key: SHARE ROW EXCLUSIVE on the referenced table too, also from CREATE
  // TABLE; not when that table is new or the table itself.
  ColumnFacts ref = Column("order_id", Type("int8"));
  ref.constraints = {ForeignKey({"order_id"}, "orders")};
  StatementFacts lines =
      CreateTable("lines", {ref}, {Constraint(CKind::kPrimaryKey, {"order_id"})});
  EXPECT_EQ(lock_finding(LintScript({lines})),
            "statement takes a SHARE ROW EXCLUSIVE (write-blocking) lock on orders without "
            "lock_timeout set");
  EXPECT_TRUE(LintScript({CreateTable("orders", {}), lines}).empty());
  ColumnFacts parent = Column("parent_id", Type("int8"));
  parent.constraints = {ForeignKey({"parent_id"}, "nodes")};
  EXPECT_TRUE(Of(LintScript({CreateTable("nodes", {parent})}), "missing-lock-timeout").empty());
  auto fk = AddConstraint(ForeignKey({"c"}, "customers", true));
  EXPECT_EQ(lock_finding(LintScript({Alter("orders", fk)})),
            "statement takes a SHARE ROW EXCLUSIVE (write-blocking) lock on orders and customers "
            "without lock_timeout set");
  EXPECT_EQ(lock_finding(LintScript({CreateTable("orders", {}), Alter("orders", fk)})),
            "statement takes a SHARE ROW EXCLUSIVE (write-blocking) lock on customers without "
            "lock_timeout set");
  EXPECT_EQ(lock_finding(LintScript({Alter("orders", AddColumn(ref))})),
            "statement takes an ACCESS EXCLUSIVE lock on orders without lock_timeout set");
  ColumnFacts customer = Column("customer_id", Type("int8"));
  customer.constraints = {ForeignKey({"customer_id"}, "customers")};
  EXPECT_EQ(lock_finding(LintScript({Alter("orders", AddColumn(customer))})),
            "statement takes an ACCESS EXCLUSIVE lock on orders and a SHARE ROW EXCLUSIVE "
            "(write-blocking) lock on customers without lock_timeout set");
  // PARTITION OF: ACCESS EXCLUSIVE on the parent; INHERITS takes a weaker lock.
  StatementFacts partition = CreateTable("m_2028", {});
  partition.parents = {Name("m")};
  partition.partition_of = true;
  EXPECT_EQ(lock_finding(LintScript({partition})),
            "statement takes an ACCESS EXCLUSIVE lock on m without lock_timeout set");
  EXPECT_TRUE(LintScript({CreateTable("m", {}), partition}).empty());
  partition.partition_of = false;
  EXPECT_TRUE(LintScript({partition}).empty());
  // Triggers, TRUNCATE, LOCK TABLE.
  EXPECT_EQ(lock_finding(LintScript({Statement(StatementKind::kCreateTrigger, "orders")})),
            "statement takes a SHARE ROW EXCLUSIVE (write-blocking) lock on orders without "
            "lock_timeout set");
  EXPECT_EQ(lock_finding(LintScript({Statement(StatementKind::kDropTrigger, "orders")})),
            "statement takes an ACCESS EXCLUSIVE lock on orders without lock_timeout set");
  EXPECT_TRUE(LintScript({CreateTable("t", {}), Statement(StatementKind::kCreateTrigger, "t"),
                          Statement(StatementKind::kDropTrigger, "t")})
                  .empty());
  StatementFacts truncate = Statement(StatementKind::kTruncate);
  truncate.objects = {Name("a"), Name("b"), Name("c")};
  EXPECT_EQ(lock_finding(LintScript({CreateTable("b", {}), truncate})),
            "statement takes an ACCESS EXCLUSIVE lock on a and c without lock_timeout set");
  StatementFacts lock = Statement(StatementKind::kLockTable);
  lock.objects = {Name("a"), Name("b"), Name("c")};
  EXPECT_EQ(lock_finding(LintScript({lock})),
            "statement takes an ACCESS EXCLUSIVE lock on a, b and c without lock_timeout set");
  lock.lock_mode = LockMode::kExclusive;
  EXPECT_EQ(lock_finding(LintScript({lock})),
            "statement takes an EXCLUSIVE (write-blocking) lock on a, b and c without "
            "lock_timeout set");
  lock.nowait = true;
  EXPECT_TRUE(LintScript({lock}).empty());
  lock.nowait = false;
  lock.lock_mode = LockMode::kRowExclusive;
  EXPECT_TRUE(LintScript({lock}).empty());
}

// ---- foreign-key-without-index --------------------------------------------------------

TEST(MigrateLint, ForeignKeyWithoutIndex) {
  Sizes s;
  auto fk = [](std::vector<std::string> columns) {
    return Alter("big", AddConstraint(ForeignKey(std::move(columns), "other", true)));
  };
  auto f = Of(LintScript({fk({"customer_id"})}, &s.schema), "foreign-key-without-index");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].safe_alternative,
            "CREATE INDEX CONCURRENTLY big_customer_id_idx ON big (customer_id);");
  // (b, a) covers FK (a, b); a partial index does not cover.
  EXPECT_TRUE(Of(LintScript({fk({"a", "b"})}, &s.schema), "foreign-key-without-index").empty());
  EXPECT_EQ(Of(LintScript({fk({"c"})}, &s.schema), "foreign-key-without-index").size(), 1u);
  EXPECT_EQ(Of(LintScript({fk({"b"})}, &s.schema), "foreign-key-without-index").size(), 0u);
  EXPECT_EQ(Of(LintScript({fk({"a"})}, &s.schema), "foreign-key-without-index").size(), 1u);
  EXPECT_EQ(Of(LintScript({fk({"b", "x"})}, &s.schema), "foreign-key-without-index").size(), 1u);
  // An index the script builds (before or after) covers.
  EXPECT_TRUE(
      Of(LintScript({fk({"customer_id"}), CreateIndex("big", {"customer_id"}, true)}, &s.schema),
         "foreign-key-without-index")
          .empty());
  // CREATE TABLE: inline REFERENCES without index fires; a primary key on it covers.
  ColumnFacts ref = Column("order_id", Type("int8"));
  ref.constraints = {ForeignKey({"order_id"}, "orders")};
  EXPECT_EQ(Of(LintScript({CreateTable("lines", {ref})}), "foreign-key-without-index").size(), 1u);
  EXPECT_TRUE(Of(LintScript({CreateTable("lines", {ref},
                                         {Constraint(CKind::kPrimaryKey, {"order_id", "n"})})}),
                 "foreign-key-without-index")
                  .empty());
}

// ---- column types ---------------------------------------------------------------------

TEST(MigrateLint, ColumnTypes) {
  ColumnFacts id = Column("id", Type("serial", {}, ""));
  id.constraints = {Constraint(CKind::kPrimaryKey, {"id"})};
  auto findings = LintScript({CreateTable(
      "events", {id, Column("payload", Type("json", {}, "")), Column("at", Type("timestamp")),
                 Column("code", Type("bpchar", {3}))})});
  EXPECT_EQ(Of(findings, "serial-column").size(), 1u);
  EXPECT_EQ(Of(findings, "int-primary-key").size(), 1u);
  EXPECT_EQ(Of(findings, "json-column").size(), 1u);
  EXPECT_EQ(Of(findings, "timestamp-without-time-zone").size(), 1u);
  ASSERT_EQ(Of(findings, "char-column").size(), 1u);
  EXPECT_TRUE(Has(Of(findings, "char-column")[0].message, "char(3)"));
  EXPECT_EQ(Of(findings, "serial-column")[0].safe_alternative,
            "id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY");
  EXPECT_EQ(Of(findings, "json-column")[0].object_name, "events.payload");
  EXPECT_EQ(findings.size(), 5u);

  ColumnFacts good_id = Column("id", Type("int8"));
  good_id.identity = ColumnFacts::Identity::kAlways;
  ColumnFacts quoted_char = Column("flag", Type("char", {}, ""));  // "char": one byte
  EXPECT_TRUE(LintScript({CreateTable("events",
                                      {good_id, Column("payload", Type("jsonb", {}, "")),
                                       Column("at", Type("timestamptz", {}, "")),
                                       Column("code", Type("text", {}, "")), quoted_char},
                                      {Constraint(CKind::kPrimaryKey, {"id"})})})
                  .empty());
  // A table-level PRIMARY KEY on an integer column; ADD PRIMARY KEY on a live integer column.
  auto table_pk = LintScript(
      {CreateTable("t", {Column("id", Type("int4"))}, {Constraint(CKind::kPrimaryKey, {"id"})})});
  EXPECT_EQ(Of(table_pk, "int-primary-key").size(), 1u);
  Sizes s;
  auto live = LintScript({Alter("big", AddConstraint(Constraint(CKind::kPrimaryKey, {"total"})))},
                         &s.schema);
  EXPECT_EQ(Of(live, "int-primary-key").size(), 1u);
  // ALTER COLUMN TYPE json / ADD COLUMN timestamp are checked too.
  AlterCommandFacts to_json = Command(Kind::kAlterColumnType, "payload");
  to_json.type = Type("json", {}, "");
  EXPECT_EQ(Of(LintScript({Alter("t", to_json)}), "json-column").size(), 1u);
  EXPECT_EQ(Of(LintScript({Alter("t", AddColumn(Column("at", Type("timestamp"))))}),
               "timestamp-without-time-zone")
                .size(),
            1u);
}

// ---- helpers --------------------------------------------------------------------------

TEST(MigrateLint, TypeNormalizationAndCoercion) {
  EXPECT_EQ(NormalizeTypeName(Type("integer", {}, "")), "int4");
  EXPECT_EQ(NormalizeTypeName(Type("int4")), "int4");
  EXPECT_EQ(NormalizeTypeName(Type("bigserial", {}, "")), "serial8");
  EXPECT_TRUE(BinaryCoercibleChange(Type("varchar", {10}), Type("varchar", {20})));
  EXPECT_TRUE(BinaryCoercibleChange(Type("varchar", {10}), Type("varchar")));
  EXPECT_TRUE(BinaryCoercibleChange(Type("varchar", {10}), Type("text", {}, "")));
  EXPECT_TRUE(BinaryCoercibleChange(Type("text", {}, ""), Type("varchar")));
  EXPECT_TRUE(BinaryCoercibleChange(Type("numeric", {10, 2}), Type("numeric", {12, 2})));
  EXPECT_FALSE(BinaryCoercibleChange(Type("varchar", {20}), Type("varchar", {10})));
  EXPECT_FALSE(BinaryCoercibleChange(Type("varchar"), Type("varchar", {10})));
  EXPECT_FALSE(BinaryCoercibleChange(Type("text", {}, ""), Type("varchar", {10})));
  EXPECT_FALSE(BinaryCoercibleChange(Type("numeric", {10, 2}), Type("numeric", {12, 3})));
  EXPECT_FALSE(BinaryCoercibleChange(Type("int4"), Type("int8")));
  TypeFacts short_array = Type("varchar", {10});
  short_array.is_array = true;
  TypeFacts long_array = Type("varchar", {20});
  long_array.is_array = true;
  EXPECT_FALSE(BinaryCoercibleChange(short_array, long_array));
  EXPECT_TRUE(BinaryCoercibleChange(short_array, short_array));
}

TEST(MigrateLint, StatementStartSkipsBlanksAndComments) {
  const std::string script =
      "SET lock_timeout = '1s';\n\n-- add it\n/* a /* nested */ note */\n"
      "  CREATE INDEX i ON t (x);\n";
  StatementPosition p = StatementStart(script, 24, 0);
  EXPECT_EQ(p.line, 5);
  EXPECT_EQ(p.text, "CREATE INDEX i ON t (x)");
  p = StatementStart(script, 0, 23);
  EXPECT_EQ(p.line, 1);
  EXPECT_EQ(p.text, "SET lock_timeout = '1s'");
  LineColumn at = LineAndColumn("ab\ncé d", 7);
  EXPECT_EQ(at.line, 2);
  EXPECT_EQ(at.column, 4);
  // Parser positions count characters: 'd' is character 6 but byte 7.
  EXPECT_EQ(CharacterOffset("ab\ncé d", 6), 7);
  EXPECT_EQ(CharacterOffset("ab", 9), 2);
  EXPECT_EQ(LineText("one\r\ntwo\nthree", 2), "two");
  EXPECT_EQ(LineText("one\r\ntwo\nthree", 1), "one");
  EXPECT_EQ(LineText("one", 4), "");
}

TEST(MigrateLint, RuleTextTemplates) {
  EXPECT_EQ(FillTemplate("{a} and {b}{a}", {{"a", "x"}, {"b", "{a}"}}), "x and {a}x");
  EXPECT_EQ(FillTemplate("no names", {}), "no names");
  EXPECT_THROW(FillTemplate("{missing}", {{"a", "x"}}), std::logic_error);
  EXPECT_STREQ(RuleText("int-primary-key").safe_alternative,
               "{name} bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY");
  // A variant replaces what it words differently and keeps the rest.
  EXPECT_STREQ(RuleText("int-primary-key", "add-primary-key").message,
               RuleText("int-primary-key").message);
  EXPECT_STRNE(RuleText("int-primary-key", "add-primary-key").safe_alternative,
               RuleText("int-primary-key").safe_alternative);
  EXPECT_THROW(RuleText("no-such-rule"), std::logic_error);
  EXPECT_THROW(RuleText("int-primary-key", "no-such-variant"), std::logic_error);
}

TEST(MigrateLint, EveryRuleHasTextAndFindingsAreOrdered) {
  for (const RuleInfo& rule : Rules()) {
    EXPECT_GT(std::string(rule.summary).size(), 10u) << rule.id;
    EXPECT_GT(std::string(rule.explanation).size(), 40u) << rule.id;
    EXPECT_GT(std::string(rule.message).size(), 10u) << rule.id;
    EXPECT_GT(std::string(rule.safe_alternative).size(), 5u) << rule.id;
  }
  auto findings =
      LintScript({Alter("users", Command(Kind::kDropColumn, "a")), CreateIndex("users", {"b"})});
  ASSERT_EQ(findings.size(), 4u);
  EXPECT_EQ(findings[0].rule_id, "drop-column");
  EXPECT_EQ(findings[1].rule_id, "missing-lock-timeout");
  EXPECT_EQ(findings[2].statement_number, 2);
  EXPECT_EQ(findings[2].rule_id, "index-without-concurrently");
  EXPECT_EQ(findings[3].rule_id, "missing-lock-timeout");
}

// ---- refresh-without-concurrently, cluster, vacuum-full ----------------------------------

StatementFacts Refresh(const std::string& view, bool concurrently = false) {
  StatementFacts s = Statement(
      StatementKind::kRefreshMaterializedView, view,
      std::string("REFRESH MATERIALIZED VIEW ") + (concurrently ? "CONCURRENTLY " : "") + view);
  s.concurrently = concurrently;
  return s;
}

StatementFacts CreateView(const std::string& view) {
  StatementFacts s = Statement(StatementKind::kCreateTableAs, view,
                               "CREATE MATERIALIZED VIEW " + view + " AS SELECT 1 AS id");
  s.materialized_view = true;
  return s;
}

std::string LockMessage(const std::vector<LintFinding>& findings) {
  auto f = Of(findings, "missing-lock-timeout");
  return f.size() == 1 ? f[0].message : "(" + std::to_string(f.size()) + " findings)";
}

TEST(MigrateLint, RefreshWithoutConcurrently) {
  auto findings = LintScript({Refresh("daily_totals")});
  auto f = Of(findings, "refresh-without-concurrently");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kWarning);
  EXPECT_EQ(f[0].message,
            "REFRESH MATERIALIZED VIEW daily_totals without CONCURRENTLY blocks every read of the "
            "view until the refresh finishes (size unknown offline)");
  EXPECT_EQ(f[0].safe_alternative,
            "CREATE UNIQUE INDEX CONCURRENTLY daily_totals_key_idx ON daily_totals (<key "
            "columns>);  -- once; CONCURRENTLY needs it\n"
            "REFRESH MATERIALIZED VIEW CONCURRENTLY daily_totals;  -- reads go on; the view must "
            "be populated already");
  EXPECT_TRUE(Has(f[0].explanation, "unique index"));
  EXPECT_EQ(LockMessage(findings),
            "statement takes an ACCESS EXCLUSIVE lock on daily_totals without lock_timeout set");
  // CONCURRENTLY: reads go on (EXCLUSIVE), nothing to say; lock_timeout set: the rule alone.
  EXPECT_TRUE(LintScript({Refresh("daily_totals", true)}).empty());
  auto with_timeout = LintScript({SetTimeout("5s"), Refresh("daily_totals")});
  ASSERT_EQ(with_timeout.size(), 1u);
  EXPECT_EQ(with_timeout[0].rule_id, "refresh-without-concurrently");
  // Created in the same migration (even WITH NO DATA): nobody reads it yet.
  StatementFacts empty_view = CreateView("daily_totals");
  empty_view.with_no_data = true;
  EXPECT_TRUE(LintScript({CreateView("daily_totals"), Refresh("daily_totals")}).empty());
  EXPECT_TRUE(LintScript({empty_view, Refresh("daily_totals")}).empty());
  // Another view is not the new one.
  EXPECT_EQ(
      Of(LintScript({CreateView("daily_totals"), Refresh("other")}), "refresh-without-concurrently")
          .size(),
      1u);
  // WITH NO DATA empties the view at once: a short lock, only the lock_timeout finding.
  StatementFacts no_data = Refresh("daily_totals");
  no_data.with_no_data = true;
  auto emptied = LintScript({no_data});
  ASSERT_EQ(emptied.size(), 1u);
  EXPECT_EQ(emptied[0].rule_id, "missing-lock-timeout");
}

TEST(MigrateLint, RefreshWithoutConcurrentlyOnline) {
  StaticSchema schema;
  schema.AddTable("public", "small_view", 100, 2);
  TableInfo& big = schema.AddTable("public", "big_view", 5'000'000, 150'000);
  big.indexes = {{"big_view_expr", {""}, true, false, true},        // expression key
                 {"big_view_partial", {"id"}, true, true, true},    // WHERE clause
                 {"big_view_invalid", {"id"}, true, false, false},  // invalid
                 {"big_view_day", {"day"}, false, false, true}};    // not unique
  auto f = Of(LintScript({Refresh("small_view")}, &schema), "refresh-without-concurrently");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kInfo);
  EXPECT_EQ(f[0].message,
            "REFRESH MATERIALIZED VIEW public.small_view without CONCURRENTLY blocks every read "
            "of the view until the refresh finishes (about 100 rows)");
  // None of big_view's indexes allows CONCURRENTLY: the generic advice.
  f = Of(LintScript({Refresh("big_view")}, &schema), "refresh-without-concurrently");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kError);
  EXPECT_TRUE(Has(f[0].safe_alternative, "CREATE UNIQUE INDEX CONCURRENTLY"))
      << f[0].safe_alternative;
  // A valid unique index on plain columns: refresh concurrently right away.
  big.indexes.push_back({"big_view_day_region", {"day", "region"}, true, false, true});
  f = Of(LintScript({Refresh("big_view")}, &schema), "refresh-without-concurrently");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].safe_alternative,
            "REFRESH MATERIALIZED VIEW CONCURRENTLY big_view;  -- unique index "
            "big_view_day_region allows it; reads go on");
}

TEST(MigrateLint, Cluster) {
  StatementFacts cluster = Statement(StatementKind::kCluster, "events", "CLUSTER events");
  cluster.index_name = "events_created_at_idx";
  auto findings = LintScript({cluster});
  auto f = Of(findings, "cluster");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kWarning);
  EXPECT_EQ(f[0].message,
            "CLUSTER events rewrites the table and its indexes under an ACCESS EXCLUSIVE lock "
            "(size unknown offline)");
  EXPECT_TRUE(Has(f[0].safe_alternative, "pg_repack --table=events --order-by="))
      << f[0].safe_alternative;
  EXPECT_EQ(LockMessage(findings),
            "statement takes an ACCESS EXCLUSIVE lock on events without lock_timeout set");
  // A table created in the same migration: nothing to block.
  EXPECT_TRUE(LintScript({CreateTable("events", {}), cluster}).empty());
  // Online: graded by size.
  Sizes s;
  cluster.relation = Name("tiny");
  f = Of(LintScript({cluster}, &s.schema), "cluster");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kInfo);
  cluster.relation = Name("big");
  f = Of(LintScript({cluster}, &s.schema), "cluster");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kError);
  // CLUSTER alone: every table clustered before.
  auto all = LintScript({Statement(StatementKind::kCluster, "", "CLUSTER")});
  f = Of(all, "cluster");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].object_name, "every table clustered before");
  EXPECT_TRUE(Has(f[0].message, "every table clustered before")) << f[0].message;
  EXPECT_EQ(Of(all, "missing-lock-timeout").size(), 1u);
}

TEST(MigrateLint, VacuumFull) {
  StatementFacts vacuum = Statement(StatementKind::kVacuum, "", "VACUUM FULL a, b, c");
  vacuum.objects = {Name("a"), Name("b"), Name("c")};
  // Plain VACUUM: SHARE UPDATE EXCLUSIVE, reads and writes go on.
  EXPECT_TRUE(LintScript({vacuum}).empty());
  vacuum.vacuum_full = true;
  auto findings = LintScript({CreateTable("b", {}), vacuum});
  auto f = Of(findings, "vacuum-full");
  ASSERT_EQ(f.size(), 2u);  // b is new
  EXPECT_EQ(f[0].object_name, "a");
  EXPECT_EQ(f[1].object_name, "c");
  EXPECT_EQ(f[0].message,
            "VACUUM FULL a rewrites the table and its indexes under an ACCESS EXCLUSIVE lock (size "
            "unknown offline)");
  EXPECT_EQ(f[0].safe_alternative.substr(0, 10), "VACUUM a; ");
  EXPECT_TRUE(Has(f[0].safe_alternative, "pg_repack --no-order --table=a"));
  EXPECT_EQ(LockMessage(findings),
            "statement takes an ACCESS EXCLUSIVE lock on a and c without lock_timeout set");
  // Every table of the database.
  StatementFacts everything = Statement(StatementKind::kVacuum, "", "VACUUM FULL");
  everything.vacuum_full = true;
  f = Of(LintScript({everything}), "vacuum-full");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].object_name, "every table of the database");
  EXPECT_TRUE(Has(f[0].safe_alternative, "VACUUM;"));
  // Online: an empty table is small (info), a large one an error.
  Sizes s;
  vacuum.objects = {Name("empty"), Name("big")};
  f = Of(LintScript({vacuum}, &s.schema), "vacuum-full");
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].severity, Severity::kInfo);
  EXPECT_EQ(f[1].severity, Severity::kError);
  EXPECT_EQ(f[1].object_name, "public.big");
}

// CREATE TABLE ... AS and CREATE MATERIALIZED VIEW make new, empty-to-others relations.
TEST(MigrateLint, CreateTableAsIsNew) {
  StatementFacts as =
      Statement(StatementKind::kCreateTableAs, "totals", "CREATE TABLE totals AS SELECT 1 AS id");
  EXPECT_TRUE(LintScript({as, CreateIndex("totals", {"id"})}).empty());
  EXPECT_FALSE(LintScript({CreateIndex("totals", {"id"})}).empty());
}

// ---- lock levels of ALTER TABLE subcommands (PostgreSQL 15, checked in pg_locks) --------

AlterCommandFacts Partition(Kind kind, const std::string& partition) {
  AlterCommandFacts command = Command(kind);
  command.partition = Name(partition);
  return command;
}

TEST(MigrateLint, TriggerLockLevel) {
  // ENABLE / DISABLE TRIGGER: SHARE ROW EXCLUSIVE (writes wait, reads go on).
  EXPECT_EQ(LockMessage(LintScript({Alter("orders", Command(Kind::kEnableDisableTrigger, "t"))})),
            "statement takes a SHARE ROW EXCLUSIVE (write-blocking) lock on orders without "
            "lock_timeout set");
  // With another subcommand the strongest lock wins.
  StatementFacts two = Alter("orders", Command(Kind::kEnableDisableTrigger, "t"));
  two.commands.push_back(Command(Kind::kDropDefault, "x"));
  EXPECT_EQ(LockMessage(LintScript({two})),
            "statement takes an ACCESS EXCLUSIVE lock on orders without lock_timeout set");
  StatementFacts validate = Alter("orders", Command(Kind::kValidateConstraint, "c"));
  validate.commands.push_back(Command(Kind::kEnableDisableTrigger, "t"));
  EXPECT_EQ(LockMessage(LintScript({validate})),
            "statement takes a SHARE ROW EXCLUSIVE (write-blocking) lock on orders without "
            "lock_timeout set");
  EXPECT_TRUE(LintScript({CreateTable("orders", {}),
                          Alter("orders", Command(Kind::kEnableDisableTrigger, "t"))})
                  .empty());
}

TEST(MigrateLint, PartitionLockLevels) {
  // ATTACH: SHARE UPDATE EXCLUSIVE on the parent (reads and writes go on), ACCESS EXCLUSIVE
  // on the partition being attached.
  auto attach = Alter("m", Partition(Kind::kAttachPartition, "m_2028"));
  EXPECT_EQ(LockMessage(LintScript({attach})),
            "statement takes an ACCESS EXCLUSIVE lock on m_2028 without lock_timeout set");
  // The usual recipe: the partition is created (and filled) first, then attached: quiet.
  EXPECT_TRUE(LintScript({CreateTable("m_2028", {}), attach}).empty());
  // A new parent: only the existing partition is locked.
  EXPECT_EQ(LockMessage(LintScript({CreateTable("m", {}), attach})),
            "statement takes an ACCESS EXCLUSIVE lock on m_2028 without lock_timeout set");
  // DETACH: ACCESS EXCLUSIVE on both.
  EXPECT_EQ(LockMessage(LintScript({Alter("m", Partition(Kind::kDetachPartition, "m_2020"))})),
            "statement takes an ACCESS EXCLUSIVE lock on m and m_2020 without lock_timeout set");
  // DETACH CONCURRENTLY: SHARE UPDATE EXCLUSIVE on both (its short ACCESS EXCLUSIVE on the
  // partition comes after waiting for the parent's users; a lock_timeout would leave it
  // pending): no finding.
  AlterCommandFacts concurrently = Partition(Kind::kDetachPartition, "m_2020");
  concurrently.concurrently = true;
  EXPECT_TRUE(LintScript({Alter("m", concurrently)}).empty());
  // FINALIZE: SHARE UPDATE EXCLUSIVE on the parent, ACCESS EXCLUSIVE on the partition.
  AlterCommandFacts finalize = Partition(Kind::kDetachPartition, "m_2020");
  finalize.finalize = true;
  EXPECT_EQ(LockMessage(LintScript({Alter("m", finalize)})),
            "statement takes an ACCESS EXCLUSIVE lock on m_2020 without lock_timeout set");
  // Online: the partition's qualified name.
  StaticSchema schema;
  schema.AddTable("public", "m", 1000, 10);
  schema.AddTable("public", "m_2028", 10, 1);
  EXPECT_EQ(LockMessage(LintScript({attach}, &schema)),
            "statement takes an ACCESS EXCLUSIVE lock on public.m_2028 without lock_timeout set");
}

}  // namespace
}  // namespace dbopt::migrate
