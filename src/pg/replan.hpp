// Re-planning a captured query from its replayable sample (the nodeToString form of its
// post-parse-analysis Query, stored by the capture hooks when dbopt.track_constants is on).
// A sample of a statement with $n parameters also carries the values bound at one execution
// (extended protocol, EXECUTE, PL/pgSQL variables): "(<query> ((i <ids>) <Const>...))".
// The index advisor re-plans samples under hypothetical indexes through ReplanSample; the SQL
// wrapper dbopt_replan() (fn_replan.cpp) lists the scans of the plan for tests and DBAs.
#pragma once
#include "pg/postgres.hpp"

namespace dbopt::pg::capture {

// Plans `sample` in the current database: stringToNode, rewrite locks, QueryRewrite and
// pg_plan_query. With the sample's parameter values (if it has them) the plan is the custom
// plan of those values; `generic` (or a sample without values) plans without them: the generic
// plan a prepared statement settles on. Returns the PlannedStmt of the statement that sets the
// command tag. May ereport (a relation dropped since capture, say): call it inside CallPg.
PlannedStmt* ReplanSample(const char* sample, bool generic = false);

// A sample parsed once for planning many times (the index advisor plans each query with many
// sets of hypothetical indexes; stringToNode of a large sample is a good part of a plan's
// time): its analyzed Query and, unless `generic`, its bound parameter values, allocated in
// the current memory context. ReplanParsed plans a copy, as ReplanSample plans the text.
struct ParsedSample {
  Query* query = nullptr;
  ParamListInfo params = nullptr;
};
ParsedSample ParseSample(const char* sample, bool generic = false);
PlannedStmt* ReplanParsed(const ParsedSample& sample);

// The analyzed Query of a sample (with or without parameter values), not rewritten or
// locked: for reading its shape. Raises ERRCODE_DATA_CORRUPTED for anything else.
Query* SampleQuery(const char* sample);

// Plans each plannable query of a rewritten list (the what-if engine plans SQL text and Query
// trees through it too) and returns the statement that sets the command tag; raises
// ERRCODE_WRONG_OBJECT_TYPE when there is none (utility statements). May ereport.
// `params`: bound parameter values the planner may fold in (a custom plan), or NULL.
PlannedStmt* PlanRewritten(List* queries, const char* text, ParamListInfo params = nullptr);

// Calls visit(plan, arg) for every node of a plan tree, parents first: lefttree, righttree and
// the children of Append, MergeAppend, BitmapAnd, BitmapOr, SubqueryScan and CustomScan.
// visit returns false to skip the node's children.
void WalkPlan(Plan* plan, bool (*visit)(Plan*, void*), void* arg);

}  // namespace dbopt::pg::capture
