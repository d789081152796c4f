// The schema model the checks work on: a plain copy of what the catalogs say, filled by
// src/pg/catalog.cpp in the server and by hand in unit tests. Object ids are PostgreSQL OIDs
// but nothing here interprets them beyond equality.
#pragma once
#include "core/common/no_postgres.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/model/object_map.hpp"

namespace dbopt {

struct Column {
  int attnum = 0;
  std::string name;  // raw name
  ObjectId type_id = 0;
  int typmod = -1;
  std::string type_name;   // format_type(), e.g. "character varying(20)"
  ObjectId collation = 0;  // 0 when the type is not collatable
  bool not_null = false;
  double null_fraction = -1;  // pg_stats.null_frac, -1 when unknown
  // Filled for the data checks only (pg::LoadDataCheckColumns), with null_fraction above.
  bool generated = false;  // GENERATED ALWAYS AS (...) STORED: its value is not the user's
  bool composite = false;  // a row type: `col IS NULL` tests its fields, not the value
  // Planner statistics for the index advisor (pg_stats): n_distinct as PostgreSQL keeps it
  // (> 0 a count, < 0 minus a fraction of the rows, 0 unknown) and avg_width in bytes (0
  // unknown).
  double n_distinct = 0;
  double avg_width = 0;
  // Distinct values estimated for `table_rows` rows; 0 when unknown.
  double DistinctValues(double table_rows) const {
    if (n_distinct > 0) return n_distinct;
    if (n_distinct < 0 && table_rows > 0) return -n_distinct * table_rows;
    return 0;
  }
};

// One key or INCLUDE column of an index.
struct IndexColumn {
  std::string column;  // column name; empty for an expression
  // For an expression column: its stored tree with locations removed (core/common/
  // node_tree.hpp), for comparisons. Not SQL; show Catalog::IndexDefinition to people.
  std::string expression;
  ObjectId opclass = 0;  // 0 for INCLUDE columns
  ObjectId opfamily = 0;
  ObjectId collation = 0;
  int option = 0;  // pg_index.indoption bits (1 = DESC, 2 = NULLS FIRST)
  bool IsExpression() const { return column.empty(); }
};

struct Index {
  ObjectId id = 0;
  ObjectId table_id = 0;
  std::string schema;
  std::string name;
  // QuoteQualified(schema, name), filled by Catalog::Link(); use QualifiedName().
  std::string qualified_name;
  std::string access_method;         // "btree", "hash", "gin", ...
  std::vector<IndexColumn> keys;     // key columns, in order
  std::vector<IndexColumn> include;  // INCLUDE columns
  // Partial-index predicate as a stored tree without locations (like IndexColumn::expression),
  // empty if none. Not SQL; the SQL is in Catalog::IndexDefinition.
  std::string predicate;
  bool unique = false;
  bool primary = false;
  bool exclusion = false;
  bool valid = true;  // indisvalid
  bool ready = true;  // indisready
  bool replica_identity = false;
  ObjectId constraint_id = 0;    // constraint the index backs (PK, UNIQUE, EXCLUDE), 0 if none
  ObjectId parent_index_id = 0;  // partitioned parent index this one is attached to
  std::string definition;        // pg_get_indexdef(); often empty: use Catalog::IndexDefinition
  std::vector<std::string> reloptions;  // pg_class.reloptions, "name=value" each
  double pages = 0;                     // pg_class.relpages
  std::int64_t scans = 0;               // pg_stat idx_scan

  // Loaded by LoadIndexAndConstraintDetails (src/pg/catalog.cpp) for the index checks.
  bool nulls_not_distinct = false;         // indnullsnotdistinct (UNIQUE NULLS NOT DISTINCT)
  bool referenced_by_foreign_key = false;  // some FK's pg_constraint.conindid is this index
  bool build_in_progress = false;          // a CREATE INDEX / REINDEX is building it right now
  // Every key column uses its type's default operator class (needed by ADD CONSTRAINT ...
  // USING INDEX).
  bool default_opclasses = true;
  bool Partial() const { return !predicate.empty(); }
};

struct Table {
  ObjectId id = 0;
  std::string schema;
  std::string name;
  // QuoteQualified(schema, name), filled by Catalog::Link(); use QualifiedName().
  std::string qualified_name;
  char kind = 'r';                 // 'r' table, 'p' partitioned table
  ObjectId parent_id = 0;          // partitioned parent, 0 if not a partition
  std::vector<ObjectId> children;  // direct partitions
  std::vector<Column> columns;     // live columns in attnum order
  double rows = 0;                 // pg_class.reltuples (-1 = never analyzed)
  double pages = 0;
  std::int64_t seq_scans = 0;
  std::int64_t updates = 0;  // n_tup_upd
  std::int64_t deletes = 0;  // n_tup_del
  std::int64_t inserts = 0;
  std::int64_t hot_updates = 0;  // n_tup_hot_upd
  bool has_primary_key = false;
  bool Partitioned() const { return kind == 'p'; }
  const Column* FindColumn(const std::string& column_name) const;
};

struct ForeignKey {
  ObjectId id = 0;
  std::string name;
  ObjectId table_id = 0;  // referencing table
  ObjectId referenced_table_id = 0;
  std::vector<std::string> columns;  // referencing columns, constraint order
  std::vector<std::string> referenced_columns;
  std::vector<ObjectId> equality_operators;  // conpfeqop: pk = fk operator per column
  // The RI lookup writes `$pk OP fk_col`; an index on fk_col is matched with the operator's
  // commutator (fk = pk), which differs for cross-type keys (int4 FK -> int8 PK: int84eq is
  // conpfeqop, int48eq what the index must support). One per column, 0 if there is none.
  // Empty means "same as equality_operators" (symmetric operators, as in unit tests).
  std::vector<ObjectId> lookup_operators;
  // Per column: true when the RI lookup converts the FK column with a function before
  // comparing (ruleutils' generate_operator_clause casts it to the operator's type, e.g. an
  // int4 FK to a numeric key: `$1 = fk_col::numeric`), so no index on the plain column can
  // serve it and only matching the column types fixes it. Binary-compatible casts (varchar to
  // text, a domain to its base type) do not count. Empty means no column is converted.
  std::vector<bool> lookup_casts;
  bool validated = true;
  char on_update = 'a';
  char on_delete = 'a';
};

struct CheckConstraintInfo {
  ObjectId id = 0;
  std::string name;
  ObjectId table_id = 0;
  char type = 'c';  // pg_constraint.contype
  bool validated = true;
  bool deferrable = false;  // condeferrable
  bool deferred = false;    // condeferred (INITIALLY DEFERRED)
  bool local = true;        // conislocal: false for a copy inherited from a parent table
  std::string definition;   // pg_get_constraintdef(), loaded only for NOT VALID constraints
};

// Deparses an index's definition (pg_get_indexdef) on demand. Deparsing every index is the
// slowest part of loading a large catalog, so the loader leaves Index::definition empty and
// checks ask for the definitions of the few indexes their findings name.
struct Catalog;
class DefinitionSource {
 public:
  virtual ~DefinitionSource() = default;
  // Valid as long as the source is.
  virtual const std::string& IndexDefinition(const Catalog& catalog, const Index& index) const = 0;
};

// Everything the catalog checks need, for one database.
struct Catalog {
  // Iterated in id (OID) order, like the std::map they replaced (object_map.hpp).
  ObjectMap<Table> tables;
  ObjectMap<Index> indexes;
  std::vector<ForeignKey> foreign_keys;          // one per logical FK (no partition clones)
  std::vector<CheckConstraintInfo> constraints;  // every constraint, for NOT VALID
  // (operator family, operator) pairs where the operator is the family's equality member;
  // an index column can answer `col = $1` only if the FK's operator is in its family.
  std::set<std::pair<ObjectId, ObjectId>> equality_members;
  double stats_age_seconds = -1;  // time since statistics were reset, -1 when unknown
  std::string stats_reset;        // when statistics were last reset, empty if never
  std::string scope_schema;       // report only on objects of this schema ("" = all)

  bool InScope(const Table& table) const {
    return scope_schema.empty() || table.schema == scope_schema;
  }

  std::shared_ptr<const DefinitionSource> definitions;  // set by the server loader

  // The index's CREATE INDEX statement: Index::definition when filled (unit tests), else
  // from `definitions`.
  const std::string& IndexDefinition(const Index& index) const {
    if (!index.definition.empty() || definitions == nullptr) return index.definition;
    return definitions->IndexDefinition(*this, index);
  }

  const Table* FindTable(ObjectId id) const;
  const CheckConstraintInfo* FindConstraint(ObjectId id) const;
  // The table's indexes, in OID order; valid until the next Link() (filled by it).
  const std::vector<const Index*>& IndexesOf(ObjectId table_id) const;
  // Leaf partitions of a table (the table itself when it is not partitioned).
  std::vector<const Table*> Leaves(ObjectId table_id) const;

  void AddIndex(Index index);
  // Fills children, qualified names and by-id/by-table lookups after tables and indexes are
  // added. Tables added later are still found (FindTable falls back to `tables`).
  void Link();

 private:
  // IndexesOf: table id -> position in indexes_by_table_, each list's pointers into `indexes`.
  ObjectIndex table_positions_;
  std::vector<std::vector<const Index*>> indexes_by_table_;
  ObjectIndex constraint_positions_;  // id -> position in `constraints`
};

// Qualified, quoted names for messages and DDL: the name cached by Catalog::Link(), or
// built when there is none (an object not yet linked).
std::string QualifiedName(const Table& table);
std::string QualifiedName(const Index& index);

}  // namespace dbopt

namespace dbopt {

// Answers "is this partial index's predicate implied by these columns being non-null?".
// The server implements it with the planner's predicate prover; unit tests with a fake.
class PredicateOracle {
 public:
  virtual ~PredicateOracle() = default;
  virtual bool ImpliedByNotNull(const Index& index,
                                const std::vector<std::string>& columns) const = 0;
};

}  // namespace dbopt
