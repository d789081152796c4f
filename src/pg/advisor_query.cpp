// Reading an analyzed Query for the index advisor. Node fields are read directly (that
// cannot fail); catalog lookups, deparsing and list building go through CallPg, and the
// callables keep no C++ objects of their own.
#include "pg/advisor_query.hpp"  // first: includes core headers

#include "pg/guard.hpp"
#include "pg/isolated.hpp"

extern "C" {
#include "access/xact.h"
#include "nodes/makefuncs.h"
#include "nodes/nodeFuncs.h"
#include "optimizer/optimizer.h"
#include "parser/analyze.h"
#include "parser/parser.h"
#include "rewrite/rewriteManip.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/ruleutils.h"
}

#include <algorithm>
#include <exception>
#include <vector>

namespace dbopt::pg::advisor {
namespace {

namespace core = dbopt::advisor;
namespace qual = dbopt::capture;
using qual::QualKind;
using qual::QualOperand;

std::string Owned(const char* text) {
  return text != nullptr ? std::string(text) : std::string();
}

std::string OperatorName(Oid op) {
  char* name = nullptr;
  CallPg([&] { name = get_opname(op); });
  return Owned(name);
}

std::string AttributeName(Oid relid, AttrNumber attnum) {
  char* name = nullptr;
  CallPg([&] { name = get_attname(relid, attnum, true); });
  return Owned(name);
}

// SQL text of `node` (whose Vars of the table are varno `varno`), columns unqualified.
std::string Deparse(Node* node, Oid relid, int varno) {
  char* text = nullptr;
  CallPg([&] {
    Node* copy = static_cast<Node*>(copyObjectImpl(node));
    if (varno != 1) ChangeVarNodes(copy, varno, 1, 0);
    char* relname = get_rel_name(relid);
    if (relname == nullptr) return;
    List* context = deparse_context_for(relname, relid);
    text = deparse_expression(copy, context, false, false);
  });
  return Owned(text);
}

Node* Strip(Node* node) {
  while (node != nullptr && IsA(node, RelabelType))
    node = reinterpret_cast<Node*>(reinterpret_cast<RelabelType*>(node)->arg);
  return node;
}

// Collects into *context (a List*) the SubLinks of an expression tree (EXISTS, IN, ANY,
// scalar subqueries), without descending into their subqueries. No C++ objects: it runs
// inside CallPg.
bool CollectSubLinks(Node* node, void* context) {
  if (node == nullptr || IsA(node, Query)) return false;
  if (IsA(node, SubLink)) {
    List** found = static_cast<List**>(context);
    *found = lappend(*found, node);
    return CollectSubLinks(reinterpret_cast<SubLink*>(node)->testexpr, context);
  }
  auto walker = reinterpret_cast<bool (*)()>(reinterpret_cast<void (*)(void)>(CollectSubLinks));
  return expression_tree_walker(node, walker, context);
}

// Collects into *context (a List*) the Vars of an expression tree of any level (inside
// aggregates too), without descending into subqueries: pull_var_clause refuses the outer
// Vars of a correlated subquery. No C++ objects: it runs inside CallPg.
bool CollectVars(Node* node, void* context) {
  if (node == nullptr || IsA(node, Query)) return false;
  if (IsA(node, Var)) {
    List** found = static_cast<List**>(context);
    *found = lappend(*found, node);
    return false;
  }
  auto walker = reinterpret_cast<bool (*)()>(reinterpret_cast<void (*)(void)>(CollectVars));
  return expression_tree_walker(node, walker, context);
}

struct Walker {
  core::Query* out;
  std::map<ObjectId, core::TableWrites>* writes;
  double rows;

  // Range-table entries (1-based varno) that are plain tables of this query level.
  std::map<int, Oid> relations;
  int depth = 0;

  core::TableUse& Use(Oid relid) {
    for (core::TableUse& use : out->tables)
      if (use.table_id == relid) return use;
    out->tables.push_back(core::TableUse{});
    out->tables.back().table_id = relid;
    return out->tables.back();
  }

  // The table a Var of this level belongs to; InvalidOid otherwise.
  Oid TableOf(Node* node) const {
    node = Strip(node);
    if (node == nullptr || !IsA(node, Var)) return InvalidOid;
    const Var* var = reinterpret_cast<Var*>(node);
    if (var->varlevelsup != 0 || var->varattno <= 0) return InvalidOid;
    auto it = relations.find(static_cast<int>(var->varno));
    return it == relations.end() ? InvalidOid : it->second;
  }

  // The single table whose columns an expression reads (varno in *varno); InvalidOid when it
  // reads none or several.
  Oid SingleTable(Node* node, int* varno) const {
    List* vars = nullptr;
    CallPg([&] { CollectVars(node, &vars); });
    int found = 0;
    ListCell* cell;
    foreach (cell, vars) {
      const Var* var = static_cast<Var*>(lfirst(cell));
      if (var->varlevelsup != 0) return InvalidOid;
      if (found != 0 && found != static_cast<int>(var->varno)) return InvalidOid;
      found = static_cast<int>(var->varno);
    }
    auto it = relations.find(found);
    if (it == relations.end()) return InvalidOid;
    *varno = found;
    return it->second;
  }

  QualOperand OperandOf(Node* node) const {
    node = Strip(node);
    if (node == nullptr) return QualOperand::kOther;
    if (IsA(node, Const)) return QualOperand::kConstant;
    if (IsA(node, Param))
      return reinterpret_cast<Param*>(node)->paramkind == PARAM_EXTERN ? QualOperand::kParameter
                                                                       : QualOperand::kOuter;
    if (IsA(node, Var))
      return reinterpret_cast<Var*>(node)->varlevelsup > 0 || TableOf(node) != InvalidOid
                 ? QualOperand::kOuter
                 : QualOperand::kOther;
    bool has_vars = true;
    CallPg([&] { has_vars = contain_var_clause(node); });
    return has_vars ? QualOperand::kOther : QualOperand::kParameter;  // stable expression
  }

  void AddPredicate(Oid relid, core::Predicate p) {
    core::TableUse& use = Use(relid);
    for (const core::Predicate& o : use.predicates)
      if (o.column == p.column && o.expression == p.expression && o.kind == p.kind &&
          o.operand == p.operand && o.condition == p.condition)
        return;
    use.predicates.push_back(std::move(p));
  }

  void Clause(Node* clause) {
    clause = Strip(clause);
    if (clause == nullptr) return;
    if (IsA(clause, BoolExpr)) {
      BoolExpr* b = reinterpret_cast<BoolExpr*>(clause);
      ListCell* cell;
      if (b->boolop == AND_EXPR) {
        foreach (cell, b->args) Clause(static_cast<Node*>(lfirst(cell)));
      } else if (b->boolop == NOT_EXPR && TableOf(static_cast<Node*>(linitial(b->args)))) {
        BoolColumn(static_cast<Node*>(linitial(b->args)), clause);
      }
      return;
    }
    if (IsA(clause, Var)) {
      BoolColumn(clause, clause);
      return;
    }
    if (IsA(clause, NullTest)) {
      NullTest* test = reinterpret_cast<NullTest*>(clause);
      const Oid relid = TableOf(reinterpret_cast<Node*>(test->arg));
      if (relid == InvalidOid || test->argisrow) return;
      core::Predicate p;
      p.column = ColumnOf(reinterpret_cast<Node*>(test->arg), relid);
      p.kind = test->nulltesttype == IS_NULL ? QualKind::kIsNull : QualKind::kIsNotNull;
      p.operand = QualOperand::kNone;
      if (!p.column.empty()) AddPredicate(relid, p);
      return;
    }
    if (IsA(clause, ScalarArrayOpExpr)) {
      ScalarArrayOpExpr* saop = reinterpret_cast<ScalarArrayOpExpr*>(clause);
      if (list_length(saop->args) != 2 || !saop->useOr) return;
      Node* left = static_cast<Node*>(linitial(saop->args));
      const Oid relid = TableOf(left);
      if (relid == InvalidOid) return;
      core::Predicate p;
      p.column = ColumnOf(left, relid);
      p.kind = qual::ClassifyOperator(OperatorName(saop->opno), true, &p.case_insensitive);
      p.operand = OperandOf(static_cast<Node*>(lsecond(saop->args)));
      if (!p.column.empty()) AddPredicate(relid, p);
      return;
    }
    if (!IsA(clause, OpExpr)) return;
    OpExpr* op = reinterpret_cast<OpExpr*>(clause);
    if (list_length(op->args) != 2) return;
    Node* left = static_cast<Node*>(linitial(op->args));
    Node* right = static_cast<Node*>(lsecond(op->args));
    const std::string opname = OperatorName(op->opno);
    const Oid left_table = TableOf(left), right_table = TableOf(right);
    if (left_table != InvalidOid && right_table != InvalidOid) {
      // A join condition: each side is compared to the other relation's value.
      if (Strip(left) != Strip(right) && reinterpret_cast<Var*>(Strip(left))->varno !=
                                             reinterpret_cast<Var*>(Strip(right))->varno) {
        Compare(left, left_table, opname, QualOperand::kOuter, nullptr, clause, 0);
        Compare(right, right_table, opname, QualOperand::kOuter, nullptr, clause, 0);
      }
      return;
    }
    for (int side = 0; side < 2; ++side) {
      Node* column = side == 0 ? left : right;
      Node* value = side == 0 ? right : left;
      const Oid relid = side == 0 ? left_table : right_table;
      const QualOperand operand = OperandOf(value);
      if (relid != InvalidOid) {
        Compare(column, relid, opname, operand, value, clause, 0);
        return;
      }
      // An expression of one table's columns compared to a value: lower(email) = $1.
      int varno = 0;
      Node* stripped = Strip(column);
      if (stripped == nullptr || IsA(stripped, Var) || IsA(stripped, Const) ||
          IsA(stripped, Param) || operand == QualOperand::kOther)
        continue;
      const Oid table = SingleTable(stripped, &varno);
      if (table == InvalidOid) continue;
      Compare(stripped, table, opname, operand, value, clause, varno);
      return;
    }
  }

  // `column` op `value` on table relid; varno != 0 marks an expression of that range entry.
  void Compare(Node* column, Oid relid, const std::string& opname, QualOperand operand, Node* value,
               Node* clause, int varno) {
    core::Predicate p;
    p.kind = qual::ClassifyOperator(opname, false, &p.case_insensitive);
    if (p.kind == QualKind::kOther) return;
    p.operand = operand;
    if (varno == 0) {
      p.column = ColumnOf(column, relid);
      if (p.column.empty()) return;
    } else {
      p.expression = Deparse(column, relid, varno);
      if (p.expression.empty()) return;
    }
    Node* constant = Strip(value);
    if ((p.kind == QualKind::kLike || p.kind == QualKind::kRegex) && constant != nullptr &&
        IsA(constant, Const) && !reinterpret_cast<Const*>(constant)->constisnull &&
        (reinterpret_cast<Const*>(constant)->consttype == TEXTOID ||
         reinterpret_cast<Const*>(constant)->consttype == VARCHAROID ||
         reinterpret_cast<Const*>(constant)->consttype == BPCHAROID)) {
      char* pattern = nullptr;
      CallPg(
          [&] { pattern = TextDatumGetCString(reinterpret_cast<Const*>(constant)->constvalue); });
      p.leading_wildcard =
          qual::LeadingWildcard(p.kind == QualKind::kLike, Owned(pattern)) == qual::Wildcard::kYes;
    } else if (p.kind == QualKind::kLike || p.kind == QualKind::kRegex) {
      p.leading_wildcard = true;  // unknown pattern: a trigram index may serve it
    }
    if (operand == QualOperand::kConstant && varno == 0 && p.kind != QualKind::kLike &&
        p.kind != QualKind::kRegex)
      p.condition = Deparse(clause, relid, VarNoOf(column));
    AddPredicate(relid, p);
  }

  // WHERE active / WHERE NOT active: an equality with a constant.
  void BoolColumn(Node* var, Node* clause) {
    const Oid relid = TableOf(var);
    if (relid == InvalidOid) return;
    core::Predicate p;
    p.column = ColumnOf(var, relid);
    p.kind = QualKind::kEquality;
    p.operand = QualOperand::kConstant;
    if (p.column.empty()) return;
    p.condition = Deparse(clause, relid, VarNoOf(var));
    AddPredicate(relid, p);
  }

  static int VarNoOf(Node* node) {
    node = Strip(node);
    return node != nullptr && IsA(node, Var) ? static_cast<int>(reinterpret_cast<Var*>(node)->varno)
                                             : 1;
  }

  std::string ColumnOf(Node* node, Oid relid) const {
    node = Strip(node);
    if (node == nullptr || !IsA(node, Var)) return "";
    return AttributeName(relid, reinterpret_cast<Var*>(node)->varattno);
  }

  void Quals(Node* node) {
    if (node == nullptr) return;
    if (IsA(node, FromExpr)) {
      FromExpr* from = reinterpret_cast<FromExpr*>(node);
      ListCell* cell;
      foreach (cell, from->fromlist) Quals(static_cast<Node*>(lfirst(cell)));
      Clause(from->quals);
    } else if (IsA(node, JoinExpr)) {
      JoinExpr* join = reinterpret_cast<JoinExpr*>(node);
      Quals(join->larg);
      Quals(join->rarg);
      Clause(join->quals);
    }
  }

  // ORDER BY / GROUP BY columns; all on one table or nothing.
  void Keys(Query* query, List* clauses, bool group) {
    Oid table = InvalidOid;
    std::vector<core::SortKey> keys;
    ListCell* cell;
    foreach (cell, clauses) {
      SortGroupClause* sgc = static_cast<SortGroupClause*>(lfirst(cell));
      Node* expr = nullptr;
      bool reverse = false;
      CallPg([&] {
        expr = get_sortgroupclause_expr(sgc, query->targetList);
        if (!group && OidIsValid(sgc->sortop))
          get_equality_op_for_ordering_op(sgc->sortop, &reverse);
      });
      const Oid relid = TableOf(expr);
      if (relid == InvalidOid || (table != InvalidOid && relid != table)) return;
      table = relid;
      keys.push_back(core::SortKey{ColumnOf(expr, relid), reverse});
    }
    if (table == InvalidOid) return;
    core::TableUse& use = Use(table);
    for (const core::SortKey& key : keys) {
      if (key.column.empty()) return;
      if (group) use.group_by.push_back(key.column);
    }
    if (!group) use.order_by = keys;
  }

  // Subqueries in conditions, the HAVING clause and the target list (EXISTS, IN, scalar
  // subqueries, correlated or not) read their tables as a query of their own: their
  // conditions on the enclosing query's columns compare to an outer value, like a join
  // (the planner turns EXISTS and IN into semi- and anti-joins, or runs a correlated
  // subquery once per outer row). For `x IN (SELECT col ...)` / `x = ANY (...)`, `col` is
  // also compared to the outer value.
  void SubLinks(Query* query) {
    List* links = nullptr;
    CallPg([&] {
      CollectSubLinks(reinterpret_cast<Node*>(query->jointree), &links);  // WHERE, JOIN ... ON
      CollectSubLinks(query->havingQual, &links);
      CollectSubLinks(reinterpret_cast<Node*>(query->targetList), &links);
    });
    ListCell* cell;
    foreach (cell, links) {
      SubLink* link = static_cast<SubLink*>(lfirst(cell));
      if (link->subselect == nullptr || !IsA(link->subselect, Query)) continue;
      Query* sub = reinterpret_cast<Query*>(link->subselect);
      Walker inner{out, writes, rows, {}};
      inner.Describe(sub, depth + 1);
      if (link->subLinkType != ANY_SUBLINK) continue;
      Node* output = nullptr;
      int outputs = 0;
      ListCell* tc;
      foreach (tc, sub->targetList) {
        TargetEntry* tle = static_cast<TargetEntry*>(lfirst(tc));
        if (tle->resjunk) continue;
        ++outputs;
        output = reinterpret_cast<Node*>(tle->expr);
      }
      const Oid relid = outputs == 1 ? inner.TableOf(output) : InvalidOid;
      if (relid == InvalidOid) continue;
      core::Predicate p;
      p.column = inner.ColumnOf(output, relid);
      p.kind = QualKind::kEquality;
      p.operand = QualOperand::kOuter;
      if (!p.column.empty()) inner.AddPredicate(relid, p);
    }
  }

  void ColumnsRead(Query* query) {
    List* vars = nullptr;
    CallPg([&] {
      CollectVars(reinterpret_cast<Node*>(query->targetList), &vars);
      CollectVars(query->jointree ? query->jointree->quals : nullptr, &vars);
      CollectVars(query->havingQual, &vars);
    });
    ListCell* cell;
    foreach (cell, vars) {
      Var* var = static_cast<Var*>(lfirst(cell));
      if (var->varlevelsup != 0) continue;
      auto it = relations.find(static_cast<int>(var->varno));
      if (it == relations.end()) continue;
      core::TableUse& use = Use(it->second);
      std::vector<std::string> names;
      if (var->varattno == 0) {
        int natts = 0;
        CallPg([&] {
          Relation rel = RelationIdGetRelation(it->second);
          if (rel != nullptr) {
            natts = RelationGetNumberOfAttributes(rel);
            RelationClose(rel);
          }
        });
        for (int a = 1; a <= natts; ++a) names.push_back(AttributeName(it->second, a));
      } else if (var->varattno > 0) {
        names.push_back(AttributeName(it->second, var->varattno));
      }
      for (const std::string& name : names)
        if (!name.empty() && std::find(use.columns_read.begin(), use.columns_read.end(), name) ==
                                 use.columns_read.end())
          use.columns_read.push_back(name);
    }
  }

  void Describe(Query* query, int level) {
    depth = level;
    if (query == nullptr || depth > 8) return;
    ListCell* cell;
    foreach (cell, query->cteList) {
      CommonTableExpr* cte = static_cast<CommonTableExpr*>(lfirst(cell));
      if (cte->ctequery != nullptr && IsA(cte->ctequery, Query))
        Walker{out, writes, rows, {}}.Describe(reinterpret_cast<Query*>(cte->ctequery), depth + 1);
    }
    int varno = 0;
    foreach (cell, query->rtable) {
      ++varno;
      RangeTblEntry* rte = static_cast<RangeTblEntry*>(lfirst(cell));
      if (rte->rtekind == RTE_SUBQUERY) {
        Walker{out, writes, rows, {}}.Describe(rte->subquery, depth + 1);
      } else if (rte->rtekind == RTE_RELATION &&
                 (rte->relkind == RELKIND_RELATION || rte->relkind == RELKIND_MATVIEW ||
                  rte->relkind == RELKIND_PARTITIONED_TABLE) &&
                 !(query->commandType == CMD_INSERT && varno == query->resultRelation)) {
        relations[varno] = rte->relid;
      }
    }
    if (query->commandType != CMD_SELECT) out->is_write = true;
    if (query->limitCount != nullptr) out->has_limit = true;
    Quals(reinterpret_cast<Node*>(query->jointree));
    Keys(query, query->sortClause, false);
    Keys(query, query->groupClause, true);
    ColumnsRead(query);
    SubLinks(query);
    if (query->resultRelation > 0 && query->resultRelation <= list_length(query->rtable)) {
      RangeTblEntry* target =
          static_cast<RangeTblEntry*>(list_nth(query->rtable, query->resultRelation - 1));
      const Oid relid = target->relid;
      core::TableWrites& written = (*writes)[relid];
      if (query->commandType == CMD_INSERT) written.inserted += rows;
      if (query->commandType == CMD_DELETE) written.deleted += rows;
      if (query->commandType == CMD_UPDATE) {
        written.updated += rows;
        foreach (cell, query->targetList) {
          TargetEntry* tle = static_cast<TargetEntry*>(lfirst(cell));
          if (tle->resjunk) continue;
          const std::string column = AttributeName(relid, tle->resno);
          if (!column.empty()) written.updated_columns[column] += rows;
        }
      }
    }
  }
};

}  // namespace

void DescribeQuery(Query* query, double rows, dbopt::advisor::Query* out,
                   std::map<ObjectId, dbopt::advisor::TableWrites>* writes) {
  Walker{out, writes, rows, {}}.Describe(query, 0);
}

std::string DeparseExpression(Node* node, Oid relid, int varno) {
  return Deparse(node, relid, varno);
}

Query* AnalyzeStatement(const std::string& sql) {
  List* statements = nullptr;
  CallPg([&] { statements = raw_parser(sql.c_str(), RAW_PARSE_DEFAULT); });
  if (list_length(statements) != 1)
    Fail(ERRCODE_SYNTAX_ERROR,
         "expected exactly one SQL statement, got " + std::to_string(list_length(statements)),
         "Pass each statement as its own array element.");
  Query* query = nullptr;
  CallPg([&] {
    Oid* types = nullptr;
    int count = 0;
    query = parse_analyze_varparams(static_cast<RawStmt*>(linitial(statements)), sql.c_str(),
                                    &types, &count, nullptr);
  });
  if (query->commandType == CMD_UTILITY)
    Fail(ERRCODE_WRONG_OBJECT_TYPE, "cannot advise indexes for a utility statement",
         "Pass SELECT, INSERT, UPDATE or DELETE statements.");
  return query;
}

Query* TryAnalyzeStatement(const std::string& sql) {
  Query* query = nullptr;
  return RunIsolated([&] { query = AnalyzeStatement(sql); }) ? query : nullptr;
}

}  // namespace dbopt::pg::advisor
