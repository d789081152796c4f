// The caller's search_path for SQL functions that parse statements on the caller's behalf
// (the what-if and advisor functions). Their `search_path` argument defaults to
// current_setting('search_path'), evaluated before the function's pinned setting applies.
#pragma once
#include "pg/postgres.hpp"

namespace dbopt::pg {

// Opens a GUC nest level for the rest of the call and sets argument `n` as search_path in it
// (a NULL argument keeps the pinned one). Settings saved meanwhile (GUC_ACTION_SAVE) end with
// the level: at EndCallerSearchPath, or at (sub)transaction abort.
int BeginCallerSearchPath(FunctionCallInfo fcinfo, int n);
void EndCallerSearchPath(int level);

}  // namespace dbopt::pg
