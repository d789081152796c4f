#include "pg/deparse.hpp"

#include "core/common/sql_text.hpp"
#include "core/model/index_definition.hpp"
#include "pg/postgres.hpp"

extern "C" {
#include "catalog/pg_opclass.h"
#include "commands/defrem.h"
#include "nodes/makefuncs.h"
#include "nodes/nodeFuncs.h"
#include "nodes/plannodes.h"
#include "optimizer/optimizer.h"
#include "storage/lmgr.h"
#include "utils/fmgrprotos.h"
#include "utils/ruleutils.h"
#include "utils/syscache.h"
}

#include "pg/guard.hpp"

namespace dbopt::pg {
namespace {

// Calls a text-returning SQL function with `table_id` conditionally locked; nullopt when the
// lock is not free right now or the function returns NULL (the object vanished).
std::optional<std::string> CallUnlocked(ObjectId table_id, PGFunction function, Datum argument) {
  char* result = nullptr;
  bool locked = false;
  CallPg([&] {
    if (!ConditionalLockRelationOid(table_id, AccessShareLock)) return;
    locked = true;
    LOCAL_FCINFO(call, 1);
    InitFunctionCallInfoData(*call, nullptr, 1, InvalidOid, nullptr, nullptr);
    call->args[0].value = argument;
    call->args[0].isnull = false;
    Datum value = function(call);
    if (!call->isnull) result = text_to_cstring(DatumGetTextPP(value));
    UnlockRelationOid(table_id, AccessShareLock);
  });
  if (!locked || result == nullptr) return std::nullopt;
  std::string text(result);
  pfree(result);
  return text;
}

// pg_get_indexdef prints an expression key bare when it reads as a function call (what the
// grammar's func_expr accepts as an index element), else in parentheses.
bool ReadsAsFunctionCall(const Node* node) {
  switch (nodeTag(node)) {
    case T_FuncExpr: {
      const CoercionForm form = reinterpret_cast<const FuncExpr*>(node)->funcformat;
      return form == COERCE_EXPLICIT_CALL || form == COERCE_SQL_SYNTAX;  // not a cast
    }
    case T_NullIfExpr:
    case T_CoalesceExpr:
    case T_MinMaxExpr:
    case T_SQLValueFunction:
    case T_XmlExpr:
      return true;
    default:
      return false;
  }
}

std::string LockedNote(const Index& index) {
  std::string note = "definition of index " + QualifiedName(index) +
                     " unavailable: its table is locked by another transaction; run the "
                     "check again";
  // A quoted name may contain "*/"; keep the comment a comment.
  for (size_t at = note.find("*/"); at != std::string::npos; at = note.find("*/", at))
    note.replace(at, 2, "* /");
  return "/* " + note + " */";
}

// pg_get_indexdef lays out CASE over several lines (its pretty-printing flag); the public
// deparser prints it on one, so such trees are left to pg_get_indexdef.
bool NeedsPrettyLayout(const std::string& tree) {
  return tree.find("{CASE") != std::string::npos;
}

// The key under which the SQL deparsed from `index`'s trees is remembered: the trees without
// their locations (the model's IndexColumn::expression and Index::predicate, in list order)
// and the names of `table`'s columns, which is all deparsing reads (with one range table entry
// and no forced prefix, a column is printed by its name alone), plus the table's name for a
// whole-row reference (printed as the table's name). Thousands of indexes with the same
// expression on tables of the same shape are deparsed once. "" when the model's trees do not
// stand for the stored ones exactly (then the trees are deparsed, not remembered).
std::string DeparseKey(const Table& table, const Index& index, const IndexTrees::Trees& trees) {
  std::string key;
  size_t expressions = 0;
  for (const IndexColumn& column : index.keys) {
    if (!column.IsExpression()) continue;
    if (column.expression.empty() || column.expression == "?") return "";
    key.append(column.expression).append(1, '\x1e');
    ++expressions;
  }
  if ((expressions == 0) != trees.expressions.empty()) return "";
  if (index.predicate.empty() != trees.predicate.empty()) return "";
  key.append(1, '\x1f').append(index.predicate).append(1, '\x1f');
  for (const Column& column : table.columns)
    key.append(std::to_string(column.attnum)).append(1, '=').append(column.name).append(1, '\x1e');
  if (key.find(":varattno 0 ") != std::string::npos) key.append(1, '\x1f').append(table.name);
  return key;
}

}  // namespace

std::optional<std::string> DeparseIndexDefinition(ObjectId table_id, ObjectId index_id) {
  return CallUnlocked(table_id, pg_get_indexdef, ObjectIdGetDatum(index_id));
}

const IndexTrees* ServerDefinitionSource::TreesOf(const Catalog& catalog) {
  auto source = std::dynamic_pointer_cast<const ServerDefinitionSource>(catalog.definitions);
  return source == nullptr ? nullptr : source->trees_.get();
}

bool ServerDefinitionSource::DefaultOpclass(ObjectId opclass, ObjectId type) const {
  auto method = opclass_method_.find(opclass);
  if (method == opclass_method_.end()) {
    Oid found = InvalidOid;
    CallPg([&] {
      HeapTuple tuple = SearchSysCache1(CLAOID, ObjectIdGetDatum(opclass));
      if (!HeapTupleIsValid(tuple)) return;
      found = reinterpret_cast<Form_pg_opclass>(GETSTRUCT(tuple))->opcmethod;
      ReleaseSysCache(tuple);
    });
    method = opclass_method_.emplace(opclass, found).first;
  }
  if (method->second == InvalidOid) return false;
  const std::uint64_t key = (static_cast<std::uint64_t>(type) << 32) | method->second;
  auto default_class = default_opclass_.find(key);
  if (default_class == default_opclass_.end()) {
    Oid found = InvalidOid;
    CallPg([&] { found = GetDefaultOpClass(type, method->second); });
    default_class = default_opclass_.emplace(key, found).first;
  }
  return default_class->second == opclass;
}

// Deparses the expression keys and the predicate of `index` on `table` (see DeparseKey).
ServerDefinitionSource::Deparsed ServerDefinitionSource::Deparse(
    const Table& table, const Index& index, const IndexTrees::Trees& trees) const {
  Deparsed deparsed;
  const size_t key_count = index.keys.size();
  std::vector<const char*> column_names;  // by attnum - 1; "" for dropped columns
  for (const Column& column : table.columns) {
    if (column.attnum <= 0) continue;
    if (column_names.size() < static_cast<size_t>(column.attnum))
      column_names.resize(column.attnum, "");
    column_names[column.attnum - 1] = column.name.c_str();
  }
  // PostgreSQL parts run in one CallPg; its results are palloc'd strings and plain values,
  // copied out before the context that holds them is deleted.
  std::vector<char*> expression_sql(key_count, nullptr);
  deparsed.types.assign(key_count, {InvalidOid, InvalidOid});
  char* predicate_sql = nullptr;
  bool complete = true;
  const char* expressions_text = trees.expressions.c_str();
  const char* predicate_text = trees.predicate.c_str();
  const char* table_name = table.name.c_str();
  // The parsed trees and the deparser's scratch memory: freed once the SQL is copied out.
  MemoryContext deparse_context = nullptr;
  MemoryContext caller_context = CurrentMemoryContext;
  CallPg([&] {
    deparse_context =
        AllocSetContextCreate(CurrentMemoryContext, "dbopt deparse", ALLOCSET_DEFAULT_SIZES);
    MemoryContextSwitchTo(deparse_context);
    // A one-entry range table naming the table's columns, as deparse_context_for() builds
    // it, but of a kind whose column names come from the entry itself rather than from the
    // relation (which deparse_context_for's entry opens).
    List* names = NIL;
    for (const char* name : column_names) names = lappend(names, makeString(pstrdup(name)));
    RangeTblEntry* entry = makeNode(RangeTblEntry);
    entry->rtekind = RTE_VALUES;
    entry->eref = makeAlias(table_name, names);
    entry->inFromCl = true;
    PlannedStmt* statement = makeNode(PlannedStmt);
    statement->rtable = list_make1(entry);
    List* context = deparse_context_for_plan_tree(statement, list_make1(pstrdup(table_name)));

    List* expressions =
        *expressions_text == '\0' ? NIL : static_cast<List*>(stringToNode(expressions_text));
    ListCell* next = list_head(expressions);
    for (size_t k = 0; k < key_count; ++k) {
      if (!index.keys[k].IsExpression()) continue;
      if (next == nullptr) {
        complete = false;
        MemoryContextSwitchTo(caller_context);
        return;
      }
      Node* expression = static_cast<Node*>(lfirst(next));
      next = lnext(expressions, next);
      char* sql = deparse_expression(expression, context, false, false);
      expression_sql[k] = ReadsAsFunctionCall(expression) ? sql : psprintf("(%s)", sql);
      deparsed.types[k] = {exprType(expression), exprCollation(expression)};
    }
    if (*predicate_text != '\0') {
      // Stored as one expression (AND of the conditions), as pg_get_indexdef reads it.
      Node* predicate = static_cast<Node*>(stringToNode(predicate_text));
      predicate_sql = deparse_expression(predicate, context, false, false);
    }
    MemoryContextSwitchTo(caller_context);
  });
  deparsed.complete = complete;
  if (complete) {
    deparsed.expressions.resize(key_count);
    for (size_t k = 0; k < key_count; ++k)
      if (expression_sql[k] != nullptr) deparsed.expressions[k] = expression_sql[k];
    if (predicate_sql != nullptr) deparsed.predicate = predicate_sql;
  }
  if (deparse_context != nullptr) MemoryContextDelete(deparse_context);
  return deparsed;
}

// The definition written from the catalog rows, "" when that cannot be done exactly.
std::string ServerDefinitionSource::DefinitionFromCatalog(const Catalog& catalog,
                                                          const Index& index) const {
  const Table* table = catalog.FindTable(index.table_id);
  if (table == nullptr || trees_ == nullptr || trees_->column_options.count(index.id) != 0)
    return "";
  static const IndexTrees::Trees kNoTrees;
  auto found = trees_->by_index.find(index.id);
  const IndexTrees::Trees& trees = found == trees_->by_index.end() ? kNoTrees : found->second;
  if (index.Partial() == trees.predicate.empty() || NeedsPrettyLayout(trees.expressions) ||
      NeedsPrettyLayout(trees.predicate))
    return "";

  // The SQL of the expressions and of the predicate, with each expression's type and
  // collation; remembered for indexes with the same trees on tables of the same shape.
  const size_t key_count = index.keys.size();
  const Deparsed* deparsed = nullptr;
  Deparsed unremembered;
  if (!trees.expressions.empty() || !trees.predicate.empty()) {
    std::string key = DeparseKey(*table, index, trees);
    auto known = key.empty() ? deparsed_.end() : deparsed_.find(key);
    if (known != deparsed_.end()) {
      deparsed = &known->second;
    } else if (key.empty()) {
      unremembered = Deparse(*table, index, trees);
      deparsed = &unremembered;
    } else {
      deparsed = &deparsed_.emplace(std::move(key), Deparse(*table, index, trees)).first->second;
    }
    if (!deparsed->complete || deparsed->expressions.size() != key_count) return "";
  }

  // Reused from call to call (no allocation per definition); its strings are mostly empty.
  std::vector<KeyDecoration>& decorations = decorations_;
  decorations.resize(key_count);
  for (size_t k = 0; k < key_count; ++k) {
    const IndexColumn& key = index.keys[k];
    KeyDecoration& decoration = decorations[k];
    decoration.expression.clear();
    decoration.collation.clear();
    decoration.opclass.clear();
    // Each key's type and collation: the column's, or the expression's.
    Oid type = InvalidOid;
    Oid own_collation = InvalidOid;
    if (key.IsExpression()) {
      if (deparsed != nullptr) {
        decoration.expression = deparsed->expressions[k];
        type = deparsed->types[k].first;
        own_collation = deparsed->types[k].second;
      }
    } else {
      const Column* column = table->FindColumn(key.column);
      if (column == nullptr) return "";
      type = column->type_id;
      own_collation = column->collation;
    }
    char* collation = nullptr;
    char* opclass = nullptr;
    const bool named_collation = key.collation != 0 && key.collation != own_collation;
    const bool named_opclass = !DefaultOpclass(key.opclass, type);
    if (named_collation || named_opclass)
      CallPg([&] {
        if (named_collation) collation = generate_collation_name(key.collation);
        if (named_opclass) opclass = generate_opclass_name(key.opclass);
      });
    if (collation != nullptr) decoration.collation = collation;
    if (opclass != nullptr) decoration.opclass = opclass;
  }
  const std::string no_predicate;  // not static: DESIGN rule 3 (no destructors at exit)
  return dbopt::IndexDefinition(*table, index, decorations,
                                deparsed == nullptr ? no_predicate : deparsed->predicate);
}

const std::string& ServerDefinitionSource::IndexDefinition(const Catalog& catalog,
                                                           const Index& index) const {
  auto cached = cache_.find(index.id);
  if (cached != cache_.end()) return cached->second;
  std::string definition = DefinitionFromCatalog(catalog, index);
  if (definition.empty())
    definition = DeparseIndexDefinition(index.table_id, index.id).value_or(LockedNote(index));
  return cache_.emplace(index.id, std::move(definition)).first->second;
}

}  // namespace dbopt::pg
