// Reads libpg_query's protobuf parse tree (typed C structs from protobuf-c, which is
// compiled into libpg_query.a) and writes the facts the lint rules read. Memory: the
// serialized tree is freed with pg_query_free_protobuf_parse_result, the unpacked one with
// pg_query__parse_result__free_unpacked; both by the scope objects below, on every path.
#include "cli/migrate/lint_convert.hpp"

#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <utility>

#include "cli/migrate/parse_options.hpp"

namespace dbopt::cli {
namespace {

using dbopt::migrate::AlterCommandFacts;
using dbopt::migrate::ColumnFacts;
using dbopt::migrate::ConstraintFacts;
using dbopt::migrate::DefaultFacts;
using dbopt::migrate::QualifiedName;
using dbopt::migrate::StatementFacts;
using dbopt::migrate::StatementKind;
using dbopt::migrate::TransactionKind;
using dbopt::migrate::TypeFacts;

struct ProtobufResult {
  PgQueryProtobufParseResult result;
  explicit ProtobufResult(const std::string& sql) : result(pg_query_parse_protobuf(sql.c_str())) {}
  ~ProtobufResult() { pg_query_free_protobuf_parse_result(result); }
  ProtobufResult(const ProtobufResult&) = delete;
  ProtobufResult& operator=(const ProtobufResult&) = delete;
};

struct TreeDeleter {
  void operator()(PgQuery__ParseResult* tree) const {
    pg_query__parse_result__free_unpacked(tree, nullptr);
  }
};
using Tree = std::unique_ptr<PgQuery__ParseResult, TreeDeleter>;

std::string Str(const char* text) {
  return text == nullptr ? std::string() : std::string(text);
}

bool Is(const PgQuery__Node* node, PgQuery__Node__NodeCase node_case) {
  return node != nullptr && node->node_case == node_case;
}

// The sval of a String node, "" for anything else.
std::string StringValue(const PgQuery__Node* node) {
  return Is(node, PG_QUERY__NODE__NODE_STRING) ? Str(node->string->sval) : std::string();
}

std::vector<std::string> StringList(PgQuery__Node* const* items, size_t count) {
  std::vector<std::string> out;
  for (size_t i = 0; i < count; ++i) out.push_back(StringValue(items[i]));
  return out;
}

QualifiedName FromRangeVar(const PgQuery__RangeVar* range_var) {
  if (range_var == nullptr) return {};
  return {Str(range_var->schemaname), Str(range_var->relname)};
}

// The last two elements of a names list (String nodes): DROP's objects, TypeName.names,
// FuncCall.funcname.
QualifiedName FromNameList(PgQuery__Node* const* items, size_t count) {
  const std::vector<std::string> names = StringList(items, count);
  QualifiedName out;
  if (names.empty()) return out;
  out.name = names.back();
  if (names.size() >= 2) out.schema = names[names.size() - 2];
  return out;
}

// The node's type name as PostgreSQL spells it ("CreateStmt", "VacuumStmt").
std::string NodeName(const PgQuery__Node* node) {
  if (node == nullptr || node->node_case == PG_QUERY__NODE__NODE__NOT_SET) return "";
  // Every member of the oneof is a message pointer at the same place.
  const auto* inner = reinterpret_cast<const ProtobufCMessage* const*>(&node->alias);
  return *inner == nullptr ? std::string() : Str((*inner)->descriptor->short_name);
}

std::string EnumName(const ProtobufCEnumDescriptor* descriptor, int value) {
  const ProtobufCEnumValue* found = protobuf_c_enum_descriptor_get_value(descriptor, value);
  return found == nullptr ? std::string() : Str(found->name);
}

TypeFacts FromTypeName(const PgQuery__TypeName* type_name) {
  TypeFacts out;
  if (type_name == nullptr) return out;
  out.name = FromNameList(type_name->names, type_name->n_names);
  for (size_t i = 0; i < type_name->n_typmods; ++i) {
    const PgQuery__Node* mod = type_name->typmods[i];
    if (Is(mod, PG_QUERY__NODE__NODE_A_CONST) &&
        mod->a_const->val_case == PG_QUERY__A__CONST__VAL_IVAL) {
      out.modifiers.push_back(mod->a_const->ival->ival);
    } else {
      out.other_modifiers = true;
    }
  }
  out.is_array = type_name->n_array_bounds > 0;
  return out;
}

// Calls visit on msg and every message below it, through protobuf-c's descriptors (so
// every node type is covered without a hand-written walker per type).
void VisitMessages(const ProtobufCMessage* msg,
                   const std::function<void(const ProtobufCMessage*)>& visit) {
  if (msg == nullptr) return;
  visit(msg);
  const ProtobufCMessageDescriptor* descriptor = msg->descriptor;
  const auto* base = reinterpret_cast<const uint8_t*>(msg);
  for (unsigned i = 0; i < descriptor->n_fields; ++i) {
    const ProtobufCFieldDescriptor& field = descriptor->fields[i];
    if (field.type != PROTOBUF_C_TYPE_MESSAGE) continue;
    if ((field.flags & PROTOBUF_C_FIELD_FLAG_ONEOF) != 0 &&
        *reinterpret_cast<const uint32_t*>(base + field.quantifier_offset) != field.id) {
      continue;
    }
    if (field.label == PROTOBUF_C_LABEL_REPEATED) {
      const size_t count = *reinterpret_cast<const size_t*>(base + field.quantifier_offset);
      auto* const* items = *reinterpret_cast<ProtobufCMessage* const* const*>(base + field.offset);
      for (size_t j = 0; j < count; ++j) VisitMessages(items[j], visit);
    } else {
      VisitMessages(*reinterpret_cast<ProtobufCMessage* const*>(base + field.offset), visit);
    }
  }
}

// A literal, NULL or a cast of one (`DEFAULT 0`, `DEFAULT 'x'::text`, `DEFAULT -1`) is a
// constant; otherwise the functions the expression calls are listed.
DefaultFacts FromDefault(const PgQuery__Node* expr) {
  DefaultFacts out;
  if (expr == nullptr) return out;
  out.present = true;
  const PgQuery__Node* inner = expr;
  while (Is(inner, PG_QUERY__NODE__NODE_TYPE_CAST) && inner->type_cast->arg != nullptr) {
    inner = inner->type_cast->arg;
  }
  out.constant = Is(inner, PG_QUERY__NODE__NODE_A_CONST);
  VisitMessages(&expr->base, [&](const ProtobufCMessage* msg) {
    if (msg->descriptor == &pg_query__func_call__descriptor) {
      const auto* call = reinterpret_cast<const PgQuery__FuncCall*>(msg);
      out.functions.push_back(FromNameList(call->funcname, call->n_funcname));
    } else if (msg->descriptor == &pg_query__sqlvalue_function__descriptor) {
      out.sql_value_function = true;
    }
  });
  return out;
}

// CHECK (column IS NOT NULL): that column.
std::string NotNullCheckColumn(const PgQuery__Node* expr) {
  if (!Is(expr, PG_QUERY__NODE__NODE_NULL_TEST)) return "";
  const PgQuery__NullTest* test = expr->null_test;
  if (test->nulltesttype != PG_QUERY__NULL_TEST_TYPE__IS_NOT_NULL || test->argisrow ||
      !Is(test->arg, PG_QUERY__NODE__NODE_COLUMN_REF) || test->arg->column_ref->n_fields != 1) {
    return "";
  }
  return StringValue(test->arg->column_ref->fields[0]);
}

// A table constraint, or (column non-empty) one written on that column.
bool FromConstraint(const PgQuery__Constraint* constraint, const std::string& column,
                    ConstraintFacts* out) {
  using Kind = ConstraintFacts::Kind;
  switch (constraint->contype) {
    case PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY:
      out->kind = Kind::kPrimaryKey;
      break;
    case PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE:
      out->kind = Kind::kUnique;
      break;
    case PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN:
      out->kind = Kind::kForeignKey;
      break;
    case PG_QUERY__CONSTR_TYPE__CONSTR_CHECK:
      out->kind = Kind::kCheck;
      break;
    case PG_QUERY__CONSTR_TYPE__CONSTR_EXCLUSION:
      out->kind = Kind::kExclusion;
      break;
    default:
      return false;  // NOT NULL, DEFAULT, IDENTITY...: properties of the column
  }
  out->name = Str(constraint->conname);
  out->not_valid = constraint->skip_validation;
  out->using_index = Str(constraint->indexname);
  if (out->kind == Kind::kForeignKey) {
    out->columns = StringList(constraint->fk_attrs, constraint->n_fk_attrs);
    out->referenced_table = FromRangeVar(constraint->pktable);
    out->referenced_columns = StringList(constraint->pk_attrs, constraint->n_pk_attrs);
  } else {
    out->columns = StringList(constraint->keys, constraint->n_keys);
  }
  if (out->columns.empty() && !column.empty()) {
    out->columns = {column};
  }
  if (out->kind == Kind::kCheck) out->not_null_column = NotNullCheckColumn(constraint->raw_expr);
  return true;
}

ColumnFacts FromColumnDef(const PgQuery__ColumnDef* def) {
  ColumnFacts out;
  out.name = Str(def->colname);
  out.type = FromTypeName(def->type_name);
  out.not_null = def->is_not_null;
  if (def->raw_default != nullptr) out.default_value = FromDefault(def->raw_default);
  for (size_t i = 0; i < def->n_constraints; ++i) {
    if (!Is(def->constraints[i], PG_QUERY__NODE__NODE_CONSTRAINT)) continue;
    const PgQuery__Constraint* constraint = def->constraints[i]->constraint;
    switch (constraint->contype) {
      case PG_QUERY__CONSTR_TYPE__CONSTR_NOTNULL:
        out.not_null = true;
        break;
      case PG_QUERY__CONSTR_TYPE__CONSTR_DEFAULT:
        out.default_value = FromDefault(constraint->raw_expr);
        break;
      case PG_QUERY__CONSTR_TYPE__CONSTR_IDENTITY:
        // generated_when: 'a' ALWAYS, 'd' BY DEFAULT
        out.identity = Str(constraint->generated_when) == "a" ? ColumnFacts::Identity::kAlways
                                                              : ColumnFacts::Identity::kByDefault;
        break;
      case PG_QUERY__CONSTR_TYPE__CONSTR_GENERATED:
        out.generated_stored = true;
        break;
      default: {
        ConstraintFacts facts;
        if (FromConstraint(constraint, out.name, &facts)) out.constraints.push_back(facts);
        break;
      }
    }
  }
  return out;
}

AlterCommandFacts FromAlterCmd(const PgQuery__AlterTableCmd* cmd) {
  using Kind = AlterCommandFacts::Kind;
  AlterCommandFacts out;
  out.name = Str(cmd->name);
  out.if_exists = cmd->missing_ok;
  out.cascade = cmd->behavior == PG_QUERY__DROP_BEHAVIOR__DROP_CASCADE;
  const PgQuery__Node* def = cmd->def;
  switch (cmd->subtype) {
    case PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumn:
      out.kind = Kind::kAddColumn;
      if (Is(def, PG_QUERY__NODE__NODE_COLUMN_DEF)) {
        out.column = FromColumnDef(def->column_def);
        out.name = out.column.name;
      }
      break;
    case PG_QUERY__ALTER_TABLE_TYPE__AT_DropColumn:
      out.kind = Kind::kDropColumn;
      break;
    case PG_QUERY__ALTER_TABLE_TYPE__AT_AlterColumnType:
      out.kind = Kind::kAlterColumnType;
      if (Is(def, PG_QUERY__NODE__NODE_COLUMN_DEF)) {
        out.type = FromTypeName(def->column_def->type_name);
        out.has_using = def->column_def->raw_default != nullptr;
      }
      break;
    case PG_QUERY__ALTER_TABLE_TYPE__AT_SetNotNull:
      out.kind = Kind::kSetNotNull;
      break;
    case PG_QUERY__ALTER_TABLE_TYPE__AT_DropNotNull:
      out.kind = Kind::kDropNotNull;
      break;
    case PG_QUERY__ALTER_TABLE_TYPE__AT_ColumnDefault:
      out.kind = def == nullptr ? Kind::kDropDefault : Kind::kSetDefault;
      out.column.name = out.name;
      out.column.default_value = FromDefault(def);
      break;
    case PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraint:
    case PG_QUERY__ALTER_TABLE_TYPE__AT_AddIndexConstraint:
      out.kind = Kind::kAddConstraint;
      if (!Is(def, PG_QUERY__NODE__NODE_CONSTRAINT) ||
          !FromConstraint(def->constraint, "", &out.constraint)) {
        out.kind = Kind::kOther;
        out.node = EnumName(&pg_query__alter_table_type__descriptor, cmd->subtype);
      } else {
        out.name = out.constraint.name;
      }
      break;
    case PG_QUERY__ALTER_TABLE_TYPE__AT_ValidateConstraint:
      out.kind = Kind::kValidateConstraint;
      break;
    case PG_QUERY__ALTER_TABLE_TYPE__AT_DropConstraint:
      out.kind = Kind::kDropConstraint;
      break;
    case PG_QUERY__ALTER_TABLE_TYPE__AT_AttachPartition:
    case PG_QUERY__ALTER_TABLE_TYPE__AT_DetachPartition:
    case PG_QUERY__ALTER_TABLE_TYPE__AT_DetachPartitionFinalize:
      out.kind = cmd->subtype == PG_QUERY__ALTER_TABLE_TYPE__AT_AttachPartition
                     ? Kind::kAttachPartition
                     : Kind::kDetachPartition;
      out.finalize = cmd->subtype == PG_QUERY__ALTER_TABLE_TYPE__AT_DetachPartitionFinalize;
      if (Is(def, PG_QUERY__NODE__NODE_PARTITION_CMD)) {
        out.partition = FromRangeVar(def->partition_cmd->name);
        out.concurrently = def->partition_cmd->concurrent;
      }
      break;
    case PG_QUERY__ALTER_TABLE_TYPE__AT_EnableTrig:
    case PG_QUERY__ALTER_TABLE_TYPE__AT_EnableAlwaysTrig:
    case PG_QUERY__ALTER_TABLE_TYPE__AT_EnableReplicaTrig:
    case PG_QUERY__ALTER_TABLE_TYPE__AT_DisableTrig:
    case PG_QUERY__ALTER_TABLE_TYPE__AT_EnableTrigAll:
    case PG_QUERY__ALTER_TABLE_TYPE__AT_DisableTrigAll:
    case PG_QUERY__ALTER_TABLE_TYPE__AT_EnableTrigUser:
    case PG_QUERY__ALTER_TABLE_TYPE__AT_DisableTrigUser:
      out.kind = Kind::kEnableDisableTrigger;
      break;
    default:
      out.kind = Kind::kOther;
      out.node = EnumName(&pg_query__alter_table_type__descriptor, cmd->subtype);
      break;
  }
  return out;
}

// The RangeVar elements of a list (TRUNCATE's and LOCK's relations, INHERITS).
std::vector<QualifiedName> RangeVarList(PgQuery__Node* const* items, size_t count) {
  std::vector<QualifiedName> out;
  for (size_t i = 0; i < count; ++i) {
    if (Is(items[i], PG_QUERY__NODE__NODE_RANGE_VAR))
      out.push_back(FromRangeVar(items[i]->range_var));
  }
  return out;
}

void FromCreateStmt(const PgQuery__CreateStmt* create, StatementFacts* out) {
  out->kind = StatementKind::kCreateTable;
  out->relation = FromRangeVar(create->relation);
  out->if_exists = create->if_not_exists;
  out->temporary = create->relation != nullptr && Str(create->relation->relpersistence) == "t";
  out->partition_of = create->partbound != nullptr;
  out->parents = RangeVarList(create->inh_relations, create->n_inh_relations);
  for (size_t i = 0; i < create->n_table_elts; ++i) {
    const PgQuery__Node* element = create->table_elts[i];
    if (Is(element, PG_QUERY__NODE__NODE_COLUMN_DEF)) {
      out->columns.push_back(FromColumnDef(element->column_def));
    } else if (Is(element, PG_QUERY__NODE__NODE_CONSTRAINT)) {
      ConstraintFacts facts;
      if (FromConstraint(element->constraint, "", &facts)) out->constraints.push_back(facts);
    }
  }
}

void FromIndexStmt(const PgQuery__IndexStmt* index, StatementFacts* out) {
  out->kind = StatementKind::kCreateIndex;
  out->relation = FromRangeVar(index->relation);
  out->if_exists = index->if_not_exists;
  out->concurrently = index->concurrent;
  out->index.name = Str(index->idxname);
  out->index.unique = index->unique;
  out->index.if_not_exists = index->if_not_exists;
  out->index.partial = index->where_clause != nullptr;
  out->index.access_method = Str(index->access_method);
  out->index.only = index->relation != nullptr && !index->relation->inh;
  for (size_t i = 0; i < index->n_index_params; ++i) {
    const PgQuery__Node* param = index->index_params[i];
    out->index.columns.push_back(
        Is(param, PG_QUERY__NODE__NODE_INDEX_ELEM) ? Str(param->index_elem->name) : std::string());
  }
  for (size_t i = 0; i < index->n_index_including_params; ++i) {
    const PgQuery__Node* param = index->index_including_params[i];
    out->index.include_columns.push_back(
        Is(param, PG_QUERY__NODE__NODE_INDEX_ELEM) ? Str(param->index_elem->name) : std::string());
  }
}

void FromDropStmt(const PgQuery__DropStmt* drop, StatementFacts* out) {
  if (drop->remove_type == PG_QUERY__OBJECT_TYPE__OBJECT_TRIGGER) {
    // objects: one names list, [schema,] table, trigger
    if (drop->n_objects != 1 || !Is(drop->objects[0], PG_QUERY__NODE__NODE_LIST)) return;
    const PgQuery__List* names = drop->objects[0]->list;
    if (names->n_items < 2) return;
    out->kind = StatementKind::kDropTrigger;
    out->if_exists = drop->missing_ok;
    out->relation = FromNameList(names->items, names->n_items - 1);
    return;
  }
  switch (drop->remove_type) {
    case PG_QUERY__OBJECT_TYPE__OBJECT_INDEX:
      out->kind = StatementKind::kDropIndex;
      break;
    case PG_QUERY__OBJECT_TYPE__OBJECT_TABLE:
      out->kind = StatementKind::kDropTable;
      break;
    default:
      return;
  }
  for (size_t i = 0; i < drop->n_objects; ++i) {
    const PgQuery__Node* object = drop->objects[i];
    if (Is(object, PG_QUERY__NODE__NODE_LIST)) {
      out->objects.push_back(FromNameList(object->list->items, object->list->n_items));
    }
  }
  out->if_exists = drop->missing_ok;
  out->concurrently = drop->concurrent;
  out->cascade = drop->behavior == PG_QUERY__DROP_BEHAVIOR__DROP_CASCADE;
}

// Renames of a table, a table's column or a table constraint are ALTER TABLE subcommands.
void FromRenameStmt(const PgQuery__RenameStmt* rename, StatementFacts* out) {
  using Kind = AlterCommandFacts::Kind;
  AlterCommandFacts command;
  command.new_name = Str(rename->newname);
  command.name = Str(rename->subname);
  switch (rename->rename_type) {
    case PG_QUERY__OBJECT_TYPE__OBJECT_TABLE:
      command.kind = Kind::kRenameTable;
      break;
    case PG_QUERY__OBJECT_TYPE__OBJECT_COLUMN:
      if (rename->relation_type != PG_QUERY__OBJECT_TYPE__OBJECT_TABLE) return;
      command.kind = Kind::kRenameColumn;
      break;
    case PG_QUERY__OBJECT_TYPE__OBJECT_TABCONSTRAINT:
      command.kind = Kind::kRenameConstraint;
      break;
    default:
      return;
  }
  out->kind = StatementKind::kAlterTable;
  out->relation = FromRangeVar(rename->relation);
  out->if_exists = rename->missing_ok;
  out->commands.push_back(command);
}

// SET's value as written: `5s`, `'5s'` and `5000` keep their text; a list is joined by ", ".
std::string SettingValue(const PgQuery__VariableSetStmt* set) {
  std::string out;
  for (size_t i = 0; i < set->n_args; ++i) {
    const PgQuery__Node* arg = set->args[i];
    if (i > 0) out += ", ";
    if (!Is(arg, PG_QUERY__NODE__NODE_A_CONST)) continue;
    const PgQuery__AConst* value = arg->a_const;
    switch (value->val_case) {
      case PG_QUERY__A__CONST__VAL_IVAL:
        out += std::to_string(value->ival->ival);
        break;
      case PG_QUERY__A__CONST__VAL_SVAL:
        out += Str(value->sval->sval);
        break;
      case PG_QUERY__A__CONST__VAL_FVAL:
        out += Str(value->fval->fval);
        break;
      default:
        break;
    }
  }
  return out;
}

void FromReindexStmt(const PgQuery__ReindexStmt* reindex, StatementFacts* out) {
  using ReindexKind = StatementFacts::ReindexKind;
  out->kind = StatementKind::kReindex;
  out->concurrently =
      dbopt::cli::migrate::OptionTrue(reindex->params, reindex->n_params, "concurrently", false);
  switch (reindex->kind) {
    case PG_QUERY__REINDEX_OBJECT_TYPE__REINDEX_OBJECT_TABLE:
      out->reindex_kind = ReindexKind::kTable;
      break;
    case PG_QUERY__REINDEX_OBJECT_TYPE__REINDEX_OBJECT_SCHEMA:
      out->reindex_kind = ReindexKind::kSchema;
      break;
    case PG_QUERY__REINDEX_OBJECT_TYPE__REINDEX_OBJECT_DATABASE:
      out->reindex_kind = ReindexKind::kDatabase;
      break;
    case PG_QUERY__REINDEX_OBJECT_TYPE__REINDEX_OBJECT_SYSTEM:
      out->reindex_kind = ReindexKind::kSystem;
      break;
    default:
      out->reindex_kind = ReindexKind::kIndex;
      break;
  }
  if (reindex->relation != nullptr) {
    out->relation = FromRangeVar(reindex->relation);
  } else {
    out->reindex_target = Str(reindex->name);
  }
}

void FromStatement(const PgQuery__Node* stmt, StatementFacts* out) {
  out->node = NodeName(stmt);
  switch (stmt->node_case) {
    case PG_QUERY__NODE__NODE_CREATE_STMT:
      FromCreateStmt(stmt->create_stmt, out);
      break;
    case PG_QUERY__NODE__NODE_INDEX_STMT:
      FromIndexStmt(stmt->index_stmt, out);
      break;
    case PG_QUERY__NODE__NODE_DROP_STMT:
      FromDropStmt(stmt->drop_stmt, out);
      break;
    case PG_QUERY__NODE__NODE_RENAME_STMT:
      FromRenameStmt(stmt->rename_stmt, out);
      break;
    case PG_QUERY__NODE__NODE_REINDEX_STMT:
      FromReindexStmt(stmt->reindex_stmt, out);
      break;
    case PG_QUERY__NODE__NODE_ALTER_TABLE_STMT: {
      const PgQuery__AlterTableStmt* alter = stmt->alter_table_stmt;
      if (alter->objtype != PG_QUERY__OBJECT_TYPE__OBJECT_TABLE) break;
      out->kind = StatementKind::kAlterTable;
      out->relation = FromRangeVar(alter->relation);
      out->if_exists = alter->missing_ok;
      for (size_t i = 0; i < alter->n_cmds; ++i) {
        if (Is(alter->cmds[i], PG_QUERY__NODE__NODE_ALTER_TABLE_CMD)) {
          out->commands.push_back(FromAlterCmd(alter->cmds[i]->alter_table_cmd));
        }
      }
      break;
    }
    case PG_QUERY__NODE__NODE_ALTER_OBJECT_SCHEMA_STMT: {
      const PgQuery__AlterObjectSchemaStmt* alter = stmt->alter_object_schema_stmt;
      if (alter->object_type != PG_QUERY__OBJECT_TYPE__OBJECT_TABLE) break;
      out->kind = StatementKind::kAlterTable;
      out->relation = FromRangeVar(alter->relation);
      out->if_exists = alter->missing_ok;
      AlterCommandFacts command;
      command.kind = AlterCommandFacts::Kind::kSetSchema;
      command.new_name = Str(alter->newschema);
      out->commands.push_back(command);
      break;
    }
    case PG_QUERY__NODE__NODE_VARIABLE_SET_STMT: {
      const PgQuery__VariableSetStmt* set = stmt->variable_set_stmt;
      out->kind = StatementKind::kSet;
      out->setting.name = Str(set->name);
      out->setting.is_local = set->is_local;
      if (set->kind == PG_QUERY__VARIABLE_SET_KIND__VAR_SET_VALUE) {
        out->setting.value = SettingValue(set);
      } else if (set->kind == PG_QUERY__VARIABLE_SET_KIND__VAR_RESET ||
                 set->kind == PG_QUERY__VARIABLE_SET_KIND__VAR_RESET_ALL ||
                 set->kind == PG_QUERY__VARIABLE_SET_KIND__VAR_SET_DEFAULT) {
        out->setting.reset = true;
      }
      break;
    }
    case PG_QUERY__NODE__NODE_TRUNCATE_STMT:
      out->kind = StatementKind::kTruncate;
      out->objects = RangeVarList(stmt->truncate_stmt->relations, stmt->truncate_stmt->n_relations);
      break;
    case PG_QUERY__NODE__NODE_LOCK_STMT:
      out->kind = StatementKind::kLockTable;
      out->objects = RangeVarList(stmt->lock_stmt->relations, stmt->lock_stmt->n_relations);
      if (stmt->lock_stmt->mode >= 1 && stmt->lock_stmt->mode <= 8) {
        out->lock_mode = static_cast<dbopt::migrate::LockMode>(stmt->lock_stmt->mode);
      }
      out->nowait = stmt->lock_stmt->nowait;
      break;
    case PG_QUERY__NODE__NODE_CREATE_TABLE_AS_STMT: {
      const PgQuery__CreateTableAsStmt* create = stmt->create_table_as_stmt;
      if (create->into == nullptr) break;
      out->kind = StatementKind::kCreateTableAs;
      out->relation = FromRangeVar(create->into->rel);
      out->if_exists = create->if_not_exists;
      out->materialized_view = create->objtype == PG_QUERY__OBJECT_TYPE__OBJECT_MATVIEW;
      out->with_no_data = create->into->skip_data;
      break;
    }
    case PG_QUERY__NODE__NODE_REFRESH_MAT_VIEW_STMT:
      out->kind = StatementKind::kRefreshMaterializedView;
      out->relation = FromRangeVar(stmt->refresh_mat_view_stmt->relation);
      out->concurrently = stmt->refresh_mat_view_stmt->concurrent;
      out->with_no_data = stmt->refresh_mat_view_stmt->skip_data;
      break;
    case PG_QUERY__NODE__NODE_CLUSTER_STMT:
      out->kind = StatementKind::kCluster;
      out->relation = FromRangeVar(stmt->cluster_stmt->relation);
      out->index_name = Str(stmt->cluster_stmt->indexname);
      break;
    case PG_QUERY__NODE__NODE_VACUUM_STMT: {
      const PgQuery__VacuumStmt* vacuum = stmt->vacuum_stmt;
      if (!vacuum->is_vacuumcmd) break;  // ANALYZE
      out->kind = StatementKind::kVacuum;
      out->vacuum_full =
          dbopt::cli::migrate::OptionTrue(vacuum->options, vacuum->n_options, "full", false);
      for (size_t i = 0; i < vacuum->n_rels; ++i) {
        if (Is(vacuum->rels[i], PG_QUERY__NODE__NODE_VACUUM_RELATION))
          out->objects.push_back(FromRangeVar(vacuum->rels[i]->vacuum_relation->relation));
      }
      break;
    }
    case PG_QUERY__NODE__NODE_CREATE_TRIG_STMT:
      out->kind = StatementKind::kCreateTrigger;
      out->relation = FromRangeVar(stmt->create_trig_stmt->relation);
      break;
    case PG_QUERY__NODE__NODE_TRANSACTION_STMT:
      out->kind = StatementKind::kTransaction;
      switch (stmt->transaction_stmt->kind) {
        case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_BEGIN:
        case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_START:
          out->transaction = TransactionKind::kBegin;
          break;
        case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_COMMIT:
          out->transaction = TransactionKind::kCommit;
          break;
        case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_ROLLBACK:
          out->transaction = TransactionKind::kRollback;
          break;
        default:
          out->transaction = TransactionKind::kOther;
          break;
      }
      break;
    default:
      break;
  }
}

}  // namespace

ConvertedSql ConvertSqlToFacts(const std::string& sql, int first_line) {
  ConvertedSql out;
  const ProtobufResult parsed(sql);
  if (parsed.result.error != nullptr) {
    out.ok = false;
    out.error_message = Str(parsed.result.error->message);
    const int cursor = parsed.result.error->cursorpos;
    // cursorpos counts characters from 1
    out.error_line = first_line - 1 +
                     dbopt::migrate::LineAndColumn(
                         sql, dbopt::migrate::CharacterOffset(sql, cursor > 0 ? cursor - 1 : 0))
                         .line;
    return out;
  }
  const Tree tree(pg_query__parse_result__unpack(
      nullptr, parsed.result.parse_tree.len,
      reinterpret_cast<const uint8_t*>(parsed.result.parse_tree.data)));
  if (!tree) {
    out.ok = false;
    out.error_message = "could not read libpg_query's parse tree";
    out.error_line = first_line;
    return out;
  }
  for (size_t i = 0; i < tree->n_stmts; ++i) {
    const PgQuery__RawStmt* raw = tree->stmts[i];
    if (raw->stmt == nullptr) continue;
    StatementFacts facts;
    facts.number = static_cast<int>(out.statements.size()) + 1;
    const dbopt::migrate::StatementPosition position =
        dbopt::migrate::StatementStart(sql, raw->stmt_location, raw->stmt_len);
    facts.line = first_line - 1 + position.line;
    facts.text = position.text;
    FromStatement(raw->stmt, &facts);
    out.statements.push_back(std::move(facts));
  }
  return out;
}

}  // namespace dbopt::cli
