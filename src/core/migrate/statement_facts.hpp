// Statement facts: a PostgreSQL-free description of one SQL statement of a migration script,
// what the lint rules (lint.hpp) read. Two walkers fill them from the same grammar:
//   * the server (src/pg/lint_facts.cpp) from raw_parser()'s RawStmt list, for
//     dbopt_lint_sql(text);
//   * the CLI from libpg_query's protobuf parse tree, for offline `dbopt migrate lint`.
// Both see the same nodes, so the rules below say which node field each fact comes from.
//
// Conventions (both walkers follow them):
//  * Names are as the parser returns them: unquoted identifiers already folded to lower
//    case, quoted ones verbatim, never quoted again here. An unqualified name has an empty
//    schema.
//  * Only what a rule needs is described; a statement or subcommand the walker does not know
//    is kind kOther (with its node name in `node`), which no rule flags.
//  * Plain structs with public members and value semantics: a walker fills them field by
//    field; nothing here allocates outside the STL or refers to parser memory.
#pragma once
#include "core/common/no_postgres.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace dbopt::migrate {

// A relation, type or function name as written (RangeVar schemaname/relname; the last two
// elements of a names list).
struct QualifiedName {
  std::string schema;  // empty when unqualified
  std::string name;
  bool empty() const { return name.empty(); }
};

// A column's type (TypeName). `name` is the last element of TypeName.names and `schema` the
// one before it: the grammar spells SQL-standard types with their internal names under
// pg_catalog (integer -> pg_catalog.int4, varchar(20) -> pg_catalog.varchar, char(5) ->
// pg_catalog.bpchar, timestamp -> pg_catalog.timestamp, timestamp with time zone ->
// pg_catalog.timestamptz); other spellings stay as written (int4, serial, text, json,
// timestamptz). The rules normalize aliases (NormalizeTypeName in lint.hpp).
struct TypeFacts {
  QualifiedName name;
  // Integer type modifiers as written (TypeName.typmods: varchar(20) -> {20}, numeric(10,2)
  // -> {10, 2}); a non-integer modifier is left out and sets `other_modifiers`.
  std::vector<std::int64_t> modifiers;
  bool other_modifiers = false;
  bool is_array = false;  // TypeName.arrayBounds non-empty
  bool empty() const { return name.empty(); }
};

enum class Volatility { kUnknown, kImmutable, kStable, kVolatile };

// A DEFAULT expression (Constraint CONSTR_DEFAULT raw_expr, or AT_ColumnDefault def).
struct DefaultFacts {
  bool present = false;
  // A literal, NULL, or a cast of one (A_Const, TypeCast of an A_Const): immutable.
  bool constant = false;
  // Functions the expression calls (FuncCall.funcname), in order; empty when none.
  std::vector<QualifiedName> functions;
  // SQLValueFunction (CURRENT_TIMESTAMP, CURRENT_DATE, LOCALTIMESTAMP, CURRENT_USER ...):
  // stable, evaluated once per statement.
  bool sql_value_function = false;
  // What the walker knows for sure (kUnknown almost always): the rules decide from the
  // above and the schema (FunctionVolatility) when it is kUnknown.
  Volatility volatility = Volatility::kUnknown;
};

// A constraint, table-level (CREATE TABLE, ALTER TABLE ADD CONSTRAINT) or written on a
// column (then `columns` is that column).
struct ConstraintFacts {
  enum class Kind { kOther, kCheck, kForeignKey, kUnique, kPrimaryKey, kExclusion };
  Kind kind = Kind::kOther;
  std::string name;                             // Constraint.conname, empty if not given
  bool not_valid = false;                       // Constraint.skip_validation (NOT VALID)
  std::string using_index;                      // Constraint.indexname (UNIQUE/PK USING INDEX)
  std::vector<std::string> columns;             // keys (UNIQUE/PK), fk_attrs (FOREIGN KEY)
  QualifiedName referenced_table;               // Constraint.pktable
  std::vector<std::string> referenced_columns;  // Constraint.pk_attrs
  // CHECK (column IS NOT NULL) and nothing else (raw_expr a NullTest IS_NOT_NULL on a
  // one-name ColumnRef): that column; empty otherwise. The safe SET NOT NULL pattern.
  std::string not_null_column;
};

// A column definition (ColumnDef) in CREATE TABLE or ALTER TABLE ADD COLUMN.
struct ColumnFacts {
  std::string name;
  TypeFacts type;
  bool not_null = false;  // NOT NULL (CONSTR_NOTNULL) or ColumnDef.is_not_null
  DefaultFacts default_value;
  enum class Identity { kNone, kAlways, kByDefault };
  Identity identity = Identity::kNone;  // GENERATED ... AS IDENTITY (CONSTR_IDENTITY)
  bool generated_stored = false;        // GENERATED ALWAYS AS (...) STORED (CONSTR_GENERATED)
  // PRIMARY KEY, UNIQUE, CHECK, REFERENCES written on the column; columns = {name}.
  std::vector<ConstraintFacts> constraints;
};

// One ALTER TABLE subcommand (AlterTableCmd), or a rename (RenameStmt on a table or column),
// which is described as a subcommand of an ALTER TABLE too.
struct AlterCommandFacts {
  enum class Kind {
    kOther,
    kAddColumn,             // AT_AddColumn: `column`
    kDropColumn,            // AT_DropColumn: `name`
    kAlterColumnType,       // AT_AlterColumnType: `name`, `type`, `has_using`
    kSetNotNull,            // AT_SetNotNull: `name`
    kDropNotNull,           // AT_DropNotNull: `name`
    kSetDefault,            // AT_ColumnDefault with a def: `name`, `column.default_value`
    kDropDefault,           // AT_ColumnDefault without a def: `name`
    kAddConstraint,         // AT_AddConstraint (and AT_AddIndexConstraint): `constraint`
    kValidateConstraint,    // AT_ValidateConstraint: `name`
    kDropConstraint,        // AT_DropConstraint: `name`
    kRenameColumn,          // RenameStmt OBJECT_COLUMN: `name` -> `new_name`
    kRenameTable,           // RenameStmt OBJECT_TABLE: `new_name`
    kRenameConstraint,      // RenameStmt OBJECT_TABCONSTRAINT: `name` -> `new_name`
    kSetSchema,             // AlterObjectSchemaStmt OBJECT_TABLE: `new_name` = new schema
    kAttachPartition,       // AT_AttachPartition: `partition` (PartitionCmd.name)
    kDetachPartition,       // AT_DetachPartition (`concurrently`: PartitionCmd.concurrent) and
                            // AT_DetachPartitionFinalize (`finalize`): `partition`
    kEnableDisableTrigger,  // AT_EnableTrig, AT_DisableTrig and their ALWAYS / REPLICA / ALL /
                            // USER forms
  };
  Kind kind = Kind::kOther;
  std::string node;            // the AlterTableType's name for kOther (e.g. "AT_SetTableSpace")
  std::string name;            // the column or constraint the subcommand names
  std::string new_name;        // renames
  ColumnFacts column;          // kAddColumn (column.name == name)
  TypeFacts type;              // kAlterColumnType
  bool has_using = false;      // kAlterColumnType: USING expression given
  ConstraintFacts constraint;  // kAddConstraint
  bool if_exists = false;      // DROP COLUMN/CONSTRAINT IF EXISTS (missing_ok)
  bool cascade = false;        // DROP ... CASCADE (behavior)
  QualifiedName partition;     // kAttachPartition, kDetachPartition
  bool concurrently = false;   // kDetachPartition: DETACH PARTITION ... CONCURRENTLY
  bool finalize = false;       // kDetachPartition: DETACH PARTITION ... FINALIZE
};

enum class StatementKind {
  kOther,          // anything else (`node` names it: "SelectStmt", "VacuumStmt" ...)
  kCreateTable,    // CreateStmt
  kAlterTable,     // AlterTableStmt on a table (relkind OBJECT_TABLE), RenameStmt on a table,
                   // column or table constraint, AlterObjectSchemaStmt on a table
  kDropTable,      // DropStmt OBJECT_TABLE: `objects`
  kCreateIndex,    // IndexStmt: `index`
  kDropIndex,      // DropStmt OBJECT_INDEX: `objects`, `concurrently`
  kReindex,        // ReindexStmt: `reindex_target`, `concurrently`
  kSet,            // VariableSetStmt (SET, SET LOCAL, RESET): `setting`
  kTransaction,    // TransactionStmt: `transaction`
  kTruncate,       // TruncateStmt: `objects` (its relations)
  kLockTable,      // LockStmt: `objects` (its relations), `lock_mode`
  kCreateTrigger,  // CreateTrigStmt: `relation`
  kDropTrigger,    // DropStmt OBJECT_TRIGGER: `relation` (the names list without its last
                   // element, the trigger's name)
  kCreateTableAs,  // CreateTableAsStmt (CREATE TABLE ... AS, CREATE MATERIALIZED VIEW):
                   // `relation` (IntoClause.rel), `materialized_view`, `with_no_data`
  kRefreshMaterializedView,  // RefreshMatViewStmt: `relation`, `concurrently`, `with_no_data`
  kCluster,  // ClusterStmt: `relation` (empty: every table clustered before), `index_name`
  kVacuum,   // VacuumStmt with is_vacuumcmd (VACUUM, not ANALYZE): `objects`
             // (VacuumRelation.relation; none: every table), `vacuum_full`
};

// A table-level lock mode, numbered as PostgreSQL numbers them (lockdefs.h: LockStmt.mode).
enum class LockMode {
  kNone = 0,
  kAccessShare = 1,
  kRowShare = 2,
  kRowExclusive = 3,
  kShareUpdateExclusive = 4,
  kShare = 5,
  kShareRowExclusive = 6,
  kExclusive = 7,
  kAccessExclusive = 8,
};

struct IndexFacts {
  std::string name;  // IndexStmt.idxname, empty when not given
  bool unique = false;
  bool if_not_exists = false;
  // Key columns (IndexElem.name); an expression key is an empty string.
  std::vector<std::string> columns;
  std::vector<std::string> include_columns;
  std::string access_method;  // IndexStmt.accessMethod as written ("btree" when omitted)
  bool partial = false;       // WHERE clause
  bool only = false;          // ON ONLY (RangeVar.inh false)
};

struct SetFacts {
  std::string name;  // VariableSetStmt.name, lower case ("lock_timeout")
  // The value as written (A_Const: "5s", "5000", "0"); empty for RESET / SET ... TO DEFAULT.
  std::string value;
  bool is_local = false;  // SET LOCAL
  bool reset = false;     // RESET, RESET ALL, SET ... TO DEFAULT
};

enum class TransactionKind { kOther, kBegin, kCommit, kRollback };

struct StatementFacts {
  int number = 0;    // 1-based position in the script
  int line = 0;      // 1-based line of its first token (see StatementStart below)
  std::string text;  // its text, from its first token, without the trailing semicolon
  StatementKind kind = StatementKind::kOther;
  std::string node;           // the parse node's name ("CreateStmt", "VacuumStmt" ...)
  QualifiedName relation;     // the target table (ALTER/CREATE TABLE, CREATE INDEX ON, REINDEX)
  bool if_exists = false;     // ALTER TABLE IF EXISTS, DROP ... IF EXISTS, CREATE ... IF NOT EXISTS
  bool concurrently = false;  // CREATE/DROP INDEX, REINDEX, REFRESH MATERIALIZED VIEW
  bool cascade = false;       // DROP ... CASCADE

  // kCreateTable
  std::vector<ColumnFacts> columns;
  std::vector<ConstraintFacts> constraints;  // table constraints
  bool temporary = false;                    // TEMP/TEMPORARY table
  bool partition_of = false;                 // CREATE TABLE ... PARTITION OF
  // CreateStmt.inhRelations: the parent of PARTITION OF, the tables of INHERITS (...).
  std::vector<QualifiedName> parents;

  // kAlterTable
  std::vector<AlterCommandFacts> commands;

  // kDropTable, kDropIndex, kTruncate, kLockTable: every object named
  std::vector<QualifiedName> objects;

  // kLockTable: LockStmt.mode (LOCK TABLE without a mode: ACCESS EXCLUSIVE)
  LockMode lock_mode = LockMode::kNone;
  bool nowait = false;  // kLockTable: NOWAIT (fails at once instead of waiting)

  // kCreateIndex
  IndexFacts index;

  // kReindex: INDEX / TABLE name in `relation`; SCHEMA/DATABASE/SYSTEM name in
  // `reindex_target` with relation empty.
  enum class ReindexKind { kIndex, kTable, kSchema, kDatabase, kSystem };
  ReindexKind reindex_kind = ReindexKind::kIndex;
  std::string reindex_target;

  // kSet
  SetFacts setting;

  // kCreateTableAs: CREATE MATERIALIZED VIEW (objtype OBJECT_MATVIEW); kCreateTableAs and
  // kRefreshMaterializedView: WITH NO DATA (IntoClause.skipData, RefreshMatViewStmt.skipData)
  bool materialized_view = false;
  bool with_no_data = false;
  // kCluster: ClusterStmt.indexname (USING index), empty when not given
  std::string index_name;
  // kVacuum: the FULL option (a DefElem "full" that is not false)
  bool vacuum_full = false;

  // kTransaction
  TransactionKind transaction = TransactionKind::kOther;
};

// Where a statement of `script` really starts: from `location` (RawStmt.stmt_location, a byte
// offset that may point at the whitespace and comments after the previous semicolon) past
// whitespace and comments. `length` is RawStmt.stmt_len (0: to the end of the script).
// Returns the 1-based line of the first token and the text from there (trailing whitespace
// and a final semicolon removed).
struct StatementPosition {
  int line = 1;
  std::string text;
};
StatementPosition StatementStart(const std::string& script, int location, int length);

// 1-based line and column (in characters, not bytes) of a 0-based byte offset in `script`.
struct LineColumn {
  int line = 1;
  int column = 1;
};
LineColumn LineAndColumn(const std::string& script, int offset);
// The byte offset of the 0-based character `characters` of UTF-8 `script` (the parser reports
// error positions in characters); clamped to the script's size.
int CharacterOffset(const std::string& script, int characters);
// The text of the 1-based line `line` (without its line break), "" past the end.
std::string LineText(const std::string& script, int line);

}  // namespace dbopt::migrate
