// Test driver for src/cli/migrate/backup.cpp until `dbopt migrate up --backup` calls it:
//   dbopt_backup_driver CONNINFO FOLDER MIGRATION.sql
// prints "path: ...", "restore: ...", "table: ..." lines (no path line when nothing needed a
// dump); an error as "dbopt: error: ..." with exit status 3 (2 for a bad file).
#include <cstdio>

#include "cli/args.hpp"
#include "cli/exit_codes.hpp"
#include "cli/migrate/backup.hpp"
#include "cli/migrate/migration_file.hpp"

int main(int argc, char** argv) {
  using namespace dbopt::cli;
  if (argc != 4) {
    std::fprintf(stderr, "usage: %s CONNINFO FOLDER MIGRATION.sql\n", argv[0]);
    return kExitUsage;
  }
  try {
    ConnectionOptions connection;
    connection.conninfo = argv[1];
    const migrate::MigrationFile file = migrate::ReadMigrationFile(argv[3]);
    const migrate::Backup backup = migrate::TakeBackup(connection, argv[2], file);
    if (!backup.path.empty())
      std::printf("path: %s\nrestore: %s\n", backup.path.c_str(), backup.restore_command.c_str());
    for (const std::string& table : backup.tables) std::printf("table: %s\n", table.c_str());
    return kExitOk;
  } catch (const CliError& error) {
    std::fprintf(stderr, "dbopt: error: %s\n", error.what());
    if (!error.hint().empty()) std::fprintf(stderr, "HINT:  %s\n", error.hint().c_str());
    return error.exit_code();
  }
}
