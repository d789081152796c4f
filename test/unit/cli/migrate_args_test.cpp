#include <gtest/gtest.h>

#include "cli/args.hpp"
#include "cli/help.hpp"
#include "usage_message.hpp"

namespace dbopt::cli {
namespace {

TEST(ParseMigrate, DefaultsAndArguments) {
  const Command command = ParseCommandLine({"migrate", "lint", "a.sql", "b.sql"});
  ASSERT_EQ(command.kind, Command::Kind::kMigrate);
  const MigrateOptions& migrate = command.migrate;
  EXPECT_EQ(migrate.subcommand, "lint");
  EXPECT_EQ(migrate.arguments, (std::vector<std::string>{"a.sql", "b.sql"}));
  EXPECT_EQ(migrate.directory, "migrations");
  EXPECT_EQ(migrate.lock_wait_seconds, 60);
  EXPECT_EQ(migrate.fail_on, "error");
  EXPECT_FALSE(migrate.dry_run);
  EXPECT_EQ(migrate.steps, 0);
}

TEST(ParseMigrate, OptionsOfUpAndDown) {
  const Command up =
      ParseCommandLine({"migrate", "up", "--dir", "db/m", "--to=20261201", "--dry-run", "--backup",
                        "/tmp/b", "--lock-wait=0", "-d", "host=db1 dbname=app", "-F", "json"});
  EXPECT_EQ(up.migrate.directory, "db/m");
  EXPECT_EQ(up.migrate.to, "20261201");
  EXPECT_TRUE(up.migrate.dry_run);
  EXPECT_EQ(up.migrate.backup_dir, "/tmp/b");
  EXPECT_EQ(up.migrate.lock_wait_seconds, 0);
  EXPECT_EQ(up.migrate.connection.dbname, "host=db1 dbname=app");
  EXPECT_EQ(up.migrate.format, OutputFormat::kJson);
  EXPECT_FALSE(up.migrate.allow_out_of_order);
  EXPECT_TRUE(
      ParseCommandLine({"migrate", "up", "--allow-out-of-order"}).migrate.allow_out_of_order);
  const Command down = ParseCommandLine({"migrate", "down", "--steps", "2"});
  EXPECT_EQ(down.migrate.steps, 2);
}

TEST(ParseMigrate, RejectsWhatASubcommandDoesNotTake) {
  EXPECT_EQ(UsageMessage({"migrate"}).rfind("dbopt migrate needs a subcommand", 0), 0u);
  EXPECT_EQ(UsageMessage({"migrate", "sideways"}), "unknown migrate subcommand \"sideways\"");
  EXPECT_EQ(UsageMessage({"migrate", "up", "--steps=2"}),
            "option \"--steps\" is not valid for \"dbopt migrate up\"");
  EXPECT_EQ(UsageMessage({"migrate", "down", "--allow-out-of-order"}),
            "option \"--allow-out-of-order\" is not valid for \"dbopt migrate down\"");
  EXPECT_EQ(UsageMessage({"migrate", "status", "--dry-run"}),
            "option \"--dry-run\" is not valid for \"dbopt migrate status\"");
  EXPECT_EQ(UsageMessage({"migrate", "down", "--to=3", "--steps=1"}),
            "--to and --steps exclude each other");
  EXPECT_EQ(UsageMessage({"migrate", "up", "--lock-wait=soon"}),
            "invalid value \"soon\" for --lock-wait (expected whole seconds, 0 to 86400)");
  EXPECT_EQ(UsageMessage({"migrate", "up", "--format=sql"}),
            "dbopt migrate writes text or json, not sql");
}

TEST(ParseMigrate, HelpDocumentsEveryOptionAndSubcommand) {
  EXPECT_EQ(ParseCommandLine({"migrate", "--help"}).help_topic, "migrate");
  const std::string help = HelpText("migrate");
  for (const std::string& spelling : MigrateOptionSpellings())
    EXPECT_NE(help.find(spelling), std::string::npos) << spelling << " is not in the help";
  for (const std::string& subcommand : MigrateSubcommands())
    EXPECT_NE(help.find("  " + subcommand), std::string::npos) << subcommand;
}

TEST(ParseMigrate, OptionsOfFromFindings) {
  const Command command = ParseCommandLine(
      {"migrate", "from-findings", "fix_fks", "--checks", "FK_Unindexed,index_redundant",
       "--min-severity=warning", "-n", "billing", "--advise", "--dir", "db"});
  const MigrateOptions& migrate = command.migrate;
  EXPECT_EQ(migrate.arguments, std::vector<std::string>{"fix_fks"});
  EXPECT_EQ(migrate.checks, (std::vector<std::string>{"fk_unindexed", "index_redundant"}));
  EXPECT_EQ(migrate.min_severity, Severity::kWarning);
  EXPECT_EQ(migrate.schema, "billing");
  EXPECT_TRUE(migrate.advise);
  EXPECT_FALSE(migrate.no_health);
  EXPECT_TRUE(
      ParseCommandLine({"migrate", "from-findings", "--advise", "--no-health"}).migrate.no_health);
  EXPECT_THROW(ParseCommandLine({"migrate", "from-findings", "--no-health"}), CliError);
  EXPECT_THROW(ParseCommandLine({"migrate", "from-findings", "--checks", "a,,b"}), CliError);
  EXPECT_THROW(ParseCommandLine({"migrate", "from-findings", "--checks", "fk-unindexed"}),
               CliError);
  EXPECT_THROW(ParseCommandLine({"migrate", "from-findings", "--min-severity", "loud"}), CliError);
  EXPECT_THROW(ParseCommandLine({"migrate", "new", "x", "--advise"}), CliError);
  EXPECT_THROW(ParseCommandLine({"migrate", "up", "--checks", "fk_unindexed"}), CliError);
}

}  // namespace
}  // namespace dbopt::cli
