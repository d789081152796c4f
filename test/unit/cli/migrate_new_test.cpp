#include "cli/migrate/migrate_new.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "cli/args.hpp"
#include "cli/exit_codes.hpp"
#include "cli/migrate/migrate_command.hpp"
#include "cli/migrate/migration_file.hpp"

namespace dbopt::cli::migrate {
namespace {

TEST(MigrateNew, UtcVersion) {
  EXPECT_EQ(UtcVersion(0), "19700101000000");
  EXPECT_EQ(UtcVersion(1796083200 + 3600 * 15 + 60 * 45 + 7), "20261201154507");
}

TEST(MigrateNew, NextVersionIsLaterThanEveryFile) {
  EXPECT_EQ(NextVersion("20261201154500", {}), "20261201154500");
  EXPECT_EQ(NextVersion("20261201154500", {"20261130000000", "1.2"}), "20261201154500");
  // The clock is behind the folder.
  EXPECT_EQ(NextVersion("20261201154500", {"20261201154500"}), "20261201154501");
  EXPECT_EQ(NextVersion("20261201154500", {"20270101000000", "3"}), "20270101000001");
  EXPECT_EQ(NextVersion("20261201154500", {"20261201159999"}), "20261201160000");
  EXPECT_EQ(NextVersion("20261201154500", {"99999999999999.2"}), "100000000000000");
  EXPECT_EQ(NextVersion("5", {"0005.1"}), "6");
}

TEST(MigrateNew, NameRule) {
  EXPECT_NO_THROW(CheckMigrationName("add_invoice_total2"));
  for (const char* bad : {"", "Add", "add-invoice", "add invoice", "a.b", "a/b", "é"}) {
    try {
      CheckMigrationName(bad);
      ADD_FAILURE() << bad;
    } catch (const CliError& error) {
      EXPECT_EQ(error.exit_code(), kExitUsage);
      EXPECT_NE(error.hint().find("lower-case"), std::string::npos);
    }
  }
  EXPECT_THROW(CheckMigrationName(std::string(201, 'a')), CliError);
}

TEST(MigrateNew, WritesAReadableFileAndNeverOverwrites) {
  char pattern[] = "/tmp/dbopt-migfile-new.XXXXXX";
  ASSERT_NE(mkdtemp(pattern), nullptr);
  const std::string root = pattern;
  MigrateOptions options;
  options.subcommand = "new";
  options.directory = root + "/db/migrations";  // created with its parent
  options.arguments = {"add_invoice"};
  std::ofstream(root + "/marker");  // a file of the root: the folder itself is new
  testing::internal::CaptureStdout();
  EXPECT_EQ(RunMigrateNew(options), kExitOk);
  const std::string printed = testing::internal::GetCapturedStdout();
  ASSERT_EQ(printed.back(), '\n');
  const std::string path = printed.substr(0, printed.size() - 1);
  EXPECT_EQ(path.rfind(options.directory + "/", 0), 0u) << path;
  const MigrationFile file = ReadMigrationFile(path);
  EXPECT_EQ(file.name, "add_invoice");
  EXPECT_EQ(file.version.size(), 14u);
  EXPECT_TRUE(file.up.statements.empty());
  EXPECT_TRUE(file.down.statements.empty());
  // A second one in the same second still gets a later version.
  options.arguments = {"second"};
  testing::internal::CaptureStdout();
  RunMigrateNew(options);
  const std::string second = testing::internal::GetCapturedStdout();
  const std::vector<MigrationFile> files = ReadMigrationFolder(options.directory);
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0].name, "add_invoice");
  EXPECT_EQ(files[1].name, "second");
  EXPECT_GT(CompareVersions(files[1].version, files[0].version), 0);
  // Never overwritten.
  try {
    WriteNewFile(options.directory, files[0].path.substr(files[0].path.rfind('/') + 1), "x");
    ADD_FAILURE() << "overwrote";
  } catch (const CliError& error) {
    EXPECT_EQ(error.exit_code(), kExitUsage);
    EXPECT_NE(std::string(error.what()).find("already exists"), std::string::npos);
  }
  EXPECT_EQ(ReadMigrationFile(files[0].path).name, "add_invoice");
  // Bad arguments.
  options.arguments = {};
  EXPECT_THROW(RunMigrateNew(options), CliError);
  options.arguments = {"a", "b"};
  EXPECT_THROW(RunMigrateNew(options), CliError);
  options.arguments = {"Bad-Name"};
  EXPECT_THROW(RunMigrateNew(options), CliError);
  std::system(("rm -rf '" + root + "'").c_str());
}

}  // namespace
}  // namespace dbopt::cli::migrate
