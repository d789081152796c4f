// Raw parse tree -> statement facts, for dbopt_lint_sql (fn_lint.cpp). The field each fact
// comes from is documented with the fact (statement_facts.hpp); the CLI's libpg_query walker
// reads the same fields from the protobuf tree.
#include "pg/lint_facts.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace dbopt::pg {

namespace {

using migrate::AlterCommandFacts;
using migrate::ColumnFacts;
using migrate::ConstraintFacts;
using migrate::DefaultFacts;
using migrate::QualifiedName;
using migrate::StatementFacts;
using migrate::StatementKind;
using migrate::TypeFacts;

std::string Str(const char* s) {
  return s == nullptr ? std::string() : std::string(s);
}

// The String elements of a names list.
std::vector<std::string> Names(const List* list) {
  std::vector<std::string> names;
  const ListCell* cell;
  foreach (cell, list) {
    const Node* node = static_cast<const Node*>(lfirst(cell));
    if (node != nullptr && IsA(node, String)) names.push_back(strVal(node));
  }
  return names;
}

// The last two names of a qualified name list (catalog.schema.name: the catalog is dropped).
QualifiedName NameOf(const List* list) {
  std::vector<std::string> names = Names(list);
  QualifiedName name;
  if (!names.empty()) name.name = names.back();
  if (names.size() >= 2) name.schema = names[names.size() - 2];
  return name;
}

QualifiedName NameOf(const RangeVar* relation) {
  QualifiedName name;
  if (relation != nullptr) {
    name.schema = Str(relation->schemaname);
    name.name = Str(relation->relname);
  }
  return name;
}

// The RangeVar elements of a list (TRUNCATE's and LOCK's relations, INHERITS).
std::vector<QualifiedName> Relations(const List* list) {
  std::vector<QualifiedName> names;
  const ListCell* cell;
  foreach (cell, list) {
    const Node* node = static_cast<const Node*>(lfirst(cell));
    if (node != nullptr && IsA(node, RangeVar))
      names.push_back(NameOf(reinterpret_cast<const RangeVar*>(node)));
  }
  return names;
}

TypeFacts TypeOf(const TypeName* type) {
  TypeFacts facts;
  if (type == nullptr) return facts;
  facts.name = NameOf(type->names);
  const ListCell* cell;
  foreach (cell, type->typmods) {
    const Node* node = static_cast<const Node*>(lfirst(cell));
    if (node != nullptr && IsA(node, A_Const) && !reinterpret_cast<const A_Const*>(node)->isnull &&
        IsA(&reinterpret_cast<const A_Const*>(node)->val, Integer))
      facts.modifiers.push_back(intVal(&reinterpret_cast<const A_Const*>(node)->val));
    else
      facts.other_modifiers = true;
  }
  facts.is_array = type->arrayBounds != NIL;
  return facts;
}

// What a DEFAULT expression calls. Walks the raw expression node types a default usually
// has; anything else makes it non-constant and is not looked into.
void WalkDefault(const Node* node, DefaultFacts* facts, bool* constant) {
  if (node == nullptr) return;
  const ListCell* cell;
  switch (nodeTag(node)) {
    case T_A_Const:
      return;
    case T_TypeCast:
      WalkDefault(reinterpret_cast<const TypeCast*>(node)->arg, facts, constant);
      return;
    case T_List:
      foreach (cell, reinterpret_cast<const List*>(node))
        WalkDefault(static_cast<const Node*>(lfirst(cell)), facts, constant);
      return;
    case T_FuncCall: {
      const FuncCall* call = reinterpret_cast<const FuncCall*>(node);
      *constant = false;
      facts->functions.push_back(NameOf(call->funcname));
      WalkDefault(reinterpret_cast<const Node*>(call->args), facts, constant);
      return;
    }
    case T_SQLValueFunction:
      *constant = false;
      facts->sql_value_function = true;
      return;
    case T_A_Expr: {
      const A_Expr* expr = reinterpret_cast<const A_Expr*>(node);
      *constant = false;
      WalkDefault(expr->lexpr, facts, constant);
      WalkDefault(expr->rexpr, facts, constant);
      return;
    }
    case T_BoolExpr:
      *constant = false;
      WalkDefault(reinterpret_cast<const Node*>(reinterpret_cast<const BoolExpr*>(node)->args),
                  facts, constant);
      return;
    case T_CoalesceExpr:
      *constant = false;
      WalkDefault(reinterpret_cast<const Node*>(reinterpret_cast<const CoalesceExpr*>(node)->args),
                  facts, constant);
      return;
    case T_MinMaxExpr:
      *constant = false;
      WalkDefault(reinterpret_cast<const Node*>(reinterpret_cast<const MinMaxExpr*>(node)->args),
                  facts, constant);
      return;
    case T_A_ArrayExpr:
      *constant = false;
      WalkDefault(
          reinterpret_cast<const Node*>(reinterpret_cast<const A_ArrayExpr*>(node)->elements),
          facts, constant);
      return;
    case T_CaseExpr: {
      const CaseExpr* expr = reinterpret_cast<const CaseExpr*>(node);
      *constant = false;
      WalkDefault(reinterpret_cast<const Node*>(expr->arg), facts, constant);
      foreach (cell, expr->args) {
        const CaseWhen* when = static_cast<const CaseWhen*>(lfirst(cell));
        WalkDefault(reinterpret_cast<const Node*>(when->expr), facts, constant);
        WalkDefault(reinterpret_cast<const Node*>(when->result), facts, constant);
      }
      WalkDefault(reinterpret_cast<const Node*>(expr->defresult), facts, constant);
      return;
    }
    default:
      *constant = false;
      return;
  }
}

DefaultFacts DefaultOf(const Node* expression) {
  DefaultFacts facts;
  if (expression == nullptr) return facts;
  facts.present = true;
  bool constant = true;
  WalkDefault(expression, &facts, &constant);
  facts.constant = constant;
  return facts;
}

// CHECK (column IS NOT NULL): the column.
std::string NotNullColumn(const Node* expression) {
  if (expression == nullptr || !IsA(expression, NullTest)) return "";
  const NullTest* test = reinterpret_cast<const NullTest*>(expression);
  if (test->nulltesttype != IS_NOT_NULL || test->arg == nullptr || !IsA(test->arg, ColumnRef))
    return "";
  std::vector<std::string> fields = Names(reinterpret_cast<const ColumnRef*>(test->arg)->fields);
  return fields.size() == 1 ? fields[0] : "";
}

// A PRIMARY KEY, UNIQUE, CHECK, FOREIGN KEY or EXCLUDE constraint; `column` for one written
// on a column. False for the others (NOT NULL, DEFAULT, identity ... are column facts).
bool ConstraintOf(const Constraint* c, const std::string& column, ConstraintFacts* facts) {
  using Kind = ConstraintFacts::Kind;
  switch (c->contype) {
    case CONSTR_CHECK:
      facts->kind = Kind::kCheck;
      facts->not_null_column = NotNullColumn(c->raw_expr);
      break;
    case CONSTR_PRIMARY:
      facts->kind = Kind::kPrimaryKey;
      facts->columns = Names(c->keys);
      break;
    case CONSTR_UNIQUE:
      facts->kind = Kind::kUnique;
      facts->columns = Names(c->keys);
      break;
    case CONSTR_EXCLUSION: {
      facts->kind = Kind::kExclusion;
      const ListCell* cell;
      foreach (cell, c->exclusions) {
        const List* pair = static_cast<const List*>(lfirst(cell));
        const Node* element = pair != NIL ? static_cast<const Node*>(linitial(pair)) : nullptr;
        if (element != nullptr && IsA(element, IndexElem))
          facts->columns.push_back(Str(reinterpret_cast<const IndexElem*>(element)->name));
      }
      break;
    }
    case CONSTR_FOREIGN:
      facts->kind = Kind::kForeignKey;
      facts->columns = Names(c->fk_attrs);
      facts->referenced_table = NameOf(c->pktable);
      facts->referenced_columns = Names(c->pk_attrs);
      break;
    default:
      return false;
  }
  facts->name = Str(c->conname);
  facts->not_valid = c->skip_validation;
  facts->using_index = Str(c->indexname);
  if (facts->columns.empty() && !column.empty() && facts->kind != Kind::kCheck)
    facts->columns = {column};
  return true;
}

ColumnFacts ColumnOf(const ColumnDef* def) {
  ColumnFacts column;
  column.name = Str(def->colname);
  column.type = TypeOf(def->typeName);
  column.not_null = def->is_not_null;
  if (def->raw_default != nullptr) column.default_value = DefaultOf(def->raw_default);
  const ListCell* cell;
  foreach (cell, def->constraints) {
    const Node* node = static_cast<const Node*>(lfirst(cell));
    if (node == nullptr || !IsA(node, Constraint)) continue;
    const Constraint* c = reinterpret_cast<const Constraint*>(node);
    switch (c->contype) {
      case CONSTR_NOTNULL:
        column.not_null = true;
        break;
      case CONSTR_DEFAULT:
        column.default_value = DefaultOf(c->raw_expr);
        break;
      case CONSTR_IDENTITY:
        column.identity = c->generated_when == ATTRIBUTE_IDENTITY_ALWAYS
                              ? ColumnFacts::Identity::kAlways
                              : ColumnFacts::Identity::kByDefault;
        break;
      case CONSTR_GENERATED:
        column.generated_stored = true;
        break;
      default: {
        ConstraintFacts facts;
        if (ConstraintOf(c, column.name, &facts)) column.constraints.push_back(facts);
        break;
      }
    }
  }
  return column;
}

const char* AlterTypeName(AlterTableType type) {
  switch (type) {
    case AT_SetStatistics:
      return "AT_SetStatistics";
    case AT_SetOptions:
      return "AT_SetOptions";
    case AT_ResetOptions:
      return "AT_ResetOptions";
    case AT_ClusterOn:
      return "AT_ClusterOn";
    case AT_DropCluster:
      return "AT_DropCluster";
    case AT_SetTableSpace:
      return "AT_SetTableSpace";
    case AT_SetLogged:
      return "AT_SetLogged";
    case AT_SetUnLogged:
      return "AT_SetUnLogged";
    default:
      return "AT_Other";
  }
}

AlterCommandFacts CommandOf(const AlterTableCmd* cmd) {
  using Kind = AlterCommandFacts::Kind;
  AlterCommandFacts command;
  command.name = Str(cmd->name);
  command.if_exists = cmd->missing_ok;
  command.cascade = cmd->behavior == DROP_CASCADE;
  switch (cmd->subtype) {
    case AT_AddColumn:
      if (cmd->def != nullptr && IsA(cmd->def, ColumnDef)) {
        command.kind = Kind::kAddColumn;
        command.column = ColumnOf(reinterpret_cast<const ColumnDef*>(cmd->def));
        command.name = command.column.name;
      }
      break;
    case AT_DropColumn:
      command.kind = Kind::kDropColumn;
      break;
    case AT_AlterColumnType:
      command.kind = Kind::kAlterColumnType;
      if (cmd->def != nullptr && IsA(cmd->def, ColumnDef)) {
        const ColumnDef* def = reinterpret_cast<const ColumnDef*>(cmd->def);
        command.type = TypeOf(def->typeName);
        command.has_using = def->raw_default != nullptr;
      }
      break;
    case AT_SetNotNull:
      command.kind = Kind::kSetNotNull;
      break;
    case AT_DropNotNull:
      command.kind = Kind::kDropNotNull;
      break;
    case AT_ColumnDefault:
      command.kind = cmd->def != nullptr ? Kind::kSetDefault : Kind::kDropDefault;
      command.column.name = command.name;
      command.column.default_value = DefaultOf(cmd->def);
      break;
    case AT_AddConstraint:
      if (cmd->def != nullptr && IsA(cmd->def, Constraint) &&
          ConstraintOf(reinterpret_cast<const Constraint*>(cmd->def), "", &command.constraint)) {
        command.kind = Kind::kAddConstraint;
        command.name = command.constraint.name;
      }
      break;
    case AT_ValidateConstraint:
      command.kind = Kind::kValidateConstraint;
      break;
    case AT_DropConstraint:
      command.kind = Kind::kDropConstraint;
      break;
    case AT_AttachPartition:
    case AT_DetachPartition:
    case AT_DetachPartitionFinalize:
      command.kind =
          cmd->subtype == AT_AttachPartition ? Kind::kAttachPartition : Kind::kDetachPartition;
      command.finalize = cmd->subtype == AT_DetachPartitionFinalize;
      if (cmd->def != nullptr && IsA(cmd->def, PartitionCmd)) {
        const PartitionCmd* partition = reinterpret_cast<const PartitionCmd*>(cmd->def);
        command.partition = NameOf(partition->name);
        command.concurrently = partition->concurrent;
      }
      break;
    case AT_EnableTrig:
    case AT_EnableAlwaysTrig:
    case AT_EnableReplicaTrig:
    case AT_DisableTrig:
    case AT_EnableTrigAll:
    case AT_DisableTrigAll:
    case AT_EnableTrigUser:
    case AT_DisableTrigUser:
      command.kind = Kind::kEnableDisableTrigger;
      break;
    default:
      break;
  }
  if (command.kind == Kind::kOther) command.node = AlterTypeName(cmd->subtype);
  return command;
}

// DefElem boolean option as written (REINDEX (CONCURRENTLY [true|false])).
bool OptionTrue(const DefElem* option) {
  if (option->arg == nullptr) return true;
  if (IsA(option->arg, Boolean)) return boolVal(option->arg);
  if (IsA(option->arg, Integer)) return intVal(option->arg) != 0;
  if (IsA(option->arg, String)) {
    const std::string value = strVal(option->arg);
    return !(value == "false" || value == "off" || value == "0" || value == "no");
  }
  return true;
}

std::string ConstValue(const Node* node) {
  if (node == nullptr || !IsA(node, A_Const)) return "";
  const A_Const* c = reinterpret_cast<const A_Const*>(node);
  if (c->isnull) return "";
  const Node* value = reinterpret_cast<const Node*>(&c->val);
  if (IsA(value, Integer)) return std::to_string(intVal(value));
  if (IsA(value, Float)) return Str(reinterpret_cast<const Float*>(value)->fval);
  if (IsA(value, String)) return strVal(value);
  if (IsA(value, Boolean)) return boolVal(value) ? "true" : "false";
  return "";
}

const char* NodeName(const Node* node) {
  switch (nodeTag(node)) {
    case T_SelectStmt:
      return "SelectStmt";
    case T_InsertStmt:
      return "InsertStmt";
    case T_UpdateStmt:
      return "UpdateStmt";
    case T_DeleteStmt:
      return "DeleteStmt";
    case T_TruncateStmt:
      return "TruncateStmt";
    case T_VacuumStmt:
      return "VacuumStmt";
    case T_ClusterStmt:
      return "ClusterStmt";
    case T_CreateTableAsStmt:
      return "CreateTableAsStmt";
    case T_ViewStmt:
      return "ViewStmt";
    case T_CreateFunctionStmt:
      return "CreateFunctionStmt";
    case T_CreateSeqStmt:
      return "CreateSeqStmt";
    case T_CommentStmt:
      return "CommentStmt";
    case T_GrantStmt:
      return "GrantStmt";
    case T_DoStmt:
      return "DoStmt";
    case T_CreateStmt:
      return "CreateStmt";
    case T_AlterTableStmt:
      return "AlterTableStmt";
    case T_RenameStmt:
      return "RenameStmt";
    case T_AlterObjectSchemaStmt:
      return "AlterObjectSchemaStmt";
    case T_DropStmt:
      return "DropStmt";
    case T_IndexStmt:
      return "IndexStmt";
    case T_ReindexStmt:
      return "ReindexStmt";
    case T_VariableSetStmt:
      return "VariableSetStmt";
    case T_TransactionStmt:
      return "TransactionStmt";
    case T_LockStmt:
      return "LockStmt";
    case T_CreateTrigStmt:
      return "CreateTrigStmt";
    case T_RefreshMatViewStmt:
      return "RefreshMatViewStmt";
    default:
      return "Other";
  }
}

void CreateTable(const CreateStmt* stmt, StatementFacts* s) {
  s->kind = StatementKind::kCreateTable;
  s->relation = NameOf(stmt->relation);
  s->if_exists = stmt->if_not_exists;
  s->temporary = stmt->relation != nullptr && stmt->relation->relpersistence == RELPERSISTENCE_TEMP;
  s->partition_of = stmt->partbound != nullptr;
  s->parents = Relations(stmt->inhRelations);
  const ListCell* cell;
  foreach (cell, stmt->tableElts) {
    const Node* element = static_cast<const Node*>(lfirst(cell));
    if (element == nullptr) continue;
    if (IsA(element, ColumnDef)) {
      s->columns.push_back(ColumnOf(reinterpret_cast<const ColumnDef*>(element)));
    } else if (IsA(element, Constraint)) {
      ConstraintFacts facts;
      if (ConstraintOf(reinterpret_cast<const Constraint*>(element), "", &facts))
        s->constraints.push_back(facts);
    }
  }
}

void AlterTable(const AlterTableStmt* stmt, StatementFacts* s) {
  if (stmt->objtype != OBJECT_TABLE) return;
  s->kind = StatementKind::kAlterTable;
  s->relation = NameOf(stmt->relation);
  s->if_exists = stmt->missing_ok;
  const ListCell* cell;
  foreach (cell, stmt->cmds) {
    const Node* node = static_cast<const Node*>(lfirst(cell));
    if (node != nullptr && IsA(node, AlterTableCmd))
      s->commands.push_back(CommandOf(reinterpret_cast<const AlterTableCmd*>(node)));
  }
}

void Rename(const RenameStmt* stmt, StatementFacts* s) {
  using Kind = AlterCommandFacts::Kind;
  AlterCommandFacts command;
  if (stmt->renameType == OBJECT_TABLE)
    command.kind = Kind::kRenameTable;
  else if (stmt->renameType == OBJECT_COLUMN && stmt->relationType == OBJECT_TABLE)
    command.kind = Kind::kRenameColumn;
  else if (stmt->renameType == OBJECT_TABCONSTRAINT)
    command.kind = Kind::kRenameConstraint;
  else
    return;
  command.name = Str(stmt->subname);
  command.new_name = Str(stmt->newname);
  s->kind = StatementKind::kAlterTable;
  s->relation = NameOf(stmt->relation);
  s->if_exists = stmt->missing_ok;
  s->commands.push_back(command);
}

void Drop(const DropStmt* stmt, StatementFacts* s) {
  if (stmt->removeType == OBJECT_TRIGGER) {
    // objects: one names list, [schema,] table, trigger
    if (list_length(stmt->objects) != 1 || !IsA(linitial(stmt->objects), List)) return;
    std::vector<std::string> names = Names(static_cast<const List*>(linitial(stmt->objects)));
    if (names.size() < 2) return;
    s->kind = StatementKind::kDropTrigger;
    s->if_exists = stmt->missing_ok;
    s->relation.name = names[names.size() - 2];
    if (names.size() >= 3) s->relation.schema = names[names.size() - 3];
    return;
  }
  if (stmt->removeType == OBJECT_TABLE)
    s->kind = StatementKind::kDropTable;
  else if (stmt->removeType == OBJECT_INDEX)
    s->kind = StatementKind::kDropIndex;
  else
    return;
  s->if_exists = stmt->missing_ok;
  s->concurrently = stmt->concurrent;
  s->cascade = stmt->behavior == DROP_CASCADE;
  const ListCell* cell;
  foreach (cell, stmt->objects) {
    const Node* object = static_cast<const Node*>(lfirst(cell));
    if (object != nullptr && IsA(object, List))
      s->objects.push_back(NameOf(reinterpret_cast<const List*>(object)));
  }
}

void Index(const IndexStmt* stmt, StatementFacts* s) {
  s->kind = StatementKind::kCreateIndex;
  s->relation = NameOf(stmt->relation);
  s->concurrently = stmt->concurrent;
  s->if_exists = stmt->if_not_exists;
  s->index.name = Str(stmt->idxname);
  s->index.unique = stmt->unique;
  s->index.if_not_exists = stmt->if_not_exists;
  s->index.access_method = Str(stmt->accessMethod);
  s->index.partial = stmt->whereClause != nullptr;
  s->index.only = stmt->relation != nullptr && !stmt->relation->inh;
  const ListCell* cell;
  foreach (cell, stmt->indexParams) {
    const Node* node = static_cast<const Node*>(lfirst(cell));
    s->index.columns.push_back(node != nullptr && IsA(node, IndexElem)
                                   ? Str(reinterpret_cast<const IndexElem*>(node)->name)
                                   : std::string());
  }
  foreach (cell, stmt->indexIncludingParams) {
    const Node* node = static_cast<const Node*>(lfirst(cell));
    if (node != nullptr && IsA(node, IndexElem))
      s->index.include_columns.push_back(Str(reinterpret_cast<const IndexElem*>(node)->name));
  }
}

void Reindex(const ReindexStmt* stmt, StatementFacts* s) {
  using Kind = StatementFacts::ReindexKind;
  s->kind = StatementKind::kReindex;
  switch (stmt->kind) {
    case REINDEX_OBJECT_INDEX:
      s->reindex_kind = Kind::kIndex;
      break;
    case REINDEX_OBJECT_TABLE:
      s->reindex_kind = Kind::kTable;
      break;
    case REINDEX_OBJECT_SCHEMA:
      s->reindex_kind = Kind::kSchema;
      break;
    case REINDEX_OBJECT_SYSTEM:
      s->reindex_kind = Kind::kSystem;
      break;
    case REINDEX_OBJECT_DATABASE:
      s->reindex_kind = Kind::kDatabase;
      break;
  }
  s->relation = NameOf(stmt->relation);
  s->reindex_target = Str(stmt->name);
  const ListCell* cell;
  foreach (cell, stmt->params) {
    const Node* node = static_cast<const Node*>(lfirst(cell));
    if (node != nullptr && IsA(node, DefElem) &&
        Str(reinterpret_cast<const DefElem*>(node)->defname) == "concurrently")
      s->concurrently = OptionTrue(reinterpret_cast<const DefElem*>(node));
  }
}

void Set(const VariableSetStmt* stmt, StatementFacts* s) {
  switch (stmt->kind) {
    case VAR_SET_VALUE:
      s->setting.value = stmt->args != NIL
                             ? ConstValue(static_cast<const Node*>(linitial(stmt->args)))
                             : std::string();
      break;
    case VAR_SET_DEFAULT:
    case VAR_RESET:
    case VAR_RESET_ALL:
      s->setting.reset = true;
      break;
    default:
      return;  // SET ... FROM CURRENT, SET TRANSACTION ...: not tracked
  }
  s->kind = StatementKind::kSet;
  s->setting.name = stmt->kind == VAR_RESET_ALL ? "all" : Str(stmt->name);
  s->setting.is_local = stmt->is_local;
}

void Transaction(const TransactionStmt* stmt, StatementFacts* s) {
  using migrate::TransactionKind;
  s->kind = StatementKind::kTransaction;
  switch (stmt->kind) {
    case TRANS_STMT_BEGIN:
    case TRANS_STMT_START:
      s->transaction = TransactionKind::kBegin;
      break;
    case TRANS_STMT_COMMIT:
    case TRANS_STMT_PREPARE:  // PREPARE TRANSACTION ends the block too
      s->transaction = TransactionKind::kCommit;
      break;
    case TRANS_STMT_ROLLBACK:
      s->transaction = TransactionKind::kRollback;
      break;
    default:
      s->transaction = TransactionKind::kOther;
      break;
  }
}

}  // namespace

migrate::StatementFacts LintFacts(const RawStmt* raw, const std::string& script, int number) {
  StatementFacts s;
  s.number = number;
  migrate::StatementPosition position =
      migrate::StatementStart(script, raw->stmt_location, raw->stmt_len);
  s.line = position.line;
  s.text = position.text;
  const Node* node = raw->stmt;
  if (node == nullptr) return s;
  s.node = NodeName(node);
  switch (nodeTag(node)) {
    case T_CreateStmt:
      CreateTable(reinterpret_cast<const CreateStmt*>(node), &s);
      break;
    case T_AlterTableStmt:
      AlterTable(reinterpret_cast<const AlterTableStmt*>(node), &s);
      break;
    case T_RenameStmt:
      Rename(reinterpret_cast<const RenameStmt*>(node), &s);
      break;
    case T_AlterObjectSchemaStmt: {
      const AlterObjectSchemaStmt* stmt = reinterpret_cast<const AlterObjectSchemaStmt*>(node);
      if (stmt->objectType != OBJECT_TABLE) break;
      AlterCommandFacts command;
      command.kind = AlterCommandFacts::Kind::kSetSchema;
      command.new_name = Str(stmt->newschema);
      s.kind = StatementKind::kAlterTable;
      s.relation = NameOf(stmt->relation);
      s.if_exists = stmt->missing_ok;
      s.commands.push_back(command);
      break;
    }
    case T_DropStmt:
      Drop(reinterpret_cast<const DropStmt*>(node), &s);
      break;
    case T_IndexStmt:
      Index(reinterpret_cast<const IndexStmt*>(node), &s);
      break;
    case T_ReindexStmt:
      Reindex(reinterpret_cast<const ReindexStmt*>(node), &s);
      break;
    case T_VariableSetStmt:
      Set(reinterpret_cast<const VariableSetStmt*>(node), &s);
      break;
    case T_TransactionStmt:
      Transaction(reinterpret_cast<const TransactionStmt*>(node), &s);
      break;
    case T_TruncateStmt:
      s.kind = StatementKind::kTruncate;
      s.objects = Relations(reinterpret_cast<const TruncateStmt*>(node)->relations);
      break;
    case T_LockStmt: {
      const LockStmt* stmt = reinterpret_cast<const LockStmt*>(node);
      s.kind = StatementKind::kLockTable;
      s.objects = Relations(stmt->relations);
      if (stmt->mode >= 1 && stmt->mode <= 8)
        s.lock_mode = static_cast<migrate::LockMode>(stmt->mode);
      s.nowait = stmt->nowait;
      break;
    }
    case T_CreateTableAsStmt: {
      const CreateTableAsStmt* stmt = reinterpret_cast<const CreateTableAsStmt*>(node);
      if (stmt->into == nullptr) break;
      s.kind = StatementKind::kCreateTableAs;
      s.relation = NameOf(stmt->into->rel);
      s.if_exists = stmt->if_not_exists;
      s.materialized_view = stmt->objtype == OBJECT_MATVIEW;
      s.with_no_data = stmt->into->skipData;
      break;
    }
    case T_RefreshMatViewStmt: {
      const RefreshMatViewStmt* stmt = reinterpret_cast<const RefreshMatViewStmt*>(node);
      s.kind = StatementKind::kRefreshMaterializedView;
      s.relation = NameOf(stmt->relation);
      s.concurrently = stmt->concurrent;
      s.with_no_data = stmt->skipData;
      break;
    }
    case T_ClusterStmt: {
      const ClusterStmt* stmt = reinterpret_cast<const ClusterStmt*>(node);
      s.kind = StatementKind::kCluster;
      s.relation = NameOf(stmt->relation);
      s.index_name = Str(stmt->indexname);
      break;
    }
    case T_VacuumStmt: {
      const VacuumStmt* stmt = reinterpret_cast<const VacuumStmt*>(node);
      if (!stmt->is_vacuumcmd) break;  // ANALYZE
      s.kind = StatementKind::kVacuum;
      const ListCell* cell;
      foreach (cell, stmt->options) {
        const Node* option = static_cast<const Node*>(lfirst(cell));
        if (option != nullptr && IsA(option, DefElem) &&
            Str(reinterpret_cast<const DefElem*>(option)->defname) == "full")
          s.vacuum_full = OptionTrue(reinterpret_cast<const DefElem*>(option));
      }
      foreach (cell, stmt->rels) {
        const Node* relation = static_cast<const Node*>(lfirst(cell));
        if (relation != nullptr && IsA(relation, VacuumRelation))
          s.objects.push_back(NameOf(reinterpret_cast<const VacuumRelation*>(relation)->relation));
      }
      break;
    }
    case T_CreateTrigStmt:
      s.kind = StatementKind::kCreateTrigger;
      s.relation = NameOf(reinterpret_cast<const CreateTrigStmt*>(node)->relation);
      break;
    default:
      break;
  }
  return s;
}

}  // namespace dbopt::pg
