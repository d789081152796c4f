// `dbopt migrate up --backup DIR`: a pg_dump of exactly the tables a migration's up section
// destroys data in, taken before anything of the migration runs.
//
// Contract (the runner calls TakeBackup after taking the migration lock and before running the
// migration's first statement; it stores Backup::path in migration_history.backup and prints
// Backup::restore_command):
// - Tables: the touched_tables of every up statement with destroys_data (DROP TABLE, ALTER
//   TABLE DROP COLUMN / ALTER COLUMN TYPE, TRUNCATE, DELETE or UPDATE without WHERE),
//   resolved on this connection (its search_path) to schema-qualified tables. A table created
//   by an earlier statement of the same up section is skipped; so is a table that does not
//   exist (the statement will fail or has IF EXISTS). No table left: no dump, Backup::path "".
// - File: FOLDER/VERSION_NAME-<UTC YYYYMMDDTHHMMSSZ>.dump, `pg_dump --format=custom` of those
//   tables only (definition and rows, --strict-names), FOLDER created if absent.
// - pg_dump: the first of `pg_config --bindir`, PATH and /usr/lib/postgresql/<server major>/bin
//   whose pg_dump has the server's major version (else the first newer one).
// - Failure (no pg_dump, pg_dump exits non-zero, the folder cannot be written): CliError
//   (kExitError) with pg_dump's message and a hint; the partial file is removed. The runner
//   must then stop before running anything.
#pragma once
#include <libpq-fe.h>

#include <string>
#include <vector>

#include "cli/args.hpp"
#include "cli/migrate/migration_file.hpp"

namespace dbopt::cli::migrate {

struct Backup {
  std::string path;                 // the dump file; "" when nothing needed a dump
  std::string restore_command;      // a shell command that restores the dump ("" with no dump)
  std::vector<std::string> tables;  // the dumped tables, schema-qualified, quoted as needed
};

// connection: the runner's open connection (names resolve through its search_path; pg_dump
// connects with the same host, port, database, user and password).
Backup TakeBackup(PGconn* connection, const std::string& folder, const MigrationFile& file);

// The same with a connection of its own.
Backup TakeBackup(const ConnectionOptions& options, const std::string& folder,
                  const MigrationFile& file);

}  // namespace dbopt::cli::migrate
