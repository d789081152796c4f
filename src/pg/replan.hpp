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

}  // namespace dbopt::pg::capture
