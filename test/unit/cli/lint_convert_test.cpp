// libpg_query parse tree -> lint statement facts (src/cli/migrate/lint_convert).
#include <gtest/gtest.h>

#include "cli/migrate/lint_convert.hpp"

namespace dbopt::cli {
namespace {

using dbopt::migrate::AlterCommandFacts;
using dbopt::migrate::ColumnFacts;
using dbopt::migrate::ConstraintFacts;
using dbopt::migrate::QualifiedName;
using dbopt::migrate::StatementFacts;
using dbopt::migrate::StatementKind;
using dbopt::migrate::TransactionKind;
using AlterKind = AlterCommandFacts::Kind;
using ConstraintKind = ConstraintFacts::Kind;

StatementFacts One(const std::string& sql) {
  const ConvertedSql converted = ConvertSqlToFacts(sql);
  EXPECT_TRUE(converted.ok) << converted.error_message;
  EXPECT_EQ(converted.statements.size(), 1u) << sql;
  return converted.statements.empty() ? StatementFacts{} : converted.statements.front();
}

std::string Name(const QualifiedName& name) {
  return name.schema.empty() ? name.name : name.schema + "." + name.name;
}

TEST(LintConvert, LinesTextAndNumbersSkipCommentsAndBlankLines) {
  const ConvertedSql converted = ConvertSqlToFacts(
      "-- header\nCREATE TABLE a (id int);\n\n/* a\n /* nested */ comment */\n"
      "  ALTER TABLE a ADD COLUMN b int; VACUUM a ;\n-- trailing\n",
      10);
  ASSERT_TRUE(converted.ok);
  ASSERT_EQ(converted.statements.size(), 3u);
  EXPECT_EQ(converted.statements[0].line, 11);
  EXPECT_EQ(converted.statements[0].number, 1);
  EXPECT_EQ(converted.statements[0].text, "CREATE TABLE a (id int)");
  EXPECT_EQ(converted.statements[0].node, "CreateStmt");
  EXPECT_EQ(converted.statements[1].line, 15);
  EXPECT_EQ(converted.statements[1].text, "ALTER TABLE a ADD COLUMN b int");
  EXPECT_EQ(converted.statements[2].line, 15);
  EXPECT_EQ(converted.statements[2].number, 3);
  EXPECT_EQ(converted.statements[2].kind, StatementKind::kVacuum);
  EXPECT_FALSE(converted.statements[2].vacuum_full);
  EXPECT_EQ(converted.statements[2].node, "VacuumStmt");
  EXPECT_EQ(converted.statements[2].text, "VACUUM a");
}

TEST(LintConvert, SyntaxErrorLineCountsCharactersNotBytes) {
  const ConvertedSql converted = ConvertSqlToFacts("SELECT 'é';\n\nSELECT (;\n", 5);
  EXPECT_FALSE(converted.ok);
  EXPECT_EQ(converted.error_line, 7);
  EXPECT_NE(converted.error_message.find("syntax error"), std::string::npos);
  const ConvertedSql unterminated = ConvertSqlToFacts("SELECT 1;\nSELECT 'oops\n");
  EXPECT_FALSE(unterminated.ok);
  EXPECT_EQ(unterminated.error_line, 2);
}

TEST(LintConvert, EmptyInputHasNoStatements) {
  const ConvertedSql converted = ConvertSqlToFacts("-- nothing\n");
  EXPECT_TRUE(converted.ok);
  EXPECT_TRUE(converted.statements.empty());
  EXPECT_TRUE(ConvertSqlToFacts("").statements.empty());
}

TEST(LintConvert, CreateIndex) {
  StatementFacts facts =
      One("CREATE UNIQUE INDEX IF NOT EXISTS i ON ONLY app.t USING hash (a, lower(b)) "
          "INCLUDE (c) WHERE c");
  EXPECT_EQ(facts.kind, StatementKind::kCreateIndex);
  EXPECT_EQ(Name(facts.relation), "app.t");
  EXPECT_EQ(facts.index.name, "i");
  EXPECT_TRUE(facts.index.unique);
  EXPECT_FALSE(facts.concurrently);
  EXPECT_TRUE(facts.index.if_not_exists);
  EXPECT_TRUE(facts.if_exists);
  EXPECT_TRUE(facts.index.partial);
  EXPECT_TRUE(facts.index.only);
  EXPECT_EQ(facts.index.access_method, "hash");
  EXPECT_EQ(facts.index.columns, (std::vector<std::string>{"a", ""}));
  EXPECT_EQ(facts.index.include_columns, std::vector<std::string>{"c"});
  facts = One("CREATE INDEX CONCURRENTLY ON \"Mixed\" (\"Col\")");
  EXPECT_TRUE(facts.concurrently);
  EXPECT_EQ(facts.index.name, "");
  EXPECT_EQ(facts.index.access_method, "btree");
  EXPECT_FALSE(facts.index.only);
  EXPECT_EQ(facts.relation.name, "Mixed");
  EXPECT_EQ(facts.index.columns, std::vector<std::string>{"Col"});
}

TEST(LintConvert, DropIndexAndReindex) {
  StatementFacts facts = One("DROP INDEX CONCURRENTLY IF EXISTS app.i CASCADE");
  EXPECT_EQ(facts.kind, StatementKind::kDropIndex);
  EXPECT_TRUE(facts.concurrently);
  EXPECT_TRUE(facts.if_exists);
  EXPECT_TRUE(facts.cascade);
  ASSERT_EQ(facts.objects.size(), 1u);
  EXPECT_EQ(Name(facts.objects[0]), "app.i");
  facts = One("DROP INDEX i, j");
  EXPECT_FALSE(facts.concurrently);
  EXPECT_EQ(facts.objects.size(), 2u);
  facts = One("REINDEX INDEX CONCURRENTLY i");
  EXPECT_EQ(facts.kind, StatementKind::kReindex);
  EXPECT_EQ(facts.reindex_kind, StatementFacts::ReindexKind::kIndex);
  EXPECT_TRUE(facts.concurrently);
  EXPECT_EQ(facts.relation.name, "i");
  facts = One("REINDEX (VERBOSE) TABLE app.t");
  EXPECT_FALSE(facts.concurrently);
  EXPECT_EQ(facts.reindex_kind, StatementFacts::ReindexKind::kTable);
  EXPECT_EQ(Name(facts.relation), "app.t");
  facts = One("REINDEX SCHEMA app");
  EXPECT_EQ(facts.reindex_kind, StatementFacts::ReindexKind::kSchema);
  EXPECT_EQ(facts.reindex_target, "app");
  EXPECT_TRUE(facts.relation.empty());
}

TEST(LintConvert, CreateTableColumnsAndTypes) {
  const StatementFacts facts =
      One("CREATE TABLE IF NOT EXISTS t (id serial PRIMARY KEY, n integer NOT NULL DEFAULT 0, "
          "c char(3), v varchar(20)[], at timestamp, tz timestamptz DEFAULT now(), j json, "
          "u uuid DEFAULT public.gen_random_uuid(), o bigint REFERENCES app.owners, "
          "g int GENERATED ALWAYS AS (n * 2) STORED, i bigint GENERATED ALWAYS AS IDENTITY, "
          "k int GENERATED BY DEFAULT AS IDENTITY, nm numeric(10, 2), d timestamptz DEFAULT "
          "CURRENT_TIMESTAMP, CONSTRAINT t_n_check CHECK (n > 0), UNIQUE (c))");
  EXPECT_EQ(facts.kind, StatementKind::kCreateTable);
  EXPECT_TRUE(facts.if_exists);
  EXPECT_FALSE(facts.temporary);
  ASSERT_EQ(facts.columns.size(), 14u);
  const auto& id = facts.columns[0];
  EXPECT_EQ(id.type.name.name, "serial");
  EXPECT_EQ(id.type.name.schema, "");
  ASSERT_EQ(id.constraints.size(), 1u);
  EXPECT_EQ(id.constraints[0].kind, ConstraintKind::kPrimaryKey);
  EXPECT_EQ(id.constraints[0].columns, std::vector<std::string>{"id"});
  EXPECT_EQ(Name(facts.columns[1].type.name), "pg_catalog.int4");
  EXPECT_TRUE(facts.columns[1].not_null);
  EXPECT_TRUE(facts.columns[1].default_value.present);
  EXPECT_TRUE(facts.columns[1].default_value.constant);
  EXPECT_EQ(Name(facts.columns[2].type.name), "pg_catalog.bpchar");
  EXPECT_EQ(facts.columns[2].type.modifiers, std::vector<std::int64_t>{3});
  EXPECT_FALSE(facts.columns[2].default_value.present);
  EXPECT_EQ(facts.columns[3].type.name.name, "varchar");
  EXPECT_TRUE(facts.columns[3].type.is_array);
  EXPECT_EQ(Name(facts.columns[4].type.name), "pg_catalog.timestamp");
  EXPECT_EQ(Name(facts.columns[5].type.name), "timestamptz");
  EXPECT_FALSE(facts.columns[5].default_value.constant);
  ASSERT_EQ(facts.columns[5].default_value.functions.size(), 1u);
  EXPECT_EQ(Name(facts.columns[5].default_value.functions[0]), "now");
  EXPECT_EQ(Name(facts.columns[6].type.name), "json");
  EXPECT_EQ(Name(facts.columns[7].default_value.functions.at(0)), "public.gen_random_uuid");
  ASSERT_EQ(facts.columns[8].constraints.size(), 1u);
  EXPECT_EQ(facts.columns[8].constraints[0].kind, ConstraintKind::kForeignKey);
  EXPECT_EQ(Name(facts.columns[8].constraints[0].referenced_table), "app.owners");
  EXPECT_EQ(facts.columns[8].constraints[0].columns, std::vector<std::string>{"o"});
  EXPECT_TRUE(facts.columns[8].constraints[0].referenced_columns.empty());
  EXPECT_TRUE(facts.columns[9].generated_stored);
  EXPECT_EQ(facts.columns[10].identity, ColumnFacts::Identity::kAlways);
  EXPECT_EQ(facts.columns[11].identity, ColumnFacts::Identity::kByDefault);
  EXPECT_EQ(facts.columns[12].type.modifiers, (std::vector<std::int64_t>{10, 2}));
  EXPECT_TRUE(facts.columns[13].default_value.sql_value_function);
  EXPECT_TRUE(facts.columns[13].default_value.functions.empty());
  ASSERT_EQ(facts.constraints.size(), 2u);
  EXPECT_EQ(facts.constraints[0].kind, ConstraintKind::kCheck);
  EXPECT_EQ(facts.constraints[0].name, "t_n_check");
  EXPECT_EQ(facts.constraints[1].kind, ConstraintKind::kUnique);
  EXPECT_EQ(facts.constraints[1].columns, std::vector<std::string>{"c"});
}

TEST(LintConvert, CreateTableTemporaryAndPartition) {
  EXPECT_TRUE(One("CREATE TEMP TABLE t (a int)").temporary);
  const StatementFacts facts = One("CREATE TABLE p1 PARTITION OF p FOR VALUES FROM (1) TO (10)");
  EXPECT_TRUE(facts.partition_of);
  EXPECT_EQ(facts.kind, StatementKind::kCreateTable);
}

TEST(LintConvert, AlterTableAddColumn) {
  const StatementFacts facts =
      One("ALTER TABLE IF EXISTS ONLY t ADD COLUMN a int NOT NULL, ADD COLUMN b text DEFAULT "
          "'x'::text, ADD c double precision DEFAULT random() * 10, ADD d int DEFAULT -1, "
          "ADD e text DEFAULT NULL");
  EXPECT_EQ(facts.kind, StatementKind::kAlterTable);
  EXPECT_EQ(facts.relation.name, "t");
  EXPECT_TRUE(facts.if_exists);
  ASSERT_EQ(facts.commands.size(), 5u);
  EXPECT_EQ(facts.commands[0].kind, AlterKind::kAddColumn);
  EXPECT_EQ(facts.commands[0].name, "a");
  EXPECT_EQ(facts.commands[0].column.name, "a");
  EXPECT_TRUE(facts.commands[0].column.not_null);
  EXPECT_FALSE(facts.commands[0].column.default_value.present);
  EXPECT_TRUE(facts.commands[1].column.default_value.constant);
  EXPECT_EQ(Name(facts.commands[2].column.type.name), "pg_catalog.float8");
  EXPECT_FALSE(facts.commands[2].column.default_value.constant);
  EXPECT_EQ(Name(facts.commands[2].column.default_value.functions.at(0)), "random");
  EXPECT_TRUE(facts.commands[3].column.default_value.constant);
  EXPECT_TRUE(facts.commands[4].column.default_value.constant);
}

TEST(LintConvert, AlterTableColumnChanges) {
  const StatementFacts facts =
      One("ALTER TABLE t ALTER COLUMN a TYPE bigint, ALTER b TYPE int USING b::int, "
          "ALTER c SET NOT NULL, ALTER d DROP NOT NULL, ALTER e SET DEFAULT clock_timestamp(), "
          "ALTER f DROP DEFAULT, DROP COLUMN IF EXISTS g CASCADE, SET TABLESPACE s");
  ASSERT_EQ(facts.commands.size(), 8u);
  EXPECT_EQ(facts.commands[0].kind, AlterKind::kAlterColumnType);
  EXPECT_EQ(facts.commands[0].name, "a");
  EXPECT_EQ(Name(facts.commands[0].type.name), "pg_catalog.int8");
  EXPECT_FALSE(facts.commands[0].has_using);
  EXPECT_TRUE(facts.commands[1].has_using);
  EXPECT_EQ(facts.commands[2].kind, AlterKind::kSetNotNull);
  EXPECT_EQ(facts.commands[2].name, "c");
  EXPECT_EQ(facts.commands[3].kind, AlterKind::kDropNotNull);
  EXPECT_EQ(facts.commands[4].kind, AlterKind::kSetDefault);
  EXPECT_EQ(facts.commands[4].name, "e");
  EXPECT_TRUE(facts.commands[4].column.default_value.present);
  EXPECT_EQ(Name(facts.commands[4].column.default_value.functions.at(0)), "clock_timestamp");
  EXPECT_EQ(facts.commands[5].kind, AlterKind::kDropDefault);
  EXPECT_EQ(facts.commands[6].kind, AlterKind::kDropColumn);
  EXPECT_EQ(facts.commands[6].name, "g");
  EXPECT_TRUE(facts.commands[6].if_exists);
  EXPECT_TRUE(facts.commands[6].cascade);
  EXPECT_EQ(facts.commands[7].kind, AlterKind::kOther);
  EXPECT_EQ(facts.commands[7].node, "AT_SetTableSpace");
}

TEST(LintConvert, AlterTableConstraints) {
  const StatementFacts facts =
      One("ALTER TABLE t ADD CONSTRAINT t_o_fk FOREIGN KEY (o, p) REFERENCES app.owners (id, q) "
          "NOT VALID, ADD CONSTRAINT t_c CHECK (a > 0), ADD CONSTRAINT t_u UNIQUE USING INDEX "
          "t_u_idx, ADD PRIMARY KEY (id), VALIDATE CONSTRAINT t_o_fk, DROP CONSTRAINT old_c, "
          "ADD CONSTRAINT t_b_nn CHECK (b IS NOT NULL) NOT VALID");
  ASSERT_EQ(facts.commands.size(), 7u);
  const ConstraintFacts& fk = facts.commands[0].constraint;
  EXPECT_EQ(facts.commands[0].kind, AlterKind::kAddConstraint);
  EXPECT_EQ(facts.commands[0].name, "t_o_fk");
  EXPECT_EQ(fk.kind, ConstraintKind::kForeignKey);
  EXPECT_EQ(fk.name, "t_o_fk");
  EXPECT_EQ(fk.columns, (std::vector<std::string>{"o", "p"}));
  EXPECT_EQ(Name(fk.referenced_table), "app.owners");
  EXPECT_EQ(fk.referenced_columns, (std::vector<std::string>{"id", "q"}));
  EXPECT_TRUE(fk.not_valid);
  EXPECT_EQ(facts.commands[1].constraint.kind, ConstraintKind::kCheck);
  EXPECT_FALSE(facts.commands[1].constraint.not_valid);
  EXPECT_EQ(facts.commands[1].constraint.not_null_column, "");
  EXPECT_EQ(facts.commands[2].constraint.kind, ConstraintKind::kUnique);
  EXPECT_EQ(facts.commands[2].constraint.using_index, "t_u_idx");
  EXPECT_EQ(facts.commands[3].constraint.kind, ConstraintKind::kPrimaryKey);
  EXPECT_EQ(facts.commands[3].constraint.columns, std::vector<std::string>{"id"});
  EXPECT_EQ(facts.commands[4].kind, AlterKind::kValidateConstraint);
  EXPECT_EQ(facts.commands[4].name, "t_o_fk");
  EXPECT_EQ(facts.commands[5].kind, AlterKind::kDropConstraint);
  EXPECT_EQ(facts.commands[5].name, "old_c");
  EXPECT_EQ(facts.commands[6].constraint.not_null_column, "b");
  EXPECT_TRUE(facts.commands[6].constraint.not_valid);
}

TEST(LintConvert, RenamesAndSetSchemaAreAlterTableCommands) {
  StatementFacts facts = One("ALTER TABLE app.t RENAME TO u");
  EXPECT_EQ(facts.kind, StatementKind::kAlterTable);
  EXPECT_EQ(Name(facts.relation), "app.t");
  ASSERT_EQ(facts.commands.size(), 1u);
  EXPECT_EQ(facts.commands[0].kind, AlterKind::kRenameTable);
  EXPECT_EQ(facts.commands[0].new_name, "u");
  facts = One("ALTER TABLE t RENAME COLUMN a TO b");
  EXPECT_EQ(facts.commands.at(0).kind, AlterKind::kRenameColumn);
  EXPECT_EQ(facts.commands[0].name, "a");
  EXPECT_EQ(facts.commands[0].new_name, "b");
  facts = One("ALTER TABLE t RENAME CONSTRAINT c1 TO c2");
  EXPECT_EQ(facts.commands.at(0).kind, AlterKind::kRenameConstraint);
  EXPECT_EQ(facts.commands[0].name, "c1");
  facts = One("ALTER TABLE t SET SCHEMA archive");
  EXPECT_EQ(facts.commands.at(0).kind, AlterKind::kSetSchema);
  EXPECT_EQ(facts.commands[0].new_name, "archive");
  EXPECT_EQ(One("ALTER INDEX i RENAME TO j").kind, StatementKind::kOther);
  EXPECT_EQ(One("ALTER VIEW v RENAME COLUMN a TO b").kind, StatementKind::kOther);
  EXPECT_EQ(One("ALTER SEQUENCE s SET SCHEMA x").kind, StatementKind::kOther);
}

TEST(LintConvert, DropsAndOthers) {
  StatementFacts facts = One("DROP TABLE IF EXISTS a, app.b CASCADE");
  EXPECT_EQ(facts.kind, StatementKind::kDropTable);
  ASSERT_EQ(facts.objects.size(), 2u);
  EXPECT_EQ(Name(facts.objects[1]), "app.b");
  EXPECT_TRUE(facts.if_exists);
  EXPECT_TRUE(facts.cascade);
  facts = One("DROP VIEW v");
  EXPECT_EQ(facts.kind, StatementKind::kOther);
  EXPECT_EQ(facts.node, "DropStmt");
  EXPECT_EQ(One("ALTER INDEX i SET (fillfactor = 70)").kind, StatementKind::kOther);
}

TEST(LintConvert, LockTakingStatements) {
  StatementFacts facts = One("TRUNCATE a, app.b");
  EXPECT_EQ(facts.kind, StatementKind::kTruncate);
  EXPECT_EQ(facts.node, "TruncateStmt");
  ASSERT_EQ(facts.objects.size(), 2u);
  EXPECT_EQ(Name(facts.objects[1]), "app.b");
  facts = One("LOCK TABLE a, b IN SHARE ROW EXCLUSIVE MODE NOWAIT");
  EXPECT_EQ(facts.kind, StatementKind::kLockTable);
  EXPECT_EQ(facts.objects.size(), 2u);
  EXPECT_EQ(facts.lock_mode, dbopt::migrate::LockMode::kShareRowExclusive);
  EXPECT_TRUE(facts.nowait);
  facts = One("LOCK a");
  EXPECT_EQ(facts.lock_mode, dbopt::migrate::LockMode::kAccessExclusive);
  EXPECT_FALSE(facts.nowait);
  facts = One("CREATE TRIGGER t AFTER INSERT ON app.orders FOR EACH ROW EXECUTE FUNCTION f()");
  EXPECT_EQ(facts.kind, StatementKind::kCreateTrigger);
  EXPECT_EQ(Name(facts.relation), "app.orders");
  facts = One("DROP TRIGGER IF EXISTS t ON app.orders");
  EXPECT_EQ(facts.kind, StatementKind::kDropTrigger);
  EXPECT_EQ(Name(facts.relation), "app.orders");
  EXPECT_TRUE(facts.if_exists);
  facts = One("CREATE TABLE m_1 PARTITION OF app.m FOR VALUES IN (1)");
  EXPECT_TRUE(facts.partition_of);
  ASSERT_EQ(facts.parents.size(), 1u);
  EXPECT_EQ(Name(facts.parents[0]), "app.m");
  facts = One("CREATE TABLE c (x int) INHERITS (p, q)");
  EXPECT_FALSE(facts.partition_of);
  EXPECT_EQ(facts.parents.size(), 2u);
}

TEST(LintConvert, RewritesAndRefreshes) {
  StatementFacts facts = One("REFRESH MATERIALIZED VIEW app.totals");
  EXPECT_EQ(facts.kind, StatementKind::kRefreshMaterializedView);
  EXPECT_EQ(Name(facts.relation), "app.totals");
  EXPECT_FALSE(facts.concurrently);
  EXPECT_FALSE(facts.with_no_data);
  facts = One("REFRESH MATERIALIZED VIEW CONCURRENTLY totals");
  EXPECT_TRUE(facts.concurrently);
  EXPECT_TRUE(One("REFRESH MATERIALIZED VIEW totals WITH NO DATA").with_no_data);
  facts = One("CREATE MATERIALIZED VIEW IF NOT EXISTS app.totals AS SELECT 1 AS id WITH NO DATA");
  EXPECT_EQ(facts.kind, StatementKind::kCreateTableAs);
  EXPECT_EQ(Name(facts.relation), "app.totals");
  EXPECT_TRUE(facts.materialized_view);
  EXPECT_TRUE(facts.with_no_data);
  EXPECT_TRUE(facts.if_exists);
  facts = One("CREATE TABLE copy AS SELECT * FROM orders");
  EXPECT_EQ(facts.kind, StatementKind::kCreateTableAs);
  EXPECT_EQ(Name(facts.relation), "copy");
  EXPECT_FALSE(facts.materialized_view);
  facts = One("CLUSTER app.events USING events_at_idx");
  EXPECT_EQ(facts.kind, StatementKind::kCluster);
  EXPECT_EQ(Name(facts.relation), "app.events");
  EXPECT_EQ(facts.index_name, "events_at_idx");
  facts = One("CLUSTER");
  EXPECT_EQ(facts.kind, StatementKind::kCluster);
  EXPECT_TRUE(facts.relation.empty());
  facts = One("VACUUM FULL a, app.b (x)");
  EXPECT_EQ(facts.kind, StatementKind::kVacuum);
  EXPECT_TRUE(facts.vacuum_full);
  ASSERT_EQ(facts.objects.size(), 2u);
  EXPECT_EQ(Name(facts.objects[1]), "app.b");
  EXPECT_TRUE(One("VACUUM (VERBOSE, FULL) a").vacuum_full);
  EXPECT_TRUE(One("VACUUM (FULL true) a").vacuum_full);
  EXPECT_FALSE(One("VACUUM (FULL false) a").vacuum_full);
  EXPECT_FALSE(One("VACUUM (FULL off, ANALYZE) a").vacuum_full);
  EXPECT_TRUE(One("VACUUM FULL").objects.empty());
  facts = One("ANALYZE a");
  EXPECT_EQ(facts.kind, StatementKind::kOther);
  EXPECT_EQ(facts.node, "VacuumStmt");
  // REINDEX (CONCURRENTLY false) is a plain REINDEX.
  EXPECT_FALSE(One("REINDEX (CONCURRENTLY false) TABLE a").concurrently);
  EXPECT_TRUE(One("REINDEX (CONCURRENTLY) TABLE a").concurrently);
}

TEST(LintConvert, TriggerAndPartitionSubcommands) {
  for (const char* sql :
       {"ALTER TABLE t ENABLE TRIGGER x", "ALTER TABLE t DISABLE TRIGGER x",
        "ALTER TABLE t ENABLE ALWAYS TRIGGER x", "ALTER TABLE t ENABLE REPLICA TRIGGER x",
        "ALTER TABLE t ENABLE TRIGGER ALL", "ALTER TABLE t DISABLE TRIGGER ALL",
        "ALTER TABLE t ENABLE TRIGGER USER", "ALTER TABLE t DISABLE TRIGGER USER"}) {
    StatementFacts facts = One(sql);
    ASSERT_EQ(facts.commands.size(), 1u) << sql;
    EXPECT_EQ(facts.commands[0].kind, AlterKind::kEnableDisableTrigger) << sql;
  }
  // ENABLE RULE is not a trigger.
  EXPECT_EQ(One("ALTER TABLE t ENABLE RULE r").commands[0].kind, AlterKind::kOther);
  StatementFacts facts = One("ALTER TABLE app.m ATTACH PARTITION app.m_1 FOR VALUES IN (1)");
  ASSERT_EQ(facts.commands.size(), 1u);
  EXPECT_EQ(facts.commands[0].kind, AlterKind::kAttachPartition);
  EXPECT_EQ(Name(facts.commands[0].partition), "app.m_1");
  facts = One("ALTER TABLE m DETACH PARTITION m_1");
  EXPECT_EQ(facts.commands[0].kind, AlterKind::kDetachPartition);
  EXPECT_EQ(Name(facts.commands[0].partition), "m_1");
  EXPECT_FALSE(facts.commands[0].concurrently);
  EXPECT_FALSE(facts.commands[0].finalize);
  facts = One("ALTER TABLE m DETACH PARTITION m_1 CONCURRENTLY");
  EXPECT_TRUE(facts.commands[0].concurrently);
  facts = One("ALTER TABLE m DETACH PARTITION m_1 FINALIZE");
  EXPECT_EQ(facts.commands[0].kind, AlterKind::kDetachPartition);
  EXPECT_TRUE(facts.commands[0].finalize);
  EXPECT_EQ(Name(facts.commands[0].partition), "m_1");
  // ALTER INDEX ... ATTACH PARTITION is no table's.
  EXPECT_EQ(One("ALTER INDEX i ATTACH PARTITION i_1").kind, StatementKind::kOther);
}

TEST(LintConvert, SetAndTransactions) {
  const ConvertedSql converted = ConvertSqlToFacts(
      "BEGIN; SET lock_timeout = '5s'; SET LOCAL statement_timeout TO 1000; "
      "SET search_path TO a, b; RESET lock_timeout; SET lock_timeout TO DEFAULT; COMMIT; "
      "START TRANSACTION; ROLLBACK; SAVEPOINT s;");
  ASSERT_TRUE(converted.ok);
  const auto& s = converted.statements;
  ASSERT_EQ(s.size(), 10u);
  EXPECT_EQ(s[0].kind, StatementKind::kTransaction);
  EXPECT_EQ(s[0].transaction, TransactionKind::kBegin);
  EXPECT_EQ(s[1].kind, StatementKind::kSet);
  EXPECT_EQ(s[1].setting.name, "lock_timeout");
  EXPECT_EQ(s[1].setting.value, "5s");
  EXPECT_FALSE(s[1].setting.is_local);
  EXPECT_FALSE(s[1].setting.reset);
  EXPECT_EQ(s[2].setting.value, "1000");
  EXPECT_TRUE(s[2].setting.is_local);
  EXPECT_EQ(s[3].setting.value, "a, b");
  EXPECT_TRUE(s[4].setting.reset);
  EXPECT_EQ(s[4].setting.name, "lock_timeout");
  EXPECT_TRUE(s[5].setting.reset);
  EXPECT_EQ(s[6].transaction, TransactionKind::kCommit);
  EXPECT_EQ(s[7].transaction, TransactionKind::kBegin);
  EXPECT_EQ(s[8].transaction, TransactionKind::kRollback);
  EXPECT_EQ(s[9].transaction, TransactionKind::kOther);
}

}  // namespace
}  // namespace dbopt::cli
