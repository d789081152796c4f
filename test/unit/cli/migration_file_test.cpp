#include "cli/migrate/migration_file.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "cli/exit_codes.hpp"

namespace dbopt::cli::migrate {
namespace {

// A scratch folder per test, removed afterwards.
class MigrationFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/dbopt-migfile-unit.XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    folder_ = pattern;
  }
  void TearDown() override { std::system(("rm -rf '" + folder_ + "'").c_str()); }

  std::string Write(const std::string& name, const std::string& content) {
    const std::string path = folder_ + "/" + name;
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }

  // The CliError's message (and checks its exit code), "" when the file reads.
  std::string ErrorOf(const std::string& name, const std::string& content,
                      std::string* hint = nullptr) {
    const std::string path = Write(name, content);
    try {
      ReadMigrationFile(path);
    } catch (const CliError& error) {
      EXPECT_EQ(error.exit_code(), kExitUsage);
      if (hint != nullptr) *hint = error.hint();
      return error.what();
    }
    return "";
  }

  MigrationStatement OnlyUp(const std::string& sql) {
    const MigrationFile file =
        ReadMigrationFile(Write("1_one.sql", "-- dbopt:up\n" + sql + "\n-- dbopt:down\n"));
    EXPECT_EQ(file.up.statements.size(), 1u) << sql;
    return file.up.statements.empty() ? MigrationStatement() : file.up.statements[0];
  }

  std::string folder_;
};

TEST_F(MigrationFileTest, ReadsNameSectionsStatementsAndLines) {
  const std::string path = Write("20261201154500_add_invoice.sql",
                                 "-- Invoices for the billing service.\n"
                                 "-- dbopt:up\n"
                                 "CREATE TABLE invoice (id bigint PRIMARY KEY,\n"
                                 "  note text DEFAULT 'a;b');\n"
                                 "\n"
                                 "/* the function */\n"
                                 "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$\n"
                                 "BEGIN RETURN 1; END $$;\n"
                                 "-- last one has no semicolon\n"
                                 "CREATE INDEX CONCURRENTLY invoice_note_idx ON invoice (note)\n"
                                 "-- dbopt:down\n"
                                 "DROP TABLE invoice;\n"
                                 "DROP FUNCTION f();\n");
  const MigrationFile file = ReadMigrationFile(path);
  EXPECT_EQ(file.path, path);
  EXPECT_EQ(file.version, "20261201154500");
  EXPECT_EQ(file.name, "add_invoice");
  ASSERT_EQ(file.up.statements.size(), 3u);
  EXPECT_EQ(file.up.statements[0].sql,
            "CREATE TABLE invoice (id bigint PRIMARY KEY,\n  note text DEFAULT 'a;b')");
  EXPECT_EQ(file.up.statements[0].line, 3);
  EXPECT_EQ(file.up.statements[0].created_tables, std::vector<std::string>{"invoice"});
  EXPECT_EQ(file.up.statements[1].sql,
            "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$\nBEGIN RETURN 1; END $$");
  EXPECT_EQ(file.up.statements[1].line, 7);
  EXPECT_FALSE(file.up.statements[1].needs_autocommit);
  EXPECT_EQ(file.up.statements[2].sql,
            "CREATE INDEX CONCURRENTLY invoice_note_idx ON invoice (note)");
  EXPECT_EQ(file.up.statements[2].line, 10);
  EXPECT_TRUE(file.up.statements[2].needs_autocommit);
  EXPECT_EQ(file.up.statements[2].concurrent_index, "invoice_note_idx");
  EXPECT_TRUE(file.NeedsAutocommit());
  EXPECT_EQ(file.up.text.substr(0, 20), "CREATE TABLE invoice");
  ASSERT_EQ(file.down.statements.size(), 2u);
  EXPECT_EQ(file.down.text, "DROP TABLE invoice;\nDROP FUNCTION f();\n");
  EXPECT_EQ(file.down.statements[0].line, 12);
  EXPECT_TRUE(file.down.statements[0].destroys_data);
  EXPECT_EQ(file.down.statements[1].line, 13);
  EXPECT_EQ(file.checksum, TokenChecksum(file.up.text));
  EXPECT_EQ(file.down_checksum, TokenChecksum(file.down.text));
  EXPECT_EQ(file.checksum.size(), 64u);
}

TEST_F(MigrationFileTest, DownFirstEmptySectionsCrlfAndLooseMarkers) {
  const MigrationFile file = ReadMigrationFile(
      Write("1.2_x.sql", "--DBOPT:DOWN  \r\n\r\n  --  dbopt:up\r\nSELECT 1;\r\nSELECT 2\r\n"));
  EXPECT_EQ(file.version, "1.2");
  EXPECT_TRUE(file.down.statements.empty());
  ASSERT_EQ(file.up.statements.size(), 2u);
  EXPECT_EQ(file.up.statements[0].sql, "SELECT 1");
  EXPECT_EQ(file.up.statements[0].line, 4);
  EXPECT_EQ(file.up.statements[1].sql, "SELECT 2");  // the \r is trimmed
  EXPECT_EQ(file.up.statements[1].line, 5);
  EXPECT_FALSE(file.NeedsAutocommit());
}

TEST_F(MigrationFileTest, BadFileNames) {
  for (const char* name : {"add_invoice.sql", "20261201.sql", "2026_.sql", "1..2_x.sql", "1._x.sql",
                           "v1_x.sql", "1_x.txt"}) {
    std::string hint;
    const std::string message = ErrorOf(name, "-- dbopt:up\n-- dbopt:down\n", &hint);
    EXPECT_NE(message.find(std::string(name) + ": not a migration file name"), std::string::npos)
        << message;
    EXPECT_NE(hint.find("20261201154500_add_invoice.sql"), std::string::npos) << hint;
  }
}

TEST_F(MigrationFileTest, MissingAndRepeatedSections) {
  std::string hint;
  EXPECT_NE(ErrorOf("1_a.sql", "-- dbopt:up\nSELECT 1;\n", &hint)
                .find("1_a.sql: no \"-- dbopt:down\" section"),
            std::string::npos);
  EXPECT_NE(hint.find("-- dbopt:down"), std::string::npos);
  EXPECT_NE(ErrorOf("1_a.sql", "SELECT 1;\n").find("no \"-- dbopt:up\" section"),
            std::string::npos);
  EXPECT_NE(ErrorOf("1_a.sql", "-- dbopt:up\n-- dbopt:down\n\n-- dbopt:up\n", &hint)
                .find("1_a.sql:4: a second \"-- dbopt:up\" section"),
            std::string::npos);
  EXPECT_NE(hint.find("line 1"), std::string::npos) << hint;
  EXPECT_NE(ErrorOf("1_a.sql", "-- intro\nSELECT 1;\n-- dbopt:up\n-- dbopt:down\n")
                .find("1_a.sql:2: SQL before the first"),
            std::string::npos);
  EXPECT_NE(ErrorOf("1_a.sql", std::string("-- dbopt:up\nSELECT '\0';\n-- dbopt:down\n", 34))
                .find("NUL byte"),
            std::string::npos);
}

TEST_F(MigrationFileTest, SyntaxErrorNamesTheLine) {
  std::string hint;
  const std::string message = ErrorOf("7_bad.sql",
                                      "-- dbopt:up\n"
                                      "SELECT 'é';\n"
                                      "CREATE TABLE t (\n"
                                      "  id int,\n"
                                      "  x intt int\n"
                                      ");\n"
                                      "-- dbopt:down\n",
                                      &hint);
  EXPECT_NE(message.find("7_bad.sql:5: syntax error at or near \"int\""), std::string::npos)
      << message;
  EXPECT_NE(hint.find("parser"), std::string::npos);
  EXPECT_NE(ErrorOf("7_bad.sql", "-- dbopt:up\n-- dbopt:down\nDROP TABLE;\n")
                .find("7_bad.sql:3: syntax error"),
            std::string::npos);
  EXPECT_NE(ErrorOf("7_bad.sql", "-- dbopt:up\nSELECT 'open\n-- dbopt:down\n")
                .find("7_bad.sql:2: unterminated quoted string"),
            std::string::npos);
}

TEST_F(MigrationFileTest, TransactionControlIsRejectedWithItsLine) {
  const struct {
    const char* sql;
    const char* words;
  } cases[] = {
      {"BEGIN", "BEGIN"},
      {"start transaction", "START TRANSACTION"},
      {"COMMIT", "COMMIT"},
      {"END", "COMMIT"},
      {"ROLLBACK", "ROLLBACK"},
      {"SAVEPOINT s", "SAVEPOINT"},
      {"RELEASE s", "RELEASE SAVEPOINT"},
      {"COMMIT PREPARED 'x'", "COMMIT PREPARED"},
  };
  for (const auto& c : cases) {
    std::string hint;
    const std::string message =
        ErrorOf("3_tx.sql",
                std::string("-- dbopt:up\nSELECT 1;\n\n") + c.sql + ";\n-- dbopt:down\n", &hint);
    EXPECT_NE(message.find(std::string("3_tx.sql:4: ") + c.words + " is not allowed"),
              std::string::npos)
        << message;
    EXPECT_NE(hint.find("own transaction"), std::string::npos);
  }
  // In the down section too.
  EXPECT_NE(ErrorOf("3_tx.sql", "-- dbopt:up\n-- dbopt:down\nCOMMIT;\n").find("3_tx.sql:3: COMMIT"),
            std::string::npos);
  // A function body's BEGIN is not transaction control.
  EXPECT_EQ(ErrorOf("3_tx.sql", "-- dbopt:up\nDO $$ BEGIN PERFORM 1; END $$;\n-- dbopt:down\n"),
            "");
}

TEST_F(MigrationFileTest, NeedsAutocommitFromTheParseTree) {
  for (const char* sql : {
           "CREATE INDEX CONCURRENTLY ON t (a)",
           "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS i ON s.t (a)",
           "DROP INDEX CONCURRENTLY i",
           "REINDEX INDEX CONCURRENTLY i",
           "REINDEX (CONCURRENTLY) TABLE t",
           "REINDEX (CONCURRENTLY true) TABLE t",
           "REINDEX SCHEMA s",
           "REINDEX DATABASE d",
           "REINDEX SYSTEM d",
           "VACUUM",
           "VACUUM (ANALYZE) t",
           "vacuum full t",
           "CLUSTER",
           "CREATE DATABASE d",
           "DROP DATABASE IF EXISTS d",
           "CREATE TABLESPACE ts LOCATION '/x'",
           "DROP TABLESPACE ts",
           "ALTER SYSTEM SET work_mem = '8MB'",
           "ALTER DATABASE d SET TABLESPACE ts",
           "ALTER TABLE p DETACH PARTITION p1 CONCURRENTLY",
           "DISCARD ALL",
           "CREATE SUBSCRIPTION s CONNECTION 'x' PUBLICATION p",
           "ALTER SUBSCRIPTION s REFRESH PUBLICATION",
           "ALTER SUBSCRIPTION s SET PUBLICATION p",
           "DROP SUBSCRIPTION s",
       })
    EXPECT_TRUE(OnlyUp(sql).needs_autocommit) << sql;
  for (const char* sql : {
           "CREATE INDEX i ON t (a)",
           "DROP INDEX i",
           "REINDEX INDEX i",
           "REINDEX (CONCURRENTLY false) TABLE t",
           "REINDEX (VERBOSE) TABLE t",
           "ANALYZE t",
           "CLUSTER t USING i",
           "ALTER DATABASE d SET work_mem = '8MB'",
           "ALTER TABLE p DETACH PARTITION p1",
           "DISCARD TEMP",
           "CREATE SUBSCRIPTION s CONNECTION 'x' PUBLICATION p WITH (connect = false)",
           "CREATE SUBSCRIPTION s CONNECTION 'x' PUBLICATION p WITH (create_slot = false)",
           "ALTER SUBSCRIPTION s SET PUBLICATION p WITH (refresh = false)",
           "ALTER SUBSCRIPTION s ENABLE",
           "REFRESH MATERIALIZED VIEW CONCURRENTLY mv",
           "ALTER TYPE e ADD VALUE 'x'",
       })
    EXPECT_FALSE(OnlyUp(sql).needs_autocommit) << sql;
}

TEST_F(MigrationFileTest, ConcurrentIndexName) {
  EXPECT_EQ(OnlyUp("CREATE INDEX CONCURRENTLY i ON t (a)").concurrent_index, "i");
  EXPECT_EQ(OnlyUp("CREATE INDEX CONCURRENTLY i ON app.t (a)").concurrent_index, "app.i");
  EXPECT_EQ(OnlyUp("CREATE INDEX CONCURRENTLY \"Big Idx\" ON \"App\".t (a)").concurrent_index,
            "\"App\".\"Big Idx\"");
  EXPECT_EQ(OnlyUp("CREATE INDEX CONCURRENTLY ON t (a)").concurrent_index, "");
  EXPECT_EQ(OnlyUp("REINDEX INDEX CONCURRENTLY app.i").concurrent_index, "app.i");
  EXPECT_EQ(OnlyUp("REINDEX TABLE CONCURRENTLY app.t").concurrent_index, "");
  EXPECT_EQ(OnlyUp("CREATE INDEX i ON t (a)").concurrent_index, "");
  EXPECT_EQ(OnlyUp("DROP INDEX CONCURRENTLY i").concurrent_index, "");
}

// What a resumed run checks for the statement an interrupted run may have finished.
TEST_F(MigrationFileTest, IndexEffects) {
  const MigrationStatement create = OnlyUp("CREATE INDEX CONCURRENTLY i ON app.\"T\" (a)");
  EXPECT_EQ(create.created_index, "app.i");
  EXPECT_EQ(create.index_table, "app.\"T\"");
  EXPECT_EQ(create.dropped_index, "");
  EXPECT_EQ(OnlyUp("CREATE INDEX CONCURRENTLY ON t (a)").created_index, "");
  EXPECT_EQ(OnlyUp("REINDEX INDEX CONCURRENTLY app.i").created_index, "");
  EXPECT_EQ(OnlyUp("CREATE INDEX i ON t (a)").created_index, "");
  EXPECT_EQ(OnlyUp("DROP INDEX CONCURRENTLY app.i").dropped_index, "app.i");
  EXPECT_EQ(OnlyUp("DROP INDEX CONCURRENTLY IF EXISTS \"Big Idx\"").dropped_index, "\"Big Idx\"");
  EXPECT_EQ(OnlyUp("DROP INDEX i").dropped_index, "");
  EXPECT_EQ(OnlyUp("DROP INDEX CONCURRENTLY i").created_index, "");
}

TEST_F(MigrationFileTest, DetachEffects) {
  const MigrationStatement detach =
      OnlyUp("ALTER TABLE app.\"Readings\" DETACH PARTITION app.readings_1 CONCURRENTLY");
  EXPECT_TRUE(detach.needs_autocommit);
  EXPECT_EQ(detach.detached_partition, "app.readings_1");
  EXPECT_EQ(detach.detach_parent, "app.\"Readings\"");
  EXPECT_EQ(detach.created_index, "");
  // Not concurrent (runs in the transaction), FINALIZE (the same): nothing to check on resume.
  for (const char* sql :
       {"ALTER TABLE r DETACH PARTITION r_1", "ALTER TABLE r DETACH PARTITION r_1 FINALIZE",
        "ALTER TABLE r ATTACH PARTITION r_1 FOR VALUES IN (1)"}) {
    const MigrationStatement statement = OnlyUp(sql);
    EXPECT_FALSE(statement.needs_autocommit) << sql;
    EXPECT_EQ(statement.detached_partition, "") << sql;
    EXPECT_EQ(statement.detach_parent, "") << sql;
  }
}

TEST_F(MigrationFileTest, DestroysDataAndTouchedTables) {
  const struct {
    const char* sql;
    std::vector<std::string> tables;
  } destroying[] = {
      {"DROP TABLE t", {"t"}},
      {"DROP TABLE IF EXISTS app.t, \"Other\" CASCADE", {"app.t", "\"Other\""}},
      {"ALTER TABLE t DROP COLUMN c", {"t"}},
      {"ALTER TABLE ONLY app.t ADD COLUMN d int, DROP COLUMN c, DROP COLUMN e", {"app.t"}},
      {"ALTER TABLE t ALTER COLUMN c TYPE bigint", {"t"}},
      {"ALTER TABLE t ALTER c SET DATA TYPE text USING c::text", {"t"}},
      {"TRUNCATE a, b", {"a", "b"}},
      {"TRUNCATE TABLE ONLY app.a RESTART IDENTITY", {"app.a"}},
      {"DELETE FROM t", {"t"}},
      {"UPDATE app.t SET x = 1", {"app.t"}},
  };
  for (const auto& c : destroying) {
    const MigrationStatement statement = OnlyUp(c.sql);
    EXPECT_TRUE(statement.destroys_data) << c.sql;
    EXPECT_EQ(statement.touched_tables, c.tables) << c.sql;
  }
  for (const char* sql : {
           "DELETE FROM t WHERE id = 1",
           "UPDATE t SET x = 1 WHERE id = 1",
           "ALTER TABLE t ADD COLUMN c int",
           "ALTER TABLE t ALTER COLUMN c SET NOT NULL",
           "DROP INDEX t_idx",
           "DROP VIEW v",
           "ALTER FOREIGN TABLE f DROP COLUMN c",
           "INSERT INTO t VALUES (1)",
       }) {
    const MigrationStatement statement = OnlyUp(sql);
    EXPECT_FALSE(statement.destroys_data) << sql;
    EXPECT_TRUE(statement.touched_tables.empty()) << sql;
  }
}

TEST_F(MigrationFileTest, CreatedTables) {
  EXPECT_EQ(OnlyUp("CREATE TABLE app.t (id int)").created_tables,
            std::vector<std::string>{"app.t"});
  EXPECT_EQ(OnlyUp("CREATE TABLE \"T\" AS SELECT 1").created_tables,
            std::vector<std::string>{"\"T\""});
  EXPECT_EQ(OnlyUp("SELECT 1 AS x INTO t2").created_tables, std::vector<std::string>{"t2"});
  EXPECT_TRUE(OnlyUp("CREATE MATERIALIZED VIEW mv AS SELECT 1").created_tables.empty());
}

TEST_F(MigrationFileTest, FolderSortedByVersionWithDuplicatesRejected) {
  Write("1.10_c.sql", "-- dbopt:up\n-- dbopt:down\n");
  Write("1.9_b.sql", "-- dbopt:up\n-- dbopt:down\n");
  Write("1_a.sql", "-- dbopt:up\n-- dbopt:down\n");
  Write("notes.txt", "not sql");
  mkdir((folder_ + "/sub").c_str(), 0700);
  std::vector<MigrationFile> files = ReadMigrationFolder(folder_);
  ASSERT_EQ(files.size(), 3u);
  EXPECT_EQ(files[0].version, "1");
  EXPECT_EQ(files[1].version, "1.9");
  EXPECT_EQ(files[2].version, "1.10");
  EXPECT_EQ(files[2].path, folder_ + "/1.10_c.sql");
  Write("01.9_again.sql", "-- dbopt:up\n-- dbopt:down\n");
  try {
    ReadMigrationFolder(folder_);
    ADD_FAILURE() << "duplicate versions accepted";
  } catch (const CliError& error) {
    EXPECT_EQ(error.exit_code(), kExitUsage);
    EXPECT_NE(std::string(error.what()).find("is also the version of"), std::string::npos);
    EXPECT_NE(error.hint().find("rename"), std::string::npos);
  }
  try {
    ReadMigrationFolder(folder_ + "/missing");
    ADD_FAILURE() << "missing folder accepted";
  } catch (const CliError& error) {
    EXPECT_EQ(error.exit_code(), kExitUsage);
    EXPECT_NE(std::string(error.what()).find("missing"), std::string::npos);
  }
}

TEST(CompareVersions, NumberByNumber) {
  EXPECT_LT(CompareVersions("1.9", "1.10"), 0);
  EXPECT_GT(CompareVersions("1.10", "1.9"), 0);
  EXPECT_EQ(CompareVersions("010", "10"), 0);
  EXPECT_EQ(CompareVersions("1.02", "1.2"), 0);
  EXPECT_LT(CompareVersions("1.2", "1.2.0"), 0);
  EXPECT_LT(CompareVersions("2", "10"), 0);
  EXPECT_LT(CompareVersions("20261201154500", "20261201154501"), 0);
  EXPECT_GT(CompareVersions("99999999999999999999999", "9999999999999999999999"), 0);
  EXPECT_EQ(CompareVersions("0", "000"), 0);
}

TEST(TokenChecksum, IgnoresLayoutCommentsLineEndingsAndKeywordCase) {
  const std::string base =
      "CREATE TABLE invoice (id bigint PRIMARY KEY, total numeric(12,2) DEFAULT 0);\n"
      "CREATE INDEX CONCURRENTLY invoice_total_idx ON invoice (total);\n";
  const std::string same[] = {
      // re-indented and re-wrapped
      "CREATE TABLE invoice (\n    id bigint PRIMARY KEY,\n    total numeric(12, 2) DEFAULT 0\n);"
      "\n\n\nCREATE INDEX CONCURRENTLY invoice_total_idx\n  ON invoice (total);",
      // re-commented
      "-- invoices\nCREATE TABLE invoice (id bigint /* key */ PRIMARY KEY, total numeric(12,2) "
      "DEFAULT 0); -- done\n/* an index */ CREATE INDEX CONCURRENTLY invoice_total_idx ON invoice "
      "(total);\n",
      // CRLF
      "CREATE TABLE invoice (id bigint PRIMARY KEY, total numeric(12,2) DEFAULT 0);\r\n"
      "CREATE INDEX CONCURRENTLY invoice_total_idx ON invoice (total);\r\n",
      // keyword and unquoted identifier case
      "create table Invoice (ID BIGINT primary key, Total NUMERIC(12,2) default 0);\n"
      "Create Index Concurrently INVOICE_TOTAL_IDX on invoice (total);\n",
  };
  for (const std::string& text : same) EXPECT_EQ(TokenChecksum(text), TokenChecksum(base)) << text;
  // A CRLF inside a function body is a line ending too.
  EXPECT_EQ(TokenChecksum("CREATE FUNCTION f() RETURNS int AS $$\r\nSELECT 1\r\n$$ LANGUAGE sql"),
            TokenChecksum("CREATE FUNCTION f() RETURNS int AS $$\nSELECT 1\n$$ LANGUAGE sql"));
}

TEST(TokenChecksum, CatchesEveryRealChange) {
  const std::pair<std::string, std::string> different[] = {
      {"ALTER TABLE t ADD COLUMN c int DEFAULT 0", "ALTER TABLE t ADD COLUMN c int DEFAULT 1"},
      {"ALTER TABLE t ADD COLUMN c varchar(10)", "ALTER TABLE t ADD COLUMN c varchar(200)"},
      {"ALTER TABLE t ADD COLUMN total int", "ALTER TABLE t ADD COLUMN amount int"},
      {"CREATE TABLE \"Invoice\" (id int)", "CREATE TABLE \"invoice\" (id int)"},
      {"INSERT INTO t VALUES ('Paid')", "INSERT INTO t VALUES ('paid')"},
      {"INSERT INTO t VALUES ('a b')", "INSERT INTO t VALUES ('a  b')"},
      {"SELECT 1.0", "SELECT 1.00"},
      {"SELECT a b", "SELECT ab"},
      {"SELECT 1; SELECT 2", "SELECT 1; SELECT 2; SELECT 3"},
      {"CREATE INDEX i ON t (a)", "CREATE INDEX CONCURRENTLY i ON t (a)"},
      {"CREATE FUNCTION f() RETURNS int AS $$ SELECT 1 $$ LANGUAGE sql",
       "CREATE FUNCTION f() RETURNS int AS $$ SELECT 2 $$ LANGUAGE sql"},
  };
  for (const auto& pair : different)
    EXPECT_NE(TokenChecksum(pair.first), TokenChecksum(pair.second))
        << pair.first << " | " << pair.second;
  EXPECT_NE(TokenChecksum(""), TokenChecksum("SELECT 1"));
  EXPECT_EQ(TokenChecksum(""), TokenChecksum("-- nothing\n/* at all */\n"));
}

}  // namespace
}  // namespace dbopt::cli::migrate
