// Migration files as the runner sees them: VERSION_NAME.sql with `-- dbopt:up` and
// `-- dbopt:down` sections, split into statements and classified with libpg_query (the
// server's parser, linked into the CLI only). Implemented in migration_file.cpp; the runner
// (migrate_up.cpp, ...) and the linter read files only through this header.
#pragma once
#include <string>
#include <vector>

namespace dbopt::cli::migrate {

// One statement of a section, as libpg_query split it.
struct MigrationStatement {
  std::string sql;                // the statement's text as written, without the terminating ';'
  int line = 0;                   // 1-based line in the file where the statement starts
  bool needs_autocommit = false;  // cannot run in a transaction block (CREATE INDEX
                                  // CONCURRENTLY, REINDEX CONCURRENTLY, VACUUM, ...)
  // CREATE INDEX CONCURRENTLY / REINDEX INDEX CONCURRENTLY: the index a failed build may leave
  // invalid, schema-qualified when the statement qualifies it (else as written). Names here
  // and in touched_tables/created_tables are SQL text, each part quoted as needed
  // ("Orders", public.orders), usable as a regclass literal. Empty for an unnamed index and
  // for REINDEX TABLE/SCHEMA ... CONCURRENTLY (their leftovers are named <index>_ccnew).
  std::string concurrent_index;
  // Statements that run alone and whose effect the catalogs show, so that a resumed run can
  // tell whether an interrupted one got as far as them without recording it: CREATE INDEX
  // CONCURRENTLY name ON table (created_index as concurrent_index, index_table the table as
  // written) and DROP INDEX CONCURRENTLY of one index (dropped_index). Empty otherwise.
  std::string created_index;
  std::string index_table;
  std::string dropped_index;
  // ALTER TABLE parent DETACH PARTITION partition CONCURRENTLY (the only subcommand, as
  // PostgreSQL requires): both names as written. A resumed run counts it done when the
  // partition is no longer attached, and completes it with DETACH PARTITION ... FINALIZE when
  // the interrupted run left the detach pending (pg_inherits.inhdetachpending).
  std::string detached_partition;
  std::string detach_parent;
  bool destroys_data = false;               // DROP TABLE, DROP COLUMN, TRUNCATE, ALTER COLUMN TYPE,
                                            // DELETE or UPDATE without WHERE
  std::vector<std::string> touched_tables;  // tables a data-destroying statement touches, as
                                            // written (for `up --backup`)
  std::vector<std::string> created_tables;  // CREATE TABLE [AS], SELECT INTO: the new table,
                                            // as written (a backup skips these)
};

struct MigrationSection {
  std::string text;  // the section's text as written (what the history stores)
  std::vector<MigrationStatement> statements;
};

struct MigrationFile {
  std::string path;
  std::string version;  // digits, dot-separated: "20261201154500", "1.2"
  std::string name;     // the description after the first '_', without ".sql"
  MigrationSection up;
  MigrationSection down;
  std::string checksum;          // TokenChecksum(up.text)
  std::string down_checksum;     // TokenChecksum(down.text)
  bool NeedsAutocommit() const;  // any up statement needs_autocommit
};

// Reads and checks one file. A marker is a line holding only "-- dbopt:up" or "-- dbopt:down"
// (any case and spacing); only comments may precede the first; either order; an empty
// section is allowed, a missing one is not. Throws CliError (kExitUsage) naming the file and line
// when the name is not VERSION_NAME.sql, a section is missing or repeated, a statement does not
// parse, or a section writes its own transaction control (BEGIN, COMMIT, ROLLBACK: the runner owns
// transactions).
MigrationFile ReadMigrationFile(const std::string& path);

// One section's text (first_line: the file's line of its first line), split and classified
// as ReadMigrationFile does; throws CliError (kExitUsage) naming path and line as it does.
MigrationSection ReadMigrationSection(const std::string& path, int first_line,
                                      const std::string& text);

// Every *.sql file of a folder, read with ReadMigrationFile, sorted by version; throws
// CliError (kExitUsage) on two files with the same version and on a missing folder.
std::vector<MigrationFile> ReadMigrationFolder(const std::string& folder);

// Orders versions by their dot-separated numbers ("1.10" after "1.9", "010" equals "10"):
// negative, zero or positive.
int CompareVersions(const std::string& a, const std::string& b);

// A hex digest of the SQL's tokens from libpg_query's scanner, without comments: the same
// for re-indented, re-commented or re-wrapped text (and for keyword and unquoted identifier
// case), different for any change of a token (a constant, a type modifier, a name).
std::string TokenChecksum(const std::string& sql);

}  // namespace dbopt::cli::migrate
