// dbopt migrate status and verify: merging files with the history, notes and states, and
// the text and json formats (the server side is tested in test/cli/NN_migrate_book.sh).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cli/migrate/book_report.hpp"
#include "cli/migrate/migration_file.hpp"

namespace dbopt::cli::migrate {
namespace {

HistoryRow Entry(const std::string& version, const std::string& name, const std::string& status) {
  HistoryRow entry;
  entry.version = version;
  entry.name = name;
  entry.kind = "transactional";
  entry.status = status;
  entry.applied_at = "2026-01-02 03:04:05 UTC";
  entry.applied_at_iso = "2026-01-02T03:04:05.000000Z";
  entry.applied_by = "deploy";
  entry.has_duration = true;
  entry.duration_ms = 12.5;
  entry.statements_total = 3;
  entry.statements_done = status == "applied" ? 3 : 1;
  if (status == "failed") entry.error = "relation \"x\" does not exist";
  return entry;
}

BookReport Sample() {
  BookReport report;
  report.database = "shop";
  report.directory = "migrations";
  report.drift_detection = true;
  report.problems = {
      {"out_of_order", "1.5", "late", "1.5_late is not applied, and 1.10 (newer) is", "renumber",
       R"({"newest_applied": "1.10"})"},
      {"checksum_changed", "1.10", "add_total", "changed", "dbopt migrate repair", "{}"},
      {"missing_file", "2", "gone", "2_gone is applied but has no file", "restore it", "{}"},
      {"failed", "4", "bad", "4_bad failed", "fix, then up", "{}"},
      {"pending", "6", "new", "6_new is not applied yet", "dbopt migrate up", ""},
      {"schema_drift", "", "", "CREATE TABLE public.t outside a migration by alice",
       "write it into a migration", R"j({"statement": "CREATE TABLE t ()"})j"},
  };
  const std::vector<BookFile> files = {{"1.5", "late", "a"},
                                       {"1.9", "add_invoice", "b"},
                                       {"01.10", "add_total", "c"},
                                       {"4", "bad", "d"},
                                       {"6", "new", "e"}};
  const std::vector<HistoryRow> history = {
      Entry("1.9", "add_invoice", "applied"), Entry("1.10", "add_total", "applied"),
      Entry("2", "gone", "applied"), Entry("4", "bad", "failed")};
  MergeMigrations(report, files, history, CompareVersions);
  return report;
}

TEST(MigrateBook, MergesFilesAndHistoryInVersionOrder) {
  const BookReport report = Sample();
  ASSERT_EQ(report.migrations.size(), 6u);
  std::vector<std::string> versions, states;
  for (const MigrationState& m : report.migrations) {
    versions.push_back(m.version);
    states.push_back(m.State());
  }
  EXPECT_EQ(versions, (std::vector<std::string>{"1.5", "1.9", "1.10", "2", "4", "6"}));
  EXPECT_EQ(states, (std::vector<std::string>{"pending", "applied", "applied", "applied", "failed",
                                              "pending"}));
  EXPECT_TRUE(report.migrations[2].has_file);  // "01.10" is the file of "1.10"
  EXPECT_TRUE(report.migrations[2].in_history);
  EXPECT_FALSE(report.migrations[3].has_file);
  EXPECT_EQ(report.file_count, 5u);
}

TEST(MigrateBook, Notes) {
  const BookReport report = Sample();
  EXPECT_EQ(report.migrations[0].Note(), "out of order: below the newest applied");
  EXPECT_EQ(report.migrations[1].Note(), "");
  EXPECT_EQ(report.migrations[2].Note(), "file changed since it was applied");
  EXPECT_EQ(report.migrations[3].Note(), "file missing");
  EXPECT_EQ(report.migrations[4].Note(), "failed: relation \"x\" does not exist");

  MigrationState running;
  running.in_history = true;
  running.history = Entry("3", "index", "running");
  EXPECT_EQ(running.State(), "running");
  EXPECT_EQ(running.Note(), "1 of 3 statements done: running, or interrupted");

  MigrationState covered;  // a file at or below the baseline
  covered.has_file = true;
  EXPECT_EQ(covered.State(), "covered");
  EXPECT_EQ(covered.Note(), "covered by the baseline");

  MigrationState again;  // rolled back, its file pending again
  again.has_file = again.in_history = true;
  again.history = Entry("5", "tried", "rolled_back");
  again.problems.push_back({"pending", "5", "tried", "", "", ""});
  EXPECT_EQ(again.State(), "pending");
  EXPECT_EQ(again.Note(), "rolled back 2026-01-02 03:04:05 UTC");
}

TEST(MigrateBook, FilesJson) {
  EXPECT_EQ(FilesJson({}), "[]");
  EXPECT_EQ(FilesJson({{"1", "a \"b\"", "ff"}, {"2", "c", ""}}),
            R"([{"version": "1", "name": "a \"b\"", "checksum": "ff"},)"
            R"( {"version": "2", "name": "c", "checksum": null}])");
}

TEST(MigrateBook, StatusText) {
  const std::string text = RenderStatusText(Sample(), TextStyle{});
  EXPECT_EQ(text,
            "dbopt migrate status: database \"shop\", folder \"migrations\": 3 applied, 2 "
            "pending, 1 failed\n"
            "\n"
            "  version  name         state    applied at               note\n"
            "  1.5      late         pending                           out of order: below the "
            "newest applied\n"
            "  1.9      add_invoice  applied  2026-01-02 03:04:05 UTC\n"
            "  1.10     add_total    applied  2026-01-02 03:04:05 UTC  file changed since it was "
            "applied\n"
            "  2        gone         applied  2026-01-02 03:04:05 UTC  file missing\n"
            "  4        bad          failed   2026-01-02 03:04:05 UTC  failed: relation \"x\" "
            "does not exist\n"
            "  6        new          pending\n"
            "\n"
            "schema drift: 1 statement changed the schema outside a migration (dbopt migrate "
            "verify lists them)\n"
            "dbopt migrate verify explains the notes and how to settle them\n");
}

TEST(MigrateBook, StatusTextColorsTheStateOnly) {
  const std::string text = RenderStatusText(Sample(), TextStyle{true, 0});
  EXPECT_NE(text.find("  \033[1;31mfailed\033[0m   2026-01-02"), std::string::npos) << text;
  EXPECT_NE(text.find("\033[1m  version  name"), std::string::npos) << text;
}

TEST(MigrateBook, StatusTextEmptyAndDriftOff) {
  BookReport report;
  report.database = "db";
  report.directory = "m";
  const std::string text = RenderStatusText(report, TextStyle{});
  EXPECT_EQ(text,
            "dbopt migrate status: database \"db\", folder \"m\": no migrations (no files, no "
            "history)\n\n"
            "schema drift: not recorded (drift detection is off; a superuser turns it on with "
            "SELECT dbopt_drift_detection(true);)\n");
}

TEST(MigrateBook, StatusJson) {
  const std::string json = RenderStatusJson(Sample());
  EXPECT_NE(json.find(R"("database": "shop", "directory": "migrations", "drift_detection": true)"),
            std::string::npos)
      << json;
  EXPECT_NE(
      json.find(
          R"({"version": "1.5", "name": "late", "state": "pending", "file": true, "kind": null,)"
          R"( "status": null, "applied_at": null, "applied_by": null, "duration_ms": null,)"
          R"( "statements_done": null, "statements_total": null, "error": null, "backup": null,)"
          R"( "note": "out of order: below the newest applied", "problems": ["out_of_order"]})"),
      std::string::npos)
      << json;
  EXPECT_NE(json.find(R"("version": "2", "name": "gone", "state": "applied", "file": false,)"
                      R"( "kind": "transactional", "status": "applied",)"
                      R"( "applied_at": "2026-01-02T03:04:05.000000Z", "applied_by": "deploy",)"
                      R"( "duration_ms": 12.5, "statements_done": 3, "statements_total": 3,)"),
            std::string::npos)
      << json;
  EXPECT_NE(json.find(R"("schema_drift": 1})"), std::string::npos) << json;
}

TEST(MigrateBook, VerifyText) {
  BookReport report;
  report.database = "shop";
  report.directory = "migrations";
  report.file_count = 2;
  report.problems = {{"pending", "6", "new", "6_new is not applied yet", "dbopt migrate up", ""},
                     {"checksum_changed", "1.10", "add_total", "1.10_add_total was changed",
                      "restore it; or dbopt migrate repair", "{}"}};
  EXPECT_EQ(RenderVerifyText(report, TextStyle{}),
            "dbopt migrate verify: database \"shop\", folder \"migrations\" (2 files): 2 "
            "differences\n"
            "\n"
            "  pending           6_new is not applied yet\n"
            "                    fix: dbopt migrate up\n"
            "\n"
            "  checksum_changed  1.10_add_total was changed\n"
            "                    fix: restore it; or dbopt migrate repair\n"
            "\n"
            "schema drift: not recorded (drift detection is off; a superuser turns it on with "
            "SELECT dbopt_drift_detection(true);)\n");
  // Wrapped to a width: the message and the fix stay under their column.
  const std::string narrow = RenderVerifyText(report, TextStyle{false, 44});
  EXPECT_NE(narrow.find("  checksum_changed  1.10_add_total was\n"
                        "                    changed\n"
                        "                    fix: restore it; or\n"
                        "                    dbopt migrate repair\n"),
            std::string::npos)
      << narrow;
}

TEST(MigrateBook, VerifyTextAgree) {
  BookReport report;
  report.database = "shop";
  report.directory = "migrations";
  report.file_count = 1;
  report.drift_detection = true;
  EXPECT_EQ(RenderVerifyText(report, TextStyle{}),
            "dbopt migrate verify: database \"shop\", folder \"migrations\" (1 file): files, "
            "history and schema agree\n");
}

TEST(MigrateBook, VerifyJson) {
  const std::string json = RenderVerifyJson(Sample());
  EXPECT_NE(json.find(R"("files": 5, "drift_detection": true, "agree": false, "problems": [)"),
            std::string::npos)
      << json;
  EXPECT_NE(
      json.find(
          R"({"check_id": "schema_drift", "version": null, "name": null,)"
          R"( "message": "CREATE TABLE public.t outside a migration by alice",)"
          R"j( "fix": "write it into a migration", "detail": {"statement": "CREATE TABLE t ()"}})j"),
      std::string::npos)
      << json;
  EXPECT_NE(
      json.find(
          R"("check_id": "pending", "version": "6", "name": "new",)"
          R"( "message": "6_new is not applied yet", "fix": "dbopt migrate up", "detail": null})"),
      std::string::npos)
      << json;
}

}  // namespace
}  // namespace dbopt::cli::migrate
