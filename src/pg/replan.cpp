// See replan.hpp.
#include "pg/replan.hpp"

extern "C" {
#include "nodes/readfuncs.h"
#include "optimizer/optimizer.h"
#include "rewrite/rewriteHandler.h"
#include "tcop/tcopprot.h"
}

namespace dbopt::pg::capture {

namespace {

[[noreturn]] void Corrupt() {
  ereport(ERROR,
          (errcode(ERRCODE_DATA_CORRUPTED), errmsg("dbopt: a replayable sample is corrupt")));
  pg_unreachable();
}

// The values list of a sample: (IntList of ids, Const per id) -> a ParamListInfo whose values
// the planner may fold into the plan (PARAM_FLAG_CONST), as for a custom plan.
ParamListInfo BoundParams(List* values) {
  if (values == nullptr || list_length(values) < 1 || !IsA(linitial(values), IntList) ||
      list_length(static_cast<List*>(linitial(values))) != list_length(values) - 1)
    Corrupt();
  List* ids = static_cast<List*>(linitial(values));
  int highest = 0;
  ListCell* cell;
  foreach (cell, ids) {
    if (lfirst_int(cell) < 1 || lfirst_int(cell) > 65535) Corrupt();
    highest = Max(highest, lfirst_int(cell));
  }
  ParamListInfo params = makeParamList(highest);
  for (int i = 0; i < highest; ++i) {
    params->params[i].value = (Datum)0;
    params->params[i].isnull = true;
    params->params[i].pflags = 0;
    params->params[i].ptype = InvalidOid;
  }
  for (int i = 0; i < list_length(ids); ++i) {
    Node* node = static_cast<Node*>(list_nth(values, i + 1));
    if (node == nullptr || !IsA(node, Const)) Corrupt();
    Const* value = reinterpret_cast<Const*>(node);
    ParamExternData* param = &params->params[list_nth_int(ids, i) - 1];
    param->value = value->constvalue;
    param->isnull = value->constisnull;
    param->pflags = PARAM_FLAG_CONST;
    param->ptype = value->consttype;
  }
  return params;
}

}  // namespace

namespace {

// The Query of a parsed sample and, in *values, its parameter values (NULL when none).
Query* SplitSample(Node* node, List** values) {
  *values = nullptr;
  if (node != nullptr && IsA(node, List)) {
    // (<query> <values>)
    List* parts = reinterpret_cast<List*>(node);
    if (list_length(parts) != 2 || !IsA(lsecond(parts), List)) Corrupt();
    *values = static_cast<List*>(lsecond(parts));
    node = static_cast<Node*>(linitial(parts));
  }
  if (node == nullptr || !IsA(node, Query)) Corrupt();
  return reinterpret_cast<Query*>(node);
}

}  // namespace

Query* SampleQuery(const char* sample) {
  List* values = nullptr;
  return SplitSample(static_cast<Node*>(stringToNode(sample)), &values);
}

PlannedStmt* ReplanSample(const char* sample, bool generic) {
  const ParsedSample parsed = ParseSample(sample, generic);
  // The sample's relations are resolved OIDs; lock them as parse analysis would have.
  AcquireRewriteLocks(parsed.query, true, false);
  return PlanRewritten(QueryRewrite(parsed.query), nullptr, parsed.params);
}

ParsedSample ParseSample(const char* sample, bool generic) {
  List* values = nullptr;
  ParsedSample parsed;
  parsed.query = SplitSample(static_cast<Node*>(stringToNode(sample)), &values);
  if (values != nullptr && !generic) parsed.params = BoundParams(values);
  return parsed;
}

PlannedStmt* ReplanParsed(const ParsedSample& sample) {
  Query* query = static_cast<Query*>(copyObjectImpl(sample.query));
  AcquireRewriteLocks(query, true, false);
  return PlanRewritten(QueryRewrite(query), nullptr, sample.params);
}

PlannedStmt* PlanRewritten(List* queries, const char* text, ParamListInfo params) {
  PlannedStmt* result = nullptr;
  ListCell* cell;
  foreach (cell, queries) {
    Query* part = static_cast<Query*>(lfirst(cell));
    if (part->commandType == CMD_UTILITY) continue;
    PlannedStmt* planned = pg_plan_query(part, text, CURSOR_OPT_PARALLEL_OK, params);
    if (result == nullptr || part->canSetTag) result = planned;
  }
  if (result == nullptr)
    ereport(ERROR, (errcode(ERRCODE_WRONG_OBJECT_TYPE),
                    errmsg("dbopt: the statement has no plannable query"),
                    errhint("Pass a SELECT, INSERT, UPDATE, DELETE or MERGE statement; utility "
                            "statements (EXPLAIN, DDL) are not planned.")));
  return result;
}

namespace {

void Walk(Plan* plan, bool (*visit)(Plan*, void*), void* arg, int depth) {
  if (plan == nullptr || depth > 1000) return;
  if (!visit(plan, arg)) return;
  List* children = NIL;
  switch (nodeTag(plan)) {
    case T_Append:
      children = reinterpret_cast<Append*>(plan)->appendplans;
      break;
    case T_MergeAppend:
      children = reinterpret_cast<MergeAppend*>(plan)->mergeplans;
      break;
    case T_BitmapAnd:
      children = reinterpret_cast<BitmapAnd*>(plan)->bitmapplans;
      break;
    case T_BitmapOr:
      children = reinterpret_cast<BitmapOr*>(plan)->bitmapplans;
      break;
    case T_CustomScan:
      children = reinterpret_cast<CustomScan*>(plan)->custom_plans;
      break;
    case T_SubqueryScan:
      Walk(reinterpret_cast<SubqueryScan*>(plan)->subplan, visit, arg, depth + 1);
      break;
    default:
      break;
  }
  ListCell* cell;
  foreach (cell, children) Walk(static_cast<Plan*>(lfirst(cell)), visit, arg, depth + 1);
  Walk(plan->lefttree, visit, arg, depth + 1);
  Walk(plan->righttree, visit, arg, depth + 1);
}

}  // namespace

void WalkPlan(Plan* plan, bool (*visit)(Plan*, void*), void* arg) {
  Walk(plan, visit, arg, 0);
}

}  // namespace dbopt::pg::capture
