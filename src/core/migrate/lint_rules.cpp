// The rule table: for each rule its id, default severity, what it flags and why, and the
// templates of its finding's message and safe alternative ({name} stands for a value the
// engine passes: the object, the table's size label, the statement's text...). The engine
// (lint.cpp) decides when a rule fires and with which values; all the wording is here.
#include <stdexcept>

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
       "that wraps the whole file in one transaction has the same effect.",
       "{statement} CONCURRENTLY on {object} runs inside {block} and will fail",
       "-- COMMIT the transaction first (or split the migration): run this statement on its own, "
       "in autocommit\n"
       "{text};"},
      {"index-without-concurrently", Severity::kWarning,
       "CREATE INDEX on an existing table without CONCURRENTLY",
       "A plain CREATE INDEX holds a SHARE lock on the table for the whole build: every INSERT, "
       "UPDATE and DELETE waits until the index is built, which takes minutes on a large "
       "table. CONCURRENTLY builds it while writes go on.",
       "CREATE INDEX{index} on {object} without CONCURRENTLY blocks writes to the table while "
       "the index builds{size}",
       "{concurrent_text};\n"
       "-- outside a transaction block; if it fails, DROP INDEX CONCURRENTLY the invalid index "
       "and run it again"},
      {"drop-index-without-concurrently", Severity::kWarning, "DROP INDEX without CONCURRENTLY",
       "A plain DROP INDEX takes an ACCESS EXCLUSIVE lock on the index's table: while it waits "
       "for running queries to finish, every new query on the table queues behind it.",
       "DROP INDEX {object}{on_table} without CONCURRENTLY locks the table ACCESS EXCLUSIVE",
       "DROP INDEX CONCURRENTLY {if_exists}{object};  -- one index per statement, outside a "
       "transaction block"},
      {"reindex-without-concurrently", Severity::kWarning, "REINDEX without CONCURRENTLY",
       "A plain REINDEX blocks writes to the table and every query that would use the index "
       "for as long as the rebuild takes.",
       "REINDEX {kind} {target}{on} without CONCURRENTLY blocks writes (and reads through the "
       "index) while it rebuilds",
       "REINDEX {kind} CONCURRENTLY {target};  -- outside a transaction block"},
      {"foreign-key-without-not-valid", Severity::kWarning,
       "a FOREIGN KEY added to an existing table without NOT VALID",
       "Adding a foreign key checks every existing row while holding a SHARE ROW EXCLUSIVE "
       "lock on both tables: writes to both wait for the whole scan. Added NOT VALID it only "
       "checks new rows; VALIDATE CONSTRAINT later scans under a lock that lets writes go on.",
       "FOREIGN KEY {name} on {object} referencing {referenced} is validated while writes to "
       "both tables are blocked{size}",
       "ALTER TABLE {table} ADD CONSTRAINT {name} FOREIGN KEY ({columns}) REFERENCES "
       "{referenced}{referenced_columns} NOT VALID;\n"
       "ALTER TABLE {table} VALIDATE CONSTRAINT {name};  -- a separate transaction"},
      {"check-without-not-valid", Severity::kWarning,
       "a CHECK constraint added to an existing table without NOT VALID",
       "Adding a CHECK constraint scans the whole table under an ACCESS EXCLUSIVE lock: no "
       "query can read or write the table meanwhile. Added NOT VALID it only checks new rows; "
       "VALIDATE CONSTRAINT later scans under a SHARE UPDATE EXCLUSIVE lock.",
       "CHECK constraint {named}on {object}{size} scans the table under an ACCESS EXCLUSIVE lock",
       "ALTER TABLE {table} ADD CONSTRAINT {name} CHECK (...) NOT VALID;\n"
       "ALTER TABLE {table} VALIDATE CONSTRAINT {name};  -- a separate transaction"},
      {"not-null-column-without-default", Severity::kError,
       "ADD COLUMN ... NOT NULL without a DEFAULT on an existing table",
       "The existing rows would get NULL in the new column, so PostgreSQL refuses the statement "
       "on any table that has rows (column contains null values).",
       "ADD COLUMN {column} NOT NULL without a DEFAULT fails on {object}{size} unless it is empty",
       "ALTER TABLE {table} ADD COLUMN {name} {type} NOT NULL DEFAULT <constant>;  -- a constant "
       "default: no rewrite (PostgreSQL 11+)\n"
       "-- or: add it nullable, backfill in batches, then SET NOT NULL safely (see set-not-null)"},
      {"volatile-default", Severity::kWarning,
       "ADD COLUMN with a volatile DEFAULT (or serial, identity, generated stored)",
       "Since PostgreSQL 11 a constant (or stable) default is stored once in the catalog; a "
       "volatile default (random(), clock_timestamp(), gen_random_uuid(), nextval()) must be "
       "computed per row, so the whole table is rewritten under an ACCESS EXCLUSIVE lock.",
       "ADD COLUMN {column} with {why} rewrites {object}{size}",
       "ALTER TABLE {table} ADD COLUMN {name} {type};  -- no default: no rewrite\n"
       "ALTER TABLE {table} ALTER COLUMN {name} SET DEFAULT <expression>;  -- new rows only\n"
       "-- then fill the existing rows in batches: UPDATE {table} SET {name} = <expression> "
       "WHERE <key range>;"},
      {"set-not-null", Severity::kWarning, "ALTER COLUMN ... SET NOT NULL on an existing table",
       "SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock to prove there is "
       "no NULL, unless a validated CHECK (column IS NOT NULL) constraint already proves it.",
       "SET NOT NULL on {column} scans {object}{size} under an ACCESS EXCLUSIVE lock",
       "ALTER TABLE {table} ADD CONSTRAINT {check} CHECK ({name} IS NOT NULL) NOT VALID;\n"
       "ALTER TABLE {table} VALIDATE CONSTRAINT {check};  -- a separate transaction; writes go "
       "on\n"
       "ALTER TABLE {table} ALTER COLUMN {name} SET NOT NULL;  -- no scan: the constraint proves "
       "it\n"
       "ALTER TABLE {table} DROP CONSTRAINT {check};"},
      {"alter-column-type", Severity::kWarning, "ALTER COLUMN ... TYPE that rewrites the table",
       "Changing a column's type rewrites the table and rebuilds its indexes under an ACCESS "
       "EXCLUSIVE lock, unless the new type is binary-coercible from the old (varchar(10) to "
       "varchar(20), varchar to text). Running code may also break on the new type.",
       "changing the type of {column}{from} to {type}{verb}{object}{size} under an ACCESS "
       "EXCLUSIVE lock",
       "ALTER TABLE {table} ADD COLUMN {new_column} {type};\n"
       "-- keep it in sync with a trigger, fill it in batches, move readers, then in one short "
       "transaction:\n"
       "ALTER TABLE {table} RENAME COLUMN {name} TO {old_column};\n"
       "ALTER TABLE {table} RENAME COLUMN {new_column} TO {name};"},
      {"rename-column", Severity::kWarning, "RENAME COLUMN on an existing table",
       "Application code that is running uses the old name: between the migration and the "
       "next deploy every query naming the column fails.",
       "renaming {column} to {new_name} breaks running code that uses the old name",
       "-- expand and contract: add the new column, write both, move readers, then drop the old "
       "one in a later migration\n"
       "ALTER TABLE {table} ADD COLUMN {new_name} <type>;"},
      {"rename-table", Severity::kWarning, "RENAME TO (or SET SCHEMA) on an existing table",
       "Application code that is running uses the old name: between the migration and the "
       "next deploy every query naming the table fails.",
       "{verb} {object} to {target} breaks running code that uses the old name",
       "-- keep the old name working until every client is deployed:\n"
       "BEGIN;\n"
       "{text};\n"
       "CREATE VIEW {table} AS SELECT * FROM {target};  -- simple view: reads and writes go "
       "through\n"
       "COMMIT;\n"
       "-- drop the view in a later migration"},
      {"drop-column", Severity::kWarning, "DROP COLUMN on an existing table",
       "Running code that reads or writes the column fails as soon as it is gone (ORMs that "
       "list every column fail on every query), and the data is lost.",
       "dropping {column} breaks running code that uses it and loses its data",
       "-- first deploy code that no longer reads or writes {column} (ORMs: mark it ignored), "
       "then drop it in a later migration\n"
       "ALTER TABLE {table} DROP COLUMN {if_exists}{name};"},
      {"drop-table", Severity::kWarning, "DROP TABLE of an existing table",
       "Running code that uses the table fails, and the data is lost.",
       "DROP TABLE {object}{size} breaks running code that uses it and loses its data",
       "-- first deploy code that no longer uses {object}, then drop it in a later migration "
       "(keep a backup: dbopt migrate up --backup)\n"
       "DROP TABLE {if_exists}{table};"},
      {"unique-constraint-without-index", Severity::kWarning,
       "ADD CONSTRAINT UNIQUE / PRIMARY KEY / EXCLUDE without USING INDEX on an existing table",
       "The constraint's index is built while the table is locked ACCESS EXCLUSIVE: no query "
       "can read or write it for the whole build. Build the unique index CONCURRENTLY first and "
       "attach it with USING INDEX (a short lock).",
       "{what} constraint on {object} ({columns}) builds its index under an ACCESS EXCLUSIVE "
       "lock{size}",
       "CREATE UNIQUE INDEX CONCURRENTLY {name} ON {table} ({columns});\n"
       "ALTER TABLE {table} ADD CONSTRAINT {name} {what} USING INDEX {name};"},
      {"refresh-without-concurrently", Severity::kWarning,
       "REFRESH MATERIALIZED VIEW without CONCURRENTLY on an existing view",
       "A plain refresh holds an ACCESS EXCLUSIVE lock on the materialized view while it runs "
       "the view's query again and swaps in the result: every query that reads the view waits "
       "for the whole refresh. CONCURRENTLY computes the new result beside the old one and "
       "applies the difference while reads go on; it needs a unique index on plain columns of "
       "the view (no WHERE) and a view that is already populated. A view created earlier in "
       "the same migration has no readers yet and is not flagged.",
       "REFRESH MATERIALIZED VIEW {object} without CONCURRENTLY blocks every read of the view "
       "until the refresh finishes{size}",
       "CREATE UNIQUE INDEX CONCURRENTLY {index} ON {view} (<key columns>);  -- once; "
       "CONCURRENTLY needs it\n"
       "{concurrent_text};  -- reads go on; the view must be populated already"},
      {"cluster", Severity::kWarning, "CLUSTER of an existing table",
       "CLUSTER writes a new copy of the table in index order and rebuilds every index while "
       "holding an ACCESS EXCLUSIVE lock: no query can read or write the table until it is "
       "done, it needs disk space for the copy, and rows written later are not kept in order. "
       "pg_repack (an extension and its client) reorders a table online, with only short "
       "locks at the start and the end. A table created earlier in the same migration has no "
       "traffic yet and is not flagged.",
       "CLUSTER {object} rewrites the table and its indexes under an ACCESS EXCLUSIVE "
       "lock{size}",
       "-- outside the migration, online (pg_repack extension and client):\n"
       "--   pg_repack --table={table} --order-by=<index columns>\n"
       "-- or leave the physical order alone: an index serves the lookups (BRIN suits data that "
       "arrives in order)"},
      {"vacuum-full", Severity::kWarning, "VACUUM FULL of an existing table",
       "VACUUM FULL writes a new copy of the table and rebuilds its indexes while holding an "
       "ACCESS EXCLUSIVE lock: no query can read or write the table until it is done, and it "
       "needs disk space for the copy. Plain VACUUM makes the dead rows' space reusable while "
       "reads and writes go on; pg_repack gives the space back to the operating system "
       "online. A table created earlier in the same migration has no traffic yet and is not "
       "flagged.",
       "VACUUM FULL {object} rewrites the table and its indexes under an ACCESS EXCLUSIVE "
       "lock{size}",
       "VACUUM {table};  -- the space is reused in place; reads and writes go on\n"
       "-- to give the space back to the operating system, online (pg_repack extension and "
       "client):\n"
       "--   pg_repack --no-order --table={table}"},
      {"missing-lock-timeout", Severity::kWarning,
       "a lock that blocks writes or reads (ALTER TABLE, DROP, CREATE INDEX, REINDEX, foreign "
       "keys, triggers, TRUNCATE, LOCK, REFRESH MATERIALIZED VIEW, CLUSTER, VACUUM FULL) on an "
       "existing table without lock_timeout set before",
       "While the statement waits for its lock behind a long query, every other query on the "
       "table queues behind it: a short migration becomes an outage. With lock_timeout it "
       "gives up after a few seconds instead, and the migration can be retried.",
       "statement takes {locks} without lock_timeout set",
       "SET lock_timeout = '5s';  -- before it; retry the migration if it times out\n"
       "{text};"},
      {"foreign-key-without-index", Severity::kWarning,
       "a new FOREIGN KEY whose columns no index covers",
       "Every DELETE or key UPDATE on the referenced table looks up the referencing rows: "
       "without an index on the foreign key's columns each is a full scan of the referencing "
       "table, and joins on the key are slow.",
       "foreign key {named}on {object} ({columns}) referencing {referenced} has no index on its "
       "columns",
       "CREATE INDEX CONCURRENTLY {index} ON {table} ({columns});"},
      {"serial-column", Severity::kWarning, "a serial / bigserial / smallserial column",
       "serial is a legacy shorthand: the sequence has its own owner and grants, and it is not "
       "part of the column's definition. Identity columns are the SQL-standard replacement.",
       "column {object} is {type}; use an identity column",
       "{name} bigint GENERATED ALWAYS AS IDENTITY{primary_key}"},
      {"int-primary-key", Severity::kWarning, "a primary key of type integer or smallint",
       "An integer key runs out at 2,147,483,647; changing it to bigint later rewrites the "
       "table and every table that references it.",
       "primary key column {object} is {type} and runs out at {limit}",
       "{name} bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY"},
      {"json-column", Severity::kWarning, "a json column",
       "json stores the text as given and re-parses it on every access; it has no equality "
       "operator and no GIN index support. jsonb is smaller to query and indexable.",
       "column {object} is json, not jsonb", "{name} jsonb{array}"},
      {"timestamp-without-time-zone", Severity::kWarning, "a timestamp without time zone column",
       "timestamp without time zone stores a wall-clock reading with no zone: the same value "
       "means different instants for clients in different zones, and DST makes it ambiguous. "
       "timestamptz stores an instant.",
       "column {object} is timestamp without time zone", "{name} timestamptz{array}"},
      {"char-column", Severity::kWarning, "a char(n) column",
       "char(n) pads values with spaces to n characters, wastes space, and compares in "
       "surprising ways; it is not faster than text or varchar.",
       "column {object} is char({limit})",
       "{name} text  -- or varchar({limit}), or text with CHECK (length({name}) <= {limit})"},
  };
  return *rules;
}

namespace {

// The same rule worded for another case; a null template keeps the rule's own.
struct RuleVariant {
  const char* id;
  const char* variant;
  const char* message;
  const char* safe_alternative;
};

const RuleVariant kVariants[] = {
    {"volatile-default", "unknown-volatility",
     "ADD COLUMN {column} DEFAULT calls {function}, whose volatility is unknown: if it is "
     "volatile it rewrites {object}{size}",
     "-- if {function} is volatile: add the column without a default, SET DEFAULT, then fill "
     "the existing rows in batches\n"
     "ALTER TABLE {table} ADD COLUMN {name} {type};\n"
     "ALTER TABLE {table} ALTER COLUMN {name} SET DEFAULT <expression>;"},
    {"unique-constraint-without-index", "exclusion", nullptr,
     "-- an exclusion constraint cannot use an existing index: add it while the table is "
     "small, or enforce the rule another way"},
    {"unique-constraint-without-index", "existing-index",
     "{what} constraint on {object} ({columns}) builds its index under an ACCESS EXCLUSIVE "
     "lock, although unique index {existing} already has these columns{size}",
     "ALTER TABLE {table} ADD CONSTRAINT {name} {what} USING INDEX {existing};  -- the index "
     "is renamed to the constraint's name"},
    {"refresh-without-concurrently", "unique-index", nullptr,
     "{concurrent_text};  -- unique index {existing} allows it; reads go on"},
    {"cluster", "all-tables",
     "CLUSTER without a table rewrites every table clustered before, each under an ACCESS "
     "EXCLUSIVE lock",
     "-- name the table (CLUSTER <table>), or better reorder it online outside the migration:\n"
     "--   pg_repack --table=<table> --order-by=<index columns>"},
    {"vacuum-full", "all-tables",
     "VACUUM FULL without a table rewrites every table of the database, each under an ACCESS "
     "EXCLUSIVE lock",
     "VACUUM;  -- the space is reused in place; reads and writes go on\n"
     "-- to shrink one table online: pg_repack --no-order --table=<table>"},
    {"int-primary-key", "add-primary-key", nullptr,
     "ALTER TABLE {table} ALTER COLUMN {name} TYPE bigint;  -- while the table is small; later "
     "it rewrites the table"},
};

}  // namespace

FindingText RuleText(const std::string& id, const std::string& variant) {
  for (const RuleInfo& rule : Rules()) {
    if (id != rule.id) continue;
    FindingText text{rule.message, rule.safe_alternative};
    if (variant.empty()) return text;
    for (const RuleVariant& v : kVariants) {
      if (id != v.id || variant != v.variant) continue;
      if (v.message != nullptr) text.message = v.message;
      if (v.safe_alternative != nullptr) text.safe_alternative = v.safe_alternative;
      return text;
    }
  }
  throw std::logic_error("lint: no rule text " + id + (variant.empty() ? "" : "/" + variant));
}

std::string FillTemplate(const std::string& text, const TemplateValues& values) {
  std::string out;
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t open = text.find('{', pos);
    if (open == std::string::npos) break;
    const size_t close = text.find('}', open);
    if (close == std::string::npos) break;
    out.append(text, pos, open - pos);
    const std::string name = text.substr(open + 1, close - open - 1);
    bool found = false;
    for (const auto& [key, value] : values) {
      if (key != name) continue;
      out += value;
      found = true;
      break;
    }
    if (!found) throw std::logic_error("lint: no value for {" + name + "} in \"" + text + "\"");
    pos = close + 1;
  }
  out.append(text, pos, std::string::npos);
  return out;
}

}  // namespace dbopt::migrate
