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
  List* rewritten = QueryRewrite(query);
  PlannedStmt* result = nullptr;
  ListCell* cell;
  foreach (cell, rewritten) {
    Query* part = static_cast<Query*>(lfirst(cell));
    if (part->commandType == CMD_UTILITY) continue;
    PlannedStmt* planned = pg_plan_query(part, nullptr, CURSOR_OPT_PARALLEL_OK, nullptr);
    if (result == nullptr || part->canSetTag) result = planned;
  }
  if (result == nullptr)
    ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                    errmsg("dbopt: the captured statement has no plannable query")));
  return result;
}

}  // namespace dbopt::pg::capture
