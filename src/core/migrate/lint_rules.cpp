// The rule catalogue: ids, default severities, what each flags and why. The engine
// (lint.cpp) decides when a rule fires and writes the message and the safe alternative.
#include "core/migrate/lint.hpp"

namespace dbopt::migrate {

const char* SeverityName(Severity severity) {
  switch (severity) {
    case Severity::kInfo:
      return "info";
    case Severity::kWarning:
      return "warning";
    case Severity::kError:
      return "error";
  }
  return "warning";
}

const std::vector<RuleInfo>& Rules() {
  static const std::vector<RuleInfo>* rules = new std::vector<RuleInfo>{
      {"concurrently-in-transaction", Severity::kError,
       "CREATE INDEX, DROP INDEX or REINDEX CONCURRENTLY inside a transaction block",
       "PostgreSQL refuses to run a concurrent index build or drop inside a transaction block "
       "(ERROR: cannot run inside a transaction block), so the migration fails there. A runner "
       "that wraps the whole file in one transaction has the same effect."},
      {"index-without-concurrently", Severity::kWarning,
       "CREATE INDEX on an existing table without CONCURRENTLY",
       "A plain CREATE INDEX holds a SHARE lock on the table for the whole build: every INSERT, "
       "UPDATE and DELETE waits until the index is built, which takes minutes on a large "
       "table. CONCURRENTLY builds it while writes go on."},
      {"drop-index-without-concurrently", Severity::kWarning, "DROP INDEX without CONCURRENTLY",
       "A plain DROP INDEX takes an ACCESS EXCLUSIVE lock on the index's table: while it waits "
       "for running queries to finish, every new query on the table queues behind it."},
      {"reindex-without-concurrently", Severity::kWarning, "REINDEX without CONCURRENTLY",
       "A plain REINDEX blocks writes to the table and every query that would use the index "
       "for as long as the rebuild takes."},
      {"foreign-key-without-not-valid", Severity::kWarning,
       "a FOREIGN KEY added to an existing table without NOT VALID",
       "Adding a foreign key checks every existing row while holding a SHARE ROW EXCLUSIVE "
       "lock on both tables: writes to both wait for the whole scan. Added NOT VALID it only "
       "checks new rows; VALIDATE CONSTRAINT later scans under a lock that lets writes go on."},
      {"check-without-not-valid", Severity::kWarning,
       "a CHECK constraint added to an existing table without NOT VALID",
       "Adding a CHECK constraint scans the whole table under an ACCESS EXCLUSIVE lock: no "
       "query can read or write the table meanwhile. Added NOT VALID it only checks new rows; "
       "VALIDATE CONSTRAINT later scans under a SHARE UPDATE EXCLUSIVE lock."},
      {"not-null-column-without-default", Severity::kError,
       "ADD COLUMN ... NOT NULL without a DEFAULT on an existing table",
       "The existing rows would get NULL in the new column, so PostgreSQL refuses the statement "
       "on any table that has rows (column contains null values)."},
      {"volatile-default", Severity::kWarning,
       "ADD COLUMN with a volatile DEFAULT (or serial, identity, generated stored)",
       "Since PostgreSQL 11 a constant (or stable) default is stored once in the catalog; a "
       "volatile default (random(), clock_timestamp(), gen_random_uuid(), nextval()) must be "
       "computed per row, so the whole table is rewritten under an ACCESS EXCLUSIVE lock."},
      {"set-not-null", Severity::kWarning, "ALTER COLUMN ... SET NOT NULL on an existing table",
       "SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock to prove there is "
       "no NULL, unless a validated CHECK (column IS NOT NULL) constraint already proves it."},
      {"alter-column-type", Severity::kWarning, "ALTER COLUMN ... TYPE that rewrites the table",
       "Changing a column's type rewrites the table and rebuilds its indexes under an ACCESS "
       "EXCLUSIVE lock, unless the new type is binary-coercible from the old (varchar(10) to "
       "varchar(20), varchar to text). Running code may also break on the new type."},
      {"rename-column", Severity::kWarning, "RENAME COLUMN on an existing table",
       "Application code that is running uses the old name: between the migration and the "
       "next deploy every query naming the column fails."},
      {"rename-table", Severity::kWarning, "RENAME TO (or SET SCHEMA) on an existing table",
       "Application code that is running uses the old name: between the migration and the "
       "next deploy every query naming the table fails."},
      {"drop-column", Severity::kWarning, "DROP COLUMN on an existing table",
       "Running code that reads or writes the column fails as soon as it is gone (ORMs that "
       "list every column fail on every query), and the data is lost."},
      {"drop-table", Severity::kWarning, "DROP TABLE of an existing table",
       "Running code that uses the table fails, and the data is lost."},
      {"unique-constraint-without-index", Severity::kWarning,
       "ADD CONSTRAINT UNIQUE / PRIMARY KEY / EXCLUDE without USING INDEX on an existing table",
       "The constraint's index is built while the table is locked ACCESS EXCLUSIVE: no query "
       "can read or write it for the whole build. Build the unique index CONCURRENTLY first and "
       "attach it with USING INDEX (a short lock)."},
      {"missing-lock-timeout", Severity::kWarning,
       "a lock that blocks writes or reads (ALTER TABLE, DROP, CREATE INDEX, REINDEX, foreign "
       "keys, triggers, TRUNCATE, LOCK) on an existing table without lock_timeout set before",
       "While the statement waits for its lock behind a long query, every other query on the "
       "table queues behind it: a short migration becomes an outage. With lock_timeout it "
       "gives up after a few seconds instead, and the migration can be retried."},
      {"foreign-key-without-index", Severity::kWarning,
       "a new FOREIGN KEY whose columns no index covers",
       "Every DELETE or key UPDATE on the referenced table looks up the referencing rows: "
       "without an index on the foreign key's columns each is a full scan of the referencing "
       "table, and joins on the key are slow."},
      {"serial-column", Severity::kWarning, "a serial / bigserial / smallserial column",
       "serial is a legacy shorthand: the sequence has its own owner and grants, and it is not "
       "part of the column's definition. Identity columns are the SQL-standard replacement."},
      {"int-primary-key", Severity::kWarning, "a primary key of type integer or smallint",
       "An integer key runs out at 2,147,483,647; changing it to bigint later rewrites the "
       "table and every table that references it."},
      {"json-column", Severity::kWarning, "a json column",
       "json stores the text as given and re-parses it on every access; it has no equality "
       "operator and no GIN index support. jsonb is smaller to query and indexable."},
      {"timestamp-without-time-zone", Severity::kWarning, "a timestamp without time zone column",
       "timestamp without time zone stores a wall-clock reading with no zone: the same value "
       "means different instants for clients in different zones, and DST makes it ambiguous. "
       "timestamptz stores an instant."},
      {"char-column", Severity::kWarning, "a char(n) column",
       "char(n) pads values with spaces to n characters, wastes space, and compares in "
       "surprising ways; it is not faster than text or varchar."},
  };
  return *rules;
}

}  // namespace dbopt::migrate
