#include "cli/help.hpp"

#include <gtest/gtest.h>

#include "cli/args.hpp"

namespace dbopt::cli {
namespace {

TEST(HelpText, HealthHelpDocumentsEveryOption) {
  const std::string help = HelpText("health");
  for (const std::string& spelling : HealthOptionSpellings())
    EXPECT_NE(help.find(spelling), std::string::npos) << spelling << " is not in the help";
}

TEST(HelpText, OverviewListsCommandsAndExitStatuses) {
  const std::string help = HelpText("");
  EXPECT_NE(help.find("health"), std::string::npos);
  EXPECT_NE(help.find("Exit status"), std::string::npos);
  EXPECT_EQ(HelpText("no-such-command"), "");
}

TEST(VersionText, NamesTheProgramAndVersion) {
  EXPECT_EQ(VersionText().rfind("dbopt ", 0), 0u);
  EXPECT_EQ(VersionText().back(), '\n');
}

}  // namespace
}  // namespace dbopt::cli
