#include "cli/args.hpp"

#include <gtest/gtest.h>

#include "cli/exit_codes.hpp"

namespace dbopt::cli {
namespace {

using Kind = Command::Kind;

int UsageExit(const std::vector<std::string>& args, std::string* message = nullptr) {
  try {
    ParseCommandLine(args);
  } catch (const CliError& error) {
    if (message) *message = error.what();
    return error.exit_code();
  }
  return -1;
}

TEST(ParseCommandLine, HelpAndVersion) {
  for (const char* flag : {"--help", "-h", "-?"}) {
    const Command command = ParseCommandLine({flag});
    EXPECT_EQ(command.kind, Kind::kHelp) << flag;
    EXPECT_EQ(command.help_topic, "");
  }
  EXPECT_EQ(ParseCommandLine({"--version"}).kind, Kind::kVersion);
  EXPECT_EQ(ParseCommandLine({"-V"}).kind, Kind::kVersion);
  EXPECT_EQ(ParseCommandLine({"help"}).help_topic, "");
  EXPECT_EQ(ParseCommandLine({"help", "health"}).help_topic, "health");
  const Command health_help = ParseCommandLine({"health", "-d", "x", "--help"});
  EXPECT_EQ(health_help.kind, Kind::kHelp);
  EXPECT_EQ(health_help.help_topic, "health");
}

TEST(ParseCommandLine, HealthDefaults) {
  const Command command = ParseCommandLine({"health"});
  ASSERT_EQ(command.kind, Kind::kHealth);
  const HealthOptions& options = command.health;
  EXPECT_EQ(options.connection.conninfo, "");
  EXPECT_EQ(options.schema, "");
  EXPECT_FALSE(options.include_data);
  EXPECT_EQ(options.format, OutputFormat::kText);
  EXPECT_EQ(options.min_severity, Severity::kInfo);
  EXPECT_EQ(options.color, ColorMode::kAuto);
}

TEST(ParseCommandLine, HealthOptionsInEveryForm) {
  const Command command =
      ParseCommandLine({"health", "host=db1 dbname=app", "-d", "other", "-hlocalhost",
                        "--port=5433", "-U", "me", "--schema", "Sales", "--include-data",
                        "--format=JSON", "--min-severity", "warning", "--color=never"});
  ASSERT_EQ(command.kind, Kind::kHealth);
  const HealthOptions& options = command.health;
  EXPECT_EQ(options.connection.conninfo, "host=db1 dbname=app");
  EXPECT_EQ(options.connection.dbname, "other");
  EXPECT_EQ(options.connection.host, "localhost");
  EXPECT_EQ(options.connection.port, "5433");
  EXPECT_EQ(options.connection.username, "me");
  EXPECT_EQ(options.schema, "Sales");  // case kept: it is an identifier
  EXPECT_TRUE(options.include_data);
  EXPECT_EQ(options.format, OutputFormat::kJson);
  EXPECT_EQ(options.min_severity, Severity::kWarning);
  EXPECT_EQ(options.color, ColorMode::kNever);
  EXPECT_EQ(ParseCommandLine({"health", "-n", "s", "-F", "sql"}).health.format, OutputFormat::kSql);
}

TEST(ParseCommandLine, PasswordPromptLikePsql) {
  EXPECT_EQ(ParseCommandLine({"health"}).health.connection.password_prompt,
            PasswordPrompt::kWhenNeeded);
  EXPECT_EQ(ParseCommandLine({"health", "-w"}).health.connection.password_prompt,
            PasswordPrompt::kNever);
  EXPECT_EQ(ParseCommandLine({"health", "--password"}).health.connection.password_prompt,
            PasswordPrompt::kAlways);
}

TEST(ParseCommandLine, DoubleDashEndsOptions) {
  const Command command = ParseCommandLine({"health", "--", "-weird-db-name"});
  EXPECT_EQ(command.health.connection.conninfo, "-weird-db-name");
}

TEST(ParseCommandLine, UsageErrorsExitTwoAndNameTheArgument) {
  std::string message;
  EXPECT_EQ(UsageExit({}, &message), kExitUsage);
  EXPECT_EQ(message, "no command given");
  EXPECT_EQ(UsageExit({"frobnicate"}, &message), kExitUsage);
  EXPECT_EQ(message, "unknown command \"frobnicate\"");
  EXPECT_EQ(UsageExit({"--frob"}, &message), kExitUsage);
  EXPECT_EQ(UsageExit({"help", "nothing"}), kExitUsage);
  EXPECT_EQ(UsageExit({"health", "--bogus"}, &message), kExitUsage);
  EXPECT_EQ(message, "unknown option \"--bogus\"");
  EXPECT_EQ(UsageExit({"health", "-x"}, &message), kExitUsage);
  EXPECT_EQ(message, "unknown option \"-x\"");
  EXPECT_EQ(UsageExit({"health", "--format"}, &message), kExitUsage);
  EXPECT_EQ(message, "option \"--format\" needs a value");
  EXPECT_EQ(UsageExit({"health", "--format", "xml"}, &message), kExitUsage);
  EXPECT_EQ(message, "invalid value \"xml\" for --format (expected text, json or sql)");
  EXPECT_EQ(UsageExit({"health", "--min-severity=fatal"}), kExitUsage);
  EXPECT_EQ(UsageExit({"health", "--color=sometimes"}), kExitUsage);
  EXPECT_EQ(UsageExit({"health", "--include-data=yes"}, &message), kExitUsage);
  EXPECT_EQ(message, "option \"--include-data\" takes no value");
  EXPECT_EQ(UsageExit({"health", "--schema="}), kExitUsage);
  EXPECT_EQ(UsageExit({"health", "db1", "db2"}, &message), kExitUsage);
  EXPECT_NE(message.find("\"db2\""), std::string::npos);
}

TEST(ParseSeverity, KnownLevelsCaseInsensitive) {
  Severity severity = Severity::kInfo;
  EXPECT_TRUE(ParseSeverity("CRITICAL", &severity));
  EXPECT_EQ(severity, Severity::kCritical);
  EXPECT_TRUE(ParseSeverity("warning", &severity));
  EXPECT_EQ(severity, Severity::kWarning);
  EXPECT_FALSE(ParseSeverity("error", &severity));
  EXPECT_FALSE(ParseSeverity("", &severity));
}

}  // namespace
}  // namespace dbopt::cli
