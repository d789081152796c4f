#include <gtest/gtest.h>

#include "cli/migrate/migrate_report.hpp"

namespace dbopt::cli::migrate {
namespace {

MigrationReport Applied(const std::string& version, const std::string& name, double ms) {
  MigrationReport m;
  m.version = version;
  m.name = name;
  m.kind = "transactional";
  m.status = "applied";
  m.duration_ms = ms;
  m.statements = 2;
  return m;
}

TEST(MigrateReport, Durations) {
  EXPECT_EQ(FormatDuration(12.4), "12 ms");
  EXPECT_EQ(FormatDuration(3210), "3.2 s");
}

TEST(MigrateReport, NothingToDo) {
  RunReport report;
  report.command = "up";
  report.database = "shop";
  EXPECT_EQ(RenderRunText(report), "nothing to do: database \"shop\" is up to date\n");
  report.command = "repair";
  EXPECT_EQ(RenderRunText(report), "nothing to repair in database \"shop\"\n");
}

TEST(MigrateReport, AppliedAndFailedText) {
  RunReport report;
  report.command = "up";
  report.database = "shop";
  report.migrations.push_back(Applied("1", "create", 12));
  MigrationReport failed = Applied("2", "index", 1500);
  failed.kind = "non_transactional";
  failed.status = "failed";
  failed.resumed_from = 1;
  failed.cleaned_up = {"public.i"};
  failed.error = "m/2_index.sql:4: could not create unique index";
  report.migrations.push_back(failed);
  EXPECT_EQ(RenderRunText(report),
            "1 migration applied on database \"shop\", 1 failed\n"
            "  1  create  applied (transactional)  12 ms\n"
            "  2  index  failed (non_transactional)  1.5 s\n"
            "    resumed after statement 1 of 2\n"
            "    dropped invalid index public.i\n"
            "    error: m/2_index.sql:4: could not create unique index\n");
}

TEST(MigrateReport, DryRunTextAndJson) {
  RunReport report;
  report.command = "up";
  report.database = "shop";
  report.dry_run = true;
  MigrationReport m = Applied("3", "widen", 5);
  m.status = "checked";
  DryRunStatement ran;
  ran.where = "m/3_widen.sql:2";
  ran.ran = true;
  ran.duration_ms = 4;
  ran.locks = {{"item", "AccessExclusiveLock"}};
  ran.rewritten = {"item"};
  DryRunStatement listed;
  listed.where = "m/3_widen.sql:3";
  m.dry_run = {ran, listed};
  report.migrations.push_back(m);
  EXPECT_EQ(RenderRunText(report),
            "dry run of dbopt migrate up on database \"shop\" (rolled back: nothing changed, "
            "nothing recorded)\n"
            "  3  widen  checked (transactional)  5 ms\n"
            "    m/3_widen.sql:2: 4 ms\n"
            "      lock AccessExclusiveLock on item\n"
            "      rewrote item\n"
            "    m/3_widen.sql:3: not run (cannot run in a transaction block)\n");
  const std::string json = RenderRunJson(report);
  EXPECT_NE(json.find("\"dry_run\": true"), std::string::npos) << json;
  EXPECT_NE(json.find("\"locks\": [{\"relation\": \"item\", \"mode\": \"AccessExclusiveLock\"}]"),
            std::string::npos)
      << json;
  EXPECT_NE(json.find("\"ran\": false"), std::string::npos) << json;
  EXPECT_NE(json.find("\"error\": null"), std::string::npos) << json;
}

}  // namespace
}  // namespace dbopt::cli::migrate
