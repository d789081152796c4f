// See replan.hpp.
#include "pg/replan.hpp"

extern "C" {
#include "nodes/readfuncs.h"
#include "optimizer/optimizer.h"
#include "rewrite/rewriteHandler.h"
#include "tcop/tcopprot.h"
}

namespace dbopt::pg::capture {

PlannedStmt* ReplanSample(const char* sample) {
  Node* node = static_cast<Node*>(stringToNode(sample));
  if (node == nullptr || !IsA(node, Query))
    ereport(ERROR,
            (errcode(ERRCODE_DATA_CORRUPTED), errmsg("dbopt: a replayable sample is corrupt")));
  Query* query = reinterpret_cast<Query*>(node);
  // The sample's relations are resolved OIDs; lock them as parse analysis would have.
  AcquireRewriteLocks(query, true, false);
  return PlanRewritten(QueryRewrite(query), nullptr);
}

PlannedStmt* PlanRewritten(List* queries, const char* text) {
  PlannedStmt* result = nullptr;
  ListCell* cell;
  foreach (cell, queries) {
    Query* part = static_cast<Query*>(lfirst(cell));
    if (part->commandType == CMD_UTILITY) continue;
    PlannedStmt* planned = pg_plan_query(part, text, CURSOR_OPT_PARALLEL_OK, nullptr);
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
